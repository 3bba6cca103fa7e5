// Password hashing (SEMANTICS §16.1): argon2id for new hashes; two legacy PBKDF2 forms verified.
#pragma once

#include <string>
#include <string_view>

#include "codex/status.hpp"

namespace codex::auth {

// argon2id via crypto_pwhash_str with at least the INTERACTIVE limits. Errors: kInternal.
Result<std::string> HashPassword(std::string_view password);

struct PasswordCheck {
  bool ok = false;            // the password matches
  bool needs_rehash = false;  // matched a legacy form or outdated argon2id parameters
};

// Verifies against "$argon2id$…", "<salthex>$<hashhex>" or "pbkdf2_sha256:<iter>:<salt>:<hash>".
// Constant-time comparisons; a malformed stored value never matches.
PasswordCheck VerifyPassword(std::string_view password, std::string_view stored);

// Costs what a real argon2id verification costs, for unknown users (no timing oracle).
void DummyVerify(std::string_view password);

}  // namespace codex::auth
