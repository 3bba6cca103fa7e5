#include "index/frontmatter.hpp"

#include <cstring>

#include "common/strings.hpp"
#include "index/yaml.hpp"

namespace codex::index {
namespace {

// ^-{3,}\s*$ (Python's \s: Unicode white space).
bool IsYamlDelimiter(std::string_view line) {
  std::size_t dashes = 0;
  while (dashes < line.size() && line[dashes] == '-') ++dashes;
  if (dashes < 3) return false;
  std::size_t i = dashes;
  while (i < line.size()) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x80) {
      if (!IsSpace(c)) return false;
      ++i;
      continue;
    }
    if (!IsSpace(DecodeUtf8(line, &i))) return false;
  }
  return true;
}

// The delimited block of `t` (already stripped), in offsets of `t`.
struct Block {
  enum Kind { kYaml, kJson } kind = kYaml;
  std::size_t inner_begin = 0;  // the frontmatter text
  std::size_t inner_end = 0;
  std::size_t close_begin = 0;  // the closing delimiter line
  std::size_t close_end = 0;    // its end (a '\n' or the end of t)
};

std::size_t LineEnd(std::string_view t, std::size_t begin) {
  const void* nl = std::memchr(t.data() + begin, '\n', t.size() - begin);
  return nl == nullptr ? t.size()
                       : static_cast<std::size_t>(static_cast<const char*>(nl) - t.data());
}

bool FindBlock(std::string_view t, Block* block) {
  if (t.empty()) return false;
  std::size_t first_end = LineEnd(t, 0);
  std::string_view first = t.substr(0, first_end);
  bool yaml = IsYamlDelimiter(first);
  if (!yaml && first != "{") return false;
  std::size_t begin = first_end;
  while (begin < t.size()) {
    ++begin;  // past '\n'
    std::size_t end = LineEnd(t, begin);
    std::string_view line = t.substr(begin, end - begin);
    bool boundary = yaml ? (line.size() >= 3 && line[0] == '-' && IsYamlDelimiter(line))
                         : (line == "{" || line == "}");
    if (boundary) {
      block->kind = yaml ? Block::kYaml : Block::kJson;
      block->inner_begin = first_end + 1;
      // The lines in between, with their line breaks.
      block->inner_end = begin;
      block->close_begin = begin;
      block->close_end = end;
      return true;
    }
    begin = end;
  }
  return false;
}

// §6.1 step 4: "{" + the lines between the boundaries + "}".
Result<Json> ParseJsonBlock(std::string_view inner) {
  std::string json;
  json.reserve(inner.size() + 2);
  json.push_back('{');
  json.append(inner);
  json.push_back('}');
  return Json::Parse(json);
}

}  // namespace

Frontmatter ParseFrontmatter(std::string_view text) {
  Frontmatter result;
  std::string_view t = Trim(text);
  Block block;
  if (!FindBlock(t, &block)) {
    result.body = std::string(t);
    return result;
  }
  result.has_block = true;
  std::string_view inner = t.substr(block.inner_begin, block.inner_end - block.inner_begin);
  Result<Json> parsed = block.kind == Block::kYaml ? ParseYaml(inner) : ParseJsonBlock(inner);
  if (!parsed.ok()) {
    result.body = std::string(text);
    result.problem = parsed.status().ToString();
    return result;
  }
  if (parsed->is_object()) result.metadata = std::move(parsed->as_object());
  std::size_t body_begin = block.close_end < t.size() ? block.close_end + 1 : t.size();
  result.body = std::string(Trim(t.substr(body_begin)));
  return result;
}

std::string WriteFrontmatter(std::string_view body, const Json::Object& properties) {
  std::string out = "---\n";
  out += EmitYaml(properties);
  out += "\n---\n\n";
  out += body;
  std::size_t end = Trim(out).size();  // the text starts with "---": only the end is stripped
  out.resize(end);
  return out;
}

std::string_view LeadingBlock(std::string_view text) {
  std::string_view t = Trim(text);
  Block block;
  if (!FindBlock(t, &block)) return {};
  std::size_t offset = static_cast<std::size_t>(t.data() - text.data());
  std::size_t close_begin = offset + block.close_begin;
  const void* nl = std::memchr(text.data() + close_begin, '\n', text.size() - close_begin);
  std::size_t close_end =
      nl == nullptr ? text.size()
                    : static_cast<std::size_t>(static_cast<const char*>(nl) - text.data());
  return text.substr(offset, close_end - offset);
}

}  // namespace codex::index
