// Number formatting shared by the JSON and YAML writers.
#pragma once

#include <cstdint>
#include <string>

namespace codex {

// Shortest round-trip text of a double in Python's repr() style: "1.0", "0.0001", "1e+16",
// "1.5e-05". Non-finite values give "nan", "inf", "-inf".
std::string FormatDouble(double value);
std::string FormatInt(std::int64_t value);

}  // namespace codex
