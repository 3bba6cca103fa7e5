#include "index/markdown.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using codex::index::ExtractLinks;
using codex::index::FirstHeading;
using codex::index::Link;

TEST_CASE("first level-1 heading", "[markdown]") {
  struct Row {
    const char* body;
    std::optional<std::string> title;
  };
  const std::vector<Row> rows = {
      {"# Title", "Title"},
      {"intro\n\n# Title\n# Second", "Title"},
      {"   # Three spaces", "Three spaces"},
      {"    # Four spaces", std::nullopt},
      {"#\tTab", "Tab"},
      {"#NoSpace", std::nullopt},
      {"## Level two\n# One", "One"},
      {"#", std::nullopt},
      {"# ", std::nullopt},
      {"# #", std::nullopt},
      {"#  ##  \n# Real", "Real"},
      {"# Closing ##", "Closing"},
      {"# Closing ##  ", "Closing"},
      {"# C#", "C"},
      {"# a # b", "a # b"},
      {"# a #b #", "a #b"},
      {"# **Bold** and `code` [link](x)", "**Bold** and `code` [link](x)"},
      {"# Title\r\nbody", "Title"},
      {"# Spaced   ", "Spaced"},
      {"Setext\n===", "Setext"},
      {"  Setext trimmed  \n  ====  ", "Setext trimmed"},
      {"Setext\n=== x", std::nullopt},
      {"Setext\n    ===", std::nullopt},
      {"\n===", std::nullopt},
      {"- item\n===", std::nullopt},
      {"* item\n===", std::nullopt},
      {"1. item\n===", std::nullopt},
      {"> quote\n===", std::nullopt},
      {"- item\n  continued\n===", std::nullopt},
      {"- item\nlazy\n===", std::nullopt},
      {"> quote\nlazy\n===", std::nullopt},
      {"- a\n\n  indented para\n  ===", std::nullopt},
      {"- item\n\nPara\n===", "Para"},
      {"## Two\n===", std::nullopt},
      {"#hashtag line\n===", "#hashtag line"},
      {"Text\n---", std::nullopt},
      {"first\nSecond line\n=\n# Later", "Second line"},
      {"Before\n===\n# After", "Before"},
      {"# Before\nAfter\n===", "Before"},
      {"```\n# In code\n```\n# Out", "Out"},
      {"~~~~\n# In code\n~~~\nstill code\n~~~~\nTitle\n===", "Title"},
      {"```\nText\n```\n===", std::nullopt},
      {"```\n# never closed", std::nullopt},
      {"", std::nullopt},
      {"no heading here", std::nullopt},
  };
  for (const Row& row : rows) {
    INFO(row.body);
    CHECK(FirstHeading(row.body) == row.title);
  }
}

// Links as comparable (kind, target) pairs: 'w' wiki, 'm' markdown.
using Flat = std::vector<std::pair<char, std::string>>;
Flat Links(std::string_view body) {
  Flat out;
  for (const Link& l : ExtractLinks(body)) {
    out.emplace_back(l.kind == Link::Kind::kWiki ? 'w' : 'm', l.target);
  }
  return out;
}
std::pair<char, std::string> Wiki(const char* t) { return {'w', t}; }
std::pair<char, std::string> Md(const char* t) { return {'m', t}; }

TEST_CASE("links outside code, in order, de-duplicated", "[markdown]") {
  Flat links = Links(
      "See [[Note A]] and [[Note B|alias]], [web](https://example.com/x?a=1&amp;b=2) and "
      "![img](images/p.png \"title\").\n\n`[[in code]]` and [[Note A]] again; "
      "<https://auto.link/> and [ref][r].\n\n```\n[[fenced]] [x](y)\n```\n\n"
      "    [[indented code]]\n\n[r]: refs/target.md\n[[Note "
      "A]]\n[dup](https://example.com/x?a=1&b=2)");
  Flat expected = {
      Wiki("Note A"),     Wiki("Note B"),           Md("https://example.com/x?a=1&b=2"),
      Md("images/p.png"), Md("https://auto.link/"), Md("refs/target.md")};
  CHECK(links == expected);
}

TEST_CASE("link edge cases", "[markdown]") {
  CHECK(ExtractLinks("").empty());
  CHECK(ExtractLinks("no links at all").empty());
  CHECK(ExtractLinks("[empty]()").empty());
  CHECK(Links("[a](<with space.md>)") == Flat{Md("with space.md")});
  CHECK(Links("[a](x%20y.md) [b](&#x41;&#66;.md) [c](a\\_b.md)") ==
        Flat{Md("x%20y.md"), Md("AB.md"), Md("a_b.md")});
  CHECK(Links("[[Same]] [Same](Same)") == Flat{Wiki("Same"), Md("Same")});
}

TEST_CASE("hostile markdown", "[markdown][hostile]") {
  (void)FirstHeading(std::string(1 << 20, '#'));
  (void)FirstHeading("# " + std::string(1 << 20, '#'));
  (void)FirstHeading(std::string(1 << 20, '='));
  (void)FirstHeading(std::string(1 << 20, '\n'));
  (void)ExtractLinks(std::string(1 << 18, '['));
  (void)ExtractLinks(std::string(100000, '>') + " [x](y)");
  std::string nested;
  for (int i = 0; i < 10000; ++i) nested += "[";
  nested += "x](y)";
  for (int i = 0; i < 10000; ++i) nested += "](z)";
  (void)ExtractLinks(nested);
  std::string lists;
  for (int i = 0; i < 5000; ++i)
    lists += std::string(static_cast<std::size_t>(i % 200), ' ') + "- [a](b)\n";
  (void)ExtractLinks(lists);
  (void)ExtractLinks("[[\xff\xfe]] [a](\xc3)");
  SUCCEED();
}

}  // namespace
