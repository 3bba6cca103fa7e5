// The endpoints every Codex API has: banner, health, metrics, OpenAPI, docs, sign-in, logout.
#include "codex/codex.hpp"
#include "codex/endpoints.hpp"
#include "codex/http.hpp"
#include "codex/wire.hpp"
#include "common/strings.hpp"

namespace codex::http::endpoints {

Response Banner(Call& c) {
  return JsonResponse(
      200, Json(Json::Object{
               {"message", "Codex API"}, {"version", c.api.config().version}, {"docs", "/docs"}}));
}

Response Health(Call& c) { return c.api.Health(); }

Response Metrics(Call& c) {
  const std::string& token = c.api.config().metrics_token;
  if (!token.empty() &&
      c.request.Header("authorization") != std::optional<std::string_view>("Bearer " + token)) {
    return ErrorResponse(Status::Make(Code::kUnauthenticated, "not_authenticated",
                                      "Could not validate credentials"));
  }
  Response r;
  r.body = c.api.MetricsText();
  r.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  return r;
}

Response OpenApi(Call& c) { return JsonResponse(200, c.api.OpenApi()); }

Response Docs(Call& c) {
  std::string rows;
  for (const auto& route : c.api.routes()) {
    rows += "<tr><td>" + std::string(route.method) + "</td><td><code>" + HtmlEscape(route.pattern) +
            "</code></td><td>" + HtmlEscape(route.summary) + "</td></tr>\n";
  }
  Response r;
  r.body =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Codex API</title><style>"
      "body{font-family:sans-serif;margin:2em}td{padding:2px 8px}</style></head><body>"
      "<h1>Codex API</h1><p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a>"
      "</p><table>\n" +
      rows + "</table></body></html>";
  r.Set("Content-Type", "text/html; charset=utf-8");
  r.Set("Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  return r;
}

// Sign in with a form (urlencoded, or multipart); a JSON body has no form fields (CONTRACT §3.3).
Response Login(Call& c) {
  std::string_view type = c.request.Header("content-type").value_or("");
  std::vector<std::pair<std::string, std::string>> form;
  if (type.rfind("multipart/", 0) == 0) {
    auto parts = Multipart::Parse(c.request.body_file, type, c.codex.data_dir() + "/tmp");
    for (const auto& p : parts.ok() ? parts->parts() : std::vector<Part>{}) {
      if (!p.filename) form.emplace_back(p.name, p.value);
    }
  } else if (type.rfind("application/json", 0) != 0) {
    form = FormFields(c.request.body);
  }
  auto field = [&](const char* name) -> std::optional<std::string> {
    for (auto& [k, v] : form) {
      if (k == name) return v;
    }
    return std::nullopt;
  };
  // Every missing field is reported together (CONTRACT §2.2).
  Json::Array missing;
  for (const char* name : {"username", "password"}) {
    if (field(name)) continue;
    Json one = wire::ErrorJson(
        Status::Validation("missing", std::string("body/") + name, "Field required"));
    for (const auto& item : one.find("detail")->as_array()) missing.push_back(item);
  }
  if (!missing.empty()) {
    return JsonResponse(
        422, Json(Json::Object{{"detail", Json(std::move(missing))}, {"code", "validation_error"}}));
  }
  if (auto grant = field("grant_type"); grant && *grant != "password") {
    return ErrorResponse(Status::Validation("string_pattern_mismatch", "body/grant_type",
                                            "String should match pattern '^password$'"));
  }
  auto session = c.codex.auth().Login(*field("username"), *field("password"));
  if (!session.ok()) return ErrorResponse(session.status());
  Response r = JsonResponse(200, wire::TokenJson(*session));
  SetSessionCookies(&r, *session, c.request, c.api.config());
  return r;
}

Response Refresh(Call& c) {
  auto session = c.codex.auth().Refresh(c.Cookie("refresh_token").value_or(""));
  if (!session.ok()) {
    Response r = ErrorResponse(session.status());
    ClearSessionCookies(&r, /*refresh_only=*/true);
    return r;
  }
  Response r = JsonResponse(200, wire::TokenJson(*session));
  SetSessionCookies(&r, *session, c.request, c.api.config());
  return r;
}

Response Logout(Call& c) {
  std::string access(c.Cookie("access_token").value_or(""));
  if (auto h = c.request.Header("authorization"); h && ToLowerAscii(h->substr(0, 7)) == "bearer ") {
    access = std::string(Trim(h->substr(7)));
  }
  (void)c.codex.auth().Logout(c.Cookie("refresh_token").value_or(""), access);
  Response r = NoContent();
  ClearSessionCookies(&r);
  return r;
}

Response UpgradeRequired(Call&) {
  Response r =
      ErrorResponse(Status::InvalidArgument("upgrade_required", "WebSocket upgrade required"));
  r.status = 426;
  r.Set("Upgrade", "websocket");
  return r;
}

}  // namespace codex::http::endpoints
