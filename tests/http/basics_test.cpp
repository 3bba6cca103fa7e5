// Transport-facing pieces of the HTTP layer: listen addresses, request headers, read-only methods.
#include <catch2/catch.hpp>
#include <string>

#include "codex/http.hpp"

using codex::http::ListenUrl;
using codex::http::ParseListenAddress;

TEST_CASE("listen addresses: parsed, refused when malformed, printed back as URLs") {
  struct Case {
    const char* text;
    bool ok;
    const char* host;
    unsigned short port;
    const char* url;
  };
  const Case cases[] = {
      {"127.0.0.1:8000", true, "127.0.0.1", 8000, "http://127.0.0.1:8000"},
      {"0.0.0.0:0", true, "0.0.0.0", 0, "http://0.0.0.0:0"},
      {"[::1]:65535", true, "::1", 65535, "http://[::1]:65535"},
      {"localhost:80", true, "localhost", 80, "http://localhost:80"},
      {"127.0.0.1", false, "", 0, ""},
      {":8000", false, "", 0, ""},
      {"127.0.0.1:", false, "", 0, ""},
      {"127.0.0.1:65536", false, "", 0, ""},
      {"127.0.0.1:-1", false, "", 0, ""},
      {"127.0.0.1:80a", false, "", 0, ""},
      {"127.0.0.1:000008000", false, "", 0, ""},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    std::string host;
    unsigned short port = 1;
    REQUIRE(ParseListenAddress(c.text, &host, &port) == c.ok);
    if (!c.ok) continue;
    CHECK(host == c.host);
    CHECK(port == c.port);
    CHECK(ListenUrl(host, port) == c.url);
  }
}

TEST_CASE("requests: header names lower-cased as added; GET, HEAD and OPTIONS are read-only") {
  codex::http::Request r;
  r.AddHeader("Content-TYPE", "Application/JSON");
  r.AddHeader("x-request-id", "a");
  CHECK(r.Header("content-type") == std::optional<std::string_view>("Application/JSON"));
  CHECK(r.Header("x-request-id") == std::optional<std::string_view>("a"));
  CHECK_FALSE(r.Header("Content-TYPE"));
  for (const char* m : {"GET", "HEAD", "OPTIONS"}) {
    r.method = m;
    CHECK(r.read_only());
  }
  for (const char* m : {"POST", "PUT", "PATCH", "DELETE", "get", ""}) {
    r.method = m;
    CHECK_FALSE(r.read_only());
  }
}
