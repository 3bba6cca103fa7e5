// FTS5's `porter unicode61 remove_diacritics 1` tokenizer (the files_fts table of SEMANTICS §12),
// re-implemented so that snippets can be computed from column texts without SQLite
// (search/highlight.hpp). Verified against the linked SQLite in tests/search/tokenizer_test.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace codex::search {

// FTS5_MAX_TOKEN_SIZE: FTS5 indexes and queries only the first 32768 bytes of a longer term.
inline constexpr std::size_t kFts5MaxTermBytes = 32768;

// Walks the tokens of `text` exactly as unicode61 (remove_diacritics 1) cuts them, any bytes
// accepted (invalid UTF-8 decodes as SQLite's READ_UTF8 does). `text` must outlive the cursor.
// Not thread-safe; cheap to construct. Folding is done on demand, so that a caller can skip
// tokens by their first byte.
class Unicode61Cursor {
 public:
  explicit Unicode61Cursor(std::string_view text) : text_(text) {}

  // Advances to the next token; false when there is none.
  bool Next();
  // Byte offsets of the token in the text: [start, end).
  std::size_t start() const { return start_; }
  std::size_t end() const { return end_; }
  // The token case-folded and without diacritics, not yet stemmed; valid until the next Next().
  std::string_view folded();
  // folded()[0] (0 if folded() is empty), cheap for a token that starts with an ASCII byte.
  unsigned char first_folded_byte();

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t start_ = 0;
  std::size_t end_ = 0;
  bool ascii_ = true;  // the token is ASCII only
  bool folded_valid_ = false;
  std::string folded_;
};

// FTS5's porter step applied to a folded token: tokens of 3 to 64 bytes are stemmed (byte-wise,
// ASCII rules), shorter and longer ones are copied unchanged. The stem keeps the token's first
// byte and is never empty for a non-empty token. Replaces *out.
void PorterStem(std::string_view folded, std::string* out);

struct Token {
  std::string text;  // normalised: folded, then stemmed
  std::size_t start = 0;
  std::size_t end = 0;
};

// Every token of `text` as FTS5 indexes or queries it with this tokenizer (terms longer than
// kFts5MaxTermBytes are not truncated here).
std::vector<Token> Tokenize(std::string_view text);

}  // namespace codex::search
