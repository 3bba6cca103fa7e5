// Template pattern expansion (SEMANTICS §11.3).
#pragma once

#include <string>
#include <string_view>

#include "common/time.hpp"

namespace codex::files {

// Replaces {yyyy} {yy} {mm} {dd} {month} {mon} (the local date of `now`) and {title}, in that
// order, as plain case-sensitive substrings. Other spellings stay as written.
std::string ExpandTemplate(std::string_view pattern, std::string_view title, TimePoint now);

}  // namespace codex::files
