// Tasks and the worker, the plugin registry, plugin configuration, integrations and snippets
// (CONTRACT §11, §19, §20, §21, §25; SEMANTICS §14, §15).
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

namespace fs = std::filesystem;

Json B(Json::Object o) { return Json(std::move(o)); }

Json Ok(const HttpResponse& r) { return Expect(r, 200); }
Json J(std::string_view text) {
  auto parsed = Json::Parse(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

// A request that must fail: status and code (for 422: the first problem's type) and, when not
// empty, the exact detail (for 422: its loc as "root/field").
struct Bad {
  std::string method, target;
  Json body;  // null: none
  int status;
  std::string code, detail;
};

void ExpectAll(HttpClient& http, const std::string& token, const std::vector<Bad>& rows) {
  for (const auto& b : rows) {
    auto r = http.Send(b.method, b.target, b.body.is_null() ? "" : b.body.Dump(),
                       {{"Content-Type", "application/json"}}, token);
    INFO(b.method << " " << b.target << " " << b.body.Dump() << " → " << r.Describe());
    REQUIRE(r.status == b.status);
    Json j = r.json();
    if (b.status == 422) {
      const Json& first = At(j, "detail").as_array().at(0);
      CHECK(At(first, "type").as_string() == b.code);
      const auto& loc = At(first, "loc").as_array();
      CHECK(loc.at(0).as_string() + "/" + loc.at(1).as_string() == b.detail);
    } else {
      CHECK(At(j, "code").as_string() == b.code);
      if (!b.detail.empty()) CHECK(At(j, "detail").as_string() == b.detail);
    }
  }
}

std::vector<std::string> Keys(const Json& o) {
  std::vector<std::string> out;
  for (const auto& [k, v] : o.as_object()) out.push_back(k);
  return out;
}

const std::string kWsId = "query/workspace_id";

std::string Id(const Json& o) { return std::to_string(At(o, "id").as_int()); }
std::int64_t Num(const std::string& id) { return std::stoll(id); }

struct Lab {
  std::string ws, nb, nb_dir;
};

Lab MakeLab(HttpClient& http, const std::string& token) {
  Json ws = Expect(http.Post("/api/v1/workspaces", B({{"name", "Lab"}}), token), 200);
  Json nb = Expect(
      http.Post("/api/v1/workspaces/" + Id(ws) + "/notebooks", B({{"name", "Notes"}}), token), 200);
  return {Id(ws), Id(nb), At(ws, "path").as_string() + "/" + At(nb, "path").as_string()};
}

// Polls a task until the worker has finished it (or the deadline passes).
Json WaitTask(HttpClient& http, const std::string& token, const std::string& id) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  Json task;
  while (std::chrono::steady_clock::now() < deadline) {
    task = Expect(http.Get("/api/v1/tasks/" + id, token), 200);
    std::string status = At(task, "status").as_string();
    if (status == "completed" || status == "failed") return task;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("task " << id << " did not finish: " << task.Dump());
  return task;
}

TEST_CASE("codexd tasks: create, list, get, update and delete", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob");
  Lab lab = MakeLab(http, alice);
  const std::string tasks = "/api/v1/tasks", in_ws = "?workspace_id=" + lab.ws;

  // v1 form: every field in the query string.
  Json first = Ok(http.Post(tasks + in_ws + "&title=Check%20samples&description=Fridge&type=chore",
                            B({}), alice));
  CHECK(Keys(first) == std::vector<std::string>{"id", "workspace_id", "title", "description",
                                                "status", "assigned_to", "created_at", "updated_at",
                                                "completed_at", "type", "input_data", "output_data",
                                                "error", "started_at"});
  Json expected = J(R"({"title": "Check samples", "description": "Fridge", "status": "pending",)"
                    R"( "assigned_to": null, "completed_at": null, "type": "chore", "input_data":)"
                    R"( null, "output_data": null, "error": null, "started_at": null})");
  for (const auto& [key, value] : expected.as_object()) CHECK(At(first, key) == value);
  CHECK(At(first, "workspace_id").as_int() == Num(lab.ws));
  // JSON body; the query wins over the body.
  Json second = Ok(http.Post(tasks + "/" + in_ws + "&title=Query",
                             B({{"title", "Body"}, {"input_data", B({{"x", 1}})}}), alice));
  CHECK(At(second, "title").as_string() == "Query");
  CHECK(At(second, "input_data") == B({{"x", 1}}));

  const std::string one = tasks + "/" + Id(first);
  ExpectAll(http, alice,
            {{"POST", tasks + "?title=x", {}, 422, "missing", kWsId},
             {"POST", tasks + "?workspace_id=lab&title=x", {}, 422, "int_parsing", kWsId},
             {"GET", tasks, {}, 422, "missing", kWsId},
             {"POST", tasks + in_ws, B({}), 422, "missing", "body/title"},
             {"POST", tasks + in_ws + "&title=", {}, 422, "string_too_short", "body/title"},
             {"POST", tasks + in_ws, B({{"title", std::string(501, 't')}}), 422, "string_too_long",
              "body/title"},
             {"POST", tasks + in_ws, B({{"title", "t"}, {"input_data", 3}}), 422, "dict_type",
              "body/input_data"},
             {"POST", tasks + in_ws, B({{"title", "t"}, {"type", std::string(101, 'x')}}), 422,
              "string_too_long", "body/type"},
             {"POST",
              tasks + "?workspace_id=999&title=x",
              {},
              404,
              "workspace_not_found",
              "Workspace not found"},
             {"POST", tasks + in_ws + "&title=x&type=indexing",
              B({{"input_data", B({{"notebook_id", 999}})}}), 404, "notebook_not_found",
              "Notebook not found"},
             {"GET", tasks + "/9999", {}, 404, "task_not_found", "Task not found"},
             {"GET", tasks + "/abc", {}, 422, "int_parsing", "path/task_id"},
             {"PUT", tasks + "/9999?status=x", {}, 404, "task_not_found", ""},
             {"PUT", one, B({{"output_data", "x"}}), 422, "dict_type", "body/output_data"}});

  // List: ascending id, filters.
  Json list = Ok(http.Get(tasks + in_ws, alice));
  CHECK(list == Json(Json::Array{first, second}));
  CHECK(Ok(http.Get(tasks + in_ws + "&type=chore", alice)) == Json(Json::Array{first}));
  CHECK(Ok(http.Get(tasks + in_ws + "&status=done", alice)).as_array().empty());
  CHECK(Ok(http.Get(one, alice)) == first);

  // Update: status effects, query and body fields, empty status ignored.
  Json running = Ok(http.Put(one + "?status=in_progress&assigned_to=alice", B({}), alice));
  CHECK(At(running, "status").as_string() == "in_progress");
  CHECK(At(running, "assigned_to").as_string() == "alice");
  CHECK(!At(running, "started_at").is_null());
  CHECK(At(running, "completed_at").is_null());
  CHECK(At(running, "updated_at").as_string() > At(first, "updated_at").as_string());
  Json same = Ok(http.Put(one + "?status=&assigned_to=", B({{"title", "Renamed"}}), alice));
  CHECK(At(same, "status").as_string() == "in_progress");
  CHECK(At(same, "assigned_to").as_string() == "alice");
  CHECK(At(same, "title").as_string() == "Renamed");
  CHECK(At(same, "started_at") == At(running, "started_at"));
  Json done =
      Ok(http.Put(one, B({{"status", "completed"}, {"output_data", B({{"ok", true}})}}), alice));
  CHECK(!At(done, "completed_at").is_null());
  CHECK(At(done, "output_data") == B({{"ok", true}}));
  Json custom = Ok(http.Put(one + "?status=archived&error=none", B({}), alice));
  CHECK(At(custom, "status").as_string() == "archived");
  CHECK(At(custom, "error").as_string() == "none");
  CHECK(Ok(http.Get(tasks + in_ws + "&status=archived", alice)).as_array().size() == 1);

  // Members: a viewer reads, an editor changes; non-members see nothing.
  ExpectAll(http, bob,
            {{"GET", one, {}, 404, "task_not_found", ""},
             {"GET", tasks + in_ws, {}, 404, "workspace_not_found", ""}});
  Ok(http.Put("/api/v1/workspaces/" + lab.ws + "/permissions/bob", B({{"role", "viewer"}}), alice));
  CHECK(Ok(http.Get(one, bob)) == Ok(http.Get(one, alice)));
  ExpectAll(http, bob,
            {{"DELETE", one, {}, 403, "insufficient_permissions", ""},
             {"PUT", one + "?status=x", {}, 403, "insufficient_permissions", ""},
             {"POST", tasks + in_ws + "&title=x", {}, 403, "insufficient_permissions", ""}});

  CHECK(http.Delete(one, alice).status == 204);
  ExpectAll(http, alice,
            {{"GET", one, {}, 404, "task_not_found", ""},
             {"DELETE", one, {}, 404, "task_not_found", ""}});
  CHECK(Ok(http.Get(tasks + in_ws, alice)) == Json(Json::Array{second}));
}

TEST_CASE("codexd tasks: the worker runs sync and indexing tasks to completion", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  Lab lab = MakeLab(http, alice);
  const std::string nb = "/api/v1/workspaces/" + lab.ws + "/notebooks/" + lab.nb;
  const std::string create = "/api/v1/tasks?workspace_id=" + lab.ws;
  const Json job = B({{"input_data", B({{"notebook_id", Num(lab.nb)}})}});
  Ok(http.Post(nb + "/files", B({{"path", "old.md"}, {"content", "old"}}), alice));

  // A record-only task (notebook_id not an int) stays pending: the worker takes jobs oldest
  // first, so it would have run before the sync below.
  Json record = Ok(http.Post(create + "&title=Record&type=sync",
                             B({{"input_data", B({{"notebook_id", lab.nb}})}}), alice));
  // Edits the daemon did not make: the sync task indexes and commits them.
  WriteFile(fs::path(lab.nb_dir) / "lab/external.md", "# External\nfound by sync\n");
  fs::remove(fs::path(lab.nb_dir) / "old.md");
  Json sync = Ok(http.Post(create + "&title=Sync&type=sync", job, alice));
  CHECK(At(sync, "status").as_string() == "pending");
  Json synced = WaitTask(http, alice, Id(sync));
  INFO(synced.Dump());
  REQUIRE(At(synced, "status").as_string() == "completed");
  CHECK(!At(synced, "started_at").is_null());
  CHECK(!At(synced, "completed_at").is_null());
  CHECK(At(synced, "error").is_null());
  const Json& out = At(synced, "output_data");
  CHECK(Keys(out) == std::vector<std::string>{"notebook_id", "files_indexed", "files_removed",
                                              "commit", "duration_ms"});
  CHECK(At(out, "notebook_id").as_int() == Num(lab.nb));
  CHECK(At(out, "files_indexed").as_int() == 1);
  CHECK(At(out, "files_removed").as_int() == 1);
  CHECK(std::regex_match(At(out, "commit").as_string(), std::regex("[0-9a-f]{40}")));
  Json external = Ok(http.Get(nb + "/files/path/lab/external.md", alice));
  Json log = At(Ok(http.Get(nb + "/files/" + Id(external) + "/history", alice)), "history");
  CHECK(At(log.as_array().at(0), "hash") == At(out, "commit"));
  CHECK(At(log.as_array().at(0), "message").as_string() ==
        "Batch update: 2 changes\n\nCreate lab/external.md\nDelete old.md");
  CHECK(http.Get(nb + "/files/path/old.md", alice).status == 404);
  CHECK(At(Ok(http.Get("/api/v1/tasks/" + Id(record), alice)), "status").as_string() == "pending");

  // Indexing: every file re-extracted, no commit key.
  WriteFile(fs::path(lab.nb_dir) / "second.md", "second");
  Json indexing = Ok(http.Post(create + "&title=Reindex&type=indexing", job, alice));
  Json indexed = WaitTask(http, alice, Id(indexing));
  INFO(indexed.Dump());
  REQUIRE(At(indexed, "status").as_string() == "completed");
  CHECK(Keys(At(indexed, "output_data")) ==
        std::vector<std::string>{"notebook_id", "files_indexed", "files_removed", "duration_ms"});
  CHECK(At(At(indexed, "output_data"), "files_indexed").as_int() == 2);
  Ok(http.Get(nb + "/files/path/second.md", alice));
  CHECK(http.Delete("/api/v1/tasks/" + Id(indexing), alice).status == 204);

  // A task left running by a previous daemon fails at the next start.
  Ok(http.Put("/api/v1/tasks/" + Id(record) + "?status=running", B({}), alice));
  d.Restart();
  auto again = d.Client();
  Json interrupted = Ok(again.Get("/api/v1/tasks/" + Id(record), alice));
  CHECK(At(interrupted, "status").as_string() == "failed");
  CHECK(At(interrupted, "error").as_string() == "Interrupted by daemon restart");
  CHECK(!At(interrupted, "completed_at").is_null());
  CHECK(At(Ok(again.Get("/api/v1/tasks/" + Id(sync), alice)), "status").as_string() == "completed");
}

// Manifests for --plugins-dir: valid ones, legacy locations, and invalid ones that are skipped.
void WriteManifests(const fs::path& dir) {
  WriteFile(dir / "alpha/manifest.yml",
            "id: alpha\nname: Alpha View\nversion: 1.2.3\ntype: view\ncustom_key: kept\n");
  WriteFile(dir / "views/alpha/manifest.yml",  // duplicate id: the first path wins
            "id: alpha\nname: Second\nversion: 9.9.9\ntype: view\n");
  WriteFile(dir / "themes/night/theme.yaml",
            "id: night\nname: Night\nversion: 0.1.0\ntype: theme\n");
  WriteFile(dir / "gh/integration.yaml",
            "id: gh\nname: GitHub\nversion: 1.0.0\ntype: integration\n"
            "description: Issues\nauthor: Lab\n"
            "integration:\n  base_url: https://api.github.com\n  auth_method: token\n"
            "properties:\n  - name: access_token\n    type: string\n    secure: true\n"
            "  - name: owner\n    type: string\n"
            "blocks:\n  - id: issue\n    name: Issue\n"
            "endpoints:\n  - id: get_issue\n    method: GET\n    path: \"/repos/{owner}\"\n");
  WriteFile(dir / "bad/manifest.yml", "id: Bad_ID\nname: Bad\nversion: 1.0.0\ntype: view\n");
  WriteFile(dir / "nover/manifest.yml", "id: nover\nname: No version\ntype: view\n");
  WriteFile(dir / "mismatch/theme.yaml", "id: mismatch\nname: M\nversion: 1.0.0\ntype: view\n");
}

std::vector<std::string> Ids(const Json& list) {
  std::vector<std::string> out;
  for (const auto& p : list.as_array()) out.push_back(At(p, "id").as_string());
  return out;
}

TEST_CASE("codexd plugins: registry from --plugins-dir, register, batch, unregister", "[codexd]") {
  TempDir plugins;
  WriteManifests(plugins.path());
  Daemon d(DaemonOptions{{}, {"--plugins-dir", plugins.str()}});
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  const std::string reg = "/api/v1/plugins";

  Json all = Ok(http.Get(reg, alice));
  CHECK(Ids(all) == std::vector<std::string>{"alpha", "gh", "night"});
  CHECK(Ok(http.Get(reg + "/", alice)) == all);
  Json alpha = Ok(http.Get(reg + "/alpha", alice));
  CHECK(Keys(alpha) ==
        std::vector<std::string>{"id", "name", "version", "type", "enabled", "manifest"});
  CHECK(At(alpha, "name").as_string() == "Alpha View");
  CHECK(At(alpha, "enabled").as_bool());
  CHECK(At(At(alpha, "manifest"), "custom_key").as_string() == "kept");
  CHECK(Ids(Ok(http.Get(reg + "?plugin_type=theme", alice))) == std::vector<std::string>{"night"});
  CHECK(http.Get(reg).status == 401);

  Json item = B({{"id", "lab-view"}, {"name", "Lab"}, {"version", "1.0.0"}, {"type", "view"}});
  CHECK(Ok(http.Post(reg + "/register", item, alice)) ==
        J(R"({"id": "lab-view", "name": "Lab", "version": "1.0.0", "type": "view",)"
          R"( "registered": true, "message": "Plugin registered"})"));
  item.as_object().set("version", "2.0.0");
  item.as_object().set("manifest", B({{"views", Json::Array{}}}));
  CHECK(At(Ok(http.Post(reg + "/register", item, alice)), "message").as_string() ==
        "Plugin updated");
  Json stored = Ok(http.Get(reg + "/lab-view", alice));
  CHECK(At(stored, "version").as_string() == "2.0.0");
  CHECK(At(stored, "manifest") == B({{"views", Json::Array{}}}));

  auto plugin = [](const char* id, const char* version, const char* type) {
    return B({{"id", id}, {"name", "n"}, {"version", version}, {"type", type}});
  };
  Json no_name = B({{"id", "x"}, {"version", "1.0.0"}, {"type", "view"}});
  Json bad_manifest = plugin("x", "1.0.0", "view");
  bad_manifest.as_object().set("manifest", "no");
  const std::string r = reg + "/register";
  ExpectAll(
      http, alice,
      {{"POST", r, plugin("Bad_Id", "1.0.0", "view"), 400, "invalid_plugin",
        "Invalid plugin ID: Bad_Id. Must contain only lowercase letters, numbers, and hyphens."},
       {"POST", r, plugin("integrations", "1.0.0", "view"), 400, "invalid_plugin", ""},
       {"POST", r, plugin("ok", "1.0", "view"), 400, "invalid_plugin",
        "Invalid version: 1.0. Must be in semver format (e.g., 1.0.0)."},
       {"POST", r, plugin("ok", "1.0.0", "widget"), 400, "invalid_plugin",
        "Invalid plugin type: widget. Must be one of: integration, theme, view"},
       {"POST", r, no_name, 422, "missing", "body/name"},
       {"POST", r, bad_manifest, 422, "dict_type", "body/manifest"},
       {"POST", reg + "/register-batch", B({}), 422, "missing", "body/plugins"},
       {"GET", reg + "/ok", {}, 404, "plugin_not_found", "Plugin not found"}});

  Json batch = Ok(http.Post(reg + "/register-batch",
                            B({{"plugins", Json::Array{plugin("new-one", "0.0.1", "theme"), item,
                                                       plugin("BAD", "1.0.0", "view"), no_name}}}),
                            alice));
  CHECK(At(batch, "registered").as_int() == 1);
  CHECK(At(batch, "updated").as_int() == 1);
  CHECK(At(batch, "failed").as_int() == 2);
  const auto& results = At(batch, "results").as_array();
  REQUIRE(results.size() == 4);
  CHECK(At(results[0], "message").as_string() == "Plugin registered");
  CHECK(At(results[1], "message").as_string() == "Plugin updated");
  CHECK(!At(results[2], "registered").as_bool());
  CHECK(At(results[2], "id").as_string() == "BAD");
  CHECK(At(results[3], "message").as_string() == "Missing required field: name");

  CHECK(At(Ok(http.Delete(reg + "/lab-view", alice)), "message").as_string() ==
        "Plugin lab-view unregistered");
  ExpectAll(http, alice, {{"DELETE", reg + "/lab-view", {}, 404, "plugin_not_found", ""}});
  CHECK(Ids(Ok(http.Get(reg, alice))) ==
        std::vector<std::string>{"alpha", "gh", "new-one", "night"});
}

TEST_CASE("codexd plugins: workspace and notebook plugin configuration", "[codexd]") {
  TempDir plugins;
  WriteManifests(plugins.path());
  Daemon d(DaemonOptions{{}, {"--plugins-dir", plugins.str()}});
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  Lab lab = MakeLab(http, alice);
  const std::string ws = "/api/v1/workspaces/" + lab.ws + "/plugins";
  const std::string nb = "/api/v1/workspaces/" + lab.ws + "/notebooks/" + lab.nb + "/plugins";
  const std::string flat = "/api/v1/notebooks/" + lab.nb + "/plugins";
  const Json fallback = B({{"plugin_id", "zeta"}, {"enabled", true}, {"config", B({})}});

  CHECK(Ok(http.Get(ws, alice)).as_array().empty());
  CHECK(Ok(http.Get(ws + "/zeta", alice)) == fallback);
  Json made = Ok(http.Put(ws + "/zeta", B({{"config", B({{"a", 1}})}}), alice));
  CHECK(Keys(made) ==
        std::vector<std::string>{"plugin_id", "enabled", "config", "created_at", "updated_at"});
  Json off = Ok(http.Put(ws + "/zeta", B({{"enabled", false}}), alice));
  CHECK(At(off, "config") == B({{"a", 1}}));
  CHECK(At(off, "created_at") == At(made, "created_at"));
  CHECK(At(off, "updated_at").as_string() > At(made, "updated_at").as_string());
  Json kept = Ok(http.Put(ws + "/zeta", B({{"enabled", nullptr}, {"config", nullptr}}), alice));
  CHECK(!At(kept, "enabled").as_bool());
  CHECK(At(kept, "config") == B({{"a", 1}}));
  Ok(http.Put(ws + "/beta", B({}), alice));
  Json list = Ok(http.Get(ws + "/", alice));
  REQUIRE(list.as_array().size() == 2);
  CHECK(At(list.as_array()[0], "plugin_id").as_string() == "beta");
  CHECK(At(list.as_array()[1], "config") == B({{"a", 1}}));
  // Secure properties of a registered plugin never come back.
  Json gh = Ok(http.Put(ws + "/gh",
                        B({{"config", B({{"access_token", "s3cret"}, {"owner", "o"}})}}), alice));
  CHECK(At(gh, "config") == B({{"owner", "o"}}));
  CHECK(http.Get(ws, alice).body.find("s3cret") == std::string::npos);
  CHECK(At(Ok(http.Delete(ws + "/zeta", alice)), "message").as_string() ==
        "Plugin configuration deleted successfully");
  Ok(http.Delete(ws + "/never-stored", alice));
  CHECK(Ok(http.Get(ws + "/zeta", alice)) == fallback);

  // Notebook level: both spellings share the rows; no merging with the workspace level.
  Json n = Ok(http.Put(nb + "/beta", B({{"config", B({{"n", 1}, {"access_token", "x"}})}}), alice));
  CHECK(Ok(http.Get(flat + "/beta", alice)) == n);
  CHECK(At(Ok(http.Put(flat + "/gh", B({{"config", B({{"access_token", "t"}})}}), alice)),
           "config") == B({}));
  CHECK(Ok(http.Get(nb, alice)) == Ok(http.Get(flat + "/", alice)));
  CHECK(Ok(http.Get(flat, alice)).as_array().size() == 2);
  CHECK(At(Ok(http.Get(ws + "/beta", alice)), "config") == B({}));
  Ok(http.Delete(flat + "/beta", alice));
  CHECK(Keys(Ok(http.Get(nb + "/beta", alice))).size() == 3);
  ExpectAll(
      http, alice,
      {{"PUT", ws + "/zeta", B({{"config", Json::Array{1}}}), 422, "dict_type", "body/config"},
       {"PUT", ws + "/zeta", B({{"enabled", "maybe"}}), 422, "bool_parsing", "body/enabled"},
       {"PUT", nb + "/zeta", B({{"config", "x"}}), 422, "dict_type", "body/config"},
       {"GET", "/api/v1/notebooks/abc/plugins", {}, 422, "int_parsing", "path/notebook_id"},
       {"GET",
        "/api/v1/notebooks/99999/plugins",
        {},
        404,
        "notebook_not_found",
        "Notebook not found"},
       {"PUT", "/api/v1/notebooks/99999/plugins/x", B({}), 404, "notebook_not_found", ""},
       {"PUT", "/api/v1/workspaces/" + lab.ws + "/notebooks/999/plugins/x", B({}), 404,
        "notebook_not_found", ""}});
}

TEST_CASE("codexd plugins: integrations list, get, enable, config and blocks", "[codexd]") {
  TempDir plugins;
  WriteManifests(plugins.path());
  Daemon d(DaemonOptions{{}, {"--plugins-dir", plugins.str()}});
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  Lab lab = MakeLab(http, alice);
  const std::string api = "/api/v1/plugins/integrations", q = "?workspace_id=" + lab.ws;
  const std::string nested = "/api/v1/workspaces/" + lab.ws + "/notebooks/" + lab.nb;
  auto enabled = [&](const std::string& target) {  // gh's flag, in a list or alone
    Json j = Ok(http.Get(target, alice));
    if (j.is_object()) return At(j, "enabled").as_bool();
    for (const auto& i : j.as_array()) {
      if (At(i, "id").as_string() == "gh") return At(i, "enabled").as_bool();
    }
    FAIL("gh missing in " << j.Dump());
    return false;
  };

  Json list = Ok(http.Get(api, alice));
  REQUIRE(Ids(list) == std::vector<std::string>{"gh"});
  CHECK(list.as_array()[0] ==
        J(R"({"id": "gh", "name": "GitHub", "description": "Issues", "version": "1.0.0",)"
          R"( "author": "Lab", "api_type": "rest", "base_url": "https://api.github.com",)"
          R"( "auth_method": "token", "enabled": true, "properties": null, "blocks": null,)"
          R"( "endpoints": null})"));
  CHECK(Keys(list.as_array()[0]).back() == "endpoints");
  Json one = Ok(http.Get(api + "/gh", alice));
  CHECK(At(one, "properties").as_array().size() == 2);
  CHECK(At(one, "endpoints").as_array().size() == 1);
  Json blocks = Ok(http.Get(api + "/gh/blocks", alice));
  CHECK(At(blocks, "integration_id").as_string() == "gh");
  CHECK(At(At(blocks, "blocks").as_array().at(0), "id").as_string() == "issue");
  // Registered over HTTP, any type, with a bare integration object: defaults everywhere.
  Ok(http.Post("/api/v1/plugins/register",
               J(R"({"id": "bare", "name": "Bare", "version": "0.1.0", "type": "view",)"
                 R"( "manifest": {"integration": {"test_endpoint": "x"}}})"),
               alice));
  CHECK(Ok(http.Get(api + "/bare", alice)) ==
        J(R"({"id": "bare", "name": "Bare", "description": "", "version": "0.1.0", "author": "",)"
          R"( "api_type": "rest", "base_url": null, "auth_method": null, "enabled": true,)"
          R"( "properties": null, "blocks": null, "endpoints": null})"));
  CHECK(Ok(http.Get(api + "/bare/blocks", alice)) ==
        J(R"({"integration_id": "bare", "blocks": []})"));
  CHECK(Ids(Ok(http.Get(api + "/", alice))) == std::vector<std::string>{"bare", "gh"});

  // Enable per workspace: flat and nested read the same state.
  Json disabled = Ok(http.Put(api + "/gh/enable" + q, B({{"enabled", false}}), alice));
  CHECK(!At(disabled, "enabled").as_bool());
  CHECK(At(disabled, "blocks").is_array());
  CHECK(!enabled(api + q));
  CHECK(!enabled(api + "/gh" + q));
  CHECK(!enabled("/api/v1/workspaces/" + lab.ws + "/plugins/gh"));
  CHECK(!enabled(nested + "/integrations"));
  CHECK(enabled(api));
  Ok(http.Put(nested + "/integrations/gh/enable", B({{"enabled", true}}), alice));
  CHECK(enabled(api + "/gh" + q));

  // Config: replaced on PUT, secure keys never answered, plugin existence not checked.
  CHECK(Ok(http.Get(api + "/gh/config" + q, alice)) == B({{"plugin_id", "gh"}, {"config", B({})}}));
  CHECK(Ok(http.Put(api + "/gh/config" + q,
                    B({{"config", B({{"owner", "octo"}, {"access_token", "s3cret"}})}}), alice)) ==
        B({{"plugin_id", "gh"}, {"config", B({{"owner", "octo"}})}}));
  Ok(http.Put(nested + "/integrations/gh/config", B({{"config", B({{"repo", "r"}})}}), alice));
  const Json replaced = B({{"plugin_id", "gh"}, {"config", B({{"repo", "r"}})}});
  CHECK(Ok(http.Get(api + "/gh/config" + q, alice)) == replaced);
  CHECK(Ok(http.Get(nested + "/integrations/gh/config", alice)) == replaced);
  CHECK(At(Ok(http.Get(api + "/unknown/config" + q, alice)), "config") == B({}));

  const std::string wrong_nb = "/api/v1/workspaces/" + lab.ws + "/notebooks/999";
  const Json on = B({{"enabled", true}});
  ExpectAll(http, alice,
            {{"GET", api + "/alpha", {}, 404, "integration_not_found", "Integration not found"},
             {"GET", api + "/nope", {}, 404, "integration_not_found", ""},
             {"GET", api + "/alpha/blocks", {}, 404, "integration_not_found", ""},
             {"PUT", api + "/alpha/enable" + q, on, 404, "integration_not_found", ""},
             {"GET", api + "?workspace_id=999", {}, 404, "workspace_not_found", ""},
             {"PUT", api + "/gh/enable?workspace_id=999", on, 404, "workspace_not_found", ""},
             {"PUT", api + "/gh/enable", on, 422, "missing", kWsId},
             {"PUT", api + "/gh/enable?workspace_id=lab", on, 422, "int_parsing", kWsId},
             {"GET", api + "?workspace_id=x", {}, 422, "int_parsing", kWsId},
             {"PUT", api + "/gh/enable" + q, B({}), 422, "missing", "body/enabled"},
             {"GET", api + "/gh/config", {}, 422, "missing", kWsId},
             {"PUT", api + "/gh/config" + q, B({{"config", 1}}), 422, "dict_type", "body/config"},
             // Nested routes resolve the notebook.
             {"GET", wrong_nb + "/integrations", {}, 404, "notebook_not_found", ""},
             {"GET", wrong_nb + "/integrations/gh/config", {}, 404, "notebook_not_found", ""},
             {"PUT", wrong_nb + "/integrations/gh/config", B({{"config", B({})}}), 404,
              "notebook_not_found", ""},
             {"PUT", wrong_nb + "/integrations/gh/enable", on, 404, "notebook_not_found", ""}});
}

TEST_CASE("codexd plugins: snippets are written, indexed and checked", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob");
  Lab lab = MakeLab(http, alice);
  const std::string api = "/api/v1/snippets";
  const std::string nb = "/api/v1/workspaces/" + lab.ws + "/notebooks/" + lab.nb;
  auto with = [&](Json::Object extra) {
    Json r = B({{"workspace", "lab"}, {"notebook", "notes"}, {"content", "x"}});
    for (auto& [k, v] : extra) r.as_object().set(k, v);
    return r;
  };
  Json req = with({{"content", "Measured 4.2 mg"},
                   {"title", "Weigh-in: Day 1!"},
                   {"tags", Json::Array{"mass"}},
                   {"folder", "daily"},
                   {"file_type", "log"},
                   {"properties", B({{"mood", "ok"}})}});

  Json made = Expect(http.Post(api, req, alice), 201);
  CHECK(At(made, "message").as_string() == "Snippet created successfully");
  const std::string path = At(made, "path").as_string();
  CHECK(std::regex_match(path, std::regex(R"(daily/\d{4}-\d\d-\d\d-weigh-in-day-1\.md)")));
  CHECK(At(made, "title").as_string() == "Weigh-in: Day 1!");
  CHECK(At(made, "file_type").as_string() == "log");
  CHECK(At(made, "tags") == Json(Json::Array{"mass"}));
  CHECK(Keys(made).back() == "message");
  std::string text = ReadFile(fs::path(lab.nb_dir) / path);
  CHECK(text.rfind("---\n", 0) == 0);
  CHECK(text.find("mood: ok") != std::string::npos);
  CHECK(text.find("Measured 4.2 mg") != std::string::npos);
  CHECK(Ok(http.Get(nb + "/files/" + Id(made), alice)) ==
        Ok(http.Get(nb + "/files/path/" + path, alice)));
  Json log = At(Ok(http.Get(nb + "/files/" + Id(made) + "/history", alice)), "history");
  CHECK(At(log.as_array().at(0), "message").as_string() == "Snippet: Weigh-in: Day 1!");
  // The same again: a unique name; ids work as references too.
  req.as_object().set("workspace", lab.ws);
  req.as_object().set("notebook", lab.nb);
  CHECK(At(Expect(http.Post(api + "/", req, alice), 201), "path").as_string() ==
        path.substr(0, path.size() - 3) + "-1.md");
  Json plain = Expect(http.Post(api, with({}), alice), 201);
  CHECK(std::regex_match(At(plain, "path").as_string(),
                         std::regex(R"(\d{4}-\d\d-\d\d-\d{6}-snippet\.md)")));
  CHECK(At(plain, "file_type").is_null());
  CHECK(At(Expect(http.Post(api, with({{"filename", "fixed.md"}}), alice), 201), "path")
            .as_string() == "fixed.md");

  ExpectAll(http, alice,
            {{"POST", api, with({{"folder", "../up"}}), 403, "path_forbidden",
              "Access denied: Invalid file path"},
             {"POST", api, with({{"folder", ".git"}}), 403, "path_forbidden", ""},
             {"POST", api, with({{"folder", "/abs"}}), 400, "invalid_path", "Invalid file path"},
             {"POST", api, with({{"workspace", "nope"}}), 404, "workspace_not_found",
              "Workspace not found: nope"},
             {"POST", api, with({{"notebook", "nope"}}), 404, "notebook_not_found",
              "Notebook not found: nope"},
             {"POST", api, B({{"workspace", "lab"}, {"notebook", "notes"}}), 422, "missing",
              "body/content"},
             {"POST", api, with({{"tags", "a"}}), 422, "list_type", "body/tags"}});
  ExpectAll(http, bob, {{"POST", api, with({}), 404, "workspace_not_found", ""}});
  Ok(http.Put("/api/v1/workspaces/" + lab.ws + "/permissions/bob", B({{"role", "viewer"}}), alice));
  ExpectAll(http, bob,
            {{"POST", api, with({{"workspace", lab.ws}}), 403, "insufficient_permissions", ""}});
  fs::remove_all(lab.nb_dir);
  ExpectAll(
      http, alice,
      {{"POST", api, with({}), 404, "notebook_path_missing", "Notebook path not found on disk"}});
}

}  // namespace
}  // namespace codex::testing
