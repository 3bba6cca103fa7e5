// Request and response values, the Code → HTTP status switch, error bodies, URL decoding.
#include <cmath>
#include <cstdlib>

#include "codex/http.hpp"
#include "codex/wire.hpp"
#include "common/strings.hpp"
#include "wire/json_writer.hpp"

namespace codex::http {
namespace {

// The single Code → HTTP status switch (DESIGN §4).
int HttpStatus(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kValidation:
      return 422;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
      return 400;
    case Code::kConflict:
      return 409;
    case Code::kFailedPrecondition:
      return 412;
    case Code::kOutOfRange:
      return 416;
    case Code::kTooLarge:
      return 413;
    case Code::kResourceExhausted:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kIoError:
    case Code::kCorruption:
    case Code::kInternal:
      return 500;
  }
  return 500;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Header names are ASCII: compared without the locale.
bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x == y) continue;
    char lower = static_cast<char>(x | 0x20);
    if (lower != (y | 0x20) || lower < 'a' || lower > 'z') return false;
  }
  return true;
}

std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : fallback;
}

}  // namespace

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

void Request::AddHeader(std::string_view name, std::string value) {
  headers.emplace_back(ToLowerAscii(name), std::move(value));
}

bool Request::read_only() const noexcept {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

void Response::Set(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCaseAscii(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

Response JsonResponse(int status, const Json& body) {
  return JsonTextResponse(status, body.Dump());
}

Response JsonTextResponse(int status, std::string json_text) {
  Response r;
  r.status = status;
  r.body = std::move(json_text);
  r.headers.reserve(8);  // and the standard ones Dispatch adds
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

Response ErrorResponse(const Status& status, std::string_view loc_root) {
  int code = HttpStatus(status.code());
  if (code >= 500) {
    // Never internal text on the wire: a route's fixed "Error …" message, or the generic one.
    const std::string& msg = status.message();
    std::string detail =
        msg.rfind("Error ", 0) == 0 ? msg.substr(0, msg.find(':')) : "Internal Server Error";
    Status safe = Status::Make(status.code(), "internal_error", detail);
    return JsonResponse(code, wire::ErrorJson(safe));
  }
  return JsonResponse(code, wire::ErrorJson(status, {}, loc_root));
}

Response NoContent() {
  Response r;
  r.status = 204;
  return r;
}

Response Message(std::string_view text) {
  return JsonResponse(200, Json(Json::Object{{"message", std::string(text)}}));
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  bool plain = text.find('%') == std::string_view::npos &&
               (!plus_is_space || text.find('+') == std::string_view::npos);
  if (plain) {
    if (!IsValidUtf8(text)) return std::nullopt;
    return std::string(text);  // nothing to decode (most paths)
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!IsValidUtf8(out)) return std::nullopt;
  return out;
}

Config ConfigFromEnvironment() {
  Config c;
  const std::string origins = EnvOr("CODEX_CORS_ORIGINS", "");  // Split returns views into it
  for (auto part : Split(origins, ',')) {
    std::string origin(Trim(part));
    if (!origin.empty() && origin != "*") c.cors_origins.push_back(ToLowerAscii(origin));
  }
  std::string trust = ToLowerAscii(EnvOr("CODEX_TRUST_PROXY", "0"));
  c.trust_proxy = trust == "1" || trust == "true" || trust == "yes";
  c.cookie_secure = ToLowerAscii(EnvOr("CODEX_COOKIE_SECURE", "auto"));
  auto number = [](const char* name, std::int64_t fallback) {
    std::int64_t v = 0;
    return ParseInt64(EnvOr(name, ""), &v) ? v : fallback;
  };
  c.rate_limit_per_minute = static_cast<int>(number("CODEX_RATE_LIMIT_PER_MINUTE", 600));
  c.auth_rate_limit_per_minute = static_cast<int>(number("CODEX_AUTH_RATE_LIMIT_PER_MINUTE", 10));
  c.max_json_bytes = number("CODEX_MAX_JSON_BYTES", 10 << 20);
  c.max_upload_bytes = number("CODEX_MAX_UPLOAD_BYTES", 1LL << 30);
  c.metrics_token = EnvOr("CODEX_METRICS_TOKEN", "");
  return c;
}

bool ParseListenAddress(std::string_view text, std::string* host, unsigned short* port) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view h = text.substr(0, colon), p = text.substr(colon + 1);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  std::int64_t n = 0;
  if (p.empty() || p.size() > 5 || !IsAllDigits(p) || !ParseInt64(p, &n) || n > 65535) {
    return false;
  }
  *host = std::string(h), *port = static_cast<unsigned short>(n);
  return true;
}

std::string ListenUrl(std::string_view host, unsigned short port) {
  bool v6 = host.find(':') != std::string_view::npos;
  std::string h = v6 ? "[" + std::string(host) + "]" : std::string(host);
  return "http://" + h + ":" + std::to_string(port);
}

std::string LogLine(std::string_view level, std::string_view message) {
  return Json(Json::Object{{"level", level}, {"message", message}}).Dump();
}

std::string AccessLogLine(const Request& request, const Response& response, double ms) {
  // Written straight as text (one line per request): the same text as the Json object would give.
  std::string_view target = request.target;
  std::string line;
  line.reserve(192 + target.size());
  wire::TextWriter out(&line);
  out.Field("level", std::string_view(response.status >= 500 ? "error" : "info"));
  out.Field("method", request.method);
  out.Field("path", target.substr(0, target.find('?')));
  out.Field("status", std::int64_t{response.status});
  out.Field("request_id", response.Header("x-request-id").value_or(""));
  out.Field("ms", Json(std::round(ms * 100) / 100));
  out.Field("peer", request.peer);
  out.Close();
  return line;
}

}  // namespace codex::http
