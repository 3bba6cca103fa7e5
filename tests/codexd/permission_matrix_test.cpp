// Two users, every workspace-scoped route (CONTRACT §4): a non-member gets 404 everywhere and
// changes nothing; a viewer reads and gets 403 on writes; an editor writes but gets 403 on the
// owner's routes; an owner may do everything.
#include <catch2/catch.hpp>
#include <optional>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

enum Need { kViewer = 1, kEditor = 2, kOwner = 3 };

struct Row {
  std::string method;
  std::string target;  // {WS} {NB} {ws} {nb} {f} {t} are replaced
  Json body;           // null: no body
  Need need;
  int ok;  // the status when allowed
};

Json B(Json::Object o) { return Json(std::move(o)); }

// In order: reads, writes that keep the fixture usable, then the destructive ones.
const std::vector<Row>& Table() {
  static const std::vector<Row> rows = {
      {"GET", "{WS}", Json(), kViewer, 200},
      {"GET", "{WS}/permissions", Json(), kViewer, 200},
      {"GET", "{WS}/plugins", Json(), kViewer, 200},
      {"GET", "{WS}/plugins/p1", Json(), kViewer, 200},
      {"GET", "{WS}/notebooks", Json(), kViewer, 200},
      {"GET", "{NB}", Json(), kViewer, 200},
      {"GET", "{NB}/indexing-status", Json(), kViewer, 200},
      {"GET", "{NB}/plugins", Json(), kViewer, 200},
      {"GET", "{NB}/plugins/p1", Json(), kViewer, 200},
      {"GET", "/api/v1/notebooks/{nb}/plugins", Json(), kViewer, 200},
      {"GET", "/api/v1/notebooks/{nb}/plugins/p1", Json(), kViewer, 200},
      {"GET", "{NB}/files", Json(), kViewer, 200},
      {"GET", "{NB}/files/templates", Json(), kViewer, 200},
      {"GET", "{NB}/files/path/note.md", Json(), kViewer, 200},
      {"GET", "{NB}/files/path/note.md/text", Json(), kViewer, 200},
      {"GET", "{NB}/files/path/note.md/content", Json(), kViewer, 200},
      {"GET", "{NB}/files/{f}", Json(), kViewer, 200},
      {"GET", "{NB}/files/{f}/text", Json(), kViewer, 200},
      {"GET", "{NB}/files/{f}/content", Json(), kViewer, 200},
      {"GET", "{NB}/files/{f}/history", Json(), kViewer, 200},
      {"GET", "{NB}/files/{f}/history/HEAD", Json(), kViewer, 200},
      {"POST", "{NB}/files/resolve-link", B({{"link", "note.md"}}), kViewer, 200},
      {"GET", "{NB}/folders", Json(), kViewer, 200},
      {"GET", "{NB}/folders/sub", Json(), kViewer, 200},
      {"GET", "{NB}/tags", Json(), kViewer, 200},
      {"GET", "{WS}/tags", Json(), kViewer, 200},
      {"GET", "{WS}/search?q=hello", Json(), kViewer, 200},
      {"GET", "{WS}/search/tags?tags=alpha", Json(), kViewer, 200},
      {"GET", "{NB}/search?q=hello", Json(), kViewer, 200},
      {"GET", "{NB}/search/tags?tags=alpha", Json(), kViewer, 200},
      {"POST", "/api/v1/query?workspace_id={ws}", B({}), kViewer, 200},
      {"GET", "/api/v1/tasks?workspace_id={ws}", Json(), kViewer, 200},
      {"GET", "/api/v1/tasks/{t}", Json(), kViewer, 200},
      {"GET", "/api/v1/plugins/integrations?workspace_id={ws}", Json(), kViewer, 200},
      {"GET", "/api/v1/plugins/integrations/int1?workspace_id={ws}", Json(), kViewer, 200},
      {"GET", "/api/v1/plugins/integrations/int1/config?workspace_id={ws}", Json(), kViewer, 200},
      {"GET", "{NB}/integrations", Json(), kViewer, 200},
      {"GET", "{NB}/integrations/int1/config", Json(), kViewer, 200},
      // Editor writes.
      {"PATCH", "{WS}/theme", B({{"theme", "dark"}}), kEditor, 200},
      {"POST", "{WS}/notebooks", B({{"name", "Extra"}}), kEditor, 200},
      {"POST", "{NB}/files", B({{"path", "b.md"}, {"content", "b"}}), kEditor, 200},
      {"UPLOAD", "{NB}/files/upload", Json(), kEditor, 200},
      {"PUT", "{NB}/files/{f}", B({{"content", "changed"}}), kEditor, 200},
      {"PUT", "{NB}/folders/sub", B({{"properties", B({{"a", 1}})}}), kEditor, 200},
      {"PATCH", "{NB}/tags/alpha", B({{"color", "#ff0000"}}), kEditor, 200},
      {"PUT", "{NB}/plugins/p2", B({{"config", B({})}}), kEditor, 200},
      {"DELETE", "{NB}/plugins/p2", Json(), kEditor, 200},
      {"PUT", "/api/v1/notebooks/{nb}/plugins/p3", B({{"enabled", false}}), kEditor, 200},
      {"DELETE", "/api/v1/notebooks/{nb}/plugins/p3", Json(), kEditor, 200},
      {"POST", "/api/v1/tasks?workspace_id={ws}&title=T", Json(), kEditor, 200},
      {"PUT", "/api/v1/tasks/{t}?status=in_progress", Json(), kEditor, 200},
      {"POST", "/api/v1/snippets",
       B({{"workspace", "{ws}"}, {"notebook", "{nb}"}, {"content", "s"}}), kEditor, 201},
      {"PATCH", "{NB}/files/{f}/move", B({{"new_path", "moved.md"}}), kEditor, 200},
      // Owner only.
      {"PUT", "{WS}/permissions/carol", B({{"role", "viewer"}}), kOwner, 200},
      {"DELETE", "{WS}/permissions/carol", Json(), kOwner, 204},
      {"PUT", "{WS}/plugins/p1", B({{"enabled", false}}), kOwner, 200},
      {"DELETE", "{WS}/plugins/p1", Json(), kOwner, 200},
      {"PUT", "/api/v1/plugins/integrations/int1/enable?workspace_id={ws}", B({{"enabled", false}}),
       kOwner, 200},
      {"PUT", "/api/v1/plugins/integrations/int1/config?workspace_id={ws}",
       B({{"config", B({{"a", 1}})}}), kOwner, 200},
      {"PUT", "{NB}/integrations/int1/enable", B({{"enabled", true}}), kOwner, 200},
      {"PUT", "{NB}/integrations/int1/config", B({{"config", B({{"b", 2}})}}), kOwner, 200},
      // Destructive, last.
      {"DELETE", "{NB}/files/{f}", Json(), kEditor, 200},
      {"DELETE", "{NB}/folders/sub", Json(), kEditor, 200},
      {"DELETE", "/api/v1/tasks/{t}", Json(), kEditor, 204},
      {"DELETE", "{NB}", Json(), kEditor, 200},
      {"DELETE", "{WS}", Json(), kOwner, 200},
  };
  return rows;
}

// Alice's workspace with one notebook, two files, a task and plugin configurations.
struct Lab {
  std::string ws, nb, file, task;

  std::string Fill(std::string text) const {
    const std::vector<std::pair<std::string, std::string>> subs = {
        {"{NB}", "/api/v1/workspaces/" + ws + "/notebooks/" + nb},
        {"{WS}", "/api/v1/workspaces/" + ws},
        {"{ws}", ws},
        {"{nb}", nb},
        {"{f}", file},
        {"{t}", task}};
    for (const auto& [from, to] : subs) {
      for (auto at = text.find(from); at != std::string::npos; at = text.find(from)) {
        text.replace(at, from.size(), to);
      }
    }
    return text;
  }
};

std::string Id(const Json& o) { return std::to_string(At(o, "id").as_int()); }

Lab MakeLab(HttpClient& http, const std::string& alice, const std::string& name) {
  Lab lab;
  lab.ws = Id(Expect(http.Post("/api/v1/workspaces", B({{"name", name}}), alice), 200));
  lab.nb = Id(Expect(http.Post(lab.Fill("{WS}/notebooks"), B({{"name", "Notes"}}), alice), 200));
  lab.file = Id(Expect(http.Post(lab.Fill("{NB}/files"),
                                 B({{"path", "note.md"},
                                    {"content", "---\ntags: [alpha]\n---\n# Note\nhello world\n"}}),
                                 alice),
                       200));
  Expect(http.Post(lab.Fill("{NB}/files"), B({{"path", "sub/x.md"}, {"content", "x"}}), alice),
         200);
  lab.task = Id(Expect(
      http.Post(lab.Fill("/api/v1/tasks?workspace_id={ws}&title=First"), B({}), alice), 200));
  Expect(http.Put(lab.Fill("{WS}/plugins/p1"), B({{"config", B({{"k", "v"}})}}), alice), 200);
  Expect(http.Put(lab.Fill("{NB}/plugins/p1"), B({{"config", B({{"n", 1}})}}), alice), 200);
  return lab;
}

HttpResponse Call(HttpClient& http, const Lab& lab, const Row& row, const std::string& token) {
  std::string target = lab.Fill(row.target);
  if (row.method == "UPLOAD") return http.Upload(target, "up.txt", "uploaded", {}, token);
  std::string body = row.body.is_null() ? "" : lab.Fill(row.body.Dump());
  return http.Send(row.method, target, body, {{"Content-Type", "application/json"}}, token);
}

// What the owner sees of the lab: must not change through a non-member or a viewer.
Json Snapshot(HttpClient& http, const Lab& lab, const std::string& alice) {
  Json::Object out;
  for (const char* t :
       {"{WS}", "{WS}/permissions", "{WS}/plugins", "{WS}/notebooks", "{NB}/files",
        "{NB}/files/{f}/text", "{NB}/plugins", "{NB}/tags", "/api/v1/tasks?workspace_id={ws}",
        "/api/v1/plugins/integrations?workspace_id={ws}", "{NB}/folders/sub"}) {
    out.set(t, Expect(http.Get(lab.Fill(t), alice), 200));
  }
  return Json(std::move(out));
}

void RegisterIntegration(HttpClient& http, const std::string& token) {
  Json manifest = B({{"integration", B({{"base_url", "https://example.org"}})}});
  Expect(http.Post("/api/v1/plugins/register",
                   B({{"id", "int1"},
                      {"name", "Int"},
                      {"version", "1.0.0"},
                      {"type", "integration"},
                      {"manifest", manifest}}),
                   token),
         200);
}

// Every row as `bob` with `role` (nullopt: not a member). A non-member's 404 must be the one
// the same request gets for ids that do not exist at all.
void RunPass(HttpClient& http, const Lab& lab, const std::string& bob, std::optional<Need> role) {
  auto shift = [](const std::string& id) { return std::to_string(std::stoll(id) + 1000); };
  const Lab ghost{shift(lab.ws), shift(lab.nb), shift(lab.file), shift(lab.task)};
  for (const auto& row : Table()) {
    int expected = !role ? 404 : row.need <= *role ? row.ok : 403;
    auto r = Call(http, lab, row, bob);
    INFO((role ? std::to_string(*role) : "non-member")
         << " " << row.method << " " << lab.Fill(row.target) << " → " << r.Describe());
    CHECK(r.status == expected);
    if (expected < 400 || r.status != expected) continue;
    std::string code = At(r.json(), "code").as_string();
    if (expected == 403) CHECK(code == "insufficient_permissions");
    if (expected != 404) continue;
    CHECK(code != "not_found");  // a resource's not-found, never an unknown route
    auto unknown = Call(http, ghost, row, bob);
    INFO("unknown ids → " << unknown.Describe());
    CHECK(unknown.status == 404);
    CHECK(At(unknown.json(), "code").as_string() == code);
    std::string detail = At(r.json(), "detail").as_string();
    if (detail.find(':') == std::string::npos) {  // snippets echo the reference they were given
      CHECK(At(unknown.json(), "detail").as_string() == detail);
    }
  }
}

TEST_CASE("codexd matrix: a non-member gets 404 on every route and changes nothing", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob");
  d.AddUser("carol");
  RegisterIntegration(http, alice);
  Lab lab = MakeLab(http, alice, "Lab");
  Json before = Snapshot(http, lab, alice);
  RunPass(http, lab, bob, std::nullopt);
  CHECK(Snapshot(http, lab, alice) == before);

  // By slug too: bob's slug lookup runs over his own workspaces only.
  CHECK(http.Get("/api/v1/workspaces/lab", bob).status == 404);
  CHECK(http.Get("/api/v1/workspaces/lab/notebooks/notes", bob).status == 404);
  auto snippet = http.Post("/api/v1/snippets",
                           B({{"workspace", "lab"}, {"notebook", "notes"}, {"content", "x"}}), bob);
  CHECK(snippet.status == 404);
  CHECK(At(snippet.json(), "detail").as_string() == "Workspace not found: lab");
  CHECK(Snapshot(http, lab, alice) == before);
}

TEST_CASE("codexd matrix: a viewer reads everything and every write is 403", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob");
  d.AddUser("carol");
  RegisterIntegration(http, alice);
  Lab lab = MakeLab(http, alice, "Lab");
  Expect(http.Put(lab.Fill("{WS}/permissions/bob"), B({{"role", "viewer"}}), alice), 200);
  Json before = Snapshot(http, lab, alice);
  RunPass(http, lab, bob, kViewer);
  CHECK(Snapshot(http, lab, alice) == before);
}

TEST_CASE("codexd matrix: an editor writes but not on owner-only routes", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob");
  d.AddUser("carol");
  RegisterIntegration(http, alice);
  Lab lab = MakeLab(http, alice, "Lab");
  Expect(http.Put(lab.Fill("{WS}/permissions/bob"), B({{"role", "editor"}}), alice), 200);
  RunPass(http, lab, bob, kEditor);
  // The owner-only state is untouched; the workspace is still there.
  Json ws = Expect(http.Get(lab.Fill("{WS}"), alice), 200);
  CHECK(At(ws, "theme_setting").as_string() == "dark");
  CHECK(Expect(http.Get(lab.Fill("{WS}/permissions"), alice), 200).as_array().size() == 2);
  Json p1 = Expect(http.Get(lab.Fill("{WS}/plugins/p1"), alice), 200);
  CHECK(At(p1, "enabled").as_bool());
  CHECK(At(At(p1, "config"), "k").as_string() == "v");
  auto config = Expect(
      http.Get(lab.Fill("/api/v1/plugins/integrations/int1/config?workspace_id={ws}"), alice), 200);
  CHECK(At(config, "config").as_object().empty());
}

TEST_CASE("codexd matrix: a second owner may do everything", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob");
  d.AddUser("carol");
  RegisterIntegration(http, alice);
  Lab lab = MakeLab(http, alice, "Lab");
  Expect(http.Put(lab.Fill("{WS}/permissions/bob"), B({{"role", "owner"}}), alice), 200);
  RunPass(http, lab, bob, kOwner);
  CHECK(http.Get(lab.Fill("{WS}"), alice).status == 404);
}

TEST_CASE("codexd matrix: lists never show another user's workspaces, tasks or tokens",
          "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob");
  Lab lab = MakeLab(http, alice, "Lab");
  Json token = Expect(http.Post("/api/v1/tokens", B({{"name", "script"}}), alice), 201);
  const std::string pat = At(token, "token").as_string();

  CHECK(Expect(http.Get("/api/v1/workspaces", bob), 200).as_array().size() == 1);  // his default
  CHECK(Expect(http.Get("/api/v1/tokens", bob), 200).as_array().empty());
  CHECK(Expect(http.Delete("/api/v1/tokens/" + Id(token), bob), 404).find("code")->as_string() ==
        "token_not_found");
  CHECK(http.Get("/api/v1/users/me", pat).status == 200);  // alice's token still works
  // bob's own workspace lists only his tasks; alice's task id is unknown to him.
  std::string own = Id(Expect(http.Post("/api/v1/workspaces", B({{"name", "Mine"}}), bob), 200));
  Expect(http.Post("/api/v1/tasks?workspace_id=" + own + "&title=Mine", B({}), bob), 200);
  Json tasks = Expect(http.Get("/api/v1/tasks?workspace_id=" + own, bob), 200);
  REQUIRE(tasks.as_array().size() == 1);
  CHECK(At(tasks.as_array()[0], "title").as_string() == "Mine");
  auto hidden = http.Get(lab.Fill("/api/v1/tasks/{t}"), bob);
  CHECK(hidden.status == 404);
  CHECK(At(hidden.json(), "code").as_string() == "task_not_found");
  // Shared as a viewer, alice's workspace shows in bob's list (and only that one of hers).
  Expect(http.Post("/api/v1/workspaces", B({{"name", "Private"}}), alice), 200);
  Expect(http.Put(lab.Fill("{WS}/permissions/bob"), B({{"role", "viewer"}}), alice), 200);
  Json list = Expect(http.Get("/api/v1/workspaces", bob), 200);
  REQUIRE(list.as_array().size() == 3);  // his default, alice's lab, his "Mine"
  CHECK(Id(list.as_array()[1]) == lab.ws);
  CHECK(At(list.as_array()[1], "role").as_string() == "viewer");
  for (const auto& w : list.as_array()) CHECK(At(w, "name").as_string() != "Private");
  CHECK(Expect(http.Get("/api/v1/tokens", bob), 200).as_array().empty());
}

// §2.3: membership (404) and role (403) are decided before the input is validated (422).
TEST_CASE("codexd matrix: 404 and 403 come before 422 for invalid input", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob");
  Lab lab = MakeLab(http, alice, "Lab");
  struct Bad {
    std::string method, target, body;
  };
  const std::vector<Bad> bad = {
      {"POST", "{NB}/files", R"({"path": 7})"},
      {"POST", "{NB}/files", "{not json"},
      {"PUT", "{NB}/files/{f}", R"({"content": []})"},
      {"PATCH", "{NB}/files/{f}/move", R"({})"},
      {"GET", "{NB}/files?skip=abc", ""},
      {"POST", "{WS}/notebooks", R"({"name": 5})"},
      {"PATCH", "{WS}/theme", R"({"theme": ""})"},
      {"POST", "/api/v1/tasks?workspace_id={ws}", R"({"title": 5})"},
  };
  auto send = [&](const Bad& b) {
    return http.Send(b.method, lab.Fill(b.target), b.body, {{"Content-Type", "application/json"}},
                     bob);
  };
  for (const auto& b : bad) {
    INFO(b.method << " " << b.target << " " << b.body);
    auto r = send(b);
    CHECK(r.status == 404);
  }
  Expect(http.Put(lab.Fill("{WS}/permissions/bob"), B({{"role", "viewer"}}), alice), 200);
  for (const auto& b : bad) {
    INFO(b.method << " " << b.target << " " << b.body);
    auto r = send(b);
    CHECK(r.status == (b.method == "GET" ? 422 : 403));
  }
  Expect(http.Put(lab.Fill("{WS}/permissions/bob"), B({{"role", "editor"}}), alice), 200);
  for (const auto& b : bad) {
    INFO(b.method << " " << b.target << " " << b.body);
    CHECK(send(b).status == 422);
  }
}

}  // namespace
}  // namespace codex::testing
