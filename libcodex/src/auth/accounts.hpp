// Account creation and password sign-in, shared by the Users and Auth services (defined in
// users_service.cpp, which may reach the Context; the auth module itself may not).
#pragma once

#include <string_view>

#include "codex/status.hpp"
#include "codex/users.hpp"

namespace codex::detail {

struct Context;

// Users::Create: validation (username 3..50, password 8..100, e-mail per CONTRACT §7.1), an
// argon2id hash, the row. Errors: kValidation; kAlreadyExists "username_taken" / "email_taken".
Result<User> CreateUserAccount(Context& ctx, const UserCreate& input);

// Users::Authenticate: password check (unknown users cost the same), inactive check, legacy
// hashes upgraded. Errors: kUnauthenticated "login_failed"; kInvalidArgument "inactive_user".
Result<User> AuthenticateUser(Context& ctx, std::string_view username, std::string_view password);

}  // namespace codex::detail
