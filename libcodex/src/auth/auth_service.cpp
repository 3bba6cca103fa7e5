// Sign-in and credentials (CONTRACT §3, §7, §8; SEMANTICS §16.2).
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/accounts.hpp"
#include "auth/email.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "codex/auth.hpp"
#include "common/errors.hpp"
#include "common/slug.hpp"
#include "common/strings.hpp"
#include "common/validate.hpp"
#include "core/context.hpp"
#include "crypto/crypto.hpp"
#include "crypto/ulid.hpp"
#include "storage/token_store.hpp"
#include "workspace/create.hpp"

namespace codex::detail {

// What Auth keeps beside the Context: the signing key, and the credential store, opened on
// first use (a second connection set on codex_system.db). Thread-safe.
struct AuthState {
  explicit AuthState(std::string_view secret_key) : jwt(secret_key) {}
  const auth::JwtKey jwt;
  std::mutex open_mutex;
  std::unique_ptr<storage::TokenStore> store;  // guarded by open_mutex until published
  std::atomic<storage::TokenStore*> ready{nullptr};

  // Claims of tokens whose signature and shape were verified once: a token's text never changes
  // meaning, so later requests skip the HMAC and parse (exp is still checked on each use).
  Result<auth::JwtClaims> VerifyJwt(std::string_view token, std::int64_t now_unix) {
    {
      std::lock_guard<std::mutex> lock(verified_mutex);
      auto it = verified.find(std::string(token));
      if (it != verified.end()) {
        if (it->second.exp <= now_unix) return auth::TokenExpired();
        return it->second;
      }
    }
    auto claims = jwt.Verify(token, now_unix);
    if (claims.ok()) {
      std::lock_guard<std::mutex> lock(verified_mutex);
      if (verified.size() >= 4096) verified.clear();
      verified.emplace(std::string(token), *claims);
    }
    return claims;
  }

 private:
  std::mutex verified_mutex;
  std::unordered_map<std::string, auth::JwtClaims> verified;
};

}  // namespace codex::detail

namespace codex {
namespace {

constexpr std::string_view kPatPrefix = "cdx_";
constexpr std::size_t kPatLength = 47;      // "cdx_" + base64url of 32 bytes
constexpr std::size_t kRefreshLength = 43;  // base64url of 32 bytes
constexpr std::size_t kTokenPrefixLength = 12;
constexpr std::size_t kTokenBytes = 32;
constexpr auto kLastUsedEvery = std::chrono::minutes(1);

Status NotAuthenticated() {
  return Status::Make(Code::kUnauthenticated, "not_authenticated",
                      "Could not validate credentials");
}
Status InvalidRefreshToken() {
  return Status::Make(Code::kUnauthenticated, "invalid_refresh_token",
                      "Could not validate credentials");
}
Status RefreshTokenReused() {
  return Status::Make(Code::kUnauthenticated, "refresh_token_reused",
                      "Could not validate credentials");
}
Status InactiveUser() { return Status::InvalidArgument("inactive_user", "Inactive user"); }
Status NoSecretKey() {
  return Status::Unavailable("secret_key_missing", "No secret key is configured to sign tokens");
}

std::int64_t UnixSeconds(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

bool IsBase64Url(std::string_view s) {
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<Scope> ScopeLevel(std::string_view level) {
  if (level == "read") return Scope::kRead;
  if (level == "write") return Scope::kWrite;
  if (level == "admin") return Scope::kAdmin;
  return std::nullopt;
}

// One trimmed item: "read" | "write" | "admin" | "<label>:<read|write|admin>".
std::optional<Scope> ScopeItem(std::string_view item) {
  std::size_t colon = item.rfind(':');
  if (colon == std::string_view::npos) return ScopeLevel(item);
  if (Trim(item.substr(0, colon)).empty()) return std::nullopt;
  return ScopeLevel(item.substr(colon + 1));
}

// The highest level a scope list grants (CONTRACT §3.5); null/blank = read,write. `strict`
// refuses a bad item with a 422 (creation); otherwise bad items are skipped, and a list with no
// good item grants read only (stored rows written by older versions).
Result<Scope> ParseScopes(const std::optional<std::string>& scopes, bool strict) {
  if (!scopes || Trim(*scopes).empty()) return Scope::kWrite;
  std::optional<Scope> best;
  for (std::string_view raw : Split(*scopes, ',')) {
    std::string_view item = Trim(raw);
    std::optional<Scope> level = ScopeItem(item);
    if (!level) {
      if (!strict) continue;
      return errors::ValueError("scopes", "Invalid scope '" + std::string(item) +
                                              "': use read, write, admin or "
                                              "<label>:<read|write|admin>");
    }
    if (!best || *level > *best) best = level;
  }
  return best.value_or(Scope::kRead);
}

std::string NewOpaqueToken() { return crypto::Base64UrlEncode(crypto::RandomBytes(kTokenBytes)); }

// The store, opened once per Auth (retried on the next call after a failure).
Result<storage::TokenStore*> Store(detail::AuthState& state, detail::Context& ctx) {
  if (storage::TokenStore* s = state.ready.load(std::memory_order_acquire)) return s;
  std::lock_guard<std::mutex> lock(state.open_mutex);
  if (!state.store) {
    auto opened = storage::TokenStore::Open(ctx.data_dir + "/codex_system.db");
    if (!opened.ok()) return opened.status();
    state.store = std::move(*opened);
    state.ready.store(state.store.get(), std::memory_order_release);
  }
  return state.store.get();
}

// A signed access token for `user`, valid for access_token_minutes from now.
std::string AccessToken(detail::Context& ctx, const auth::JwtKey& key, const User& user) {
  TimePoint now = ctx.NowTime();
  auth::JwtClaims claims;
  claims.sub = user.username;
  claims.uid = user.id;
  claims.iat = UnixSeconds(now);
  claims.exp = claims.iat + std::int64_t{ctx.options.access_token_minutes} * 60;
  claims.jti = crypto::NewUlid(now);
  return key.Sign(claims);
}

Session MakeSession(detail::Context& ctx, const auth::JwtKey& key, const User& user,
                    std::string refresh_token) {
  Session s;
  s.access_token = AccessToken(ctx, key, user);
  s.refresh_token = std::move(refresh_token);
  s.access_max_age = std::int64_t{ctx.options.access_token_minutes} * 60;
  s.refresh_max_age = std::int64_t{ctx.options.refresh_token_days} * 86400;
  s.user = user;
  return s;
}

std::string RefreshExpiry(detail::Context& ctx) {
  return FormatTime(ctx.NowTime() + std::chrono::hours(24) * ctx.options.refresh_token_days);
}

}  // namespace


// ---- Auth ----

Auth::Auth(detail::Context* ctx)
    : ctx_(ctx), state_(std::make_shared<detail::AuthState>(ctx->options.secret_key)) {}

Result<Session> Auth::Login(std::string_view username, std::string_view password) {
  if (state_->jwt.empty()) return NoSecretKey();
  auto user = detail::AuthenticateUser(*ctx_, username, password);
  if (!user.ok()) return user.status();
  auto store = Store(*state_, *ctx_);
  if (!store.ok()) return store.status();
  std::string refresh = NewOpaqueToken();
  storage::RefreshInsert row;
  row.user_id = user->id;
  row.family_id = crypto::RandomHex(16);
  row.token_hash = crypto::Sha256Hex(refresh);
  row.now = ctx_->Now();
  row.expires_at = RefreshExpiry(*ctx_);
  Status s = (*store)->InsertRefresh(row);
  if (!s.ok()) return s;
  return MakeSession(*ctx_, state_->jwt, *user, std::move(refresh));
}

Result<Session> Auth::Refresh(std::string_view refresh_token) {
  if (refresh_token.size() != kRefreshLength || !IsBase64Url(refresh_token)) {
    return InvalidRefreshToken();
  }
  if (state_->jwt.empty()) return NoSecretKey();
  auto store = Store(*state_, *ctx_);
  if (!store.ok()) return store.status();
  std::string next = NewOpaqueToken();
  storage::RefreshInsert row;
  row.token_hash = crypto::Sha256Hex(next);
  row.now = ctx_->Now();
  row.expires_at = RefreshExpiry(*ctx_);
  auto rotation = (*store)->RotateRefresh(crypto::Sha256Hex(refresh_token), std::move(row));
  if (!rotation.ok()) return rotation.status();
  switch (rotation->outcome) {
    case storage::RefreshRotation::Outcome::kRotated:
      return MakeSession(*ctx_, state_->jwt, rotation->user, std::move(next));
    case storage::RefreshRotation::Outcome::kReused:
      return RefreshTokenReused();
    case storage::RefreshRotation::Outcome::kInvalid:
      break;
  }
  return InvalidRefreshToken();
}

Status Auth::Logout(std::string_view refresh_token, std::string_view access_token) {
  if (refresh_token.empty() && access_token.empty()) return Status::Ok();
  auto store = Store(*state_, *ctx_);
  if (!store.ok()) return store.status();
  std::string now = ctx_->Now();
  if (refresh_token.size() == kRefreshLength && IsBase64Url(refresh_token)) {
    Status s = (*store)->RevokeRefreshFamily(crypto::Sha256Hex(refresh_token), now);
    if (!s.ok()) return s;
  }
  if (!access_token.empty()) {
    auto claims = state_->jwt.Verify(access_token, UnixSeconds(ctx_->NowTime()));
    if (claims.ok()) {
      TimePoint exp{std::chrono::seconds(claims->exp)};
      Status s = (*store)->RevokeJti(claims->jti, FormatTime(exp), now);
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

Result<Identity> Auth::Verify(std::string_view token, bool allow_inactive) {
  if (token.empty()) return NotAuthenticated();
  auto store = Store(*state_, *ctx_);
  if (!store.ok()) return store.status();
  TimePoint now = ctx_->NowTime();
  Identity id;

  if (token.substr(0, kPatPrefix.size()) == kPatPrefix) {
    if (token.size() != kPatLength || !IsBase64Url(token.substr(kPatPrefix.size()))) {
      return auth::InvalidToken();
    }
    auto found = (*store)->FindPat(crypto::Sha256Hex(token));
    if (!found.ok()) return found.status();
    if (!found->has_value() || !(*found)->token.is_active) return auth::InvalidToken();
    storage::PatRecord& rec = **found;
    std::string now_text = FormatTime(now);
    if (rec.token.expires_at && *rec.token.expires_at <= now_text) return auth::TokenExpired();
    if (!rec.user.is_active && !allow_inactive) return InactiveUser();
    // Coalesced bookkeeping: at most one write per token per minute. A failed write (a busy
    // database) must not fail the request it rides on.
    if (!rec.token.last_used_at || *rec.token.last_used_at <= FormatTime(now - kLastUsedEvery)) {
      (void)(*store)->SetPatLastUsed(rec.token.id, now_text);
    }
    id.principal = Principal(rec.user.id);
    id.principal.workspace_id = rec.token.workspace_id;
    id.principal.notebook_id = rec.token.notebook_id;
    id.kind = CredentialKind::kPat;
    id.scope = *ParseScopes(rec.token.scopes, /*strict=*/false);
    id.token_id = rec.token.id;
    id.agent_id = rec.token.agent_id;
    id.user = std::move(rec.user);
    return id;
  }

  auto claims = state_->VerifyJwt(token, UnixSeconds(now));
  if (!claims.ok()) return claims.status();
  auto subject = (*store)->FindJwtSubject(claims->sub, claims->jti);
  if (!subject.ok()) return subject.status();
  // A deleted and re-registered username does not inherit the old account's tokens.
  if (!subject->has_value() || (*subject)->user.id != claims->uid || (*subject)->jti_revoked) {
    return auth::InvalidToken();
  }
  if (!(*subject)->user.is_active && !allow_inactive) return InactiveUser();
  id.principal = Principal((*subject)->user.id);
  id.user = std::move((*subject)->user);
  id.kind = CredentialKind::kJwt;
  id.scope = Scope::kAdmin;
  id.jti = std::move(claims->jti);
  id.expires_at = claims->exp;
  return id;
}

Result<TokenCreated> Auth::CreateToken(const Principal& who, const TokenCreate& input) {
  // A bound credential must not mint an unbound one.
  if (who.workspace_id || who.notebook_id) return errors::TokenRestricted();
  auto scope = ParseScopes(input.scopes, /*strict=*/true);
  if (!scope.ok()) return scope.status();
  std::optional<std::string> expires_at;
  if (input.expires_at) {
    std::optional<TimePoint> t = ParseTime(*input.expires_at);
    if (!t) {
      return Status::Validation("datetime_parsing", "expires_at",
                                "Input should be a valid datetime");
    }
    if (*t <= ctx_->NowTime()) {
      return errors::ValueError("expires_at", "expires_at must be in the future");
    }
    expires_at = FormatTime(*t);
  }
  // Agents do not exist in this codebase yet, so no agent can be visible to the caller: any
  // agent_id is unknown. (With agents: the caller must own the agent's workspace, which then
  // fills or must equal workspace_id.)
  if (input.agent_id) return Status::NotFound("agent_not_found", "Agent not found");

  std::optional<std::int64_t> workspace_id = input.workspace_id;
  if (workspace_id) {
    auto ws = ctx_->system->FindWorkspaceForUser(who.user_id, std::to_string(*workspace_id));
    if (!ws.ok()) return ws.status();
    if (!ws->has_value()) return errors::WorkspaceNotFound();
  }
  if (input.notebook_id) {
    auto nb = ctx_->system->FindNotebookById(*input.notebook_id);
    if (!nb.ok()) return nb.status();
    if (!nb->has_value()) return errors::NotebookNotFound();
    std::int64_t nb_workspace = (*nb)->workspace_id;
    if (workspace_id) {
      if (*workspace_id != nb_workspace) return errors::NotebookNotFound();
    } else {
      // Inferred binding; a non-member learns nothing about the notebook.
      auto ws = ctx_->system->FindWorkspaceForUser(who.user_id, std::to_string(nb_workspace));
      if (!ws.ok()) return ws.status();
      if (!ws->has_value()) return errors::NotebookNotFound();
      workspace_id = nb_workspace;
    }
  }

  auto store = Store(*state_, *ctx_);
  if (!store.ok()) return store.status();
  TokenCreated created;
  created.token = std::string(kPatPrefix) + NewOpaqueToken();
  storage::PatInsert row;
  row.user_id = who.user_id;
  row.name = input.name;
  row.token_hash = crypto::Sha256Hex(created.token);
  row.token_prefix = created.token.substr(0, kTokenPrefixLength);
  row.scopes = input.scopes;
  row.workspace_id = workspace_id;
  row.notebook_id = input.notebook_id;
  row.expires_at = expires_at;
  row.now = ctx_->Now();
  auto info = (*store)->InsertPat(row);
  if (!info.ok()) return info.status();
  created.info = std::move(*info);
  return created;
}

Result<std::vector<TokenInfo>> Auth::ListTokens(const Principal& who) {
  auto store = Store(*state_, *ctx_);
  if (!store.ok()) return store.status();
  return (*store)->ListPats(who.user_id);
}

Status Auth::RevokeToken(const Principal& who, std::int64_t token_id) {
  auto store = Store(*state_, *ctx_);
  if (!store.ok()) return store.status();
  return (*store)->DeactivatePat(who.user_id, token_id);
}

Result<User> Auth::Register(const UserCreate& input) {
  auto user = detail::CreateUserAccount(*ctx_, input);
  if (!user.ok()) return user;
  WorkspaceCreate ws;
  ws.name = user->username;
  auto created = detail::CreateWorkspace(*ctx_, Principal(user->id), ws);
  if (!created.ok()) {
    // No half-registered accounts: the user goes again (best effort; the workspace error is the
    // one reported).
    (void)ctx_->system->DeleteUser(user->id, SlugSuffix, ctx_->Now());
    return created.status();
  }
  return user;
}

}  // namespace codex
