// The JSON shapes of CONTRACT §27 and the error bodies of §2.
#include "codex/wire.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using codex::Json;

namespace {

std::vector<std::string> Keys(const Json& j) {
  std::vector<std::string> out;
  for (const auto& [k, v] : j.as_object()) out.push_back(k);
  return out;
}

}  // namespace

TEST_CASE("shapes keep the contract's key order") {
  codex::Workspace ws;
  ws.role = codex::Role::kEditor;
  CHECK(Keys(codex::wire::ToJson(ws)) ==
        std::vector<std::string>{"id", "name", "slug", "path", "owner_id", "theme_setting",
                                 "created_at", "updated_at", "role"});
  CHECK(codex::wire::ToJson(ws).find("role")->as_string() == "editor");
  CHECK(Keys(codex::wire::ToJson(codex::Notebook{})) ==
        std::vector<std::string>{"id", "slug", "name", "path", "description", "created_at",
                                 "updated_at"});
  codex::FileMeta f;
  f.sidecar_path = "x.json";  // index-only fields stay out of the wire shape
  f.problems = {"p"};
  Json file = codex::wire::ToJson(f, "File created successfully");
  CHECK(Keys(file).back() == "message");
  CHECK(file.find("sidecar_path") == nullptr);
  CHECK(file.find("problems") == nullptr);
  CHECK(file.find("title")->is_null());
  codex::SearchHit hit;
  hit.file_id = 7;
  Json h = codex::wire::ToJson(hit);
  CHECK(h.find("id")->as_int() == 7);
  CHECK(Keys(h).front() == "file_id");
  codex::SearchResults r;
  r.notebook_id = 3;
  r.notebook_slug = "nb";
  CHECK(Keys(codex::wire::SearchJson(r, "q")) ==
        std::vector<std::string>{"query", "workspace_id", "workspace_slug", "notebook_id",
                                 "notebook_slug", "results", "total", "limit", "offset"});
  codex::Folder folder;
  folder.files.push_back(f);
  Json ff = codex::wire::ToJson(folder).find("files")->as_array().at(0);
  CHECK(ff.find("hash") == nullptr);
  CHECK(Keys(codex::wire::FolderInfoJson(folder)).size() == 12);
}

TEST_CASE("events: file changes, resync and lifecycle lines") {
  codex::Event e;
  e.workspace_id = 2;
  e.notebook_id = 5;
  e.kind = codex::EventKind::kMoved;
  e.path = "b.md";
  e.old_path = "a.md";
  e.file_id = 9;
  e.timestamp = "2026-11-22T10:00:00.000000Z";
  CHECK(Keys(codex::wire::EventJson(e)) ==
        std::vector<std::string>{"type", "notebook_id", "event_type", "event", "path", "file_path",
                                 "old_path", "file_id", "timestamp"});
  e.kind = codex::EventKind::kResync;
  CHECK(codex::wire::EventJson(e).Dump() == R"({"type":"resync","notebook_id":5})");
  e.kind = codex::EventKind::kNotebookDeleted;
  CHECK(codex::wire::EventJson(e).Dump() ==
        R"({"type":"notebook_deleted","workspace_id":2,"notebook_id":5,)"
        R"("timestamp":"2026-11-22T10:00:00.000000Z"})");
  e.kind = codex::EventKind::kAccessRemoved;
  e.user_id = 4;
  CHECK(Keys(codex::wire::EventJson(e)).back() == "user_id");
  CHECK(codex::EndsStream(e, false, 4));
  CHECK_FALSE(codex::EndsStream(e, true, 3));  // somebody else lost access
  e.kind = codex::EventKind::kNotebookDeleted;
  CHECK(codex::EndsStream(e, true, 4));
  CHECK_FALSE(codex::EndsStream(e, false, 4));  // a workspace stream outlives one notebook
  e.kind = codex::EventKind::kWorkspaceDeleted;
  CHECK(codex::EndsStream(e, false, 4));
  e.kind = codex::EventKind::kCreated;
  CHECK_FALSE(codex::EndsStream(e, true, 4));
}

TEST_CASE("error bodies: detail and code; validation lists") {
  Json e =
      codex::wire::ErrorJson(codex::Status::NotFound("file_not_found", "File not found"), "r1");
  CHECK(e.Dump() == R"({"detail":"File not found","code":"file_not_found","request_id":"r1"})");
  Json v = codex::wire::ErrorJson(
      codex::Status::Validation("value_error", "q",
                                "Search query needs at least one term to match"),
      "", "query");
  CHECK(
      v.Dump() ==
      R"({"detail":[{"type":"value_error","loc":["query","q"],"msg":"Value error, Search query needs at least one term to match","input":null}],"code":"validation_error"})");
  Json email = codex::wire::ErrorJson(codex::Status::Validation(
      "value_error", "email",
      "value is not a valid email address: An email address must have an @-sign."));
  CHECK(email.find("detail")->as_array().at(0).find("msg")->as_string() ==
        "value is not a valid email address: An email address must have an @-sign.");
}

TEST_CASE("human text: tables and records") {
  Json rows = Json(Json::Array{
      Json(Json::Object{{"id", 1}, {"name", "a"}, {"tags", Json(Json::Array{"x", "y"})}}),
      Json(Json::Object{{"id", 22}, {"name", Json()}, {"tags", Json(Json::Array{})}})});
  CHECK(codex::wire::HumanText(rows) == "id  name  tags\n1   a     x, y\n22  -     -\n");
  CHECK(codex::wire::HumanText(rows, {"name"}) == "name\na\n-\n");
  CHECK(codex::wire::HumanText(Json(Json::Array{})) == "(none)\n");
  CHECK(codex::wire::HumanText(Json(Json::Object{{"k", "v"}, {"long_key", 2}})) ==
        "k:        v\nlong_key: 2\n");
}

// The HTTP replies write FileMeta as text without the tree: the bytes must be the tree's.
TEST_CASE("FileMeta written straight to text equals the tree's Dump, hostile strings included") {
  const std::vector<std::string> hostile = {
      "", "plain", "quote\"back\\slash", std::string("nul\0byte", 8), "\x01\x1f\x7f control",
      "tab\tnew\nline\rret", "é ü 漢字 🧪", "\xe2\x80\xa8 line separator", "</script>",
      std::string(300, 'x') + "\"", "8 bytes!\"8 bytes!\\"};
  int n = 0;
  for (const auto& s : hostile) {
    codex::FileMeta f;
    f.id = ++n;
    f.notebook_id = 9;
    f.path = "dir/" + s;
    f.filename = s;
    f.content_type = "text/markdown";
    f.size = n * 1000003;
    f.hash = s;
    f.title = s;
    if (n % 2 == 0) f.description = s;
    if (n % 3 == 0) f.file_type = s;
    f.properties = Json(Json::Object{{"k", s}, {"n", 1.5 * n}, {"list", Json(Json::Array{s, n})}});
    f.created_at = f.updated_at = f.file_modified_at = "2026-11-22T00:00:00.000000Z";
    f.tags = {s, "t"};
    if (n % 2 == 1) f.last_commit_hash = s;
    INFO("case " << n);
    CHECK(codex::wire::ToJsonText(f) == codex::wire::ToJson(f).Dump());
    CHECK(codex::wire::ToJsonText(f, s) == codex::wire::ToJson(f, s).Dump());
    auto parsed = Json::Parse(codex::wire::ToJsonText(f));
    REQUIRE(parsed.ok());
    CHECK(parsed->find("title")->as_string() == s);
  }
}
