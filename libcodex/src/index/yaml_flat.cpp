// The fast path of ParseYaml: a flat block mapping of one-line entries and lists of scalars, the
// usual frontmatter.
// yaml-cpp's scanner costs ~60 µs for an 11-key frontmatter; this takes ~2 µs. Anything outside
// the subset (or anything that would be an error) returns false and goes to yaml-cpp.
#include <string>
#include <string_view>

#include "common/strings.hpp"
#include "index/yaml_scalar.hpp"

namespace codex::index::yaml_detail {
namespace {

constexpr std::size_t kMaxFlatEntries = 1000;
constexpr std::size_t kMaxFlatKey = 1000;
constexpr std::size_t npos = std::string_view::npos;

// Bytes left to yaml-cpp: control characters (tab and CR included), DEL, C1 controls, U+2028,
// U+2029, BOM, U+FFFE/FFFF, and invalid UTF-8.
bool OrdinaryBytes(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char c = p[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n') || c == 0x7F) return false;
      continue;
    }
    if (i + 1 < n && c == 0xC2 && p[i + 1] <= 0x9F) return false;
    if (i + 2 < n && c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
      return false;
    }
    if (i + 2 < n && c == 0xEF &&
        ((p[i + 1] == 0xBB && p[i + 2] == 0xBF) ||
         (p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF)))) {
      return false;
    }
  }
  return IsValidUtf8(s);
}

bool StartsWithIndicator(std::string_view v) {
  constexpr std::string_view kIndicators = " ?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(v[0]) != npos) return true;
  if (v[0] == '-') return v.size() == 1 || v[1] == ' ' || v.substr(0, 3) == "---";
  return v.substr(0, 3) == "...";
}

// A plain scalar this path reads exactly like yaml-cpp: no indicator first, no ": " or " #",
// no ':' at the end, no white space at either end; in a flow sequence no indicator at all.
bool SafePlain(std::string_view v, bool in_flow) {
  if (v.empty() || StartsWithIndicator(v)) return false;
  if (v.back() == ':' || v.back() == ' ') return false;
  if (v.find(": ") != npos || v.find(" #") != npos) return false;
  return !in_flow || v.find_first_of(",[]{}:?#&*!|>%@`") == npos;
}

bool Resolve(std::string_view plain, Json* out) {
  return ConstructPlain(ClassifyPlain(plain), plain, out);
}

std::string_view TrimSpaces(std::string_view s) {
  std::size_t b = s.find_first_not_of(' ');
  if (b == npos) return {};
  std::size_t e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

// What may follow a quoted or flow value: nothing, or spaces and a comment.
bool OnlyCommentLeft(std::string_view rest) {
  std::size_t i = rest.find_first_not_of(' ');
  return i == npos || (i > 0 && rest[i] == '#');
}

bool ParseValue(std::string_view v, Json* out) {
  if (v.empty()) {
    *out = Json();
    return true;
  }
  switch (v[0]) {
    case '"': {
      std::size_t close = v.find('"', 1);
      if (close == npos) return false;
      std::string_view body = v.substr(1, close - 1);
      if (body.find('\\') != npos || !OnlyCommentLeft(v.substr(close + 1))) return false;
      *out = Json(body);
      return true;
    }
    case '\'': {
      std::string body;
      std::size_t i = 1;
      while (true) {
        if (i >= v.size()) return false;
        if (v[i] == '\'') {
          if (i + 1 < v.size() && v[i + 1] == '\'') {
            body.push_back('\'');
            i += 2;
            continue;
          }
          break;
        }
        body.push_back(v[i++]);
      }
      if (!OnlyCommentLeft(v.substr(i + 1))) return false;
      *out = Json(std::move(body));
      return true;
    }
    case '[': {
      std::size_t close = v.find(']');
      if (close == npos) return false;
      std::string_view inner = v.substr(1, close - 1);
      if (inner.find_first_of("[{}\"'#") != npos || !OnlyCommentLeft(v.substr(close + 1))) {
        return false;
      }
      Json::Array items;
      if (TrimSpaces(inner).empty()) {
        *out = Json(std::move(items));
        return true;
      }
      std::size_t start = 0;
      while (true) {
        std::size_t comma = inner.find(',', start);
        std::string_view item =
            TrimSpaces(inner.substr(start, comma == npos ? npos : comma - start));
        Json value;
        if (!SafePlain(item, true) || !Resolve(item, &value)) return false;
        items.push_back(std::move(value));
        if (comma == npos) break;
        start = comma + 1;
      }
      *out = Json(std::move(items));
      return true;
    }
    default: {
      std::string_view plain = TrimSpaces(v.substr(0, v.find(" #")));
      return SafePlain(plain, false) && Resolve(plain, out);
    }
  }
}

}  // namespace

bool ParseFlatMapping(std::string_view text, Json* out) {
  if (!OrdinaryBytes(text)) return false;
  Json::Object object;
  std::size_t entries = 0;
  // A key with no value on its line: null, or the block sequence of scalars that follows
  // ("key:\n- a\n- b", the writer's style, or indented "key:\n  - a").
  std::string pending_key;
  bool pending = false;
  Json::Array items;
  std::size_t item_indent = npos;
  auto commit = [&] {
    if (!pending) return;
    object.set(std::move(pending_key), items.empty() ? Json() : Json(std::move(items)));
    pending = false;
    items = Json::Array();
    item_indent = npos;
  };
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    if (line.empty() || line[0] == '#') continue;
    if (++entries > kMaxFlatEntries) return false;
    if (pending) {
      std::size_t indent = line.find_first_not_of(' ');
      if (indent != npos && line.compare(indent, 2, "- ") == 0) {
        if (item_indent == npos) item_indent = indent;
        std::string_view item_text = TrimSpaces(line.substr(indent + 2));
        Json item;
        if (indent != item_indent || item_text.empty() || item_text[0] == '[' ||
            !ParseValue(item_text, &item)) {
          return false;
        }
        items.push_back(std::move(item));
        continue;
      }
      commit();
    }
    if (StartsWithIndicator(line) || line[0] == '-') return false;
    // key ':' (space or end of line) value
    std::size_t colon = line.find(':');
    if (colon == npos || (colon + 1 < line.size() && line[colon + 1] != ' ')) return false;
    std::string_view key_text = line.substr(0, colon);
    if (key_text.size() > kMaxFlatKey || !SafePlain(key_text, false) || key_text == "<<" ||
        key_text.find_first_of(",[]{}") != npos) {
      return false;
    }
    Json key;
    if (!Resolve(key_text, &key)) return false;
    std::string_view value_text = TrimSpaces(line.substr(colon + 1));
    if (value_text.empty()) {
      pending_key = KeyText(key);
      pending = true;
      continue;
    }
    Json value;
    if (!ParseValue(value_text, &value)) return false;
    object.set(KeyText(key), std::move(value));
  }
  commit();
  *out = entries == 0 ? Json() : Json(std::move(object));
  return true;
}

}  // namespace codex::index::yaml_detail
