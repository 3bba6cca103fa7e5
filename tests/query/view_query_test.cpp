#include "query/view_query.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "codex/json.hpp"

using codex::Json;
using codex::query::ParseViewQuery;
using codex::query::ViewQuery;

namespace {

Json J(const std::string& text) {
  auto parsed = Json::Parse(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

ViewQuery Parse(const std::string& text) {
  auto q = ParseViewQuery(J(text));
  INFO(text << " → " << q.status().ToString());
  REQUIRE(q.ok());
  return *q;
}

struct ErrorCase {
  const char* body;
  const char* type;
  const char* field;
  const char* message;
};

constexpr const char* kList = "Input should be a valid list";
constexpr const char* kString = "Input should be a valid string";
constexpr const char* kInt = "Input should be a valid integer";
constexpr const char* kIntParsing =
    "Input should be a valid integer, unable to parse string as an integer";
constexpr const char* kDict = "Input should be a valid dictionary";
constexpr const char* kDatetime = "Input should be a valid datetime";
constexpr const char* kGe0 = "Input should be greater than or equal to 0";

}  // namespace

TEST_CASE("An empty view query has the defaults") {
  for (const char* body : {"{}", "null"}) {
    ViewQuery q = Parse(body);
    CHECK_FALSE(q.notebook_ids.has_value());
    CHECK(q.paths.empty());
    CHECK(q.properties.empty());
    CHECK(q.sort_field.empty());
    CHECK_FALSE(q.sort_desc);
    CHECK(q.limit == 100);
    CHECK(q.offset == 0);
    CHECK_FALSE(q.group_by.has_value());
  }
}

TEST_CASE("View query fields are read (CONTRACT 18)") {
  ViewQuery q = Parse(R"({
    "notebook_ids": [3, 1, "7", 2.0],
    "paths": ["notes/*.md", "x?"],
    "tags": ["Lab", "ÉTÉ"],
    "tags_any": ["A"],
    "content_types": ["text/markdown"],
    "file_types": ["note"],
    "properties": {"status": "done", "n": {"$gt": 1, "$lte": 5}, "a.b": [1, 2],
                   "o": {"x": 1}, "e": {"$exists": true}, "i": {"$in": [1]}, "ne": {"$ne": null}},
    "properties_exists": ["status"],
    "created_after": "2024-01-01",
    "created_before": "2024-01-31T12:00:00+02:00",
    "modified_after": "2024-02-01T10:00:00Z",
    "modified_before": "2024-02-01T10:00:00.5",
    "date_property": "due",
    "date_after": "2024-03-01",
    "date_before": "2024-03-31T00:00:00Z",
    "content_search": "Meeting",
    "sort": "  properties.n   DESC ",
    "limit": 5,
    "offset": "2",
    "group_by": "file_type",
    "unknown_key": {"ignored": true}
  })");
  CHECK(*q.notebook_ids == std::vector<std::int64_t>{3, 1, 7, 2});
  CHECK(q.paths == std::vector<std::string>{"notes/*.md", "x?"});
  CHECK(q.tags == std::vector<std::string>{"lab", "été"});
  CHECK(q.tags_any == std::vector<std::string>{"a"});
  CHECK(q.content_types == std::vector<std::string>{"text/markdown"});
  CHECK(q.file_types == std::vector<std::string>{"note"});
  REQUIRE(q.properties.size() == 7);
  CHECK(q.properties[0].first == "status");
  CHECK(q.properties[0].second == Json("done"));
  CHECK(q.properties[2].first == "a.b");
  CHECK(q.properties_exists == std::vector<std::string>{"status"});
  CHECK(*q.created_after == "2024-01-01T00:00:00.000000Z");
  CHECK(*q.created_before == "2024-01-31T10:00:00.000000Z");
  CHECK(*q.modified_after == "2024-02-01T10:00:00.000000Z");
  CHECK(*q.modified_before == "2024-02-01T10:00:00.500000Z");
  CHECK(*q.date_property == "due");
  CHECK(*q.date_after == "2024-03-01");  // as sent
  CHECK(*q.date_before == "2024-03-31T00:00:00Z");
  CHECK(*q.content_search == "Meeting");
  CHECK(q.sort_field == "properties.n");
  CHECK(q.sort_desc);
  CHECK(q.limit == 5);
  CHECK(q.offset == 2);
  CHECK(*q.group_by == "file_type");
}

TEST_CASE("Null values count as absent") {
  ViewQuery q = Parse(R"({"notebook_ids": null, "paths": null, "properties": null,
    "created_after": null, "sort": null, "limit": null, "offset": null, "group_by": null,
    "date_after": null, "content_search": null})");
  CHECK_FALSE(q.notebook_ids.has_value());
  CHECK_FALSE(q.created_after.has_value());
  CHECK(q.limit == 100);
  CHECK(q.offset == 0);
  CHECK_FALSE(q.group_by.has_value());
}

TEST_CASE("Sort strings: field, then asc or desc (SEMANTICS 13.3)") {
  struct SortCase {
    const char* sort;
    const char* field;
    bool desc;
  };
  const SortCase cases[] = {
      {"title", "title", false},
      {"title desc", "title", true},
      {"title DESC", "title", true},
      {"title Desc", "title", true},
      {"title asc", "title", false},
      {"title sideways", "title", false},
      {"\ttitle\n desc", "title", true},
      {"title desc extra", "title", true},
      {"", "", false},
      {"   ", "", false},
      {"properties.due desc", "properties.due", true},
      {"nonsense desc", "nonsense", true},  // unknown: SortFiles uses the default order
  };
  for (const SortCase& c : cases) {
    INFO("sort=" << c.sort);
    Json body = Json(codex::JsonObject{{"sort", Json(c.sort)}});
    auto q = ParseViewQuery(body);
    REQUIRE(q.ok());
    CHECK(q->sort_field == c.field);
    CHECK(q->sort_desc == c.desc);
  }
}

TEST_CASE("Empty strings select nothing") {
  ViewQuery q = Parse(R"({"content_search": "", "group_by": "", "date_property": ""})");
  CHECK_FALSE(q.content_search.has_value());
  CHECK_FALSE(q.group_by.has_value());
  CHECK_FALSE(q.date_property.has_value());
}

TEST_CASE("Invalid view queries are validation errors (CONTRACT 2.2)") {
  // clang-format off
  const ErrorCase cases[] = {
      {"[]", "dict_type", "", kDict},
      {"\"x\"", "dict_type", "", kDict},
      {R"({"notebook_ids": 1})", "list_type", "notebook_ids", kList},
      {R"({"notebook_ids": ["x"]})", "int_parsing", "notebook_ids", kIntParsing},
      {R"({"notebook_ids": [1.5]})", "int_type", "notebook_ids", kInt},
      {R"({"notebook_ids": [true]})", "int_type", "notebook_ids", kInt},
      {R"({"notebook_ids": [null]})", "int_type", "notebook_ids", kInt},
      {R"({"paths": "a"})", "list_type", "paths", kList},
      {R"({"paths": [1]})", "string_type", "paths", kString},
      {R"({"tags": {}})", "list_type", "tags", kList},
      {R"({"tags_any": [null]})", "string_type", "tags_any", kString},
      {R"({"content_types": [true]})", "string_type", "content_types", kString},
      {R"({"file_types": "note"})", "list_type", "file_types", kList},
      {R"({"properties": []})", "dict_type", "properties", kDict},
      {R"({"properties": "x"})", "dict_type", "properties", kDict},
      {R"({"properties": {"n": {"$foo": 1}}})", "value_error", "properties",
       "Unknown property operator: $foo"},
      {R"({"properties": {"n": {"$gt": 1, "$regex": "x"}}})", "value_error", "properties",
       "Unknown property operator: $regex"},
      {R"({"properties": {"n": {"$eq": 1}}})", "value_error", "properties",
       "Unknown property operator: $eq"},
      {R"({"properties": {"n": {"$": 1}}})", "value_error", "properties",
       "Unknown property operator: $"},
      {R"({"properties": {"n": {"$gt": 1, "plain": 2}}})", "value_error", "properties",
       "Unknown property operator: plain"},
      {R"({"properties_exists": "a"})", "list_type", "properties_exists", kList},
      {R"({"created_after": "yesterday"})", "datetime_parsing", "created_after", kDatetime},
      {R"({"created_before": "2024-02-30"})", "datetime_parsing", "created_before", kDatetime},
      {R"({"modified_after": 1700000000})", "datetime_parsing", "modified_after", kDatetime},
      {R"({"modified_before": "2024-01-01T25:00:00"})", "datetime_parsing", "modified_before",
       kDatetime},
      {R"({"date_property": 1})", "string_type", "date_property", kString},
      {R"({"date_after": "soon"})", "datetime_parsing", "date_after", kDatetime},
      {R"({"date_before": 20240101})", "string_type", "date_before", kString},
      {R"({"content_search": ["x"]})", "string_type", "content_search", kString},
      {R"({"sort": 1})", "string_type", "sort", kString},
      {R"({"limit": -1})", "greater_than_equal", "limit", kGe0},
      {R"({"limit": 10001})", "less_than_equal", "limit",
       "Input should be less than or equal to 10000"},
      {R"({"limit": "many"})", "int_parsing", "limit", kIntParsing},
      {R"({"limit": [1]})", "int_type", "limit", kInt},
      {R"({"offset": -5})", "greater_than_equal", "offset", kGe0},
      {R"({"offset": 0.5})", "int_type", "offset", kInt},
      {R"({"group_by": 3})", "string_type", "group_by", kString},
  };
  // clang-format on
  for (const ErrorCase& c : cases) {
    INFO("body=" << c.body);
    auto q = ParseViewQuery(J(c.body));
    REQUIRE_FALSE(q.ok());
    CHECK(q.status().code() == codex::Code::kValidation);
    CHECK(q.status().reason() == c.type);
    CHECK(q.status().field() == c.field);
    CHECK(q.status().message() == c.message);
  }
}

TEST_CASE("Limits at the edges are accepted") {
  CHECK(Parse(R"({"limit": 0})").limit == 0);
  CHECK(Parse(R"({"limit": 10000})").limit == 10000);
  CHECK(Parse(R"({"limit": 10.0})").limit == 10);
  CHECK(Parse(R"({"offset": 123456789})").offset == 123456789);
}

TEST_CASE("Nested operator-looking objects inside arrays are plain values") {
  ViewQuery q = Parse(R"({"properties": {"k": [{"$foo": 1}], "o": {"a": {"$foo": 1}}}})");
  CHECK(q.properties.size() == 2);
}
