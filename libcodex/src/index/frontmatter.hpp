// Frontmatter of markdown and .cdx files (SEMANTICS §6.1, §6.2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codex/json.hpp"

namespace codex::index {

struct Frontmatter {
  Json::Object metadata;   // {} when there is none, it is not an object, or it is invalid
  std::string body;        // §6.1: stripped body, or the original text when the block is invalid
  bool has_block = false;  // a delimited block was found (valid or not)
  std::optional<std::string> problem;  // why the block could not be read (invalid YAML/JSON)
};

// §6.1 parse(text) → (metadata, body). Never fails: problems are reported in `problem`.
Frontmatter ParseFrontmatter(std::string_view text);

// §6.2 write(body, props) = strip("---\n" + yaml(props) + "\n---\n\n" + body).
std::string WriteFrontmatter(std::string_view body, const Json::Object& properties);

// The leading frontmatter block of `text` exactly as written, from the first delimiter line
// through the end of the closing delimiter line (YAML `---` or JSON `{ … }` form, as §6.1 finds
// it after leading white space), or empty when `text` has none. Used to keep a file's own block
// when only its body is saved (CONTRACT §14.2).
std::string_view LeadingBlock(std::string_view text);

}  // namespace codex::index
