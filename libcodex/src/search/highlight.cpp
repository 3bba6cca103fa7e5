#include "search/highlight.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "search/snippet.hpp"
#include "search/tokenizer.hpp"

// The steps below follow SQLite's ext/fts5/fts5_aux.c (fts5SnippetFunction, fts5SnippetScore,
// fts5SentenceFinderCb, fts5HighlightCb, fts5CInstIterNext) and the instance list FTS5 builds for
// a row (fts5CacheInstArray): every phrase's matches, ordered by column, then token offset, then
// phrase number. Where a shortcut is taken, its comment says why the result is the same.

// For the lambda that runs once per token: GCC leaves it out of the tokenizer loop otherwise, which
// costs some 15% of a snippet.
#if defined(__GNUC__)
#define CODEX_ALWAYS_INLINE __attribute__((always_inline))
#else
#define CODEX_ALWAYS_INLINE
#endif

namespace codex::search {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

// Byte offsets of a token (SQLite's are ints too).
struct Span {
  std::uint32_t start;
  std::uint32_t end;
};

// A match of phrase `phrase` starting at token `offset` of a column.
struct Instance {
  int phrase;
  int offset;
};

struct Column {
  std::vector<Span> spans;          // one per token, in order
  std::vector<Instance> instances;  // by offset, then phrase
};

bool IsFts5Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Truncated(std::string_view term) { return term.substr(0, kFts5MaxTermBytes); }

// The distinct terms of the phrases. A document token is stemmed only when it could match a
// term: FTS5's porter stem is never longer than the token and differs from it only in its last
// two bytes (never in the first), so a token whose stem equals or starts with term t is at least
// as long as t and starts with t's first max(1, |t| - 2) bytes (tests/search/tokenizer_test.cpp).
class QueryTerms {
 public:
  explicit QueryTerms(const std::vector<HighlightPhrase>& phrases) {
    phrase_terms_.reserve(phrases.size());
    for (const HighlightPhrase& phrase : phrases) {
      std::vector<int> ids;
      ids.reserve(phrase.tokens.size());
      for (std::size_t k = 0; k < phrase.tokens.size(); ++k) {
        bool prefix = phrase.prefix && k + 1 == phrase.tokens.size();
        ids.push_back(Intern(Truncated(phrase.tokens[k]), prefix));
      }
      phrase_terms_.push_back(std::move(ids));
    }
    words_ = std::max<std::size_t>(1, (terms_.size() + 63) / 64);
  }

  std::size_t words() const { return words_; }
  const std::vector<std::vector<int>>& phrase_terms() const { return phrase_terms_; }

  // False when no term starts with `first_folded_byte`, the first byte of a folded token.
  bool MayMatch(unsigned char first_folded_byte) const { return first_bytes_[first_folded_byte]; }

  // Sets in `mask` (words() words, zero on entry) the bit of every term the folded token
  // matches; true when there is one.
  bool Match(std::string_view folded, std::string* stem, std::uint64_t* mask) const {
    bool candidate = false;
    for (const Term& term : terms_) {
      if (folded.size() >= term.text.size() &&
          folded.compare(0, term.must_share, term.text, 0, term.must_share) == 0) {
        candidate = true;
        break;
      }
    }
    if (!candidate) return false;
    PorterStem(folded, stem);
    const std::string_view stemmed = Truncated(*stem);
    bool any = false;
    for (std::size_t i = 0; i < terms_.size(); ++i) {
      const std::string& text = terms_[i].text;
      if (terms_[i].prefix ? stemmed.starts_with(text) : stemmed == text) {
        mask[i / 64] |= std::uint64_t{1} << (i % 64);
        any = true;
      }
    }
    return any;
  }

 private:
  struct Term {
    std::string text;
    bool prefix;
    std::size_t must_share;  // bytes a token shares with the term if its stem can match
  };

  int Intern(std::string_view text, bool prefix) {
    for (std::size_t i = 0; i < terms_.size(); ++i) {
      if (terms_[i].prefix == prefix && terms_[i].text == text) return static_cast<int>(i);
    }
    if (!text.empty()) first_bytes_[static_cast<unsigned char>(text[0])] = true;
    const std::size_t must_share =
        text.size() > 2 ? text.size() - 2 : std::min<std::size_t>(1, text.size());
    terms_.push_back({std::string(text), prefix, must_share});
    return static_cast<int>(terms_.size() - 1);
  }

  std::vector<Term> terms_;
  std::vector<std::vector<int>> phrase_terms_;
  bool first_bytes_[256] = {};
  std::size_t words_ = 1;
};

// QueryTerms::Match remembered per distinct token text (notes repeat their words), with the
// buffers of one Snippet call.
class TokenMatcher {
 public:
  explicit TokenMatcher(const QueryTerms& query) : query_(query) {
    memos_.reserve(kMaxMemos);
    bits_.reserve(kMaxMemos * query.words());
    hit_pos.reserve(256);
    hit_bits.reserve(256 * query.words());
  }

  const QueryTerms& query() const { return query_; }

  // The term bits (query().words() words) of `token` (bytes of a column text that outlives this
  // object) when query().MayMatch() its first folded byte; nullptr when it matches no term. Valid
  // until the next call.
  const std::uint64_t* Match(std::string_view token) {
    const std::uint64_t key = Key(token);
    for (const Memo& memo : memos_) {
      if (memo.key == key && memo.raw == token) {
        return memo.bits == kNoMatch ? nullptr : bits_.data() + memo.bits;
      }
    }
    const std::size_t words = query_.words();
    const std::size_t at = bits_.size();
    bits_.resize(at + words, 0);
    FoldToken(token, &folded_);
    if (!query_.Match(folded_, &stem_, bits_.data() + at)) {
      bits_.resize(at);
      if (memos_.size() < kMaxMemos) memos_.push_back({key, token, kNoMatch});
      return nullptr;
    }
    if (memos_.size() < kMaxMemos) memos_.push_back({key, token, at});
    return bits_.data() + at;
  }

  // Appends token number `pos` to the hits when it matches a term.
  void AddHit(std::string_view token, std::size_t pos) {
    const std::uint64_t* bits = Match(token);
    if (bits == nullptr) return;
    hit_pos.push_back(static_cast<int>(pos));
    hit_bits.insert(hit_bits.end(), bits, bits + query_.words());
  }

  // The tokens of the current column that match a term, in order, with their term bits
  // (query().words() words each).
  std::vector<int> hit_pos;
  std::vector<std::uint64_t> hit_bits;

 private:
  static constexpr std::size_t kNoMatch = static_cast<std::size_t>(-1);
  static constexpr std::size_t kMaxMemos = 32;  // a linear search stays cheap

  struct Memo {
    std::uint64_t key;     // Key(raw)
    std::string_view raw;  // the token as written in a column text
    std::size_t bits;      // its bits in bits_, or kNoMatch
  };

  // The size and first bytes of a token: most tokens differ there.
  static std::uint64_t Key(std::string_view token) {
    std::uint64_t key = token.size();
    for (std::size_t i = 0; i < token.size() && i < 7; ++i) {
      key |= std::uint64_t{static_cast<unsigned char>(token[i])} << (8 * (i + 1));
    }
    return key;
  }

  const QueryTerms& query_;
  std::string folded_;
  std::string stem_;
  std::vector<Memo> memos_;
  std::vector<std::uint64_t> bits_;
};

// Tokenizes a column and finds the instances of every phrase in it.
Column ReadColumn(std::string_view text, TokenMatcher* matcher) {
  Column column;
  column.spans.reserve(text.size() / 5 + 1);
  const QueryTerms& query = matcher->query();
  const std::size_t words = query.words();
  std::vector<int>& hit_pos = matcher->hit_pos;
  std::vector<std::uint64_t>& hit_bits = matcher->hit_bits;
  hit_pos.clear();
  hit_bits.clear();
  std::vector<Span>& spans = column.spans;
  ForEachUnicode61Token(
      text, [&](std::size_t start, std::size_t end, bool ascii) CODEX_ALWAYS_INLINE {
        spans.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end)});
        // Most tokens end here, on their first byte.
        const unsigned char first = ascii ? static_cast<unsigned char>(text[start] | 0x20)
                                          : FirstFoldedByte(text.substr(start, end - start));
        if (query.MayMatch(first)) {
          matcher->AddHit(text.substr(start, end - start), spans.size() - 1);
        }
      });
  // A phrase of n tokens matches at hit j when hits j … j+n-1 are consecutive tokens with the
  // phrase's terms.
  const auto& phrase_terms = query.phrase_terms();
  column.instances.reserve(hit_pos.size());
  for (std::size_t j = 0; j < hit_pos.size(); ++j) {
    for (std::size_t p = 0; p < phrase_terms.size(); ++p) {
      const std::vector<int>& terms = phrase_terms[p];
      if (terms.empty() || j + terms.size() > hit_pos.size()) continue;
      bool match = true;
      for (std::size_t k = 0; k < terms.size() && match; ++k) {
        const auto term = static_cast<std::size_t>(terms[k]);
        match = hit_pos[j + k] == hit_pos[j] + static_cast<int>(k) &&
                ((hit_bits[(j + k) * words + term / 64] >> (term % 64)) & 1) != 0;
      }
      if (match) column.instances.push_back({static_cast<int>(p), hit_pos[j]});
    }
  }
  return column;
}

// fts5SentenceFinderCb: the first token, and every token preceded by '.' or ':' and then white
// space, starts a sentence. Asked for increasing tokens, each token is looked at once at most.
class SentenceFinder {
 public:
  SentenceFinder(std::string_view text, const std::vector<Span>& spans)
      : text_(text), spans_(spans) {}

  // The last sentence start at or before token `pos` (pos never decreasing between calls).
  int StartOf(int pos) {
    for (int t = pos; t > settled_; --t) {
      if (StartsSentence(t)) {
        start_ = t;
        break;
      }
    }
    settled_ = std::max(settled_, pos);
    return start_;
  }

 private:
  bool StartsSentence(int pos) const {
    if (pos == 0) return true;
    const std::size_t start = spans_[static_cast<std::size_t>(pos)].start;
    std::size_t i = start;
    while (i > 0 && IsFts5Space(text_[i - 1])) --i;
    return i != start && i > 0 && (text_[i - 1] == '.' || text_[i - 1] == ':');
  }

  std::string_view text_;
  const std::vector<Span>& spans_;
  int settled_ = -1;  // the answer for tokens up to here is start_
  int start_ = 0;
};

// Per-phrase "seen" flags of fts5SnippetScore.
class SeenPhrases {
 public:
  explicit SeenPhrases(std::size_t phrases) {
    if (phrases > 64) stamp_.assign(phrases, 0);
  }
  void Clear() {
    bits_ = 0;
    ++now_;
  }
  // True when already seen; marks it seen.
  bool TestAndSet(int phrase) {
    const auto p = static_cast<std::size_t>(phrase);
    if (stamp_.empty()) {
      const std::uint64_t bit = std::uint64_t{1} << p;
      const bool seen = (bits_ & bit) != 0;
      bits_ |= bit;
      return seen;
    }
    const bool seen = stamp_[p] == now_;
    stamp_[p] = now_;
    return seen;
  }

 private:
  std::uint64_t bits_ = 0;            // up to 64 phrases
  std::vector<std::uint32_t> stamp_;  // more: the generation that saw each
  std::uint32_t now_ = 1;
};

// fts5SnippetScore: 1000 for the first instance of each phrase starting in [pos, pos + n_tokens),
// 1 for each further one; `from` is the first instance at or after `pos`. With `adjusted`, also
// the fragment start that centres those instances.
int Score(const std::vector<Instance>& instances, std::size_t from,
          const std::vector<int>& phrase_size, int pos, int n_tokens, int doc_size,
          SeenPhrases* seen, int* adjusted) {
  const std::int64_t end = static_cast<std::int64_t>(pos) + n_tokens;
  int score = 0;
  int first = -1;
  int last = 0;
  seen->Clear();
  for (std::size_t i = from; i < instances.size() && instances[i].offset < end; ++i) {
    const Instance& in = instances[i];
    score += seen->TestAndSet(in.phrase) ? 1 : 1000;
    if (first < 0) first = in.offset;
    last = in.offset + phrase_size[static_cast<std::size_t>(in.phrase)];
  }
  if (adjusted != nullptr) {
    std::int64_t adj = first - (n_tokens - (last - first)) / 2;
    if (adj + n_tokens > doc_size) adj = doc_size - n_tokens;
    if (adj < 0) adj = 0;
    *adjusted = static_cast<int>(adj);
  }
  return score;
}

// fts5CInstIterNext: overlapping instances of a column merged into runs [start, end] of tokens.
class CoalescedInstances {
 public:
  CoalescedInstances(const std::vector<Instance>& instances, const std::vector<int>& phrase_size)
      : instances_(instances), phrase_size_(phrase_size) {
    Next();
  }

  // -1 after the last run.
  int start() const { return start_; }
  int end() const { return end_; }

  void Next() {
    start_ = -1;
    end_ = -1;
    for (; next_ < instances_.size(); ++next_) {
      const Instance& in = instances_[next_];
      int in_end = in.offset - 1 + phrase_size_[static_cast<std::size_t>(in.phrase)];
      if (start_ < 0) {
        start_ = in.offset;
        end_ = in_end;
      } else if (in.offset <= end_) {
        end_ = std::max(end_, in_end);
      } else {
        break;
      }
    }
  }

 private:
  const std::vector<Instance>& instances_;
  const std::vector<int>& phrase_size_;
  std::size_t next_ = 0;
  int start_ = -1;
  int end_ = -1;
};

// Appends text[from, to). SQLite appends with "%.*s", which stops at a NUL byte.
void AppendText(std::string_view text, std::size_t from, std::size_t to, std::string* out) {
  if (to <= from) return;
  std::string_view piece = text.substr(from, to - from);
  const void* nul = std::memchr(piece.data(), '\0', piece.size());
  if (nul != nullptr)
    piece = piece.substr(0, static_cast<std::size_t>(static_cast<const char*>(nul) - piece.data()));
  out->append(piece);
}

// fts5HighlightCb (as in SQLite 3.40) over tokens [range_start, range_end] of the chosen column,
// with the ellipses of fts5SnippetFunction. A range_end of 0 or less means no range at all (so
// max_tokens 1 with the fragment at token 0 marks every instance of the column).
std::string Render(std::string_view text, const Column& column, const std::vector<int>& phrase_size,
                   int range_start, int n_tokens) {
  const int range_end = range_start + n_tokens - 1;
  const bool ranged = range_end > 0;
  const int col_size = static_cast<int>(column.spans.size());
  std::string out;
  out.reserve(256);
  if (range_start > 0) out.append(kEllipsis);
  CoalescedInstances run(column.instances, phrase_size);
  while (run.start() >= 0 && run.start() < range_start) run.Next();

  std::size_t copied = 0;  // text before this offset is in `out` (or skipped)
  const int first = ranged ? range_start : 0;
  const int last = ranged ? std::min(range_end, col_size - 1) : col_size - 1;
  for (int pos = first; pos <= last; ++pos) {
    const Span span = column.spans[static_cast<std::size_t>(pos)];
    if (ranged && range_start > 0 && pos == range_start) copied = span.start;
    if (pos == run.start()) {
      AppendText(text, copied, span.start, &out);
      out.push_back(kMarkOpen);
      copied = span.start;
    }
    if (pos == run.end()) {
      if (range_end != 0 && run.start() < range_start) out.push_back(kMarkOpen);
      AppendText(text, copied, span.end, &out);
      out.push_back(kMarkClose);
      copied = span.end;
      run.Next();
    }
    if (ranged && pos == range_end) {
      AppendText(text, copied, span.end, &out);
      copied = span.end;
      if (pos >= run.start() && pos < run.end()) out.push_back(kMarkClose);
    }
  }
  if (range_end >= col_size - 1) {
    AppendText(text, copied, text.size(), &out);
  } else {
    out.append(kEllipsis);
  }
  return out;
}

}  // namespace

std::vector<HighlightPhrase> PhrasesOf(std::string_view expr) {
  std::vector<HighlightPhrase> phrases;
  std::size_t i = 0;
  while (i < expr.size()) {
    if (expr[i] != '"') {
      ++i;
      continue;
    }
    // A string: "" inside stands for one '"'. FTS5 rejects an unterminated one.
    std::string text;
    bool closed = false;
    for (++i; i < expr.size(); ++i) {
      if (expr[i] == '"') {
        if (i + 1 < expr.size() && expr[i + 1] == '"') {
          text.push_back('"');
          ++i;
          continue;
        }
        ++i;
        closed = true;
        break;
      }
      text.push_back(expr[i]);
    }
    if (!closed) break;
    std::size_t j = i;
    while (j < expr.size() && IsFts5Space(expr[j])) ++j;
    HighlightPhrase phrase;
    if (j < expr.size() && expr[j] == '*') {
      phrase.prefix = true;
      i = j + 1;
    }
    for (Token& token : Tokenize(text)) phrase.tokens.push_back(std::move(token.text));
    if (!phrase.tokens.empty()) phrases.push_back(std::move(phrase));
  }
  return phrases;
}

std::string Snippet(const std::vector<std::string_view>& columns,
                    const std::vector<HighlightPhrase>& phrases, int max_tokens) {
  if (columns.empty()) return std::string();
  const QueryTerms query(phrases);
  std::vector<int> phrase_size;
  phrase_size.reserve(phrases.size());
  for (const HighlightPhrase& phrase : phrases) {
    phrase_size.push_back(static_cast<int>(phrase.tokens.size()));
  }

  TokenMatcher matcher(query);
  std::vector<Column> data;
  data.reserve(columns.size());
  for (std::string_view text : columns) data.push_back(ReadColumn(text, &matcher));

  // The best fragment: the highest score, the first one on ties.
  const int n_tokens = max_tokens;
  int best_col = 0;
  int best_start = 0;
  int best_score = 0;
  SeenPhrases seen(phrases.size());
  for (std::size_t c = 0; c < data.size(); ++c) {
    const std::vector<Instance>& instances = data[c].instances;
    if (instances.empty()) continue;
    const int doc_size = static_cast<int>(data[c].spans.size());
    const bool by_sentence = doc_size > n_tokens;
    SentenceFinder sentences(columns[c], data[c].spans);
    std::size_t at_sentence = 0;  // the first instance at or after the current sentence start
    int scored_sentence = -1;
    for (std::size_t i = 0; i < instances.size(); ++i) {
      // Instances at one offset score the same: only the first can be better.
      const int offset = instances[i].offset;
      if (i > 0 && instances[i - 1].offset == offset) continue;
      int adjusted = 0;
      int score = Score(instances, i, phrase_size, offset, n_tokens, doc_size, &seen, &adjusted);
      if (score > best_score) {
        best_score = score;
        best_col = static_cast<int>(c);
        best_start = adjusted;
      }
      if (!by_sentence) continue;
      // The sentence holding the instance, started at its first token, earns a bonus.
      const int sentence = sentences.StartOf(offset);
      if (sentence < offset && sentence != scored_sentence) {
        scored_sentence = sentence;
        while (instances[at_sentence].offset < sentence) ++at_sentence;
        score = Score(instances, at_sentence, phrase_size, sentence, n_tokens, doc_size, &seen,
                      nullptr) +
                (sentence == 0 ? 120 : 100);
        if (score > best_score) {
          best_score = score;
          best_col = static_cast<int>(c);
          best_start = sentence;
        }
      }
    }
  }
  const auto col = static_cast<std::size_t>(best_col);
  return Render(columns[col], data[col], phrase_size, best_start, n_tokens);
}

}  // namespace codex::search

#undef CODEX_ALWAYS_INLINE
