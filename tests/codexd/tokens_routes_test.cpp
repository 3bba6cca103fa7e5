// Personal access tokens against the real daemon: creation, listing, revocation, expiry, scopes
// and workspace/notebook binding (CONTRACT §3.5, §4.3, §8).
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> out;
  for (const auto& [k, v] : object.as_object()) out.push_back(k);
  return out;
}

std::string FirstErrorType(const HttpResponse& r) {
  INFO(r.Describe());
  Json body = r.json();
  const Json& detail = At(body, "detail");
  REQUIRE(detail.is_array());
  REQUIRE(!detail.as_array().empty());
  return At(detail.as_array().front(), "type").as_string();
}

void CheckRefused(const HttpResponse& r, int status, const std::string& code) {
  INFO(r.Describe());
  CHECK(r.status == status);
  if (r.status == status) CHECK(At(r.json(), "code").as_string() == code);
}

// A PAT of `jwt`'s user; REQUIREd to be created.
Json CreatePat(HttpClient& http, const std::string& jwt, Json::Object body) {
  auto r = http.Post("/api/v1/tokens", Json(std::move(body)), jwt);
  INFO(r.Describe());
  REQUIRE(r.status == 201);
  return r.json();
}

std::string Token(const Json& created) { return At(created, "token").as_string(); }

// The user's default workspace (registration creates one named after the user).
std::int64_t DefaultWorkspace(HttpClient& http, const std::string& jwt) {
  auto r = http.Get("/api/v1/workspaces", jwt);
  REQUIRE(r.status == 200);
  REQUIRE(!r.json().as_array().empty());
  return At(r.json().as_array().front(), "id").as_int();
}

std::int64_t CreateWorkspace(HttpClient& http, const std::string& jwt, const std::string& name) {
  auto r = http.Post("/api/v1/workspaces", Json(Json::Object{{"name", name}}), jwt);
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  return At(r.json(), "id").as_int();
}

std::int64_t CreateNotebook(HttpClient& http, const std::string& jwt, std::int64_t ws,
                            const std::string& name) {
  auto r = http.Post("/api/v1/workspaces/" + std::to_string(ws) + "/notebooks",
                     Json(Json::Object{{"name", name}}), jwt);
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  return At(r.json(), "id").as_int();
}

std::string WsPath(std::int64_t ws) { return "/api/v1/workspaces/" + std::to_string(ws); }
std::string NbPath(std::int64_t ws, std::int64_t nb) {
  return WsPath(ws) + "/notebooks/" + std::to_string(nb);
}

TEST_CASE("codexd tokens: create returns the plaintext once; list and revoke", "[codexd][tokens]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();

  Json created = CreatePat(http, jwt, {{"name", "ci"}});
  CHECK(Keys(created) == std::vector<std::string>{"id", "name", "token", "token_prefix", "scopes",
                                                  "workspace_id", "notebook_id", "expires_at",
                                                  "created_at", "agent_id"});
  std::string token = Token(created);
  CHECK(token.size() == 47);
  CHECK(token.rfind("cdx_", 0) == 0);
  CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                                4) == std::string::npos);
  CHECK(At(created, "token_prefix").as_string() == token.substr(0, 12));
  CHECK(At(created, "name").as_string() == "ci");
  CHECK(At(created, "scopes").is_null());
  CHECK(At(created, "workspace_id").is_null());
  CHECK(At(created, "notebook_id").is_null());
  CHECK(At(created, "expires_at").is_null());
  CHECK(At(created, "agent_id").is_null());
  std::string created_at = At(created, "created_at").as_string();
  CHECK(created_at.size() == 27);  // 2026-11-21T10:00:00.123456Z
  CHECK(created_at.back() == 'Z');

  auto me = http.Get("/api/v1/users/me", token);
  REQUIRE(me.status == 200);
  CHECK(At(me.json(), "username").as_string() == "alice");
  // A PAT works from the cookie as well.
  CHECK(http.Send("GET", "/api/v1/users/me", "", {{"Cookie", "access_token=" + token}}).status ==
        200);

  Json second = CreatePat(http, jwt, {{"name", "laptop"}, {"scopes", "read"}});
  auto list = http.Get("/api/v1/tokens", jwt);
  REQUIRE(list.status == 200);
  Json::Array items = list.json().as_array();
  REQUIRE(items.size() == 2);
  // Newest first; no plaintext.
  CHECK(At(items[0], "id").as_int() == At(second, "id").as_int());
  CHECK(At(items[1], "id").as_int() == At(created, "id").as_int());
  CHECK(Keys(items[0]) == std::vector<std::string>{
                              "id", "name", "token_prefix", "scopes", "workspace_id", "notebook_id",
                              "last_used_at", "expires_at", "is_active", "created_at", "agent_id"});
  CHECK(list.body.find(token) == std::string::npos);
  CHECK(At(items[0], "scopes").as_string() == "read");
  CHECK(At(items[0], "last_used_at").is_null());
  CHECK(At(items[1], "last_used_at").is_string());  // used above
  CHECK(At(items[1], "is_active").as_bool());
  CHECK(http.Get("/api/v1/tokens/", jwt).status == 200);

  // Revoke: 204, row kept inactive, the token is refused from then on.
  auto revoke = http.Delete("/api/v1/tokens/" + std::to_string(At(created, "id").as_int()), jwt);
  REQUIRE(revoke.status == 204);
  CHECK(revoke.body.empty());
  CHECK(!revoke.Header("Content-Type"));
  auto refused = http.Get("/api/v1/users/me", token);
  CheckRefused(refused, 401, "invalid_token");
  CHECK(refused.Header("WWW-Authenticate").value_or("") == "Bearer");
  auto after = http.Get("/api/v1/tokens", jwt).json().as_array();
  REQUIRE(after.size() == 2);
  CHECK(!At(after[1], "is_active").as_bool());
  CHECK(At(after[0], "is_active").as_bool());
  CHECK(http.Get("/api/v1/users/me", Token(second)).status == 200);
  // Revoking again is harmless or a 404, never a 5xx.
  CHECK(http.Delete("/api/v1/tokens/" + std::to_string(At(created, "id").as_int()), jwt).status <
        500);
}

TEST_CASE("codexd tokens: revoking is per user; bad ids", "[codexd][tokens]") {
  Daemon d;
  std::string alice = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto http = d.Client();
  Json pat = CreatePat(http, alice, {{"name", "mine"}});
  std::string id = std::to_string(At(pat, "id").as_int());

  auto other = http.Delete("/api/v1/tokens/" + id, bob);
  CheckRefused(other, 404, "token_not_found");
  CHECK(At(other.json(), "detail").as_string() == "Token not found");
  CHECK(http.Get("/api/v1/users/me", Token(pat)).status == 200);
  CHECK(http.Get("/api/v1/tokens", bob).json().as_array().empty());

  CheckRefused(http.Delete("/api/v1/tokens/999999", alice), 404, "token_not_found");
  auto bad = http.Delete("/api/v1/tokens/abc", alice);
  REQUIRE(bad.status == 422);
  CHECK(FirstErrorType(bad) == "int_parsing");
}

TEST_CASE("codexd tokens: creation validation", "[codexd][tokens]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();

  struct Bad {
    Json::Object body;
    const char* type;
  };
  for (const auto& bad : std::vector<Bad>{
           {{}, "missing"},
           {{{"name", ""}}, "string_too_short"},
           {{{"name", 5}}, "string_type"},
           {{{"name", "x"}, {"scopes", "superuser"}}, "value_error"},
           {{{"name", "x"}, {"scopes", "read,root"}}, "value_error"},
           {{{"name", "x"}, {"scopes", "snippets:sudo"}}, "value_error"},
           {{{"name", "x"}, {"scopes", ":write"}}, "value_error"},
           {{{"name", "x"}, {"scopes", 3}}, "string_type"},
           {{{"name", "x"}, {"workspace_id", "abc"}}, "int_parsing"},
           {{{"name", "x"}, {"workspace_id", Json::Array{}}}, "int_type"},
           {{{"name", "x"}, {"expires_at", "tomorrow"}}, "datetime_parsing"},
           {{{"name", "x"}, {"expires_at", "2001-01-01T00:00:00Z"}}, "value_error"},
       }) {
    Json body(bad.body);
    INFO(body.Dump());
    auto r = http.Post("/api/v1/tokens", body, jwt);
    REQUIRE(r.status == 422);
    CHECK(FirstErrorType(r) == bad.type);
  }
  CHECK(http.Get("/api/v1/tokens", jwt).json().as_array().empty());

  // Scope lists: items trimmed, labels informational.
  for (const char* scopes :
       {"read", " read , write ", "snippets:write", "admin", "", "lab:admin"}) {
    INFO(scopes);
    auto r =
        http.Post("/api/v1/tokens", Json(Json::Object{{"name", "s"}, {"scopes", scopes}}), jwt);
    CHECK(r.status == 201);
  }
  // Time inputs: naive = UTC, offsets converted, output RFC 3339 with 6 digits and Z.
  auto naive = CreatePat(http, jwt, {{"name", "n"}, {"expires_at", "2099-01-02"}});
  CHECK(At(naive, "expires_at").as_string() == "2099-01-02T00:00:00.000000Z");
  auto offset = CreatePat(http, jwt, {{"name", "o"}, {"expires_at", "2099-01-02T10:00:00+02:00"}});
  CHECK(At(offset, "expires_at").as_string() == "2099-01-02T08:00:00.000000Z");
  CHECK(http.Get("/api/v1/users/me", Token(offset)).status == 200);
}

TEST_CASE("codexd tokens: token management and account deletion are JWT-only", "[codexd][tokens]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();
  std::string admin = Token(CreatePat(http, jwt, {{"name", "a"}, {"scopes", "admin"}}));
  std::string id = std::to_string(At(CreatePat(http, jwt, {{"name", "b"}}), "id").as_int());

  const std::string revoke = "/api/v1/tokens/" + id;
  for (auto [method, target] : {std::pair{"GET", "/api/v1/tokens"},
                                {"POST", "/api/v1/tokens"},
                                {"DELETE", revoke.c_str()},
                                {"DELETE", "/api/v1/users/me"}}) {
    INFO(method << " " << target);
    auto r = http.Send(method, target, method == std::string("POST") ? "{\"name\":\"x\"}" : "",
                       {{"Content-Type", "application/json"}}, admin);
    CheckRefused(r, 403, "insufficient_scope");
    if (r.status == 403) CHECK(At(r.json(), "detail").as_string() == "Insufficient token scope");
  }
  CHECK(http.Get("/api/v1/tokens", jwt).json().as_array().size() == 2);
  CHECK(http.Get("/api/v1/users/me", jwt).status == 200);
}

TEST_CASE("codexd tokens: scopes are enforced by route class", "[codexd][tokens]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto http = d.Client();
  std::int64_t ws = DefaultWorkspace(http, jwt);
  std::int64_t spare = CreateWorkspace(http, jwt, "Spare");
  std::string read = Token(CreatePat(http, jwt, {{"name", "r"}, {"scopes", "read"}}));
  std::string write = Token(CreatePat(http, jwt, {{"name", "w"}, {"scopes", "write"}}));
  std::string labelled = Token(CreatePat(http, jwt, {{"name", "l"}, {"scopes", "snippets:write"}}));
  std::string fallback = Token(CreatePat(http, jwt, {{"name", "d"}}));  // null = read,write
  std::string admin = Token(CreatePat(http, jwt, {{"name", "a"}, {"scopes", "read, admin"}}));
  Json theme(Json::Object{{"theme", "dark"}});
  Json role(Json::Object{{"role", "viewer"}});

  // R routes: every scope reads.
  for (const auto& t : {read, write, labelled, fallback, admin}) {
    CHECK(http.Get("/api/v1/users/me", t).status == 200);
    CHECK(http.Get("/api/v1/workspaces", t).status == 200);
    CHECK(http.Get(WsPath(ws), t).status == 200);
    CHECK(http.Get("/api/v1/plugins", t).status == 200);
  }
  // W routes: read is refused, write and up pass.
  CheckRefused(http.Patch("/api/v1/users/me/theme", theme, read), 403, "insufficient_scope");
  CheckRefused(http.Post("/api/v1/workspaces", Json(Json::Object{{"name", "R"}}), read), 403,
               "insufficient_scope");
  CheckRefused(http.Post(WsPath(ws) + "/notebooks", Json(Json::Object{{"name", "R"}}), read), 403,
               "insufficient_scope");
  for (const auto& t : {write, labelled, fallback, admin}) {
    CHECK(http.Patch("/api/v1/users/me/theme", theme, t).status == 200);
  }
  CHECK(http.Post(WsPath(ws) + "/notebooks", Json(Json::Object{{"name", "W"}}), write).status ==
        200);

  // A routes: write is refused, admin passes.
  for (const auto& t : {read, write, labelled, fallback}) {
    CheckRefused(http.Put(WsPath(ws) + "/permissions/bob", role, t), 403, "insufficient_scope");
    CheckRefused(http.Delete(WsPath(spare), t), 403, "insufficient_scope");
    CheckRefused(http.Post("/api/v1/plugins/register",
                           Json(Json::Object{{"id", "x-plugin"},
                                             {"name", "X"},
                                             {"version", "1.0.0"},
                                             {"type", "theme"},
                                             {"manifest", Json::Object{}}}),
                           t),
                 403, "insufficient_scope");
  }
  CHECK(http.Get(WsPath(spare), jwt).status == 200);
  auto granted = http.Put(WsPath(ws) + "/permissions/bob", role, admin);
  INFO(granted.Describe());
  CHECK(granted.status == 200);
  // Removing another member is admin-class; leaving yourself needs write (§0.1 #23).
  CheckRefused(http.Delete(WsPath(ws) + "/permissions/bob", write), 403, "insufficient_scope");
  std::string bob_write = Token(CreatePat(http, bob, {{"name", "w"}, {"scopes", "write"}}));
  std::string bob_read = Token(CreatePat(http, bob, {{"name", "r"}, {"scopes", "read"}}));
  CheckRefused(http.Delete(WsPath(ws) + "/permissions/bob", bob_read), 403, "insufficient_scope");
  CHECK(http.Delete(WsPath(ws) + "/permissions/bob", bob_write).status == 204);
  CHECK(http.Delete(WsPath(spare), admin).status == 200);
  CheckRefused(http.Get(WsPath(spare), jwt), 404, "workspace_not_found");
}

TEST_CASE("codexd tokens: a workspace-bound token reaches only its workspace", "[codexd][tokens]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto http = d.Client();
  std::int64_t home = DefaultWorkspace(http, jwt);
  std::int64_t other = CreateWorkspace(http, jwt, "Other");
  std::int64_t bobs = DefaultWorkspace(http, bob);
  std::int64_t home_nb = CreateNotebook(http, jwt, home, "Notes");
  std::int64_t other_nb = CreateNotebook(http, jwt, other, "Elsewhere");

  Json created = CreatePat(http, jwt, {{"name", "bound"}, {"workspace_id", home}});
  CHECK(At(created, "workspace_id").as_int() == home);
  std::string pat = Token(created);

  CHECK(http.Get(WsPath(home), pat).status == 200);
  CHECK(http.Get(NbPath(home, home_nb), pat).status == 200);
  CHECK(http.Get(WsPath(home) + "/notebooks", pat).status == 200);
  auto list = http.Get("/api/v1/workspaces", pat);
  REQUIRE(list.status == 200);
  REQUIRE(list.json().as_array().size() == 1);
  CHECK(At(list.json().as_array().front(), "id").as_int() == home);
  CHECK(http.Get("/api/v1/users/me", pat).status == 200);

  auto refused = http.Get(WsPath(other), pat);
  CheckRefused(refused, 403, "token_restricted");
  CHECK(At(refused.json(), "detail").as_string() == "Token is not valid for this resource");
  CheckRefused(http.Get(NbPath(other, other_nb), pat), 403, "token_restricted");
  CheckRefused(http.Get(WsPath(other) + "/notebooks", pat), 403, "token_restricted");
  CheckRefused(http.Post(WsPath(other) + "/notebooks", Json(Json::Object{{"name", "x"}}), pat), 403,
               "token_restricted");
  // Creating a workspace needs an unbound token.
  CheckRefused(http.Post("/api/v1/workspaces", Json(Json::Object{{"name", "New"}}), pat), 403,
               "token_restricted");
  // Non-members still see 404, not the binding.
  CheckRefused(http.Get(WsPath(bobs), pat), 404, "workspace_not_found");

  // Binding to a workspace the caller is not a member of is refused as not found.
  auto foreign =
      http.Post("/api/v1/tokens", Json(Json::Object{{"name", "x"}, {"workspace_id", bobs}}), jwt);
  CheckRefused(foreign, 404, "workspace_not_found");
  CheckRefused(
      http.Post("/api/v1/tokens", Json(Json::Object{{"name", "x"}, {"workspace_id", 99999}}), jwt),
      404, "workspace_not_found");
}

TEST_CASE("codexd tokens: a notebook-bound token reaches only its notebook", "[codexd][tokens]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto http = d.Client();
  std::int64_t ws = DefaultWorkspace(http, jwt);
  std::int64_t mine = CreateNotebook(http, jwt, ws, "Mine");
  std::int64_t sibling = CreateNotebook(http, jwt, ws, "Sibling");
  std::int64_t other_ws = CreateWorkspace(http, jwt, "Other");
  std::int64_t bobs_nb = CreateNotebook(http, bob, DefaultWorkspace(http, bob), "Bobs");

  // The workspace is inferred from the notebook.
  Json created = CreatePat(http, jwt, {{"name", "nb"}, {"notebook_id", mine}});
  CHECK(At(created, "notebook_id").as_int() == mine);
  CHECK(At(created, "workspace_id").as_int() == ws);
  std::string pat = Token(created);

  CHECK(http.Get("/api/v1/users/me", pat).status == 200);
  CHECK(http.Get(WsPath(ws), pat).status == 200);
  CHECK(http.Get(NbPath(ws, mine), pat).status == 200);
  CHECK(http.Get(NbPath(ws, mine) + "/files", pat).status == 200);
  auto created_file = http.Post(NbPath(ws, mine) + "/files",
                                Json(Json::Object{{"path", "a.md"}, {"content", "# A\n"}}), pat);
  INFO(created_file.Describe());
  CHECK(created_file.status == 200);
  auto notebooks = http.Get(WsPath(ws) + "/notebooks", pat);
  REQUIRE(notebooks.status == 200);
  REQUIRE(notebooks.json().as_array().size() == 1);
  CHECK(At(notebooks.json().as_array().front(), "id").as_int() == mine);
  auto workspaces = http.Get("/api/v1/workspaces", pat);
  REQUIRE(workspaces.status == 200);
  REQUIRE(workspaces.json().as_array().size() == 1);

  CheckRefused(http.Get(NbPath(ws, sibling), pat), 403, "token_restricted");
  CheckRefused(http.Get(NbPath(ws, sibling) + "/files", pat), 403, "token_restricted");
  CheckRefused(http.Get(WsPath(ws) + "/search?q=x", pat), 403, "token_restricted");
  CheckRefused(http.Get(WsPath(ws) + "/tags", pat), 403, "token_restricted");
  CheckRefused(http.Get(WsPath(ws) + "/permissions", pat), 403, "token_restricted");
  CheckRefused(http.Get("/api/v1/tasks?workspace_id=" + std::to_string(ws), pat), 403,
               "token_restricted");
  CheckRefused(http.Post(WsPath(ws) + "/notebooks", Json(Json::Object{{"name", "x"}}), pat), 403,
               "token_restricted");
  CheckRefused(http.Get(WsPath(other_ws), pat), 403, "token_restricted");

  // Creation: a notebook outside workspace_id, or of another user, is not found.
  CheckRefused(http.Post("/api/v1/tokens",
                         Json(Json::Object{
                             {"name", "x"}, {"workspace_id", other_ws}, {"notebook_id", mine}}),
                         jwt),
               404, "notebook_not_found");
  CheckRefused(
      http.Post("/api/v1/tokens", Json(Json::Object{{"name", "x"}, {"notebook_id", bobs_nb}}), jwt),
      404, "notebook_not_found");
  CheckRefused(
      http.Post("/api/v1/tokens", Json(Json::Object{{"name", "x"}, {"notebook_id", 424242}}), jwt),
      404, "notebook_not_found");
  // Agents: none is visible to alice.
  CheckRefused(http.Post("/api/v1/tokens", Json(Json::Object{{"name", "x"}, {"agent_id", 1}}), jwt),
               404, "agent_not_found");
}

TEST_CASE("codexd tokens: an expired token is 401 token_expired", "[codexd][tokens]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();
  // Two seconds ahead: valid now, expired soon after. Poll with a generous deadline.
  auto soon = std::chrono::system_clock::now() + std::chrono::seconds(2);
  std::time_t t = std::chrono::system_clock::to_time_t(soon);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  std::string pat = Token(CreatePat(http, jwt, {{"name", "short"}, {"expires_at", text}}));

  HttpResponse last;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    last = http.Get("/api/v1/users/me", pat);
    if (last.status != 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CheckRefused(last, 401, "token_expired");
  CHECK(last.Header("WWW-Authenticate").value_or("") == "Bearer");
  CHECK(At(last.json(), "detail").as_string() == "Could not validate credentials");
  // The row stays listed and active: expiry is not revocation.
  auto list = http.Get("/api/v1/tokens", jwt).json().as_array();
  REQUIRE(list.size() == 1);
  CHECK(At(list[0], "expires_at").as_string().back() == 'Z');
}

}  // namespace
}  // namespace codex::testing
