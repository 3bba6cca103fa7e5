// Root, health, metrics, docs and the routing rules every route shares (CONTRACT §1, §6).
#include <catch2/catch.hpp>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

TEST_CASE("codexd: root, health, openapi and docs answer without credentials", "[codexd]") {
  Daemon d;
  auto http = d.Client();

  auto root = http.Get("/");
  REQUIRE(root.status == 200);
  CHECK(At(root.json(), "message").as_string() == "Codex API");
  CHECK(At(root.json(), "docs").as_string() == "/docs");

  auto health = http.Get("/health");
  REQUIRE(health.status == 200);
  CHECK(At(health.json(), "status").as_string() == "healthy");
  CHECK(At(health.json(), "database").as_string() == "ok");

  auto openapi = http.Get("/openapi.json");
  REQUIRE(openapi.status == 200);
  Json doc = openapi.json();
  CHECK(At(doc, "openapi").as_string() == "3.1.0");
  const Json& paths = At(doc, "paths");
  CHECK(paths.find("/api/v1/workspaces/{ws}/notebooks/{nb}/files/{file_id}") != nullptr);
  CHECK(paths.find("/api/v1/ws/notebooks/{notebook_id}") != nullptr);

  auto docs = http.Get("/docs");
  REQUIRE(docs.status == 200);
  CHECK(docs.Header("Content-Type")->find("text/html") == 0);
  CHECK(docs.body.find("/openapi.json") != std::string::npos);
  CHECK(docs.body.find("<script") == std::string::npos);
}

TEST_CASE("codexd: /health is degraded while a notebook folder is not watched", "[codexd]") {
  Daemon d({{{"CODEX_WATCH", "off"}}, {}});
  auto http = d.Client();
  // No notebook folder yet: nothing unwatched.
  auto health = http.Get("/health");
  REQUIRE(health.status == 200);
  CHECK(At(health.json(), "watchers").as_int() == 0);
  std::string token = d.AddUser("alice");
  Json ws =
      Expect(http.Post("/api/v1/workspaces", Json(Json::Object{{"name", "Lab"}}), token), 200);
  Expect(http.Post("/api/v1/workspaces/" + At(ws, "slug").as_string() + "/notebooks",
                   Json(Json::Object{{"name", "Notes"}}), token),
         200);
  health = http.Get("/health");
  CHECK(health.status == 503);
  CHECK(At(health.json(), "status").as_string() == "degraded");
  CHECK(At(health.json(), "database").as_string() == "ok");
  CHECK(At(health.json(), "watchers").as_int() == 0);
  CHECK(d.Log().find("watcher: off") != std::string::npos);
}

TEST_CASE("codexd: standard headers on every response, errors included", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  for (const std::string target : {"/health", "/nope", "/api/v1/workspaces"}) {
    INFO(target);
    auto r = http.Get(target);
    CHECK(r.Header("X-Content-Type-Options").value_or("") == "nosniff");
    REQUIRE(r.Header("X-Request-ID"));
    CHECK(r.Header("X-Request-ID")->size() == 26);
  }
  // A well-formed incoming request id is echoed, in the header and in the error body.
  auto echoed = http.Send("GET", "/nope", "", {{"X-Request-ID", "lab-run:42"}});
  CHECK(echoed.Header("X-Request-ID").value_or("") == "lab-run:42");
  CHECK(At(echoed.json(), "request_id").as_string() == "lab-run:42");
  // A hostile one is replaced.
  auto replaced = http.Send("GET", "/nope", "", {{"X-Request-ID", "bad id with spaces"}});
  CHECK(replaced.Header("X-Request-ID").value_or("bad id with spaces") != "bad id with spaces");

  auto unauthorized = http.Get("/api/v1/workspaces");
  CHECK(unauthorized.status == 401);
  CHECK(unauthorized.Header("WWW-Authenticate").value_or("") == "Bearer");
  CHECK(unauthorized.Header("Cache-Control").value_or("") == "no-store");
}

TEST_CASE("codexd: unknown path 404, wrong method 405 with Allow, HEAD and OPTIONS", "[codexd]") {
  Daemon d;
  auto http = d.Client();

  auto missing = http.Get("/api/v1/nothing-here");
  REQUIRE(missing.status == 404);
  CHECK(At(missing.json(), "code").as_string() == "not_found");
  CHECK(At(missing.json(), "detail").as_string() == "Not Found");

  auto wrong = http.Get("/api/v1/users/token");
  REQUIRE(wrong.status == 405);
  CHECK(wrong.Header("Allow").value_or("") == "POST");
  CHECK(At(wrong.json(), "code").as_string() == "method_not_allowed");

  auto head = http.Send("HEAD", "/health");
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  auto options = http.Send("OPTIONS", "/api/v1/workspaces");
  CHECK(options.status == 204);
  REQUIRE(options.Header("Allow"));
  CHECK(options.Header("Allow")->find("POST") != std::string::npos);
}

TEST_CASE("codexd: both trailing-slash spellings reach the same route", "[codexd]") {
  Daemon d;
  std::string token = d.AddUser("alice");
  auto http = d.Client();
  for (const std::string target : {"/api/v1/workspaces", "/api/v1/workspaces/"}) {
    INFO(target);
    auto r = http.Get(target, token);
    CHECK(r.status == 200);
    CHECK(r.json().is_array());
    CHECK(!r.Header("Location"));
  }
  auto created = http.Post("/api/v1/workspaces/", Json(Json::Object{{"name", "Lab"}}), token);
  REQUIRE(created.status == 200);
  std::string ws = std::to_string(At(created.json(), "id").as_int());
  CHECK(http.Get("/api/v1/workspaces/" + ws, token).status == 200);
  CHECK(http.Get("/api/v1/workspaces/" + ws + "/", token).status == 200);
}

TEST_CASE("codexd: metrics count requests by route template", "[codexd]") {
  Daemon d;
  auto http = d.Client();
  http.Get("/health");
  http.Get("/nope");
  auto metrics = http.Get("/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.Header("Content-Type")->find("text/plain") == 0);
  CHECK(metrics.body.find(
            "codex_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"}") !=
        std::string::npos);
  CHECK(metrics.body.find("route=\"unmatched\"") != std::string::npos);
  CHECK(metrics.body.find("codex_build_info") != std::string::npos);
  CHECK(metrics.body.find("codex_websocket_connections") != std::string::npos);
}

TEST_CASE("codexd: --demo-notes seeds a demo user, workspace and notebook once", "[codexd]") {
  TempDir notes;
  WriteFile(notes.path() / "first.md", "---\ntitle: First run\ntags: [demo]\n---\nHello lab\n");
  WriteFile(notes.path() / "data" / "plate.csv", "well,od\nA1,0.5\n");
  Daemon d({{}, {"--demo-notes", notes.path().string()}});
  std::string out = d.Stdout();
  const std::string marker = "Demo user: demo   password: ";
  std::size_t at = out.find(marker);
  INFO(out);
  REQUIRE(at != std::string::npos);
  std::string password =
      out.substr(at + marker.size(), out.find(' ', at + marker.size()) - at - marker.size());
  std::string token = d.Login("demo", password);
  auto http = d.Client();
  auto workspaces = http.Get("/api/v1/workspaces", token).json();
  REQUIRE(workspaces.as_array().size() == 1);
  CHECK(At(workspaces.as_array()[0], "name").as_string() == "Demo Lab");
  std::string ws = std::to_string(At(workspaces.as_array()[0], "id").as_int());
  auto notebooks = http.Get("/api/v1/workspaces/" + ws + "/notebooks", token).json();
  REQUIRE(notebooks.as_array().size() == 1);
  std::string nb = std::to_string(At(notebooks.as_array()[0], "id").as_int());
  auto note =
      http.Get("/api/v1/workspaces/" + ws + "/notebooks/" + nb + "/files/path/first.md", token);
  REQUIRE(note.status == 200);
  CHECK(At(note.json(), "title").as_string() == "First run");
  CHECK(http.Get("/api/v1/workspaces/" + ws + "/notebooks/" + nb + "/files/path/data/plate.csv",
                 token)
            .status == 200);

  // A restart on the same data dir keeps the password and prints nothing new.
  d.Restart();
  CHECK(d.Stdout().find(marker) == std::string::npos);
  d.Login("demo", password);
}

}  // namespace
}  // namespace codex::testing
