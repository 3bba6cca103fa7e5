#include "crypto/crypto.hpp"

#include <catch2/catch.hpp>

namespace crypto = codex::crypto;

TEST_CASE("sha256, hex, base64url, random") {
  CHECK(crypto::Sha256Hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(crypto::Sha256Hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  crypto::Sha256 h;
  h.Update("a");
  h.Update("bc");
  CHECK(h.FinishHex() == crypto::Sha256Hex("abc"));
  CHECK(crypto::HexDecode("00ff10") == std::optional<std::string>(std::string("\x00\xff\x10", 3)));
  CHECK_FALSE(crypto::HexDecode("abc").has_value());
  CHECK_FALSE(crypto::HexDecode("zz").has_value());
  CHECK(crypto::Base64UrlEncode("\xfb\xff") == "-_8");
  CHECK(crypto::Base64Decode("-_8") == std::optional<std::string>("\xfb\xff"));
  CHECK(crypto::Base64Decode("+/8=") == std::optional<std::string>("\xfb\xff"));
  CHECK_FALSE(crypto::Base64Decode("!!").has_value());
  CHECK(crypto::RandomBytes(32).size() == 32);
  CHECK(crypto::RandomHex(4) != crypto::RandomHex(4));
  CHECK(crypto::ConstantTimeEqual("abc", "abc"));
  CHECK_FALSE(crypto::ConstantTimeEqual("abc", "abd"));
  CHECK_FALSE(crypto::ConstantTimeEqual("abc", "ab"));
}
