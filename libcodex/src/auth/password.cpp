// Password hashing and verification (SEMANTICS §16.1).
#include "auth/password.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>

#include "common/strings.hpp"
#include "crypto/crypto.hpp"

namespace codex::auth {
namespace {

constexpr std::string_view kArgon2Prefix = "$argon2";
constexpr std::string_view kPbkdf2Prefix = "pbkdf2_sha256:";
constexpr int kLegacyIterations = 100000;
constexpr std::size_t kLegacyKeyBytes = 32;
constexpr std::int64_t kMaxIterations = 10000000;
constexpr std::size_t kMaxDerivedKeyBytes = 1024;  // a longer stored hash is not a real one

// An argon2id hash of a random password nobody knows, with the INTERACTIVE limits.
constexpr char kDummyHash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$frE7UMYTOfyJwF91P7KPxA$"
    "+NJ2SzeAa5TyKlKR1FCEgqj6qsLxPMWvXhFl5P+M+b4";

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no CSPRNG: nothing secure can run
  });
}

// libsodium and OpenSSL want a non-null pointer even for empty input.
const char* DataOrEmpty(std::string_view s) { return s.data() != nullptr ? s.data() : ""; }

std::optional<std::string> Pbkdf2Sha256(std::string_view password, std::string_view salt,
                                        int iterations, std::size_t length) {
  if (password.size() > INT_MAX || salt.size() > INT_MAX || length > INT_MAX) return std::nullopt;
  std::string out(length, '\0');
  if (PKCS5_PBKDF2_HMAC(DataOrEmpty(password), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(DataOrEmpty(salt)),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(length),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    return std::nullopt;
  }
  return out;
}

PasswordCheck VerifyArgon2(std::string_view password, std::string_view stored) {
  if (stored.size() >= crypto_pwhash_STRBYTES || stored.find('\0') != std::string_view::npos) {
    return {};
  }
  const std::string hash(stored);  // NUL-terminated for libsodium
  if (crypto_pwhash_str_verify(hash.c_str(), DataOrEmpty(password), password.size()) != 0) {
    return {};
  }
  PasswordCheck check;
  check.ok = true;
  check.needs_rehash =
      crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                     crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
  return check;
}

// "<salthex>$<hashhex>": PBKDF2-HMAC-SHA256, 100000 iterations, 32-byte key.
PasswordCheck VerifyLegacySaltHash(std::string_view password, std::string_view stored) {
  const std::size_t dollar = stored.find('$');
  if (dollar == std::string_view::npos || stored.find('$', dollar + 1) != std::string_view::npos) {
    return {};
  }
  std::optional<std::string> salt = crypto::HexDecode(stored.substr(0, dollar));
  std::optional<std::string> expected = crypto::HexDecode(stored.substr(dollar + 1));
  if (!salt || salt->empty() || !expected || expected->size() != kLegacyKeyBytes) return {};
  std::optional<std::string> dk = Pbkdf2Sha256(password, *salt, kLegacyIterations, kLegacyKeyBytes);
  if (!dk || !crypto::ConstantTimeEqual(*dk, *expected)) return {};
  return PasswordCheck{.ok = true, .needs_rehash = true};
}

// "pbkdf2_sha256:<iterations>:<salt>:<hash>" (SEMANTICS §16.1).
PasswordCheck VerifyPbkdf2(std::string_view password, std::string_view stored) {
  std::string_view rest = stored.substr(kPbkdf2Prefix.size());
  const std::size_t first = rest.find(':');
  const std::size_t last = rest.rfind(':');
  if (first == std::string_view::npos || first == last) return {};
  std::int64_t iterations = 0;
  if (!ParseInt64(rest.substr(0, first), &iterations) || iterations < 1 ||
      iterations > kMaxIterations) {
    return {};
  }
  std::string_view salt_text = rest.substr(first + 1, last - first - 1);
  std::string_view hash_text = rest.substr(last + 1);

  std::optional<std::string> expected = crypto::HexDecode(hash_text);
  if (!expected) expected = crypto::Base64Decode(hash_text);
  if (!expected || expected->empty() || expected->size() > kMaxDerivedKeyBytes) return {};

  bool match = false;
  const int iters = static_cast<int>(iterations);
  if (std::optional<std::string> salt_bytes = crypto::HexDecode(salt_text)) {
    std::optional<std::string> dk = Pbkdf2Sha256(password, *salt_bytes, iters, expected->size());
    match = dk.has_value() && crypto::ConstantTimeEqual(*dk, *expected);
  }
  std::optional<std::string> dk = Pbkdf2Sha256(password, salt_text, iters, expected->size());
  match = (dk.has_value() && crypto::ConstantTimeEqual(*dk, *expected)) || match;
  if (!match) return {};
  return PasswordCheck{.ok = true, .needs_rehash = true};
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, DataOrEmpty(password), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("password hashing failed (out of memory)");
  }
  return std::string(out);
}

PasswordCheck VerifyPassword(std::string_view password, std::string_view stored) {
  EnsureSodium();
  if (stored.substr(0, kArgon2Prefix.size()) == kArgon2Prefix) {
    return VerifyArgon2(password, stored);
  }
  if (stored.substr(0, kPbkdf2Prefix.size()) == kPbkdf2Prefix) {
    return VerifyPbkdf2(password, stored);
  }
  return VerifyLegacySaltHash(password, stored);
}

void DummyVerify(std::string_view password) {
  EnsureSodium();
  // The outcome is irrelevant; only the time spent matters. A volatile sink keeps the call.
  volatile int sink = crypto_pwhash_str_verify(kDummyHash, DataOrEmpty(password), password.size());
  (void)sink;
}

}  // namespace codex::auth
