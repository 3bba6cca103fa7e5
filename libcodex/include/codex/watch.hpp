// Live sync (SEMANTICS §7.3, §7.4): one inotify instance per process follows every notebook of
// the data directory, indexes what changes in debounced batches, publishes the change events and
// commits text files to each notebook's git repository.
//
//   auto codex = codex::Codex::Open({.data_dir = dir});
//   codex->watcher().Start({});     // reconciles every notebook, then follows them
//   ...                             // events arrive through codex->events()
//   codex->watcher().Stop();        // drains pending batches and commits
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
class WatchEngine;
}  // namespace detail

struct WatchOptions {
  // A notebook's pending changes are indexed once it saw no event for `quiet`, and at the latest
  // `max_delay` after the first pending event (a file written continuously is still indexed).
  std::chrono::milliseconds quiet{100};
  std::chrono::milliseconds max_delay{1000};
  // Indexed changes are committed once no batch came for `commit_quiet`, at the latest
  // `commit_max_delay` after the first uncommitted batch: a burst ends in one commit.
  std::chrono::milliseconds commit_quiet{300};
  std::chrono::milliseconds commit_max_delay{3000};
  // How often the notebook set is compared with the system database (notebooks created or
  // deleted by another process) and folders that could not be watched are rescanned.
  std::chrono::milliseconds refresh{2000};
  // At most this many directory watches (0: only the kernel's fs.inotify.max_user_watches, which
  // every program of the user shares). A notebook whose folders cannot all be watched is
  // rescanned at once (one "resync"), then every `fallback_rescan` until they can.
  std::size_t max_watches = 0;
  std::chrono::milliseconds fallback_rescan{30000};
  // Warnings (watch limit reached, a rescan that failed, …): one line each. Default: none.
  std::function<void(std::string_view)> on_warning;
};

// Defaults with CODEX_WATCH_QUIET_MS and CODEX_WATCH_MAX_DELAY_MS (integers 1–60000) and
// CODEX_WATCH_MAX_WATCHES (1–100000000) applied; other values keep the defaults.
WatchOptions WatchOptionsFromEnvironment();
// False when CODEX_WATCH is "off", "0" or "false" (any case): a daemon then runs without the
// watcher (for folders inotify cannot see, such as network file systems) and reports itself
// degraded.
bool WatcherEnabledByEnvironment();

// Per notebook, as CONTRACT's indexing status reports it.
enum class IndexingState { kNotStarted, kInProgress, kCompleted, kError };
std::string_view IndexingStateName(IndexingState state) noexcept;  // "not_started", …

// Thread-safe. Start and Stop may be called again (Stop, then Start).
class Watcher {
 public:
  // Adds watches to every notebook of the data directory, then reconciles each with its folder
  // in the background (changes made while nothing ran are found; changes during the scan are not
  // lost). Notebooks created or deleted later, by this process or another, are followed.
  // Errors: kIoError when inotify cannot be used; kAlreadyExists when already running.
  Status Start(const WatchOptions& options);
  // Stops reading events, then indexes and commits what is pending (≤ 30 s). Idempotent.
  void Stop();
  bool running() const;

  // Notebooks currently followed with inotify (not the ones in the 30 s rescan fallback).
  std::int64_t notebook_count() const;
  // Notebooks whose folder exists but that no watch follows: every one while the watcher does
  // not run, else those whose watches could not all be added. A daemon is degraded while > 0.
  std::int64_t unwatched_count() const;
  // kNotStarted when the watcher does not run or does not know the notebook.
  IndexingState State(std::int64_t notebook_id) const;
  // Waits until everything that happened on disk before the call is indexed, published and
  // committed, and the search index merged (the quiet periods still apply). False on timeout or
  // when not running.
  bool Settle(std::chrono::milliseconds timeout);

 private:
  friend class Codex;
  explicit Watcher(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
