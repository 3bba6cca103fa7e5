#include "query/view_query.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include "common/macros.hpp"
#include "common/strings.hpp"
#include "common/time.hpp"

namespace codex::query {
namespace {

constexpr std::int64_t kMaxLimit = 10000;

// The CONTRACT §2.2 messages of the validation types used here.
Status Invalid(std::string_view type, std::string_view field) {
  std::string message;
  if (type == "list_type") {
    message = "Input should be a valid list";
  } else if (type == "string_type") {
    message = "Input should be a valid string";
  } else if (type == "int_type") {
    message = "Input should be a valid integer";
  } else if (type == "int_parsing") {
    message = "Input should be a valid integer, unable to parse string as an integer";
  } else if (type == "dict_type") {
    message = "Input should be a valid dictionary";
  } else if (type == "datetime_parsing") {
    message = "Input should be a valid datetime";
  }
  return Status::Validation(std::string(type), std::string(field), std::move(message));
}

// The value under `key`, or nullptr when it is absent or null.
const Json* Get(const Json& body, std::string_view key) {
  const Json* v = body.find(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

// Integers as pydantic's lax mode takes them: JSON integers, floats without a fraction, and
// strings holding a decimal integer.
Status ReadInt(const Json& v, std::string_view field, std::int64_t* out) {
  if (v.is_int()) {
    *out = v.as_int();
    return Status::Ok();
  }
  if (v.is_double()) {
    double d = v.as_double();
    if (std::isfinite(d) && d == std::trunc(d) && d >= -9.2e18 && d <= 9.2e18) {
      *out = static_cast<std::int64_t>(d);
      return Status::Ok();
    }
    return Invalid("int_type", field);
  }
  if (v.is_string()) {
    std::string_view s = Trim(v.as_string());
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    if (!s.empty() && ec == std::errc() && ptr == s.data() + s.size()) return Status::Ok();
    return Invalid("int_parsing", field);
  }
  return Invalid("int_type", field);
}

Status ReadString(const Json& v, std::string_view field, std::string* out) {
  if (!v.is_string()) return Invalid("string_type", field);
  *out = v.as_string();
  return Status::Ok();
}

Status ReadStringList(const Json& body, std::string_view key, bool lower,
                      std::vector<std::string>* out) {
  const Json* v = Get(body, key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_array()) return Invalid("list_type", key);
  out->reserve(v->as_array().size());
  for (const Json& item : v->as_array()) {
    if (!item.is_string()) return Invalid("string_type", key);
    out->push_back(lower ? ToLowerUtf8(item.as_string()) : item.as_string());
  }
  return Status::Ok();
}

Status ReadOptionalString(const Json& body, std::string_view key, std::optional<std::string>* out) {
  const Json* v = Get(body, key);
  if (v == nullptr) return Status::Ok();
  std::string s;
  CODEX_RETURN_IF_ERROR(ReadString(*v, key, &s));
  *out = std::move(s);
  return Status::Ok();
}

// A time bound (CONTRACT §1.3), normalised to the FileMeta time format.
Status ReadTime(const Json& body, std::string_view key, std::optional<std::string>* out) {
  const Json* v = Get(body, key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_string()) return Invalid("datetime_parsing", key);
  std::optional<TimePoint> t = ParseTime(v->as_string());
  if (!t) return Invalid("datetime_parsing", key);
  *out = FormatTime(*t);
  return Status::Ok();
}

// A date_after/date_before bound: validated as a time, kept as sent.
Status ReadDateBound(const Json& body, std::string_view key, std::optional<std::string>* out) {
  CODEX_RETURN_IF_ERROR(ReadOptionalString(body, key, out));
  if (*out && !ParseTime(**out)) return Invalid("datetime_parsing", key);
  return Status::Ok();
}

bool IsOperator(std::string_view op) {
  return op == "$gt" || op == "$gte" || op == "$lt" || op == "$lte" || op == "$ne" || op == "$in" ||
         op == "$exists";
}

// An object with a '$' key is an operator object; all of its keys must then be operators.
Status CheckCondition(const Json& condition) {
  if (!condition.is_object()) return Status::Ok();
  bool has_operator = false;
  for (const auto& [key, value] : condition.as_object()) {
    if (!key.empty() && key[0] == '$') has_operator = true;
  }
  if (!has_operator) return Status::Ok();
  for (const auto& [key, value] : condition.as_object()) {
    if (!IsOperator(key)) {
      return Status::Validation("value_error", "properties", "Unknown property operator: " + key);
    }
  }
  return Status::Ok();
}

Status ReadLimits(const Json& body, ViewQuery* q) {
  if (const Json* v = Get(body, "limit")) {
    CODEX_RETURN_IF_ERROR(ReadInt(*v, "limit", &q->limit));
    if (q->limit < 0) {
      return Status::Validation("greater_than_equal", "limit",
                                "Input should be greater than or equal to 0");
    }
    if (q->limit > kMaxLimit) {
      return Status::Validation(
          "less_than_equal", "limit",
          "Input should be less than or equal to " + std::to_string(kMaxLimit));
    }
  }
  if (const Json* v = Get(body, "offset")) {
    CODEX_RETURN_IF_ERROR(ReadInt(*v, "offset", &q->offset));
    if (q->offset < 0) {
      return Status::Validation("greater_than_equal", "offset",
                                "Input should be greater than or equal to 0");
    }
  }
  return Status::Ok();
}

// "<field> [asc|desc]": the field as given (SortFiles treats unknown fields as the default order).
Status ReadSort(const Json& body, ViewQuery* q) {
  const Json* v = Get(body, "sort");
  if (v == nullptr) return Status::Ok();
  std::string sort;
  CODEX_RETURN_IF_ERROR(ReadString(*v, "sort", &sort));
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  std::size_t start = std::string::npos;
  while (i <= sort.size()) {
    std::size_t next = i;
    bool space = i == sort.size() || IsSpace(DecodeUtf8(sort, &next));
    if (space) {
      if (start != std::string::npos)
        parts.push_back(std::string_view(sort).substr(start, i - start));
      start = std::string::npos;
      if (i == sort.size()) break;
    } else if (start == std::string::npos) {
      start = i;
    }
    i = next;
  }
  if (parts.empty()) return Status::Ok();
  q->sort_field = std::string(parts[0]);
  q->sort_desc = parts.size() > 1 && ToLowerAscii(parts[1]) == "desc";
  return Status::Ok();
}

}  // namespace

Result<ViewQuery> ParseViewQuery(const Json& body) {
  ViewQuery q;
  if (body.is_null()) return q;
  if (!body.is_object()) return Invalid("dict_type", "");

  if (const Json* v = Get(body, "notebook_ids")) {
    if (!v->is_array()) return Invalid("list_type", "notebook_ids");
    std::vector<std::int64_t> ids;
    ids.reserve(v->as_array().size());
    for (const Json& item : v->as_array()) {
      std::int64_t id = 0;
      CODEX_RETURN_IF_ERROR(ReadInt(item, "notebook_ids", &id));
      ids.push_back(id);
    }
    q.notebook_ids = std::move(ids);
  }
  CODEX_RETURN_IF_ERROR(ReadStringList(body, "paths", false, &q.paths));
  CODEX_RETURN_IF_ERROR(ReadStringList(body, "tags", true, &q.tags));
  CODEX_RETURN_IF_ERROR(ReadStringList(body, "tags_any", true, &q.tags_any));
  CODEX_RETURN_IF_ERROR(ReadStringList(body, "content_types", false, &q.content_types));
  CODEX_RETURN_IF_ERROR(ReadStringList(body, "file_types", false, &q.file_types));
  if (const Json* v = Get(body, "properties")) {
    if (!v->is_object()) return Invalid("dict_type", "properties");
    for (const auto& [key, condition] : v->as_object()) {
      CODEX_RETURN_IF_ERROR(CheckCondition(condition));
      q.properties.emplace_back(key, condition);
    }
  }
  CODEX_RETURN_IF_ERROR(ReadStringList(body, "properties_exists", false, &q.properties_exists));
  CODEX_RETURN_IF_ERROR(ReadTime(body, "created_after", &q.created_after));
  CODEX_RETURN_IF_ERROR(ReadTime(body, "created_before", &q.created_before));
  CODEX_RETURN_IF_ERROR(ReadTime(body, "modified_after", &q.modified_after));
  CODEX_RETURN_IF_ERROR(ReadTime(body, "modified_before", &q.modified_before));
  CODEX_RETURN_IF_ERROR(ReadOptionalString(body, "date_property", &q.date_property));
  CODEX_RETURN_IF_ERROR(ReadDateBound(body, "date_after", &q.date_after));
  CODEX_RETURN_IF_ERROR(ReadDateBound(body, "date_before", &q.date_before));
  CODEX_RETURN_IF_ERROR(ReadOptionalString(body, "content_search", &q.content_search));
  CODEX_RETURN_IF_ERROR(ReadSort(body, &q));
  CODEX_RETURN_IF_ERROR(ReadLimits(body, &q));
  CODEX_RETURN_IF_ERROR(ReadOptionalString(body, "group_by", &q.group_by));
  // Empty strings select nothing (as the falsy values they were in v1).
  if (q.content_search && q.content_search->empty()) q.content_search.reset();
  if (q.group_by && q.group_by->empty()) q.group_by.reset();
  if (q.date_property && q.date_property->empty()) q.date_property.reset();
  return q;
}

}  // namespace codex::query
