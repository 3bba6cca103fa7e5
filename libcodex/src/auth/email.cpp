// E-mail address validation (CONTRACT §7.1). The reasons are those of the Python
// email-validator library that v1 used through pydantic, so clients see the same texts.
#include "auth/email.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/errors.hpp"
#include "common/strings.hpp"

namespace codex::auth {
namespace {

constexpr std::size_t kMaxInputLength = 2048;  // pydantic's limit, checked before anything else
constexpr std::size_t kMaxAddressLength = 254;
constexpr std::size_t kMaxLocalLength = 64;
constexpr std::size_t kMaxDomainLength = 255;
constexpr std::size_t kMaxLabelLength = 63;
constexpr std::size_t kMaxIdnaDomainLength = 253;
constexpr std::array<std::string_view, 6> kSpecialUseNames = {"arpa",      "invalid", "local",
                                                              "localhost", "onion",   "test"};

std::u32string Decode(std::string_view s) {
  std::u32string out;
  std::size_t pos = 0;
  while (pos < s.size()) out.push_back(DecodeUtf8(s, &pos));
  return out;
}

std::string Encode(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) AppendUtf8(&out, c);
  return out;
}

bool IsAtext(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c < 0x80 && std::string_view("!#$%&'*+/=?^_`{|}~-").find(static_cast<char>(c)) !=
                         std::string_view::npos;
}

bool IsLdh(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

std::string CodePointName(char32_t c) {
  // Unicode names of the invisible characters people paste into addresses; others by number.
  static constexpr std::pair<char32_t, const char*> kNames[] = {
      {0x00A0, "NO-BREAK SPACE"},
      {0x00AD, "SOFT HYPHEN"},
      {0x1680, "OGHAM SPACE MARK"},
      {0x2000, "EN QUAD"},
      {0x2001, "EM QUAD"},
      {0x2002, "EN SPACE"},
      {0x2003, "EM SPACE"},
      {0x2004, "THREE-PER-EM SPACE"},
      {0x2005, "FOUR-PER-EM SPACE"},
      {0x2006, "SIX-PER-EM SPACE"},
      {0x2007, "FIGURE SPACE"},
      {0x2008, "PUNCTUATION SPACE"},
      {0x2009, "THIN SPACE"},
      {0x200A, "HAIR SPACE"},
      {0x200B, "ZERO WIDTH SPACE"},
      {0x200C, "ZERO WIDTH NON-JOINER"},
      {0x200D, "ZERO WIDTH JOINER"},
      {0x200E, "LEFT-TO-RIGHT MARK"},
      {0x200F, "RIGHT-TO-LEFT MARK"},
      {0x2028, "LINE SEPARATOR"},
      {0x2029, "PARAGRAPH SEPARATOR"},
      {0x202A, "LEFT-TO-RIGHT EMBEDDING"},
      {0x202B, "RIGHT-TO-LEFT EMBEDDING"},
      {0x202C, "POP DIRECTIONAL FORMATTING"},
      {0x202D, "LEFT-TO-RIGHT OVERRIDE"},
      {0x202E, "RIGHT-TO-LEFT OVERRIDE"},
      {0x202F, "NARROW NO-BREAK SPACE"},
      {0x205F, "MEDIUM MATHEMATICAL SPACE"},
      {0x2060, "WORD JOINER"},
      {0x3000, "IDEOGRAPHIC SPACE"},
      {0xFEFF, "ZERO WIDTH NO-BREAK SPACE"},
  };
  for (const auto& [cp, name] : kNames) {
    if (cp == c) return name;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, c < 0x10000 ? "U+%04X" : "U+%08X", static_cast<unsigned>(c));
  return buf;
}

// Control, format, separator and private-use characters (email-validator's "unsafe").
bool IsUnsafe(char32_t c) {
  return c < 0xA0 || IsSpace(c) || c == 0x00AD || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
         (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000 || (c & 0xFFFE) == 0xFFFE;
}

// How email-validator shows an offending character: quoted when printable, else its name or
// code point.
std::string Display(char32_t c) {
  if (c == '\\') return "\"\\\"";
  if (c == '\'') return "\"'\"";
  if (c == ' ') return "SPACE";
  if (c < 0x20 || c == 0x7f || (c >= 0x80 && IsUnsafe(c))) return CodePointName(c);
  return "'" + Encode(std::u32string(1, c)) + "'";
}

std::string DisplayList(const std::u32string& s, bool (*allowed)(char32_t)) {
  std::set<std::string> bad;
  for (char32_t c : s) {
    if (!allowed(c)) bad.insert(Display(c));
  }
  std::string out;
  for (const std::string& d : bad) {
    if (!out.empty()) out += ", ";
    out += d;
  }
  return out;
}

std::string LengthReason(std::size_t length, std::size_t limit, bool at_least = false) {
  const std::size_t diff = length - limit;
  return "(" + std::string(at_least ? "at least " : "") + std::to_string(diff) + " character" +
         (diff > 1 ? "s" : "") + " too many)";
}

bool IsDotAtom(const std::u32string& s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!IsAtext(s[i])) {
      return false;
    }
  }
  return true;
}

// Period (and, for host names, hyphen) placement, in email-validator's order.
std::optional<std::string> CheckDotAtom(std::string_view label, std::string_view start_descr,
                                        std::string_view end_descr, bool is_hostname) {
  auto fill = [](std::string_view descr, std::string_view what) {
    std::string out(descr);
    out.replace(out.find("{}"), 2, what);
    return out;
  };
  if (!label.empty() && label.back() == '.') return fill(end_descr, "period");
  if (!label.empty() && label.front() == '.') return fill(start_descr, "period");
  if (label.find("..") != std::string_view::npos) {
    return "An email address cannot have two periods in a row.";
  }
  if (is_hostname) {
    if (!label.empty() && label.back() == '-') return fill(end_descr, "hyphen");
    if (!label.empty() && label.front() == '-') return fill(start_descr, "hyphen");
    if (label.find(".-") != std::string_view::npos || label.find("-.") != std::string_view::npos) {
      return "An email address cannot have a period and a hyphen next to each other.";
    }
  }
  return std::nullopt;
}

std::optional<std::string> CheckLocalPart(std::string_view local) {
  if (local.empty()) return "There must be something before the @-sign.";
  const std::u32string cps = Decode(local);
  if (cps.size() > kMaxLocalLength) {
    return "The email address is too long before the @-sign " +
           LengthReason(cps.size(), kMaxLocalLength) + ".";
  }
  if (IsDotAtom(cps)) return std::nullopt;
  std::string bad = DisplayList(cps, [](char32_t c) { return c == '.' || IsAtext(c); });
  if (!bad.empty()) {
    return "The email address contains invalid characters before the @-sign: " + bad + ".";
  }
  if (auto dots = CheckDotAtom(local, "An email address cannot start with a {}.",
                               "An email address cannot have a {} immediately before the @-sign.",
                               /*is_hostname=*/false)) {
    return dots;
  }
  return "The email address contains invalid characters before the @-sign.";
}

// ---- Punycode (RFC 3492) ----

constexpr std::uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
constexpr std::uint32_t kInitialBias = 72, kInitialN = 128;

std::uint32_t Adapt(std::uint32_t delta, std::uint32_t num_points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / num_points;
  std::uint32_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

char EncodeDigit(std::uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); }

std::uint32_t Threshold(std::uint32_t k, std::uint32_t bias) {
  if (k <= bias) return kTMin;
  if (k >= bias + kTMax) return kTMax;
  return k - bias;
}

// The Punycode form of `input` (without the "xn--" prefix), or nullopt on overflow.
std::optional<std::string> PunycodeEncode(const std::u32string& input) {
  std::string out;
  for (char32_t c : input) {
    if (c < 0x80) out.push_back(static_cast<char>(c));
  }
  const std::uint32_t basic = static_cast<std::uint32_t>(out.size());
  std::uint32_t handled = basic;
  if (basic > 0) out.push_back('-');
  std::uint32_t n = kInitialN, delta = 0, bias = kInitialBias;
  while (handled < input.size()) {
    std::uint32_t m = UINT32_MAX;
    for (char32_t c : input) {
      if (c >= n && c < m) m = c;
    }
    if ((m - n) > (UINT32_MAX - delta) / (handled + 1)) return std::nullopt;
    delta += (m - n) * (handled + 1);
    n = m;
    for (char32_t c : input) {
      if (c < n && ++delta == 0) return std::nullopt;
      if (c != n) continue;
      std::uint32_t q = delta;
      for (std::uint32_t k = kBase;; k += kBase) {
        const std::uint32_t t = Threshold(k, bias);
        if (q < t) break;
        out.push_back(EncodeDigit(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
      }
      out.push_back(EncodeDigit(q));
      bias = Adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return out;
}

// Whether `encoded` (without "xn--") is well-formed Punycode.
bool PunycodeDecodes(std::string_view encoded) {
  std::u32string out;
  std::size_t start = 0;
  if (std::size_t dash = encoded.rfind('-'); dash != std::string_view::npos) {
    for (std::size_t i = 0; i < dash; ++i) out.push_back(static_cast<unsigned char>(encoded[i]));
    start = dash + 1;
  }
  std::uint32_t n = kInitialN, i = 0, bias = kInitialBias;
  std::size_t pos = start;
  while (pos < encoded.size()) {
    const std::uint32_t old_i = i;
    std::uint32_t w = 1;
    for (std::uint32_t k = kBase;; k += kBase) {
      if (pos >= encoded.size()) return false;
      const char c = encoded[pos++];
      std::uint32_t digit;
      if (c >= 'a' && c <= 'z') {
        digit = static_cast<std::uint32_t>(c - 'a');
      } else if (c >= 'A' && c <= 'Z') {
        digit = static_cast<std::uint32_t>(c - 'A');
      } else if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0') + 26;
      } else {
        return false;
      }
      if (digit > (UINT32_MAX - i) / w) return false;
      i += digit * w;
      const std::uint32_t t = Threshold(k, bias);
      if (digit < t) break;
      if (w > UINT32_MAX / (kBase - t)) return false;
      w *= kBase - t;
    }
    const std::uint32_t count = static_cast<std::uint32_t>(out.size()) + 1;
    bias = Adapt(i - old_i, count, old_i == 0);
    if (i / count > 0x10FFFF - n) return false;
    n += i / count;
    i %= count;
    if (n < 0x80 || (n >= 0xD800 && n <= 0xDFFF)) return false;
    out.insert(out.begin() + i, static_cast<char32_t>(n));
    ++i;
  }
  return !out.empty();
}

// ---- Domain ----

bool IsCombiningMark(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F);
}

std::optional<std::string> CheckIpLiteral(std::string_view inner) {
  const bool dotted =
      !inner.empty() && inner.find_first_not_of("0123456789.") == std::string_view::npos;
  if (dotted) {
    const std::string quoted = "'" + std::string(inner) + "'";
    std::vector<std::string_view> octets = Split(inner, '.');
    std::string problem;
    if (octets.size() != 4) {
      problem = "Expected 4 octets in " + quoted;
    } else {
      for (std::string_view o : octets) {
        std::int64_t v = 0;
        if (o.empty()) {
          problem = "Empty octet not permitted in " + quoted;
        } else if (o.size() > 3) {
          problem = "At most 3 characters permitted in '" + std::string(o) + "' in " + quoted;
        } else if (ParseInt64(o, &v) && v > 255) {
          problem = "Octet " + std::to_string(v) + " (> 255) not permitted in " + quoted;
        } else if (o.size() > 1 && o.front() == '0') {
          problem = "Leading zeros are not permitted in '" + std::string(o) + "' in " + quoted;
        }
        if (!problem.empty()) break;
      }
    }
    if (!problem.empty()) {
      return "The address in brackets after the @-sign is not valid: It is not an IPv4 address (" +
             problem + ") or is missing an address literal tag.";
    }
    return "A bracketed IPv4 address after the @-sign is not allowed here.";
  }
  if (inner.substr(0, 5) == "IPv6:") {
    return "A bracketed IPv6 address after the @-sign is not allowed here.";
  }
  if (inner.find(':') == std::string_view::npos) {
    return "The part after the @-sign in brackets is not an IPv4 address and has no address "
           "literal tag.";
  }
  return "The part after the @-sign contains an invalid address literal tag in brackets.";
}

struct Domain {
  std::string unicode;  // normalised (lower-cased) form, returned to the caller
  std::string ascii;    // IDNA form, for the length checks
};

// Validates the domain; on success `*out` holds its normalised and ASCII forms.
std::optional<std::string> CheckDomain(std::string_view domain, Domain* out) {
  if (domain.empty()) return "There must be something after the @-sign.";
  if (domain.front() == '[' && domain.back() == ']' && domain.size() >= 2) {
    return CheckIpLiteral(domain.substr(1, domain.size() - 2));
  }
  std::u32string cps = Decode(domain);
  std::string bad = DisplayList(cps, [](char32_t c) { return c >= 0x80 || c == '.' || IsLdh(c); });
  if (!bad.empty()) {
    return "The part after the @-sign contains invalid characters: " + bad + ".";
  }
  std::set<char32_t> unsafe;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (cps[i] >= 0x80 && (IsUnsafe(cps[i]) || (i == 0 && IsCombiningMark(cps[i])))) {
      unsafe.insert(cps[i]);
    }
  }
  if (!unsafe.empty()) {
    std::string list;
    for (char32_t c : unsafe) list += (list.empty() ? "" : ", ") + Display(c);
    return "The email address contains unsafe characters: " + list + ".";
  }
  // UTS-46 mapping, as far as it matters here: ideographic and full-width full stops are
  // label separators; letters are lower-cased.
  for (char32_t& c : cps) {
    if (c == 0x3002 || c == 0xFF0E || c == 0xFF61) c = '.';
    if (c >= 'A' && c <= 'Z') {
      c = c - 'A' + 'a';
    } else if (c >= 0x80) {
      c = ToLower(c);
    }
  }
  const std::string mapped = Encode(cps);
  if (auto dots =
          CheckDotAtom(mapped, "An email address cannot have a {} immediately after the @-sign.",
                       "An email address cannot end with a {}.", /*is_hostname=*/true)) {
    return dots;
  }
  for (std::string_view label : Split(mapped, '.')) {
    if (label.size() >= 4 && label.substr(2, 2) == "--" && label.substr(0, 2) != "xn") {
      return "An email address cannot have two letters followed by two dashes immediately after "
             "the @-sign or after a period, except Punycode.";
    }
  }

  std::string ascii;
  for (std::string_view label : Split(mapped, '.')) {
    if (!ascii.empty()) ascii.push_back('.');
    const std::u32string label_cps = Decode(label);
    bool plain = true;
    for (std::size_t i = 0; i < label_cps.size(); ++i) {
      const char32_t c = label_cps[i];
      if (c < 0x80) continue;
      plain = false;
      if (!IsLetter(c) && !IsNumber(c) && !IsCombiningMark(c)) {
        return "The part after the @-sign contains invalid characters (Codepoint " +
               CodePointName(c) + " at position " + std::to_string(i + 1) + " of '" +
               std::string(label) + "' not allowed).";
      }
    }
    if (plain) {
      ascii += label;
      continue;
    }
    std::optional<std::string> encoded = PunycodeEncode(label_cps);
    if (!encoded || encoded->size() + 4 > kMaxLabelLength) {
      return "The part after the @-sign contains invalid characters (Label too long).";
    }
    ascii += "xn--" + *encoded;
  }
  if (ascii != mapped && ascii.size() > kMaxIdnaDomainLength) {
    return "The email address is too long after the @-sign.";
  }
  if (ascii.size() > kMaxDomainLength) {
    return "The email address is too long after the @-sign " +
           LengthReason(ascii.size(), kMaxDomainLength) + ".";
  }
  for (std::string_view label : Split(ascii, '.')) {
    if (label.size() > kMaxLabelLength) {
      return "After the @-sign, periods cannot be separated by so many characters " +
             LengthReason(label.size(), kMaxLabelLength) + ".";
    }
  }
  if (ascii.find('.') == std::string::npos) {
    return "The part after the @-sign is not valid. It should have a period.";
  }
  const char last = ascii.back();
  if (!((last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z'))) {
    return "The part after the @-sign is not valid. It is not within a valid top-level domain.";
  }
  const std::string_view tld = std::string_view(ascii).substr(ascii.rfind('.') + 1);
  for (std::string_view special : kSpecialUseNames) {
    if (tld == special) {
      return "The part after the @-sign is a special-use or reserved name that cannot be used "
             "with email.";
    }
  }
  for (std::string_view label : Split(ascii, '.')) {
    if (label.substr(0, 4) == "xn--" && !PunycodeDecodes(label.substr(4))) {
      return "The part after the @-sign is not valid IDNA (Invalid A-label).";
    }
  }
  out->unicode = mapped;
  out->ascii = std::move(ascii);
  return std::nullopt;
}

std::optional<std::string> CheckLength(std::string_view local, const Domain& domain) {
  const std::string ascii = std::string(local) + "@" + domain.ascii;
  const std::string normalized = std::string(local) + "@" + domain.unicode;
  const std::size_t chars = Utf8Length(normalized);
  if (ascii.size() > kMaxAddressLength) {
    std::string reason;
    if (ascii == normalized) {
      reason = LengthReason(ascii.size(), kMaxAddressLength);
    } else if (chars > kMaxAddressLength) {
      reason = LengthReason(chars, kMaxAddressLength, /*at_least=*/true);
    } else {
      reason = "(when converted to IDNA ASCII)";
    }
    return "The email address is too long " + reason + ".";
  }
  if (normalized.size() > kMaxAddressLength) {
    return "The email address is too long " +
           (chars > kMaxAddressLength ? LengthReason(chars, kMaxAddressLength, true)
                                      : std::string("(when encoded in bytes)")) +
           ".";
  }
  return std::nullopt;
}

Status Invalid(std::string_view reason) {
  return errors::ValueError("email", "value is not a valid email address: " + std::string(reason));
}

}  // namespace

Result<std::string> ValidateEmail(std::string_view email) {
  if (!IsValidUtf8(email)) return Invalid("The email address contains an invalid character.");
  if (Utf8Length(email) > kMaxInputLength) {
    return Invalid("Length must not exceed " + std::to_string(kMaxInputLength) + " characters");
  }
  const std::size_t at = email.rfind('@');
  if (at == std::string_view::npos) return Invalid("An email address must have an @-sign.");
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  if (auto reason = CheckLocalPart(local)) return Invalid(*reason);
  Domain normalized;
  if (auto reason = CheckDomain(domain, &normalized)) return Invalid(*reason);
  if (auto reason = CheckLength(local, normalized)) return Invalid(*reason);
  return std::string(local) + "@" + normalized.unicode;
}

}  // namespace codex::auth
