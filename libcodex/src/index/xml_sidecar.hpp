// XML sidecars as JSON objects (SEMANTICS §6.8).
#pragma once

#include <optional>
#include <string_view>

#include "codex/json.hpp"

namespace codex::index {

// The root element's children as an object (§6.8); nullopt when the XML does not parse.
// No DTD or external entity is processed.
std::optional<Json> XmlSidecarToJson(std::string_view xml);

}  // namespace codex::index
