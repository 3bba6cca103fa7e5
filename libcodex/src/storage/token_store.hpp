// Credentials in the system database (CONTRACT §3, §8; SEMANTICS §16.2): personal access tokens,
// refresh-token families and the logout denylist of JWT ids. Only hashes are stored. Typed
// operations only; SQL stays in storage/. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/auth.hpp"
#include "codex/status.hpp"
#include "codex/users.hpp"
#include "storage/read_cache.hpp"

namespace codex::storage {

class Database;

struct PatInsert {
  std::int64_t user_id = 0;
  std::string name;
  std::string token_hash;    // SHA-256 hex of the whole token
  std::string token_prefix;  // its first 12 characters
  std::optional<std::string> scopes;
  std::optional<std::int64_t> workspace_id;
  std::optional<std::int64_t> notebook_id;
  std::optional<std::int64_t> agent_id;
  std::optional<std::string> expires_at;
  std::string now;
};

// A token row with its owner, as found by hash.
struct PatRecord {
  TokenInfo token;
  User user;
};

// The user a JWT names, and whether its jti was logged out.
struct JwtSubject {
  User user;
  bool jti_revoked = false;
};

struct RefreshInsert {
  std::int64_t user_id = 0;
  std::string family_id;
  std::string token_hash;
  std::string now;
  std::string expires_at;
};

struct RefreshRotation {
  enum class Outcome {
    kRotated,  // the old row is spent, the new one stored; `user` is set
    kInvalid,  // unknown, revoked, expired, or its user is inactive
    kReused,   // the old row was already spent: its whole family is now revoked
  };
  Outcome outcome = Outcome::kInvalid;
  User user;
};

class TokenStore {
 public:
  // Opens the system database file (already migrated by SystemStore, else migrated here).
  static Result<std::unique_ptr<TokenStore>> Open(const std::string& path);
  ~TokenStore();

  // Personal access tokens.
  Result<TokenInfo> InsertPat(const PatInsert& row);
  // The user's tokens, newest created_at first.
  Result<std::vector<TokenInfo>> ListPats(std::int64_t user_id);
  // Sets is_active = 0. kNotFound "token_not_found" unless the row exists and is the user's.
  Status DeactivatePat(std::int64_t user_id, std::int64_t token_id);
  // One indexed lookup (token_hash) joined with the owner.
  Result<std::optional<PatRecord>> FindPat(std::string_view token_hash);
  Status SetPatLastUsed(std::int64_t token_id, const std::string& now);

  // JWTs: one indexed lookup of the user by name, with the denylist check of `jti`; served from
  // a ReadCache (≤ 1 s, dropped on any write in this process).
  Result<std::optional<JwtSubject>> FindJwtSubject(std::string_view username, std::string_view jti);
  // Denylists `jti` until `expires_at`, and drops denylist entries and refresh rows that have
  // expired by `now`.
  Status RevokeJti(std::string_view jti, const std::string& expires_at, const std::string& now);

  // Refresh tokens.
  Status InsertRefresh(const RefreshInsert& row);
  // In one transaction: checks the row of `old_hash` and, when it is valid, marks it rotated and
  // inserts `next` in its family (next.user_id and next.family_id are taken from the old row).
  // A spent row revokes its family (committed, with outcome kReused).
  Result<RefreshRotation> RotateRefresh(std::string_view old_hash, RefreshInsert next);
  // Sets revoked_at on every live row of the family of `token_hash`; unknown hashes are ignored.
  Status RevokeRefreshFamily(std::string_view token_hash, const std::string& now);

 private:
  explicit TokenStore(std::unique_ptr<Database> db);
  std::unique_ptr<Database> db_;
  ReadCache<std::optional<JwtSubject>> subject_cache_{std::chrono::seconds(1)};
};

}  // namespace codex::storage
