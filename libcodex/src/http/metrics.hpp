// Prometheus metrics of CONTRACT §6, in the text exposition format.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace codex::http {

// Thread-safe.
class Metrics {
 public:
  void CountRequest(const std::string& method, const std::string& route, int status,
                    double seconds);
  void CountRateLimited(const std::string& bucket);
  void CountDroppedWebSocket(const std::string& reason);
  // The exposition text; gauges are given by the caller (they live elsewhere).
  std::string Text(const std::string& version, std::int64_t websocket_connections,
                   std::int64_t watchers, const std::map<std::string, std::int64_t>& tasks) const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10};
  struct Histogram {
    std::array<std::int64_t, kBuckets.size()> buckets{};
    std::int64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::int64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> durations_;
  std::map<std::string, std::int64_t> rate_limited_;
  std::map<std::string, std::int64_t> dropped_;
};

}  // namespace codex::http
