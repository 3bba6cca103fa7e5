// Internals of the YAML reader and writer, private to index/: YAML 1.1 plain-scalar resolution
// (SEMANTICS §6.3) with hand-written matchers (no std::regex), and the two parse paths.
#pragma once

#include <string>
#include <string_view>

#include "codex/json.hpp"
#include "codex/status.hpp"

namespace codex::index::yaml_detail {

// The §6.3 type whose pattern a plain scalar matches (kString when none does).
enum class PlainKind { kNull, kBool, kInt, kFloat, kTimestamp, kString };
PlainKind ClassifyPlain(std::string_view text) noexcept;

// The sanitised value (§6.1 step 7) of `text` read as `kind`. False when the text matches the
// pattern but has no value (a calendar date that does not exist, "0x_", "."): PyYAML rejects
// such documents, and so does ParseYaml.
bool ConstructPlain(PlainKind kind, std::string_view text, Json* out);

// Explicit tags: the value of `text` under !!int, !!float, !!bool, !!timestamp, !!binary.
bool ConstructTaggedInt(std::string_view text, Json* out);
bool ConstructTaggedFloat(std::string_view text, Json* out);
bool ConstructTaggedBool(std::string_view text, Json* out);
bool ConstructTaggedTimestamp(std::string_view text, Json* out);
// Canonical base64 of the bytes a !!binary scalar decodes to (whitespace and stray characters
// dropped, as Python's base64.decodebytes); false when the padding is wrong.
bool CanonicalBase64(std::string_view text, std::string* out);

// The text of a mapping key after resolution: strings as is, null/true/false, numbers in
// shortest form.
std::string KeyText(const Json& key);

// ParseYaml is a fast path for the common frontmatter shape, then yaml-cpp for everything else.
// The fast path takes a flat block mapping of one-line entries (plain keys; plain, simple quoted
// or flat flow-sequence values; block sequences of such scalars; comment and blank lines) and
// returns false on anything else,
// including anything it would have to reject, so yaml-cpp reports the error. Both paths give
// the same value (tests compare them).
bool ParseFlatMapping(std::string_view text, Json* out);
Result<Json> ParseWithYamlCpp(std::string_view text);

}  // namespace codex::index::yaml_detail
