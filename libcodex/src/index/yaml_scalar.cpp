#include "index/yaml_scalar.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <vector>

#include "common/number.hpp"

namespace codex::index::yaml_detail {
namespace {

constexpr bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool IsDigitOrUnderscore(char c) noexcept { return IsDigit(c) || c == '_'; }
constexpr bool IsHexOrUnderscore(char c) noexcept {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_';
}
constexpr bool IsSign(char c) noexcept { return c == '+' || c == '-'; }

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> options) noexcept {
  for (std::string_view o : options) {
    if (s == o) return true;
  }
  return false;
}

bool IsNullText(std::string_view s) noexcept {
  return s.empty() || IsOneOf(s, {"~", "null", "Null", "NULL"});
}

bool IsBoolText(std::string_view s) noexcept {
  return IsOneOf(s, {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false",
                     "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"});
}

// (:[0-5]?[0-9])+ starting at s[*pos]; advances *pos past the groups.
bool MatchSexagesimalGroups(std::string_view s, std::size_t* pos) noexcept {
  std::size_t p = *pos;
  int groups = 0;
  while (p < s.size() && s[p] == ':') {
    ++p;
    if (p >= s.size() || !IsDigit(s[p])) return false;
    if (p + 1 < s.size() && IsDigit(s[p + 1]) && s[p] <= '5') {
      p += 2;
    } else {
      p += 1;
    }
    ++groups;
  }
  *pos = p;
  return groups > 0;
}

bool MatchInt(std::string_view s) noexcept {
  std::size_t i = (!s.empty() && IsSign(s[0])) ? 1 : 0;
  std::string_view r = s.substr(i);
  if (r.empty()) return false;
  auto all = [](std::string_view t, auto pred) {
    for (char c : t) {
      if (!pred(c)) return false;
    }
    return true;
  };
  if (r.size() >= 2 && r[0] == '0' && r[1] == 'b') {
    return r.size() > 2 &&
           all(r.substr(2), [](char c) { return c == '0' || c == '1' || c == '_'; });
  }
  if (r.size() >= 2 && r[0] == '0' && r[1] == 'x') {
    return r.size() > 2 && all(r.substr(2), IsHexOrUnderscore);
  }
  if (r[0] == '0') {
    return r.size() == 1 ||
           all(r.substr(1), [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
  }
  if (r[0] < '1' || r[0] > '9') return false;
  std::size_t p = 1;
  while (p < r.size() && IsDigitOrUnderscore(r[p])) ++p;
  if (p == r.size()) return true;
  return MatchSexagesimalGroups(r, &p) && p == r.size();
}

bool MatchFloat(std::string_view s) noexcept {
  if (IsOneOf(s, {".nan", ".NaN", ".NAN"})) return true;
  std::size_t i = (!s.empty() && IsSign(s[0])) ? 1 : 0;
  std::string_view r = s.substr(i);
  if (r.empty()) return false;
  if (IsOneOf(r, {".inf", ".Inf", ".INF"})) return true;
  // [0-9][0-9_]* prefix (optional for the first form, required for base 60).
  std::size_t p = 0;
  bool leading_digits = false;
  if (IsDigit(r[0])) {
    leading_digits = true;
    p = 1;
    while (p < r.size() && IsDigitOrUnderscore(r[p])) ++p;
  }
  if (p < r.size() && r[p] == ':') {
    // [0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
    if (!leading_digits || !MatchSexagesimalGroups(r, &p)) return false;
    if (p >= r.size() || r[p] != '.') return false;
    ++p;
    while (p < r.size() && IsDigitOrUnderscore(r[p])) ++p;
    return p == r.size();
  }
  // ([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?
  if (p >= r.size() || r[p] != '.') return false;
  ++p;
  while (p < r.size() && IsDigitOrUnderscore(r[p])) ++p;
  if (p == r.size()) return true;
  if (r[p] != 'e' && r[p] != 'E') return false;
  ++p;
  if (p >= r.size() || !IsSign(r[p])) return false;
  ++p;
  std::size_t digits_start = p;
  while (p < r.size() && IsDigit(r[p])) ++p;
  return p > digits_start && p == r.size();
}

struct Timestamp {
  int year = 0, month = 0, day = 0;
  bool has_time = false;
  int hour = 0, minute = 0, second = 0, micro = 0;
  bool has_zone = false;
  int zone_minutes = 0;  // signed offset
};

// Reads 1..max_digits digits (greedy) at s[*pos].
bool ReadDigits(std::string_view s, std::size_t* pos, int min_digits, int max_digits, int* value) {
  int n = 0;
  int v = 0;
  std::size_t p = *pos;
  while (p < s.size() && n < max_digits && IsDigit(s[p])) {
    v = v * 10 + (s[p] - '0');
    ++p;
    ++n;
  }
  if (n < min_digits) return false;
  *pos = p;
  *value = v;
  return true;
}

bool Expect(std::string_view s, std::size_t* pos, char c) noexcept {
  if (*pos < s.size() && s[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

// The §6.3 timestamp patterns; fills *ts with the fields as written.
bool MatchTimestamp(std::string_view s, Timestamp* ts) {
  if (s.size() < 8) return false;
  std::size_t p = 0;
  if (!ReadDigits(s, &p, 4, 4, &ts->year) || !Expect(s, &p, '-')) return false;
  if (s.size() == 10 && IsDigit(s[5]) && IsDigit(s[6]) && s[7] == '-' && IsDigit(s[8]) &&
      IsDigit(s[9])) {
    ts->month = (s[5] - '0') * 10 + (s[6] - '0');
    ts->day = (s[8] - '0') * 10 + (s[9] - '0');
    return true;
  }
  if (!ReadDigits(s, &p, 1, 2, &ts->month) || !Expect(s, &p, '-') ||
      !ReadDigits(s, &p, 1, 2, &ts->day)) {
    return false;
  }
  if (p < s.size() && (s[p] == 'T' || s[p] == 't')) {
    ++p;
  } else {
    std::size_t start = p;
    while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
    if (p == start) return false;
  }
  if (!ReadDigits(s, &p, 1, 2, &ts->hour) || !Expect(s, &p, ':') ||
      !ReadDigits(s, &p, 2, 2, &ts->minute) || !Expect(s, &p, ':') ||
      !ReadDigits(s, &p, 2, 2, &ts->second)) {
    return false;
  }
  ts->has_time = true;
  if (p < s.size() && s[p] == '.') {
    ++p;
    int n = 0;
    int micro = 0;
    while (p < s.size() && IsDigit(s[p])) {
      if (n < 6) micro = micro * 10 + (s[p] - '0');
      ++n;
      ++p;
    }
    for (int k = n; k < 6; ++k) micro *= 10;
    ts->micro = micro;
  }
  if (p == s.size()) return true;
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  if (p >= s.size()) return false;
  ts->has_zone = true;
  if (s[p] == 'Z') {
    ts->zone_minutes = 0;
    return p + 1 == s.size();
  }
  if (!IsSign(s[p])) return false;
  bool negative = s[p] == '-';
  ++p;
  int hours = 0;
  int minutes = 0;
  if (!ReadDigits(s, &p, 1, 2, &hours)) return false;
  if (p < s.size()) {
    if (!Expect(s, &p, ':') || !ReadDigits(s, &p, 2, 2, &minutes)) return false;
  }
  if (p != s.size()) return false;
  ts->zone_minutes = (negative ? -1 : 1) * (hours * 60 + minutes);
  return true;
}

int DaysInMonth(int year, int month) noexcept {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Python's date/datetime/timezone range checks, then isoformat().
bool FormatTimestamp(const Timestamp& ts, Json* out) {
  if (ts.year < 1 || ts.month < 1 || ts.month > 12 || ts.day < 1 ||
      ts.day > DaysInMonth(ts.year, ts.month)) {
    return false;
  }
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ts.year, ts.month, ts.day);
  std::string text(buf, static_cast<std::size_t>(n));
  if (ts.has_time) {
    if (ts.hour > 23 || ts.minute > 59 || ts.second > 59) return false;
    n = std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", ts.hour, ts.minute, ts.second);
    text.append(buf, static_cast<std::size_t>(n));
    if (ts.micro != 0) {
      n = std::snprintf(buf, sizeof buf, ".%06d", ts.micro);
      text.append(buf, static_cast<std::size_t>(n));
    }
    if (ts.has_zone) {
      int total = ts.zone_minutes < 0 ? -ts.zone_minutes : ts.zone_minutes;
      if (total >= 24 * 60) return false;
      n = std::snprintf(buf, sizeof buf, "%c%02d:%02d", ts.zone_minutes < 0 ? '-' : '+', total / 60,
                        total % 60);
      text.append(buf, static_cast<std::size_t>(n));
    }
  }
  *out = Json(std::move(text));
  return true;
}

// Magnitude accumulator: exact in 64 bits, long double past that (Python ints are unbounded).
struct Magnitude {
  std::uint64_t exact = 0;
  long double approx = 0;
  bool overflow = false;

  void MulAdd(unsigned base, unsigned digit) noexcept {
    if (!overflow) {
      std::uint64_t next;
      if (!__builtin_mul_overflow(exact, base, &next) &&
          !__builtin_add_overflow(next, digit, &next)) {
        exact = next;
        return;
      }
      overflow = true;
      approx = static_cast<long double>(exact);
    }
    approx = approx * base + digit;
  }
};

Json SignedInt(const Magnitude& m, bool negative) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!m.overflow) {
    if (!negative && m.exact <= kMax) return Json(static_cast<std::int64_t>(m.exact));
    if (negative && m.exact <= kMax) return Json(-static_cast<std::int64_t>(m.exact));
    if (negative && m.exact == kMax + 1) return Json(std::numeric_limits<std::int64_t>::min());
  }
  long double v = m.overflow ? m.approx : static_cast<long double>(m.exact);
  return Json(static_cast<double>(negative ? -v : v));
}

std::vector<std::string_view> SplitColons(std::string_view v) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t colon = v.find(':', start);
    if (colon == std::string_view::npos) {
      parts.push_back(v.substr(start));
      return parts;
    }
    parts.push_back(v.substr(start, colon - start));
    start = colon + 1;
  }
}

int DigitValue(char c) noexcept {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// PyYAML's construct_yaml_int.
bool ConstructInt(std::string_view text, Json* out) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c != '_') clean.push_back(c);
  }
  bool negative = false;
  std::string_view v = clean;
  if (!v.empty() && IsSign(v[0])) {
    negative = v[0] == '-';
    v.remove_prefix(1);
  }
  if (v.empty()) return false;
  if (v == "0") {
    *out = Json(0);
    return true;
  }
  Magnitude m;
  if (v[0] != '0' && v.find(':') != std::string_view::npos) {
    // Base 60: Horner over the ':'-separated decimal parts.
    Magnitude total;
    bool first = true;
    for (std::string_view part : SplitColons(v)) {
      if (part.empty()) return false;
      if (first) {
        for (char c : part) {
          if (!IsDigit(c)) return false;
          total.MulAdd(10, static_cast<unsigned>(c - '0'));
        }
        first = false;
        continue;
      }
      unsigned p = 0;
      for (char c : part) {
        if (!IsDigit(c) || p > 100) return false;
        p = p * 10 + static_cast<unsigned>(c - '0');
      }
      total.MulAdd(60, p);
    }
    *out = SignedInt(total, negative);
    return true;
  }
  unsigned base = 10;
  std::string_view digits = v;
  if (v.size() >= 2 && v[0] == '0' && v[1] == 'b') {
    base = 2;
    digits = v.substr(2);
  } else if (v.size() >= 2 && v[0] == '0' && v[1] == 'x') {
    base = 16;
    digits = v.substr(2);
  } else if (v[0] == '0') {
    base = 8;
  }
  if (digits.empty()) return false;
  for (char c : digits) {
    int d = DigitValue(c);
    if (d >= static_cast<int>(base)) return false;
    m.MulAdd(base, static_cast<unsigned>(d));
  }
  *out = SignedInt(m, negative);
  return true;
}

// Parses a decimal float the way Python's float() does for the forms YAML can give it.
bool ParseDecimalDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  std::string_view body = s;
  bool negative = false;
  if (IsSign(body[0])) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty() || IsSign(body[0])) return false;
  double value = 0;
  auto [ptr, ec] =
      std::from_chars(body.data(), body.data() + body.size(), value, std::chars_format::general);
  if (ptr != body.data() + body.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    std::size_t e = body.find_first_of("eE");
    bool tiny = e != std::string_view::npos && e + 1 < body.size() && body[e + 1] == '-';
    value = tiny ? 0.0 : std::numeric_limits<double>::infinity();
  } else if (ec != std::errc()) {
    return false;
  }
  *out = negative ? -value : value;
  return true;
}

Json SanitisedDouble(double v) {
  if (std::isnan(v)) return Json(".nan");
  if (std::isinf(v)) return Json(v < 0 ? "-.inf" : ".inf");
  return Json(v);
}

// PyYAML's construct_yaml_float, then §6.1 step 7 for .inf/.nan.
bool ConstructFloat(std::string_view text, Json* out) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c == '_') continue;
    clean.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  }
  double sign = 1;
  std::string_view v = clean;
  if (!v.empty() && IsSign(v[0])) {
    if (v[0] == '-') sign = -1;
    v.remove_prefix(1);
  }
  if (v == ".inf") {
    *out = SanitisedDouble(sign * std::numeric_limits<double>::infinity());
    return true;
  }
  if (v == ".nan") {
    *out = Json(".nan");
    return true;
  }
  if (v.find(':') != std::string_view::npos) {
    // digits reversed, base = 1, value += digit * base, base *= 60 (as PyYAML).
    std::vector<std::string_view> parts = SplitColons(v);
    double value = 0;
    double base = 1;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      double part = 0;
      if (!ParseDecimalDouble(*it, &part)) return false;
      value += part * base;
      base *= 60;
    }
    *out = SanitisedDouble(sign * value);
    return true;
  }
  double value = 0;
  if (!ParseDecimalDouble(v, &value)) return false;
  *out = SanitisedDouble(sign * value);
  return true;
}

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(unsigned char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

PlainKind ClassifyPlain(std::string_view s) noexcept {
  if (s.empty()) return PlainKind::kNull;
  switch (s[0]) {
    case '~':
      return s.size() == 1 ? PlainKind::kNull : PlainKind::kString;
    case 'n':
    case 'N':
      if (IsNullText(s)) return PlainKind::kNull;
      return IsBoolText(s) ? PlainKind::kBool : PlainKind::kString;
    case 't':
    case 'T':
    case 'f':
    case 'F':
    case 'y':
    case 'Y':
    case 'o':
    case 'O':
      return IsBoolText(s) ? PlainKind::kBool : PlainKind::kString;
    case '+':
    case '-':
    case '.':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': {
      if (MatchInt(s)) return PlainKind::kInt;
      if (MatchFloat(s)) return PlainKind::kFloat;
      Timestamp ts;
      if (IsDigit(s[0]) && MatchTimestamp(s, &ts)) return PlainKind::kTimestamp;
      return PlainKind::kString;
    }
    default:
      return PlainKind::kString;
  }
}

bool ConstructPlain(PlainKind kind, std::string_view text, Json* out) {
  switch (kind) {
    case PlainKind::kNull:
      *out = Json();
      return true;
    case PlainKind::kBool:
      return ConstructTaggedBool(text, out);
    case PlainKind::kInt:
      return ConstructInt(text, out);
    case PlainKind::kFloat:
      return ConstructFloat(text, out);
    case PlainKind::kTimestamp:
      return ConstructTaggedTimestamp(text, out);
    case PlainKind::kString:
      *out = Json(text);
      return true;
  }
  return false;
}

bool ConstructTaggedInt(std::string_view text, Json* out) {
  return MatchInt(text) && ConstructInt(text, out);
}

bool ConstructTaggedFloat(std::string_view text, Json* out) { return ConstructFloat(text, out); }

bool ConstructTaggedBool(std::string_view text, Json* out) {
  if (text.size() > 5) return false;
  char lower[6] = {};
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  std::string_view l(lower, text.size());
  if (l == "yes" || l == "true" || l == "on") {
    *out = Json(true);
    return true;
  }
  if (l == "no" || l == "false" || l == "off") {
    *out = Json(false);
    return true;
  }
  return false;
}

bool ConstructTaggedTimestamp(std::string_view text, Json* out) {
  Timestamp ts;
  return MatchTimestamp(text, &ts) && FormatTimestamp(ts, out);
}

std::string KeyText(const Json& key) {
  switch (key.type()) {
    case Json::Type::kString:
      return key.as_string();
    case Json::Type::kNull:
      return "null";
    case Json::Type::kBool:
      return key.as_bool() ? "true" : "false";
    case Json::Type::kInt:
      return FormatInt(key.as_int());
    case Json::Type::kDouble:
      return FormatDouble(key.as_double());
    case Json::Type::kArray:
    case Json::Type::kObject:
      break;  // refused by the parsers: a sequence or mapping cannot be a key
  }
  return {};
}

bool CanonicalBase64(std::string_view text, std::string* out) {
  // binascii.a2b_base64 in its default (non-strict) mode.
  std::string bytes;
  int quad_pos = 0;
  int pads = 0;
  unsigned left = 0;
  bool done = false;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '=') {
      if (quad_pos >= 2 && quad_pos + ++pads >= 4) {
        done = true;
        break;
      }
      continue;
    }
    int v = Base64Value(c);
    if (v < 0) continue;
    auto u = static_cast<unsigned>(v);
    switch (quad_pos) {
      case 0:
        quad_pos = 1;
        left = u;
        break;
      case 1:
        quad_pos = 2;
        bytes.push_back(static_cast<char>(((left << 2) | (u >> 4)) & 0xFF));
        left = u & 0x0F;
        break;
      case 2:
        quad_pos = 3;
        bytes.push_back(static_cast<char>(((left << 4) | (u >> 2)) & 0xFF));
        left = u & 0x03;
        break;
      default:
        quad_pos = 0;
        bytes.push_back(static_cast<char>(((left << 6) | u) & 0xFF));
        left = 0;
        break;
    }
  }
  if (!done && quad_pos != 0) return false;
  // b64encode
  std::string enc;
  enc.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned n = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    enc.push_back(kBase64Alphabet[(n >> 18) & 63]);
    enc.push_back(kBase64Alphabet[(n >> 12) & 63]);
    enc.push_back(kBase64Alphabet[(n >> 6) & 63]);
    enc.push_back(kBase64Alphabet[n & 63]);
  }
  if (bytes.size() - i == 1) {
    unsigned n = b(i) << 16;
    enc.push_back(kBase64Alphabet[(n >> 18) & 63]);
    enc.push_back(kBase64Alphabet[(n >> 12) & 63]);
    enc += "==";
  } else if (bytes.size() - i == 2) {
    unsigned n = (b(i) << 16) | (b(i + 1) << 8);
    enc.push_back(kBase64Alphabet[(n >> 18) & 63]);
    enc.push_back(kBase64Alphabet[(n >> 12) & 63]);
    enc.push_back(kBase64Alphabet[(n >> 6) & 63]);
    enc += "=";
  }
  *out = std::move(enc);
  return true;
}

}  // namespace codex::index::yaml_detail
