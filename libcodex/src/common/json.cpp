// codex::Json value semantics (parsing lives in wire/, which owns the JSON parser).
#include "codex/json.hpp"

#include <algorithm>

namespace codex {

const Json* JsonObject::find(std::string_view key) const noexcept {
  for (const auto& item : items_) {
    if (item.first == key) return &item.second;
  }
  return nullptr;
}

Json* JsonObject::find(std::string_view key) noexcept {
  for (auto& item : items_) {
    if (item.first == key) return &item.second;
  }
  return nullptr;
}

Json& JsonObject::operator[](std::string_view key) {
  if (Json* found = find(key)) return *found;
  items_.emplace_back(std::string(key), Json());
  return items_.back().second;
}

void JsonObject::set(std::string key, Json value) {
  if (Json* found = find(key)) {
    *found = std::move(value);
    return;
  }
  items_.emplace_back(std::move(key), std::move(value));
}

bool JsonObject::erase(std::string_view key) {
  auto it = std::find_if(items_.begin(), items_.end(),
                         [&](const value_type& item) { return item.first == key; });
  if (it == items_.end()) return false;
  items_.erase(it);
  return true;
}

bool operator==(const JsonObject& a, const JsonObject& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [key, value] : a) {
    const Json* other = b.find(key);
    if (other == nullptr || !(*other == value)) return false;
  }
  return true;
}

double Json::as_double() const {
  if (is_int()) return static_cast<double>(as_int());
  return std::get<double>(v_);
}

const Json* Json::find(std::string_view key) const noexcept {
  if (!is_object()) return nullptr;
  return as_object().find(key);
}

bool operator==(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
    return a.as_double() == b.as_double();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::Type::kNull:
      return true;
    case Json::Type::kBool:
      return a.as_bool() == b.as_bool();
    case Json::Type::kString:
      return a.as_string() == b.as_string();
    case Json::Type::kArray:
      return a.as_array() == b.as_array();
    case Json::Type::kObject:
      return a.as_object() == b.as_object();
    case Json::Type::kInt:
    case Json::Type::kDouble:
      break;  // handled above
  }
  return false;
}

}  // namespace codex
