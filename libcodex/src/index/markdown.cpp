#include "index/markdown.hpp"

#include <md4c.h>

#include <cstring>
#include <unordered_set>
#include <utility>

#include "common/strings.hpp"
#include "index/markdown_scan.hpp"

namespace codex::index {
namespace {

bool IsSpaceOrTab(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view WithoutCr(std::string_view line) noexcept {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Leading spaces of `line` when there are at most 3; npos otherwise.
std::size_t SmallIndent(std::string_view line) noexcept {
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i <= 3 ? i : std::string_view::npos;
}

// ^ {0,3}#[ \t]+(.*?)[ \t]*(#+[ \t]*)?$ — the captured text, or nullopt.
std::optional<std::string_view> AtxLevel1Text(std::string_view line) {
  std::size_t i = SmallIndent(line);
  if (i == std::string_view::npos || i >= line.size() || line[i] != '#') return std::nullopt;
  ++i;
  if (i >= line.size() || !IsSpaceOrTab(line[i])) return std::nullopt;
  while (i < line.size() && IsSpaceOrTab(line[i])) ++i;
  std::string_view rest = line.substr(i);
  // The lazy text leaves the longest suffix [ \t]*(#+[ \t]*)? to the rest of the pattern.
  std::size_t end = rest.size();
  while (end > 0 && IsSpaceOrTab(rest[end - 1])) --end;
  std::size_t hashes = end;
  while (hashes > 0 && rest[hashes - 1] == '#') --hashes;
  if (hashes < end) {
    end = hashes;
    while (end > 0 && IsSpaceOrTab(rest[end - 1])) --end;
  }
  return rest.substr(0, end);
}

// ^ {0,3}=+[ \t]*$
bool IsSetextUnderline(std::string_view line) noexcept {
  std::size_t i = SmallIndent(line);
  if (i == std::string_view::npos || i >= line.size() || line[i] != '=') return false;
  while (i < line.size() && line[i] == '=') ++i;
  while (i < line.size() && IsSpaceOrTab(line[i])) ++i;
  return i == line.size();
}

// A list item or block quote line: "- ", "* ", "+ ", "1. ", "1) " or ">" after indentation.
bool StartsListOrQuote(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && IsSpaceOrTab(line[i])) ++i;
  std::string_view s = line.substr(i);
  if (s.empty()) return false;
  char c = s[0];
  if (c == '>') return true;
  if ((c == '-' || c == '*' || c == '+') && (s.size() == 1 || IsSpaceOrTab(s[1]))) return true;
  std::size_t d = 0;
  while (d < s.size() && d < 10 && s[d] >= '0' && s[d] <= '9') ++d;
  return d > 0 && d <= 9 && d < s.size() && (s[d] == '.' || s[d] == ')') &&
         (d + 1 == s.size() || IsSpaceOrTab(s[d + 1]));
}

// An ATX heading line of any level (never setext text).
bool IsAtxLike(std::string_view line) {
  std::size_t i = SmallIndent(line);
  if (i == std::string_view::npos) return false;
  std::size_t h = i;
  while (h < line.size() && line[h] == '#') ++h;
  return h > i && h - i <= 6 && (h == line.size() || IsSpaceOrTab(line[h]));
}

// An entity as md4c reports it ("&amp;", "&#123;", "&#x1F;"): the common named entities and
// numeric references are decoded, others stay as written.
void AppendEntity(std::string_view piece, std::string* out) {
  char32_t cp = 0;
  bool ok = false;
  if (piece.size() > 3 && piece[1] == '#') {
    bool hex = piece[2] == 'x' || piece[2] == 'X';
    ok = true;
    for (std::size_t i = hex ? 3 : 2; i + 1 < piece.size(); ++i) {
      char c = piece[i];
      unsigned digit;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
        digit = static_cast<unsigned>((c | 0x20) - 'a' + 10);
      } else {
        ok = false;
        break;
      }
      cp = cp * (hex ? 16 : 10) + digit;
      if (cp > 0x10FFFF) cp = 0x110000;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  } else {
    static constexpr std::pair<std::string_view, char32_t> kNamed[] = {
        {"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},
        {"&quot;", '"'}, {"&apos;", '\''}, {"&nbsp;", 0xA0}};
    for (const auto& [name, value] : kNamed) {
      if (piece == name) {
        cp = value;
        ok = true;
      }
    }
  }
  if (ok) {
    AppendUtf8(out, cp);
  } else {
    out->append(piece);
  }
}

// Text of an md4c attribute with its entities and NUL characters resolved.
std::string AttributeText(const MD_ATTRIBUTE& attr) {
  std::string out;
  if (attr.size == 0) return out;
  out.reserve(attr.size);
  for (int k = 0; attr.substr_offsets[k] < attr.size; ++k) {
    MD_OFFSET begin = attr.substr_offsets[k];
    MD_OFFSET end = attr.substr_offsets[k + 1];
    std::string_view piece(attr.text + begin, end - begin);
    MD_TEXTTYPE type = attr.substr_types[k];
    if (type == MD_TEXT_NULLCHAR) {
      AppendUtf8(&out, 0xFFFD);
    } else if (type == MD_TEXT_ENTITY) {
      AppendEntity(piece, &out);
    } else {
      out.append(piece);
    }
  }
  return out;
}

struct LinkCollector {
  std::vector<Link> links;
  std::unordered_set<std::string> seen;

  void Add(std::string target, Link::Kind kind) {
    if (target.empty()) return;
    std::string key(1, kind == Link::Kind::kWiki ? 'w' : 'm');
    key += target;
    if (!seen.insert(std::move(key)).second) return;
    links.push_back(Link{std::move(target), kind});
  }
};

int EnterSpan(MD_SPANTYPE type, void* detail, void* userdata) {
  auto* collector = static_cast<LinkCollector*>(userdata);
  if (type == MD_SPAN_A) {
    collector->Add(AttributeText(static_cast<MD_SPAN_A_DETAIL*>(detail)->href),
                   Link::Kind::kMarkdown);
  } else if (type == MD_SPAN_IMG) {
    collector->Add(AttributeText(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src),
                   Link::Kind::kMarkdown);
  } else if (type == MD_SPAN_WIKILINK) {
    collector->Add(AttributeText(static_cast<MD_SPAN_WIKILINK_DETAIL*>(detail)->target),
                   Link::Kind::kWiki);
  }
  return 0;
}

int IgnoreBlock(MD_BLOCKTYPE /*type*/, void* /*detail*/, void* /*userdata*/) { return 0; }
int IgnoreSpan(MD_SPANTYPE /*type*/, void* /*detail*/, void* /*userdata*/) { return 0; }
int IgnoreText(MD_TEXTTYPE /*type*/, const MD_CHAR* /*text*/, MD_SIZE /*size*/,
               void* /*userdata*/) {
  return 0;
}

}  // namespace

std::optional<std::string> FirstHeading(std::string_view markdown_body) {
  md_detail::LineScanner lines(markdown_body);
  std::string_view previous;
  bool previous_is_text = false;  // the previous line can be setext heading text
  bool in_container = false;      // the last non-blank line was in a list item or block quote
  bool previous_blank = true;
  while (lines.Next()) {
    if (lines.in_code()) {
      previous_is_text = false;
      previous_blank = false;
      continue;
    }
    std::string_view line = WithoutCr(lines.line());
    if (previous_is_text && IsSetextUnderline(line)) {
      return std::string(Trim(previous));
    }
    if (auto text = AtxLevel1Text(line)) {
      std::string_view title = Trim(*text);
      if (!title.empty()) return std::string(title);
    }
    if (Trim(line).empty()) {
      previous_is_text = false;
      previous_blank = true;
      continue;
    }
    // Inside a list or quote: its marker line, an indented line after it, or a lazy
    // continuation line directly after it.
    bool indented = IsSpaceOrTab(line[0]);
    bool inside = StartsListOrQuote(line) || (in_container && (!previous_blank || indented));
    previous = line;
    previous_is_text = !inside && !IsAtxLike(line);
    in_container = inside;
    previous_blank = false;
  }
  return std::nullopt;
}

std::vector<Link> ExtractLinks(std::string_view markdown_body) {
  LinkCollector collector;
  // Every link form needs a '[' or an autolink's '<'.
  bool may_link = false;
  for (char c : markdown_body) {
    if (c == '[' || c == '<') {
      may_link = true;
      break;
    }
  }
  if (!may_link) return {};
  if (markdown_body.size() > static_cast<std::size_t>(static_cast<MD_SIZE>(-1))) return {};
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_FLAG_WIKILINKS;
  parser.enter_block = IgnoreBlock;
  parser.leave_block = IgnoreBlock;
  parser.enter_span = EnterSpan;
  parser.leave_span = IgnoreSpan;
  parser.text = IgnoreText;
  if (md_parse(markdown_body.data(), static_cast<MD_SIZE>(markdown_body.size()), &parser,
               &collector) != 0) {
    return {};
  }
  return std::move(collector.links);
}

}  // namespace codex::index
