// A Lab whose notebook is followed by the watcher, with every event recorded.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "support/lab.hpp"

namespace codex::testing {

class WatchLab : public Lab {
 public:
  // `start`: false leaves the watcher stopped (a test may fork first: no threads yet).
  explicit WatchLab(bool start = true) {
    subscription_ = Must(codex().events().SubscribeWorkspace(alice, "lab", [this](const Event& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      events_.push_back(e);
    }));
    if (start) StartWatching();
  }
  ~WatchLab() { codex().watcher().Stop(); }

  // `adjust` may change the test's options before the start.
  void StartWatching(const std::function<void(WatchOptions&)>& adjust = {}) {
    WatchOptions options;
    options.quiet = std::chrono::milliseconds(50);
    options.max_delay = std::chrono::milliseconds(500);
    options.commit_quiet = std::chrono::milliseconds(100);
    options.refresh = std::chrono::milliseconds(200);
    if (adjust) adjust(options);
    CODEX_REQUIRE_OK(codex().watcher().Start(options));
    Settle();
  }

  // Everything done on disk so far is indexed, published and committed.
  void Settle() { REQUIRE(codex().watcher().Settle(std::chrono::seconds(60))); }

  std::vector<Event> TakeEvents() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(events_, {});
  }

  // The row at `path`, or nullopt.
  std::optional<FileMeta> Row(const std::string& path) {
    auto r = files().Get(alice, ref(), FileRef::ByPath(path));
    if (!r.ok()) return std::nullopt;
    return *r;
  }
  std::int64_t RowCount() { return Must(files().List(alice, ref(), {0, 1})).total; }

  void Write(const std::string& rel, std::string_view content) {
    std::filesystem::create_directories((root() / rel).parent_path());
    WriteFile(root() / rel, content);
  }

 private:
  std::mutex mutex_;
  std::vector<Event> events_;
  Subscription subscription_;
};

// Events of one kind, by path.
inline std::map<std::string, int> CountByPath(const std::vector<Event>& events, EventKind kind) {
  std::map<std::string, int> out;
  for (const auto& e : events) {
    if (e.kind == kind) ++out[e.path];
  }
  return out;
}

}  // namespace codex::testing
