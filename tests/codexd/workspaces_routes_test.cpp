// Workspaces, members and notebooks over HTTP (CONTRACT §4, §5, §9, §10, §13). That a
// non-member's 404 equals the one for unknown ids is checked route by route in
// permission_matrix_test.cpp.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

namespace fs = std::filesystem;
const std::string kWs = "/api/v1/workspaces";

// The body of a response REQUIREd to have `status`.
// An error response of CONTRACT §2: status, code and (when given) the exact detail.
void ExpectError(const HttpResponse& r, int status, const std::string& code,
                 const std::string& detail = "") {
  Json body = Expect(r, status);
  CHECK(At(body, "code").as_string() == code);
  if (!detail.empty()) CHECK(At(body, "detail").as_string() == detail);
}

// A 422 whose first problem has `type` at `loc` ("body/role" → ["body","role"]).
Json Expect422(const HttpResponse& r, const std::string& type, const std::string& field) {
  Json body = Expect(r, 422);
  const Json& first = At(body, "detail").as_array().at(0);
  CHECK(At(first, "type").as_string() == type);
  const auto& loc = At(first, "loc").as_array();
  REQUIRE(loc.size() >= 2);
  CHECK(loc[0].as_string() + "/" + (loc[1].is_string() ? loc[1].as_string() : loc[1].Dump()) ==
        field);
  return first;
}

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> out;
  for (const auto& [k, v] : object.as_object()) out.push_back(k);
  return out;
}

Json Body(Json::Object o) { return Json(std::move(o)); }

Json MakeWs(HttpClient& http, const std::string& token, const std::string& name,
            std::optional<std::string> path = std::nullopt) {
  Json::Object body{{"name", name}};
  if (path) body.set("path", *path);
  return Expect(http.Post(kWs, Json(body), token), 200);
}

std::int64_t UserId(HttpClient& http, const std::string& token) {
  return At(Expect(http.Get("/api/v1/users/me", token), 200), "id").as_int();
}

std::string Id(const Json& object) { return std::to_string(At(object, "id").as_int()); }

// A personal access token with the binding in `body`.
std::string Pat(HttpClient& http, const std::string& token, Json::Object body) {
  body.set("name", "pat");
  return At(Expect(http.Post("/api/v1/tokens", Json(std::move(body)), token), 201), "token")
      .as_string();
}

TEST_CASE("codexd workspaces: create without path, list, get by id and slug", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  std::int64_t alice_id = UserId(http, alice);

  Json lab = MakeWs(http, alice, "Lab Book");
  CHECK(Keys(lab) == std::vector<std::string>{"id", "name", "slug", "path", "owner_id",
                                              "theme_setting", "created_at", "updated_at", "role"});
  CHECK(At(lab, "slug").as_string() == "lab-book");
  CHECK(At(lab, "role").as_string() == "owner");
  CHECK(At(lab, "theme_setting").as_string() == "cream");
  CHECK(At(lab, "owner_id").as_int() == alice_id);
  CHECK(std::regex_match(At(lab, "created_at").as_string(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
  const std::string lab_path = At(lab, "path").as_string();
  CHECK(lab_path == fs::canonical(d.data_dir()).string() + "/workspaces/lab-book");
  CHECK(fs::is_directory(lab_path + "/.codex"));

  // Same name: a collision suffix, and the directory follows it.
  Json again = MakeWs(http, alice, "Lab Book");
  CHECK(std::regex_match(At(again, "slug").as_string(), std::regex("lab-book-[0-9a-f]{8}")));
  CHECK(fs::path(At(again, "path").as_string()).filename() == At(again, "slug").as_string());
  // A directory already on disk takes the name too.
  fs::create_directories(fs::path(d.data_dir()) / "workspaces" / "occupied");
  CHECK(At(MakeWs(http, alice, "Occupied"), "slug").as_string() != "occupied");
  // Digit-only names never give digit-only slugs, and stay reachable by slug.
  Json year = MakeWs(http, alice, "2026");
  CHECK(At(year, "slug").as_string() == "2026-workspace");
  CHECK(At(Expect(http.Get(kWs + "/2026-workspace", alice), 200), "id") == At(year, "id"));
  CHECK(At(MakeWs(http, alice, "!!!"), "slug").as_string() == "workspace");

  // Both spellings, ascending id; registration made the first ("alice").
  for (const std::string& target : {kWs, kWs + "/"}) {
    Json list = Expect(http.Get(target, alice), 200);
    REQUIRE(list.as_array().size() == 6);
    CHECK(At(list.as_array()[0], "slug").as_string() == "alice");
    CHECK(list.as_array()[1] == lab);
    for (std::size_t i = 1; i < 6; ++i) {
      CHECK(At(list.as_array()[i - 1], "id").as_int() < At(list.as_array()[i], "id").as_int());
    }
  }
  CHECK(Expect(http.Get(kWs + "/" + Id(lab), alice), 200) == lab);
  CHECK(Expect(http.Get(kWs + "/lab-book/", alice), 200) == lab);
  ExpectError(http.Get(kWs + "/999", alice), 404, "workspace_not_found", "Workspace not found");
  ExpectError(http.Get(kWs + "/no-such-slug", alice), 404, "workspace_not_found");
  CHECK(http.Get(kWs).status == 401);
  // 401 beats 422.
  CHECK(http.Send("POST", kWs, "{", {{"Content-Type", "application/json"}}).status == 401);

  // Bad inputs.
  for (const auto& [name, type] :
       std::vector<std::pair<Json, std::string>>{{nullptr, "missing"},
                                                 {"", "string_too_short"},
                                                 {7, "string_type"},
                                                 {std::string(256, 'n'), "string_too_long"}}) {
    Expect422(http.Post(kWs, Body({{"name", name}}), alice), type, "body/name");
  }
  Expect422(http.Post(kWs, Body({{"name", "x"}, {"path", 3}}), alice), "string_type", "body/path");
  Expect422(http.Send("POST", kWs, "{\"name\":", {{"Content-Type", "application/json"}}, alice),
            "json_invalid", "body/8");
}

TEST_CASE("codexd workspaces: explicit paths inside CODEX_WORKSPACE_ROOTS", "[codexd]") {
  TempDir area;
  fs::create_directories(area / "roots/a");
  fs::create_directories(area / "roots/b");
  fs::create_directories(area / "outside");
  fs::create_symlink(area / "outside", area / "roots/a/escape");
  DaemonOptions options;
  options.env["CODEX_WORKSPACE_ROOTS"] =
      (area / "nowhere").string() + ":" + (area / "roots").string();
  Daemon d(options);
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  const std::string root = (area / "roots").string();

  // A new directory is created; the slug comes from its basename.
  Json fresh = MakeWs(http, alice, "Anything", root + "/a/Project X");
  CHECK(At(fresh, "slug").as_string() == "project-x");
  CHECK(At(fresh, "path").as_string() == root + "/a/Project X");
  CHECK(fs::is_directory(root + "/a/Project X/.codex"));
  // The same basename elsewhere: the slug gets the suffix, the directory keeps its name.
  Json twin = MakeWs(http, alice, "Twin", root + "/b/Project X");
  CHECK(std::regex_match(At(twin, "slug").as_string(), std::regex("project-x-[0-9a-f]{8}")));
  CHECK(At(twin, "path").as_string() == root + "/b/Project X");
  // An existing directory with the user's files is adopted; a trailing slash and dot segments
  // are normalised.
  WriteFile(area / "roots/data/mine.txt", "mine");
  Json existing = MakeWs(http, alice, "Data", root + "/./data/");
  CHECK(At(existing, "path").as_string() == root + "/data");

  struct Case {
    std::string path;
    int status;
    std::string code, detail;
  };
  WriteFile(area / "roots/a/file.txt", "not a directory");
  fs::create_symlink(area / "outside/later", area / "roots/a/dangling");
  const std::vector<Case> cases = {
      {root + "/a/file.txt", 403, "workspace_path_forbidden", ""},  // not a directory
      {root + "/a/dangling", 403, "workspace_path_forbidden", ""},  // a link to nothing (yet)
      {root + "/data", 400, "workspace_path_in_use", "Path already in use by another workspace"},
      {root + "/a/../data", 400, "workspace_path_in_use", ""},
      {(area / "outside/w").string(), 403, "workspace_path_forbidden",
       "Access denied: Invalid workspace path"},
      {root + "/../outside/w", 403, "workspace_path_forbidden", ""},
      {root + "/a/escape", 403, "workspace_path_forbidden", ""},    // symlink out of the roots
      {root + "/a/escape/w", 403, "workspace_path_forbidden", ""},  // parent is a symlink out
      {root + "/data/inner", 403, "workspace_path_forbidden", ""},  // inside another workspace
      {root + "/a/Project X/notes", 403, "workspace_path_forbidden", ""},
      {d.data_dir() + "/workspaces/x", 403, "workspace_path_forbidden", ""},
      {root + "/missing/w", 400, "workspace_parent_missing",
       "Parent directory does not exist: " + root + "/missing"},
  };
  for (const auto& c : cases) {
    INFO(c.path);
    ExpectError(http.Post(kWs, Body({{"name", "x"}, {"path", c.path}}), alice), c.status, c.code,
                c.detail);
  }
  CHECK(!fs::exists(area / "outside/w"));
  // A null or empty path means "no path".
  CHECK(At(Expect(http.Post(kWs, Body({{"name", "Auto"}, {"path", nullptr}}), alice), 200), "path")
            .as_string()
            .find("/workspaces/auto") != std::string::npos);
  // Without roots an explicit path may be anywhere, except inside the data dir's workspaces and
  // other workspaces, or around them.
  Daemon open;
  auto http2 = open.Client();
  std::string bob = open.AddUser("bob");
  MakeWs(http2, bob, "Anywhere", (area / "outside/free").string());
  Json autos = MakeWs(http2, bob, "Auto");
  for (const std::string& p : {At(autos, "path").as_string() + "/sub",
                               open.data_dir() + "/workspaces/new", (area / "outside").string()}) {
    INFO(p);
    ExpectError(http2.Post(kWs, Body({{"name", "x"}, {"path", p}}), bob), 403,
                "workspace_path_forbidden");
  }
  if (::geteuid() != 0) {  // root writes anywhere
    fs::create_directories(area / "ro");
    fs::permissions(area / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    ExpectError(http2.Post(kWs, Body({{"name", "x"}, {"path", (area / "ro/w").string()}}), bob),
                400, "workspace_parent_not_writable",
                "Parent directory is not writable: " + (area / "ro").string());
  }
}

TEST_CASE("codexd workspaces: theme and delete with the on-disk rules", "[codexd]") {
  TempDir area;
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  Json lab = MakeWs(http, alice, "Lab");
  const std::string ws = kWs + "/" + Id(lab);

  Json themed = Expect(http.Patch(ws + "/theme", Body({{"theme", "dark"}}), alice), 200);
  CHECK(At(themed, "theme_setting").as_string() == "dark");
  CHECK(At(themed, "updated_at").as_string() > At(lab, "updated_at").as_string());
  CHECK(At(themed, "created_at") == At(lab, "created_at"));
  CHECK(At(Expect(http.Get(ws, alice), 200), "theme_setting").as_string() == "dark");
  for (const auto& [theme, type] :
       std::vector<std::pair<Json, std::string>>{{"", "string_too_short"},
                                                 {std::string(101, 't'), "string_too_long"},
                                                 {nullptr, "missing"},
                                                 {3, "string_type"}}) {
    Expect422(http.Patch(ws + "/theme", Body({{"theme", theme}}), alice), type, "body/theme");
  }

  // Auto-created: the whole directory goes, with notebooks and user files, and with it the
  // workspace's tasks, plugin configurations and bound tokens.
  Json notes = Expect(http.Post(ws + "/notebooks", Body({{"name", "Notes"}}), alice), 200);
  Json task =
      Expect(http.Post("/api/v1/tasks?workspace_id=" + Id(lab) + "&title=t", Body({}), alice), 200);
  Expect(http.Put(ws + "/plugins/p", Body({{"config", Body({{"a", 1}})}}), alice), 200);
  std::string bound = Pat(http, alice, {{"workspace_id", At(lab, "id")}});
  std::string nb_bound = Pat(http, alice, {{"notebook_id", At(notes, "id")}});
  CHECK(http.Get(ws, bound).status == 200);
  CHECK(http.Get(ws + "/notebooks/" + Id(notes), nb_bound).status == 200);
  const std::string lab_path = At(lab, "path").as_string();
  WriteFile(fs::path(lab_path) / "stray.txt", "x");
  Json done = Expect(http.Delete(ws, alice), 200);
  CHECK(At(done, "message").as_string() == "Workspace deleted successfully");
  CHECK(!fs::exists(lab_path));
  ExpectError(http.Get(ws, alice), 404, "workspace_not_found");
  ExpectError(http.Delete(ws, alice), 404, "workspace_not_found");
  CHECK(Expect(http.Get(kWs, alice), 200).as_array().size() == 1);  // the default one
  ExpectError(http.Get("/api/v1/tasks/" + Id(task), alice), 404, "task_not_found");
  ExpectError(http.Get(ws, bound), 401, "invalid_token");
  ExpectError(http.Get("/api/v1/users/me", nb_bound), 401, "invalid_token");
  // A new workspace with the same name starts clean (no stale configuration).
  Json fresh = MakeWs(http, alice, "Lab");
  CHECK(Expect(http.Get(kWs + "/" + Id(fresh) + "/plugins", alice), 200).as_array().empty());

  // Explicit path with the user's own files: only what Codex made goes.
  WriteFile(area / "mine/keep.txt", "keep");
  Json mine = MakeWs(http, alice, "Mine", (area / "mine").string());
  Expect(http.Post(kWs + "/" + Id(mine) + "/notebooks", Body({{"name", "Journal"}}), alice), 200);
  CHECK(fs::is_directory(area / "mine/journal/.git"));
  Expect(http.Delete(kWs + "/" + Id(mine), alice), 200);
  CHECK(ReadFile(area / "mine/keep.txt") == "keep");
  CHECK(!fs::exists(area / "mine/journal"));
  CHECK(!fs::exists(area / "mine/.codex"));
  // The path is free again; an explicit directory that is empty afterwards goes too.
  MakeWs(http, alice, "Mine again", (area / "mine").string());
  Json empty = MakeWs(http, alice, "Empty", (area / "empty").string());
  Expect(http.Delete(kWs + "/" + Id(empty), alice), 200);
  CHECK(!fs::exists(area / "empty"));
  CHECK(fs::exists(area / "mine/keep.txt"));
}

TEST_CASE("codexd workspaces: permissions list, grant, remove, leave, last owner", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob"), carol = d.AddUser("carol");
  std::int64_t alice_id = UserId(http, alice), bob_id = UserId(http, bob);
  Json lab = MakeWs(http, alice, "Lab");
  const std::string ws = kWs + "/" + Id(lab), perms = ws + "/permissions";

  Json only = Expect(http.Get(perms, alice), 200);
  REQUIRE(only.as_array().size() == 1);
  CHECK(Keys(only.as_array()[0]) ==
        std::vector<std::string>{"user_id", "username", "role", "created_at"});
  CHECK(At(only.as_array()[0], "user_id").as_int() == alice_id);
  CHECK(At(only.as_array()[0], "role").as_string() == "owner");

  Json granted = Expect(http.Put(perms + "/bob", Body({{"role", "viewer"}}), alice), 200);
  CHECK(At(granted, "user_id").as_int() == bob_id);
  CHECK(At(granted, "username").as_string() == "bob");
  CHECK(At(granted, "role").as_string() == "viewer");
  // The shared workspace shows in bob's list with his role; reachable by id and slug.
  Json bobs = Expect(http.Get(kWs, bob), 200);
  REQUIRE(bobs.as_array().size() == 2);  // his default one, then the shared one (ascending id)
  CHECK(At(bobs.as_array()[0], "role").as_string() == "owner");
  CHECK(At(bobs.as_array()[1], "id") == At(lab, "id"));
  CHECK(At(bobs.as_array()[1], "role").as_string() == "viewer");
  CHECK(At(bobs.as_array()[1], "owner_id").as_int() == alice_id);
  CHECK(At(Expect(http.Get(kWs + "/lab", bob), 200), "id") == At(lab, "id"));
  // A viewer reads members but changes nothing.
  CHECK(Expect(http.Get(perms, bob), 200).as_array().size() == 2);
  ExpectError(http.Put(perms + "/carol", Body({{"role", "viewer"}}), bob), 403,
              "insufficient_permissions", "Insufficient permissions");
  ExpectError(http.Delete(perms + "/alice", bob), 403, "insufficient_permissions");
  ExpectError(http.Patch(ws + "/theme", Body({{"theme", "x"}}), bob), 403,
              "insufficient_permissions");

  // Each role; re-granting keeps the first grant time.
  for (const std::string role : {"editor", "owner", "viewer"}) {
    Json p = Expect(http.Put(perms + "/bob", Body({{"role", role}}), alice), 200);
    CHECK(At(p, "role").as_string() == role);
    CHECK(At(p, "created_at") == At(granted, "created_at"));
  }
  Json listed = Expect(http.Get(perms + "/", alice), 200);
  REQUIRE(listed.as_array().size() == 2);
  CHECK(At(listed.as_array()[0], "username").as_string() == "alice");
  CHECK(At(listed.as_array()[1], "role").as_string() == "viewer");

  // Bad inputs and unknown names.
  Json literal = Expect422(http.Put(perms + "/bob", Body({{"role", "admin"}}), alice),
                           "literal_error", "body/role");
  CHECK(At(literal, "msg").as_string() == "Input should be 'owner', 'editor' or 'viewer'");
  Expect422(http.Put(perms + "/bob", Body({{"role", "Owner"}}), alice), "literal_error",
            "body/role");
  Expect422(http.Put(perms + "/bob", Body({}), alice), "missing", "body/role");
  ExpectError(http.Put(perms + "/nobody", Body({{"role", "viewer"}}), alice), 404, "user_not_found",
              "User not found");
  ExpectError(http.Put(perms + "/BOB", Body({{"role", "viewer"}}), alice), 404, "user_not_found");
  ExpectError(http.Delete(perms + "/carol", alice), 404, "permission_not_found",
              "Permission not found");
  ExpectError(http.Delete(perms + "/nobody", alice), 404, "permission_not_found");

  // The only owner can neither be demoted nor leave.
  ExpectError(http.Put(perms + "/alice", Body({{"role", "editor"}}), alice), 409, "last_owner",
              "Cannot remove the last owner");
  ExpectError(http.Delete(perms + "/alice", alice), 409, "last_owner");
  // Owner removes a member; a viewer leaves by themself.
  Expect(http.Put(perms + "/carol", Body({{"role", "editor"}}), alice), 200);
  CHECK(http.Delete(perms + "/carol", alice).status == 204);
  ExpectError(http.Get(ws, carol), 404, "workspace_not_found");
  CHECK(http.Delete(perms + "/bob/", bob).status == 204);
  CHECK(Expect(http.Get(kWs, bob), 200).as_array().size() == 1);
  ExpectError(http.Get(perms, bob), 404, "workspace_not_found");

  // With a second owner, the creator may step down and leave; owner_id passes on, and the slug
  // gets a suffix when the new owner already has one like it.
  TempDir area;  // an explicit path keeps the basename as slug: bob's own "lab"
  Json bobs_lab = MakeWs(http, bob, "Lab", (area / "lab").string());
  REQUIRE(At(bobs_lab, "slug").as_string() == "lab");
  Expect(http.Put(perms + "/bob", Body({{"role", "owner"}}), alice), 200);
  CHECK(At(Expect(http.Get(kWs + "/lab", bob), 200), "id") == At(bobs_lab, "id"));  // own first
  Expect(http.Put(perms + "/alice", Body({{"role", "editor"}}), alice), 200);
  ExpectError(http.Put(perms + "/bob", Body({{"role", "viewer"}}), alice), 403,
              "insufficient_permissions");
  CHECK(http.Delete(perms + "/alice", alice).status == 204);
  Json handed = Expect(http.Get(ws, bob), 200);
  CHECK(At(handed, "owner_id").as_int() == bob_id);
  CHECK(std::regex_match(At(handed, "slug").as_string(), std::regex("lab-[0-9a-f]{8}")));
  ExpectError(http.Delete(perms + "/bob", bob), 409, "last_owner");
}

TEST_CASE("codexd workspaces: notebooks create, list, get, delete, indexing status", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice"), bob = d.AddUser("bob");
  Json lab = MakeWs(http, alice, "Lab");
  const std::string ws = kWs + "/" + Id(lab), nbs = ws + "/notebooks";
  const fs::path lab_dir = At(lab, "path").as_string();

  Json nb = Expect(
      http.Post(
          nbs,
          Body({{"name", "Field Notes"}, {"description", "Samples"}, {"path", "/etc"}}),  // ignored
          alice),
      200);
  CHECK(Keys(nb) == std::vector<std::string>{"id", "slug", "name", "path", "description",
                                             "created_at", "updated_at"});
  CHECK(At(nb, "slug").as_string() == "field-notes");
  CHECK(At(nb, "path").as_string() == "field-notes");
  CHECK(At(nb, "description").as_string() == "Samples");
  CHECK(fs::is_regular_file(lab_dir / "field-notes/.codex/notebook.db"));
  CHECK(fs::is_directory(lab_dir / "field-notes/.git"));
  CHECK(fs::is_regular_file(lab_dir / "field-notes/.gitignore"));

  Json twin = Expect(http.Post(nbs + "/", Body({{"name", "Field Notes"}}), alice), 200);
  CHECK(std::regex_match(At(twin, "slug").as_string(), std::regex("field-notes-[0-9a-f]{8}")));
  CHECK(At(twin, "description").is_null());
  fs::create_directories(lab_dir / "taken");
  CHECK(At(Expect(http.Post(nbs, Body({{"name", "Taken"}}), alice), 200), "slug").as_string() !=
        "taken");
  Json year = Expect(http.Post(nbs, Body({{"name", "1999"}}), alice), 200);
  CHECK(At(year, "slug").as_string() == "1999-notebook");
  CHECK(At(Expect(http.Post(nbs, Body({{"name", "!!!"}}), alice), 200), "slug").as_string() ==
        "notebook");
  Json cafe = Expect(http.Post(nbs, Body({{"name", "Café Notes"}}), alice), 200);
  CHECK(At(cafe, "slug").as_string() == "café-notes");
  CHECK(fs::is_directory(lab_dir / "café-notes/.git"));
  CHECK(Expect(http.Get(nbs + "/caf%C3%A9-notes", alice), 200) == cafe);

  Json list = Expect(http.Get(nbs, alice), 200);
  REQUIRE(list.as_array().size() == 6);
  CHECK(list.as_array()[0] == nb);
  CHECK(At(list.as_array()[1], "id").as_int() < At(list.as_array()[2], "id").as_int());
  CHECK(Expect(http.Get(nbs + "/" + Id(nb), alice), 200) == nb);
  CHECK(Expect(http.Get(ws + "/notebooks/field-notes/", alice), 200) == nb);
  CHECK(At(Expect(http.Get(kWs + "/lab/notebooks/1999-notebook", alice), 200), "id") ==
        At(year, "id"));
  ExpectError(http.Get(nbs + "/999", alice), 404, "notebook_not_found", "Notebook not found");
  ExpectError(http.Get(nbs + "/nope", alice), 404, "notebook_not_found");
  ExpectError(http.Get(kWs + "/999/notebooks/" + Id(nb), alice), 404, "workspace_not_found");

  Json status = Expect(http.Get(nbs + "/" + Id(nb) + "/indexing-status", alice), 200);
  CHECK(Keys(status) == std::vector<std::string>{"notebook_id", "status", "is_alive"});
  CHECK(At(status, "notebook_id") == At(nb, "id"));
  // The daemon's watcher follows a notebook from its creation.
  CHECK(std::set<std::string>{"in_progress", "completed"}.count(At(status, "status").as_string()) ==
        1);
  CHECK(At(status, "is_alive") == Json(true));
  ExpectError(http.Get(nbs + "/999/indexing-status", alice), 404, "notebook_not_found");

  for (const auto& [name, type] : std::vector<std::pair<Json, std::string>>{
           {nullptr, "missing"}, {"", "string_too_short"}, {false, "string_type"}}) {
    Expect422(http.Post(nbs, Body({{"name", name}}), alice), type, "body/name");
  }
  Expect422(http.Post(nbs, Body({{"name", "x"}, {"description", 5}}), alice), "string_type",
            "body/description");

  // Roles: a viewer reads, an editor creates and deletes; non-members see nothing.
  ExpectError(http.Get(nbs, bob), 404, "workspace_not_found");
  Expect(http.Put(ws + "/permissions/bob", Body({{"role", "viewer"}}), alice), 200);
  CHECK(Expect(http.Get(nbs, bob), 200) == list);
  ExpectError(http.Post(nbs, Body({{"name", "B"}}), bob), 403, "insufficient_permissions");
  ExpectError(http.Delete(nbs + "/" + Id(nb), bob), 403, "insufficient_permissions");
  Expect(http.Put(ws + "/permissions/bob", Body({{"role", "editor"}}), alice), 200);
  Expect(http.Post(nbs, Body({{"name", "B"}}), bob), 200);

  Expect(http.Put(nbs + "/" + Id(nb) + "/plugins/p", Body({{"config", Body({{"a", 1}})}}), alice),
         200);
  std::string pat = Pat(http, alice, {{"notebook_id", At(nb, "id")}});
  CHECK(http.Get(nbs + "/" + Id(nb), pat).status == 200);
  Json gone = Expect(http.Delete(nbs + "/" + Id(nb), bob), 200);
  ExpectError(http.Get("/api/v1/users/me", pat), 401, "invalid_token");
  CHECK(At(gone, "message").as_string() == "Notebook deleted successfully");
  CHECK(!fs::exists(lab_dir / "field-notes"));
  CHECK(fs::exists(lab_dir / At(twin, "path").as_string()));
  ExpectError(http.Get(nbs + "/" + Id(nb), alice), 404, "notebook_not_found");
  ExpectError(http.Delete(nbs + "/" + Id(nb), alice), 404, "notebook_not_found");
  CHECK(Expect(http.Get(nbs, alice), 200).as_array().size() == 6);
}

}  // namespace
}  // namespace codex::testing
