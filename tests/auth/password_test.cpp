// Password hashing and the legacy forms (SEMANTICS §16.1).
#include "auth/password.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "crypto/crypto.hpp"

using codex::auth::DummyVerify;
using codex::auth::HashPassword;
using codex::auth::PasswordCheck;
using codex::auth::VerifyPassword;
using codex::crypto::HexEncode;

namespace {

// The reference implementation the legacy hashes were made with.
std::string Pbkdf2(const std::string& password, const std::string& salt, int iterations,
                   int length) {
  std::string out(static_cast<std::size_t>(length), '\0');
  REQUIRE(PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                            reinterpret_cast<const unsigned char*>(salt.data()),
                            static_cast<int>(salt.size()), iterations, EVP_sha256(), length,
                            reinterpret_cast<unsigned char*>(out.data())) == 1);
  return out;
}

std::string Base64(const std::string& bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.find('\0'));
  return out;
}

void CheckMatches(const std::string& password, const std::string& stored, bool needs_rehash) {
  INFO(stored);
  PasswordCheck check = VerifyPassword(password, stored);
  CHECK(check.ok);
  CHECK(check.needs_rehash == needs_rehash);
  PasswordCheck wrong = VerifyPassword(password + "x", stored);
  CHECK_FALSE(wrong.ok);
  CHECK_FALSE(wrong.needs_rehash);
}

}  // namespace

TEST_CASE("PBKDF2 reference vector") {
  CHECK(HexEncode(Pbkdf2("password", "salt", 1, 32)) ==
        "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
  CheckMatches("password",
               "pbkdf2_sha256:1:salt:"
               "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
               true);
}

TEST_CASE("New hashes are argon2id with the interactive limits and verify") {
  auto hash = HashPassword("correct horse battery staple");
  REQUIRE(hash.ok());
  CHECK(hash->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0) == 0);
  CheckMatches("correct horse battery staple", *hash, false);

  auto again = HashPassword("correct horse battery staple");
  REQUIRE(again.ok());
  CHECK(*again != *hash);  // random salt

  auto empty = HashPassword("");
  REQUIRE(empty.ok());
  CHECK(VerifyPassword("", *empty).ok);
  CHECK_FALSE(VerifyPassword("x", *empty).ok);
}

TEST_CASE("Argon2 hashes with other parameters ask for a rehash") {
  char weak[crypto_pwhash_STRBYTES];
  REQUIRE(crypto_pwhash_str_alg(weak, "pw", 2, crypto_pwhash_OPSLIMIT_MIN,
                                crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13) == 0);
  CheckMatches("pw", weak, true);
}

TEST_CASE("Legacy <salthex>$<hashhex> hashes verify and ask for a rehash") {
  const std::string salt = codex::crypto::RandomBytes(32);
  const std::string dk = Pbkdf2("hunter22", salt, 100000, 32);
  const std::string stored = HexEncode(salt) + "$" + HexEncode(dk);
  CheckMatches("hunter22", stored, true);
  std::string upper = stored;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(VerifyPassword("hunter22", upper).ok);
}

TEST_CASE("Legacy pbkdf2_sha256 hashes in their encodings verify") {
  const std::string password = "Pässwörd 1";
  SECTION("hex salt and hex hash") {
    const std::string salt = codex::crypto::RandomBytes(16);
    const std::string dk = Pbkdf2(password, salt, 1000, 32);
    CheckMatches(password, "pbkdf2_sha256:1000:" + HexEncode(salt) + ":" + HexEncode(dk), true);
  }
  SECTION("text salt and standard base64 hash with padding") {
    const std::string dk = Pbkdf2(password, "NaCl-salt", 2000, 32);
    const std::string b64 = Base64(dk, sodium_base64_VARIANT_ORIGINAL);
    CHECK(b64.back() == '=');
    CheckMatches(password, "pbkdf2_sha256:2000:NaCl-salt:" + b64, true);
  }
  SECTION("URL-safe base64 without padding, other key length") {
    const std::string dk = Pbkdf2(password, "s@lt", 500, 20);
    CheckMatches(password,
                 "pbkdf2_sha256:500:s@lt:" + Base64(dk, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                 true);
  }
  SECTION("a hex-looking salt that was used as text") {
    const std::string dk = Pbkdf2(password, "abcd", 700, 32);
    CheckMatches(password, "pbkdf2_sha256:700:abcd:" + HexEncode(dk), true);
  }
  SECTION("a hex salt that was used decoded") {
    const std::string dk = Pbkdf2(password, std::string("\xab\xcd", 2), 700, 32);
    CheckMatches(password, "pbkdf2_sha256:700:abcd:" + HexEncode(dk), true);
  }
}

TEST_CASE("Malformed stored values never match") {
  const std::string dk = HexEncode(Pbkdf2("pw", "salt", 1, 32));
  const std::vector<std::string> stored = {
      "",
      "$",
      "plain-text-password",
      "pw",
      "abc$" + dk,                  // odd-length salt
      "zz$" + dk,                   // salt not hex
      "$" + dk,                     // empty salt
      "73616c74$" + dk.substr(1),   // odd-length hash
      "73616c74$" + dk.substr(2),   // 31-byte hash
      "73616c74$" + dk + "$" + dk,  // two dollars
      "pbkdf2_sha256:",
      "pbkdf2_sha256:1:salt",
      "pbkdf2_sha256:1:salt:",
      "pbkdf2_sha256:0:salt:" + dk,
      "pbkdf2_sha256:-1:salt:" + dk,
      "pbkdf2_sha256:+1:salt:" + dk,
      "pbkdf2_sha256:10000001:salt:" + dk,
      "pbkdf2_sha256:abc:salt:" + dk,
      "pbkdf2_sha256::salt:" + dk,
      "pbkdf2_sha256:1:salt:!!!!",
      "pbkdf2_sha256:1:salt:" + std::string(4000, 'a'),
      "pbkdf2_sha1:1:salt:" + dk,
      "$argon2id$",
      "$argon2id$v=19$m=65536,t=2,p=1$garbage",
      std::string("$argon2id$v=19$m=65536,t=2,p=1$\0", 32),
      "$argon2id$" + std::string(200, 'a'),
  };
  for (const std::string& s : stored) {
    INFO(s);
    PasswordCheck check = VerifyPassword("pw", s);
    CHECK_FALSE(check.ok);
    CHECK_FALSE(check.needs_rehash);
  }
  // The well-formed variant of the pbkdf2 value above does match.
  CHECK(VerifyPassword("pw", "pbkdf2_sha256:1:salt:" + dk).ok);
}

TEST_CASE("DummyVerify runs for any input") {
  DummyVerify("");
  DummyVerify("some password");
  SUCCEED();
}
