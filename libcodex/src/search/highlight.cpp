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
// phrase number.

namespace codex::search {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

struct Span {
  std::size_t start;
  std::size_t end;
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

// The distinct terms of the phrases. A document token is stemmed only when its first byte is the
// first byte of a term: the stem keeps the token's first byte, so no other token can match.
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

  // Sets in `mask` (words() words) the bit of every term the cursor's token matches.
  void Match(Unicode61Cursor* token, std::string* stem, std::uint64_t* mask) const {
    if (!first_bytes_[token->first_folded_byte()]) return;
    PorterStem(token->folded(), stem);
    std::string_view term = Truncated(*stem);
    for (std::size_t i = 0; i < terms_.size(); ++i) {
      const std::string& text = terms_[i].text;
      bool hit = terms_[i].prefix ? term.starts_with(text) : term == text;
      if (hit) mask[i / 64] |= std::uint64_t{1} << (i % 64);
    }
  }

 private:
  struct Term {
    std::string text;
    bool prefix;
  };

  int Intern(std::string_view text, bool prefix) {
    for (std::size_t i = 0; i < terms_.size(); ++i) {
      if (terms_[i].prefix == prefix && terms_[i].text == text) return static_cast<int>(i);
    }
    if (!text.empty()) first_bytes_[static_cast<unsigned char>(text[0])] = true;
    terms_.push_back({std::string(text), prefix});
    return static_cast<int>(terms_.size() - 1);
  }

  std::vector<Term> terms_;
  std::vector<std::vector<int>> phrase_terms_;
  bool first_bytes_[256] = {};
  std::size_t words_ = 1;
};

Column ReadColumn(std::string_view text, const QueryTerms& query, std::string* stem,
                  std::vector<std::uint64_t>* masks) {
  Column column;
  const std::size_t words = query.words();
  masks->clear();
  Unicode61Cursor cursor(text);
  while (cursor.Next()) {
    column.spans.push_back({cursor.start(), cursor.end()});
    masks->resize(masks->size() + words, 0);
    query.Match(&cursor, stem, masks->data() + masks->size() - words);
  }
  const auto& phrase_terms = query.phrase_terms();
  const std::size_t n = column.spans.size();
  for (std::size_t pos = 0; pos < n; ++pos) {
    const std::uint64_t* at = masks->data() + pos * words;
    if (std::all_of(at, at + words, [](std::uint64_t w) { return w == 0; })) continue;
    for (std::size_t p = 0; p < phrase_terms.size(); ++p) {
      const std::vector<int>& terms = phrase_terms[p];
      if (terms.empty() || pos + terms.size() > n) continue;
      bool match = true;
      for (std::size_t k = 0; k < terms.size() && match; ++k) {
        const std::uint64_t word = (*masks)[(pos + k) * words + terms[k] / 64];
        match = ((word >> (terms[k] % 64)) & 1) != 0;
      }
      if (match) column.instances.push_back({static_cast<int>(p), static_cast<int>(pos)});
    }
  }
  return column;
}

// fts5SentenceFinderCb: token 0, and every token preceded by '.' or ':' and then white space.
std::vector<int> SentenceStarts(std::string_view text, const std::vector<Span>& spans) {
  std::vector<int> starts;
  for (std::size_t pos = 0; pos < spans.size(); ++pos) {
    if (pos == 0) {
      starts.push_back(0);
      continue;
    }
    std::size_t i = spans[pos].start;
    while (i > 0 && IsFts5Space(text[i - 1])) --i;
    if (i != spans[pos].start && i > 0 && (text[i - 1] == '.' || text[i - 1] == ':')) {
      starts.push_back(static_cast<int>(pos));
    }
  }
  return starts;
}

// Per-phrase "seen" flags of fts5SnippetScore, cleared in O(1).
class SeenPhrases {
 public:
  explicit SeenPhrases(std::size_t phrases) : stamp_(phrases, 0) {}
  void Clear() { ++now_; }
  // True when already seen; marks it seen.
  bool TestAndSet(int phrase) {
    bool seen = stamp_[static_cast<std::size_t>(phrase)] == now_;
    stamp_[static_cast<std::size_t>(phrase)] = now_;
    return seen;
  }

 private:
  std::vector<std::uint32_t> stamp_;
  std::uint32_t now_ = 1;
};

// fts5SnippetScore: 1000 for the first instance of each phrase starting in [pos, pos + n_tokens),
// 1 for each further one. With `adjusted`, also the fragment start that centres those instances.
int Score(const std::vector<Instance>& instances, const std::vector<int>& phrase_size, int pos,
          int n_tokens, int doc_size, SeenPhrases* seen, int* adjusted) {
  const std::int64_t end = static_cast<std::int64_t>(pos) + n_tokens;
  auto it = std::lower_bound(instances.begin(), instances.end(), pos,
                             [](const Instance& in, int offset) { return in.offset < offset; });
  int score = 0;
  int first = -1;
  int last = 0;
  seen->Clear();
  for (; it != instances.end() && it->offset < end; ++it) {
    score += seen->TestAndSet(it->phrase) ? 1 : 1000;
    if (first < 0) first = it->offset;
    last = it->offset + phrase_size[static_cast<std::size_t>(it->phrase)];
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

// SQLite appends text with "%.*s", which stops at a NUL byte.
void AppendText(std::string_view piece, std::string* out) {
  const void* nul = std::memchr(piece.data(), '\0', piece.size());
  if (nul != nullptr) piece = piece.substr(0, static_cast<const char*>(nul) - piece.data());
  out->append(piece);
}

// fts5HighlightCb over tokens [range_start, range_start + n_tokens) of the chosen column, with the
// ellipses of fts5SnippetFunction.
std::string Render(std::string_view text, const Column& column,
                   const std::vector<int>& phrase_size, int range_start, int n_tokens) {
  const int range_end = range_start + n_tokens - 1;
  const int col_size = static_cast<int>(column.spans.size());
  std::string out;
  out.reserve(256);
  if (range_start > 0) out.append(kEllipsis);
  CoalescedInstances run(column.instances, phrase_size);
  while (run.start() >= 0 && run.start() < range_start) run.Next();

  std::size_t copied = 0;  // text before this offset is in `out` (or skipped)
  bool open = false;
  const int last = std::min(range_end, col_size - 1);
  for (int pos = std::max(range_start, 0); pos <= last; ++pos) {
    const Span span = column.spans[static_cast<std::size_t>(pos)];
    if (range_start > 0 && pos == range_start) copied = span.start;
    if (open && (pos <= run.start() || run.start() < 0) && span.start > copied) {
      out.push_back(kMarkClose);
      open = false;
    }
    if (pos == run.start() && !open) {
      AppendText(text.substr(copied, span.start - copied), &out);
      out.push_back(kMarkOpen);
      copied = span.start;
      open = true;
    }
    if (pos == run.end()) {
      if (!open) {
        out.push_back(kMarkOpen);
        open = true;
      }
      AppendText(text.substr(copied, span.end - copied), &out);
      copied = span.end;
      run.Next();
    }
    if (pos == range_end) {
      if (open) {
        if (run.start() >= 0 && pos >= run.start()) {
          AppendText(text.substr(copied, span.end - copied), &out);
          copied = span.end;
        }
        out.push_back(kMarkClose);
        open = false;
      }
      AppendText(text.substr(copied, span.end - copied), &out);
      copied = span.end;
    }
  }
  if (open) out.push_back(kMarkClose);
  if (range_end >= col_size - 1) {
    AppendText(text.substr(copied), &out);
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
  const QueryTerms query(phrases);
  std::vector<int> phrase_size;
  phrase_size.reserve(phrases.size());
  for (const HighlightPhrase& phrase : phrases) {
    phrase_size.push_back(static_cast<int>(phrase.tokens.size()));
  }

  std::string stem;
  std::vector<std::uint64_t> masks;
  std::vector<Column> data;
  data.reserve(columns.size());
  for (std::string_view text : columns) data.push_back(ReadColumn(text, query, &stem, &masks));

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
    std::vector<int> sentences;
    if (by_sentence) sentences = SentenceStarts(columns[c], data[c].spans);
    for (const Instance& in : instances) {
      int adjusted = 0;
      int score = Score(instances, phrase_size, in.offset, n_tokens, doc_size, &seen, &adjusted);
      if (score > best_score) {
        best_score = score;
        best_col = static_cast<int>(c);
        best_start = adjusted;
      }
      if (!by_sentence) continue;
      // The sentence holding the instance, started at its first token, earns a bonus.
      auto next = std::upper_bound(sentences.begin(), sentences.end(), in.offset);
      const int sentence = *std::prev(next);
      if (sentence < in.offset) {
        score = Score(instances, phrase_size, sentence, n_tokens, doc_size, &seen, nullptr) +
                (sentence == 0 ? 120 : 100);
        if (score > best_score) {
          best_score = score;
          best_col = static_cast<int>(c);
          best_start = sentence;
        }
      }
    }
  }
  if (data.empty()) return std::string();
  const auto col = static_cast<std::size_t>(best_col);
  return Render(columns[col], data[col], phrase_size, best_start, n_tokens);
}

}  // namespace codex::search
