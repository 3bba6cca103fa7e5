// Time values in the contract's one format: RFC 3339 UTC with six fraction digits and "Z".
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace codex {

using TimePoint = std::chrono::system_clock::time_point;
using Clock = std::function<TimePoint()>;

// "2026-11-21T10:00:00.123456Z".
std::string FormatTime(TimePoint t);
std::string FormatTimeNs(std::int64_t unix_ns);
// Nanoseconds since the Unix epoch.
std::int64_t ToUnixNs(TimePoint t) noexcept;
// Time inputs (CONTRACT §1.3): RFC 3339 with "Z" or an offset, or naive
// "YYYY-MM-DD[THH:MM:SS[.ffffff]]" taken as UTC. nullopt when invalid.
std::optional<TimePoint> ParseTime(std::string_view text);
// Calendar fields of `t` in the process's local time zone (templates use the local date).
struct LocalDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;
};
LocalDate ToLocalDate(TimePoint t);
// UTC calendar date and time "YYYY-MM-DD", "HHMMSS".
std::string FormatUtcDate(TimePoint t);
std::string FormatUtcCompactTime(TimePoint t);

}  // namespace codex
