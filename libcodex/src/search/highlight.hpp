// FTS5's snippet() computed from the column texts of a row (SEMANTICS §12.4), without re-running
// the MATCH in SQLite: the files_fts tokenizer is re-implemented in search/tokenizer.hpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace codex::search {

// A phrase of the query as FTS5 sees it: its tokens normalised by the tokenizer; `prefix` when the
// last token is a prefix query ("word"*).
struct HighlightPhrase {
  std::vector<std::string> tokens;
  bool prefix = false;
};

// The phrases of an FTS5 MATCH expression produced by ParseSearchQuery (search/query_parser.hpp):
// every quoted string "…" (optionally followed by *), in order, tokenized. Strings without a token
// are left out (they cannot match). Bare words are not phrases here (ParseSearchQuery quotes every
// term; AND, OR, NOT and parentheses are skipped).
std::vector<HighlightPhrase> PhrasesOf(std::string_view fts5_match_expression);

// Exactly FTS5's snippet(tbl, -1, "\x01", "\x02", "…", max_tokens) of SQLite 3.40 for a row
// whose columns (non-NULL texts, in table order) the expression of `phrases` matched: same column
// choice, same fragment start (including the sentence-start bonus), same coalescing of
// overlapping phrase instances into one highlighted run, same ellipsis rules, text copied
// verbatim between tokens (each copied piece ends at a NUL byte, as SQLite's "%.*s" does).
// Phrases under NOT never occur in a row the expression matched, so passing them changes nothing.
// Verified against FTS5 for max_tokens 0 to 100 (tests/search/highlight_test.cpp). Thread-safe
// (no shared state); the result does not refer to the inputs.
std::string Snippet(const std::vector<std::string_view>& columns,
                    const std::vector<HighlightPhrase>& phrases, int max_tokens = 32);

}  // namespace codex::search
