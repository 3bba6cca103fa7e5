#include "search/query_parser.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using codex::search::ParseSearchQuery;
using codex::search::SearchPlan;

namespace {

struct PlanCase {
  std::string q;
  std::string match;
  std::string exclude;
  std::vector<std::string> tags;
  std::vector<std::string> path_globs;
};

}  // namespace

TEST_CASE("Search query language compiles to quoted FTS5 (SEMANTICS 12.3)") {
  // clang-format off
  const std::vector<PlanCase> cases = {
      // word, prefix, phrase
      {"hello", R"(("hello"))", "", {}, {}},
      {"hello world", R"(("hello") AND ("world"))", "", {}, {}},
      {"  hello \t\n world  ", R"(("hello") AND ("world"))", "", {}, {}},
      {"word*", R"(("word"*))", "", {}, {}},
      {"word***", R"(("word"*))", "", {}, {}},
      {"wo*rd", R"(("wo*rd"))", "", {}, {}},
      {R"("some phrase")", R"(("some phrase"))", "", {}, {}},
      {R"("some phrase"*)", R"(("some phrase"*))", "", {}, {}},
      {R"("unterminated phrase)", R"(("unterminated phrase"))", "", {}, {}},
      {R"("unterminated phrase*)", R"(("unterminated phrase*"))", "", {}, {}},
      {R"(a "b c" d)", R"(("a") AND ("b c") AND ("d"))", "", {}, {}},
      // every '"' that reaches FTS5 is doubled
      {R"(say"hi)", R"(("say""hi"))", "", {}, {}},
      {R"(5")", R"(("5"""))", "", {}, {}},
      {R"("a""b")", R"(("a""""b"))", "", {}, {}},
      {R"(x"y z"w)", R"(("x""y z""w"))", "", {}, {}},
      // OR binds tighter than the implicit AND
      {"a OR b", R"(("a" OR "b"))", "", {}, {}},
      {"a OR b c", R"(("a" OR "b") AND ("c"))", "", {}, {}},
      {"a b OR c", R"(("a") AND ("b" OR "c"))", "", {}, {}},
      {"a OR b OR c", R"(("a" OR "b" OR "c"))", "", {}, {}},
      {"a OR b* OR \"c d\"", R"(("a" OR "b"* OR "c d"))", "", {}, {}},
      // dangling ORs are dropped
      {"OR a", R"(("a"))", "", {}, {}},
      {"a OR", R"(("a"))", "", {}, {}},
      {"a OR OR b", R"(("a" OR "b"))", "", {}, {}},
      {"OR", "", "", {}, {}},
      {"a OR -b", R"(("a") NOT ("b"))", "\"b\"", {}, {}},
      {"a OR tag:x b", R"(("a") AND ("b"))", "", {"x"}, {}},
      // AND is ignored; lower-case operators are words
      {"a AND b", R"(("a") AND ("b"))", "", {}, {}},
      {"AND", "", "", {}, {}},
      {"a OR AND b", R"(("a" OR "b"))", "", {}, {}},
      {"a or b", R"(("a") AND ("or") AND ("b"))", "", {}, {}},
      {"not and", R"(("not") AND ("and"))", "", {}, {}},
      {"Or Not", R"(("Or") AND ("Not"))", "", {}, {}},
      // exclusions
      {"a -b", R"(("a") NOT ("b"))", "\"b\"", {}, {}},
      {"a NOT b", R"(("a") NOT ("b"))", "\"b\"", {}, {}},
      {"a -b -c", R"(("a") NOT ("b" OR "c"))", R"("b" OR "c")", {}, {}},
      {"-b a NOT c", R"(("a") NOT ("b" OR "c"))", R"("b" OR "c")", {}, {}},
      {"a -b*", R"(("a") NOT ("b"*))", "\"b\"*", {}, {}},
      {R"(a -"b c")", R"(("a") NOT ("b c"))", "\"b c\"", {}, {}},
      {"a --b", R"(("a") NOT ("-b"))", "\"-b\"", {}, {}},
      {"a NOT", R"(("a"))", "", {}, {}},
      {"a NOT ***", R"(("a"))", "", {}, {}},
      {"a NOT *** b", R"(("a") NOT ("b"))", "\"b\"", {}, {}},
      {"a NOT OR b", R"(("a") NOT ("b"))", "\"b\"", {}, {}},
      {"a-b", R"(("a-b"))", "", {}, {}},
      // filters
      {"tag:Foo", "", "", {"foo"}, {}},
      {R"(tag:"Two Words")", "", "", {"two words"}, {}},
      {"tag:ÉTÉ tag:b x", R"(("x"))", "", {"été", "b"}, {}},
      {"path:notes/*.md", "", "", {}, {"notes/*.md"}},
      {R"(path:"my notes/*" path:x)", "", "", {}, {"my notes/*", "x"}},
      {"path:*", "", "", {}, {"*"}},
      {"tag:", "", "", {}, {}},
      {"path:\"\"", "", "", {}, {}},
      {"-b tag:x", "", "\"b\"", {"x"}, {}},
      {"NOT b path:x", "", "\"b\"", {}, {"x"}},
      // column filters are not part of the language; negated filters are excluded words
      {"title:foo", R"(("title:foo"))", "", {}, {}},
      {"Tag:foo", R"(("Tag:foo"))", "", {}, {}},
      {"a -tag:x", R"(("a") NOT ("tag:x"))", "\"tag:x\"", {}, {}},
      {"a NOT path:x", R"(("a") NOT ("path:x"))", "\"path:x\"", {}, {}},
      // tokens without a letter or digit are dropped
      {"***", "", "", {}, {}},
      {"--", "", "", {}, {}},
      {"-", "", "", {}, {}},
      {"*", "", "", {}, {}},
      {"\"\"", "", "", {}, {}},
      {"( ) ^ : {}", "", "", {}, {}},
      {"a - * b", R"(("a") AND ("b"))", "", {}, {}},
      {"(a)", R"x(("(a)"))x", "", {}, {}},
      {"NEAR(a b)", R"x(("NEAR(a") AND ("b)"))x", "", {}, {}},
      {"^a", R"(("^a"))", "", {}, {}},
      {"a:b", R"(("a:b"))", "", {}, {}},
      {"café ü", R"(("café") AND ("ü"))", "", {}, {}},
      {"٣", R"(("٣"))", "", {}, {}},
      // NUL separates tokens; invalid UTF-8 becomes U+FFFD
      {std::string("a\0b", 3), R"(("a") AND ("b"))", "", {}, {}},
      {"\xff", "", "", {}, {}},
      {"a\xff" "b", "(\"a\xEF\xBF\xBD" "b\")", "", {}, {}},
  };
  // clang-format on
  for (const PlanCase& c : cases) {
    INFO("q=" << c.q);
    auto plan = ParseSearchQuery(c.q);
    REQUIRE(plan.ok());
    CHECK(plan->match == c.match);
    CHECK(plan->exclude == c.exclude);
    CHECK(plan->tags == c.tags);
    CHECK(plan->path_globs == c.path_globs);
  }
}

TEST_CASE("Empty queries and only-dropped tokens give an empty plan") {
  for (const char* q : {"", "   ", "\t\n", "***", "-- *", "OR AND NOT", "\"\" \""}) {
    INFO("q=" << q);
    auto plan = ParseSearchQuery(q);
    REQUIRE(plan.ok());
    CHECK(plan->empty());
  }
  auto filters = ParseSearchQuery("tag:x -y");
  REQUIRE(filters.ok());
  CHECK_FALSE(filters->empty());
  CHECK(filters->has_filters());
}

TEST_CASE("Only exclusions without a term or filter is a value error") {
  for (const char* q : {"-b", "NOT b", "-a -b", "NOT a -b*", "OR -a", "-\"x y\" ***"}) {
    INFO("q=" << q);
    auto plan = ParseSearchQuery(q);
    REQUIRE_FALSE(plan.ok());
    CHECK(plan.status().code() == codex::Code::kValidation);
    CHECK(plan.status().reason() == "value_error");
    CHECK(plan.status().field() == "q");
    CHECK(plan.status().message() == "Search query needs at least one term to match");
  }
}

TEST_CASE("At most 64 terms are used") {
  std::string q;
  for (int i = 0; i < 200; ++i) q += "w" + std::to_string(i) + " ";
  auto plan = ParseSearchQuery(q);
  REQUIRE(plan.ok());
  std::string expected;
  for (int i = 0; i < 64; ++i) {
    if (i > 0) expected += " AND ";
    expected += "(\"w" + std::to_string(i) + "\")";
  }
  CHECK(plan->match == expected);

  // Exclusions count as terms too; filters are kept beyond the limit.
  std::string mixed;
  for (int i = 0; i < 63; ++i) mixed += "a" + std::to_string(i) + " ";
  mixed += "-x -y z tag:t";
  auto plan2 = ParseSearchQuery(mixed);
  REQUIRE(plan2.ok());
  CHECK(plan2->exclude == "\"x\"");
  CHECK(plan2->match.find("\"z\"") == std::string::npos);
  CHECK(plan2->tags == std::vector<std::string>{"t"});
}
