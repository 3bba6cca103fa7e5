// Start-up and shutdown of a long-running process (codex/daemon.hpp).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "codex/daemon.hpp"

namespace codex {

Result<std::unique_ptr<Daemon>> Daemon::Start(const DaemonOptions& options, LogFn log) {
  std::unique_ptr<Daemon> d(new Daemon());
  d->log_ = std::move(log);
  auto warn = [&](const std::string& message) { d->log_("warning", message); };
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return Status::IoError("data directory " + options.data_dir + ": " + ec.message());
  std::string lock_path = options.data_dir + "/codexd.lock";
  d->lock_fd_ = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (d->lock_fd_ < 0 || ::flock(d->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return Status::Make(Code::kUnavailable, "locked", "another codexd holds " + lock_path);
  }
  // Upload bodies are staged in <data>/tmp (Api::UploadPath): what a killed daemon left there goes.
  std::filesystem::remove_all(options.data_dir + "/tmp", ec);
  std::filesystem::create_directories(options.data_dir + "/tmp", ec);
  if (ec) return Status::IoError("data directory " + options.data_dir + "/tmp: " + ec.message());
  std::string warning;
  auto key = LoadSecretKey(options.data_dir, &warning);
  if (!key.ok()) return key.status();
  if (!warning.empty()) warn(warning);

  Options opened = OptionsFromEnvironment(options.data_dir);
  opened.secret_key = *key;
  opened.plugins_dir = options.plugins_dir;
  auto codex = Codex::Open(std::move(opened));
  if (!codex.ok()) return codex.status();
  d->codex_.emplace(std::move(*codex));
  Codex& c = *d->codex_;
  if (!options.plugins_dir.empty()) {
    auto problems = c.plugins().LoadDirectory();
    if (!problems.ok()) warn("plugins: " + problems.status().ToString());
    for (const auto& p : problems.ok() ? *problems : std::vector<PluginLoadProblem>{}) {
      warn("plugin skipped: " + p.path + ": " + p.message);
    }
  }
  if (!options.demo_notes.empty()) {
    auto demo = SeedDemo(c, options.demo_notes);
    if (!demo.ok()) d->log_("error", "demo: " + demo.status().ToString());
    if (demo.ok()) d->demo_password_ = *demo;
  }
  if (Status s = c.tasks().StartWorker(); !s.ok()) warn("task worker: " + s.ToString());
  WatchOptions watch = WatchOptionsFromEnvironment();
  watch.on_warning = [log = d->log_](std::string_view w) {
    log("warning", "watcher: " + std::string(w));
  };
  if (!WatcherEnabledByEnvironment()) {
    warn("watcher: off (CODEX_WATCH); changes made outside Codex are found by codexctl index");
  } else if (Status s = c.watcher().Start(watch); !s.ok()) {
    d->log_("error", "watcher: " + s.ToString());
  }
  return d;
}

Daemon::~Daemon() {
  if (codex_) {
    codex_->watcher().Stop();
    codex_->tasks().StopWorker();
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace codex
