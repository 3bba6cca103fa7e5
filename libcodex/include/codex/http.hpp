// The transport-free core of the HTTP API (CONTRACT §1–§4): requests and responses as plain
// values, one route table, and Dispatch, a pure function from request to response that does
// routing, CORS, authentication, scopes, rate limits, errors, standard headers and metrics.
// codexd feeds it requests parsed by Boost.Beast; tests call it directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codex/auth.hpp"
#include "codex/events.hpp"
#include "codex/files.hpp"
#include "codex/json.hpp"
#include "codex/status.hpp"
#include "codex/wire.hpp"

namespace codex {
class Codex;
}

namespace codex::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;     // upper case
  std::string target;     // as received: path and query
  Headers headers;        // names lower-cased
  std::string body;       // JSON and form bodies
  std::string body_file;  // multipart uploads: the body streamed to this file
  std::string peer;       // client address
  bool tls = false;

  std::optional<std::string_view> Header(std::string_view name) const;  // name lower-case
  // Appends a header as received, its name lower-cased.
  void AddHeader(std::string_view name, std::string value);
  // GET, HEAD and OPTIONS: they never write, so a transport may dispatch them on its I/O threads.
  bool read_only() const noexcept;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // File bodies (raw content): streamed by the transport, bytes [offset, offset + length).
  std::shared_ptr<OpenedFile> file;
  std::int64_t file_offset = 0;
  std::int64_t file_length = 0;

  void Set(std::string name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const;
};

// Who may call a route (CONTRACT §0.1 "role") and what a token must grant ("scope").
enum class Access {
  kPublic,        // no credentials
  kSignIn,        // no credentials; counted in the per-address sign-in rate bucket
  kUser,          // authenticated, active
  kUserInactive,  // authenticated, inactive accounts allowed ("user*")
};
enum class TokenScope { kNone, kRead, kWrite, kAdmin, kJwtOnly };

class Api;

// One matched call: the request, its path parameters, the verified caller.
struct Call {
  const Request& request;
  Codex& codex;
  Api& api;
  std::string request_id;
  std::vector<std::pair<std::string, std::string>> params;  // {name} → decoded value
  std::vector<std::pair<std::string, std::string>> query;   // decoded, in order
  std::optional<Identity> identity;
  Principal who;  // identity->principal, or empty

  std::string_view Param(std::string_view name) const;
  std::optional<std::string_view> Query(std::string_view name) const;  // the last one if repeated
  std::optional<std::string_view> Cookie(std::string_view name) const;
  // The JSON body, parsed (kValidation "json_invalid" 422 when it is not JSON).
  Result<Json> JsonBody() const;
  // The body as an object ({} when empty and `optional`); 422 "dict_type" otherwise.
  Result<Json::Object> BodyObject(bool optional = false) const;
  // A path parameter as an integer: 422 "int_parsing" (loc path).
  Result<std::int64_t> IntParam(std::string_view name) const;
  // Query integers (loc query): `fallback` when absent; 422 "int_parsing" or out of [min, max].
  Result<std::int64_t> IntQuery(std::string_view name, std::int64_t fallback, std::int64_t min,
                                std::int64_t max) const;
  Result<std::optional<std::int64_t>> OptIntQuery(std::string_view name) const;
  // A required query string: 422 "missing" (loc query).
  Result<std::string> RequiredQuery(std::string_view name) const;
  // A comma list from the query: items trimmed, empty ones dropped (absent = empty).
  std::optional<std::vector<std::string>> ListQuery(std::string_view name) const;
};

using Handler = std::function<Response(Call&)>;

struct Route {
  const char* method;   // GET POST PUT PATCH DELETE
  const char* pattern;  // "/api/v1/workspaces/{ws}/files/path/{p*}": {x*} takes the rest
  Access access;
  TokenScope scope;
  const char* min_role;  // documentation: "viewer" / "editor" / "owner" / "" (OpenAPI)
  Handler handler;
  const char* summary;
};

struct Config {
  std::vector<std::string> cors_origins;      // CODEX_CORS_ORIGINS
  bool trust_proxy = false;                   // CODEX_TRUST_PROXY
  std::string cookie_secure = "auto";         // CODEX_COOKIE_SECURE: auto | true | false
  int rate_limit_per_minute = 600;            // CODEX_RATE_LIMIT_PER_MINUTE
  int auth_rate_limit_per_minute = 10;        // CODEX_AUTH_RATE_LIMIT_PER_MINUTE
  std::int64_t max_json_bytes = 10 << 20;     // CODEX_MAX_JSON_BYTES
  std::int64_t max_upload_bytes = 1LL << 30;  // CODEX_MAX_UPLOAD_BYTES
  std::string metrics_token;                  // CODEX_METRICS_TOKEN
  std::string version = "0.1.0";
};

// Reads the CODEX_* variables of CONTRACT §1.8 that change wire behaviour.
Config ConfigFromEnvironment();

// "host:port" or "[v6 address]:port" with a decimal port 0..65535; false when malformed (the
// host itself is checked when binding).
bool ParseListenAddress(std::string_view text, std::string* host, unsigned short* port);
// The inverse, as a URL: "http://host:port", a v6 host in brackets.
std::string ListenUrl(std::string_view host, unsigned short port);

// A structured log line (JSON, no newline): {"level", "message"}.
std::string LogLine(std::string_view level, std::string_view message);

// One structured access-log line (JSON, no newline): level, method, path without its query (it
// may hold a token), status, request_id, ms, peer.
std::string AccessLogLine(const Request& request, const Response& response, double ms);

// Live figures only the transport knows, for /health and /metrics (the watcher's come from the
// Codex itself).
struct Gauges {
  std::function<std::int64_t()> websocket_connections;
};

// The route table with the pipeline around it. Thread-safe after construction.
class Api {
 public:
  Api(Codex& codex, std::vector<Route> routes, Config config, Gauges gauges = {});
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Everything of CONTRACT §1–§4 for one request; never throws.
  Response Dispatch(const Request& request);

  // The transport asks before reading a body (and again when a streamed body outgrows its
  // limit, with INT64_MAX): nullopt = within the limit, else the response to send instead — 413,
  // or what the head alone decides first (400 invalid path, 404, 405, CORS and origin 403s).
  std::optional<Response> CheckHead(const Request& head, std::int64_t content_length);
  // A response made outside Dispatch, completed with the standard headers of every response and
  // the request id in its error body.
  Response Finish(const Request& request, Response response);
  // A request the transport could not parse: 400 "Malformed request", or 431 for headers over
  // the limit; finished like any other answer.
  Response Malformed(const Request& request, bool headers_too_large);

  // WebSocket authentication (CONTRACT §26): the caller of `token` (a first-message credential)
  // or else of the request's Bearer header, access_token cookie or ?token=. Applies what a route
  // would: cookie origin guard (403 origin_forbidden), PAT read scope (403 insufficient_scope),
  // the per-user rate limit (429 rate_limited). Errors also: not_authenticated, invalid_token,
  // token_expired, inactive_user.
  Result<Identity> Authenticate(const Request& request, std::string_view token = {});

  const std::vector<Route>& routes() const;
  // GET /openapi.json, generated from the table.
  Json OpenApi() const;
  // GET /health (CONTRACT §6): status 200 or 503 with the body.
  Response Health() const;
  // GET /metrics text.
  std::string MetricsText() const;
  const Config& config() const;
  // Counts a WebSocket connection dropped by the server (reason "slow" or "error").
  void CountDroppedWebSocket(std::string_view reason);
  // A new file path for a streamed upload body, in <data dir>/tmp (which Daemon::Start creates
  // and clears); the transport removes the file once the request is answered.
  std::string UploadPath();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Responses of the contract's shapes.
Response JsonResponse(int status, const Json& body);
// The same for a body already encoded as JSON text.
Response JsonTextResponse(int status, std::string json_text);
// The error body of CONTRACT §2 for a library status (loc_root for 422: "body", "query", "path").
Response ErrorResponse(const Status& status, std::string_view loc_root = "body");
Response NoContent();
Response Message(std::string_view text);  // 200 {"message": text}

// The WebSocket protocol of CONTRACT §26 without the socket. The transport accepts the upgrade,
// calls Open(), feeds each text frame to OnText(), and carries out the Sink's sends and closes.
// Events arrive through Sink::send from publishing threads: it must be thread-safe and must not
// block (queue and return). Not thread-safe otherwise: one transport strand drives it.
class EventChannel {
 public:
  struct Sink {
    std::function<void(std::string text)> send;
    std::function<void(int code, std::string reason)> close;
  };
  EventChannel(Codex& codex, Api& api, Request handshake, Sink sink);
  ~EventChannel();
  EventChannel(const EventChannel&) = delete;
  EventChannel& operator=(const EventChannel&) = delete;

  // Authenticates from the handshake (Bearer header, access_token cookie, ?token=). False when
  // none was given: the first message may carry {"type": "auth", "token"}; call Expire() after 5 s.
  bool Open();
  void OnText(std::string_view text);
  // The authentication window has ended: closes with 1008 unless authenticated.
  void Expire();
  // The connection is closing: no more events.
  void Stop();
  bool authenticated() const { return subscription_.active(); }

 private:
  void Subscribe(const Identity& identity);
  void Refuse(const Status& why);
  Codex& codex_;
  Api& api_;
  Request handshake_;
  Sink sink_;
  Subscription subscription_;
};

// Replies: a Result encoded with wire::ToJson (or its error), a list, a FileWrite with its message,
// a {"message"}, an empty 204.
template <class T>
Response Reply(const Result<T>& r, int status = 200) {
  if (!r.ok()) return ErrorResponse(r.status());
  if constexpr (requires { wire::ToJsonText(*r); }) {
    return JsonTextResponse(status, wire::ToJsonText(*r));
  } else {
    return JsonResponse(status, wire::ToJson(*r));
  }
}
template <class T>
Response ReplyList(const Result<std::vector<T>>& r) {
  return r.ok() ? JsonResponse(200, wire::ToJsonArray(*r)) : ErrorResponse(r.status());
}
template <class T>
Response ReplyWrite(const Result<T>& r, const char* message, int status = 200) {
  return r.ok() ? JsonTextResponse(status, wire::ToJsonText(*r, message))
                : ErrorResponse(r.status());
}
inline Response ReplyDone(const Status& s, const std::string& message) {
  return s.ok() ? Message(message) : ErrorResponse(s);
}
inline Response ReplyEmpty(const Status& s) { return s.ok() ? NoContent() : ErrorResponse(s); }

// Raw file content (CONTRACT §14.3): type, disposition, ETag/Last-Modified with 304, one byte
// range (206, or 416 when unsatisfiable), private caching, sandboxed CSP.
Response FileResponse(const Request& request, OpenedFile file);

// application/x-www-form-urlencoded fields (login).
std::vector<std::pair<std::string, std::string>> FormFields(std::string_view body);

// The access and refresh cookies of a session (CONTRACT §3.3), `Secure` per CODEX_COOKIE_SECURE.
void SetSessionCookies(Response* response, const Session& session, const Request& request,
                       const Config& config);
// Both cookies expired (logout, failed refresh).
void ClearSessionCookies(Response* response, bool refresh_only = false);

// Percent-decoding; nullopt when the result is not UTF-8 (when required) or malformed.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);

// multipart/form-data: the parts of a body stored in a file, each saved to its own temp file.
struct Part {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
  std::string value;      // text fields (small)
  std::string file_path;  // file parts: where the bytes are (removed with the Multipart)
};
class Multipart {
 public:
  // Errors: kValidation "missing" when the body is not well-formed multipart.
  static Result<Multipart> Parse(const std::string& body_file, std::string_view content_type,
                                 const std::string& temp_dir);
  Multipart(Multipart&&) noexcept;
  Multipart& operator=(Multipart&&) noexcept;
  ~Multipart();  // removes the part files
  const std::vector<Part>& parts() const { return parts_; }
  const Part* Find(std::string_view name) const;

 private:
  Multipart() = default;
  std::vector<Part> parts_;
};

}  // namespace codex::http
