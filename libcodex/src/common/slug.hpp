// Slugs (SEMANTICS §3) and unique paths (SEMANTICS §4).
#pragma once

#include <string>
#include <string_view>

namespace codex {

// slugify(name, fallback): lower-case; keep letters, numbers, '_', white space and '-'; runs of
// white space and '-' become one '-'; trim '-'; empty → fallback; digits only → "<d>-<fallback>".
std::string Slugify(std::string_view name, std::string_view fallback);
// The snippet filename slug (CONTRACT §25): keep letters, digits, ' ', '-', '_'; trim; each
// space → '-'; lower-case.
std::string SnippetSlug(std::string_view title);
// "-" + 8 lower-case hex characters from the CSPRNG.
std::string SlugSuffix();

// The n-th (n ≥ 1) unique-path candidate for `path`: "<dir>/<stem>-<n><ext>", where ext starts
// at the last '.' of the basename unless that dot is its first or last character.
std::string UniquePathCandidate(std::string_view path, int n);

}  // namespace codex
