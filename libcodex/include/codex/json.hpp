// codex::Json: the JSON value used for file properties, folder metadata and view queries.
// Objects keep insertion order (the wire contract emits keys in a given order).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "codex/status.hpp"

namespace codex {

class Json;

// An insertion-ordered JSON object. Lookups are linear: objects here are small.
class JsonObject {
 public:
  using value_type = std::pair<std::string, Json>;
  using iterator = std::vector<value_type>::iterator;
  using const_iterator = std::vector<value_type>::const_iterator;

  JsonObject() = default;
  JsonObject(std::initializer_list<value_type> items);

  iterator begin() noexcept { return items_.begin(); }
  iterator end() noexcept { return items_.end(); }
  const_iterator begin() const noexcept { return items_.begin(); }
  const_iterator end() const noexcept { return items_.end(); }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }

  // nullptr when absent. The pointer is valid until the object is next modified.
  const Json* find(std::string_view key) const noexcept;
  Json* find(std::string_view key) noexcept;
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }
  // The value under `key`, appended as null when absent.
  Json& operator[](std::string_view key);
  // Replaces the value in place, or appends the key at the end.
  void set(std::string key, Json value);
  bool erase(std::string_view key);

  // Order-insensitive deep equality (numbers compare by value: 1 == 1.0).
  friend bool operator==(const JsonObject& a, const JsonObject& b);

 private:
  std::vector<value_type> items_;
};

class Json {
 public:
  enum class Type : std::uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  using Array = std::vector<Json>;
  using Object = JsonObject;

  Json() noexcept = default;
  Json(std::nullptr_t) noexcept {}                            // NOLINT: implicit by design
  Json(bool b) noexcept : v_(b) {}                            // NOLINT
  Json(int i) noexcept : v_(static_cast<std::int64_t>(i)) {}  // NOLINT
  Json(std::int64_t i) noexcept : v_(i) {}                    // NOLINT
  Json(double d) noexcept : v_(d) {}                          // NOLINT
  Json(const char* s) : v_(std::string(s)) {}                 // NOLINT
  Json(std::string s) noexcept : v_(std::move(s)) {}          // NOLINT
  Json(std::string_view s) : v_(std::string(s)) {}            // NOLINT
  Json(Array a) noexcept : v_(std::move(a)) {}                // NOLINT
  Json(Object o) noexcept : v_(std::move(o)) {}               // NOLINT

  Type type() const noexcept { return static_cast<Type>(v_.index()); }
  bool is_null() const noexcept { return type() == Type::kNull; }
  bool is_bool() const noexcept { return type() == Type::kBool; }
  bool is_int() const noexcept { return type() == Type::kInt; }
  bool is_double() const noexcept { return type() == Type::kDouble; }
  bool is_number() const noexcept { return is_int() || is_double(); }
  bool is_string() const noexcept { return type() == Type::kString; }
  bool is_array() const noexcept { return type() == Type::kArray; }
  bool is_object() const noexcept { return type() == Type::kObject; }

  // Precondition for each accessor: the matching is_*() (as_double also accepts ints).
  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  double as_double() const;
  const std::string& as_string() const { return std::get<std::string>(v_); }
  std::string& as_string() { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Member lookup; nullptr when this is not an object or the key is absent.
  const Json* find(std::string_view key) const noexcept;

  // Deep equality; numbers compare by value (1 == 1.0), objects ignore key order.
  friend bool operator==(const Json& a, const Json& b);

  // Strict RFC 8259 parse of UTF-8 text; nesting deeper than 128 levels is refused.
  // Errors: kInvalidArgument, reason "json_invalid", message the parser's text.
  static Result<Json> Parse(std::string_view text);
  // Compact text: {"a":1,"b":[true,null]}. Non-ASCII is written as UTF-8, not escaped.
  std::string Dump() const;
  // Two-space indented text as Python's json.dumps(indent=2, ensure_ascii=False), no final newline.
  std::string DumpPretty() const;

 private:
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> v_;
};

inline JsonObject::JsonObject(std::initializer_list<value_type> items) : items_(items) {}

}  // namespace codex
