#include "http/metrics.hpp"

#include <cstdio>

namespace codex::http {
namespace {

std::string Labels(std::initializer_list<std::pair<const char*, std::string>> labels) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ",";
    first = false;
    out += k;
    out += "=\"";
    for (char c : v) {
      if (c == '"' || c == '\\') out.push_back('\\');
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out.push_back(c);
    }
    out += "\"";
  }
  return out + "}";
}

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::CountRequest(const std::string& method, const std::string& route, int status,
                           double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{method, route, status}];
  Histogram& h = durations_[{method, route}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::CountRateLimited(const std::string& bucket) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++rate_limited_[bucket];
}

void Metrics::CountDroppedWebSocket(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++dropped_[reason];
}

std::string Metrics::Text(const std::string& version, std::int64_t websocket_connections,
                          std::int64_t watchers,
                          const std::map<std::string, std::int64_t>& tasks) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  out += "# HELP codex_http_requests_total HTTP requests served\n";
  out += "# TYPE codex_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += "codex_http_requests_total" +
           Labels({{"method", method}, {"route", route}, {"status", std::to_string(status)}}) +
           " " + std::to_string(n) + "\n";
  }
  out += "# HELP codex_http_request_duration_seconds Latency to the last byte\n";
  out += "# TYPE codex_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : durations_) {
    const auto& [method, route] = key;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += "codex_http_request_duration_seconds_bucket" +
             Labels({{"method", method}, {"route", route}, {"le", Number(kBuckets[i])}}) + " " +
             std::to_string(h.buckets[i]) + "\n";
    }
    out += "codex_http_request_duration_seconds_bucket" +
           Labels({{"method", method}, {"route", route}, {"le", "+Inf"}}) + " " +
           std::to_string(h.count) + "\n";
    out += "codex_http_request_duration_seconds_sum" +
           Labels({{"method", method}, {"route", route}}) + " " + Number(h.sum) + "\n";
    out += "codex_http_request_duration_seconds_count" +
           Labels({{"method", method}, {"route", route}}) + " " + std::to_string(h.count) + "\n";
  }
  out += "# HELP codex_websocket_connections Open WebSocket connections\n";
  out += "# TYPE codex_websocket_connections gauge\n";
  out += "codex_websocket_connections " + std::to_string(websocket_connections) + "\n";
  out += "# HELP codex_websocket_dropped_total WebSocket connections dropped by the server\n";
  out += "# TYPE codex_websocket_dropped_total counter\n";
  for (const auto& [reason, n] : dropped_) {
    out += "codex_websocket_dropped_total" + Labels({{"reason", reason}}) + " " +
           std::to_string(n) + "\n";
  }
  out += "# HELP codex_watchers Running notebook watchers\n# TYPE codex_watchers gauge\n";
  out += "codex_watchers " + std::to_string(watchers) + "\n";
  out += "# HELP codex_tasks Tasks by status\n# TYPE codex_tasks gauge\n";
  for (const auto& [status, n] : tasks) {
    out += "codex_tasks" + Labels({{"status", status}}) + " " + std::to_string(n) + "\n";
  }
  out += "# HELP codex_rate_limited_total 429 answers sent\n";
  out += "# TYPE codex_rate_limited_total counter\n";
  for (const auto& [bucket, n] : rate_limited_) {
    out +=
        "codex_rate_limited_total" + Labels({{"bucket", bucket}}) + " " + std::to_string(n) + "\n";
  }
  out += "# HELP codex_build_info Build\n# TYPE codex_build_info gauge\n";
  out += "codex_build_info" + Labels({{"version", version}}) + " 1\n";
  return out;
}

}  // namespace codex::http
