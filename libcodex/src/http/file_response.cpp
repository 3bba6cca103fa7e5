// Raw file responses (CONTRACT §14.3) and session cookies (§3.3, §3.4).
#include <sys/stat.h>

#include <ctime>

#include "codex/http.hpp"
#include "common/strings.hpp"

namespace codex::http {
namespace {

std::string HttpDate(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<std::int64_t> ParseHttpDate(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  if (strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string Disposition(const std::string& filename) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    // One '_' per character that is not printable ASCII: a UTF-8 continuation byte adds none.
    bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    if (plain || (c & 0xC0) != 0x80) ascii.push_back(plain ? static_cast<char>(c) : '_');
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

bool Secure(const Request& request, const Config& config) {
  if (config.cookie_secure == "true") return true;
  if (config.cookie_secure == "false") return false;
  if (request.tls) return true;
  return config.trust_proxy &&
         request.Header("x-forwarded-proto") == std::optional<std::string_view>("https");
}

}  // namespace

Response FileResponse(const Request& request, OpenedFile file) {
  const FileMeta& meta = file.meta();
  std::int64_t size = file.size();
  std::string etag = "\"" + meta.hash + "\"";
  std::int64_t mtime = file.mtime_ns() / 1000000000;
  Response r;
  r.Set("ETag", etag);
  r.Set("Last-Modified", HttpDate(mtime));
  r.Set("Accept-Ranges", "bytes");
  r.Set("Cache-Control", "private, no-cache");
  r.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
  auto if_none = request.Header("if-none-match");
  auto if_since = request.Header("if-modified-since");
  bool fresh = false;
  if (if_none) {
    for (auto tag : Split(*if_none, ',')) fresh = fresh || Trim(tag) == etag || Trim(tag) == "*";
  } else if (if_since) {
    auto since = ParseHttpDate(*if_since);
    fresh = since && mtime <= *since;
  }
  if (fresh) {
    r.status = 304;
    return r;
  }
  std::string type = meta.content_type;
  if (type.rfind("text/", 0) == 0) type += "; charset=utf-8";
  r.Set("Content-Type", type);
  r.Set("Content-Disposition", Disposition(meta.filename));
  std::int64_t from = 0, length = size;
  if (auto range = request.Header("range");
      range && range->rfind("bytes=", 0) == 0 && range->find(',') == std::string_view::npos) {
    std::string_view spec = Trim(range->substr(6));
    std::size_t dash = spec.find('-');
    std::int64_t a = 0, b = 0;
    bool has_a = dash != std::string_view::npos && ParseInt64(spec.substr(0, dash), &a);
    bool has_b = dash != std::string_view::npos && ParseInt64(spec.substr(dash + 1), &b);
    bool ok = false;
    if (has_a && (has_b || spec.substr(dash + 1).empty())) {  // a-b or a-
      std::int64_t last = has_b ? std::min(b, size - 1) : size - 1;
      ok = a < size && a <= last;
      from = a;
      length = last - a + 1;
    } else if (!has_a && spec.substr(0, dash).empty() && has_b) {  // -n
      ok = b > 0 && size > 0;
      from = std::max<std::int64_t>(0, size - b);
      length = size - from;
    }
    if (!ok) {
      Response err = ErrorResponse(Status::Make(Code::kOutOfRange, "range_not_satisfiable",
                                                "Requested range not satisfiable"));
      err.Set("Content-Range", "bytes */" + std::to_string(size));
      return err;
    }
    r.status = 206;
    r.Set("Content-Range", "bytes " + std::to_string(from) + "-" +
                               std::to_string(from + length - 1) + "/" + std::to_string(size));
  }
  r.file = std::make_shared<OpenedFile>(std::move(file));
  r.file_offset = from;
  r.file_length = length;
  return r;
}

std::vector<std::pair<std::string, std::string>> FormFields(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto part : Split(body, '&')) {
    if (part.empty()) continue;
    std::size_t eq = part.find('=');
    auto key = PercentDecode(part.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    if (key && value) out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

void SetSessionCookies(Response* response, const Session& session, const Request& request,
                       const Config& config) {
  std::string secure = Secure(request, config) ? "; Secure" : "";
  response->headers.emplace_back(
      "Set-Cookie", "access_token=" + session.access_token + "; HttpOnly; Max-Age=" +
                        std::to_string(session.access_max_age) + "; Path=/; SameSite=Lax" + secure);
  response->headers.emplace_back(
      "Set-Cookie", "refresh_token=" + session.refresh_token +
                        "; HttpOnly; Max-Age=" + std::to_string(session.refresh_max_age) +
                        "; Path=/api/v1/users; SameSite=Strict" + secure);
}

void ClearSessionCookies(Response* response, bool refresh_only) {
  if (!refresh_only) {
    response->headers.emplace_back("Set-Cookie",
                                   "access_token=\"\"; Max-Age=0; Path=/; SameSite=Lax");
  }
  response->headers.emplace_back(
      "Set-Cookie", "refresh_token=\"\"; Max-Age=0; Path=/api/v1/users; SameSite=Strict");
}

}  // namespace codex::http
