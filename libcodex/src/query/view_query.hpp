// The dynamic-view query (CONTRACT §18, SEMANTICS §13): parsing and validation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "codex/json.hpp"
#include "codex/status.hpp"

namespace codex::query {

struct ViewQuery {
  std::optional<std::vector<std::int64_t>> notebook_ids;
  std::vector<std::string> paths;                        // globs, any
  std::vector<std::string> tags;                         // all (lower-cased)
  std::vector<std::string> tags_any;                     // at least one (lower-cased)
  std::vector<std::string> content_types;                // membership
  std::vector<std::string> file_types;                   // membership
  std::vector<std::pair<std::string, Json>> properties;  // key → condition, validated
  std::vector<std::string> properties_exists;
  // Time bounds normalised to the contract format (RFC 3339 UTC, 6 digits, Z), so they compare
  // as text with FileMeta times.
  std::optional<std::string> created_after, created_before;
  std::optional<std::string> modified_after, modified_before;
  std::optional<std::string> date_property;
  std::optional<std::string> date_after, date_before;  // as sent (validated as ISO dates/times)
  std::optional<std::string> content_search;
  std::string sort_field;  // empty = default order (notebook_id, id)
  bool sort_desc = false;
  std::int64_t limit = 100;  // 0..10000
  std::int64_t offset = 0;   // ≥ 0
  std::optional<std::string> group_by;
};

// Unknown keys are ignored; `null` values count as absent. Errors: kValidation with the
// CONTRACT §2.2 type ("list_type", "string_type", "int_type", "dict_type", "datetime_parsing",
// "greater_than_equal", "less_than_equal", "value_error" for "Unknown property operator: $x"),
// field = the key ("sort", "properties", …).
Result<ViewQuery> ParseViewQuery(const Json& body);

}  // namespace codex::query
