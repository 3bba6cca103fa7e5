// Tags from properties and inline #words (SEMANTICS §6.5).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/json.hpp"

namespace codex::index {

// §6.5 normalisation: trim, drop one leading '#', trim, Unicode lower-case; nullopt when empty
// or longer than 100 characters.
std::optional<std::string> NormalizeTag(std::string_view raw);
// The merged `tags` property: array → each scalar item as text; string → split on ','; other
// types ignored. `value` may be null (no property). Normalised, not yet de-duplicated.
std::vector<std::string> TagsFromProperty(const Json* value);
// Inline #tags of a markdown body (outside fenced code, code spans, HTML comments and URLs).
// Normalised, not yet de-duplicated.
std::vector<std::string> InlineTags(std::string_view markdown_body);
// Union, de-duplicated, sorted by code point.
std::vector<std::string> MergeTags(std::vector<std::string> a, const std::vector<std::string>& b);

}  // namespace codex::index
