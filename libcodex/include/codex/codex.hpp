// The library's entry point: open a data directory and reach every domain through it.
//
//   auto codex = codex::Codex::Open({.data_dir = "/srv/codex"});
//   if (!codex.ok()) { /* codex.status().message() */ }
//   auto hits = codex->search().Query(principal, "lab", "spectrophotometer");
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/auth.hpp"
#include "codex/events.hpp"
#include "codex/files.hpp"
#include "codex/folders.hpp"
#include "codex/json.hpp"
#include "codex/notebooks.hpp"
#include "codex/plugins.hpp"
#include "codex/principal.hpp"
#include "codex/query.hpp"
#include "codex/search.hpp"
#include "codex/status.hpp"
#include "codex/tags.hpp"
#include "codex/tasks.hpp"
#include "codex/users.hpp"
#include "codex/version.hpp"
#include "codex/watch.hpp"
#include "codex/workspaces.hpp"

namespace codex {
namespace detail {
struct Context;
}

struct Options {
  // Holds codex_system.db and, by default, workspaces/. Created when missing.
  std::string data_dir;
  // Committer identity, and author of watcher and task commits (SEMANTICS §9.3).
  std::string git_name = "codexd";
  std::string git_email = "codexd@localhost";
  // When non-empty, an explicit workspace path must lie inside one of these absolute directories.
  std::vector<std::string> workspace_roots;
  // Directory of plugin manifests (templates are read from it); empty = none.
  std::string plugins_dir;
  // The signing key of tokens (see LoadSecretKey); empty = Auth cannot issue or verify tokens.
  std::string secret_key;
  // Lifetimes (CODEX_ACCESS_TOKEN_MINUTES, CODEX_REFRESH_TOKEN_DAYS).
  int access_token_minutes = 30;
  int refresh_token_days = 7;
  // Threads used to extract metadata during a full index; 0 = one per core.
  int index_threads = 0;
  // Source of "now"; tests inject a fixed clock. Default: the system clock.
  std::function<std::chrono::system_clock::time_point()> clock;
};

// Options of `data_dir` with the environment of CONTRACT §1.8 applied: CODEX_GIT_NAME,
// CODEX_GIT_EMAIL, CODEX_ACCESS_TOKEN_MINUTES, CODEX_REFRESH_TOKEN_DAYS (integers ≥ 0;
// other values keep the defaults), CODEX_WORKSPACE_ROOTS (colon-separated).
Options OptionsFromEnvironment(std::string data_dir);

// A handle on one data directory. Move-only; all services are thread-safe and valid while the
// Codex lives. Several processes may open the same data directory at once.
class Codex {
 public:
  // Opens (creating when missing) the data directory and migrates the system database.
  // Errors: kIoError; kUnavailable "schema_too_new" for data written by a newer Codex.
  static Result<Codex> Open(Options options);

  Codex(Codex&& other) noexcept;
  Codex& operator=(Codex&& other) noexcept;
  Codex(const Codex&) = delete;
  Codex& operator=(const Codex&) = delete;
  ~Codex();

  Users& users() noexcept { return users_; }
  Workspaces& workspaces() noexcept { return workspaces_; }
  Notebooks& notebooks() noexcept { return notebooks_; }
  Files& files() noexcept { return files_; }
  Folders& folders() noexcept { return folders_; }
  Tags& tags() noexcept { return tags_; }
  Search& search() noexcept { return search_; }
  Queries& queries() noexcept { return queries_; }
  Events& events() noexcept { return events_; }
  Auth& auth() noexcept { return auth_; }
  Tasks& tasks() noexcept { return tasks_; }
  Plugins& plugins() noexcept { return plugins_; }
  Watcher& watcher() noexcept { return watcher_; }

  const std::string& data_dir() const noexcept;
  const Options& options() const noexcept;

  // The system database answers (SELECT 1). Errors: kUnavailable with a short cause.
  Status HealthCheck();

  // Small persistent settings of the data directory (e.g. codexctl's default user).
  Result<std::optional<std::string>> GetSetting(std::string_view key);
  Status SetSetting(std::string_view key, std::string_view value);

 private:
  explicit Codex(std::unique_ptr<detail::Context> ctx);
  std::unique_ptr<detail::Context> ctx_;
  Users users_;
  Workspaces workspaces_;
  Notebooks notebooks_;
  Files files_;
  Folders folders_;
  Tags tags_;
  Search search_;
  Queries queries_;
  Events events_;
  Auth auth_;
  Tasks tasks_;
  Plugins plugins_;
  Watcher watcher_;
};

// First start of an empty data dir (no users yet): a user "demo" with a random password, a
// workspace "Demo Lab" and a notebook "Lab Notes" filled from `notes_dir` (when not empty).
// Returns the password (to show once), or nullopt when the data dir already has users.
Result<std::optional<std::string>> SeedDemo(Codex& codex, const std::string& notes_dir);

}  // namespace codex
