#include "auth/jwt.hpp"

#include <sodium.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "common/strings.hpp"
#include "crypto/crypto.hpp"
#include "crypto/ulid.hpp"

namespace codex::auth {
namespace {

// base64url of {"alg":"HS256","typ":"JWT"}: the header of every token this library signs.
constexpr std::string_view kHeaderB64 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
constexpr int kMaxDepth = 16;

// Strict base64url without padding; non-canonical trailing bits are refused.
std::optional<std::string> DecodeSegment(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string out(text.size() * 3 / 4 + 1, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

// One top-level member of a JSON object: strings and integers are kept, anything else is only
// checked for syntax.
struct Member {
  enum class Kind { kString, kInt, kOther };
  std::string key;
  Kind kind = Kind::kOther;
  std::string text;
  std::int64_t number = 0;
};

// A strict parser for the small flat objects of a JWT (RFC 8259 syntax; no trailing commas, no
// comments, no leading zeros). Bytes >= 0x80 inside strings are taken as they are.
class FlatObjectParser {
 public:
  explicit FlatObjectParser(std::string_view text) : s_(text) {}

  // The members of the top-level object; nullopt on a syntax error or a repeated name.
  std::optional<std::vector<Member>> Parse() {
    std::vector<Member> members;
    SkipWs();
    if (!Eat('{')) return std::nullopt;
    SkipWs();
    if (!Eat('}')) {
      while (true) {
        Member m;
        SkipWs();
        if (!String(&m.key)) return std::nullopt;
        for (const Member& other : members) {
          if (other.key == m.key) return std::nullopt;
        }
        SkipWs();
        if (!Eat(':')) return std::nullopt;
        SkipWs();
        if (!TopValue(&m)) return std::nullopt;
        members.push_back(std::move(m));
        SkipWs();
        if (Eat('}')) break;
        if (!Eat(',')) return std::nullopt;
      }
    }
    SkipWs();
    if (pos_ != s_.size()) return std::nullopt;
    return members;
  }

 private:
  bool Eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void SkipWs() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool Hex4(std::uint32_t* out) {
    if (s_.size() - pos_ < 4) return false;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      int d = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (d < 0) return false;
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
    *out = v;
    return true;
  }

  // A string; its decoded bytes go to `out` unless it is null.
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        if (out) out->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      if (e == 'u') {
        std::uint32_t cp = 0;
        if (!Hex4(&cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t low = 0;
          if (!Literal("\\u") || !Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        if (out) codex::AppendUtf8(out, static_cast<char32_t>(cp));
        continue;
      }
      static constexpr std::string_view kEscaped = "\"\\/bfnrt";
      static constexpr std::string_view kPlain = "\"\\/\b\f\n\r\t";
      std::size_t which = kEscaped.find(e);
      if (which == std::string_view::npos) return false;
      char plain = kPlain[which];
      if (out) out->push_back(plain);
    }
    return false;  // unterminated
  }

  // A number; `is_int` tells whether it is an integer that fits 64 bits.
  bool Number(bool* is_int, std::int64_t* value) {
    std::size_t start = pos_;
    bool negative = Eat('-');
    if (pos_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[pos_]))) return false;
    bool overflow = false;
    std::uint64_t magnitude = 0;
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
        auto d = static_cast<std::uint64_t>(s_[pos_++] - '0');
        if (magnitude > (limit - d) / 10) overflow = true;
        if (!overflow) magnitude = magnitude * 10 + d;
      }
    }
    bool integral = true;
    if (Eat('.')) {
      integral = false;
      if (pos_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[pos_]))) return false;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      integral = false;
      ++pos_;
      if (!Eat('+')) Eat('-');
      if (pos_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[pos_]))) return false;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    *is_int = integral && !overflow && pos_ > start;
    if (*is_int) {
      *value = negative ? static_cast<std::int64_t>(~magnitude + 1)
                        : static_cast<std::int64_t>(magnitude);
    }
    return true;
  }

  bool TopValue(Member* m) {
    if (pos_ >= s_.size()) return false;
    char c = s_[pos_];
    if (c == '"') {
      m->kind = Member::Kind::kString;
      return String(&m->text);
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      bool is_int = false;
      if (!Number(&is_int, &m->number)) return false;
      m->kind = is_int ? Member::Kind::kInt : Member::Kind::kOther;
      return true;
    }
    m->kind = Member::Kind::kOther;
    return Value(1);
  }

  // Any value, checked and dropped.
  bool Value(int depth) {
    if (depth > kMaxDepth || pos_ >= s_.size()) return false;
    char c = s_[pos_];
    if (c == '"') return String(nullptr);
    if (c == 't') return Literal("true");
    if (c == 'f') return Literal("false");
    if (c == 'n') return Literal("null");
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      bool is_int = false;
      std::int64_t ignored = 0;
      return Number(&is_int, &ignored);
    }
    char close = c == '{' ? '}' : c == '[' ? ']' : 0;
    if (close == 0) return false;
    ++pos_;
    SkipWs();
    if (Eat(close)) return true;
    while (true) {
      SkipWs();
      if (close == '}') {
        if (!String(nullptr)) return false;
        SkipWs();
        if (!Eat(':')) return false;
        SkipWs();
      }
      if (!Value(depth + 1)) return false;
      SkipWs();
      if (Eat(close)) return true;
      if (!Eat(',')) return false;
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

const Member* Find(const std::vector<Member>& members, std::string_view key) {
  for (const Member& m : members) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

bool HeaderAcceptable(std::string_view segment) {
  if (segment == kHeaderB64) return true;
  auto json = DecodeSegment(segment);
  if (!json) return false;
  auto members = FlatObjectParser(*json).Parse();
  if (!members) return false;
  const Member* alg = Find(*members, "alg");
  if (alg == nullptr || alg->kind != Member::Kind::kString || alg->text != "HS256") return false;
  if (Find(*members, "crit") != nullptr) return false;  // extensions we do not understand
  if (const Member* typ = Find(*members, "typ")) {
    if (typ->kind != Member::Kind::kString || typ->text.size() != 3) return false;
    for (std::size_t i = 0; i < 3; ++i) {
      if (std::toupper(static_cast<unsigned char>(typ->text[i])) != "JWT"[i]) return false;
    }
  }
  return true;
}

}  // namespace

Status InvalidToken() {
  return Status::Make(Code::kUnauthenticated, "invalid_token", "Could not validate credentials");
}

Status TokenExpired() {
  return Status::Make(Code::kUnauthenticated, "token_expired", "Could not validate credentials");
}

struct JwtKey::State {
  crypto_auth_hmacsha256_state keyed;  // the pads of the key absorbed; copied per MAC
};

JwtKey::JwtKey(std::string_view key) : state_(std::make_unique<State>()), empty_(key.empty()) {
  if (sodium_init() < 0) std::abort();  // no CSPRNG or primitives: nothing secure can run
  crypto_auth_hmacsha256_init(&state_->keyed, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
}

JwtKey::~JwtKey() { sodium_memzero(&state_->keyed, sizeof state_->keyed); }

std::string JwtKey::Mac(std::string_view data) const {
  crypto_auth_hmacsha256_state st = state_->keyed;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(&st, sizeof st);
  return crypto::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

std::string JwtKey::Sign(const JwtClaims& claims) const {
  std::string payload;
  payload.reserve(96 + claims.sub.size());
  payload.append("{\"sub\":");
  AppendJsonString(&payload, claims.sub);
  payload.append(",\"uid\":").append(std::to_string(claims.uid));
  payload.append(",\"iat\":").append(std::to_string(claims.iat));
  payload.append(",\"exp\":").append(std::to_string(claims.exp));
  payload.append(",\"jti\":");
  AppendJsonString(&payload, claims.jti);
  payload.push_back('}');
  std::string token(kHeaderB64);
  token.push_back('.');
  token.append(crypto::Base64UrlEncode(payload));
  std::string signature = Mac(token);
  token.push_back('.');
  token.append(signature);
  return token;
}

Result<JwtClaims> JwtKey::Verify(std::string_view token, std::int64_t now_unix) const {
  if (empty_ || token.empty() || token.size() > kMaxJwtBytes) return InvalidToken();
  std::size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return InvalidToken();
  std::size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return InvalidToken();
  }
  if (!HeaderAcceptable(token.substr(0, dot1))) return InvalidToken();
  // The expected signature is canonical base64url, so comparing text compares the MAC bytes and
  // refuses other encodings of them.
  std::string expected = Mac(token.substr(0, dot2));
  if (!crypto::ConstantTimeEqual(expected, token.substr(dot2 + 1))) return InvalidToken();

  auto json = DecodeSegment(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!json) return InvalidToken();
  auto members = FlatObjectParser(*json).Parse();
  if (!members) return InvalidToken();
  const Member* sub = Find(*members, "sub");
  const Member* uid = Find(*members, "uid");
  const Member* iat = Find(*members, "iat");
  const Member* exp = Find(*members, "exp");
  const Member* jti = Find(*members, "jti");
  using Kind = Member::Kind;
  if (sub == nullptr || sub->kind != Kind::kString || sub->text.empty() || uid == nullptr ||
      uid->kind != Kind::kInt || iat == nullptr || iat->kind != Kind::kInt || exp == nullptr ||
      exp->kind != Kind::kInt || jti == nullptr || jti->kind != Kind::kString ||
      !crypto::IsUlid(jti->text)) {
    return InvalidToken();
  }
  if (exp->number <= now_unix) return TokenExpired();
  JwtClaims claims;
  claims.sub = sub->text;
  claims.uid = uid->number;
  claims.iat = iat->number;
  claims.exp = exp->number;
  claims.jti = jti->text;
  return claims;
}

}  // namespace codex::auth
