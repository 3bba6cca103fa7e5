// Path globs (SEMANTICS §13.5): '*' any run of characters including '/', '?' one character,
// [abc] [a-z] [!x] classes; case-sensitive; matches the whole path. Characters are code points.
#pragma once

#include <string_view>

namespace codex {

bool GlobMatch(std::string_view pattern, std::string_view path) noexcept;

}  // namespace codex
