// Sliding-window request limits per key (CONTRACT §1.7).
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace codex::http {

// Thread-safe.
class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  // `per_minute` ≤ 0 disables the limit.
  explicit RateLimiter(int per_minute) : limit_(per_minute) {}
  // Counts one request of `key`; 0 when allowed, else the seconds until one is (≥ 1).
  int Hit(const std::string& key, TimePoint now);

 private:
  int limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<TimePoint>> windows_;
  std::size_t hits_since_sweep_ = 0;
};

}  // namespace codex::http
