// search/tokenizer.hpp against the real FTS5 tokenizer of the linked SQLite, called through the
// fts5_api (the same code files_fts runs).
#include "search/tokenizer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

using codex::search::FoldToken;
using codex::search::ForEachUnicode61Token;
using codex::search::PorterStem;
using codex::search::Token;
using codex::search::Tokenize;

namespace {

// One FTS5 tokenizer instance of an in-memory database, e.g. Fts5Tokenizer("porter",
// {"unicode61", "remove_diacritics", "1"}).
class RealTokenizer {
 public:
  RealTokenizer(const char* name, std::vector<const char*> args) {
    REQUIRE(sqlite3_open(":memory:", &db_) == SQLITE_OK);
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK);
    sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    REQUIRE(api != nullptr);
    void* context = nullptr;
    REQUIRE(api->xFindTokenizer(api, name, &context, &module_) == SQLITE_OK);
    REQUIRE(module_.xCreate(context, args.data(), static_cast<int>(args.size()), &tokenizer_) ==
            SQLITE_OK);
  }
  ~RealTokenizer() {
    module_.xDelete(tokenizer_);
    sqlite3_close(db_);
  }
  RealTokenizer(const RealTokenizer&) = delete;
  RealTokenizer& operator=(const RealTokenizer&) = delete;

  std::vector<Token> Tokenize(std::string_view text) {
    std::vector<Token> tokens;
    module_.xTokenize(tokenizer_, &tokens, FTS5_TOKENIZE_DOCUMENT, text.data(),
                      static_cast<int>(text.size()), &OnToken);
    return tokens;
  }

 private:
  static int OnToken(void* context, int flags, const char* token, int size, int start, int end) {
    (void)flags;
    static_cast<std::vector<Token>*>(context)->push_back(
        {std::string(token, static_cast<std::size_t>(size)), static_cast<std::size_t>(start),
         static_cast<std::size_t>(end)});
    return SQLITE_OK;
  }

  sqlite3* db_ = nullptr;
  fts5_tokenizer module_{};
  Fts5Tokenizer* tokenizer_ = nullptr;
};

RealTokenizer& RealPorter() {
  static RealTokenizer tokenizer("porter", {"unicode61", "remove_diacritics", "1"});
  return tokenizer;
}

std::string Show(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    out += "[" + std::to_string(t.start) + "," + std::to_string(t.end) + ") '" + t.text + "'\n";
  }
  return out;
}

void Utf8(std::uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool SameAsFts5(std::string_view text) {
  std::vector<Token> real = RealPorter().Tokenize(text);
  std::vector<Token> ours = Tokenize(text);
  bool same = real.size() == ours.size();
  for (std::size_t i = 0; same && i < real.size(); ++i) {
    same = real[i].text == ours[i].text && real[i].start == ours[i].start &&
           real[i].end == ours[i].end;
  }
  if (!same) {
    INFO("text: " << text << "\nFTS5:\n" << Show(real) << "ours:\n" << Show(ours));
    CHECK(same);
  }
  return same;
}

}  // namespace

TEST_CASE("Tokenizer folds case and Latin diacritics and reports byte offsets") {
  auto texts = [](std::string_view text) {
    std::vector<std::string> out;
    for (const Token& t : Tokenize(text)) out.push_back(t.text);
    return out;
  };
  CHECK(texts("").empty());
  CHECK(texts("  \t.,;  ").empty());
  CHECK(texts("Hello, World") == std::vector<std::string>{"hello", "world"});
  CHECK(texts("Café crème BRÛLÉE") == std::vector<std::string>{"cafe", "creme", "brule"});
  // remove_diacritics 1 strips Latin diacritics only.
  CHECK(texts("Ελληνικά Кириллица") == std::vector<std::string>{"ελληνικά", "кириллица"});
  CHECK(texts("snake_case x-ray") == std::vector<std::string>{"snake", "case", "x", "rai"});
  std::vector<Token> tokens = Tokenize("  Ärger: e\xCC\x81t\xC3\xA9!");
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].start == 2);
  CHECK(tokens[0].end == 8);
  CHECK(tokens[1].text == "et");  // the combining acute accent vanishes inside a token
  CHECK(tokens[1].start == 10);
  CHECK(tokens[1].end == 16);
}

TEST_CASE("Tokenizer stems as FTS5 porter does") {
  std::string out;
  auto stem = [&out](std::string_view word) {
    PorterStem(word, &out);
    return out;
  };
  CHECK(stem("caresses") == "caress");
  CHECK(stem("ponies") == "poni");
  CHECK(stem("running") == "run");
  CHECK(stem("relational") == "relat");
  CHECK(stem("generalization") == "gener");
  CHECK(stem("happy") == "happi");
  CHECK(stem("aed") == "a");                                  // "ed" leaves one letter
  CHECK(stem("ab") == "ab");                                  // under 3 bytes: unchanged
  CHECK(stem(std::string(65, 's')) == std::string(65, 's'));  // over 64 bytes: unchanged
  CHECK(stem(std::string(64, 's')) == std::string(64, 's'));
}

TEST_CASE("Tokenizer matches FTS5 on every code point") {
  // unicode61 alone (porter does not look at non-ASCII bytes): each code point alone, then inside
  // a word, where diacritics continue a token. Every code point of planes 0, 1 and 14; every 97th
  // of planes 2 to 13, 15 and 16 (CJK extensions, unassigned and private use), to keep it fast.
  RealTokenizer unicode61("unicode61", {"remove_diacritics", "1"});
  std::string folded;
  std::uint32_t c = 1;
  while (c < 0x110000) {
    std::string text;
    for (int n = 0; n < 0x4000 && c < 0x110000; ++n) {
      if (c < 0xD800 || c >= 0xE000) {
        Utf8(c, &text);
        text += " x";
        Utf8(c, &text);
        text += "y ";
      }
      c += (c < 0x20000 || (c >= 0xE0000 && c < 0xF0000)) ? 1 : 97;
    }
    const std::vector<Token> real = unicode61.Tokenize(text);
    std::size_t i = 0;
    std::size_t mismatches = 0;
    ForEachUnicode61Token(text, [&](std::size_t start, std::size_t end, bool) {
      FoldToken(std::string_view(text).substr(start, end - start), &folded);
      const bool same =
          i < real.size() && real[i].start == start && real[i].end == end && real[i].text == folded;
      if (!same && ++mismatches <= 3) {
        INFO("token " << i << " at " << start << ": ours '" << folded << "' [" << start << ","
                      << end << "), FTS5 '" << (i < real.size() ? real[i].text : "") << "'");
        CHECK(same);
      }
      ++i;
    });
    CHECK(i == real.size());
    if (mismatches > 0) break;
  }
}

TEST_CASE("Tokenizer matches FTS5 on invalid UTF-8 and random bytes") {
  using std::string_view_literals::operator""sv;
  for (std::string_view text :
       {"\xF4\x90\x80\x80"sv,
        "a\xF4\x90\x80\x80"
        "b"sv,
        "\xFB\xBF\xBF\xBF\xBF\xBF\xBF\xBF"sv, "\xFF\x80"sv, "\xAA"sv, "x\x80y"sv, "\xC0\x80"sv,
        "\xC3"sv, "ab\xC3"sv, "\xED\xA0\x80"sv, "\xEF\xBF\xBE"sv, "a\0b"sv, "\xCC\x81"sv}) {
    SameAsFts5(text);
  }
  std::mt19937 random(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> long_length(0, 400);
  for (int i = 0; i < 20000; ++i) {
    // Many letters, so that bytes land inside tokens too; every tenth text long and nearly all
    // letters, so that tokens cross the 64-byte blocks the tokenizer classifies at once.
    const bool long_text = i % 10 == 0;
    const int letters = long_text ? 240 : 96;
    std::string text;
    for (int n = long_text ? long_length(random) : length(random); n > 0; --n) {
      int b = byte(random);
      text.push_back(static_cast<char>(b < letters ? 'a' + b % 26 : b));
    }
    if (!SameAsFts5(text)) break;
  }
}

TEST_CASE("Tokenizer matches FTS5 on English words and Latin Greek and Cyrillic text") {
  // Word shapes that reach every porter rule: stems with the suffixes of each step, doubled
  // consonants, 'y' in every position, and 1 to 70 letters.
  const std::vector<std::string> stems = {
      "a",         "b",       "y",         "ya",      "by",       "hop",      "tann",    "fil",
      "fail",      "conflat", "troubl",    "siz",     "sing",     "cry",      "happ",    "sky",
      "rel",       "condit",  "ration",    "valen",   "hesit",    "digit",    "vietnam", "predic",
      "oper",      "feud",    "decis",     "sens",    "formal",   "radic",    "electr",  "hope",
      "good",      "revival", "allow",     "infer",   "airl",     "gyroscop", "adjust",  "depend",
      "adopt",     "homolog", "communism", "activ",   "angular",  "effect",   "bowdler", "control",
      "roll",      "mess",    "agree",     "plaster", "bled",     "motor",    "spectro", "lys",
      "centrifug", "prote",   "buff",      "incub",   "measur",   "sampl",    "cultur",  "yyy",
      "syzygy",    "queue",   "eee",       "oooo",    "strength", "rhythm",   "xyz",     "ss"};
  const std::vector<std::string> suffixes = {
      "",      "s",       "es",      "sses",    "ies",     "ss",     "ed",      "eed",   "ing",
      "at",    "bl",      "iz",      "y",       "ational", "tional", "enci",    "anci",  "izer",
      "logi",  "bli",     "alli",    "entli",   "eli",     "ousli",  "ization", "ation", "ator",
      "alism", "iveness", "fulness", "ousness", "aliti",   "iviti",  "biliti",  "icate", "ative",
      "alize", "iciti",   "ical",    "ful",     "ness",    "al",     "ance",    "ence",  "er",
      "ic",    "able",    "ible",    "ant",     "ement",   "ment",   "ent",     "sion",  "tion",
      "ou",    "ism",     "ate",     "iti",     "ous",     "ive",    "ize",     "e",     "ll",
      "ings",  "edly",    "ations",  "izers",   "ements",  "ly",     "ying",    "yed"};
  std::string words;
  for (const std::string& stem : stems) {
    for (const std::string& suffix : suffixes) words += stem + suffix + " " + stem + suffix + "s ";
  }
  for (int n = 1; n <= 70; ++n) words += std::string(static_cast<std::size_t>(n), 'e') + "d ";
  SameAsFts5(words);

  // The stemmer's first byte is the token's: the reason highlight.cpp stems lazily.
  std::string stem;
  std::string folded;
  ForEachUnicode61Token(words, [&](std::size_t start, std::size_t end, bool) {
    FoldToken(std::string_view(words).substr(start, end - start), &folded);
    PorterStem(folded, &stem);
    REQUIRE(!stem.empty());
    REQUIRE(stem[0] == folded[0]);
  });

  const std::vector<std::string> samples = {
      "Ångström Öl über Straße façade naïve résumé São Paulo Zürich Ærø Œuvre Łódź Đakovo ǅ",
      "ΑΘΗΝΑ Αθήνα ἀρχή Ωμέγα ΐ ϊ ς σ Σ ΰ",
      "МОСКВА Москва ёлка ЁЛКА Їжак ґанок Ў",
      "İstanbul ıi ǰ ﬁ ß ẞ µ ŉ Ǆ ǈ",
      "Ｆｕｌｌｗｉｄｔｈ ①②③ ½ ² ٣ 蛋白质 カタカナ 한국어 🧪 "
      "\xEF\xBF\xBD",
      "e\xCC\x81 a\xCC\x88\xCC\x81 \xCC\x81start o\xCC\xB8 n\xCC\x83",
      "# Heading\n\n- item one; item_two: 3.5 mL @ 37°C (pH 7.4)\n| a | b |\n`code();`",
  };
  for (const std::string& text : samples) SameAsFts5(text);
}

TEST_CASE("Porter stems keep the token but for its last two bytes as highlight.cpp assumes") {
  // Random words over the letters of the suffix rules, checked against FTS5, and the property the
  // lazy stemming of highlight.cpp rests on: the stem is not longer than the token and equals it
  // but in its last two bytes (never the first).
  std::mt19937 random(11);
  const std::string letters = "aaeeiioouuyysssttllnnccbbddggmmprvzwx";
  std::uniform_int_distribution<std::size_t> letter(0, letters.size() - 1);
  std::uniform_int_distribution<int> length(1, 70);
  std::string stem;
  for (int round = 0; round < 40; ++round) {
    std::string text;
    for (int n = 0; n < 2000; ++n) {
      std::string word;
      for (int k = length(random) / (n % 3 + 1); k > 0; --k)
        word.push_back(letters[letter(random)]);
      if (word.empty()) continue;
      PorterStem(word, &stem);
      const std::size_t kept = std::max<std::size_t>(1, stem.size() > 2 ? stem.size() - 2 : 1);
      INFO(word << " -> " << stem);
      REQUIRE(stem.size() <= word.size());
      REQUIRE(stem.compare(0, kept, word, 0, kept) == 0);
      text += word + " ";
    }
    if (!SameAsFts5(text)) break;
  }
}

// Prints the Unicode tables of tokenizer.cpp from the linked SQLite:
//   ./search_test "[.generate]"
TEST_CASE("Generate the unicode61 tables of tokenizer.cpp", "[.generate]") {
  RealTokenizer unicode61("unicode61", {"remove_diacritics", "1"});
  constexpr std::uint32_t kEnd = 0x110000;
  std::vector<char> token_char(kEnd, 0);
  std::vector<char> diacritic(kEnd, 0);
  std::map<std::uint32_t, std::uint32_t> fold;  // token characters that do not fold to themselves
  auto decode = [](const std::string& s) -> std::uint32_t {
    if (s.empty()) return 0;
    auto b = static_cast<unsigned char>(s[0]);
    if (b < 0x80) return b;
    std::uint32_t c = b < 0xE0 ? (b & 0x1Fu) : b < 0xF0 ? (b & 0x0Fu) : (b & 0x07u);
    for (std::size_t i = 1; i < s.size(); ++i) c = (c << 6) | (s[i] & 0x3F);
    return c;
  };
  for (std::uint32_t c = 0x80; c < kEnd; ++c) {
    if ((c >= 0xD800 && c < 0xE000) || c == 0xFFFE || c == 0xFFFF) continue;
    std::string alone;
    Utf8(c, &alone);
    std::uint32_t folded = c;
    std::vector<Token> tokens = unicode61.Tokenize(alone);
    if (tokens.size() == 1) {
      token_char[c] = 1;
      folded = decode(tokens[0].text);
    }
    tokens = unicode61.Tokenize("a" + alone + "a");
    if (tokens.size() == 1 && token_char[c] == 0) {
      diacritic[c] = 1;
      folded = decode(tokens[0].text.substr(1, tokens[0].text.size() - 2));
    }
    if ((token_char[c] != 0 || diacritic[c] != 0) && folded != c) fold[c] = folded;
  }

  std::string line = "   ";
  auto add = [&line](const std::string& item) {
    if (line.size() + item.size() > 99) {
      std::cout << line << "\n";
      line = "   ";
    }
    line += item;
  };
  auto flush = [&line] {
    std::cout << line << "\n};\n";
    line = "   ";
  };
  char item[96];
  std::cout << "constexpr CodeRange kTokenRanges[] = {\n";
  for (std::uint32_t c = 0x80; c < kEnd; ++c) {
    if (token_char[c] == 0 || token_char[c - 1] != 0) continue;
    std::uint32_t last = c;
    while (last + 1 < kEnd && token_char[last + 1] != 0) ++last;
    std::snprintf(item, sizeof item, " {0x%X, 0x%X},", c, last);
    add(item);
  }
  flush();

  // Runs of code points folding with one difference or to one target, every or every second.
  std::vector<std::uint32_t> folded_cps;
  for (const auto& entry : fold) folded_cps.push_back(entry.first);
  auto holds = [&fold](std::uint32_t c, bool to_target, std::int64_t value) {
    auto it = fold.find(c);
    if (it == fold.end()) return false;
    return to_target
               ? it->second == value
               : static_cast<std::int64_t>(it->second) - static_cast<std::int64_t>(c) == value;
  };
  std::cout << "constexpr FoldRun kFoldRuns[] = {\n";
  for (std::size_t i = 0; i < folded_cps.size();) {
    const std::uint32_t c = folded_cps[i];
    std::size_t best_count = 0;
    std::size_t best_last = i;
    bool best_to_target = false;
    std::uint32_t best_step = 1;
    std::int64_t best_value = 0;
    for (bool to_target : {false, true}) {
      if (!to_target && fold[c] == 0) continue;
      const std::int64_t value =
          to_target ? fold[c] : static_cast<std::int64_t>(fold[c]) - static_cast<std::int64_t>(c);
      for (std::uint32_t step : {1u, 2u}) {
        std::size_t k = i;
        while (k + 1 < folded_cps.size() && folded_cps[k + 1] == folded_cps[k] + step &&
               holds(folded_cps[k + 1], to_target, value) &&
               (step == 1 || fold.count(folded_cps[k] + 1) == 0)) {
          ++k;
        }
        const std::size_t count = k - i + 1;
        if (count > best_count || (count == best_count && to_target && count == 1)) {
          best_count = count;
          best_last = k;
          best_to_target = to_target;
          best_step = count == 1 ? 1 : step;
          best_value = value;
        }
      }
    }
    if (best_to_target) {
      std::snprintf(item, sizeof item, " {0x%X, 0x%X, %u, true, 0x%llX},", c, folded_cps[best_last],
                    best_step, static_cast<long long>(best_value));
    } else {
      std::snprintf(item, sizeof item, " {0x%X, 0x%X, %u, false, %lld},", c, folded_cps[best_last],
                    best_step, static_cast<long long>(best_value));
    }
    add(item);
    i = best_last + 1;
  }
  flush();

  std::uint32_t first = 0;
  std::uint32_t last = 0;
  std::uint64_t bits = 0;
  for (std::uint32_t c = 0; c < kEnd; ++c) {
    if (diacritic[c] == 0) continue;
    if (first == 0) first = c;
    last = c;
  }
  for (std::uint32_t c = first; c <= last; ++c) {
    if (diacritic[c] != 0) bits |= std::uint64_t{1} << (c - first);
  }
  std::snprintf(item, sizeof item, "diacritics U+%04X..U+%04X bits 0x%llXull\n", first, last,
                static_cast<unsigned long long>(bits));
  std::cout << item;
}
