// JWT access tokens (CONTRACT §3.2, SEMANTICS §16.2): compact JWS, HS256 only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "codex/status.hpp"

namespace codex::auth {

struct JwtClaims {
  std::string sub;       // username
  std::int64_t uid = 0;  // user id
  std::int64_t iat = 0;  // Unix seconds
  std::int64_t exp = 0;  // Unix seconds
  std::string jti;       // ULID
};

// Tokens longer than this are refused before any parsing.
inline constexpr std::size_t kMaxJwtBytes = 4096;

// An HS256 key (raw bytes, any length) with its HMAC pads computed once. Immutable after
// construction; thread-safe. An empty key verifies nothing.
class JwtKey {
 public:
  explicit JwtKey(std::string_view key);
  ~JwtKey();  // wipes the key material
  JwtKey(const JwtKey&) = delete;
  JwtKey& operator=(const JwtKey&) = delete;

  bool empty() const noexcept { return empty_; }

  // base64url({"alg":"HS256","typ":"JWT"}) "." base64url(claims) "." base64url(HMAC-SHA256),
  // no padding, JSON without spaces.
  std::string Sign(const JwtClaims& claims) const;

  // Checks the shape, the header (alg exactly "HS256"; a "crit" header is refused), the
  // signature (constant-time), the claim types (sub a non-empty string, uid/iat/exp integers,
  // jti a ULID; other claims ignored, repeated names refused) and exp > now_unix (no leeway).
  // Does not look at the user or the denylist. Errors: kUnauthenticated "invalid_token" /
  // "token_expired".
  Result<JwtClaims> Verify(std::string_view token, std::int64_t now_unix) const;

 private:
  std::string Mac(std::string_view data) const;  // base64url of the HMAC
  struct State;
  std::unique_ptr<State> state_;
  bool empty_ = true;
};

// The messages of CONTRACT §2.4.
Status InvalidToken();
Status TokenExpired();

}  // namespace codex::auth
