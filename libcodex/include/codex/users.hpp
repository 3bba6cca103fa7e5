// Users: accounts, passwords (argon2id, legacy PBKDF2 verified and rehashed), activation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
}

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string email;
  bool is_active = true;
  std::string theme_setting = "cream";
  std::string created_at;  // RFC 3339 UTC, 6 fraction digits
  std::string updated_at;
};

struct UserCreate {
  std::string username;  // 3..50 characters
  std::string email;     // validated and normalised per CONTRACT §7.1
  std::string password;  // 8..100 characters
};

// 16 characters from an unambiguous alphabet, drawn from the OS CSPRNG: a password for a
// generated account (shown once to whoever asked for it).
std::string GeneratePassword();

// Thread-safe. Errors: kValidation for bad fields, kAlreadyExists for taken names.
class Users {
 public:
  // Registration is open: no principal. Errors: kValidation; kAlreadyExists "username_taken" /
  // "email_taken".
  Result<User> Create(const UserCreate& input);
  // Verifies the password (argon2id or a legacy PBKDF2 form, which is then rehashed).
  // Errors: kUnauthenticated "login_failed" (unknown user and bad password cost the same time);
  // kInvalidArgument "inactive_user".
  Result<User> Authenticate(std::string_view username, std::string_view password);
  // Errors: kNotFound "user_not_found".
  Result<User> Get(std::int64_t id);
  Result<User> GetByName(std::string_view username);
  Result<std::vector<User>> List();
  // Deactivated users cannot log in. Errors: kNotFound.
  Status SetActive(std::int64_t id, bool active);
  // Errors: kValidation (theme 1..100 characters).
  Result<User> SetTheme(const Principal& who, std::string_view theme);
  // Deletes the acting user with their permission rows. Errors: kConflict "account_has_workspaces"
  // while they are the only owner of any workspace.
  Status Delete(const Principal& who);

 private:
  friend class Codex;
  explicit Users(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
