// JWT signing and validation (CONTRACT §3.2, SEMANTICS §16.2) and ULIDs: hostile input.
#include "auth/jwt.hpp"

#include <sodium.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "crypto/crypto.hpp"
#include "crypto/ulid.hpp"

using codex::Code;
using codex::auth::JwtClaims;
using codex::auth::JwtKey;
using codex::crypto::Base64UrlEncode;

namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef";
constexpr std::int64_t kNow = 1795219200;  // 2026-11-21T00:00:00Z
const std::string kJti = "01KAK4S2G0ABCDEFGHJKMNPQRS";

std::string SignJwt(const JwtClaims& claims, std::string_view key) {
  return JwtKey(key).Sign(claims);
}

codex::Result<JwtClaims> VerifyJwt(std::string_view token, std::string_view key, std::int64_t now) {
  return JwtKey(key).Verify(token, now);
}

JwtClaims Claims() {
  JwtClaims c;
  c.sub = "alice";
  c.uid = 7;
  c.iat = kNow;
  c.exp = kNow + 1800;
  c.jti = kJti;
  return c;
}

std::string Hmac(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state st;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

// A token with arbitrary header and payload text, correctly signed with `key`.
std::string Craft(std::string_view header, std::string_view payload, std::string_view key = kKey) {
  std::string signing = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  return signing + "." + Base64UrlEncode(Hmac(key, signing));
}

// Signs segment texts as they are (to reach the decoding of odd encodings).
std::string SignRaw(const std::string& header_b64, const std::string& payload_b64) {
  std::string signing = header_b64 + "." + payload_b64;
  return signing + "." + Base64UrlEncode(Hmac(kKey, signing));
}

// base64url text turned into the standard alphabet.
std::string StandardAlphabet(std::string s) {
  for (char& c : s) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  return s;
}

const std::string kHeader = R"({"alg":"HS256","typ":"JWT"})";
const std::string kPayload =
    R"({"sub":"alice","uid":7,"iat":1795219200,"exp":1795221000,"jti":")" + kJti + "\"}";

std::string Reason(const codex::Result<JwtClaims>& r) { return r.status().reason(); }

}  // namespace

TEST_CASE("SignJwt produces a compact HS256 JWS that VerifyJwt accepts") {
  std::string token = SignJwt(Claims(), kKey);
  // The header is exactly {"alg":"HS256","typ":"JWT"} and the payload JSON has no spaces.
  CHECK(token.rfind(Base64UrlEncode(kHeader) + ".", 0) == 0);
  CHECK(token == Craft(kHeader, kPayload));
  CHECK(token.find('=') == std::string::npos);
  auto r = VerifyJwt(token, kKey, kNow);
  REQUIRE(r.ok());
  CHECK(r->sub == "alice");
  CHECK(r->uid == 7);
  CHECK(r->iat == kNow);
  CHECK(r->exp == kNow + 1800);
  CHECK(r->jti == kJti);
}

TEST_CASE("SignJwt escapes the username and VerifyJwt decodes it") {
  for (std::string name : {std::string("a\"b\\c"), std::string("tab\there"),
                           std::string("\xc3\xa9l\xc3\xa8ve"), std::string("nul\x01x")}) {
    JwtClaims c = Claims();
    c.sub = name;
    auto r = VerifyJwt(SignJwt(c, kKey), kKey, kNow);
    REQUIRE(r.ok());
    CHECK(r->sub == name);
  }
  // Escapes another encoder might use decode to the same name.
  std::string payload = R"({"sub":"\u0061lice\/x\ud83d\ude00","uid":7,"iat":1,"exp":1795221000,)"
                        R"("jti":")" +
                        kJti + "\"}";
  auto r = VerifyJwt(Craft(kHeader, payload), kKey, kNow);
  REQUIRE(r.ok());
  CHECK(r->sub == "alice/x\xf0\x9f\x98\x80");
}

TEST_CASE("VerifyJwt: expiry is exp > now with no leeway") {
  std::string token = SignJwt(Claims(), kKey);
  CHECK(VerifyJwt(token, kKey, kNow + 1799).ok());
  auto at_exp = VerifyJwt(token, kKey, kNow + 1800);
  CHECK(at_exp.status().code() == Code::kUnauthenticated);
  CHECK(Reason(at_exp) == "token_expired");
  CHECK(at_exp.status().message() == "Could not validate credentials");
  CHECK(Reason(VerifyJwt(token, kKey, kNow + 1801)) == "token_expired");
  // An expired token with a bad signature is invalid, not expired.
  std::string bad = token;
  bad.back() = bad.back() == 'A' ? 'B' : 'A';
  CHECK(Reason(VerifyJwt(bad, kKey, kNow + 1801)) == "invalid_token");
}

TEST_CASE("VerifyJwt refuses hostile tokens with invalid_token") {
  const std::string good = SignJwt(Claims(), kKey);
  const std::size_t dot1 = good.find('.');
  const std::size_t dot2 = good.rfind('.');
  const std::string h = good.substr(0, dot1);
  const std::string p = good.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string s = good.substr(dot2 + 1);
  auto with_payload = [](const std::string& json) { return Craft(kHeader, json); };
  auto payload_with = [](const std::string& members) {
    return Craft(kHeader, "{" + members + "}");
  };
  const std::string jti = "\"jti\":\"" + kJti + "\"";
  std::string tampered_payload = p;
  tampered_payload[3] = tampered_payload[3] == 'x' ? 'y' : 'x';
  std::string tampered_signature = s;
  tampered_signature[5] = tampered_signature[5] == 'x' ? 'y' : 'x';
  // The last character of a 32-byte MAC carries 4 padding bits: flipping one of them decodes to
  // the same bytes in a lenient decoder; the text comparison refuses it.
  std::string noncanonical_signature = s;
  noncanonical_signature.back() = static_cast<char>(noncanonical_signature.back() ^ 1);

  struct Case {
    const char* what;
    std::string token;
  };
  std::vector<Case> cases = {
      {"empty", ""},
      {"one part", h},
      {"two parts", h + "." + p},
      {"four parts", good + "." + s},
      {"empty parts", ".."},
      {"empty signature", h + "." + p + "."},
      {"empty payload", h + ".." + s},
      {"header not base64", SignRaw("!!!", p)},
      {"header padded", SignRaw(h + "=", p)},
      {"payload not base64", SignRaw(h, "$$$$")},
      {"payload with space", SignRaw(h, p.substr(0, 8) + " " + p.substr(8))},
      {"payload padded", SignRaw(h, p + "=")},
      {"payload padded twice", SignRaw(h, p + "==")},
      {"payload one char too many", SignRaw(h, p + "A")},
      {"payload standard alphabet",
       SignRaw(h, StandardAlphabet(Base64UrlEncode(
                      R"({"sub":"a>>?","uid":7,"iat":1,"exp":1795221000,)" + jti + "}")))},
      {"header not JSON", Craft("alg=HS256", kPayload)},
      {"payload not JSON", with_payload("sub=alice")},
      {"payload JSON array", with_payload("[" + kPayload + "]")},
      {"payload trailing garbage", with_payload(kPayload + "x")},
      {"payload trailing comma",
       payload_with(R"("sub":"alice","uid":7,"iat":1,"exp":1795221000,)" + jti + ",")},
      {"payload unterminated", with_payload(kPayload.substr(0, kPayload.size() - 2))},
      {"payload duplicate sub",
       payload_with(R"("sub":"bob","sub":"alice","uid":7,"iat":1,"exp":1795221000,)" + jti)},
      {"payload raw control char",
       payload_with("\"sub\":\"al\nice\",\"uid\":7,\"iat\":1,\"exp\":1795221000," + jti)},
      {"payload bad escape",
       payload_with(R"("sub":"al\ice","uid":7,"iat":1,"exp":1795221000,)" + jti)},
      {"payload lone surrogate",
       payload_with(R"("sub":"\ud800","uid":7,"iat":1,"exp":1795221000,)" + jti)},
      {"payload too deep",
       payload_with(R"("x":)" + std::string(100, '[') + std::string(100, ']') +
                    R"(,"sub":"alice","uid":7,"iat":1,"exp":1795221000,)" + jti)},
      {"alg none, no signature", Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + p + "."},
      {"alg none, signed", Craft(R"({"alg":"none","typ":"JWT"})", kPayload)},
      {"alg hs256", Craft(R"({"alg":"hs256","typ":"JWT"})", kPayload)},
      {"alg HS512", Craft(R"({"alg":"HS512","typ":"JWT"})", kPayload)},
      {"alg RS256", Craft(R"({"alg":"RS256","typ":"JWT"})", kPayload)},
      {"alg missing", Craft(R"({"typ":"JWT"})", kPayload)},
      {"alg not a string", Craft(R"({"alg":256,"typ":"JWT"})", kPayload)},
      {"alg with space", Craft(R"({"alg":"HS256 ","typ":"JWT"})", kPayload)},
      {"alg twice", Craft(R"({"alg":"none","alg":"HS256"})", kPayload)},
      {"crit header", Craft(R"({"alg":"HS256","crit":["exp"]})", kPayload)},
      {"typ not JWT", Craft(R"({"alg":"HS256","typ":"JWE"})", kPayload)},
      {"sub missing", payload_with(R"("uid":7,"iat":1,"exp":1795221000,)" + jti)},
      {"uid missing", payload_with(R"("sub":"alice","iat":1,"exp":1795221000,)" + jti)},
      {"iat missing", payload_with(R"("sub":"alice","uid":7,"exp":1795221000,)" + jti)},
      {"exp missing", payload_with(R"("sub":"alice","uid":7,"iat":1,)" + jti)},
      {"jti missing", payload_with(R"("sub":"alice","uid":7,"iat":1,"exp":1795221000)")},
      {"sub empty", payload_with(R"("sub":"","uid":7,"iat":1,"exp":1795221000,)" + jti)},
      {"sub a number", payload_with(R"("sub":7,"uid":7,"iat":1,"exp":1795221000,)" + jti)},
      {"uid a string", payload_with(R"("sub":"alice","uid":"7","iat":1,"exp":1795221000,)" + jti)},
      {"uid a float", payload_with(R"("sub":"alice","uid":7.0,"iat":1,"exp":1795221000,)" + jti)},
      {"uid null", payload_with(R"("sub":"alice","uid":null,"iat":1,"exp":1795221000,)" + jti)},
      {"uid too big",
       payload_with(R"("sub":"alice","uid":9223372036854775808,"iat":1,"exp":1795221000,)" + jti)},
      {"exp a string", payload_with(R"("sub":"alice","uid":7,"iat":1,"exp":"1795221000",)" + jti)},
      {"exp exponent", payload_with(R"("sub":"alice","uid":7,"iat":1,"exp":1.795221e9,)" + jti)},
      {"exp leading zero",
       payload_with(R"("sub":"alice","uid":7,"iat":1,"exp":01795221000,)" + jti)},
      {"exp bool", payload_with(R"("sub":"alice","uid":7,"iat":1,"exp":true,)" + jti)},
      {"iat an object", payload_with(R"("sub":"alice","uid":7,"iat":{},"exp":1795221000,)" + jti)},
      {"jti not a ULID",
       payload_with(R"("sub":"alice","uid":7,"iat":1,"exp":1795221000,"jti":"abc")")},
      {"jti lower case",
       payload_with(
           R"("sub":"alice","uid":7,"iat":1,"exp":1795221000,"jti":"01kak4s2g0abcdefghjkmnpqrs")")},
      {"jti a number", payload_with(R"("sub":"alice","uid":7,"iat":1,"exp":1795221000,"jti":1)")},
      {"tampered payload", h + "." + tampered_payload + "." + s},
      {"tampered signature", h + "." + p + "." + tampered_signature},
      {"non-canonical signature", h + "." + p + "." + noncanonical_signature},
      {"signature of another key", Craft(kHeader, kPayload, "another key")},
      {"signature of the empty key", Craft(kHeader, kPayload, "")},
      {"payload of another token",
       h + "." + Base64UrlEncode(R"({"sub":"root","uid":1,"iat":1,"exp":1795221000,)" + jti + "}") +
           "." + s},
      {"10 KB", h + "." + std::string(10 * 1024, 'A') + "." + s},
      {"NUL inside", h + "." + p + std::string(1, '\0') + "." + s},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    auto r = VerifyJwt(c.token, kKey, kNow);
    CHECK_FALSE(r.ok());
    CHECK(r.status().code() == Code::kUnauthenticated);
    CHECK(Reason(r) == "invalid_token");
    CHECK(r.status().message() == "Could not validate credentials");
  }
}

TEST_CASE("VerifyJwt accepts other well-formed encodings of a valid token") {
  // Header members in another order, whitespace, unknown header and payload members (RFC 7519:
  // unknown claims are ignored).
  CHECK(VerifyJwt(Craft(R"({ "typ" : "JWT", "alg" : "HS256", "kid": "k1" })", kPayload), kKey, kNow)
            .ok());
  CHECK(VerifyJwt(Craft(R"({"alg":"HS256"})", kPayload), kKey, kNow).ok());
  CHECK(VerifyJwt(Craft(R"({"alg":"HS256","typ":"jwt"})", kPayload), kKey, kNow).ok());
  std::string extra = R"({"sub":"alice","uid":7,"iat":1,"exp":1795221000,"jti":")" + kJti +
                      R"(","scope":{"a":[1,2.5e3,true,null,"x"]},"neg":-5})";
  auto r = VerifyJwt(Craft(kHeader, extra), kKey, kNow);
  REQUIRE(r.ok());
  CHECK(r->uid == 7);
}

TEST_CASE("VerifyJwt with an empty key refuses everything") {
  CHECK(VerifyJwt(Craft(kHeader, kPayload, ""), "", kNow).status().reason() == "invalid_token");
  CHECK(VerifyJwt(SignJwt(Claims(), kKey), "", kNow).status().reason() == "invalid_token");
}

TEST_CASE("NewUlid: 26 Crockford characters, time first") {
  using codex::crypto::IsUlid;
  using codex::crypto::NewUlid;
  using TP = std::chrono::system_clock::time_point;
  // The example of the ULID specification: 1469918176385 ms → "01ARYZ6S41".
  std::string u = NewUlid(TP(std::chrono::milliseconds(1469918176385)));
  CHECK(u.size() == 26);
  CHECK(u.substr(0, 10) == "01ARYZ6S41");
  CHECK(IsUlid(u));
  CHECK(NewUlid(TP(std::chrono::milliseconds(0))).substr(0, 10) == "0000000000");
  CHECK(NewUlid(TP(std::chrono::milliseconds(-5))).substr(0, 10) == "0000000000");
  std::set<std::string> seen;
  TP t{std::chrono::seconds(kNow)};
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUlid(t);
    CHECK(IsUlid(id));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
  CHECK(NewUlid(t) < NewUlid(t + std::chrono::milliseconds(1)));
  CHECK_FALSE(IsUlid(""));
  CHECK_FALSE(IsUlid("01ARYZ6S41TSV4RRFFQ69G5FA"));    // 25
  CHECK_FALSE(IsUlid("01ARYZ6S41TSV4RRFFQ69G5FAVX"));  // 27
  CHECK_FALSE(IsUlid("81ARYZ6S41TSV4RRFFQ69G5FAV"));   // overflows 128 bits
  CHECK_FALSE(IsUlid("01ARYZ6S41TSV4RRFFQ69G5FAU"));   // U is not Crockford
  CHECK_FALSE(IsUlid("01aryz6s41tsv4rrffq69g5fav"));
}
