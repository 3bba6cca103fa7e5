// The library version.
#pragma once

#include <string_view>

namespace codex {

inline constexpr std::string_view kVersion = "0.1.0";

}  // namespace codex
