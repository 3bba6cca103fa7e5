// YAML for frontmatter and manifests: YAML 1.1 reading with the safe core (SEMANTICS §6.3) and
// the block-style writer of SEMANTICS §6.2.
#pragma once

#include <string>
#include <string_view>

#include "codex/json.hpp"
#include "codex/status.hpp"

namespace codex::index {

// Parses one YAML document into Json. Plain scalars resolve by the YAML 1.1 rules of §6.3
// (quoted scalars are strings); anchors, aliases and merge keys (<<) are supported; !!binary
// gives its base64 text, !!set a list of its keys; other non-standard explicit tags make the
// document invalid. The result is sanitised per §6.1 step 7 (dates → "YYYY-MM-DD", timestamps →
// ISO text, non-string keys → their text, .nan/.inf → strings). An empty document is null.
// Errors: kInvalidArgument "invalid_yaml", message with line and column.
Result<Json> ParseYaml(std::string_view text);

// The value of one plain (unquoted) scalar under §6.3, after sanitising (timestamps → strings).
Json ResolvePlainScalar(std::string_view text);

// Block-style YAML of an object per §6.2: keys sorted by code point (recursively), strings plain
// when that re-parses to the same string, else single-quoted (or literal blocks for multi-line
// text), no trailing newline. ParseYaml(EmitYaml(o)) gives back o.
std::string EmitYaml(const Json::Object& object);

}  // namespace codex::index
