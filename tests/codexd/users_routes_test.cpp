// Users, sign-in, cookies, refresh, logout, authentication failures, rate limits and CORS
// against the real daemon (CONTRACT §1.6, §1.7, §2, §3, §7).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

DaemonOptions WithEnv(std::map<std::string, std::string> env) {
  DaemonOptions o;
  o.env = std::move(env);
  return o;
}

const HeaderList kForm = {{"Content-Type", "application/x-www-form-urlencoded"}};

std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

HttpResponse FormLogin(HttpClient& http, const std::string& user, const std::string& password,
                       HeaderList extra = {}) {
  HeaderList headers = kForm;
  for (auto& h : extra) headers.push_back(h);
  return http.Send("POST", "/api/v1/users/token", "username=" + user + "&password=" + password,
                   headers);
}

HttpResponse Register(HttpClient& http, const std::string& user, const std::string& email,
                      const std::string& password) {
  return http.Post(
      "/api/v1/users/register",
      Json(Json::Object{{"username", user}, {"email", email}, {"password", password}}));
}

// The Set-Cookie header that sets `name`, or "".
std::string SetCookie(const HttpResponse& r, const std::string& name) {
  for (const auto& c : r.Cookies()) {
    if (c.rfind(name + "=", 0) == 0) return c;
  }
  return "";
}

// The value of cookie `name` in the response's Set-Cookie headers.
std::string CookieValue(const HttpResponse& r, const std::string& name) {
  std::string c = SetCookie(r, name);
  if (c.empty()) return "";
  std::size_t end = c.find(';');
  return c.substr(name.size() + 1,
                  end == std::string::npos ? std::string::npos : end - name.size() - 1);
}

bool HasAttribute(const std::string& cookie, const std::string& attribute) {
  std::size_t at = 0;
  while ((at = cookie.find("; ", at)) != std::string::npos) {
    at += 2;
    if (cookie.compare(at, attribute.size(), attribute) == 0 &&
        (at + attribute.size() == cookie.size() || cookie[at + attribute.size()] == ';'))
      return true;
  }
  return false;
}

std::string Code(const HttpResponse& r) {
  INFO(r.Describe());
  return At(r.json(), "code").as_string();
}

// The first validation error of a 422.
const Json& FirstError(const Json& body) {
  const Json& detail = At(body, "detail");
  REQUIRE(detail.is_array());
  REQUIRE(!detail.as_array().empty());
  return detail.as_array().front();
}

std::vector<std::string> Loc(const Json& error) {
  std::vector<std::string> out;
  for (const auto& part : At(error, "loc").as_array()) {
    out.push_back(part.is_string() ? part.as_string() : part.Dump());
  }
  return out;
}

// Every `type`/`loc` pair of a 422 body, "missing:body.username".
std::vector<std::string> Errors(const HttpResponse& r) {
  std::vector<std::string> out;
  Json body = r.json();
  for (const auto& e : At(body, "detail").as_array()) {
    std::string text = At(e, "type").as_string() + ":";
    auto loc = Loc(e);
    for (std::size_t i = 0; i < loc.size(); ++i) text += (i ? "." : "") + loc[i];
    out.push_back(text);
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void Check401(const HttpResponse& r, const std::string& code) {
  INFO(r.Describe());
  CHECK(r.status == 401);
  CHECK(r.Header("WWW-Authenticate").value_or("") == "Bearer");
  if (r.status == 401) {
    CHECK(At(r.json(), "code").as_string() == code);
    CHECK(At(r.json(), "detail").as_string() == "Could not validate credentials");
  }
}

TEST_CASE("codexd users: register returns 201 User and creates the default workspace",
          "[codexd][users]") {
  Daemon d;
  auto http = d.Client();
  auto r = Register(http, "alice", "Alice.Smith@EXAMPLE.Org", "password-alice");
  INFO(r.Describe());
  REQUIRE(r.status == 201);
  Json user = r.json();
  std::vector<std::string> keys;
  for (const auto& [k, v] : user.as_object()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"id", "username", "email", "is_active", "theme_setting"});
  CHECK(At(user, "username").as_string() == "alice");
  // The domain is lower-cased, the local part kept (§7.1).
  CHECK(At(user, "email").as_string() == "Alice.Smith@example.org");
  CHECK(At(user, "is_active").as_bool());
  CHECK(At(user, "theme_setting").as_string() == "cream");
  CHECK(r.body.find("password") == std::string::npos);

  std::string token = d.Login("alice", "password-alice");
  auto workspaces = http.Get("/api/v1/workspaces", token);
  REQUIRE(workspaces.status == 200);
  REQUIRE(workspaces.json().as_array().size() == 1);
  Json ws = workspaces.json().as_array().front();
  CHECK(At(ws, "name").as_string() == "alice");
  CHECK(At(ws, "role").as_string() == "owner");
}

TEST_CASE("codexd users: register validation errors are 422 with pydantic shapes",
          "[codexd][users]") {
  Daemon d;
  auto http = d.Client();

  auto bad_email = Register(http, "alice", "invalid-email", "password-alice");
  REQUIRE(bad_email.status == 422);
  CHECK(Code(bad_email) == "validation_error");
  Json e = FirstError(bad_email.json());
  CHECK(At(e, "type").as_string() == "value_error");
  CHECK(Loc(e) == std::vector<std::string>{"body", "email"});
  CHECK(At(e, "msg").as_string() ==
        "value is not a valid email address: An email address must have an @-sign.");

  for (const std::string email :
       {"a@localhost", "a@lab.test", "a@[127.0.0.1]", "a..b@example.org", ".a@example.org",
        "a@-example.org", "a@example", "@example.org", "a@@example.org"}) {
    INFO(email);
    auto r = Register(http, "alice", email, "password-alice");
    CHECK(r.status == 422);
    if (r.status == 422) CHECK(At(FirstError(r.json()), "type").as_string() == "value_error");
  }

  // A missing field has loc ["body", name]. (CONTRACT §2.2 wants every error of a request in
  // one list; JSON bodies report the first one only — see the report.)
  auto empty = http.Post("/api/v1/users/register", Json(Json::Object{}));
  REQUIRE(empty.status == 422);
  CHECK(Errors(empty).front() == "missing:body.username");
  auto no_email = http.Post("/api/v1/users/register",
                            Json(Json::Object{{"username", "alice"}, {"password", "password-a"}}));
  REQUIRE(no_email.status == 422);
  CHECK(Errors(no_email) == std::vector<std::string>{"missing:body.email"});
  CHECK(At(FirstError(empty.json()), "msg").as_string() == "Field required");

  auto short_name = Register(http, "al", "al@example.org", "password-al");
  REQUIRE(short_name.status == 422);
  CHECK(Contains(Errors(short_name), "string_too_short:body.username"));
  auto short_password = Register(http, "alice", "alice@example.org", "short");
  REQUIRE(short_password.status == 422);
  CHECK(Contains(Errors(short_password), "string_too_short:body.password"));
  CHECK(At(FirstError(short_password.json()), "msg").as_string() ==
        "String should have at least 8 characters");
  auto long_password = Register(http, "alice", "alice@example.org", std::string(101, 'p'));
  REQUIRE(long_password.status == 422);
  CHECK(Contains(Errors(long_password), "string_too_long:body.password"));

  auto wrong_type = http.Post(
      "/api/v1/users/register",
      Json(Json::Object{
          {"username", 42}, {"email", "alice@example.org"}, {"password", "password-alice"}}));
  REQUIRE(wrong_type.status == 422);
  CHECK(Contains(Errors(wrong_type), "string_type:body.username"));

  auto not_object = http.Post("/api/v1/users/register", Json(Json::Array{}));
  CHECK(not_object.status == 422);
  auto not_json = http.Send("POST", "/api/v1/users/register",
                            "{\"username\":", {{"Content-Type", "application/json"}});
  REQUIRE(not_json.status == 422);
  CHECK(At(FirstError(not_json.json()), "type").as_string() == "json_invalid");
  CHECK(At(FirstError(not_json.json()), "msg").as_string() == "JSON decode error");

  // Nothing was created by the failures: the name is still free.
  CHECK(Register(http, "alice", "alice@example.org", "password-alice").status == 201);
}

TEST_CASE("codexd users: hostile usernames register cleanly or get a 4xx, never a 5xx",
          "[codexd][users]") {
  Daemon d;
  auto http = d.Client();
  const std::vector<std::string> names = {
      "../../etc",  "..",          "...",          "a/b/c",        "%2e%2e",
      "!!!",        "   ",         "con",          "a\\b",       std::string("ab\0c", 4),
      "12345",      "\xe2\x80\xae" "abc", "日本語の名前", std::string(50, 'x'),
      "\xf0\x9f\xa7\xaa\xf0\x9f\xa7\xaa\xf0\x9f\xa7\xaa",
      ".git",       ".codex",      "-x-",          "<script>",     "Robert'); DROP TABLE users;--",
  };
  int n = 0;
  for (const auto& name : names) {
    INFO("username " << Json(name).Dump());
    std::string email = "user" + std::to_string(++n) + "@example.org";
    auto r = Register(http, name, email, "password-123");
    INFO(r.Describe());
    CHECK(r.status < 500);
    if (r.status == 201) {
      CHECK(At(r.json(), "username").as_string() == name);
      // The account works and has its workspace.
      auto login = http.Send("POST", "/api/v1/users/token",
                             "username=" + PercentEncode(name) + "&password=password-123", kForm);
      REQUIRE(login.status == 200);
      std::string token = At(login.json(), "access_token").as_string();
      auto ws = http.Get("/api/v1/workspaces", token);
      REQUIRE(ws.status == 200);
      CHECK(ws.json().as_array().size() == 1);
    } else {
      CHECK(r.status >= 400);
    }
  }
  CHECK(http.Get("/health").status == 200);
}

TEST_CASE("codexd users: duplicate username and email are 400 with the contract codes",
          "[codexd][users]") {
  Daemon d;
  auto http = d.Client();
  REQUIRE(Register(http, "alice", "alice@example.org", "password-alice").status == 201);

  // Username is checked first.
  auto both = Register(http, "alice", "alice@example.org", "password-other");
  REQUIRE(both.status == 400);
  CHECK(Code(both) == "username_taken");
  CHECK(At(both.json(), "detail").as_string() == "Username already registered");

  auto same_name = Register(http, "alice", "other@example.org", "password-other");
  REQUIRE(same_name.status == 400);
  CHECK(Code(same_name) == "username_taken");

  // The email is compared normalised (domain lower-cased).
  auto same_email = Register(http, "alice2", "alice@EXAMPLE.ORG", "password-alice2");
  REQUIRE(same_email.status == 400);
  CHECK(Code(same_email) == "email_taken");
  CHECK(At(same_email.json(), "detail").as_string() == "Email already registered");

  // Usernames match exactly: another case is another user.
  auto other_case = Register(http, "Alice", "alice.upper@example.org", "password-Alice");
  CHECK(other_case.status == 201);
  // The failed attempts did not leave accounts behind.
  auto login = FormLogin(http, "alice2", "password-alice2");
  CHECK(login.status == 401);
}

TEST_CASE("codexd users: form login issues a bearer token and session cookies", "[codexd][users]") {
  Daemon d;
  d.AddUser("alice");
  auto http = d.Client();

  auto r = FormLogin(http, "alice", "password-alice");
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  Json body = r.json();
  std::vector<std::string> keys;
  for (const auto& [k, v] : body.as_object()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"access_token", "token_type"});
  CHECK(At(body, "token_type").as_string() == "bearer");
  std::string jwt = At(body, "access_token").as_string();
  CHECK(std::count(jwt.begin(), jwt.end(), '.') == 2);
  CHECK(r.Header("Cache-Control").value_or("") == "no-store");

  std::string access = SetCookie(r, "access_token");
  INFO(access);
  REQUIRE(!access.empty());
  CHECK(CookieValue(r, "access_token") == jwt);
  CHECK(HasAttribute(access, "HttpOnly"));
  CHECK(HasAttribute(access, "Max-Age=1800"));
  CHECK(HasAttribute(access, "Path=/"));
  CHECK(HasAttribute(access, "SameSite=Lax"));
  CHECK(!HasAttribute(access, "Secure"));  // plain HTTP, CODEX_COOKIE_SECURE=auto
  std::string refresh = SetCookie(r, "refresh_token");
  INFO(refresh);
  REQUIRE(!refresh.empty());
  CHECK(CookieValue(r, "refresh_token").size() >= 32);
  CHECK(HasAttribute(refresh, "HttpOnly"));
  CHECK(HasAttribute(refresh, "Max-Age=604800"));
  CHECK(HasAttribute(refresh, "Path=/api/v1/users"));
  CHECK(HasAttribute(refresh, "SameSite=Strict"));

  auto me = http.Get("/api/v1/users/me", jwt);
  REQUIRE(me.status == 200);
  CHECK(At(me.json(), "username").as_string() == "alice");

  // The optional OAuth2 fields are accepted; grant_type must be "password".
  auto full = http.Send("POST", "/api/v1/users/token",
                        "grant_type=password&username=alice&password=password-alice&scope=&"
                        "client_id=x&client_secret=y",
                        kForm);
  CHECK(full.status == 200);
  auto grant =
      http.Send("POST", "/api/v1/users/token",
                "grant_type=client_credentials&username=alice&password=password-alice", kForm);
  REQUIRE(grant.status == 422);
  Json g = FirstError(grant.json());
  CHECK(At(g, "type").as_string() == "string_pattern_mismatch");
  CHECK(Loc(g) == std::vector<std::string>{"body", "grant_type"});
  CHECK(At(g, "msg").as_string() == "String should match pattern '^password$'");

  // Percent-encoded form values.
  REQUIRE(Register(http, "bob+lab", "bob@example.org", "pass word&=%").status == 201);
  CHECK(FormLogin(http, "bob%2Blab", "pass+word%26%3D%25").status == 200);
  CHECK(FormLogin(http, "bob+lab", "pass+word%26%3D%25").status == 401);  // "+" is a space
}

TEST_CASE("codexd users: login failures", "[codexd][users]") {
  Daemon d;
  d.AddUser("alice");
  auto http = d.Client();

  for (auto [user, password] : {std::pair{"alice", "wrong-password"}, {"nobody", "password-x"}}) {
    INFO(user);
    auto r = FormLogin(http, user, password);
    REQUIRE(r.status == 401);
    CHECK(Code(r) == "login_failed");
    CHECK(At(r.json(), "detail").as_string() == "Incorrect username or password");
    CHECK(r.Header("WWW-Authenticate").value_or("") == "Bearer");
    CHECK(r.Cookies().empty());
  }

  // A JSON body is not a form: both fields are missing (§3.3).
  auto json = http.Post("/api/v1/users/token",
                        Json(Json::Object{{"username", "alice"}, {"password", "password-alice"}}));
  REQUIRE(json.status == 422);
  auto errors = Errors(json);
  CHECK(Contains(errors, "missing:body.username"));
  CHECK(Contains(errors, "missing:body.password"));

  auto no_password = http.Send("POST", "/api/v1/users/token", "username=alice", kForm);
  REQUIRE(no_password.status == 422);
  CHECK(Errors(no_password) == std::vector<std::string>{"missing:body.password"});
  auto empty = http.Send("POST", "/api/v1/users/token", "", kForm);
  REQUIRE(empty.status == 422);
}

TEST_CASE("codexd users: multipart login is accepted", "[codexd][users]") {
  Daemon d;
  d.AddUser("alice");
  auto http = d.Client();
  const std::string boundary = "login-boundary-1";
  std::string body;
  for (auto [k, v] : {std::pair{"username", "alice"}, {"password", "password-alice"}}) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v +
            "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  auto r = http.Send("POST", "/api/v1/users/token", body,
                     {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  CHECK(At(r.json(), "token_type").as_string() == "bearer");
}

TEST_CASE("codexd users: the access_token cookie alone authenticates; Bearer wins",
          "[codexd][users]") {
  Daemon d;
  d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto http = d.Client();
  auto login = FormLogin(http, "alice", "password-alice");
  REQUIRE(login.status == 200);
  std::string cookie = "access_token=" + CookieValue(login, "access_token");

  auto me = http.Send("GET", "/api/v1/users/me", "", {{"Cookie", "theme=dark; " + cookie}});
  INFO(me.Describe());
  REQUIRE(me.status == 200);
  CHECK(At(me.json(), "username").as_string() == "alice");

  // A Bearer header wins over the cookie.
  auto both = http.Send("GET", "/api/v1/users/me", "", {{"Cookie", cookie}}, bob);
  REQUIRE(both.status == 200);
  CHECK(At(both.json(), "username").as_string() == "bob");

  // Another scheme falls through to the cookie; the Bearer scheme is case-insensitive.
  auto basic = http.Send("GET", "/api/v1/users/me", "",
                         {{"Cookie", cookie}, {"Authorization", "Basic eA=="}});
  REQUIRE(basic.status == 200);
  CHECK(At(basic.json(), "username").as_string() == "alice");
  auto lower = http.Send("GET", "/api/v1/users/me", "", {{"Authorization", "bearer " + bob}});
  REQUIRE(lower.status == 200);
  CHECK(At(lower.json(), "username").as_string() == "bob");

  // A cookie write works from the daemon's own page or without an Origin.
  Json theme(Json::Object{{"theme", "dark"}});
  HeaderList json{{"Content-Type", "application/json"}, {"Cookie", cookie}};
  auto plain = http.Send("PATCH", "/api/v1/users/me/theme", theme.Dump(), json);
  CHECK(plain.status == 200);
  HeaderList own = json;
  own.emplace_back("Origin", "http://127.0.0.1");
  CHECK(http.Send("PATCH", "/api/v1/users/me/theme", theme.Dump(), own).status == 200);
}

TEST_CASE("codexd users: cookie-only writes from a foreign Origin are 403 origin_forbidden",
          "[codexd][users]") {
  Daemon d(WithEnv({{"CODEX_CORS_ORIGINS", "https://lab.example.org"}}));
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();
  std::string cookie = "access_token=" + jwt;
  Json theme(Json::Object{{"theme", "night"}});

  HeaderList evil{{"Content-Type", "application/json"},
                  {"Cookie", cookie},
                  {"Origin", "https://evil.example.com"}};
  auto refused = http.Send("PATCH", "/api/v1/users/me/theme", theme.Dump(), evil);
  INFO(refused.Describe());
  REQUIRE(refused.status == 403);
  CHECK(Code(refused) == "origin_forbidden");
  CHECK(At(refused.json(), "detail").as_string() == "Origin not allowed");
  CHECK(!refused.Header("Access-Control-Allow-Origin"));
  auto deleted = http.Send("DELETE", "/api/v1/users/me", "", evil);
  CHECK(deleted.status == 403);
  auto created =
      http.Send("POST", "/api/v1/workspaces", Json(Json::Object{{"name", "CSRF"}}).Dump(), evil);
  CHECK(created.status == 403);
  // The theme did not change.
  CHECK(At(http.Get("/api/v1/users/me", jwt).json(), "theme_setting").as_string() == "cream");

  // Safe methods with the cookie are fine from anywhere (no CORS headers for the foreign page).
  auto read = http.Send("GET", "/api/v1/users/me", "", evil);
  CHECK(read.status == 200);
  CHECK(!read.Header("Access-Control-Allow-Origin"));
  // A Bearer header is not ambient: no CSRF check.
  auto bearer = http.Send(
      "PATCH", "/api/v1/users/me/theme", theme.Dump(),
      {{"Content-Type", "application/json"}, {"Origin", "https://evil.example.com"}}, jwt);
  CHECK(bearer.status == 200);
  // An allowed origin may write with the cookie.
  HeaderList allowed{{"Content-Type", "application/json"},
                     {"Cookie", cookie},
                     {"Origin", "https://lab.example.org"}};
  auto ok = http.Send("PATCH", "/api/v1/users/me/theme",
                      Json(Json::Object{{"theme", "day"}}).Dump(), allowed);
  CHECK(ok.status == 200);
  CHECK(ok.Header("Access-Control-Allow-Origin").value_or("") == "https://lab.example.org");
}

TEST_CASE("codexd users: refresh rotates the token and detects reuse", "[codexd][users]") {
  Daemon d;
  d.AddUser("alice");
  auto http = d.Client();
  auto login = FormLogin(http, "alice", "password-alice");
  REQUIRE(login.status == 200);
  std::string r1 = CookieValue(login, "refresh_token");
  REQUIRE(!r1.empty());
  auto refresh = [&](const std::string& token) {
    return http.Send("POST", "/api/v1/users/token/refresh", "",
                     {{"Cookie", "refresh_token=" + token}});
  };

  auto first = refresh(r1);
  INFO(first.Describe());
  REQUIRE(first.status == 200);
  CHECK(At(first.json(), "token_type").as_string() == "bearer");
  std::string jwt = At(first.json(), "access_token").as_string();
  CHECK(CookieValue(first, "access_token") == jwt);
  std::string r2 = CookieValue(first, "refresh_token");
  REQUIRE(!r2.empty());
  CHECK(r2 != r1);
  CHECK(HasAttribute(SetCookie(first, "refresh_token"), "Path=/api/v1/users"));
  CHECK(http.Get("/api/v1/users/me", jwt).status == 200);

  auto second = refresh(r2);
  REQUIRE(second.status == 200);
  std::string r3 = CookieValue(second, "refresh_token");
  REQUIRE(!r3.empty());

  // r1 was rotated: presenting it again is reuse, which revokes the whole family.
  auto reused = refresh(r1);
  REQUIRE(reused.status == 401);
  CHECK(Code(reused) == "refresh_token_reused");
  CHECK(reused.Header("WWW-Authenticate").value_or("") == "Bearer");
  std::string cleared = SetCookie(reused, "refresh_token");
  INFO(cleared);
  CHECK(HasAttribute(cleared, "Max-Age=0"));
  auto after = refresh(r3);
  REQUIRE(after.status == 401);
  CHECK(Code(after) == "invalid_refresh_token");

  // A new login starts a new family that is unaffected.
  auto again = FormLogin(http, "alice", "password-alice");
  REQUIRE(again.status == 200);
  CHECK(refresh(CookieValue(again, "refresh_token")).status == 200);

  // No cookie, garbage, and a well-formed unknown token are invalid.
  for (const std::string& bad : {std::string(), std::string("garbage"), std::string(43, 'A')}) {
    INFO("refresh token '" << bad << "'");
    auto r = bad.empty() ? http.Send("POST", "/api/v1/users/token/refresh") : refresh(bad);
    REQUIRE(r.status == 401);
    CHECK(Code(r) == "invalid_refresh_token");
    CHECK(HasAttribute(SetCookie(r, "refresh_token"), "Max-Age=0"));
  }
}

TEST_CASE("codexd users: a refresh token older than CODEX_REFRESH_TOKEN_DAYS is refused",
          "[codexd][users]") {
  Daemon d(WithEnv({{"CODEX_REFRESH_TOKEN_DAYS", "0"}}));
  d.AddUser("alice");
  auto http = d.Client();
  auto login = FormLogin(http, "alice", "password-alice");
  REQUIRE(login.status == 200);
  CHECK(HasAttribute(SetCookie(login, "refresh_token"), "Max-Age=0"));
  auto r = http.Send("POST", "/api/v1/users/token/refresh", "",
                     {{"Cookie", "refresh_token=" + CookieValue(login, "refresh_token")}});
  REQUIRE(r.status == 401);
  CHECK(Code(r) == "invalid_refresh_token");
}

TEST_CASE("codexd users: Secure cookies per CODEX_COOKIE_SECURE and a trusted proxy",
          "[codexd][users]") {
  {
    Daemon d(WithEnv({{"CODEX_COOKIE_SECURE", "true"}}));
    d.AddUser("alice");
    auto http = d.Client();
    auto login = FormLogin(http, "alice", "password-alice");
    REQUIRE(login.status == 200);
    CHECK(HasAttribute(SetCookie(login, "access_token"), "Secure"));
    CHECK(HasAttribute(SetCookie(login, "refresh_token"), "Secure"));
  }
  {
    Daemon d(WithEnv({{"CODEX_TRUST_PROXY", "1"}}));
    d.AddUser("alice");
    auto http = d.Client();
    auto tls = FormLogin(http, "alice", "password-alice", {{"X-Forwarded-Proto", "https"}});
    REQUIRE(tls.status == 200);
    CHECK(HasAttribute(SetCookie(tls, "access_token"), "Secure"));
    auto plain = FormLogin(http, "alice", "password-alice", {{"X-Forwarded-Proto", "http"}});
    CHECK(!HasAttribute(SetCookie(plain, "access_token"), "Secure"));
  }
  {
    // Without CODEX_TRUST_PROXY the header is not believed.
    Daemon d;
    d.AddUser("alice");
    auto http = d.Client();
    auto login = FormLogin(http, "alice", "password-alice", {{"X-Forwarded-Proto", "https"}});
    CHECK(!HasAttribute(SetCookie(login, "access_token"), "Secure"));
  }
}

TEST_CASE("codexd users: logout clears cookies, revokes the refresh family and the JWT",
          "[codexd][users]") {
  Daemon d;
  d.AddUser("alice");
  auto http = d.Client();
  auto login = FormLogin(http, "alice", "password-alice");
  REQUIRE(login.status == 200);
  std::string jwt = At(login.json(), "access_token").as_string();
  std::string refresh = CookieValue(login, "refresh_token");
  std::string other = d.Login("alice", "password-alice");  // another session stays valid

  auto out =
      http.Send("POST", "/api/v1/users/logout", "", {{"Cookie", "refresh_token=" + refresh}}, jwt);
  INFO(out.Describe());
  REQUIRE(out.status == 204);
  CHECK(out.body.empty());
  CHECK(!out.Header("Content-Type"));
  std::string access_cookie = SetCookie(out, "access_token");
  std::string refresh_cookie = SetCookie(out, "refresh_token");
  INFO(access_cookie << " | " << refresh_cookie);
  CHECK(CookieValue(out, "access_token").find_first_not_of("\"") == std::string::npos);
  CHECK(HasAttribute(access_cookie, "Max-Age=0"));
  CHECK(HasAttribute(access_cookie, "Path=/"));
  CHECK(HasAttribute(access_cookie, "SameSite=Lax"));
  CHECK(CookieValue(out, "refresh_token").find_first_not_of("\"") == std::string::npos);
  CHECK(HasAttribute(refresh_cookie, "Max-Age=0"));
  CHECK(HasAttribute(refresh_cookie, "Path=/api/v1/users"));
  CHECK(HasAttribute(refresh_cookie, "SameSite=Strict"));

  Check401(http.Get("/api/v1/users/me", jwt), "invalid_token");
  auto refreshed = http.Send("POST", "/api/v1/users/token/refresh", "",
                             {{"Cookie", "refresh_token=" + refresh}});
  CHECK(refreshed.status == 401);
  CHECK(http.Get("/api/v1/users/me", other).status == 200);

  // The JWT in the access_token cookie is revoked too.
  auto cookie_login = FormLogin(http, "alice", "password-alice");
  std::string cookie_jwt = CookieValue(cookie_login, "access_token");
  CHECK(http.Send("POST", "/api/v1/users/logout", "", {{"Cookie", "access_token=" + cookie_jwt}})
            .status == 204);
  Check401(http.Get("/api/v1/users/me", cookie_jwt), "invalid_token");

  // Logout needs nothing and tolerates garbage.
  CHECK(http.Send("POST", "/api/v1/users/logout").status == 204);
  CHECK(http.Send("POST", "/api/v1/users/logout", "",
                  {{"Cookie", "refresh_token=zzz; access_token=not.a.jwt"}}, "garbage")
            .status == 204);
}

TEST_CASE("codexd users: GET /users/me and PATCH /users/me/theme", "[codexd][users]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();
  auto me = http.Get("/api/v1/users/me", jwt);
  REQUIRE(me.status == 200);
  CHECK(At(me.json(), "email").as_string() == "alice@example.org");
  CHECK(At(me.json(), "theme_setting").as_string() == "cream");
  CHECK(http.Get("/api/v1/users/me/", jwt).status == 200);

  auto set =
      http.Patch("/api/v1/users/me/theme", Json(Json::Object{{"theme", "midnight blue"}}), jwt);
  REQUIRE(set.status == 200);
  CHECK(At(set.json(), "theme_setting").as_string() == "midnight blue");
  CHECK(At(set.json(), "username").as_string() == "alice");
  CHECK(At(http.Get("/api/v1/users/me", jwt).json(), "theme_setting").as_string() ==
        "midnight blue");
  // Unknown fields are ignored.
  CHECK(http.Patch("/api/v1/users/me/theme",
                   Json(Json::Object{{"theme", "dark"}, {"extra", Json::Array{1, 2}}}), jwt)
            .status == 200);

  struct Bad {
    Json body;
    const char* error;
  };
  for (const auto& bad : std::vector<Bad>{
           {Json(Json::Object{}), "missing:body.theme"},
           {Json(Json::Object{{"theme", ""}}), "string_too_short:body.theme"},
           {Json(Json::Object{{"theme", std::string(101, 'x')}}), "string_too_long:body.theme"},
           {Json(Json::Object{{"theme", 7}}), "string_type:body.theme"},
           {Json(Json::Object{{"theme", Json::Object{}}}), "string_type:body.theme"},
       }) {
    INFO(bad.body.Dump());
    auto r = http.Patch("/api/v1/users/me/theme", bad.body, jwt);
    REQUIRE(r.status == 422);
    CHECK(Contains(Errors(r), bad.error));
  }
  CHECK(At(http.Get("/api/v1/users/me", jwt).json(), "theme_setting").as_string() == "dark");
}

TEST_CASE("codexd users: DELETE /users/me needs no sole-owned workspace, then ends every token",
          "[codexd][users]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();
  auto login = FormLogin(http, "alice", "password-alice");
  std::string refresh = CookieValue(login, "refresh_token");
  auto pat = http.Post("/api/v1/tokens", Json(Json::Object{{"name", "ci"}}), jwt);
  REQUIRE(pat.status == 201);
  std::string pat_token = At(pat.json(), "token").as_string();

  // The default workspace is solely owned.
  auto refused = http.Delete("/api/v1/users/me", jwt);
  REQUIRE(refused.status == 409);
  CHECK(Code(refused) == "account_has_workspaces");
  CHECK(At(refused.json(), "detail").as_string() ==
        "Delete all workspaces before deleting your account");
  CHECK(http.Get("/api/v1/users/me", jwt).status == 200);

  auto list = http.Get("/api/v1/workspaces", jwt);
  Json workspaces = list.json();
  for (const auto& ws : workspaces.as_array()) {
    auto del = http.Delete("/api/v1/workspaces/" + std::to_string(At(ws, "id").as_int()), jwt);
    INFO(del.Describe());
    REQUIRE(del.status == 200);
  }
  auto deleted = http.Delete("/api/v1/users/me", jwt);
  INFO(deleted.Describe());
  REQUIRE(deleted.status == 200);
  CHECK(At(deleted.json(), "message").as_string() == "User deleted successfully");
  CHECK(HasAttribute(SetCookie(deleted, "access_token"), "Max-Age=0"));
  CHECK(HasAttribute(SetCookie(deleted, "refresh_token"), "Max-Age=0"));

  Check401(http.Get("/api/v1/users/me", jwt), "invalid_token");
  Check401(http.Get("/api/v1/users/me", pat_token), "invalid_token");
  CHECK(
      http.Send("POST", "/api/v1/users/token/refresh", "", {{"Cookie", "refresh_token=" + refresh}})
          .status == 401);
  CHECK(FormLogin(http, "alice", "password-alice").status == 401);

  // The name is free again, and the old JWT does not carry over to the new account.
  std::string fresh = d.AddUser("alice");
  CHECK(http.Get("/api/v1/users/me", fresh).status == 200);
  Check401(http.Get("/api/v1/users/me", jwt), "invalid_token");
}

TEST_CASE("codexd users: deleting a co-owner keeps the workspace and hands over owner_id",
          "[codexd][users]") {
  Daemon d;
  std::string alice = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto http = d.Client();
  auto lab = http.Post("/api/v1/workspaces", Json(Json::Object{{"name", "Shared Lab"}}), alice);
  REQUIRE(lab.status == 200);
  std::string ws = "/api/v1/workspaces/" + std::to_string(At(lab.json(), "id").as_int());
  REQUIRE(http.Put(ws + "/permissions/bob", Json(Json::Object{{"role", "owner"}}), alice).status ==
          200);
  std::int64_t bob_id = At(http.Get("/api/v1/users/me", bob).json(), "id").as_int();

  // alice still solely owns her default workspace.
  CHECK(http.Delete("/api/v1/users/me", alice).status == 409);
  REQUIRE(http.Delete("/api/v1/workspaces/alice", alice).status == 200);
  auto deleted = http.Delete("/api/v1/users/me", alice);
  INFO(deleted.Describe());
  REQUIRE(deleted.status == 200);

  auto after = http.Get(ws, bob);
  REQUIRE(after.status == 200);
  CHECK(At(after.json(), "owner_id").as_int() == bob_id);
  auto members = http.Get(ws + "/permissions", bob);
  REQUIRE(members.status == 200);
  REQUIRE(members.json().as_array().size() == 1);
  CHECK(At(members.json().as_array().front(), "username").as_string() == "bob");
}

TEST_CASE("codexd users: 401 with WWW-Authenticate for missing, malformed and forged tokens",
          "[codexd][users]") {
  Daemon d;
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();

  Check401(http.Get("/api/v1/users/me"), "not_authenticated");
  Check401(http.Send("GET", "/api/v1/users/me", "", {{"Authorization", "Bearer"}}),
           "not_authenticated");
  Check401(http.Send("GET", "/api/v1/users/me", "", {{"Authorization", "Basic YWxpY2U6eA=="}}),
           "not_authenticated");

  std::string header = jwt.substr(0, jwt.find('.'));
  std::string payload = jwt.substr(jwt.find('.') + 1, jwt.rfind('.') - jwt.find('.') - 1);
  std::string signature = jwt.substr(jwt.rfind('.') + 1);
  std::string flipped = signature;
  flipped[0] = flipped[0] == 'A' ? 'B' : 'A';
  const std::vector<std::string> forged = {
      "garbage",
      "a.b.c",
      "..",
      header + "." + payload + "." + flipped,
      header + "." + payload + ".",
      // {"alg":"none","typ":"JWT"}
      "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + payload + ".",
      // {"alg":"HS512","typ":"JWT"} with the HS256 signature
      "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9." + payload + "." + signature,
      // {"alg":"hs256","typ":"JWT"}
      "eyJhbGciOiJoczI1NiIsInR5cCI6IkpXVCJ9." + payload + "." + signature,
      jwt + "x",
      std::string(20000, 'a'),
      "cdx_" + std::string(43, 'A'),  // well-formed, unknown PAT
      "cdx_short",
      "cdx_" + std::string(43, '!'),
  };
  for (const auto& token : forged) {
    INFO("token " << token.substr(0, 80));
    Check401(http.Get("/api/v1/users/me", token), "invalid_token");
    Check401(http.Send("GET", "/api/v1/users/me", "", {{"Cookie", "access_token=" + token}}),
             "invalid_token");
  }
  CHECK(http.Get("/api/v1/users/me", jwt).status == 200);
}

TEST_CASE("codexd users: an expired JWT is 401 token_expired", "[codexd][users]") {
  // A lifetime of 0 minutes: exp == iat, and there is no leeway (§3.2).
  Daemon d(WithEnv({{"CODEX_ACCESS_TOKEN_MINUTES", "0"}}));
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();
  Check401(http.Get("/api/v1/users/me", jwt), "token_expired");
  Check401(http.Send("GET", "/api/v1/users/me", "", {{"Cookie", "access_token=" + jwt}}),
           "token_expired");
}

TEST_CASE("codexd users: 401 beats 422 for bad bodies and path parameters", "[codexd][users]") {
  Daemon d;
  d.AddUser("alice");
  auto http = d.Client();
  const HeaderList json{{"Content-Type", "application/json"}};
  struct Case {
    const char* method;
    const char* target;
    const char* body;
  };
  for (const auto& c : std::vector<Case>{
           {"PATCH", "/api/v1/users/me/theme", "{not json"},
           {"PATCH", "/api/v1/users/me/theme", "{\"theme\": 5}"},
           {"POST", "/api/v1/tokens", "[]"},
           {"DELETE", "/api/v1/tokens/not-a-number", ""},
           {"POST", "/api/v1/workspaces", "{}"},
           {"GET", "/api/v1/workspaces/1/notebooks/1/files/abc", ""},
           {"GET", "/api/v1/tasks?workspace_id=abc", ""},
           {"PUT", "/api/v1/workspaces/1/permissions/bob", "{\"role\": \"king\"}"},
       }) {
    INFO(c.method << " " << c.target << " " << c.body);
    Check401(http.Send(c.method, c.target, c.body, json), "not_authenticated");
    Check401(http.Send(c.method, c.target, c.body, json, "garbage.token.here"), "invalid_token");
  }
}

TEST_CASE("codexd users: the auth bucket limits login, register and refresh per address",
          "[codexd][users]") {
  Daemon d(WithEnv({{"CODEX_AUTH_RATE_LIMIT_PER_MINUTE", "3"}}));
  std::string jwt = d.AddUser("alice");  // register + login: 2 of 3
  auto http = d.Client();
  CHECK(FormLogin(http, "alice", "wrong-password").status == 401);  // failures count too: 3 of 3

  auto check429 = [](const HttpResponse& r) {
    INFO(r.Describe());
    REQUIRE(r.status == 429);
    CHECK(At(r.json(), "code").as_string() == "rate_limited");
    CHECK(At(r.json(), "detail").as_string() == "Too many requests");
    auto retry = r.Header("Retry-After");
    REQUIRE(retry);
    int seconds = std::atoi(retry->c_str());
    CHECK(seconds >= 1);
    CHECK(seconds <= 61);
    CHECK(std::to_string(seconds) == *retry);
  };
  check429(FormLogin(http, "alice", "password-alice"));
  check429(Register(http, "bob", "bob@example.org", "password-bob"));
  check429(http.Send("POST", "/api/v1/users/token/refresh", "",
                     {{"Cookie", "refresh_token=" + std::string(43, 'A')}}));
  // The limit comes before the body is looked at.
  check429(http.Send("POST", "/api/v1/users/register", "{bad json",
                     {{"Content-Type", "application/json"}}));

  // Other routes are not in this bucket; the service routes are never limited.
  CHECK(http.Get("/api/v1/users/me", jwt).status == 200);
  CHECK(http.Get("/health").status == 200);
  CHECK(http.Send("POST", "/api/v1/users/logout").status == 204);
  auto metrics = http.Get("/metrics");
  CHECK(metrics.body.find("codex_rate_limited_total{bucket=\"auth\"} 4") != std::string::npos);
}

TEST_CASE("codexd users: the auth bucket is per client address; X-Forwarded-For only when trusted",
          "[codexd][users]") {
  auto refresh = [](HttpClient& http, const std::string& forwarded) {
    return http.Send("POST", "/api/v1/users/token/refresh", "",
                     {{"X-Forwarded-For", forwarded}, {"Cookie", "refresh_token=x"}});
  };
  {
    Daemon d(WithEnv({{"CODEX_AUTH_RATE_LIMIT_PER_MINUTE", "2"}, {"CODEX_TRUST_PROXY", "1"}}));
    auto http = d.Client();
    CHECK(refresh(http, "198.51.100.1, 10.0.0.1").status == 401);
    CHECK(refresh(http, "10.0.0.1").status == 401);
    CHECK(refresh(http, "203.0.113.9, 10.0.0.1").status == 429);  // the rightmost entry counts
    CHECK(refresh(http, "10.0.0.2").status == 401);
  }
  {
    Daemon d(WithEnv({{"CODEX_AUTH_RATE_LIMIT_PER_MINUTE", "2"}}));
    auto http = d.Client();
    CHECK(refresh(http, "10.0.0.1").status == 401);
    CHECK(refresh(http, "10.0.0.2").status == 401);
    CHECK(refresh(http, "10.0.0.3").status == 429);  // spoofed addresses do not help
  }
}

TEST_CASE("codexd users: the api bucket limits each user separately", "[codexd][users]") {
  Daemon d(WithEnv({{"CODEX_RATE_LIMIT_PER_MINUTE", "5"}}));
  std::string alice = d.AddUser("alice");
  std::string bob = d.AddUser("bob");
  auto http = d.Client();
  for (int i = 0; i < 5; ++i) REQUIRE(http.Get("/api/v1/users/me", alice).status == 200);
  auto limited = http.Get("/api/v1/users/me", alice);
  INFO(limited.Describe());
  REQUIRE(limited.status == 429);
  CHECK(At(limited.json(), "code").as_string() == "rate_limited");
  REQUIRE(limited.Header("Retry-After"));
  CHECK(std::atoi(limited.Header("Retry-After")->c_str()) >= 1);
  // Writes and other routes share the bucket.
  CHECK(http.Patch("/api/v1/users/me/theme", Json(Json::Object{{"theme", "x"}}), alice).status ==
        429);
  CHECK(http.Get("/api/v1/workspaces", alice).status == 429);
  // Another user has their own budget; public routes have none.
  CHECK(http.Get("/api/v1/users/me", bob).status == 200);
  for (int i = 0; i < 10; ++i) REQUIRE(http.Get("/health").status == 200);
  // Unauthenticated requests are refused with 401, not counted against anyone.
  Check401(http.Get("/api/v1/users/me"), "not_authenticated");
  auto metrics = http.Get("/metrics");
  CHECK(metrics.body.find("codex_rate_limited_total{bucket=\"api\"} 3") != std::string::npos);
}

TEST_CASE("codexd users: CORS preflight for allowed and forbidden origins", "[codexd][users]") {
  Daemon d(WithEnv({{"CODEX_CORS_ORIGINS", "https://lab.example.org, http://localhost:5173"}}));
  std::string jwt = d.AddUser("alice");
  auto http = d.Client();

  auto preflight = [&](const std::string& origin, const std::string& target) {
    return http.Send("OPTIONS", target, "",
                     {{"Origin", origin},
                      {"Access-Control-Request-Method", "PATCH"},
                      {"Access-Control-Request-Headers", "authorization, content-type"}});
  };
  for (const std::string origin :
       {"https://lab.example.org", "HTTPS://LAB.Example.org", "http://localhost:5173"}) {
    INFO(origin);
    auto ok = preflight(origin, "/api/v1/users/me/theme");
    REQUIRE(ok.status == 204);
    CHECK(ok.body.empty());
    CHECK(ok.Header("Access-Control-Allow-Origin").value_or("") == origin);
    CHECK(ok.Header("Access-Control-Allow-Credentials").value_or("") == "true");
    CHECK(ok.Header("Access-Control-Allow-Methods").value_or("") ==
          "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
    CHECK(ok.Header("Access-Control-Allow-Headers").value_or("") == "authorization, content-type");
    CHECK(ok.Header("Access-Control-Max-Age").value_or("") == "600");
    CHECK(ok.Header("Vary").value_or("") == "Origin");
    CHECK(ok.Header("X-Request-ID"));
  }

  for (const std::string origin : {"https://evil.example.com", "https://lab.example.org.evil.com",
                                   "http://lab.example.org", "null", "*"}) {
    INFO(origin);
    auto refused = preflight(origin, "/api/v1/users/me/theme");
    REQUIRE(refused.status == 403);
    CHECK(Code(refused) == "origin_forbidden");
    CHECK(!refused.Header("Access-Control-Allow-Origin"));
    CHECK(!refused.Header("Access-Control-Allow-Credentials"));
    // Actual requests from it get no CORS headers either.
    auto get = http.Send("GET", "/api/v1/users/me", "", {{"Origin", origin}}, jwt);
    CHECK(get.status == 200);
    CHECK(!get.Header("Access-Control-Allow-Origin"));
  }

  // An actual request from an allowed origin.
  auto get = http.Send("GET", "/api/v1/users/me", "", {{"Origin", "https://lab.example.org"}}, jwt);
  REQUIRE(get.status == 200);
  CHECK(get.Header("Access-Control-Allow-Origin").value_or("") == "https://lab.example.org");
  CHECK(get.Header("Access-Control-Allow-Credentials").value_or("") == "true");
  CHECK(get.Header("Access-Control-Expose-Headers").value_or("") ==
        "X-Request-ID, Retry-After, Content-Disposition");
  CHECK(get.Header("Vary").value_or("") == "Origin");
  CHECK(get.Header("Access-Control-Allow-Origin") != std::optional<std::string>("*"));
}

TEST_CASE("codexd users: without CODEX_CORS_ORIGINS every cross-origin preflight is refused",
          "[codexd][users]") {
  Daemon d;
  auto http = d.Client();
  auto r =
      http.Send("OPTIONS", "/api/v1/users/token", "",
                {{"Origin", "http://localhost:5173"}, {"Access-Control-Request-Method", "POST"}});
  REQUIRE(r.status == 403);
  CHECK(Code(r) == "origin_forbidden");
  CHECK(!r.Header("Access-Control-Allow-Origin"));
  // A plain OPTIONS (no preflight) answers with Allow.
  auto plain = http.Send("OPTIONS", "/api/v1/users/token");
  CHECK(plain.status == 204);
  CHECK(plain.Header("Allow").value_or("") == "POST");
}

}  // namespace
}  // namespace codex::testing
