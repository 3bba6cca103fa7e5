// Search snippets (SEMANTICS §12.4).
#pragma once

#include <string>
#include <string_view>

namespace codex::search {

// Marker bytes passed to FTS5 snippet(): \x01 opens a match, \x02 closes it.
inline constexpr char kMarkOpen = '\x01';
inline constexpr char kMarkClose = '\x02';

// HTML-escapes FTS5 snippet() output, then turns the markers into <mark> and </mark>.
std::string RenderSnippet(std::string_view fts_snippet);
// The first 200 characters (code points) of `content`, HTML-escaped, no marks.
std::string PlainSnippet(std::string_view content);

}  // namespace codex::search
