// The Auth service (CONTRACT §3, §7, §8; SEMANTICS §16.2): sessions, refresh rotation and reuse,
// logout, Verify of JWTs and PATs against hostile input, scopes, bindings, registration.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "auth/jwt.hpp"
#include "codex/codex.hpp"
#include "codex/wire.hpp"
#include "crypto/crypto.hpp"
#include "support/lab.hpp"
#include "support/temp_dir.hpp"

using codex::Auth;
using codex::Code;
using codex::Codex;
using codex::CredentialKind;
using codex::Identity;
using codex::Principal;
using codex::Result;
using codex::Scope;
using codex::Session;
using codex::Status;
using codex::TokenCreate;
using codex::TokenCreated;
using codex::TokenInfo;
using codex::User;
using codex::testing::FixedNow;
using codex::testing::Must;
using codex::testing::TempDir;
using std::chrono::seconds;

namespace {

const std::string kKey = "test-secret-key-of-at-least-32-bytes!";

// A data dir with a signing key and a fixed clock; alice and bob registered (each owns a
// workspace named after them); alice's workspace has notebook "nb".
class AuthLab {
 public:
  explicit AuthLab(std::string key = kKey) {
    codex::Options options;
    options.data_dir = (tmp_.path() / "data").string();
    options.clock = [this] { return now_; };
    options.secret_key = std::move(key);
    options.index_threads = 1;
    codex_.emplace(Must(Codex::Open(std::move(options))));
    alice = Must(auth().Register({"alice", "alice@example.org", "password-a"}));
    bob = Must(auth().Register({"bob", "bob@example.org", "password-b"}));
    alice_ws = Must(codex().workspaces().Get(Principal(alice.id), "alice"));
    bob_ws = Must(codex().workspaces().Get(Principal(bob.id), "bob"));
    nb = Must(codex().notebooks().Create(Principal(alice.id), "alice", {"NB", std::nullopt}));
  }

  Codex& codex() { return *codex_; }
  Auth& auth() { return codex().auth(); }
  Principal AsAlice() const { return Principal(alice.id); }
  Principal AsBob() const { return Principal(bob.id); }
  void Advance(seconds s) { now_ += s; }
  std::chrono::system_clock::time_point now() const { return now_; }
  std::string db_path() const { return (tmp_.path() / "data" / "codex_system.db").string(); }

  // One integer from the system database.
  std::int64_t Count(const std::string& sql) {
    SQLite::Database db(db_path(), SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt64();
  }
  std::optional<std::string> Text(const std::string& sql) {
    SQLite::Database db(db_path(), SQLite::OPEN_READONLY);
    SQLite::Statement st(db, sql);
    if (!st.executeStep() || st.getColumn(0).isNull()) return std::nullopt;
    return st.getColumn(0).getString();
  }

  TokenCreated NewToken(const Principal& who, TokenCreate input = {}) {
    if (input.name.empty()) input.name = "t";
    return Must(auth().CreateToken(who, input));
  }

  User alice, bob;
  codex::Workspace alice_ws, bob_ws;
  codex::Notebook nb;

 private:
  TempDir tmp_;
  std::chrono::system_clock::time_point now_ = FixedNow();
  std::optional<Codex> codex_;
};

std::string SignJwt(const codex::auth::JwtClaims& claims, std::string_view key) {
  return codex::auth::JwtKey(key).Sign(claims);
}

Result<codex::auth::JwtClaims> VerifyJwt(std::string_view token, std::string_view key,
                                         std::int64_t now) {
  return codex::auth::JwtKey(key).Verify(token, now);
}

template <class T>
std::string ReasonOf(const Result<T>& r) {
  return r.status().reason();
}

bool IsBase64UrlText(const std::string& s) {
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

// ---- login, sessions, JWT verification ----

TEST_CASE("Login issues an access token that Verify accepts") {
  AuthLab lab;
  Session s = Must(lab.auth().Login("alice", "password-a"));
  CHECK(s.user.id == lab.alice.id);
  CHECK(s.access_max_age == 1800);
  CHECK(s.refresh_max_age == 7 * 86400);
  CHECK(s.refresh_token.size() == 43);
  CHECK(IsBase64UrlText(s.refresh_token));
  // Only the hash of the refresh token is stored.
  CHECK(lab.Count("SELECT count(*) FROM refresh_tokens WHERE token_hash = '" +
                  codex::crypto::Sha256Hex(s.refresh_token) + "'") == 1);
  CHECK(lab.Text("SELECT expires_at FROM refresh_tokens") == "2026-11-28T00:00:00.000000Z");

  Identity id = Must(lab.auth().Verify(s.access_token));
  CHECK(id.kind == CredentialKind::kJwt);
  CHECK(id.scope == Scope::kAdmin);
  CHECK(id.user.username == "alice");
  CHECK(id.principal.user_id == lab.alice.id);
  CHECK_FALSE(id.principal.workspace_id);
  CHECK_FALSE(id.principal.notebook_id);
  CHECK_FALSE(id.token_id);
  CHECK(id.jti.size() == 26);
  CHECK(id.expires_at ==
        std::chrono::duration_cast<seconds>(FixedNow().time_since_epoch()).count() + 1800);

  auto claims = VerifyJwt(s.access_token, kKey, id.expires_at - 1);
  REQUIRE(claims.ok());
  CHECK(claims->sub == "alice");
  CHECK(claims->uid == lab.alice.id);
  CHECK(claims->exp == claims->iat + 1800);
  // Two logins: two jtis.
  Session again = Must(lab.auth().Login("alice", "password-a"));
  CHECK(Must(lab.auth().Verify(again.access_token)).jti != id.jti);
}

TEST_CASE("Login failures") {
  AuthLab lab;
  auto wrong = lab.auth().Login("alice", "password-b");
  CHECK(wrong.status().code() == Code::kUnauthenticated);
  CHECK(ReasonOf(wrong) == "login_failed");
  CHECK(wrong.status().message() == "Incorrect username or password");
  CHECK(ReasonOf(lab.auth().Login("nobody", "password-a")) == "login_failed");
  CHECK(ReasonOf(lab.auth().Login("ALICE", "password-a")) == "login_failed");
  CODEX_REQUIRE_OK(lab.codex().users().SetActive(lab.alice.id, false));
  auto inactive = lab.auth().Login("alice", "password-a");
  CHECK(inactive.status().code() == Code::kInvalidArgument);
  CHECK(ReasonOf(inactive) == "inactive_user");
  CHECK(inactive.status().message() == "Inactive user");
}

TEST_CASE("Verify: JWT expiry, deleted and re-registered users, inactive users") {
  AuthLab lab;
  Session s = Must(lab.auth().Login("bob", "password-b"));

  SECTION("expires after access_token_minutes, to the second") {
    lab.Advance(seconds(1799));
    CODEX_REQUIRE_OK(lab.auth().Verify(s.access_token));
    lab.Advance(seconds(1));
    auto r = lab.auth().Verify(s.access_token);
    CHECK(r.status().code() == Code::kUnauthenticated);
    CHECK(ReasonOf(r) == "token_expired");
    CHECK(r.status().message() == "Could not validate credentials");
  }
  SECTION("a deleted user's token is invalid, also after the name is registered again") {
    CODEX_REQUIRE_OK(lab.codex().workspaces().Delete(lab.AsBob(), "bob"));
    CODEX_REQUIRE_OK(lab.codex().users().Delete(lab.AsBob()));
    CHECK(ReasonOf(lab.auth().Verify(s.access_token)) == "invalid_token");
    User again = Must(lab.auth().Register({"bob", "bob2@example.org", "password-b2"}));
    REQUIRE(again.id != lab.bob.id);
    auto r = lab.auth().Verify(s.access_token);
    CHECK(r.status().code() == Code::kUnauthenticated);
    CHECK(ReasonOf(r) == "invalid_token");
    CODEX_REQUIRE_OK(lab.auth().Verify(Must(lab.auth().Login("bob", "password-b2")).access_token));
  }
  SECTION("an inactive user gets inactive_user unless allowed") {
    CODEX_REQUIRE_OK(lab.codex().users().SetActive(lab.bob.id, false));
    auto r = lab.auth().Verify(s.access_token);
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(ReasonOf(r) == "inactive_user");
    Identity id = Must(lab.auth().Verify(s.access_token, /*allow_inactive=*/true));
    CHECK_FALSE(id.user.is_active);
  }
}

TEST_CASE("Verify refuses hostile bearer values") {
  AuthLab lab;
  Session s = Must(lab.auth().Login("alice", "password-a"));
  auto now_unix = std::chrono::duration_cast<seconds>(lab.now().time_since_epoch()).count();
  codex::auth::JwtClaims forged;
  forged.sub = "alice";
  forged.uid = lab.alice.id;
  forged.iat = now_unix;
  forged.exp = now_unix + 1800;
  forged.jti = "01KAK4S2G0ABCDEFGHJKMNPQRS";
  codex::auth::JwtClaims wrong_uid = forged;
  wrong_uid.uid = lab.bob.id;
  codex::auth::JwtClaims unknown_user = forged;
  unknown_user.sub = "mallory";

  struct Case {
    const char* what;
    std::string token;
    const char* reason;
  };
  std::vector<Case> cases = {
      {"empty", "", "not_authenticated"},
      {"signed with another key", SignJwt(forged, "another-key"), "invalid_token"},
      {"uid of another user", SignJwt(wrong_uid, kKey), "invalid_token"},
      {"unknown user", SignJwt(unknown_user, kKey), "invalid_token"},
      {"Bearer prefix kept", "Bearer " + s.access_token, "invalid_token"},
      {"two parts", s.access_token.substr(0, s.access_token.rfind('.')), "invalid_token"},
      {"four parts", s.access_token + ".x", "invalid_token"},
      {"10 KB", std::string(10 * 1024, 'a'), "invalid_token"},
      {"10 KB PAT-like", "cdx_" + std::string(10 * 1024, 'a'), "invalid_token"},
      {"whitespace", " ", "invalid_token"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    auto r = lab.auth().Verify(c.token);
    CHECK_FALSE(r.ok());
    CHECK(r.status().code() == Code::kUnauthenticated);
    CHECK(ReasonOf(r) == c.reason);
    CHECK(r.status().message() == "Could not validate credentials");
  }
  // The forged token with the right key and claims is, of course, valid: the key is the secret.
  CODEX_REQUIRE_OK(lab.auth().Verify(SignJwt(forged, kKey)));
}

TEST_CASE("Without a secret key no JWT is issued or accepted, PATs still work") {
  AuthLab lab("");
  auto login = lab.auth().Login("alice", "password-a");
  CHECK(login.status().code() == Code::kUnavailable);
  CHECK(ReasonOf(login) == "secret_key_missing");
  codex::auth::JwtClaims c;
  c.sub = "alice";
  c.uid = lab.alice.id;
  c.iat = 0;
  c.exp = std::int64_t{1} << 40;
  c.jti = "01KAK4S2G0ABCDEFGHJKMNPQRS";
  CHECK(ReasonOf(lab.auth().Verify(SignJwt(c, ""))) == "invalid_token");
  TokenCreated pat = lab.NewToken(lab.AsAlice());
  CODEX_REQUIRE_OK(lab.auth().Verify(pat.token));
}

// ---- refresh and logout ----

TEST_CASE("Refresh rotates within the family and detects reuse") {
  AuthLab lab;
  Session first = Must(lab.auth().Login("alice", "password-a"));
  lab.Advance(seconds(60));
  Session second = Must(lab.auth().Refresh(first.refresh_token));
  CHECK(second.refresh_token != first.refresh_token);
  CHECK(second.user.id == lab.alice.id);
  CODEX_REQUIRE_OK(lab.auth().Verify(second.access_token));
  CHECK(lab.Count("SELECT count(DISTINCT family_id) FROM refresh_tokens") == 1);
  CHECK(lab.Count("SELECT count(*) FROM refresh_tokens WHERE rotated_at IS NOT NULL") == 1);
  // The new token's lifetime starts at the rotation.
  CHECK(lab.Text("SELECT expires_at FROM refresh_tokens WHERE rotated_at IS NULL") ==
        "2026-11-28T00:01:00.000000Z");

  Session third = Must(lab.auth().Refresh(second.refresh_token));
  // Presenting a spent token revokes the whole family, the live token included.
  auto reused = lab.auth().Refresh(first.refresh_token);
  CHECK(reused.status().code() == Code::kUnauthenticated);
  CHECK(ReasonOf(reused) == "refresh_token_reused");
  CHECK(reused.status().message() == "Could not validate credentials");
  CHECK(lab.Count("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL") == 0);
  CHECK(ReasonOf(lab.auth().Refresh(third.refresh_token)) == "invalid_refresh_token");
  CHECK(ReasonOf(lab.auth().Refresh(first.refresh_token)) == "invalid_refresh_token");
  // Another session of the same user is another family, untouched.
  Session other = Must(lab.auth().Login("alice", "password-a"));
  CODEX_REQUIRE_OK(lab.auth().Refresh(other.refresh_token));
}

TEST_CASE("Refresh refuses unknown, malformed, expired and inactive-user tokens") {
  AuthLab lab;
  Session s = Must(lab.auth().Login("bob", "password-b"));
  std::string unknown = codex::crypto::Base64UrlEncode(codex::crypto::RandomBytes(32));
  for (const std::string& bad :
       {std::string(), unknown, s.access_token, s.refresh_token + "A", s.refresh_token.substr(1),
        std::string(43, '!'), std::string(10 * 1024, 'A')}) {
    auto r = lab.auth().Refresh(bad);
    CHECK(r.status().code() == Code::kUnauthenticated);
    CHECK(ReasonOf(r) == "invalid_refresh_token");
  }
  SECTION("expired") {
    lab.Advance(std::chrono::hours(24 * 7));
    CHECK(ReasonOf(lab.auth().Refresh(s.refresh_token)) == "invalid_refresh_token");
  }
  SECTION("just before expiry") {
    lab.Advance(std::chrono::hours(24 * 7) - seconds(1));
    CODEX_REQUIRE_OK(lab.auth().Refresh(s.refresh_token));
  }
  SECTION("inactive user; the token survives reactivation") {
    CODEX_REQUIRE_OK(lab.codex().users().SetActive(lab.bob.id, false));
    CHECK(ReasonOf(lab.auth().Refresh(s.refresh_token)) == "invalid_refresh_token");
    CODEX_REQUIRE_OK(lab.codex().users().SetActive(lab.bob.id, true));
    CODEX_REQUIRE_OK(lab.auth().Refresh(s.refresh_token));
  }
  SECTION("deleted user") {
    CODEX_REQUIRE_OK(lab.codex().workspaces().Delete(lab.AsBob(), "bob"));
    CODEX_REQUIRE_OK(lab.codex().users().Delete(lab.AsBob()));
    CHECK(ReasonOf(lab.auth().Refresh(s.refresh_token)) == "invalid_refresh_token");
  }
}

TEST_CASE("Logout revokes the refresh family and denylists the access token until exp") {
  AuthLab lab;
  Session s = Must(lab.auth().Login("alice", "password-a"));
  Session kept = Must(lab.auth().Login("alice", "password-a"));
  CODEX_REQUIRE_OK(lab.auth().Logout(s.refresh_token, s.access_token));
  CHECK(ReasonOf(lab.auth().Refresh(s.refresh_token)) == "invalid_refresh_token");
  auto r = lab.auth().Verify(s.access_token);
  CHECK(r.status().code() == Code::kUnauthenticated);
  CHECK(ReasonOf(r) == "invalid_token");
  CHECK(lab.Count("SELECT count(*) FROM revoked_jtis") == 1);
  CHECK(lab.Text("SELECT expires_at FROM revoked_jtis") == "2026-11-21T00:30:00.000000Z");
  // The other session lives on.
  CODEX_REQUIRE_OK(lab.auth().Verify(kept.access_token));
  CODEX_REQUIRE_OK(lab.auth().Refresh(kept.refresh_token));
  // Logging out twice, or with garbage, is fine.
  CODEX_REQUIRE_OK(lab.auth().Logout(s.refresh_token, s.access_token));
  CODEX_REQUIRE_OK(lab.auth().Logout("", ""));
  CODEX_REQUIRE_OK(lab.auth().Logout("garbage", "not.a.jwt"));
  CODEX_REQUIRE_OK(lab.auth().Logout(std::string(10 * 1024, 'x'), std::string(10 * 1024, 'x')));
  CHECK(lab.Count("SELECT count(*) FROM revoked_jtis") == 1);

  // Once expired, denylist rows and refresh rows are pruned on a later logout.
  lab.Advance(std::chrono::hours(24 * 8));
  Session late = Must(lab.auth().Login("alice", "password-a"));
  CODEX_REQUIRE_OK(lab.auth().Logout("", late.access_token));
  CHECK(lab.Count("SELECT count(*) FROM revoked_jtis") == 1);
  CHECK(lab.Count("SELECT count(*) FROM refresh_tokens") == 1);  // late's own
}

// ---- personal access tokens ----

TEST_CASE("CreateToken: format, storage, TokenInfo") {
  AuthLab lab;
  TokenCreated t = lab.NewToken(
      lab.AsAlice(), {"ci", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  CHECK(t.token.size() == 47);
  CHECK(t.token.rfind("cdx_", 0) == 0);
  CHECK(IsBase64UrlText(t.token.substr(4)));
  CHECK(t.info.token_prefix == t.token.substr(0, 12));
  CHECK(t.info.name == "ci");
  CHECK_FALSE(t.info.scopes);
  CHECK(t.info.is_active);
  CHECK_FALSE(t.info.last_used_at);
  CHECK_FALSE(t.info.expires_at);
  CHECK(t.info.created_at == "2026-11-21T00:00:00.000000Z");
  // Stored as the SHA-256 hex of the whole token; the plaintext is nowhere.
  CHECK(lab.Text("SELECT token_hash FROM personal_access_tokens WHERE id = " +
                 std::to_string(t.info.id)) == codex::crypto::Sha256Hex(t.token));
  CHECK(lab.Count("SELECT count(*) FROM personal_access_tokens WHERE token_hash = '" + t.token +
                  "' OR token_prefix = '" + t.token + "'") == 0);
  CHECK(lab.NewToken(lab.AsAlice()).token != t.token);
}

TEST_CASE("Verify PAT: identity, scope, last_used_at at most once a minute") {
  AuthLab lab;
  TokenCreated t = lab.NewToken(lab.AsAlice());
  Identity id = Must(lab.auth().Verify(t.token));
  CHECK(id.kind == CredentialKind::kPat);
  CHECK(id.scope == Scope::kWrite);
  CHECK(id.token_id == t.info.id);
  CHECK_FALSE(id.agent_id);
  CHECK(id.user.id == lab.alice.id);
  CHECK(id.principal.user_id == lab.alice.id);
  CHECK_FALSE(id.principal.workspace_id);
  std::string sql =
      "SELECT last_used_at FROM personal_access_tokens WHERE id = " + std::to_string(t.info.id);
  CHECK(lab.Text(sql) == "2026-11-21T00:00:00.000000Z");
  lab.Advance(seconds(59));
  CODEX_REQUIRE_OK(lab.auth().Verify(t.token));
  CHECK(lab.Text(sql) == "2026-11-21T00:00:00.000000Z");
  lab.Advance(seconds(1));
  CODEX_REQUIRE_OK(lab.auth().Verify(t.token));
  CHECK(lab.Text(sql) == "2026-11-21T00:01:00.000000Z");
  auto listed = Must(lab.auth().ListTokens(lab.AsAlice()));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].last_used_at == "2026-11-21T00:01:00.000000Z");
}

TEST_CASE("Verify refuses unknown, revoked, expired and malformed PATs") {
  AuthLab lab;
  TokenCreated live = lab.NewToken(lab.AsAlice());
  TokenCreated revoked = lab.NewToken(lab.AsAlice());
  CODEX_REQUIRE_OK(lab.auth().RevokeToken(lab.AsAlice(), revoked.info.id));
  TokenCreate soon;
  soon.name = "soon";
  soon.expires_at = "2026-11-21T00:00:10Z";
  TokenCreated expiring = lab.NewToken(lab.AsAlice(), soon);
  CHECK(expiring.info.expires_at == "2026-11-21T00:00:10.000000Z");
  CODEX_REQUIRE_OK(lab.auth().Verify(expiring.token));
  lab.Advance(seconds(10));

  std::string body = live.token.substr(4);
  std::string unknown = "cdx_" + codex::crypto::Base64UrlEncode(codex::crypto::RandomBytes(32));
  struct Case {
    const char* what;
    std::string token;
    const char* reason;
  };
  std::vector<Case> cases = {
      {"unknown", unknown, "invalid_token"},
      {"revoked", revoked.token, "invalid_token"},
      {"expired", expiring.token, "token_expired"},
      {"prefix only", "cdx_", "invalid_token"},
      {"upper-case prefix", "CDX_" + body, "invalid_token"},
      {"other prefix", "cdy_" + body, "invalid_token"},
      {"prefix missing", body, "invalid_token"},
      {"one character short", live.token.substr(0, 46), "invalid_token"},
      {"one character long", live.token + "A", "invalid_token"},
      {"standard base64 alphabet", "cdx_" + std::string(42, 'A') + "+", "invalid_token"},
      {"padding", "cdx_" + std::string(42, 'A') + "=", "invalid_token"},
      {"NUL", "cdx_" + std::string(42, 'A') + std::string(1, '\0'), "invalid_token"},
      {"space", live.token.substr(0, 46) + " ", "invalid_token"},
      {"the prefix of a live token", live.info.token_prefix, "invalid_token"},
      {"the hash of a live token", "cdx_" + codex::crypto::Sha256Hex(live.token).substr(0, 43),
       "invalid_token"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    auto r = lab.auth().Verify(c.token);
    CHECK_FALSE(r.ok());
    CHECK(r.status().code() == Code::kUnauthenticated);
    CHECK(ReasonOf(r) == c.reason);
    CHECK(r.status().message() == "Could not validate credentials");
  }
  CODEX_REQUIRE_OK(lab.auth().Verify(live.token));

  SECTION("inactive owner") {
    CODEX_REQUIRE_OK(lab.codex().users().SetActive(lab.alice.id, false));
    CHECK(ReasonOf(lab.auth().Verify(live.token)) == "inactive_user");
    CODEX_REQUIRE_OK(lab.auth().Verify(live.token, /*allow_inactive=*/true));
  }
}

TEST_CASE("Scopes: parsing at creation and the granted level") {
  AuthLab lab;
  struct Case {
    std::optional<std::string> scopes;
    std::optional<Scope> level;  // nullopt = 422
  };
  std::vector<Case> cases = {
      {std::nullopt, Scope::kWrite},
      {"", Scope::kWrite},
      {"  ", Scope::kWrite},
      {"read", Scope::kRead},
      {"write", Scope::kWrite},
      {"admin", Scope::kAdmin},
      {"read,write", Scope::kWrite},
      {" admin , read ", Scope::kAdmin},
      {"write,read", Scope::kWrite},
      {"snippets:write", Scope::kWrite},
      {"snippets:read", Scope::kRead},
      {"a:read, b:admin", Scope::kAdmin},
      {"read,snippets:write", Scope::kWrite},
      {"READ", std::nullopt},
      {"Write", std::nullopt},
      {"delete", std::nullopt},
      {"read,", std::nullopt},
      {",read", std::nullopt},
      {"read;write", std::nullopt},
      {":write", std::nullopt},
      {"x:", std::nullopt},
      {"x:superuser", std::nullopt},
      {"x: write", std::nullopt},
      {"read write", std::nullopt},
      {"*", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.scopes.value_or("<null>"));
    TokenCreate in;
    in.name = "s";
    in.scopes = c.scopes;
    auto made = lab.auth().CreateToken(lab.AsAlice(), in);
    if (!c.level) {
      REQUIRE_FALSE(made.ok());
      CHECK(made.status().code() == Code::kValidation);
      CHECK(made.status().reason() == "value_error");
      CHECK(made.status().field() == "scopes");
      continue;
    }
    REQUIRE(made.ok());
    CHECK(made->info.scopes == c.scopes);  // stored as given
    CHECK(Must(lab.auth().Verify(made->token)).scope == *c.level);
  }
}

TEST_CASE("Token bindings: workspace, notebook, inference and visibility") {
  AuthLab lab;
  auto create = [&](const Principal& who, std::optional<std::int64_t> ws,
                    std::optional<std::int64_t> nb) {
    TokenCreate in;
    in.name = "b";
    in.workspace_id = ws;
    in.notebook_id = nb;
    return lab.auth().CreateToken(who, in);
  };
  SECTION("workspace-bound") {
    TokenCreated t = Must(create(lab.AsAlice(), lab.alice_ws.id, std::nullopt));
    CHECK(t.info.workspace_id == lab.alice_ws.id);
    CHECK_FALSE(t.info.notebook_id);
    Identity id = Must(lab.auth().Verify(t.token));
    CHECK(id.principal.workspace_id == lab.alice_ws.id);
    CHECK_FALSE(id.principal.notebook_id);
  }
  SECTION("notebook-bound: the workspace is inferred") {
    TokenCreated t = Must(create(lab.AsAlice(), std::nullopt, lab.nb.id));
    CHECK(t.info.workspace_id == lab.alice_ws.id);
    CHECK(t.info.notebook_id == lab.nb.id);
    Identity id = Must(lab.auth().Verify(t.token));
    CHECK(id.principal.workspace_id == lab.alice_ws.id);
    CHECK(id.principal.notebook_id == lab.nb.id);
  }
  SECTION("notebook with its own workspace") {
    CODEX_REQUIRE_OK(create(lab.AsAlice(), lab.alice_ws.id, lab.nb.id));
  }
  SECTION("a member with any role may bind") {
    Must(lab.codex().workspaces().Share(lab.AsAlice(), "alice", "bob", codex::Role::kViewer));
    CODEX_REQUIRE_OK(create(lab.AsBob(), lab.alice_ws.id, lab.nb.id));
    CODEX_REQUIRE_OK(create(lab.AsBob(), std::nullopt, lab.nb.id));
  }
  SECTION("refusals") {
    struct Case {
      const char* what;
      Principal who;
      std::optional<std::int64_t> ws, nb;
      const char* reason;
      const char* message;
    };
    std::vector<Case> cases = {
        {"workspace of someone else", lab.AsBob(), lab.alice_ws.id, std::nullopt,
         "workspace_not_found", "Workspace not found"},
        {"unknown workspace", lab.AsAlice(), 9999, std::nullopt, "workspace_not_found",
         "Workspace not found"},
        {"notebook of someone else", lab.AsBob(), std::nullopt, lab.nb.id, "notebook_not_found",
         "Notebook not found"},
        {"someone else's notebook in one's own workspace", lab.AsBob(), lab.bob_ws.id, lab.nb.id,
         "notebook_not_found", "Notebook not found"},
        {"notebook not in the workspace", lab.AsAlice(), lab.bob_ws.id, lab.nb.id,
         "workspace_not_found", "Workspace not found"},
        {"unknown notebook", lab.AsAlice(), std::nullopt, 9999, "notebook_not_found",
         "Notebook not found"},
        {"unknown notebook in own workspace", lab.AsAlice(), lab.alice_ws.id, 9999,
         "notebook_not_found", "Notebook not found"},
        {"notebook of someone else, both given", lab.AsBob(), lab.alice_ws.id, lab.nb.id,
         "workspace_not_found", "Workspace not found"},
    };
    for (const Case& c : cases) {
      INFO(c.what);
      auto r = create(c.who, c.ws, c.nb);
      CHECK_FALSE(r.ok());
      CHECK(r.status().code() == Code::kNotFound);
      CHECK(ReasonOf(r) == c.reason);
      CHECK(r.status().message() == c.message);
    }
    // A member of both workspaces: the notebook must be in the one named.
    Must(lab.codex().workspaces().Share(lab.AsBob(), "bob", "alice", codex::Role::kEditor));
    auto r = create(lab.AsAlice(), lab.bob_ws.id, lab.nb.id);
    CHECK(r.status().code() == Code::kNotFound);
    CHECK(ReasonOf(r) == "notebook_not_found");
    CHECK(Must(lab.auth().ListTokens(lab.AsBob())).empty());
  }
  SECTION("agents do not exist yet: any agent_id is unknown") {
    TokenCreate in;
    in.name = "agent";
    in.agent_id = 1;
    auto r = lab.auth().CreateToken(lab.AsAlice(), in);
    CHECK(r.status().code() == Code::kNotFound);
    CHECK(ReasonOf(r) == "agent_not_found");
    CHECK(r.status().message() == "Agent not found");
  }
  SECTION("a bound principal cannot mint tokens") {
    Principal bound = lab.AsAlice();
    bound.workspace_id = lab.alice_ws.id;
    CHECK(lab.auth().CreateToken(bound, {"x", {}, {}, {}, {}, {}}).status().reason() ==
          "token_restricted");
  }
}

TEST_CASE("CreateToken: expires_at must be a time in the future") {
  AuthLab lab;
  auto create = [&](std::string when) {
    TokenCreate in;
    in.name = "e";
    in.expires_at = std::move(when);
    return lab.auth().CreateToken(lab.AsAlice(), in);
  };
  for (const char* past : {"2026-11-21T00:00:00Z", "2026-11-20T23:59:59.999999Z", "2020-01-01",
                           "2026-11-21T01:00:00+01:00"}) {
    INFO(past);
    auto r = create(past);
    CHECK(r.status().code() == Code::kValidation);
    CHECK(ReasonOf(r) == "value_error");
    CHECK(r.status().field() == "expires_at");
  }
  for (const char* bad : {"tomorrow", "", "2026-13-01", "2026-11-21T25:00:00Z"}) {
    INFO(bad);
    auto r = create(bad);
    CHECK(r.status().code() == Code::kValidation);
    CHECK(ReasonOf(r) == "datetime_parsing");
    CHECK(r.status().field() == "expires_at");
    CHECK(r.status().message() == "Input should be a valid datetime");
  }
  // Naive and offset forms are normalised to UTC with six fraction digits.
  CHECK(Must(create("2026-12-01")).info.expires_at == "2026-12-01T00:00:00.000000Z");
  CHECK(Must(create("2026-11-21T02:00:00+01:00")).info.expires_at == "2026-11-21T01:00:00.000000Z");
}

TEST_CASE("ListTokens newest first; RevokeToken keeps the row, only for the owner") {
  AuthLab lab;
  TokenCreated a = lab.NewToken(lab.AsAlice(), {"a", {}, {}, {}, {}, {}});
  lab.Advance(seconds(1));
  TokenCreated b = lab.NewToken(lab.AsAlice(), {"b", {}, {}, {}, {}, {}});
  lab.Advance(seconds(1));
  TokenCreated c = lab.NewToken(lab.AsAlice(), {"c", {}, {}, {}, {}, {}});
  TokenCreated bobs = lab.NewToken(lab.AsBob(), {"bob's", {}, {}, {}, {}, {}});

  auto other = lab.auth().RevokeToken(lab.AsBob(), b.info.id);
  CHECK(other.code() == Code::kNotFound);
  CHECK(other.reason() == "token_not_found");
  CHECK(other.message() == "Token not found");
  CHECK(lab.auth().RevokeToken(lab.AsAlice(), 9999).reason() == "token_not_found");
  CODEX_REQUIRE_OK(lab.auth().Verify(b.token));

  CODEX_REQUIRE_OK(lab.auth().RevokeToken(lab.AsAlice(), b.info.id));
  CODEX_REQUIRE_OK(lab.auth().RevokeToken(lab.AsAlice(), b.info.id));  // again: still fine
  CHECK(ReasonOf(lab.auth().Verify(b.token)) == "invalid_token");

  auto listed = Must(lab.auth().ListTokens(lab.AsAlice()));
  REQUIRE(listed.size() == 3);
  CHECK(listed[0].name == "c");
  CHECK(listed[1].name == "b");
  CHECK(listed[2].name == "a");
  CHECK(listed[0].is_active);
  CHECK_FALSE(listed[1].is_active);
  CHECK(listed[1].token_prefix == b.token.substr(0, 12));
  auto bob_list = Must(lab.auth().ListTokens(lab.AsBob()));
  REQUIRE(bob_list.size() == 1);
  CHECK(bob_list[0].id == bobs.info.id);
}

TEST_CASE("Deleting a user removes their PATs") {
  AuthLab lab;
  TokenCreated t = lab.NewToken(lab.AsBob());
  CODEX_REQUIRE_OK(lab.codex().workspaces().Delete(lab.AsBob(), "bob"));
  CODEX_REQUIRE_OK(lab.codex().users().Delete(lab.AsBob()));
  CHECK(ReasonOf(lab.auth().Verify(t.token)) == "invalid_token");
  CHECK(lab.Count("SELECT count(*) FROM personal_access_tokens") == 0);
}

// ---- registration ----

TEST_CASE("Register creates the user and a workspace named after them") {
  AuthLab lab;
  User carol = Must(lab.auth().Register({"Carol Smith", "carol@Example.ORG", "password-c"}));
  CHECK(carol.username == "Carol Smith");
  CHECK(carol.email == "carol@example.org");
  CHECK(carol.is_active);
  auto list = Must(lab.codex().workspaces().List(Principal(carol.id)));
  REQUIRE(list.size() == 1);
  CHECK(list[0].name == "Carol Smith");
  CHECK(list[0].slug == "carol-smith");
  CHECK(list[0].owner_id == carol.id);
  CHECK(list[0].role == codex::Role::kOwner);
  CODEX_REQUIRE_OK(lab.auth().Login("Carol Smith", "password-c"));
  // alice and bob got theirs too.
  CHECK(lab.alice_ws.name == "alice");
  CHECK(lab.alice_ws.role == codex::Role::kOwner);
}

TEST_CASE("Register validates like Users::Create and leaves nothing behind on failure") {
  AuthLab lab;
  struct Case {
    codex::UserCreate input;
    Code code;
    const char* reason;
  };
  std::vector<Case> cases = {
      {{"alice", "other@example.org", "password-x"}, Code::kAlreadyExists, "username_taken"},
      {{"alice", "alice@example.org", "password-x"}, Code::kAlreadyExists, "username_taken"},
      {{"dave", "alice@example.org", "password-x"}, Code::kAlreadyExists, "email_taken"},
      {{"dave", "alice@EXAMPLE.org", "password-x"}, Code::kAlreadyExists, "email_taken"},
      {{"da", "dave@example.org", "password-x"}, Code::kValidation, "string_too_short"},
      {{std::string(51, 'd'), "dave@example.org", "password-x"},
       Code::kValidation,
       "string_too_long"},
      {{"dave", "dave@example.org", "short"}, Code::kValidation, "string_too_short"},
      {{"dave", "invalid-email", "password-x"}, Code::kValidation, "value_error"},
  };
  for (const Case& c : cases) {
    INFO(c.input.username + " " + c.input.email);
    auto r = lab.auth().Register(c.input);
    CHECK_FALSE(r.ok());
    CHECK(r.status().code() == c.code);
    CHECK(ReasonOf(r) == c.reason);
  }
  CHECK(Must(lab.codex().users().List()).size() == 2);
  CHECK(lab.Count("SELECT count(*) FROM workspaces") == 2);
}

// ---- wire shapes ----

TEST_CASE("Token, TokenInfo and TokenCreated JSON keys in contract order") {
  Session s;
  s.access_token = "jwt";
  s.refresh_token = "never-on-the-wire";
  CHECK(codex::wire::TokenJson(s).Dump() == R"({"access_token":"jwt","token_type":"bearer"})");

  TokenCreated c;
  c.token = "cdx_x";
  c.info.id = 3;
  c.info.name = "ci";
  c.info.token_prefix = "cdx_x";
  c.info.notebook_id = 9;
  c.info.created_at = "2026-11-21T00:00:00.000000Z";
  CHECK(codex::wire::ToJson(c).Dump() ==
        R"({"id":3,"name":"ci","token":"cdx_x","token_prefix":"cdx_x","scopes":null,)"
        R"("workspace_id":null,"notebook_id":9,"expires_at":null,)"
        R"("created_at":"2026-11-21T00:00:00.000000Z","agent_id":null})");
  TokenInfo i = c.info;
  i.scopes = "read";
  i.workspace_id = 2;
  i.last_used_at = "2026-11-21T00:01:00.000000Z";
  i.is_active = false;
  i.agent_id = 4;
  CHECK(codex::wire::ToJson(i).Dump() ==
        R"({"id":3,"name":"ci","token_prefix":"cdx_x","scopes":"read","workspace_id":2,)"
        R"("notebook_id":9,"last_used_at":"2026-11-21T00:01:00.000000Z","expires_at":null,)"
        R"("is_active":false,"created_at":"2026-11-21T00:00:00.000000Z","agent_id":4})");
}
