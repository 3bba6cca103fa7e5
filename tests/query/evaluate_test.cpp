#include "query/evaluate.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "codex/files.hpp"
#include "codex/json.hpp"
#include "query/view_query.hpp"

using codex::FileMeta;
using codex::Json;
using codex::query::Assemble;
using codex::query::GroupKey;
using codex::query::Matches;
using codex::query::ParseViewQuery;
using codex::query::SortFiles;
using codex::query::ViewQuery;

namespace {

Json J(const std::string& text) {
  auto parsed = Json::Parse(text);
  INFO(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

ViewQuery Q(const std::string& text) {
  auto q = ParseViewQuery(J(text));
  INFO(text << " → " << q.status().ToString());
  REQUIRE(q.ok());
  return *q;
}

FileMeta File(std::int64_t id, std::string path, const std::string& properties = "null",
              std::int64_t notebook_id = 1) {
  FileMeta f;
  f.id = id;
  f.notebook_id = notebook_id;
  f.path = std::move(path);
  f.filename = f.path.substr(f.path.rfind('/') + 1);
  f.content_type = "text/markdown";
  f.properties = J(properties);
  f.created_at = "2024-01-01T00:00:00.000000Z";
  f.updated_at = "2024-01-01T00:00:00.000000Z";
  f.file_modified_at = "2024-01-01T00:00:00.000000Z";
  return f;
}

FileMeta WithProps(const std::string& properties) { return File(1, "a.md", properties); }

std::vector<std::string> Paths(const std::vector<FileMeta>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.path);
  return out;
}

struct PropertyCase {
  const char* condition;   // JSON of the condition for key "k"
  const char* properties;  // the file's properties object (or null)
  bool match;
};

}  // namespace

TEST_CASE("Property conditions (SEMANTICS 13.2)") {
  // clang-format off
  const PropertyCase cases[] = {
      // scalar: present and equal, by JSON type
      {R"("done")", R"({"k": "done"})", true},
      {R"("done")", R"({"k": "Done"})", false},  // case-sensitive
      {R"("done")", R"({})", false},
      {R"("done")", "null", false},
      {R"("1")", R"({"k": 1})", false},
      {R"(1)", R"({"k": 1})", true},
      {R"(1)", R"({"k": 1.0})", true},  // numbers numerically
      {R"(1.0)", R"({"k": 1})", true},
      {R"(1)", R"({"k": true})", false},
      {R"(true)", R"({"k": true})", true},
      {R"(true)", R"({"k": 1})", false},
      {R"(false)", R"({"k": false})", true},
      {R"(false)", R"({})", false},
      // null matches a missing or null property
      {R"(null)", R"({})", true},
      {R"(null)", "null", true},
      {R"(null)", R"({"k": null})", true},
      {R"(null)", R"({"k": 0})", false},
      {R"(null)", R"({"k": ""})", false},
      // an array property matches a scalar operand when any element matches
      {R"("b")", R"({"k": ["a", "b"]})", true},
      {R"("c")", R"({"k": ["a", "b"]})", false},
      {R"(2)", R"({"k": [1, 2.0]})", true},
      // array condition: equal to any element
      {R"(["a", "b"])", R"({"k": "b"})", true},
      {R"(["a", "b"])", R"({"k": "c"})", false},
      {R"([1, "x"])", R"({"k": 1.0})", true},
      {R"(["x", "y"])", R"({"k": ["y", "z"]})", true},
      {R"([[1, 2]])", R"({"k": [1, 2]})", true},
      {R"([])", R"({"k": "a"})", false},
      {R"([null])", R"({})", true},
      // object without $ keys: deep equality, key order ignored, numbers by value
      {R"({"a": 1, "b": [1, 2]})", R"({"k": {"b": [1, 2.0], "a": 1}})", true},
      {R"({"a": 1})", R"({"k": {"a": 1, "b": 2}})", false},
      {R"({})", R"({"k": {}})", true},
      {R"({})", R"({})", false},
      // $gt $gte $lt $lte: numbers numerically, strings by code point, else no match
      {R"({"$gt": 1})", R"({"k": 2})", true},
      {R"({"$gt": 1})", R"({"k": 1})", false},
      {R"({"$gt": 1})", R"({"k": 1.5})", true},
      {R"({"$gte": 1})", R"({"k": 1.0})", true},
      {R"({"$lt": 1})", R"({"k": 0.5})", true},
      {R"({"$lt": 1})", R"({"k": 1})", false},
      {R"({"$lte": 1})", R"({"k": 1})", true},
      {R"({"$lte": 1})", R"({"k": 2})", false},
      {R"({"$gt": 9007199254740992})", R"({"k": 9007199254740993})", true},
      {R"({"$gt": "2024-01-01"})", R"({"k": "2024-02-01"})", true},
      {R"({"$gt": "2024-01-01"})", R"({"k": "2023-12-31"})", false},
      {R"({"$lt": "b"})", R"({"k": "B"})", true},  // 'B' < 'b' by code point
      {R"({"$gt": "z"})", R"({"k": "é"})", true},  // U+00E9 > 'z'
      {R"({"$gt": 1})", R"({"k": "2"})", false},   // mixed types: no match
      {R"({"$gt": "1"})", R"({"k": 2})", false},
      {R"({"$gt": false})", R"({"k": true})", false},
      {R"({"$gt": 1})", R"({})", false},
      {R"({"$gt": 1})", R"({"k": null})", false},
      {R"({"$lt": 1})", R"({"k": null})", false},
      {R"({"$gt": null})", R"({"k": 1})", false},
      {R"({"$gt": 5})", R"({"k": [1, 7]})", true},  // any element of an array property
      {R"({"$gt": 5})", R"({"k": [1, 2]})", false},
      // several operators must all hold
      {R"({"$gt": 1, "$lt": 5})", R"({"k": 3})", true},
      {R"({"$gt": 1, "$lt": 5})", R"({"k": 5})", false},
      {R"({"$gte": "2024-01-01", "$lte": "2024-12-31"})", R"({"k": "2024-06-15"})", true},
      // $ne: not equal; a missing property matches
      {R"({"$ne": "a"})", R"({"k": "b"})", true},
      {R"({"$ne": "a"})", R"({"k": "a"})", false},
      {R"({"$ne": "a"})", R"({})", true},
      {R"({"$ne": "a"})", "null", true},
      {R"({"$ne": 1})", R"({"k": 1.0})", false},
      {R"({"$ne": "a"})", R"({"k": ["a", "b"]})", false},
      {R"({"$ne": null})", R"({})", false},
      {R"({"$ne": null})", R"({"k": 0})", true},
      // $in: equal to any element
      {R"({"$in": ["a", "b"]})", R"({"k": "a"})", true},
      {R"({"$in": ["a", "b"]})", R"({"k": "c"})", false},
      {R"({"$in": [1, 2]})", R"({"k": 2.0})", true},
      {R"({"$in": ["x"]})", R"({"k": ["w", "x"]})", true},
      {R"({"$in": [null]})", R"({})", true},
      {R"({"$in": []})", R"({"k": 1})", false},
      {R"({"$in": "a"})", R"({"k": "a"})", true},  // a non-list operand is one value
      // $exists
      {R"({"$exists": true})", R"({"k": 0})", true},
      {R"({"$exists": true})", R"({"k": false})", true},
      {R"({"$exists": true})", R"({"k": null})", false},
      {R"({"$exists": true})", R"({})", false},
      {R"({"$exists": false})", R"({})", true},
      {R"({"$exists": false})", R"({"k": null})", true},
      {R"({"$exists": false})", R"({"k": "x"})", false},
      {R"({"$exists": true, "$ne": "x"})", R"({"k": "y"})", true},
  };
  // clang-format on
  for (const PropertyCase& c : cases) {
    INFO("condition=" << c.condition << " properties=" << c.properties);
    ViewQuery q = Q(std::string(R"({"properties": {"k": )") + c.condition + "}}");
    CHECK(Matches(q, WithProps(c.properties)) == c.match);
  }
}

TEST_CASE("Property keys are top-level names; a dot is literal") {
  ViewQuery q = Q(R"({"properties": {"a.b": 1}})");
  CHECK(Matches(q, WithProps(R"({"a.b": 1})")));
  CHECK_FALSE(Matches(q, WithProps(R"({"a": {"b": 1}})")));
  ViewQuery two = Q(R"({"properties": {"a": 1, "b": "x"}})");
  CHECK(Matches(two, WithProps(R"({"a": 1, "b": "x"})")));
  CHECK_FALSE(Matches(two, WithProps(R"({"a": 1, "b": "y"})")));
}

TEST_CASE("properties_exists: each key present and not null") {
  ViewQuery q = Q(R"({"properties_exists": ["a", "b"]})");
  CHECK(Matches(q, WithProps(R"({"a": 0, "b": ""})")));
  CHECK(Matches(q, WithProps(R"({"a": false, "b": []})")));
  CHECK_FALSE(Matches(q, WithProps(R"({"a": 1})")));
  CHECK_FALSE(Matches(q, WithProps(R"({"a": 1, "b": null})")));
  CHECK_FALSE(Matches(q, WithProps("null")));
}

TEST_CASE("Other conditions (SEMANTICS 13.5)") {
  SECTION("paths: any glob, '*' crosses '/', case-sensitive") {
    ViewQuery q = Q(R"({"paths": ["notes/*.md", "2024-??.txt"]})");
    CHECK(Matches(q, File(1, "notes/a.md")));
    CHECK(Matches(q, File(1, "notes/deep/b.md")));
    CHECK(Matches(q, File(1, "2024-01.txt")));
    CHECK_FALSE(Matches(q, File(1, "Notes/a.md")));
    CHECK_FALSE(Matches(q, File(1, "other/a.md")));
    CHECK(Matches(Q(R"({"paths": []})"), File(1, "x")));  // an empty list filters nothing
  }
  SECTION("created/modified bounds are inclusive and normalised") {
    FileMeta f = File(1, "a.md");
    f.created_at = "2024-03-10T12:00:00.000000Z";
    f.file_modified_at = "2024-05-01T08:30:00.250000Z";
    CHECK(Matches(Q(R"({"created_after": "2024-03-10T12:00:00Z"})"), f));
    CHECK(Matches(Q(R"({"created_before": "2024-03-10T12:00:00Z"})"), f));
    CHECK(Matches(Q(R"({"created_after": "2024-03-10"})"), f));
    CHECK_FALSE(Matches(Q(R"({"created_before": "2024-03-10"})"), f));
    CHECK(Matches(Q(R"({"created_before": "2024-03-10T14:00:00+02:00"})"), f));
    CHECK_FALSE(Matches(Q(R"({"created_before": "2024-03-10T13:59:59+02:00"})"), f));
    CHECK_FALSE(Matches(Q(R"({"created_after": "2024-03-10T12:00:00.000001"})"), f));
    CHECK(Matches(Q(R"({"modified_after": "2024-05-01T08:30:00.25Z"})"), f));
    CHECK(Matches(Q(R"({"modified_before": "2024-05-01T08:30:00.25Z"})"), f));
    CHECK_FALSE(Matches(Q(R"({"modified_after": "2024-05-01T08:30:00.26Z"})"), f));
    CHECK_FALSE(Matches(Q(R"({"modified_before": "2024-05-01T10:30:00.24+02:00"})"), f));
    CHECK(Matches(Q(R"({"modified_after": "2024-01-01", "modified_before": "2024-12-31"})"), f));
  }
  SECTION("date_property compares the string value with the bounds as sent") {
    ViewQuery q = Q(R"({"date_property": "due", "date_after": "2024-03-01",
                        "date_before": "2024-03-31"})");
    CHECK(Matches(q, WithProps(R"({"due": "2024-03-01"})")));
    CHECK(Matches(q, WithProps(R"({"due": "2024-03-15T10:00"})")));
    CHECK(Matches(q, WithProps(R"({"due": "2024-03-31"})")));
    CHECK_FALSE(Matches(q, WithProps(R"({"due": "2024-03-31T09:00"})")));  // text order
    CHECK_FALSE(Matches(q, WithProps(R"({"due": "2024-02-29"})")));
    CHECK_FALSE(Matches(q, WithProps(R"({"due": 20240315})")));  // must be a string
    CHECK_FALSE(Matches(q, WithProps(R"({"due": ["2024-03-15"]})")));
    CHECK_FALSE(Matches(q, WithProps(R"({})")));
    ViewQuery after_only = Q(R"({"date_property": "due", "date_after": "2024-03-01"})");
    CHECK(Matches(after_only, WithProps(R"({"due": "2099-01-01"})")));
    CHECK_FALSE(Matches(after_only, WithProps(R"({"due": "2024-02-01"})")));
    // Without a bound there is nothing to compare.
    CHECK(Matches(Q(R"({"date_property": "due"})"), WithProps(R"({})")));
  }
  SECTION("content_search: case-folded substring of title or description") {
    FileMeta f = File(1, "a.md");
    f.title = "Weekly MEETING notes";
    f.description = "Straße und Café";
    CHECK(Matches(Q(R"({"content_search": "meeting"})"), f));
    CHECK(Matches(Q(R"({"content_search": "eekly mee"})"), f));
    CHECK(Matches(Q(R"({"content_search": "CAFÉ"})"), f));
    CHECK(Matches(Q(R"({"content_search": "STRASSE"})"), f));  // full case folding ß → ss
    CHECK(Matches(Q(R"({"content_search": "straße"})"), f));
    CHECK_FALSE(Matches(Q(R"({"content_search": "cafe"})"), f));
    CHECK_FALSE(Matches(Q(R"({"content_search": "a.md"})"), f));  // not the path
    FileMeta greek = File(2, "g.md");
    greek.title = "ΟΔΥΣΣΕΥΣ";
    CHECK(Matches(Q(R"({"content_search": "οδυσσευς"})"), greek));  // final sigma folds
    FileMeta none = File(3, "n.md");  // null title and description never match
    CHECK_FALSE(Matches(Q(R"({"content_search": "n"})"), none));
  }
  SECTION("content_types and file_types: exact membership; null file_type never matches") {
    FileMeta md = File(1, "a.md");
    md.file_type = "note";
    FileMeta png = File(2, "b.png");
    png.content_type = "image/png";
    CHECK(Matches(Q(R"({"content_types": ["text/markdown", "text/plain"]})"), md));
    CHECK_FALSE(Matches(Q(R"({"content_types": ["text/markdown"]})"), png));
    CHECK_FALSE(Matches(Q(R"({"content_types": ["TEXT/MARKDOWN"]})"), md));
    CHECK(Matches(Q(R"({"file_types": ["note"]})"), md));
    CHECK_FALSE(Matches(Q(R"({"file_types": ["Note"]})"), md));
    CHECK_FALSE(Matches(Q(R"({"file_types": ["note"]})"), png));
  }
  SECTION("tags (all) and tags_any (any), lower-cased") {
    FileMeta f = File(1, "a.md");
    f.tags = {"biology", "lab", "été"};
    CHECK(Matches(Q(R"({"tags": ["LAB", "Biology"]})"), f));
    CHECK(Matches(Q(R"({"tags": ["ÉTÉ"]})"), f));
    CHECK_FALSE(Matches(Q(R"({"tags": ["lab", "physics"]})"), f));
    CHECK(Matches(Q(R"({"tags_any": ["physics", "Lab"]})"), f));
    CHECK_FALSE(Matches(Q(R"({"tags_any": ["physics", "chemistry"]})"), f));
    CHECK(Matches(Q(R"({"tags": ["lab"], "tags_any": ["x", "biology"]})"), f));
    CHECK_FALSE(Matches(Q(R"({"tags": ["lab"], "tags_any": ["x", "y"]})"), f));
    CHECK_FALSE(Matches(Q(R"({"tags": ["lab"]})"), File(2, "b.md")));
    FileMeta upper = File(3, "c.md");
    upper.tags = {"Lab"};  // rows are normalised, but the comparison is lower-cased anyway
    CHECK(Matches(Q(R"({"tags": ["lab"]})"), upper));
  }
  SECTION("all conditions together (AND)") {
    FileMeta f = File(1, "notes/a.md", R"({"status": "done", "n": 3})");
    f.tags = {"lab"};
    f.title = "Report";
    ViewQuery q = Q(R"({"paths": ["notes/*"], "tags": ["lab"], "content_search": "rep",
                        "properties": {"status": "done", "n": {"$gte": 3}}})");
    CHECK(Matches(q, f));
    f.properties = J(R"({"status": "done", "n": 2})");
    CHECK_FALSE(Matches(q, f));
  }
}

TEST_CASE("Sorting (SEMANTICS 13.3)") {
  SECTION("default order: notebook_id, then id") {
    std::vector<FileMeta> files = {File(2, "b", "null", 2), File(3, "a", "null", 1),
                                   File(1, "c", "null", 2), File(1, "d", "null", 1)};
    SortFiles(Q("{}"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"d", "a", "c", "b"});
    SortFiles(Q(R"({"sort": "no_such_field desc"})"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"d", "a", "c", "b"});
  }
  SECTION("missing/null last in both directions; ties by notebook_id, then path") {
    std::vector<FileMeta> files = {
        File(1, "n1", R"({})", 1),        File(2, "b", R"({"p": 2})", 2),
        File(3, "a", R"({"p": 2.0})", 2), File(4, "z", R"({"p": 1})", 1),
        File(5, "n0", "null", 1),         File(6, "c", R"({"p": null})", 1),
        File(7, "y", R"({"p": 10})", 1),  File(8, "a", R"({"p": 2})", 1)};
    SortFiles(Q(R"({"sort": "properties.p"})"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"z", "a", "a", "b", "y", "c", "n0", "n1"});
    CHECK(files[1].notebook_id == 1);
    CHECK(files[2].notebook_id == 2);
    SortFiles(Q(R"({"sort": "properties.p DESC"})"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"y", "a", "a", "b", "z", "c", "n0", "n1"});
    CHECK(files[1].notebook_id == 1);
  }
  SECTION("cross-type order: numbers < strings < booleans < arrays/objects") {
    std::vector<FileMeta> files = {
        File(1, "obj", R"({"p": {"a": 1}})"), File(2, "true", R"({"p": true})"),
        File(3, "str", R"({"p": "10"})"),     File(4, "arr", R"({"p": [1]})"),
        File(5, "num", R"({"p": 100})"),      File(6, "false", R"({"p": false})"),
        File(7, "null", R"({"p": null})"),    File(8, "str2", R"({"p": "9"})"),
        File(9, "neg", R"({"p": -1.5})"),     File(10, "arr2", R"({"p": [0, 1]})")};
    SortFiles(Q(R"({"sort": "properties.p"})"), &files);
    // arrays/objects by compact JSON text: "[0,1]" < "[1]" < "{\"a\":1}"
    CHECK(Paths(files) == std::vector<std::string>{"neg", "num", "str", "str2", "false", "true",
                                                   "arr2", "arr", "obj", "null"});
    SortFiles(Q(R"({"sort": "properties.p desc"})"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"obj", "arr", "arr2", "true", "false", "str2",
                                                   "str", "num", "neg", "null"});
  }
  SECTION("strings by code point") {
    std::vector<FileMeta> files = {File(1, "é"), File(2, "z"),    File(3, "Z"),
                                   File(4, "a"), File(5, "🧪"), File(6, "\u00ff")};
    SortFiles(Q(R"({"sort": "path"})"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"Z", "a", "z", "é", "\u00ff", "🧪"});
  }
  SECTION("columns") {
    auto make = [](std::int64_t id, const char* path, std::int64_t size, const char* title,
                   const char* modified) {
      FileMeta f = File(id, path);
      f.size = size;
      if (title != nullptr) f.title = title;
      f.file_modified_at = modified;
      return f;
    };
    std::vector<FileMeta> files = {make(1, "a", 300, "beta", "2024-01-02T00:00:00.000000Z"),
                                   make(2, "b", 20, nullptr, "2023-12-31T23:59:59.999999Z"),
                                   make(3, "c", 1000, "Alpha", "2024-01-01T00:00:00.000000Z")};
    SortFiles(Q(R"({"sort": "size"})"), &files);  // numerically, not as text
    CHECK(Paths(files) == std::vector<std::string>{"b", "a", "c"});
    SortFiles(Q(R"({"sort": "size desc"})"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"c", "a", "b"});
    SortFiles(Q(R"({"sort": "title"})"), &files);  // null title last
    CHECK(Paths(files) == std::vector<std::string>{"c", "a", "b"});
    SortFiles(Q(R"({"sort": "title desc"})"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"a", "c", "b"});
    SortFiles(Q(R"({"sort": "file_modified_at"})"), &files);  // chronologically
    CHECK(Paths(files) == std::vector<std::string>{"b", "c", "a"});
    SortFiles(Q(R"({"sort": "id desc"})"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"c", "b", "a"});
    SortFiles(Q(R"({"sort": "path desc"})"), &files);
    CHECK(Paths(files) == std::vector<std::string>{"c", "b", "a"});
    SortFiles(Q(R"({"sort": "file_type"})"), &files);  // all null: ties by notebook, path
    CHECK(Paths(files) == std::vector<std::string>{"a", "b", "c"});
    for (const char* column :
         {"id", "path", "filename", "title", "description", "content_type", "file_type", "size",
          "created_at", "updated_at", "file_modified_at"}) {
      INFO(column);
      std::vector<FileMeta> copy = files;
      SortFiles(Q(std::string(R"({"sort": ")") + column + " desc\"}"), &copy);
      CHECK(copy.size() == 3);
    }
  }
}

TEST_CASE("Group keys (SEMANTICS 13.4)") {
  FileMeta f = File(42, "notes/a.md",
                    R"({"s": "x", "e": "", "i": 3, "d": 2.5, "w": 2.0, "b": true, "f": false,
                        "n": null, "a": [1, "x", null], "o": {"k": [true]}, "big": 1e16})",
                    7);
  f.title = "Title";
  f.description = "";
  f.size = 1234;
  f.created_at = "2024-01-01T10:00:00.000000Z";
  struct GroupCase {
    const char* group_by;
    const char* key;
  };
  const GroupCase cases[] = {
      {"title", "Title"},
      {"description", "undefined"},  // empty
      {"file_type", "undefined"},    // null
      {"path", "notes/a.md"},
      {"filename", "a.md"},
      {"content_type", "text/markdown"},
      {"size", "1234"},
      {"id", "42"},
      {"notebook_id", "7"},
      {"created_at", "2024-01-01T10:00:00.000000Z"},
      {"no_such_column", "undefined"},
      {"properties", "undefined"},
      {"properties.missing", "undefined"},
      {"properties.n", "undefined"},
      {"properties.s", "x"},
      {"properties.e", ""},
      {"properties.i", "3"},
      {"properties.d", "2.5"},
      {"properties.w", "2.0"},
      {"properties.big", "1e+16"},
      {"properties.b", "true"},
      {"properties.f", "false"},
      {"properties.a", R"([1,"x",null])"},
      {"properties.o", R"({"k":[true]})"},
  };
  for (const GroupCase& c : cases) {
    INFO("group_by=" << c.group_by);
    CHECK(GroupKey(f, c.group_by) == c.key);
  }
  CHECK(GroupKey(File(1, "x.md", "null"), "properties.s") == "undefined");
}

TEST_CASE("Pagination and grouping (SEMANTICS 13.4)") {
  auto corpus = [] {
    std::vector<FileMeta> files;
    const char* status[] = {"b", "a", "b", "c", "a", "b", "a"};
    for (int i = 0; i < 7; ++i) {
      files.push_back(
          File(i + 1, "f" + std::to_string(i + 1), std::string(R"({"s": ")") + status[i] + "\"}"));
    }
    return files;
  };
  SECTION("without group_by: a page of the sorted result") {
    auto r = Assemble(Q(R"({"limit": 3, "offset": 2})"), corpus());
    CHECK(r.total == 7);
    CHECK(r.limit == 3);
    CHECK(r.offset == 2);
    CHECK_FALSE(r.grouped);
    CHECK(r.groups.empty());
    CHECK(Paths(r.files) == std::vector<std::string>{"f3", "f4", "f5"});
    CHECK(Paths(Assemble(Q(R"({"limit": 3, "offset": 5})"), corpus()).files) ==
          std::vector<std::string>{"f6", "f7"});
    CHECK(Assemble(Q(R"({"offset": 7})"), corpus()).files.empty());
    CHECK(Assemble(Q(R"({"offset": 1000000})"), corpus()).files.empty());
    CHECK(Assemble(Q(R"({"limit": 0})"), corpus()).files.empty());
    CHECK(Assemble(Q("{}"), corpus()).files.size() == 7);
    CHECK(Assemble(Q("{}"), {}).total == 0);
  }
  SECTION("with group_by: groups in order of first occurrence, each sliced") {
    auto r = Assemble(Q(R"({"group_by": "properties.s"})"), corpus());
    CHECK(r.grouped);
    CHECK(r.files.empty());
    CHECK(r.total == 7);
    REQUIRE(r.groups.size() == 3);
    CHECK(r.groups[0].first == "b");
    CHECK(r.groups[1].first == "a");
    CHECK(r.groups[2].first == "c");
    CHECK(Paths(r.groups[0].second) == std::vector<std::string>{"f1", "f3", "f6"});
    CHECK(Paths(r.groups[1].second) == std::vector<std::string>{"f2", "f5", "f7"});
    CHECK(Paths(r.groups[2].second) == std::vector<std::string>{"f4"});

    auto sliced = Assemble(Q(R"({"group_by": "properties.s", "limit": 1, "offset": 1})"), corpus());
    CHECK(sliced.total == 7);
    CHECK(sliced.limit == 1);
    CHECK(sliced.offset == 1);
    REQUIRE(sliced.groups.size() == 3);  // a group whose slice is empty is still listed
    CHECK(Paths(sliced.groups[0].second) == std::vector<std::string>{"f3"});
    CHECK(Paths(sliced.groups[1].second) == std::vector<std::string>{"f5"});
    CHECK(sliced.groups[2].second.empty());

    auto undefined = Assemble(Q(R"({"group_by": "file_type"})"), corpus());
    REQUIRE(undefined.groups.size() == 1);
    CHECK(undefined.groups[0].first == "undefined");
    CHECK(undefined.groups[0].second.size() == 7);
  }
  SECTION("the whole pipeline: filter, sort globally, group") {
    std::vector<FileMeta> all = corpus();
    ViewQuery q = Q(R"({"properties": {"s": {"$ne": "c"}}, "sort": "path desc",
                        "group_by": "properties.s", "limit": 2})");
    std::vector<FileMeta> kept;
    for (auto& f : all) {
      if (Matches(q, f)) kept.push_back(std::move(f));
    }
    SortFiles(q, &kept);
    auto r = Assemble(q, std::move(kept));
    CHECK(r.total == 6);
    REQUIRE(r.groups.size() == 2);
    CHECK(r.groups[0].first == "a");  // f7 comes first in descending path order
    CHECK(Paths(r.groups[0].second) == std::vector<std::string>{"f7", "f5"});
    CHECK(Paths(r.groups[1].second) == std::vector<std::string>{"f6", "f3"});
  }
}

TEST_CASE("Sorting a shuffled corpus gives the same order as a reference sort") {
  std::vector<FileMeta> files;
  const char* values[] = {R"(1)", R"(2.5)", R"("a")", R"("B")", R"(true)", R"([1])", R"(null)"};
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7FFF;
  };
  for (int i = 0; i < 2000; ++i) {
    std::string props = std::string(R"({"p": )") + values[next() % 7] + "}";
    if (next() % 10 == 0) props = "{}";
    files.push_back(File(i + 1, "f" + std::to_string(next() % 500), props, 1 + next() % 4));
  }
  auto rank = [](const FileMeta& f) {
    const Json* p = f.properties.find("p");
    if (p == nullptr || p->is_null()) return 4;
    if (p->is_number()) return 0;
    if (p->is_string()) return 1;
    if (p->is_bool()) return 2;
    return 3;
  };
  for (bool desc : {false, true}) {
    INFO("desc=" << desc);
    std::vector<FileMeta> sorted = files;
    SortFiles(Q(desc ? R"({"sort": "properties.p desc"})" : R"({"sort": "properties.p"})"),
              &sorted);
    REQUIRE(sorted.size() == files.size());
    for (std::size_t n = 1; n < sorted.size(); ++n) {
      const FileMeta& a = sorted[n - 1];
      const FileMeta& b = sorted[n];
      int ra = rank(a), rb = rank(b);
      INFO("n=" << n << " a=" << a.properties.Dump() << " b=" << b.properties.Dump());
      if (ra == 4 || rb == 4) {
        REQUIRE(ra <= rb);  // nulls last in both directions
      } else if (ra != rb) {
        REQUIRE((desc ? ra > rb : ra < rb));
      }
      bool same = ra == rb && (ra == 4 || *a.properties.find("p") == *b.properties.find("p"));
      if (same) {
        bool tie_ok = a.notebook_id < b.notebook_id ||
                      (a.notebook_id == b.notebook_id &&
                       (a.path < b.path || (a.path == b.path && a.id < b.id)));
        REQUIRE(tie_ok);
      }
    }
  }
  // The default order leaves an already ordered input as it is, and orders a shuffled one.
  std::vector<FileMeta> by_id = files;
  SortFiles(Q("{}"), &by_id);
  for (std::size_t n = 1; n < by_id.size(); ++n) {
    REQUIRE((by_id[n - 1].notebook_id < by_id[n].notebook_id ||
             (by_id[n - 1].notebook_id == by_id[n].notebook_id && by_id[n - 1].id < by_id[n].id)));
  }
  std::vector<FileMeta> again = by_id;
  SortFiles(Q("{}"), &again);
  CHECK(Paths(again) == Paths(by_id));
}
