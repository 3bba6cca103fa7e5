// Sign-in and credentials (CONTRACT §3, §8, SEMANTICS §16.2): JWT access tokens, rotating refresh
// tokens, personal access tokens (PAT) with scopes and bindings, logout.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/principal.hpp"
#include "codex/status.hpp"
#include "codex/users.hpp"

namespace codex {
namespace detail {
struct Context;
struct AuthState;
}  // namespace detail

// What a credential may do; ordered: admin ⊃ write ⊃ read.
enum class Scope : int { kRead = 1, kWrite = 2, kAdmin = 3 };
enum class CredentialKind { kJwt, kPat };

// Who a verified credential speaks for.
struct Identity {
  Principal principal;  // with the PAT's workspace/notebook binding
  User user;
  CredentialKind kind = CredentialKind::kJwt;
  Scope scope = Scope::kAdmin;           // JWTs may do everything their user may
  std::optional<std::int64_t> token_id;  // PAT
  std::optional<std::int64_t> agent_id;  // agent-bound PAT (usable only on agent routes)
  std::string jti;                       // JWT
  std::int64_t expires_at = 0;           // JWT exp (Unix seconds)
};

// The result of a login or a refresh: an access token (JWT) and a refresh token.
struct Session {
  std::string access_token;
  std::string refresh_token;
  std::int64_t access_max_age = 0;   // seconds
  std::int64_t refresh_max_age = 0;  // seconds
  User user;
};

struct TokenCreate {
  std::string name;
  std::optional<std::string> scopes;  // comma list; null/empty = "read,write"
  std::optional<std::int64_t> workspace_id;
  std::optional<std::int64_t> notebook_id;
  std::optional<std::int64_t> agent_id;
  std::optional<std::string> expires_at;  // a time input (CONTRACT §1.3), in the future
};

// CONTRACT §27 TokenInfo.
struct TokenInfo {
  std::int64_t id = 0;
  std::string name;
  std::string token_prefix;
  std::optional<std::string> scopes;
  std::optional<std::int64_t> workspace_id;
  std::optional<std::int64_t> notebook_id;
  std::optional<std::string> last_used_at;
  std::optional<std::string> expires_at;
  bool is_active = true;
  std::string created_at;
  std::optional<std::int64_t> agent_id;
};

struct TokenCreated {
  TokenInfo info;
  std::string token;  // the only time the plaintext exists outside its holder
};

// Thread-safe. Needs Options::secret_key.
class Auth {
 public:
  // Password sign-in (CONTRACT §3.3). Errors: kUnauthenticated "login_failed";
  // kInvalidArgument "inactive_user".
  Result<Session> Login(std::string_view username, std::string_view password);
  // Rotation (CONTRACT §3.4): the presented token is spent and a new one of its family issued.
  // A spent token presented again revokes its whole family: kUnauthenticated
  // "refresh_token_reused"; anything else invalid: "invalid_refresh_token".
  Result<Session> Refresh(std::string_view refresh_token);
  // Revokes the refresh token's family and denylists the access token's jti until it expires.
  // Invalid or absent tokens are ignored.
  Status Logout(std::string_view refresh_token, std::string_view access_token);
  // Checks a bearer credential: "cdx_…" = PAT, anything else = JWT (HS256 only). Errors:
  // kUnauthenticated "not_authenticated" (empty) / "invalid_token" / "token_expired";
  // kInvalidArgument "inactive_user" unless allow_inactive. Updates a PAT's last_used_at
  // (at most once a minute).
  Result<Identity> Verify(std::string_view token, bool allow_inactive = false);

  // Personal access tokens of the acting user. CreateToken errors: kValidation (bad scope item,
  // expires_at not in the future, contradicting bindings); kNotFound "workspace_not_found" /
  // "notebook_not_found" / "agent_not_found".
  Result<TokenCreated> CreateToken(const Principal& who, const TokenCreate& input);
  // Newest first; revoked tokens stay listed with is_active false.
  Result<std::vector<TokenInfo>> ListTokens(const Principal& who);
  // kNotFound "token_not_found" (also for other users' tokens).
  Status RevokeToken(const Principal& who, std::int64_t token_id);

  // Open registration (CONTRACT §7): the user, and a workspace named after them that they own.
  Result<User> Register(const UserCreate& input);

 private:
  friend class Codex;
  explicit Auth(detail::Context* ctx);
  detail::Context* ctx_;
  std::shared_ptr<detail::AuthState> state_;  // the credential store, opened on first use
};

// The signing key (SEMANTICS §1.2 step 2): CODEX_SECRET_KEY, else SECRET_KEY (UTF-8 bytes), else
// <data_dir>/secret.key, created once (32 random bytes, mode 0600, temp file + rename).
// Errors: kInvalidArgument "insecure_secret_key" for the known placeholder value; kIoError.
// `warning` receives a note when an environment key is shorter than 32 bytes.
Result<std::string> LoadSecretKey(const std::string& data_dir, std::string* warning = nullptr);

}  // namespace codex
