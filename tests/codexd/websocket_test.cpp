// The WebSocket streams of CONTRACT §26 against the real daemon: credential sources, refusals,
// file_change events, lifecycle closes, rate limit, fan-out and slow clients.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <thread>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> out;
  for (const auto& [k, v] : object.as_object()) out.push_back(k);
  return out;
}

bool IsTimestamp(const std::string& s) {
  static const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)");
  return std::regex_match(s, kTime);
}

std::string NotebookStream(std::int64_t id) { return "/api/v1/ws/notebooks/" + std::to_string(id); }
std::string WorkspaceStream(const std::string& ws) { return "/api/v1/ws/workspaces/" + ws; }
std::string WithToken(const std::string& target, const std::string& token) {
  return target + "?token=" + token;
}

// The connected message, REQUIREd first.
Json Connected(WsClient& ws) {
  REQUIRE(ws.ok());
  auto text = ws.Read(seconds(10));
  INFO("close " << ws.close_code() << " " << ws.close_reason());
  REQUIRE(text);
  auto msg = Json::Parse(*text);
  INFO(*text);
  REQUIRE(msg.ok());
  CHECK(At(*msg, "type").as_string() == "connected");
  CHECK(At(*msg, "message").as_string() == "Connected to file change notifications");
  return *msg;
}

// Reads until the server closes the socket (skipping messages) and returns the close code; 0
// when it was still open after `wait`.
int CloseCode(WsClient& ws, seconds wait = seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (ws.ok() && std::chrono::steady_clock::now() < deadline) {
    ws.Read(std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now()));
  }
  return ws.ok() ? 0 : ws.close_code();
}

// An upgraded socket the server closes with 1008 Forbidden before any message.
void ExpectForbidden(WsClient& ws) {
  REQUIRE(ws.ok());
  auto first = ws.Read(seconds(10));
  INFO("unexpected message: " << first.value_or(""));
  CHECK(!first);
  CHECK(ws.close_code() == 1008);
  CHECK(ws.close_reason() == "Forbidden");
}

// Still open: answers a JSON ping (skipping any event in between).
bool Alive(WsClient& ws) {
  ws.Send(R"({"type":"ping"})");
  return ws.ReadType("pong").has_value();
}

// The next file_change message, REQUIREd.
Json NextChange(WsClient& ws, seconds wait = seconds(10)) {
  auto msg = ws.ReadType("file_change", wait);
  INFO("close " << ws.close_code() << " " << ws.close_reason());
  REQUIRE(msg);
  return *msg;
}

// A file_change of CONTRACT §26 with every key, in emitted order.
void CheckChange(const Json& e, std::int64_t notebook_id, const std::string& kind,
                 const std::string& path, const Json& old_path, const Json& file_id) {
  INFO(e.Dump());
  CHECK(Keys(e) == std::vector<std::string>{"type", "notebook_id", "event_type", "event", "path",
                                            "file_path", "old_path", "file_id", "timestamp"});
  CHECK(At(e, "notebook_id").as_int() == notebook_id);
  CHECK(At(e, "event_type").as_string() == kind);
  CHECK(At(e, "event").as_string() == kind);
  CHECK(At(e, "path").as_string() == path);
  CHECK(At(e, "file_path").as_string() == path);
  CHECK(At(e, "old_path") == old_path);
  CHECK(At(e, "file_id") == file_id);
  CHECK(IsTimestamp(At(e, "timestamp").as_string()));
}

std::string CreatePat(HttpClient& http, const std::string& jwt, Json::Object fields) {
  fields.set("name", "ws-test");
  Json body = Expect(http.Post("/api/v1/tokens/", Json(std::move(fields)), jwt), 201);
  return At(body, "token").as_string();
}

std::int64_t CreateFile(HttpClient& http, const std::string& token, const NotebookFixture& f,
                        const std::string& path, const std::string& content = "# Note\n") {
  Json body = Expect(
      http.Post(f.url + "/files/", Json(Json::Object{{"path", path}, {"content", content}}), token),
      200);
  CHECK(At(body, "path").as_string() == path);
  return At(body, "id").as_int();
}

// The value of one Prometheus series line ("name{labels}"), 0 when absent.
double Metric(HttpClient& http, const std::string& series) {
  auto r = http.Get("/metrics");
  REQUIRE(r.status == 200);
  std::size_t at = r.body.find("\n" + series + " ");
  if (at == std::string::npos) return 0;
  return std::stod(r.body.substr(at + series.size() + 2));
}

template <class Pred>
bool Eventually(Pred pred, seconds wait = seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

std::int64_t HealthSockets(HttpClient& http) {
  return At(Expect(http.Get("/health"), 200), "websocket_connections").as_int();
}

TEST_CASE("codexd ws: query token, cookie, Bearer and first-message auth open both streams",
          "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  std::string slug = At(Expect(http.Get(f.ws_url, alice), 200), "slug").as_string();
  std::string nb = NotebookStream(f.notebook_id);

  SECTION("query token") {
    WsClient ws(d.port(), WithToken(nb, alice));
    Json hello = Connected(ws);
    CHECK(Keys(hello) == std::vector<std::string>{"type", "notebook_id", "message"});
    CHECK(At(hello, "notebook_id").as_int() == f.notebook_id);
  }
  SECTION("access_token cookie, as the web client sends it") {
    WsClient ws(d.port(), nb, {{"Cookie", "theme=dark; access_token=" + alice}});
    CHECK(At(Connected(ws), "notebook_id").as_int() == f.notebook_id);
  }
  SECTION("Authorization header") {
    WsClient ws(d.port(), nb, {{"Authorization", "Bearer " + alice}});
    CHECK(At(Connected(ws), "notebook_id").as_int() == f.notebook_id);
  }
  SECTION("first message {type: auth}") {
    WsClient ws(d.port(), nb);
    REQUIRE(ws.ok());
    ws.Send(Json(Json::Object{{"type", "auth"}, {"token", alice}}).Dump());
    CHECK(At(Connected(ws), "notebook_id").as_int() == f.notebook_id);
  }
  SECTION("a read PAT") {
    std::string pat = CreatePat(http, alice, {{"scopes", "read"}});
    WsClient ws(d.port(), WithToken(nb, pat));
    CHECK(At(Connected(ws), "notebook_id").as_int() == f.notebook_id);
    WsClient by_message(d.port(), WorkspaceStream(slug));
    by_message.Send(Json(Json::Object{{"type", "auth"}, {"token", pat}}).Dump());
    CHECK(At(Connected(by_message), "workspace_id").as_int() == f.workspace_id);
  }
  SECTION("workspace stream by id and by slug") {
    for (const std::string& ref : {std::to_string(f.workspace_id), slug}) {
      INFO(ref);
      WsClient ws(d.port(), WithToken(WorkspaceStream(ref), alice));
      Json hello = Connected(ws);
      CHECK(Keys(hello) ==
            std::vector<std::string>{"type", "workspace_id", "notebook_ids", "message"});
      CHECK(At(hello, "workspace_id").as_int() == f.workspace_id);
      CHECK(At(hello, "notebook_ids") == Json(Json::Array{Json(f.notebook_id)}));
    }
  }
  SECTION("keep-alive: text ping, JSON ping; other messages ignored") {
    WsClient ws(d.port(), WithToken(nb, alice));
    Connected(ws);
    ws.Send("ping");
    CHECK(ws.Read() == std::optional<std::string>("pong"));
    ws.Send("hello there");
    ws.Send(R"({"type":"subscribe","notebook_id":1})");
    ws.Send(R"({"type":"ping"})");
    auto pong = ws.Read();
    REQUIRE(pong);
    CHECK(Json::Parse(*pong).value() == Json(Json::Object{{"type", "pong"}}));
  }
}

TEST_CASE("codexd ws: bad, foreign and restricted credentials close 1008 Forbidden",
          "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  auto other = AddNotebook(http, alice, "Other Lab", "Other Notes");
  auto bobs = AddNotebook(http, bob, "Bob Lab", "Bob Notes");
  std::string nb = NotebookStream(f.notebook_id);
  std::string ws = WorkspaceStream(std::to_string(f.workspace_id));
  const std::string forged = alice.substr(0, alice.size() - 4) + "AAAA";

  SECTION("bad tokens from every source") {
    for (const std::string& target : {nb, ws}) {
      INFO(target);
      {
        WsClient c(d.port(), WithToken(target, forged));
        ExpectForbidden(c);
      }
      {
        WsClient c(d.port(), WithToken(target, "cdx_notarealtokennotarealtokennotarealtoken1"));
        ExpectForbidden(c);
      }
      {
        WsClient c(d.port(), target, {{"Cookie", "access_token=" + forged}});
        ExpectForbidden(c);
      }
      {
        WsClient c(d.port(), target, {{"Authorization", "Bearer garbage"}});
        ExpectForbidden(c);
      }
      {
        WsClient c(d.port(), target);
        REQUIRE(c.ok());
        c.Send(Json(Json::Object{{"type", "auth"}, {"token", forged}}).Dump());
        ExpectForbidden(c);
      }
      {
        WsClient c(d.port(), target);
        REQUIRE(c.ok());
        c.Send(R"({"type":"auth","token":42})");
        ExpectForbidden(c);
      }
    }
  }
  SECTION("the cookie from a page of another origin (cross-site WebSocket hijacking)") {
    WsClient foreign(d.port(), nb,
                     {{"Cookie", "access_token=" + alice}, {"Origin", "http://evil.example"}});
    ExpectForbidden(foreign);
    // The daemon's own origin is fine, and so is a token the page had to know.
    WsClient own(d.port(), nb,
                 {{"Cookie", "access_token=" + alice}, {"Origin", "http://127.0.0.1"}});
    Connected(own);
    WsClient explicit_token(d.port(), WithToken(nb, alice), {{"Origin", "http://evil.example"}});
    Connected(explicit_token);
  }
  SECTION("a logged-out JWT and a revoked PAT") {
    std::string jwt = d.Login("alice", "password-alice");
    Expect(http.Send("POST", "/api/v1/users/logout", "", {}, jwt), 204);
    WsClient after_logout(d.port(), WithToken(nb, jwt));
    ExpectForbidden(after_logout);

    std::string pat = CreatePat(http, alice, {});
    Json list = Expect(http.Get("/api/v1/tokens/", alice), 200);
    std::int64_t id = At(list.as_array().at(0), "id").as_int();
    Expect(http.Delete("/api/v1/tokens/" + std::to_string(id), alice), 204);
    WsClient revoked(d.port(), WithToken(nb, pat));
    ExpectForbidden(revoked);
  }
  SECTION("another user's notebook and workspace look like unknown ones") {
    for (const std::string& target :
         {NotebookStream(bobs.notebook_id), WorkspaceStream(std::to_string(bobs.workspace_id)),
          NotebookStream(999999), WorkspaceStream("999999"), WorkspaceStream("no-such-lab"),
          std::string("/api/v1/ws/notebooks/abc"), std::string("/api/v1/ws/notebooks/")}) {
      INFO(target);
      WsClient c(d.port(), WithToken(target, alice));
      ExpectForbidden(c);
    }
    // Bob is refused on Alice's streams the same way, by every source.
    WsClient by_query(d.port(), WithToken(nb, bob));
    ExpectForbidden(by_query);
    WsClient by_message(d.port(), ws);
    by_message.Send(Json(Json::Object{{"type", "auth"}, {"token", bob}}).Dump());
    ExpectForbidden(by_message);
  }
  SECTION("PAT bindings: another workspace, or a notebook token on the workspace stream") {
    std::string bound_ws = CreatePat(http, alice, {{"workspace_id", other.workspace_id}});
    WsClient wrong_ws(d.port(), WithToken(nb, bound_ws));
    ExpectForbidden(wrong_ws);
    WsClient wrong_ws2(d.port(), WithToken(ws, bound_ws));
    ExpectForbidden(wrong_ws2);
    WsClient right_ws(d.port(),
                      WithToken(WorkspaceStream(std::to_string(other.workspace_id)), bound_ws));
    Connected(right_ws);

    std::string bound_nb = CreatePat(http, alice, {{"notebook_id", f.notebook_id}});
    WsClient its_notebook(d.port(), WithToken(nb, bound_nb));
    Connected(its_notebook);
    WsClient workspace_wide(d.port(), WithToken(ws, bound_nb));
    ExpectForbidden(workspace_wide);
    WsClient other_notebook(d.port(), WithToken(NotebookStream(other.notebook_id), bound_nb));
    ExpectForbidden(other_notebook);
  }
}

TEST_CASE("codexd ws: without credentials the socket closes 1008 after the 5 s auth window",
          "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  WsClient silent(d.port(), NotebookStream(f.notebook_id));
  REQUIRE(silent.ok());
  // Not closed at once: the first message may still authenticate.
  CHECK(!silent.Read(milliseconds(1000)));
  CHECK(silent.ok());
  ExpectForbidden(silent);
  // Messages that are not {"type":"auth"} do not authenticate.
  WsClient chatty(d.port(), NotebookStream(f.notebook_id));
  REQUIRE(chatty.ok());
  chatty.Send(R"({"type":"subscribe"})");
  CHECK(chatty.ReadType("connected", seconds(10)) == std::nullopt);
  CHECK(chatty.close_code() == 1008);
}

TEST_CASE("codexd ws: create, update, move and delete through the API reach both streams",
          "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  WsClient nb(d.port(), WithToken(NotebookStream(f.notebook_id), alice));
  WsClient ws(d.port(), WithToken(WorkspaceStream(std::to_string(f.workspace_id)), alice));
  Connected(nb);
  Connected(ws);

  std::int64_t id = CreateFile(http, alice, f, "notes/a.md", "# A\n");
  Expect(http.Put(f.url + "/files/" + std::to_string(id),
                  Json(Json::Object{{"content", "# A\n\nmore\n"}}), alice),
         200);
  Json moved = Expect(http.Patch(f.url + "/files/" + std::to_string(id) + "/move",
                                 Json(Json::Object{{"new_path", "archive/b.md"}}), alice),
                      200);
  CHECK(At(moved, "id").as_int() == id);
  Expect(http.Delete(f.url + "/files/" + std::to_string(id), alice), 200);

  // Each change once, in order, on both streams.
  for (WsClient* client : {&nb, &ws}) {
    CheckChange(NextChange(*client), f.notebook_id, "created", "notes/a.md", Json(), Json(id));
    CheckChange(NextChange(*client), f.notebook_id, "modified", "notes/a.md", Json(), Json(id));
    CheckChange(NextChange(*client), f.notebook_id, "moved", "archive/b.md", Json("notes/a.md"),
                Json(id));
    CheckChange(NextChange(*client), f.notebook_id, "deleted", "archive/b.md", Json(), Json(id));
  }

  SECTION("an upload is an event too") {
    Json up =
        Expect(http.Upload(f.url + "/files/upload", "data.csv", "a,b\n1,2\n", {}, alice), 200);
    for (WsClient* client : {&nb, &ws}) {
      CheckChange(NextChange(*client), f.notebook_id, "created", At(up, "path").as_string(), Json(),
                  At(up, "id"));
    }
  }
  SECTION("the workspace stream covers notebooks created later; the notebook stream does not") {
    Json nb2 = Expect(
        http.Post(f.ws_url + "/notebooks/", Json(Json::Object{{"name", "Second"}}), alice), 200);
    NotebookFixture second = f;
    second.notebook_id = At(nb2, "id").as_int();
    second.url = f.ws_url + "/notebooks/" + std::to_string(second.notebook_id);
    std::int64_t other = CreateFile(http, alice, second, "elsewhere.md");
    std::int64_t mine = CreateFile(http, alice, f, "mine.md");
    CheckChange(NextChange(ws), second.notebook_id, "created", "elsewhere.md", Json(), Json(other));
    CheckChange(NextChange(ws), f.notebook_id, "created", "mine.md", Json(), Json(mine));
    CheckChange(NextChange(nb), f.notebook_id, "created", "mine.md", Json(), Json(mine));
  }
}

// CONTRACT §13.1/§26: the daemon watches every notebook, so an external edit is an event too.
TEST_CASE("codexd ws: a file written beside the API (seen by the watcher) is an event",
          "[codexd][ws][watcher]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  WsClient nb(d.port(), WithToken(NotebookStream(f.notebook_id), alice));
  WsClient ws(d.port(), WithToken(WorkspaceStream(std::to_string(f.workspace_id)), alice));
  Connected(nb), Connected(ws);
  CHECK(At(Expect(http.Get("/health"), 200), "watchers").as_int() >= 1);
  WriteFile(f.dir / "outside.md", "# Written by an editor\n");
  for (WsClient* client : {&nb, &ws}) {
    Json e = NextChange(*client, seconds(30));
    CHECK(At(e, "path").as_string() == "outside.md");
    CHECK(At(e, "event_type").as_string() == "created");
    CHECK(At(e, "file_id").is_int());
  }
}

TEST_CASE("codexd ws: deleting a notebook closes its sockets 1001, not the workspace stream",
          "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  WsClient nb(d.port(), WithToken(NotebookStream(f.notebook_id), alice));
  WsClient nb2(d.port(), NotebookStream(f.notebook_id), {{"Cookie", "access_token=" + alice}});
  WsClient ws(d.port(), WithToken(WorkspaceStream(std::to_string(f.workspace_id)), alice));
  Connected(nb), Connected(nb2), Connected(ws);

  Expect(http.Delete(f.url, alice), 200);
  for (WsClient* client : {&nb, &nb2}) {
    CHECK(CloseCode(*client) == 1001);
    CHECK(client->close_reason() == "Notebook deleted");
  }
  CHECK(Alive(ws));
  // The deleted notebook cannot be subscribed to again.
  WsClient again(d.port(), WithToken(NotebookStream(f.notebook_id), alice));
  ExpectForbidden(again);
}

TEST_CASE("codexd ws: deleting a workspace closes its sockets 1001, others stay", "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  auto keep = AddNotebook(http, alice, "Kept", "Kept Notes");
  WsClient nb(d.port(), WithToken(NotebookStream(f.notebook_id), alice));
  WsClient ws(d.port(), WithToken(WorkspaceStream(std::to_string(f.workspace_id)), alice));
  WsClient kept(d.port(), WithToken(WorkspaceStream(std::to_string(keep.workspace_id)), alice));
  Connected(nb), Connected(ws), Connected(kept);

  Expect(http.Delete(f.ws_url, alice), 200);
  CHECK(CloseCode(nb) == 1001);
  CHECK(CloseCode(ws) == 1001);
  CHECK(Alive(kept));
  std::int64_t id = CreateFile(http, alice, keep, "still.md");
  CheckChange(NextChange(kept), keep.notebook_id, "created", "still.md", Json(), Json(id));
}

TEST_CASE("codexd ws: removing a member closes that member's sockets 1008", "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  std::string nb = NotebookStream(f.notebook_id);
  std::string ws = WorkspaceStream(std::to_string(f.workspace_id));
  Expect(http.Put(f.ws_url + "/permissions/bob", Json(Json::Object{{"role", "viewer"}}), alice),
         200);

  WsClient bob_nb(d.port(), WithToken(nb, bob));
  WsClient bob_ws(d.port(), ws, {{"Cookie", "access_token=" + bob}});
  WsClient alice_nb(d.port(), WithToken(nb, alice));
  Connected(bob_nb), Connected(bob_ws), Connected(alice_nb);

  // A role change keeps the sockets.
  Expect(http.Put(f.ws_url + "/permissions/bob", Json(Json::Object{{"role", "editor"}}), alice),
         200);
  CHECK(Alive(bob_nb));

  SECTION("the owner removes the member") {
    Expect(http.Delete(f.ws_url + "/permissions/bob", alice), 204);
  }
  SECTION("the member leaves") { Expect(http.Delete(f.ws_url + "/permissions/bob", bob), 204); }

  for (WsClient* client : {&bob_nb, &bob_ws}) {
    CHECK(CloseCode(*client) == 1008);
    CHECK(client->close_reason() == "Forbidden");
  }
  CHECK(Alive(alice_nb));
  std::int64_t id = CreateFile(http, alice, f, "after.md");
  CheckChange(NextChange(alice_nb), f.notebook_id, "created", "after.md", Json(), Json(id));
  WsClient again(d.port(), WithToken(nb, bob));
  ExpectForbidden(again);
}

// DELETE /users/me removes the account's memberships (CONTRACT §7): like any removed member,
// its open streams end with 1008 and get no more events.
TEST_CASE("codexd ws: deleting an account closes its sockets 1008", "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  Expect(http.Put(f.ws_url + "/permissions/bob", Json(Json::Object{{"role", "viewer"}}), alice),
         200);
  // Bob's own default workspace must go first (409 account_has_workspaces otherwise).
  Json bobs = Expect(http.Get("/api/v1/workspaces/", bob), 200);
  for (const Json& w : bobs.as_array()) {
    if (At(w, "role").as_string() == "owner") {
      Expect(http.Delete("/api/v1/workspaces/" + std::to_string(At(w, "id").as_int()), bob), 200);
    }
  }
  WsClient bob_nb(d.port(), WithToken(NotebookStream(f.notebook_id), bob));
  WsClient bob_ws(d.port(), WithToken(WorkspaceStream(std::to_string(f.workspace_id)), bob));
  WsClient alice_nb(d.port(), WithToken(NotebookStream(f.notebook_id), alice));
  Connected(bob_nb), Connected(bob_ws), Connected(alice_nb);

  Expect(http.Delete("/api/v1/users/me", bob), 200);
  for (WsClient* client : {&bob_nb, &bob_ws}) {
    CHECK(CloseCode(*client) == 1008);
    CHECK(client->close_reason() == "Forbidden");
  }
  std::int64_t id = CreateFile(http, alice, f, "after.md");
  CheckChange(NextChange(alice_nb), f.notebook_id, "created", "after.md", Json(), Json(id));
}

TEST_CASE("codexd ws: both streams answer with a trailing slash too", "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  std::string slug = At(Expect(http.Get(f.ws_url, alice), 200), "slug").as_string();
  WsClient nb(d.port(), WithToken(NotebookStream(f.notebook_id) + "/", alice));
  CHECK(At(Connected(nb), "notebook_id").as_int() == f.notebook_id);
  WsClient ws(d.port(), WithToken(WorkspaceStream(slug) + "/", alice));
  CHECK(At(Connected(ws), "workspace_id").as_int() == f.workspace_id);
  std::int64_t id = CreateFile(http, alice, f, "slash.md");
  CheckChange(NextChange(nb), f.notebook_id, "created", "slash.md", Json(), Json(id));
  CheckChange(NextChange(ws), f.notebook_id, "created", "slash.md", Json(), Json(id));
}

TEST_CASE("codexd ws: an upgrade request outside /api/v1/ws/ is plain HTTP", "[codexd][ws]") {
  Daemon d;
  std::string alice = d.AddUser("alice");
  WsClient unknown(d.port(), "/api/v1/no-such-stream?token=" + alice);
  CHECK(!unknown.ok());
  CHECK(unknown.status() == 404);
  WsClient route(d.port(), "/health");
  CHECK(!route.ok());
  CHECK(route.status() == 200);
  // The daemon keeps serving.
  CHECK(d.Client().Get("/health").status == 200);
}

TEST_CASE("codexd ws: handshakes count against the per-user rate limit", "[codexd][ws]") {
  Daemon d(DaemonOptions{{{"CODEX_RATE_LIMIT_PER_MINUTE", "6"}}, {}});
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto f = AddNotebook(http, alice, "Lab", "Notes");  // 2 of alice's 6 requests
  std::string target = WithToken(NotebookStream(f.notebook_id), alice);

  std::vector<std::unique_ptr<WsClient>> open;
  std::unique_ptr<WsClient> refused;
  for (int i = 0; i < 8 && !refused; ++i) {
    auto c = std::make_unique<WsClient>(d.port(), target);
    REQUIRE(c->ok());
    auto first = c->Read(seconds(10));
    if (first) {
      open.push_back(std::move(c));
    } else {
      refused = std::move(c);
    }
  }
  CHECK(open.size() == 4);
  REQUIRE(refused);
  CHECK(refused->close_code() == 1013);
  CHECK(refused->close_reason() == "Too many requests");
  auto limited = http.Get("/api/v1/workspaces/", alice);
  CHECK(limited.status == 429);
  CHECK(limited.Header("Retry-After"));
  CHECK(Metric(http, "codex_rate_limited_total{bucket=\"api\"}") >= 2);
  // The limit is per user: Bob still connects.
  auto bobs = AddNotebook(http, bob, "Bob Lab", "Bob Notes");
  WsClient bob_ws(d.port(), WithToken(NotebookStream(bobs.notebook_id), bob));
  Connected(bob_ws);
  // Sockets opened before the limit keep streaming.
  REQUIRE(!open.empty());
  CHECK(Alive(*open.front()));
}

TEST_CASE("codexd ws: twenty clients all receive the event; /health and /metrics count them",
          "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  CHECK(HealthSockets(http) == 0);

  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 20; ++i) {
    if (i % 2 == 0) {
      clients.push_back(
          std::make_unique<WsClient>(d.port(), WithToken(NotebookStream(f.notebook_id), alice)));
    } else {
      clients.push_back(
          std::make_unique<WsClient>(d.port(), WorkspaceStream(std::to_string(f.workspace_id)),
                                     HeaderList{{"Cookie", "access_token=" + alice}}));
    }
    Connected(*clients.back());
  }
  CHECK(Eventually([&] { return HealthSockets(http) == 20; }));
  CHECK(Metric(http, "codex_websocket_connections") == 20);

  std::int64_t id = CreateFile(http, alice, f, "broadcast.md");
  for (auto& c : clients) {
    CheckChange(NextChange(*c), f.notebook_id, "created", "broadcast.md", Json(), Json(id));
  }
  for (int i = 0; i < 5; ++i) clients[static_cast<std::size_t>(i)]->Close();
  CHECK(Eventually([&] { return HealthSockets(http) == 15; }));
  clients.clear();
  CHECK(Eventually([&] { return HealthSockets(http) == 0; }));
}

// The server's queue for a client is bounded (256 messages): a client that sends but never
// reads fills its socket buffers and then the queue, and is dropped with 1013, counted as
// "slow", while a reading client of the same notebook keeps getting events. Each text "ping"
// queues a "pong", so the flood provokes it without thousands of file writes.
TEST_CASE("codexd ws: a client that never reads is closed 1013 and holds back nobody",
          "[codexd][ws]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  WsClient fast(d.port(), WithToken(NotebookStream(f.notebook_id), alice));
  WsClient slow(d.port(), WithToken(NotebookStream(f.notebook_id), alice));
  Connected(fast), Connected(slow);
  slow.SetReceiveBuffer(4096);

  const std::string series = "codex_websocket_dropped_total{reason=\"slow\"}";
  double before = Metric(http, series);
  bool dropped = false;
  auto deadline = std::chrono::steady_clock::now() + seconds(240);
  while (!dropped && slow.ok() && std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 5000; ++i) slow.Send("ping");
    dropped = Metric(http, series) > before;
  }
  REQUIRE(dropped);

  // The reader is not held back by the stuck one.
  std::int64_t id = CreateFile(http, alice, f, "while-stuck.md");
  CheckChange(NextChange(fast), f.notebook_id, "created", "while-stuck.md", Json(), Json(id));
  CHECK(Alive(fast));

  // Behind its backlog of pongs the slow client finds the close frame.
  CHECK(CloseCode(slow, seconds(120)) == 1013);
  CHECK(slow.close_reason() == "Client too slow");
}

}  // namespace
}  // namespace codex::testing
