// Every expression ParseSearchQuery produces runs against a real FTS5 table without an error.
#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/strings.hpp"
#include "search/query_parser.hpp"
#include "search/snippet.hpp"

namespace {

// An in-memory notebook index with the §12.1 table and a few rows.
class FtsDb {
 public:
  FtsDb() {
    REQUIRE(sqlite3_open(":memory:", &db_) == SQLITE_OK);
    Exec(
        "CREATE VIRTUAL TABLE files_fts USING fts5(title, content, tags, "
        "tokenize = 'porter unicode61 remove_diacritics 1')");
    Insert(1, "Alpha notes", "The quick brown fox jumps over the lazy dog", "lab biology");
    Insert(2, "Beta results", "Running experiments: alpha particles and beta decay", "physics");
    Insert(3, "Café crème", "Résumé of the été meeting; NEAR the \"quoted\" word", "two words");
    Insert(4, "Gamma", "OR AND NOT are ordinary words here; title:foo tag:bar", "");
    Insert(5, "Delta", "nothing in common", "misc");
  }
  ~FtsDb() { sqlite3_close(db_); }
  FtsDb(const FtsDb&) = delete;
  FtsDb& operator=(const FtsDb&) = delete;

  void Exec(const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    INFO((error ? error : ""));
    sqlite3_free(error);
    REQUIRE(rc == SQLITE_OK);
  }

  void Insert(int rowid, const char* title, const char* content, const char* tags) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_,
                               "INSERT INTO files_fts(rowid, title, content, tags) "
                               "VALUES (?, ?, ?, ?)",
                               -1, &stmt, nullptr) == SQLITE_OK);
    sqlite3_bind_int(stmt, 1, rowid);
    sqlite3_bind_text(stmt, 2, title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, content, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, tags, -1, SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(stmt) == SQLITE_DONE);
    sqlite3_finalize(stmt);
  }

  // Runs `sql` with `expr` bound to ?1; returns the rowids, or the SQLite error in *error.
  std::vector<std::int64_t> Run(const char* sql, const std::string& expr, std::string* error) {
    std::vector<std::int64_t> rows;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      *error = sqlite3_errmsg(db_);
      return rows;
    }
    sqlite3_bind_text(stmt, 1, expr.data(), static_cast<int>(expr.size()), SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      rows.push_back(sqlite3_column_int64(stmt, 0));
      // Exercise the snippet renderer on real FTS5 output.
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
      if (text != nullptr) (void)codex::search::RenderSnippet(text);
    }
    if (rc != SQLITE_DONE) *error = sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  // The two statement forms the search service uses (§12.2–12.4).
  std::string Check(const codex::search::SearchPlan& plan) {
    std::string error;
    if (!plan.match.empty()) {
      Run("SELECT rowid, snippet(files_fts, -1, char(1), char(2), '…', 32), "
          "bm25(files_fts, 10.0, 1.0, 5.0) FROM files_fts WHERE files_fts MATCH ?1",
          plan.match, &error);
      if (!error.empty()) return "match: " + plan.match + ": " + error;
    }
    if (!plan.exclude.empty()) {
      Run("SELECT rowid, NULL FROM files_fts WHERE rowid NOT IN "
          "(SELECT rowid FROM files_fts WHERE files_fts MATCH ?1)",
          plan.exclude, &error);
      if (!error.empty()) return "exclude: " + plan.exclude + ": " + error;
    }
    return {};
  }

  std::vector<std::int64_t> Search(const std::string& q) {
    auto plan = codex::search::ParseSearchQuery(q);
    REQUIRE(plan.ok());
    std::string error;
    std::vector<std::int64_t> rows;
    if (!plan->match.empty()) {
      rows = Run("SELECT rowid, NULL FROM files_fts WHERE files_fts MATCH ?1", plan->match, &error);
    } else if (!plan->exclude.empty()) {
      rows =
          Run("SELECT rowid, NULL FROM files_fts WHERE rowid NOT IN "
              "(SELECT rowid FROM files_fts WHERE files_fts MATCH ?1)",
              plan->exclude, &error);
    }
    INFO(q << " → " << plan->match);
    REQUIRE(error.empty());
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Checks one query: it parses (or is the only-exclusions error) and its expressions run.
void CheckQuery(FtsDb& db, const std::string& q, std::vector<std::string>* failures) {
  auto plan = codex::search::ParseSearchQuery(q);
  if (!plan.ok()) {
    if (plan.status().reason() != "value_error") {
      failures->push_back("unexpected error for [" + q + "]: " + plan.status().ToString());
    }
    return;
  }
  for (const std::string* expr : {&plan->match, &plan->exclude}) {
    if (expr->find('\0') != std::string::npos || !codex::IsValidUtf8(*expr)) {
      failures->push_back("NUL or invalid UTF-8 in expression for [" + q + "]");
    }
  }
  std::string error = db.Check(*plan);
  if (!error.empty()) failures->push_back("[" + q + "] " + error);
}

}  // namespace

TEST_CASE("Search results follow the query language on a real FTS5 table") {
  FtsDb db;
  using Rows = std::vector<std::int64_t>;
  CHECK(db.Search("alpha") == Rows{1, 2});
  CHECK(db.Search("alpha beta") == Rows{2});
  CHECK(db.Search("fox OR physics") == Rows{1, 2});
  CHECK(db.Search("fox OR physics decay") == Rows{2});
  CHECK(db.Search("alpha -fox") == Rows{2});
  CHECK(db.Search("alpha NOT particles") == Rows{1});
  CHECK(db.Search("partic*") == Rows{2});
  CHECK(db.Search("experiment*") == Rows{2});
  CHECK(db.Search("run") == Rows{2});  // porter stemming
  CHECK(db.Search("\"brown fox\"") == Rows{1});
  CHECK(db.Search("\"fox brown\"").empty());
  CHECK(db.Search("cafe resume") == Rows{3});  // diacritics removed
  CHECK(db.Search("OR AND NOT").empty());      // all operators, no term
  CHECK(db.Search("or and not") == Rows{4});
  CHECK(db.Search("title:foo") == Rows{4});  // an ordinary word pair
  CHECK(db.Search("NEAR(the") == Rows{3});
  CHECK(db.Search("-alpha tag:x") == Rows{3, 4, 5});
}

TEST_CASE("Hostile queries never cause an FTS5 syntax error") {
  FtsDb db;
  // The harness does see syntax errors: raw user text would fail.
  for (const char* raw : {"\"a", "a OR", "NOT a", "(a", "a:b", "a AND", "^"}) {
    codex::search::SearchPlan plan;
    plan.match = raw;
    INFO(raw);
    CHECK_FALSE(db.Check(plan).empty());
  }

  std::vector<std::string> failures;
  const std::vector<std::string> hostile = {
      "\"",
      "\"\"",
      "\"\"\"",
      "a\"",
      "\"a",
      "a\"b\"c\"",
      "\"a\" \"b",
      "*",
      "**",
      "a*",
      "*a",
      "a**b",
      "\"a\"*",
      "\"a*\"",
      "-",
      "--",
      "-a",
      "--a",
      "-\"a\"",
      "- a",
      "-*",
      "a -",
      "NOT",
      "NOT NOT",
      "NOT a",
      "a NOT",
      "a NOT NOT b",
      "OR",
      "OR OR",
      "a OR",
      "OR a",
      "a OR OR b",
      "AND",
      "a AND",
      "AND a",
      "a AND OR NOT b",
      "(",
      ")",
      "(a",
      "a)",
      "(a OR b)",
      "((a))",
      "^",
      "^a",
      "a^",
      ":",
      "a:",
      ":a",
      "title:",
      "title:a",
      "{title}: a",
      "{title content}:a",
      "a:b:c",
      "NEAR(a b)",
      "NEAR(a b, 3)",
      "a + b",
      "a+b",
      "+",
      "'",
      "''",
      "'a'",
      "a'b",
      "\\",
      "\\\"",
      "a\\\"b",
      "tag:",
      "tag:\"",
      "tag:\"\"",
      "path:",
      "path:\"",
      "-tag:x",
      "NOT path:y",
      std::string("\0", 1),
      std::string("a\0b", 3),
      std::string("\"a\0b\"", 5),
      std::string("a\0\"", 3),
      "\xff",
      "\xfe\xff",
      "a\xff",
      "\xc3",
      "\xc3\x28",
      "\xe2\x82",
      "\xed\xa0\x80",
      "\xf4\x90\x80\x80",
      "\xc0\xaf",
      "a\x01\x02"
      "b",
      "\t\n\v\f\r",
      "\xe3\x80\x80",
      "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
      "e\xcc\x81",
      "\xcc\x81",
      "\u202e",
      "a\u00a0b",
      "*\"*\"*",
      "\"*\" -\"-\" NOT \"NOT\" OR \"OR\"",
      "a OR -b OR c",
      "-a OR b",
      "a* OR b* -c*",
  };
  for (const std::string& q : hostile) CheckQuery(db, q, &failures);

  // Random strings from hostile fragments, and random bytes.
  const std::vector<std::string> fragments = {"a",
                                              "fox",
                                              "Alpha",
                                              "café",
                                              "é",
                                              "🧪",
                                              "٣",
                                              "x1",
                                              "\"",
                                              "\"\"",
                                              "*",
                                              "-",
                                              "NOT",
                                              "OR",
                                              "AND",
                                              "or",
                                              "(",
                                              ")",
                                              "^",
                                              ":",
                                              "{",
                                              "}",
                                              "+",
                                              ",",
                                              "'",
                                              "\\",
                                              "NEAR",
                                              "NEAR(",
                                              "tag:",
                                              "path:",
                                              "title:",
                                              " ",
                                              " ",
                                              " ",
                                              "\t",
                                              "\n",
                                              std::string("\0", 1),
                                              "\xff",
                                              "\xc3",
                                              "\x80",
                                              "\xed\xa0\x80",
                                              "\x01",
                                              "\x02",
                                              "\u3000",
                                              "$",
                                              "%",
                                              "&",
                                              "<b>"};
  std::mt19937 rng(20260511);
  std::uniform_int_distribution<std::size_t> pick(0, fragments.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int n = 0; n < 4000; ++n) {
    std::string q;
    int parts = length(rng);
    for (int k = 0; k < parts; ++k) q += fragments[pick(rng)];
    CheckQuery(db, q, &failures);
  }
  for (int n = 0; n < 1000; ++n) {
    std::string q;
    int size = length(rng);
    for (int k = 0; k < size; ++k) q.push_back(static_cast<char>(byte(rng)));
    CheckQuery(db, q, &failures);
  }

  // Long inputs: 10,000-character strings and 200 terms (at most 64 are used).
  std::string long_word(10000, 'a');
  CheckQuery(db, long_word, &failures);
  CheckQuery(db, "\"" + long_word, &failures);
  CheckQuery(db, std::string(10000, '"'), &failures);
  CheckQuery(db, std::string(10000, '-'), &failures);
  std::string long_mixed;
  while (long_mixed.size() < 10000) long_mixed += fragments[pick(rng)];
  CheckQuery(db, long_mixed, &failures);
  std::string terms200, ors200, nots200;
  for (int i = 0; i < 200; ++i) {
    terms200 += "t" + std::to_string(i) + "* ";
    ors200 += "o" + std::to_string(i) + " OR ";
    nots200 += "-n" + std::to_string(i) + " ";
  }
  CheckQuery(db, terms200, &failures);
  CheckQuery(db, ors200, &failures);
  CheckQuery(db, "x " + nots200, &failures);
  CheckQuery(db, nots200 + " tag:x", &failures);

  INFO("first failure: " << (failures.empty() ? std::string() : failures.front()));
  CHECK(failures.empty());
}
