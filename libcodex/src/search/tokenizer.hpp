// FTS5's `porter unicode61 remove_diacritics 1` tokenizer (the files_fts table of SEMANTICS §12),
// re-implemented so that snippets can be computed from column texts without SQLite
// (search/highlight.hpp). Verified against the linked SQLite in tests/search/tokenizer_test.cpp.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codex::search {

// FTS5_MAX_TOKEN_SIZE: FTS5 indexes and queries only the first 32768 bytes of a longer term.
inline constexpr std::size_t kFts5MaxTermBytes = 32768;

// Calls on_token(start, end, ascii) for every token of `text` as unicode61 cuts it: [start, end)
// are byte offsets, `ascii` says the token has no byte above 0x7F. Any bytes are accepted
// (invalid UTF-8 decodes as SQLite's READ_UTF8 does). Inline because it runs once per token of
// every snippet; the rare non-ASCII work is out of line.
template <typename OnToken>
void ForEachUnicode61Token(std::string_view text, OnToken&& on_token);

// A token (bytes ForEachUnicode61Token delimited) case-folded and without diacritics, as
// unicode61 with remove_diacritics 1 passes it to the porter step. Replaces *out.
void FoldToken(std::string_view token, std::string* out);
// The first byte FoldToken would produce (0 if none), cheap for a token starting with ASCII.
unsigned char FirstFoldedByte(std::string_view token);

// FTS5's porter step applied to a folded token: tokens of 3 to 64 bytes are stemmed (byte-wise,
// ASCII rules), shorter and longer ones are copied unchanged. The stem is never longer than the
// token and differs from it only in its last two bytes, never in the first. Replaces *out.
void PorterStem(std::string_view folded, std::string* out);

struct Token {
  std::string text;  // normalised: folded, then stemmed
  std::size_t start = 0;
  std::size_t end = 0;
};

// Every token of `text` as FTS5 indexes or queries it with this tokenizer (terms longer than
// kFts5MaxTermBytes are not truncated here).
std::vector<Token> Tokenize(std::string_view text);

// ---- implementation ------------------------------------------------------------------------

namespace unicode61 {

// The bytes [start, end) of a text, end - start <= 64, classified: bit i stands for byte
// start + i. Finding tokens with these masks avoids a mispredicted branch per token boundary.
struct ByteBlock {
  std::size_t start = 0;
  std::size_t end = 0;
  std::uint64_t alnum = 0;  // ASCII letters and digits
  std::uint64_t high = 0;   // bytes 0x80 and above
};

ByteBlock Classify(std::string_view text, std::size_t at);
// Decodes the non-ASCII character at *pos and moves past it: true when it is a token character
// (or, inside a token, a diacritic).
bool NonAsciiTokenChar(std::string_view text, std::size_t* pos, bool in_token);

}  // namespace unicode61

template <typename OnToken>
void ForEachUnicode61Token(std::string_view text, OnToken&& on_token) {
  const std::size_t size = text.size();
  std::size_t pos = 0;  // at a separator or a token start, never inside a token
  unicode61::ByteBlock block;
  while (pos < size) {
    if (pos >= block.end) block = unicode61::Classify(text, pos);
    // Bits from pos up to the block's next non-ASCII byte (`limit`): there every run of letters
    // and digits is a token, found without a branch per byte, except a run that reaches the
    // limit, which may go on (into the next block, or through a non-ASCII letter).
    const auto from = static_cast<unsigned>(pos - block.start);
    const std::uint64_t high = block.high & (~std::uint64_t{0} << from);
    const auto limit = static_cast<unsigned>(high != 0 ? std::countr_zero(high)
                                                       : static_cast<int>(block.end - block.start));
    const std::uint64_t below_limit =
        limit == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << limit) - 1;
    const std::uint64_t alnum = block.alnum & (~std::uint64_t{0} << from) & below_limit;
    std::uint64_t starts = alnum & ~(alnum << 1);
    std::uint64_t ends = alnum & ~(alnum >> 1);  // last byte of each run
    pos = block.start + limit;
    if (pos < size && limit > from && ((alnum >> (limit - 1)) & 1) != 0) {
      const int last = 63 - std::countl_zero(starts);
      starts &= ~(std::uint64_t{1} << last);
      ends &= ~(std::uint64_t{1} << (limit - 1));
      pos = block.start + static_cast<std::size_t>(last);
    }
    for (; starts != 0; starts &= starts - 1, ends &= ends - 1) {
      on_token(block.start + static_cast<std::size_t>(std::countr_zero(starts)),
               block.start + static_cast<std::size_t>(std::countr_zero(ends)) + 1, true);
    }
    if (pos >= size || pos == block.end) continue;
    // One token the slow way, from a run that may go on or from a non-ASCII byte. Skip
    // separators: a token starts at a letter, digit or other token character, not at a
    // diacritic.
    bool ascii = true;
    std::size_t start = pos;
    while (true) {
      if (pos >= size) return;
      if (pos >= block.end) block = unicode61::Classify(text, pos);
      const std::uint64_t candidates = (block.alnum | block.high) >> (pos - block.start);
      if (candidates == 0) {
        pos = block.end;
        continue;
      }
      pos += static_cast<std::size_t>(std::countr_zero(candidates));
      start = pos;
      if (((block.high >> (pos - block.start)) & 1) == 0) break;
      if (unicode61::NonAsciiTokenChar(text, &pos, false)) {
        ascii = false;
        break;
      }
    }
    // The token runs over token characters and diacritics. A non-ASCII separator that ends it
    // has been read, as SQLite does; the search for the next token starts after it.
    std::size_t end = pos;
    while (pos < size) {
      if (pos >= block.end) block = unicode61::Classify(text, pos);
      pos += static_cast<std::size_t>(std::countr_one(block.alnum >> (pos - block.start)));
      end = pos;
      if (pos == block.end) continue;  // the run may go on in the next block
      if (((block.high >> (pos - block.start)) & 1) == 0) break;  // an ASCII separator
      if (!unicode61::NonAsciiTokenChar(text, &pos, true)) break;
      ascii = false;
      end = pos;
    }
    on_token(start, end, ascii);
  }
}

}  // namespace codex::search
