// Markdown structure: the first level-1 heading (SEMANTICS §6.6) and outgoing links.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codex::index {

// §6.6: first ATX "# Title" or setext "Title\n===" heading outside fenced code, text trimmed
// with inline markup kept verbatim; nullopt when there is none.
std::optional<std::string> FirstHeading(std::string_view markdown_body);

struct Link {
  enum class Kind { kWiki, kMarkdown };
  std::string target;  // [[target]] (alias after '|' dropped) or the link destination
  Kind kind = Kind::kMarkdown;
};

// [[wiki]] links and markdown links/images (not inside code), in document order, de-duplicated.
std::vector<Link> ExtractLinks(std::string_view markdown_body);

}  // namespace codex::index
