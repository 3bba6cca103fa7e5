#include "search/snippet.hpp"

#include <cstddef>

#include "common/strings.hpp"

namespace codex::search {

std::string RenderSnippet(std::string_view fts_snippet) {
  std::string escaped = HtmlEscape(fts_snippet);
  std::string out;
  out.reserve(escaped.size() + 32);
  for (char c : escaped) {
    if (c == kMarkOpen) {
      out += "<mark>";
    } else if (c == kMarkClose) {
      out += "</mark>";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string PlainSnippet(std::string_view content) {
  constexpr std::size_t kMaxChars = 200;
  // Cut before the lead byte of the 201st code point (continuation bytes do not start one).
  std::size_t chars = 0;
  std::size_t end = 0;
  for (; end < content.size(); ++end) {
    if ((static_cast<unsigned char>(content[end]) & 0xC0) != 0x80) {
      if (chars == kMaxChars) break;
      ++chars;
    }
  }
  return HtmlEscape(content.substr(0, end));
}

}  // namespace codex::search
