// Users: accounts and passwords.
#include "auth/accounts.hpp"
#include "auth/email.hpp"
#include "auth/password.hpp"
#include "codex/users.hpp"
#include "common/errors.hpp"
#include "common/slug.hpp"
#include "common/validate.hpp"
#include "core/context.hpp"
#include "crypto/crypto.hpp"

namespace codex {
namespace {

Status LoginFailed() {
  return Status::Make(Code::kUnauthenticated, "login_failed", "Incorrect username or password");
}

Status InactiveUser() { return Status::InvalidArgument("inactive_user", "Inactive user"); }

}  // namespace

// Accounts, shared with Auth (registration and sign-in).
namespace detail {

Result<User> CreateUserAccount(Context& ctx, const UserCreate& input) {
  Status s = CheckLength(input.username, 3, 50, "username");
  if (!s.ok()) return s;
  s = CheckLength(input.password, 8, 100, "password");
  if (!s.ok()) return s;
  auto email = auth::ValidateEmail(input.email);
  if (!email.ok()) return email.status();
  auto hash = auth::HashPassword(input.password);
  if (!hash.ok()) return hash.status();
  return ctx.system->CreateUser(input.username, *email, *hash, ctx.Now());
}

Result<User> AuthenticateUser(Context& ctx, std::string_view username, std::string_view password) {
  auto found = ctx.system->FindUserByName(username);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    auth::DummyVerify(password);
    return LoginFailed();
  }
  storage::UserRecord rec = std::move(**found);
  auth::PasswordCheck check = auth::VerifyPassword(password, rec.hashed_password);
  if (!check.ok) return LoginFailed();
  if (!rec.user.is_active) return InactiveUser();
  if (check.needs_rehash) {
    auto hash = auth::HashPassword(password);
    if (hash.ok()) {
      // A failed upgrade leaves the old (still valid) hash in place.
      (void)ctx.system->SetPasswordHash(rec.user.id, *hash, ctx.Now());
    }
  }
  return rec.user;
}

}  // namespace detail

std::string GeneratePassword() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  constexpr std::size_t kSize = sizeof kAlphabet - 1;  // 56
  std::string out;
  while (out.size() < 16) {
    for (unsigned char b : crypto::RandomBytes(32)) {
      if (b < 256 - 256 % kSize && out.size() < 16) out.push_back(kAlphabet[b % kSize]);
    }
  }
  return out;
}

Result<User> Users::Create(const UserCreate& input) {
  return detail::CreateUserAccount(*ctx_, input);
}

Result<User> Users::Authenticate(std::string_view username, std::string_view password) {
  return detail::AuthenticateUser(*ctx_, username, password);
}

Result<User> Users::Get(std::int64_t id) {
  auto found = ctx_->system->FindUser(id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return errors::UserNotFound();
  return (*found)->user;
}

Result<User> Users::GetByName(std::string_view username) {
  auto found = ctx_->system->FindUserByName(username);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return errors::UserNotFound();
  return (*found)->user;
}

Result<std::vector<User>> Users::List() { return ctx_->system->ListUsers(); }

Status Users::SetActive(std::int64_t id, bool active) {
  return ctx_->system->SetUserActive(id, active, ctx_->Now());
}

Result<User> Users::SetTheme(const Principal& who, std::string_view theme) {
  Status s = CheckLength(theme, 1, 100, "theme");
  if (!s.ok()) return s;
  s = ctx_->system->SetUserTheme(who.user_id, std::string(theme), ctx_->Now());
  if (!s.ok()) return s;
  return Get(who.user_id);
}

// The account's memberships go with it: its open event streams end as for a removed member.
Status Users::Delete(const Principal& who) {
  auto member_of = ctx_->system->ListWorkspacesForUser(who.user_id);
  if (!member_of.ok()) return member_of.status();
  Status s = ctx_->system->DeleteUser(who.user_id, SlugSuffix, ctx_->Now());
  if (!s.ok()) return s;
  for (const auto& w : *member_of) {
    ctx_->events.PublishLifecycle(EventKind::kAccessRemoved, w.id, 0, who.user_id, ctx_->Now());
  }
  return s;
}

}  // namespace codex
