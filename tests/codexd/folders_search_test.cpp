// Folders, tags, search and dynamic-view queries over HTTP (CONTRACT §15–§18).
#include <catch2/catch.hpp>
#include <regex>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

using J = Json;
using O = Json::Object;
using Strings = std::vector<std::string>;

std::string Code(const HttpResponse& r) {
  auto parsed = Json::Parse(r.body);
  const Json* code = parsed.ok() ? parsed->find("code") : nullptr;
  return code != nullptr && code->is_string() ? code->as_string() : "";
}
// The first validation error of a 422 as "type loc".
std::string Invalid(const HttpResponse& r) {
  INFO(r.Describe());
  REQUIRE(r.status == 422);
  const Json e = At(r.json(), "detail").as_array().at(0);
  return At(e, "type").as_string() + " " + At(e, "loc").Dump();
}
Strings Keys(const Json& object) {
  Strings out;
  for (const auto& [k, v] : object.as_object()) out.push_back(k);
  return out;
}
// `key` of each element of the array `list`, as text.
Strings Column(const Json& list, std::string_view key) {
  Strings out;
  for (const auto& item : list.as_array()) {
    const Json v = At(item, key);
    out.push_back(v.is_string() ? v.as_string() : v.Dump());
  }
  return out;
}

struct Fixture {
  Daemon d;
  std::string token = d.AddUser("alice");
  HttpClient http = d.Client();
  NotebookFixture nb = AddNotebook(http, token, "Lab", "Notes");
  NotebookFixture other;  // a second notebook in the same workspace

  Fixture() {
    auto r = http.Post(nb.ws_url + "/notebooks/", J(O{{"name", "Other"}}), token);
    REQUIRE(r.status == 200);
    other = nb;
    other.notebook_id = At(r.json(), "id").as_int();
    other.url = nb.ws_url + "/notebooks/" + std::to_string(other.notebook_id);
    other.dir = nb.dir.parent_path() / At(r.json(), "path").as_string();
  }
  std::int64_t Create(const NotebookFixture& where, const std::string& path,
                      const std::string& content) {
    auto r = http.Post(where.url + "/files/", J(O{{"path", path}, {"content", content}}), token);
    INFO(path << " " << r.Describe());
    REQUIRE(r.status == 200);
    return At(r.json(), "id").as_int();
  }
  HttpResponse Get(const std::string& target) { return http.Get(target, token); }
  HttpResponse Query(const std::string& params, const Json& body) {
    return http.Post("/api/v1/query/" + params, body, token);
  }
};

TEST_CASE("codexd folders: root under both spellings, nested listing, pagination",
          "[codexd][folders]") {
  Fixture f;
  for (const std::string p : {"a.md", "docs/b.md", "docs/c.md", "docs/sub/d.md",
                              "docs/.hidden/e.md", "alpha/x.md", "Zeta/y.md"}) {
    f.Create(f.nb, p, "# " + p);
  }
  std::filesystem::create_directories(f.nb.dir / "empty");
  for (const std::string root : {"/folders", "/folders/"}) {
    INFO(root);
    auto r = f.Get(f.nb.url + root);
    REQUIRE(r.status == 200);
    Json folder = r.json();
    CHECK(Keys(folder) == Strings{"path", "name", "notebook_id", "notebook_slug", "workspace_id",
                                  "workspace_slug", "title", "description", "properties",
                                  "file_count", "files", "subfolders", "pagination", "created_at",
                                  "updated_at"});
    CHECK(At(folder, "path").as_string() == "");
    CHECK(At(folder, "name").as_string() == "");
    CHECK(At(folder, "properties").is_null());
    for (const char* key : {"created_at", "updated_at"}) {
      CHECK(std::regex_match(At(folder, key).as_string(),
                             std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
    }
    CHECK(Column(At(folder, "files"), "path") == Strings{"a.md"});
    CHECK(Column(At(folder, "subfolders"), "name") == Strings{"alpha", "docs", "empty", "Zeta"});
    CHECK(Keys(At(folder, "files").as_array().at(0)) ==
          Strings{"id", "notebook_id", "path", "filename", "content_type", "size", "title",
                  "description", "properties", "created_at", "updated_at", "tags"});
  }
  auto docs = f.Get(f.nb.url + "/folders/docs");
  REQUIRE(docs.status == 200);
  CHECK(At(docs.json(), "name").as_string() == "docs");
  CHECK(Column(At(docs.json(), "files"), "filename") == Strings{"b.md", "c.md"});
  CHECK(Column(At(docs.json(), "subfolders"), "path") == Strings{"docs/sub"});
  auto page = f.Get(f.nb.url + "/folders/docs/?skip=1&limit=1");
  CHECK(Column(At(page.json(), "files"), "filename") == Strings{"c.md"});
  CHECK(At(page.json(), "file_count").as_int() == 2);
  CHECK(At(page.json(), "pagination").Dump() ==
        R"({"skip":1,"limit":1,"total":2,"has_more":false})");
  CHECK(Column(At(f.Get(f.nb.url + "/folders/docs%2Fsub").json(), "files"), "path") ==
        Strings{"docs/sub/d.md"});
  CHECK(f.Get(f.nb.url + "/folders/docs/.hidden").status == 200);  // addressable, not listed

  auto file = f.Get(f.nb.url + "/folders/docs/b.md");
  CHECK(file.status == 400);
  CHECK(Code(file) == "not_a_folder");
  auto none = f.Get(f.nb.url + "/folders/nope");
  CHECK(none.status == 404);
  CHECK(Code(none) == "folder_not_found");
  CHECK(f.Get(f.nb.url + "/folders?skip=-1").status == 422);
}

TEST_CASE("codexd folders: a notebook whose directory is gone is 404 notebook_path_missing",
          "[codexd][folders]") {
  Fixture f;
  std::int64_t id = f.Create(f.nb, "a.md", "#tag text");
  f.Create(f.other, "b.md", "text");
  std::filesystem::rename(f.nb.dir, f.nb.dir.string() + "-gone");
  for (const std::string& tail : Strings{"/files/", "/files/" + std::to_string(id),
                                         "/files/path/a.md", "/folders", "/folders/x", "/tags"}) {
    INFO(tail);
    auto r = f.Get(f.nb.url + tail);
    CHECK(r.status == 404);
    CHECK(Code(r) == "notebook_path_missing");
  }
  CHECK(Code(f.http.Post(f.nb.url + "/files", J(O{{"path", "n.md"}, {"content", ""}}), f.token)) ==
        "notebook_path_missing");
  // Workspace-wide reads skip it.
  CHECK(Column(At(f.Get(f.nb.ws_url + "/search?q=text").json(), "results"), "path") ==
        Strings{"b.md"});
  CHECK(At(f.Query("?workspace_id=" + std::to_string(f.nb.workspace_id), J(O{})).json(), "total")
            .as_int() == 1);
}

TEST_CASE("codexd folders: PUT writes .metadata, DELETE removes the tree", "[codexd][folders]") {
  Fixture f;
  f.Create(f.nb, "docs/b.md", "b");
  std::int64_t deep = f.Create(f.nb, "docs/sub/d.md", "d");
  auto put = f.http.Put(f.nb.url + "/folders/docs",
                        J(O{{"properties", J(O{{"title", "Docs"}, {"color", "red"}})}}), f.token);
  REQUIRE(put.status == 200);
  CHECK(Keys(put.json()) == Strings{"path", "name", "notebook_id", "notebook_slug", "workspace_id",
                                    "workspace_slug", "title", "description", "properties",
                                    "file_count", "created_at", "updated_at"});
  CHECK(At(put.json(), "title").as_string() == "Docs");
  CHECK(At(put.json(), "description").is_null());
  CHECK(At(put.json(), "properties").Dump() == R"({"color":"red","title":"Docs"})");
  CHECK(ReadFile(f.nb.dir / "docs/.metadata") == "---\ncolor: red\ntitle: Docs\n---");
  // .metadata is folder metadata, never a file row.
  CHECK(Column(At(f.Get(f.nb.url + "/folders/docs").json(), "files"), "filename") ==
        Strings{"b.md"});
  CHECK(Column(At(f.Get(f.nb.url + "/files/").json(), "files"), "filename") ==
        Strings{"b.md", "d.md"});
  CHECK(Column(At(f.Get(f.nb.url + "/folders").json(), "subfolders"), "title") == Strings{"Docs"});
  auto root =
      f.http.Put(f.nb.url + "/folders/", J(O{{"properties", J(O{{"title", "Root"}})}}), f.token);
  REQUIRE(root.status == 200);
  CHECK(At(root.json(), "path").as_string() == "");
  CHECK(At(f.Get(f.nb.url + "/folders").json(), "title").as_string() == "Root");
  CHECK(Invalid(f.http.Put(f.nb.url + "/folders/docs", J(O{}), f.token)) ==
        R"(missing ["body","properties"])");
  CHECK(f.http.Put(f.nb.url + "/folders/docs", J(O{{"properties", 3}}), f.token).status == 422);
  CHECK(Code(f.http.Put(f.nb.url + "/folders/nope", J(O{{"properties", J(O{})}}), f.token)) ==
        "folder_not_found");

  auto del = f.http.Delete(f.nb.url + "/folders/docs/sub", f.token);
  REQUIRE(del.status == 200);
  CHECK(del.body == R"({"message":"Folder deleted successfully"})");
  CHECK(!std::filesystem::exists(f.nb.dir / "docs/sub"));
  CHECK(std::filesystem::exists(f.nb.dir / "docs/b.md"));
  CHECK(f.Get(f.nb.url + "/files/" + std::to_string(deep)).status == 404);
  for (const std::string root_url : {"/folders", "/folders/"}) {
    auto r = f.http.Delete(f.nb.url + root_url, f.token);
    CHECK(r.status == 400);
    CHECK(Code(r) == "root_folder");
  }
  CHECK(Code(f.http.Delete(f.nb.url + "/folders/docs/sub", f.token)) == "folder_not_found");
  CHECK(Code(f.http.Delete(f.nb.url + "/folders/docs/b.md", f.token)) == "not_a_folder");
  CHECK(std::filesystem::exists(f.nb.dir / ".git"));
}

TEST_CASE("codexd folders: tags per notebook and workspace, colours", "[codexd][folders]") {
  Fixture f;
  std::int64_t a = f.Create(f.nb, "a.md", "---\ntags: [Lab, ml]\n---\nx");
  f.Create(f.nb, "b.md", "inline #lab here");
  f.Create(f.nb, "c.txt", "#nottag in plain text");
  f.Create(f.other, "d.md", "---\ntags: lab, data\n---\n");
  auto tags = f.Get(f.nb.url + "/tags");
  REQUIRE(tags.status == 200);
  CHECK(tags.body ==
        R"([{"name":"lab","color":null,"count":2},{"name":"ml","color":null,"count":1}])");
  auto set = f.http.Patch(f.nb.url + "/tags/%20LAB%20", J(O{{"color", "#AABBCC"}}), f.token);
  REQUIRE(set.status == 200);
  CHECK(set.body == R"({"name":"lab","color":"#aabbcc","count":2})");
  CHECK(f.Get(f.nb.ws_url + "/tags").body ==
        R"([{"name":"data","color":null,"count":1},{"name":"lab","color":"#aabbcc","count":3},)"
        R"({"name":"ml","color":null,"count":1}])");
  CHECK(Code(f.http.Patch(f.nb.url + "/tags/data", J(O{{"color", "#000000"}}), f.token)) ==
        "tag_not_found");
  CHECK(f.http.Patch(f.nb.url + "/tags/lab", J(O{{"color", "red"}}), f.token).status == 422);
  CHECK(Invalid(f.http.Patch(f.nb.url + "/tags/lab", J(O{}), f.token)) ==
        R"(missing ["body","color"])");
  // The colour survives while the tag is unused.
  REQUIRE(f.http.Delete(f.nb.url + "/files/" + std::to_string(a), f.token).status == 200);
  REQUIRE(
      f.http
          .Put(f.nb.url + "/files/" + std::to_string(a + 1), J(O{{"content", "no tags"}}), f.token)
          .status == 200);
  CHECK(f.Get(f.nb.url + "/tags").body == "[]");
  f.Create(f.nb, "e.md", "#lab again");
  CHECK(f.Get(f.nb.url + "/tags").body == R"([{"name":"lab","color":"#aabbcc","count":1}])");
  auto cleared = f.http.Patch(f.nb.url + "/tags/lab", J(O{{"color", nullptr}}), f.token);
  CHECK(cleared.body == R"({"name":"lab","color":null,"count":1})");
}

TEST_CASE("codexd search: workspace and notebook search, paging, filters", "[codexd][search]") {
  Fixture f;
  f.Create(f.nb, "docs/enzyme.md", "---\ntitle: Enzyme kinetics\ntags: [bio]\n---\nRates & <b>.");
  f.Create(f.nb, "notes.md", "Some enzyme notes & <b> #bio");
  f.Create(f.nb, "plain.txt", "enzyme enzyme enzyme in a text file");
  f.Create(f.other, "other.md", "An enzyme elsewhere");
  auto ws = f.Get(f.nb.ws_url + "/search/?q=enzyme");
  REQUIRE(ws.status == 200);
  Json all = ws.json();
  CHECK(Keys(all) ==
        Strings{"query", "workspace_id", "workspace_slug", "results", "total", "limit", "offset"});
  CHECK(At(all, "total").as_int() == 4);
  CHECK(At(all, "limit").as_int() == 20);
  const auto& results = At(all, "results").as_array();
  REQUIRE(results.size() == 4);
  CHECK(Keys(results[0]) == Strings{"file_id", "notebook_id", "notebook_slug", "path", "filename",
                                    "title", "content_type", "tags", "snippet", "score", "id"});
  CHECK(At(results[0], "path").as_string() == "docs/enzyme.md");  // title weighs most
  CHECK(At(results[0], "id").as_int() == At(results[0], "file_id").as_int());
  for (const auto& hit : results) {
    if (At(hit, "path").as_string() != "notes.md") continue;
    CHECK(At(hit, "snippet").as_string() == "Some <mark>enzyme</mark> notes &amp; &lt;b&gt; #bio");
  }
  for (std::size_t i = 1; i < results.size(); ++i) {
    CHECK(At(results[i - 1], "score").as_double() >= At(results[i], "score").as_double());
  }
  auto page = f.Get(f.nb.ws_url + "/search?q=enzyme&limit=2&offset=1");
  CHECK(Column(At(page.json(), "results"), "path") ==
        Strings{Column(At(all, "results"), "path")[1], Column(At(all, "results"), "path")[2]});
  CHECK(At(page.json(), "total").as_int() == 4);
  auto only =
      f.Get(f.nb.ws_url + "/search?q=enzyme&notebook=" + std::to_string(f.other.notebook_id));
  CHECK(Column(At(only.json(), "results"), "path") == Strings{"other.md"});
  CHECK(Code(f.Get(f.nb.ws_url + "/search?q=enzyme&notebook=nope")) == "notebook_not_found");

  auto nb = f.Get(f.nb.url + "/search?q=enzyme");
  REQUIRE(nb.status == 200);
  CHECK(Keys(nb.json()) == Strings{"query", "workspace_id", "workspace_slug", "notebook_id",
                                   "notebook_slug", "results", "total", "limit", "offset"});
  CHECK(At(nb.json(), "total").as_int() == 3);
  CHECK(Column(At(f.Get(f.nb.url + "/search?q=enzyme%20tag:bio%20-kinetics").json(), "results"),
               "path") == Strings{"notes.md"});
  CHECK(Column(At(f.Get(f.nb.url + "/search?q=path:docs/*").json(), "results"), "path") ==
        Strings{"docs/enzyme.md"});
  CHECK(At(f.Get(f.nb.url + "/search?q=enz*").json(), "total").as_int() == 3);
  // Writes are indexed before the response: the next search sees them.
  std::int64_t fresh = f.Create(f.nb, "fresh.md", "zymurgy");
  CHECK(At(f.Get(f.nb.url + "/search?q=zymurgy").json(), "total").as_int() == 1);
  REQUIRE(f.http.Delete(f.nb.url + "/files/" + std::to_string(fresh), f.token).status == 200);
  CHECK(At(f.Get(f.nb.url + "/search?q=zymurgy").json(), "total").as_int() == 0);

  for (const std::string q : {"", "%20%20", "%22unterminated", "a%20OR", "(((", "NEAR(x", "*",
                              "%22%22%22", "col:x", "^x"}) {
    INFO(q);
    auto r = f.Get(f.nb.url + "/search?q=" + q);
    CHECK(r.status == 200);
  }
  CHECK(At(f.Get(f.nb.url + "/search?q=").json(), "results").as_array().empty());
  CHECK(Invalid(f.Get(f.nb.url + "/search")) == R"(missing ["query","q"])");
  CHECK(Invalid(f.Get(f.nb.ws_url + "/search?q=-enzyme")) == R"(value_error ["query","q"])");
  CHECK(Invalid(f.Get(f.nb.url + "/search?q=x&limit=0")) ==
        R"(greater_than_equal ["query","limit"])");
  CHECK(Invalid(f.Get(f.nb.url + "/search?q=x&limit=101")) ==
        R"(less_than_equal ["query","limit"])");
  CHECK(Invalid(f.Get(f.nb.url + "/search?q=x&offset=-1")) ==
        R"(greater_than_equal ["query","offset"])");
  CHECK(Invalid(f.Get(f.nb.url + "/search?q=x&limit=many")) == R"(int_parsing ["query","limit"])");
  CHECK(Invalid(f.Get(f.nb.url + "/search?q=" + std::string(1001, 'a'))) ==
        R"(string_too_long ["query","q"])");
}

TEST_CASE("codexd search: tag search needs all tags", "[codexd][search]") {
  Fixture f;
  f.Create(f.nb, "b.md", "---\ntags: [Lab, ml]\n---\nx");
  f.Create(f.nb, "a.md", "#lab #ml");
  f.Create(f.nb, "c.md", "#lab only");
  f.Create(f.other, "d.md", "#ml #lab");
  auto ws = f.Get(f.nb.ws_url + "/search/tags?tags=%20LAB%20,ml,,");
  REQUIRE(ws.status == 200);
  CHECK(Keys(ws.json()) ==
        Strings{"tags", "workspace_id", "workspace_slug", "results", "total", "limit", "offset"});
  CHECK(At(ws.json(), "tags").Dump() == R"(["lab","ml"])");
  CHECK(Column(At(ws.json(), "results"), "path") == Strings{"a.md", "b.md", "d.md"});
  CHECK(Column(At(ws.json(), "results"), "score") == Strings{"0.0", "0.0", "0.0"});
  CHECK(At(ws.json(), "total").as_int() == 3);
  auto nb = f.Get(f.nb.url + "/search/tags?tags=lab&limit=1&offset=1");
  CHECK(Keys(nb.json()) == Strings{"tags", "workspace_id", "workspace_slug", "notebook_id",
                                   "notebook_slug", "results", "total", "limit", "offset"});
  CHECK(Column(At(nb.json(), "results"), "path") == Strings{"b.md"});
  CHECK(At(nb.json(), "total").as_int() == 3);
  CHECK(Column(At(f.Get(f.nb.ws_url +
                        "/search/tags?tags=ml&notebook=" + std::to_string(f.other.notebook_id))
                      .json(),
                  "results"),
               "path") == Strings{"d.md"});
  CHECK(Invalid(f.Get(f.nb.ws_url + "/search/tags")) == R"(missing ["query","tags"])");
  CHECK(Invalid(f.Get(f.nb.url + "/search/tags?tags=x&limit=0")) ==
        R"(greater_than_equal ["query","limit"])");
}

TEST_CASE("codexd search: POST /query filters, sorts, pages and groups", "[codexd][search]") {
  Fixture f;
  f.Create(f.nb, "exp/one.md", "---\ntitle: One\nstatus: done\npriority: 3\ntags: [lab]\n---\n");
  f.Create(f.nb, "exp/two.md",
           "---\ntitle: Two\nstatus: open\npriority: 1\ntags: [lab, ml]\n---\n");
  f.Create(f.nb, "data.csv", "a,b");
  f.Create(f.other, "three.md", "---\ntitle: Three\nstatus: done\npriority: 2\n---\n");
  const std::string ws = "?workspace_id=" + std::to_string(f.nb.workspace_id);

  CHECK(Invalid(f.Query("", J(O{}))) == R"(missing ["query","workspace_id"])");
  CHECK(Invalid(f.Query("?workspace_id=abc", J(O{}))) == R"(int_parsing ["query","workspace_id"])");
  CHECK(Code(f.Query("?workspace_id=9999", J(O{}))) == "workspace_not_found");
  auto all = f.Query(ws, J(O{}));
  REQUIRE(all.status == 200);
  CHECK(Keys(all.json()) == Strings{"files", "groups", "total", "limit", "offset"});
  CHECK(At(all.json(), "total").as_int() == 4);
  CHECK(At(all.json(), "limit").as_int() == 100);
  CHECK(At(all.json(), "groups").is_null());
  CHECK(At(f.http.Post("/api/v1/query" + ws, J(O{}), f.token).json(), "total").as_int() == 4);

  struct Case {
    Json body;
    Strings titles;
  };
  const std::vector<Case> cases{
      {J(O{{"tags", J(Json::Array{"LAB"})}, {"sort", "title asc"}}), {"One", "Two"}},
      {J(O{{"tags_any", J(Json::Array{"ml", "nope"})}}), {"Two"}},
      {J(O{{"paths", J(Json::Array{"exp/*"})}, {"sort", "title desc"}}), {"Two", "One"}},
      {J(O{{"content_types", J(Json::Array{"text/csv"})}}), {"null"}},
      {J(O{{"properties", J(O{{"status", "done"}})}, {"sort", "properties.priority desc"}}),
       {"One", "Three"}},
      {J(O{{"properties", J(O{{"priority", J(O{{"$gt", 1}})}})}, {"sort", "title"}}),
       {"One", "Three"}},
      {J(O{{"notebook_ids", J(Json::Array{f.other.notebook_id})}}), {"Three"}},
      {J(O{{"content_search", "tw"}}), {"Two"}},
      {J(O{{"sort", "properties.priority asc"}, {"limit", 2}, {"offset", 1}}), {"Three", "One"}},
  };
  for (const auto& c : cases) {
    INFO(c.body.Dump());
    auto r = f.Query(ws, c.body);
    REQUIRE(r.status == 200);
    CHECK(Column(At(r.json(), "files"), "title") == c.titles);
  }
  auto grouped = f.Query(ws, J(O{{"group_by", "properties.status"}, {"sort", "title"}}));
  REQUIRE(grouped.status == 200);
  CHECK(At(grouped.json(), "files").as_array().empty());
  // Groups in order of first appearance in the sorted result; a null title sorts last.
  CHECK(Keys(At(grouped.json(), "groups")) == Strings{"done", "open", "undefined"});
  CHECK(Column(At(At(grouped.json(), "groups"), "done"), "title") == Strings{"One", "Three"});
  CHECK(At(grouped.json(), "total").as_int() == 4);

  CHECK(Invalid(f.Query(ws, J(O{{"properties", J(O{{"x", J(O{{"$foo", 1}})}})}})))
            .rfind("value_error", 0) == 0);
  CHECK(Invalid(f.Query(ws, J(O{{"created_after", "yesterday"}}))).rfind("datetime_parsing", 0) ==
        0);
  CHECK(f.Query(ws, J(O{{"limit", 10001}})).status == 422);
  CHECK(f.Query(ws, J(O{{"offset", -1}})).status == 422);
}

}  // namespace
}  // namespace codex::testing
