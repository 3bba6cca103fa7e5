// Content types from names (SEMANTICS §5.4) and the binary sniff (§5.5).
#pragma once

#include <string>
#include <string_view>

namespace codex::index {

// The §5.4 rules by name; empty when no rule applies (the caller then sniffs the bytes).
std::string_view ContentTypeFromName(std::string_view filename) noexcept;
// §5.5: a NUL byte within the first 8 KiB of `bytes`.
bool LooksBinary(std::string_view bytes) noexcept;
// ContentTypeFromName, else "application/octet-stream" or "text/plain" by the sniff of `head`.
std::string ContentTypeFor(std::string_view filename, std::string_view head);
// text/markdown or application/x-codex-view (§6).
bool IsFrontmatterCapable(std::string_view content_type) noexcept;
// Whose text goes into the full-text index (§12.1): text/*, application/json, application/xml,
// and the frontmatter-capable types.
bool IsIndexableText(std::string_view content_type) noexcept;

}  // namespace codex::index
