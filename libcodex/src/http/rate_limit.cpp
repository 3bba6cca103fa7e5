#include "http/rate_limit.hpp"

namespace codex::http {

int RateLimiter::Hit(const std::string& key, TimePoint now) {
  if (limit_ <= 0) return 0;
  constexpr auto kWindow = std::chrono::seconds(60);
  std::lock_guard<std::mutex> lock(mutex_);
  if (++hits_since_sweep_ >= 10000) {  // forget idle keys now and then
    hits_since_sweep_ = 0;
    for (auto it = windows_.begin(); it != windows_.end();) {
      if (it->second.empty() || now - it->second.back() >= kWindow) {
        it = windows_.erase(it);
      } else {
        ++it;
      }
    }
  }
  auto& window = windows_[key];
  while (!window.empty() && now - window.front() >= kWindow) window.pop_front();
  if (static_cast<int>(window.size()) >= limit_) {
    auto wait = std::chrono::duration_cast<std::chrono::seconds>(window.front() + kWindow - now);
    return static_cast<int>(std::max<std::int64_t>(1, wait.count() + 1));
  }
  window.push_back(now);
  return 0;
}

}  // namespace codex::http
