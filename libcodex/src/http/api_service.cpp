// The request pipeline of CONTRACT §2.3 around the route table.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>

#include "codex/codex.hpp"
#include "codex/http.hpp"
#include "codex/wire.hpp"
#include "common/errors.hpp"
#include "common/strings.hpp"
#include "common/time.hpp"
#include "crypto/ulid.hpp"
#include "http/metrics.hpp"
#include "http/rate_limit.hpp"
#include "http/router.hpp"

namespace codex::http {
namespace {

using SteadyClock = std::chrono::steady_clock;

Status Error(Code code, const char* reason, const char* message) {
  return Status::Make(code, reason, message);
}

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A query string has the shape of a form body.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query) {
  return FormFields(query);
}

int Level(TokenScope s) {
  switch (s) {
    case TokenScope::kNone:
      return 0;
    case TokenScope::kRead:
      return 1;
    case TokenScope::kWrite:
      return 2;
    case TokenScope::kAdmin:
      return 3;
    case TokenScope::kJwtOnly:
      return 4;
  }
  return 4;
}

bool Safe(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

std::optional<std::string_view> CookieValue(const Request& req, std::string_view name) {
  auto header = req.Header("cookie");
  if (!header) return std::nullopt;
  for (auto part : Split(*header, ';')) {
    part = Trim(part);
    std::size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
  }
  return std::nullopt;
}

}  // namespace

struct Api::Impl {
  Codex& codex;
  Config config;
  Gauges gauges;
  std::vector<Route> routes;
  Router router;
  RateLimiter auth_limiter;
  RateLimiter api_limiter;
  mutable Metrics metrics;
  std::atomic<std::uint64_t> uploads{0};

  Impl(Codex& c, std::vector<Route> r, Config cfg, Gauges g)
      : codex(c),
        config(std::move(cfg)),
        gauges(std::move(g)),
        routes(std::move(r)),
        router(PatternsOf(routes)),
        auth_limiter(config.auth_rate_limit_per_minute),
        api_limiter(config.rate_limit_per_minute) {}

  static std::vector<std::string_view> PatternsOf(const std::vector<Route>& table) {
    std::vector<std::string_view> out;
    for (const auto& route : table) out.emplace_back(route.pattern);
    return out;
  }

  bool OriginAllowed(std::string_view origin) const {
    std::string lower = ToLowerAscii(origin);
    return std::find(config.cors_origins.begin(), config.cors_origins.end(), lower) !=
           config.cors_origins.end();
  }

  std::string ClientAddress(const Request& req) const {
    if (config.trust_proxy) {
      if (auto fwd = req.Header("x-forwarded-for")) {
        auto parts = Split(*fwd, ',');
        std::string last(Trim(parts.back()));
        if (!last.empty()) return last;
      }
    }
    return req.peer;
  }

  // The methods of a path (HEAD with every GET), as the contract example `Allow: POST` shows.
  std::string Allow(const std::vector<std::size_t>& candidates) const {
    std::vector<std::string> methods;
    for (std::size_t i : candidates) {
      methods.emplace_back(routes[i].method);
      if (methods.back() == "GET") methods.emplace_back("HEAD");
    }
    std::sort(methods.begin(), methods.end());
    methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
    return Join(methods, ", ");
  }

  // A page of another origin (neither the daemon's own nor an allowed one) sent the request: the
  // browser attached the cookie on its own (CONTRACT §1.6 cookie CSRF guard).
  bool ForeignOrigin(const Request& req) const {
    auto origin = req.Header("origin");
    if (!origin || OriginAllowed(*origin)) return false;
    std::string own = std::string(req.tls ? "https://" : "http://") +
                      std::string(req.Header("host").value_or(""));
    return ToLowerAscii(*origin) != ToLowerAscii(own);
  }

  // Bearer header (wins), else the access_token cookie: a view into `req`.
  std::optional<std::string_view> Credential(const Request& req, bool* from_cookie) const {
    *from_cookie = false;
    if (auto auth = req.Header("authorization")) {
      std::string_view v = Trim(*auth);
      if (v.size() > 7 && ToLowerAscii(v.substr(0, 7)) == "bearer ") return Trim(v.substr(7));
    }
    if (auto cookie = CookieValue(req, "access_token")) {
      *from_cookie = true;
      return cookie;
    }
    return std::nullopt;
  }

  Response Handle(const Request& req, Api& api, const std::string& request_id,
                  std::string* route_label, bool too_large = false);
  // The 404 / 403 a route's workspace or notebook access would give, when there is one.
  std::optional<Response> AccessBeforeValidation(const Call& call, const Route& route);
  // The standard headers (§1.4), the request id in error bodies (§2.1), CORS, metrics.
  Response Finish(const Request& req, Response r, const std::string& request_id,
                  const std::string& route, SteadyClock::time_point started);
};

namespace {

// The request's own X-Request-ID when well-formed, else a new ULID (CONTRACT §1.4).
std::string RequestId(const Request& req) {
  if (auto given = req.Header("x-request-id"); given && ValidRequestId(*given)) {
    return std::string(*given);
  }
  return crypto::NewUlid(std::chrono::system_clock::now());
}

}  // namespace

Api::Api(Codex& codex, std::vector<Route> routes, Config config, Gauges gauges)
    : impl_(
          std::make_unique<Impl>(codex, std::move(routes), std::move(config), std::move(gauges))) {}

Api::~Api() = default;

const Config& Api::config() const { return impl_->config; }

const std::vector<Route>& Api::routes() const { return impl_->routes; }

std::string Api::UploadPath() {
  return impl_->codex.data_dir() + "/tmp/upload-" +
         std::to_string(reinterpret_cast<std::uintptr_t>(impl_.get())) + "-" +
         std::to_string(++impl_->uploads);
}

void Api::CountDroppedWebSocket(std::string_view reason) {
  impl_->metrics.CountDroppedWebSocket(std::string(reason));
}

// `too_large`: the body is over its limit; step 1 of §2.3 still decides first, then 413.
Response Api::Impl::Handle(const Request& req, Api& api, const std::string& request_id,
                           std::string* route_label, bool too_large) {
  *route_label = "unmatched";
  std::string_view target = req.target;
  std::size_t qmark = target.find('?');
  auto path = PercentDecode(target.substr(0, qmark));
  if (!path)
    return ErrorResponse(Error(Code::kInvalidArgument, "invalid_path", "Invalid file path"));
  auto segments = SplitPath(*path);
  std::string_view method = req.method;
  std::optional<std::string_view> origin = req.Header("origin");

  if (method == "OPTIONS" && origin && req.Header("access-control-request-method")) {
    if (!OriginAllowed(*origin)) {
      return ErrorResponse(
          Error(Code::kPermissionDenied, "origin_forbidden", "Origin not allowed"));
    }
    Response r = NoContent();
    r.Set("Access-Control-Allow-Methods", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
    r.Set("Access-Control-Allow-Headers",
          std::string(req.Header("access-control-request-headers").value_or("")));
    r.Set("Access-Control-Max-Age", "600");
    return r;
  }
  const std::vector<std::size_t>* matched = router.Candidates(segments);
  if (matched == nullptr) {
    return ErrorResponse(Error(Code::kNotFound, "not_found", "Not Found"));
  }
  const std::vector<std::size_t>& candidates = *matched;
  *route_label = routes[candidates.front()].pattern;
  if (method == "OPTIONS") {
    Response r = NoContent();
    r.Set("Allow", Allow(candidates));
    return r;
  }
  std::string_view lookup = method == "HEAD" ? "GET" : method;
  const Route* route = nullptr;
  std::size_t index = 0;
  for (std::size_t i : candidates) {
    if (routes[i].method == lookup) {
      route = &routes[i];
      index = i;
    }
  }
  if (route == nullptr) {
    Response r = ErrorResponse(Error(Code::kNotFound, "method_not_allowed", "Method Not Allowed"));
    r.status = 405;
    r.Set("Allow", Allow(candidates));
    return r;
  }

  bool from_cookie = false;
  std::optional<std::string_view> credential = Credential(req, &from_cookie);
  // A cookie-only write from a foreign page is refused (CONTRACT §1.6).
  if (!Safe(method) && from_cookie && ForeignOrigin(req)) {
    return ErrorResponse(Error(Code::kPermissionDenied, "origin_forbidden", "Origin not allowed"));
  }
  if (too_large) {
    return ErrorResponse(Error(Code::kTooLarge, "payload_too_large", "Request body too large"));
  }
  if (route->access == Access::kSignIn) {
    if (int wait = auth_limiter.Hit(ClientAddress(req), SteadyClock::now())) {
      metrics.CountRateLimited("auth");
      Response r =
          ErrorResponse(Error(Code::kResourceExhausted, "rate_limited", "Too many requests"));
      r.Set("Retry-After", std::to_string(wait));
      return r;
    }
  }

  Call call{req, codex, api, request_id, {}, {}, std::nullopt, Principal()};
  router.pattern(index).Bind(segments, &call.params);
  if (qmark != std::string_view::npos) call.query = ParseQuery(target.substr(qmark + 1));

  if (route->access == Access::kUser || route->access == Access::kUserInactive) {
    if (!credential || credential->empty()) {
      return ErrorResponse(
          Error(Code::kUnauthenticated, "not_authenticated", "Could not validate credentials"));
    }
    auto identity = codex.auth().Verify(*credential, route->access == Access::kUserInactive);
    if (!identity.ok()) return ErrorResponse(identity.status());
    if (identity->kind == CredentialKind::kPat) {
      if (route->scope == TokenScope::kJwtOnly ||
          Level(route->scope) > static_cast<int>(identity->scope)) {
        return ErrorResponse(
            Error(Code::kPermissionDenied, "insufficient_scope", "Insufficient token scope"));
      }
      if (identity->agent_id && std::string_view(route->pattern) != "/api/v1/users/me") {
        return ErrorResponse(Error(Code::kPermissionDenied, "token_restricted",
                                   "Token is not valid for this resource"));
      }
    }
    if (int wait = api_limiter.Hit(std::to_string(identity->user.id), SteadyClock::now())) {
      metrics.CountRateLimited("api");
      Response r =
          ErrorResponse(Error(Code::kResourceExhausted, "rate_limited", "Too many requests"));
      r.Set("Retry-After", std::to_string(wait));
      return r;
    }
    call.who = identity->principal;
    call.identity = std::move(*identity);
  }
  try {
    Response r = route->handler(call);
    // §2.3: a 404 for a non-member and a 403 for a too-low role come before any 422. Handlers
    // validate their input first, so the access check is repeated here only when one refused it
    // (nothing is paid on the success path).
    if (r.status == 422) {
      if (auto denied = AccessBeforeValidation(call, *route)) return std::move(*denied);
    }
    return r;
  } catch (const std::exception&) {
    return ErrorResponse(Status::Internal("unhandled exception"));
  }
}

std::optional<Response> Api::Impl::AccessBeforeValidation(const Call& call, const Route& route) {
  if (!call.identity) return std::nullopt;
  std::string ws(call.Param("ws"));
  if (ws.empty()) {  // routes addressed by ?workspace_id=<int> (a malformed one is a 422 itself)
    std::int64_t id = 0;
    auto query = call.Query("workspace_id");
    if (!query || !ParseInt64(*query, &id)) return std::nullopt;
    ws = std::string(*query);
  }
  auto workspace = call.codex.workspaces().Get(call.who, ws);
  if (!workspace.ok()) return ErrorResponse(workspace.status());
  std::string_view nb = call.Param("nb");
  if (!nb.empty()) {
    auto notebook = call.codex.notebooks().Get(call.who, {ws, nb});
    if (!notebook.ok()) return ErrorResponse(notebook.status());
  }
  std::string_view needed = route.min_role;
  Role min = needed == "owner" ? Role::kOwner : needed == "editor" ? Role::kEditor : Role::kViewer;
  if (static_cast<int>(workspace->role) < static_cast<int>(min)) {
    return ErrorResponse(errors::InsufficientPermissions());
  }
  return std::nullopt;
}

Response Api::Dispatch(const Request& req) {
  auto started = SteadyClock::now();
  std::string request_id = RequestId(req);
  std::string route;
  Response r = impl_->Handle(req, *this, request_id, &route);
  return impl_->Finish(req, std::move(r), request_id, route, started);
}

Response Api::Malformed(const Request& request, bool headers_too_large) {
  Response r = ErrorResponse(Status::InvalidArgument("bad_request", "Malformed request"));
  r.status = headers_too_large ? 431 : 400;
  return Finish(request, std::move(r));
}

Response Api::Finish(const Request& request, Response response) {
  return impl_->Finish(request, std::move(response), RequestId(request), "unmatched",
                       SteadyClock::now());
}

Response Api::Impl::Finish(const Request& req, Response r, const std::string& request_id,
                           const std::string& route, SteadyClock::time_point started) {
  // Error bodies carry the request id (CONTRACT §2.1); handlers build them without it.
  if (r.status >= 400 && r.body.rfind("{\"detail\":", 0) == 0 && r.body.back() == '}' &&
      r.body.find("\"request_id\"") == std::string::npos) {
    r.body.pop_back();
    r.body += ",\"request_id\":" + Json(request_id).Dump() + "}";
  }
  r.Set("X-Request-ID", request_id);
  r.Set("X-Content-Type-Options", "nosniff");
  if (route != "/docs" && !r.Header("Content-Security-Policy")) {
    r.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
  if (r.Header("Content-Type") == std::optional<std::string_view>("application/json") &&
      !r.Header("Cache-Control")) {
    r.Set("Cache-Control", "no-store");
  }
  if (r.status == 401) r.Set("WWW-Authenticate", "Bearer");
  if (auto origin = req.Header("origin"); origin && OriginAllowed(*origin)) {
    r.Set("Access-Control-Allow-Origin", std::string(*origin));
    r.Set("Access-Control-Allow-Credentials", "true");
    if (req.method != "OPTIONS") {
      r.Set("Access-Control-Expose-Headers", "X-Request-ID, Retry-After, Content-Disposition");
    }
    r.Set("Vary", "Origin");
  }
  if (req.method == "HEAD") r.body.clear();
  double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  if (!req.method.empty()) metrics.CountRequest(req.method, route, r.status, seconds);
  return r;
}

std::optional<Response> Api::CheckHead(const Request& head, std::int64_t content_length) {
  std::string_view type = head.Header("content-type").value_or("");
  std::int64_t limit = type.rfind("multipart/", 0) == 0 ? impl_->config.max_upload_bytes
                                                        : impl_->config.max_json_bytes;
  if (content_length <= limit) return std::nullopt;
  auto started = SteadyClock::now();
  std::string request_id = RequestId(head);
  std::string route;
  Response r = impl_->Handle(head, *this, request_id, &route, /*too_large=*/true);
  return impl_->Finish(head, std::move(r), request_id, route, started);
}

Result<Identity> Api::Authenticate(const Request& request, std::string_view token) {
  bool from_cookie = false;
  std::optional<std::string> credential;
  if (!token.empty()) {
    credential = std::string(token);
  } else if (auto given = impl_->Credential(request, &from_cookie)) {
    credential = std::string(*given);
  }
  if (!credential) {
    auto target = std::string_view(request.target);
    std::size_t q = target.find('?');
    if (q != std::string_view::npos) {
      for (auto& [k, v] : ParseQuery(target.substr(q + 1))) {
        if (k == "token") credential = v;
      }
    }
  }
  if (!credential) {
    return Error(Code::kUnauthenticated, "not_authenticated", "Could not validate credentials");
  }
  // A cross-site page must not open a stream with the cookie the browser attaches by itself.
  if (from_cookie && impl_->ForeignOrigin(request)) {
    return Error(Code::kPermissionDenied, "origin_forbidden", "Origin not allowed");
  }
  auto identity = impl_->codex.auth().Verify(*credential);
  if (!identity.ok()) return identity;
  if (identity->kind == CredentialKind::kPat &&
      Level(TokenScope::kRead) > static_cast<int>(identity->scope)) {
    return Error(Code::kPermissionDenied, "insufficient_scope", "Insufficient token scope");
  }
  // Handshakes count against the user's API rate limit (CONTRACT §1.7).
  if (impl_->api_limiter.Hit(std::to_string(identity->user.id), SteadyClock::now()) != 0) {
    impl_->metrics.CountRateLimited("api");
    return Error(Code::kResourceExhausted, "rate_limited", "Too many requests");
  }
  return identity;
}

Response Api::Health() const {
  Status db = impl_->codex.HealthCheck();
  std::int64_t watchers = impl_->codex.watcher().notebook_count();
  std::int64_t sockets =
      impl_->gauges.websocket_connections ? impl_->gauges.websocket_connections() : 0;
  bool healthy = db.ok() && impl_->codex.watcher().unwatched_count() == 0;
  Json body(Json::Object{{"status", healthy ? "healthy" : "degraded"},
                         {"version", impl_->config.version},
                         {"database", db.ok() ? std::string("ok") : db.message()},
                         {"watchers", watchers},
                         {"websocket_connections", sockets}});
  return JsonResponse(healthy ? 200 : 503, body);
}

std::string Api::MetricsText() const {
  std::int64_t watchers = impl_->codex.watcher().notebook_count();
  std::int64_t sockets =
      impl_->gauges.websocket_connections ? impl_->gauges.websocket_connections() : 0;
  return impl_->metrics.Text(impl_->config.version, sockets, watchers, {});
}

std::string_view Call::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

std::optional<std::string_view> Call::Query(std::string_view name) const {
  // A repeated parameter: the last one counts, as in the v1 server (Starlette).
  for (auto it = query.rbegin(); it != query.rend(); ++it) {
    if (it->first == name) return std::string_view(it->second);
  }
  return std::nullopt;
}

std::optional<std::string_view> Call::Cookie(std::string_view name) const {
  return CookieValue(request, name);
}

Result<Json> Call::JsonBody() const {
  auto parsed = Json::Parse(request.body);
  if (!parsed.ok()) {
    return Status::Validation("json_invalid", parsed.status().field(), "JSON decode error");
  }
  return parsed;
}

}  // namespace codex::http
