// Field validation with the contract's 422 types and messages (CONTRACT §2.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "codex/status.hpp"

namespace codex {

// string_too_short / string_too_long, counted in characters (code points).
Status CheckLength(std::string_view value, std::size_t min, std::size_t max,
                   const std::string& field);
// greater_than_equal / less_than_equal.
Status CheckRange(std::int64_t value, std::int64_t min, std::int64_t max, const std::string& field);

}  // namespace codex
