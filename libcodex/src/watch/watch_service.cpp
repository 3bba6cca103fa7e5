// The public face of the process's watcher (codex/watch.hpp); the work is in WatchEngine.
#include <cctype>
#include <cstdlib>
#include <string>

#include "codex/watch.hpp"
#include "common/strings.hpp"
#include "core/context.hpp"

namespace codex {

std::string_view IndexingStateName(IndexingState state) noexcept {
  switch (state) {
    case IndexingState::kNotStarted:
      return "not_started";
    case IndexingState::kInProgress:
      return "in_progress";
    case IndexingState::kCompleted:
      return "completed";
    case IndexingState::kError:
      return "error";
  }
  return "not_started";
}

WatchOptions WatchOptionsFromEnvironment() {
  WatchOptions o;
  auto millis = [](const char* name, std::chrono::milliseconds fallback) {
    const char* v = std::getenv(name);
    std::int64_t n = 0;
    if (v == nullptr || !ParseInt64(v, &n) || n < 1 || n > 60000) return fallback;
    return std::chrono::milliseconds(n);
  };
  o.quiet = millis("CODEX_WATCH_QUIET_MS", o.quiet);
  o.max_delay = millis("CODEX_WATCH_MAX_DELAY_MS", o.max_delay);
  std::int64_t watches = 0;
  const char* v = std::getenv("CODEX_WATCH_MAX_WATCHES");
  if (v != nullptr && ParseInt64(v, &watches) && watches >= 1 && watches <= 100000000) {
    o.max_watches = static_cast<std::size_t>(watches);
  }
  return o;
}

bool WatcherEnabledByEnvironment() {
  const char* v = std::getenv("CODEX_WATCH");
  if (v == nullptr) return true;
  std::string s(v);
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s != "off" && s != "0" && s != "false";
}

Status Watcher::Start(const WatchOptions& options) { return ctx_->watch->Start(options); }
void Watcher::Stop() { ctx_->watch->Stop(); }
bool Watcher::running() const { return ctx_->watch->running(); }
std::int64_t Watcher::notebook_count() const { return ctx_->watch->notebook_count(); }
std::int64_t Watcher::unwatched_count() const { return ctx_->watch->Unwatched(); }
IndexingState Watcher::State(std::int64_t notebook_id) const {
  return ctx_->watch->State(notebook_id);
}
bool Watcher::Settle(std::chrono::milliseconds timeout) { return ctx_->watch->Settle(timeout); }

}  // namespace codex
