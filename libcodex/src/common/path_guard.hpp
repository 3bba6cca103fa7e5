// The one guard for every user-supplied path (SEMANTICS §2): relative only, canonical, no
// escape above the notebook root (lexically or through symlinks), .codex/ and .git/ unreachable.
#pragma once

#include <string>
#include <string_view>

#include "codex/status.hpp"

namespace codex {

enum class PathKind { kFile, kFolder };
enum class PathError { kNone, kMalformed, kEscape, kForbidden };

// Steps 1–6: UTF-8 without NUL, not absolute, '.' and empty segments dropped, '..' pops
// (escape when nothing is left to pop), segment ≤ 255 bytes, whole ≤ 4096, no segment .codex or
// .git (compared case-insensitively), files need a non-empty result. Writes the canonical
// relative path ("" = root) to *out.
PathError CanonicalizeLexical(std::string_view input, PathKind kind, std::string* out);

// Step 7: the longest existing prefix of root/rel, symlinks followed, stays under `root` (an
// absolute, symlink-free directory) by path components, and does not resolve into .codex/ or
// .git/; a final symlink must resolve under root too (dangling = escape).
PathError CheckContainment(const std::string& root, const std::string& rel);

// The contract status of an error: malformed → kInvalidArgument "invalid_path" ("Invalid file
// path" / "Invalid folder path"); escape or forbidden → kPermissionDenied "path_forbidden".
Status PathErrorStatus(PathError error, PathKind kind);

// All steps; the canonical relative path.
Result<std::string> GuardPath(const std::string& root, std::string_view input, PathKind kind);

// True when a canonical relative path has a segment equal to .codex or .git (any case).
bool HasForbiddenSegment(std::string_view rel) noexcept;

}  // namespace codex
