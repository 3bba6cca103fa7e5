#include "index/metadata.hpp"

namespace codex::index {

std::optional<std::string> AsText(const Json* value) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_string()) return value->as_string();
  if (value->is_bool()) return std::string(value->as_bool() ? "true" : "false");
  return value->Dump();
}

void MergeInto(Json::Object* merged, const Json::Object& source) {
  for (const auto& [key, value] : source) merged->set(key, value);
}

}  // namespace codex::index
