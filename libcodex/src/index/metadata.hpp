// Row fields from merged metadata (SEMANTICS §6.4).
#pragma once

#include <optional>
#include <string>

#include "codex/json.hpp"

namespace codex::index {

// §6.4.1 "as text": strings as is, numbers in shortest JSON form, true/false, arrays and objects
// as compact JSON; nullopt for null or absent.
std::optional<std::string> AsText(const Json* value);

// Later sources override earlier ones key by key (shallow).
void MergeInto(Json::Object* merged, const Json::Object& source);

}  // namespace codex::index
