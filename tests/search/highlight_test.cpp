// search/highlight.hpp against FTS5's own snippet() on the files_fts table of SEMANTICS §12, over
// generated notes and queries compiled by ParseSearchQuery.
#include "search/highlight.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "search/query_parser.hpp"

using codex::search::HighlightPhrase;
using codex::search::PhrasesOf;
using codex::search::Snippet;

namespace {

struct Row {
  std::string title;
  std::string content;
  std::string tags;
};

struct Hit {
  std::int64_t rowid = 0;
  Row row;
  std::string snippet;
};

// An in-memory database with the files_fts table exactly as the notebook index creates it.
class SnippetDb {
 public:
  SnippetDb() {
    REQUIRE(sqlite3_open(":memory:", &db_) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db_,
                         "CREATE VIRTUAL TABLE files_fts USING fts5(title, content, tags, "
                         "tokenize = 'porter unicode61 remove_diacritics 1')",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~SnippetDb() { sqlite3_close(db_); }
  SnippetDb(const SnippetDb&) = delete;
  SnippetDb& operator=(const SnippetDb&) = delete;

  void Insert(std::int64_t rowid, const Row& row) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_,
                               "INSERT INTO files_fts(rowid, title, content, tags) "
                               "VALUES (?, ?, ?, ?)",
                               -1, &stmt, nullptr) == SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, rowid);
    Bind(stmt, 2, row.title);
    Bind(stmt, 3, row.content);
    Bind(stmt, 4, row.tags);
    REQUIRE(sqlite3_step(stmt) == SQLITE_DONE);
    sqlite3_finalize(stmt);
  }

  // The rows `match` selects, best first when `by_rank`, at most `limit` from `offset`, with
  // FTS5's snippet of each.
  std::vector<Hit> Search(const std::string& match, int max_tokens, bool by_rank, int limit,
                          int offset) {
    std::string sql =
        "SELECT rowid, title, content, tags, "
        "snippet(files_fts, -1, char(1), char(2), '…', ?2) "
        "FROM files_fts WHERE files_fts MATCH ?1";
    if (by_rank) sql += " ORDER BY rank";
    sql += " LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    Bind(stmt, 1, match);
    sqlite3_bind_int(stmt, 2, max_tokens);
    std::vector<Hit> hits;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      Hit hit;
      hit.rowid = sqlite3_column_int64(stmt, 0);
      hit.row.title = Text(stmt, 1);
      hit.row.content = Text(stmt, 2);
      hit.row.tags = Text(stmt, 3);
      hit.snippet = Text(stmt, 4);
      hits.push_back(std::move(hit));
    }
    INFO("MATCH " << match << ": " << sqlite3_errmsg(db_));
    CHECK(rc == SQLITE_DONE);
    sqlite3_finalize(stmt);
    return hits;
  }

 private:
  static void Bind(sqlite3_stmt* stmt, int index, const std::string& text) {
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  static std::string Text(sqlite3_stmt* stmt, int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
    return text == nullptr
               ? std::string()
               : std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
  }

  sqlite3* db_ = nullptr;
};

// Words with shared stems and prefixes (porter: measure → measur, measurements → measur), words
// that stem to the same term from different forms, accents, Greek and Cyrillic, numbers.
const std::vector<std::string> kWords = {
    "buffer",
    "buffers",
    "buffered",
    "lysis",
    "lyse",
    "lysed",
    "protein",
    "proteins",
    "proteomics",
    "sample",
    "samples",
    "sampled",
    "sampling",
    "measure",
    "measured",
    "measurement",
    "measurements",
    "measuring",
    "run",
    "running",
    "runs",
    "runner",
    "ran",
    "cell",
    "cells",
    "cellular",
    "culture",
    "cultured",
    "cultures",
    "incubate",
    "incubated",
    "incubation",
    "centrifuge",
    "centrifuged",
    "spectroscopy",
    "spectrometer",
    "spectra",
    "spectral",
    "analysis",
    "analyses",
    "analyze",
    "analyzed",
    "relational",
    "conditional",
    "happiness",
    "happy",
    "hopeful",
    "electrical",
    "connection",
    "connected",
    "connecting",
    "generalization",
    "general",
    "the",
    "a",
    "of",
    "and",
    "in",
    "to",
    "with",
    "at",
    "was",
    "is",
    "for",
    "on",
    "by",
    "pH",
    "PCR",
    "DNA",
    "RNA",
    "mL",
    "µL",
    "37°C",
    "1.5",
    "2023-01-05",
    "v2",
    "x-ray",
    "e-mail",
    "café",
    "Café",
    "CAFÉ",
    "naïve",
    "résumé",
    "Ångström",
    "Straße",
    "façade",
    "crème",
    "Zürich",
    "São",
    "Łódź",
    "αλφα",
    "βήτα",
    "Γάμμα",
    "ΔΈΛΤΑ",
    "Привет",
    "мир",
    "Раствор",
    "буфер",
    "белок",
    "ЁЖИК",
    "蛋白质",
    "🧪",
    "Buffer",
    "BUFFER",
    "Lysis",
    "PROTEIN",
    "Sample",
    "Measurement",
    "yield",
    "yields",
    "yielded",
    "assay",
    "assays",
    "assayed",
    "gel",
    "gels",
    "western",
    "blot",
    "blotting",
    "antibody",
    "antibodies",
    "dilution",
    "diluted",
    "dilute",
    "ratio",
    "rational",
};

// Words of queries that no note contains.
const std::vector<std::string> kMissing = {"zebrafish", "quasar", "xylophone", "Öffnung"};

class NoteGenerator {
 public:
  explicit NoteGenerator(std::uint32_t seed) : random_(seed) {}

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }
  bool Chance(int percent) { return Uniform(0, 99) < percent; }
  const std::string& Word() {
    return kWords[static_cast<std::size_t>(Uniform(0, static_cast<int>(kWords.size()) - 1))];
  }

  std::string Sentence() {
    std::string out;
    const int words = Uniform(1, 18);
    for (int i = 0; i < words; ++i) {
      if (i > 0) {
        static const char* const kGaps[] = {" ",  " ",   " ",   " ",   ", ", "; ",  " - ", " (",
                                            ") ", " / ", " \"", "\" ", "'",  " **", "** ", " `"};
        out += kGaps[Uniform(0, 15)];
      }
      if (Chance(8)) {
        const std::string& word = Word();  // runs of one word: overlapping instances
        for (int n = Uniform(2, 4); n > 0; --n) out += word + (n > 1 ? " " : "");
      } else {
        out += Word();
      }
    }
    static const char* const kEnds[] = {". ", ".\n", ": ",  ":\n",   "! ",  "? ", ".", "\n",
                                        " ",  ".  ", ".\t", ":\r\n", "...", " .", ", "};
    out += kEnds[Uniform(0, 14)];
    return out;
  }

  std::string Content() {
    int target = Chance(20) ? Uniform(0, 120) : Uniform(0, 4096);
    std::string out;
    while (static_cast<int>(out.size()) < target) {
      switch (Uniform(0, 9)) {
        case 0:
          out +=
              std::string(static_cast<std::size_t>(Uniform(1, 3)), '#') + " " + Sentence() + "\n\n";
          break;
        case 1:
          out += "- " + Sentence() + "\n";
          break;
        case 2:
          out += "| " + Word() + " | " + Word() + " |\n";
          break;
        case 3:
          out += "[" + Word() + "](https://example.org/" + Word() + "_" + Word() + ") ";
          break;
        default:
          out += Sentence();
      }
    }
    if (Chance(1)) out.insert(out.size() / 2, 1, '\0');  // SQLite copies text up to a NUL
    return out;
  }

  std::string Title() {
    std::string out;
    for (int n = Uniform(0, 7); n > 0; --n) out += Word() + (n > 1 ? " " : "");
    return out;
  }

  std::string Tags() {
    std::string out;
    for (int n = Chance(30) ? 0 : Uniform(1, 5); n > 0; --n) {
      out += (Chance(30) ? "#" : "") + Word() + (n > 1 ? ", " : "");
    }
    return out;
  }

  Row Note() {
    Row row;
    row.title = Title();
    row.content = Content();
    row.tags = Tags();
    return row;
  }

  // A word of `text` at a random place (or a vocabulary word when it has none).
  std::string WordOf(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
      if (c == ' ' || c == '\n' || c == ',' || c == '.') {
        if (!word.empty()) words.push_back(word);
        word.clear();
      } else {
        word.push_back(c);
      }
    }
    if (!word.empty()) words.push_back(word);
    if (words.empty()) return Word();
    return words[static_cast<std::size_t>(Uniform(0, static_cast<int>(words.size()) - 1))];
  }

  // A user query (SEMANTICS §12.3) over `notes`: words, phrases, prefixes, OR, exclusions, terms
  // found only in titles or tags, and terms found nowhere.
  std::string Query(const std::vector<Row>& notes) {
    const Row& note =
        notes[static_cast<std::size_t>(Uniform(0, static_cast<int>(notes.size()) - 1))];
    auto term = [&]() -> std::string {
      switch (Uniform(0, 11)) {
        case 0:
          return kMissing[static_cast<std::size_t>(Uniform(0, 3))];
        case 1:
          return WordOf(note.title);
        case 2:
          return WordOf(note.tags);
        case 3: {
          std::string word = Word();
          std::size_t cut = static_cast<std::size_t>(Uniform(1, 6));
          return (cut < word.size() ? word.substr(0, cut) : word) + "*";
        }
        case 4:
        case 5: {
          // Consecutive words of the note's content, as a phrase.
          std::size_t at =
              note.content.empty()
                  ? 0
                  : static_cast<std::size_t>(Uniform(0, static_cast<int>(note.content.size()) - 1));
          std::size_t space = note.content.find(' ', at);
          std::string phrase = note.content.substr(space == std::string::npos ? 0 : space + 1,
                                                   static_cast<std::size_t>(Uniform(4, 30)));
          std::string clean;
          for (char c : phrase) clean.push_back(c == '"' || c == '\0' ? ' ' : c);
          return "\"" + clean + "\"" + (Chance(20) ? "*" : "");
        }
        case 6:
          return "\"" + Word() + " " + Word() + "\"";
        default:
          return Word();
      }
    };
    std::string q = term();
    for (int n = Uniform(0, 3); n > 0; --n) {
      switch (Uniform(0, 5)) {
        case 0:
          q += " OR ";
          break;
        case 1:
          q += " -";
          break;
        case 2:
          q += " NOT ";
          break;
        default:
          q += " ";
      }
      q += term();
    }
    return q;
  }

 private:
  std::mt19937 random_;
};

std::string Visible(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\x01') {
      out += "[[";
    } else if (c == '\x02') {
      out += "]]";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

struct Totals {
  int queries = 0;
  int rows = 0;
  int failures = 0;
};

// Each query compares the snippets of the (at most) 40 rows FTS5 returns, as a search page would.
constexpr int kRowsPerQuery = 40;

// Runs `queries` generated queries over `notes` (already in `db`) and compares every row's snippet.
void Compare(SnippetDb* db, NoteGenerator* gen, const std::vector<Row>& notes, int queries,
             int max_tokens, Totals* totals) {
  for (int i = 0; i < queries && totals->failures < 5; ++i) {
    const std::string q = gen->Query(notes);
    auto plan = codex::search::ParseSearchQuery(q);
    if (!plan.ok() || plan->match.empty()) continue;
    const std::vector<HighlightPhrase> phrases = PhrasesOf(plan->match);
    ++totals->queries;
    const bool by_rank = gen->Chance(50);
    const int offset = by_rank ? 0 : gen->Uniform(0, 100);
    for (const Hit& hit : db->Search(plan->match, max_tokens, by_rank, kRowsPerQuery, offset)) {
      ++totals->rows;
      std::string ours =
          Snippet({hit.row.title, hit.row.content, hit.row.tags}, phrases, max_tokens);
      if (ours == hit.snippet) continue;
      ++totals->failures;
      INFO("query: " << q << "\nMATCH: " << plan->match << "\nrow " << hit.rowid << ", max_tokens "
                     << max_tokens << "\ntitle: " << hit.row.title << "\ntags: " << hit.row.tags
                     << "\ncontent: " << hit.row.content << "\nFTS5: " << Visible(hit.snippet)
                     << "\nours: " << Visible(ours));
      CHECK(ours == hit.snippet);
      if (totals->failures >= 5) break;
    }
  }
}

void RunDifferential(std::uint32_t seed, int notes_count, int queries,
                     const std::vector<int>& max_tokens) {
  SnippetDb db;
  NoteGenerator gen(seed);
  std::vector<Row> notes;
  for (int i = 0; i < notes_count; ++i) {
    notes.push_back(gen.Note());
    db.Insert(i + 1, notes.back());
  }
  Totals totals;
  for (int n : max_tokens) Compare(&db, &gen, notes, queries, n, &totals);
  INFO("queries " << totals.queries << ", rows compared " << totals.rows);
  CHECK(totals.failures == 0);
  CHECK(totals.rows > notes_count);
  WARN("snippet differential (seed " << seed << "): " << totals.queries << " queries, "
                                     << totals.rows << " rows equal to FTS5");
}

}  // namespace

TEST_CASE("PhrasesOf reads the quoted strings of a MATCH expression") {
  std::vector<HighlightPhrase> phrases =
      PhrasesOf(R"(("spectro"*) AND ("lysis buffer") NOT ("ripa" OR "say ""hi"""))");
  REQUIRE(phrases.size() == 4);
  CHECK(phrases[0].tokens == std::vector<std::string>{"spectro"});
  CHECK(phrases[0].prefix);
  CHECK(phrases[1].tokens == std::vector<std::string>{"lysi", "buffer"});
  CHECK_FALSE(phrases[1].prefix);
  CHECK(phrases[2].tokens == std::vector<std::string>{"ripa"});
  CHECK(phrases[3].tokens == std::vector<std::string>{"sai", "hi"});
  // Strings without a token are left out; "x" * is a prefix as FTS5 reads it.
  phrases = PhrasesOf(R"(("--") AND ("Running Cafés" *))");
  REQUIRE(phrases.size() == 1);
  CHECK(phrases[0].tokens == std::vector<std::string>{"run", "cafe"});
  CHECK(phrases[0].prefix);
  CHECK(PhrasesOf("").empty());
  CHECK(PhrasesOf("\"unterminated").empty());
}

TEST_CASE("Snippet marks matches and cuts 32-token fragments like FTS5") {
  auto snippet = [](std::vector<std::string_view> columns, const char* query) {
    auto plan = codex::search::ParseSearchQuery(query);
    REQUIRE(plan.ok());
    return Visible(Snippet(columns, PhrasesOf(plan->match)));
  };
  CHECK(snippet({"Notes", "The quick brown fox.", ""}, "quick") == "The [[quick]] brown fox.");
  // The title wins when it scores as well as the content (first column first).
  CHECK(snippet({"Buffers", "A buffer.", ""}, "buffer") == "[[Buffers]]");
  // Overlapping phrase instances are one run; adjacent ones are two.
  CHECK(snippet({"", "lysis buffer pH", ""}, "\"lysis buffer\" \"buffer pH\"") ==
        "[[lysis buffer pH]]");
  CHECK(snippet({"", "lysis buffer buffer", ""}, "\"lysis buffer\" buffer") ==
        "[[lysis buffer]] [[buffer]]");
  CHECK(snippet({"", "buffer buffer", ""}, "buffer") == "[[buffer]] [[buffer]]");
  // Long text: a fragment of 32 tokens around the match, with ellipses.
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "w" + std::to_string(i) + " ";
  long_text += "target";
  for (int i = 100; i < 200; ++i) long_text += " w" + std::to_string(i);
  std::string expected = "…";
  for (int i = 85; i < 100; ++i) expected += "w" + std::to_string(i) + " ";
  expected += "[[target]]";
  for (int i = 100; i < 116; ++i) expected += " w" + std::to_string(i);
  expected += "…";
  CHECK(snippet({"", long_text, ""}, "target") == expected);
}

TEST_CASE("Snippet equals FTS5 snippet() on generated notes and queries") {
  RunDifferential(20240611, 2000, 250, {32});
}

TEST_CASE("Snippet equals FTS5 snippet() for other fragment sizes") {
  RunDifferential(77, 500, 30, {0, 1, 2, 3, 7, 16, 31, 64, 100});
}

// Longer run: ./search_test "[.long]"
TEST_CASE("Snippet equals FTS5 snippet() on many more notes and queries", "[.long]") {
  for (std::uint32_t seed : {1u, 2u, 3u, 4u}) RunDifferential(seed, 5000, 1500, {32});
}
