// Compact JSON text written straight into a string: the writer behind Json::Dump, also used to
// encode hot shapes (FileMeta) without building a Json tree first. Same bytes as Dump.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/json.hpp"

namespace codex::wire {

// A string as Dump writes it: UTF-8 kept, '"' '\\' and control characters escaped.
void AppendString(std::string* out, std::string_view text);
void AppendInt(std::string* out, std::int64_t value);
void AppendJson(std::string* out, const Json& value);  // compact, as Json::Dump

// An object's members written as text. A shape written once as a template over its writer
// (`out.Field(key, value)` in key order) gives both this text and a Json tree (encode.cpp).
// Not thread-safe; `out` must outlive the writer. Close() once, after the last field.
class TextWriter {
 public:
  explicit TextWriter(std::string* out) : out_(out) { out_->push_back('{'); }
  void Field(std::string_view key, std::int64_t value) {
    Key(key);
    AppendInt(out_, value);
  }
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    AppendString(out_, value);
  }
  void Field(std::string_view key, const std::string& value) {
    Field(key, std::string_view(value));
  }
  void Field(std::string_view key, const std::optional<std::string>& value) {
    if (value) return Field(key, std::string_view(*value));
    Key(key);
    out_->append("null");
  }
  void Field(std::string_view key, const std::vector<std::string>& values);
  void Field(std::string_view key, const Json& value) {
    Key(key);
    AppendJson(out_, value);
  }
  void Close() { out_->push_back('}'); }

 private:
  // Keys are the shapes' own names (ASCII, nothing to escape): written as they are.
  void Key(std::string_view key) {
    if (!first_) out_->push_back(',');
    first_ = false;
    out_->push_back('"');
    out_->append(key);
    out_->push_back('"');
    out_->push_back(':');
  }
  std::string* out_;
  bool first_ = true;
};

}  // namespace codex::wire
