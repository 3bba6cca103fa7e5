#include "index/tags.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "common/number.hpp"
#include "common/strings.hpp"
#include "index/markdown_scan.hpp"

namespace codex::index {
namespace {

constexpr std::size_t kMaxTagLength = 100;

bool IsAsciiSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsAsciiAlnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Whether the character before s[i] lets a '#' at s[i] start a tag.
bool TagMayStartAfter(std::string_view s, std::size_t i) {
  if (i == 0) return true;
  char p = s[i - 1];
  if (p == '(' || p == '[' || p == ',' || IsAsciiSpace(p)) return true;
  if (static_cast<unsigned char>(p) < 0x80) return false;
  std::size_t start = i - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  std::size_t pos = start;
  return IsSpace(DecodeUtf8(s, &pos));
}

// The maximal run of letters, numbers, '_', '-', '/' starting at s[i]; returns its end.
std::size_t TagBodyEnd(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    char c = s[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (IsAsciiAlnum(c) || c == '_' || c == '-' || c == '/') {
        ++i;
        continue;
      }
      break;
    }
    std::size_t next = i;
    char32_t cp = DecodeUtf8(s, &next);
    if (!IsLetter(cp) && !IsNumber(cp)) break;
    i = next;
  }
  return i;
}

bool HasNonDigit(std::string_view body) {
  std::size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (c < '0' || c > '9') return true;
      ++i;
      continue;
    }
    if (!IsNumber(DecodeUtf8(body, &i))) return true;
  }
  return false;
}

// Backtick runs of one text, each paired with the next run of the same length (a code span) or
// unpaired (literal backticks), computed once so scanning stays linear.
class BacktickRuns {
 public:
  explicit BacktickRuns(std::string_view s) {
    if (s.empty() || std::memchr(s.data(), '`', s.size()) == nullptr) return;
    for (std::size_t i = 0; i < s.size();) {
      if (s[i] != '`') {
        ++i;
        continue;
      }
      std::size_t start = i;
      while (i < s.size() && s[i] == '`') ++i;
      runs_.push_back({start, i - start, kNone});
    }
    std::unordered_map<std::size_t, std::size_t> next_by_length;
    for (std::size_t k = runs_.size(); k-- > 0;) {
      auto it = next_by_length.find(runs_[k].length);
      if (it != next_by_length.end()) runs_[k].next_same = it->second;
      next_by_length[runs_[k].length] = k;
    }
  }

  // For the run starting at `pos`: the end of the code span it opens, or of the run itself.
  std::size_t Skip(std::size_t pos) {
    while (cursor_ < runs_.size() && runs_[cursor_].pos < pos) ++cursor_;
    if (cursor_ >= runs_.size() || runs_[cursor_].pos != pos) return pos + 1;
    const Run& run = runs_[cursor_];
    if (run.next_same == kNone) {
      ++cursor_;
      return run.pos + run.length;
    }
    const Run& close = runs_[run.next_same];
    cursor_ = run.next_same + 1;
    return close.pos + close.length;
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Run {
    std::size_t pos;
    std::size_t length;
    std::size_t next_same;
  };
  std::vector<Run> runs_;
  std::size_t cursor_ = 0;
};

// The characters ScanSegment stops at.
constexpr bool IsScanStop(char c) noexcept { return c == '`' || c == '<' || c == ':' || c == '#'; }

// Inline tags of text outside fenced code: skips code spans, HTML comments and URLs.
void ScanSegment(std::string_view s, std::vector<std::string>* out) {
  BacktickRuns backticks(s);
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !IsScanStop(s[i])) ++i;
    if (i >= s.size()) break;
    char c = s[i];
    switch (c) {
      case '`':
        i = backticks.Skip(i);
        continue;
      case '<':
        if (s.compare(i, 4, "<!--") == 0) {
          std::size_t close = s.find("-->", i + 4);
          i = close == std::string_view::npos ? s.size() : close + 3;
          continue;
        }
        break;
      case ':':
        // scheme://… runs to the next white space.
        if (i > 0 && s.compare(i, 3, "://") == 0 && IsAsciiAlnum(s[i - 1])) {
          while (i < s.size() && !IsAsciiSpace(s[i])) ++i;
          continue;
        }
        break;
      case '#': {
        if (!TagMayStartAfter(s, i)) break;
        std::size_t end = TagBodyEnd(s, i + 1);
        std::string_view body = s.substr(i + 1, end - i - 1);
        i = end;
        if (body.empty() || body[0] == '/' || body[0] == '-') continue;
        while (!body.empty() && (body.back() == '/' || body.back() == '-')) body.remove_suffix(1);
        if (!HasNonDigit(body)) continue;
        if (auto tag = NormalizeTag(body)) out->push_back(std::move(*tag));
        continue;
      }
      default:
        break;
    }
    ++i;
  }
}

std::string ScalarText(const Json& v) {
  switch (v.type()) {
    case Json::Type::kString:
      return v.as_string();
    case Json::Type::kBool:
      return v.as_bool() ? "true" : "false";
    case Json::Type::kInt:
      return FormatInt(v.as_int());
    case Json::Type::kDouble:
      return FormatDouble(v.as_double());
    case Json::Type::kNull:
    case Json::Type::kArray:
    case Json::Type::kObject:
      break;
  }
  return {};
}

}  // namespace

std::optional<std::string> NormalizeTag(std::string_view raw) {
  std::string_view t = Trim(raw);
  if (!t.empty() && t[0] == '#') t = Trim(t.substr(1));
  if (t.empty()) return std::nullopt;
  std::string lower = ToLowerUtf8(t);
  if (Utf8Length(lower) > kMaxTagLength) return std::nullopt;
  return lower;
}

std::vector<std::string> TagsFromProperty(const Json* value) {
  std::vector<std::string> tags;
  if (value == nullptr) return tags;
  if (value->is_string()) {
    for (std::string_view part : Split(value->as_string(), ',')) {
      if (auto tag = NormalizeTag(part)) tags.push_back(std::move(*tag));
    }
  } else if (value->is_array()) {
    for (const Json& item : value->as_array()) {
      if (item.is_null() || item.is_array() || item.is_object()) continue;
      if (auto tag = NormalizeTag(ScalarText(item))) tags.push_back(std::move(*tag));
    }
  }
  return tags;
}

std::vector<std::string> InlineTags(std::string_view markdown_body) {
  std::vector<std::string> tags;
  if (markdown_body.empty() ||
      std::memchr(markdown_body.data(), '#', markdown_body.size()) == nullptr) {
    return tags;
  }
  md_detail::LineScanner lines(markdown_body);
  std::size_t segment_begin = 0;
  bool in_segment = false;
  while (lines.Next()) {
    if (lines.in_code()) {
      if (in_segment) {
        ScanSegment(markdown_body.substr(segment_begin, lines.line_begin() - segment_begin), &tags);
        in_segment = false;
      }
      continue;
    }
    if (!in_segment) {
      segment_begin = lines.line_begin();
      in_segment = true;
    }
  }
  if (in_segment) ScanSegment(markdown_body.substr(segment_begin), &tags);
  return tags;
}

std::vector<std::string> MergeTags(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

}  // namespace codex::index
