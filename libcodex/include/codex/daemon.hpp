// The life of a long-running Codex process such as codexd (SEMANTICS §1.2): what it takes, opens
// and starts before serving, and stops afterwards.
//
//   auto d = codex::Daemon::Start({.data_dir = "./data"}, log);
//   if (!d.ok()) { /* d.status().message() */ }
//   serve((*d)->codex());      // until a signal
//   // destroying the Daemon drains the watcher, stops the worker, releases the lock
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "codex/codex.hpp"
#include "codex/status.hpp"

namespace codex {

struct DaemonOptions {
  std::string data_dir;
  std::string plugins_dir;  // empty = no plugins
  std::string demo_notes;   // non-empty: seed a demo on the first start of an empty data dir
};

// One log line: level ("info", "warning", "error") and message.
using LogFn = std::function<void(std::string_view level, std::string_view message)>;

class Daemon {
 public:
  // In order: creates the data dir and takes <data_dir>/codexd.lock; loads the secret key;
  // opens the Codex with the environment's options; loads the plugins; seeds the demo; starts the
  // task worker and the watcher (CODEX_WATCH_* options). Problems that do not stop the start
  // (a skipped plugin, a short key) are logged as warnings. Errors: kUnavailable "locked" when
  // another daemon holds the lock; those of LoadSecretKey and Codex::Open.
  static Result<std::unique_ptr<Daemon>> Start(const DaemonOptions& options, LogFn log);
  // Drains the watcher, stops the task worker, releases the lock.
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  Codex& codex() noexcept { return *codex_; }
  // The demo user's password when this start created it (to show once), else nullopt.
  const std::optional<std::string>& demo_password() const noexcept { return demo_password_; }

 private:
  Daemon() = default;
  int lock_fd_ = -1;
  std::optional<Codex> codex_;
  std::optional<std::string> demo_password_;
  LogFn log_;
};

}  // namespace codex
