#include "index/tags.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "codex/json.hpp"

namespace {

using codex::Json;
using codex::index::InlineTags;
using codex::index::MergeTags;
using codex::index::NormalizeTag;
using codex::index::TagsFromProperty;
using Tags = std::vector<std::string>;

Json J(std::string_view text) {
  auto parsed = Json::Parse(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

Tags Sorted(Tags t) { return MergeTags(std::move(t), {}); }

TEST_CASE("the §6.5 examples", "[tags]") {
  Json list = J(R"(["Biology", " ML "])");
  CHECK(Sorted(TagsFromProperty(&list)) == Tags{"biology", "ml"});
  Json text = J(R"("a, b,,c")");
  CHECK(Sorted(TagsFromProperty(&text)) == Tags{"a", "b", "c"});
  CHECK(Sorted(InlineTags("Working on #Project/Alpha and #42 in (#draft). See http://x/#anchor "
                          "and `#code`")) == Tags{"draft", "project/alpha"});
}

TEST_CASE("tag normalisation", "[tags]") {
  CHECK(NormalizeTag("  #Foo ") == std::optional<std::string>("foo"));
  CHECK(NormalizeTag("# spaced ") == std::optional<std::string>("spaced"));
  CHECK(NormalizeTag("##double") == std::optional<std::string>("#double"));
  CHECK(NormalizeTag("ÄÖÜ") == std::optional<std::string>("äöü"));
  CHECK_FALSE(NormalizeTag(""));
  CHECK_FALSE(NormalizeTag("   "));
  CHECK_FALSE(NormalizeTag("#"));
  CHECK_FALSE(NormalizeTag(" # "));
  CHECK(NormalizeTag(std::string(100, 'a')));
  CHECK_FALSE(NormalizeTag(std::string(101, 'a')));
  std::string hundred_umlauts;
  for (int i = 0; i < 100; ++i) hundred_umlauts += "ä";
  CHECK(NormalizeTag(hundred_umlauts));  // characters, not bytes
}

TEST_CASE("tags from the property", "[tags]") {
  CHECK(TagsFromProperty(nullptr).empty());
  Json mixed = J(R"(["A", 1, 2.5, true, null, ["nested"], {"o": 1}, "", "  "])");
  CHECK(TagsFromProperty(&mixed) == Tags{"a", "1", "2.5", "true"});
  Json number = J("42");
  CHECK(TagsFromProperty(&number).empty());
  Json object = J(R"({"a": 1})");
  CHECK(TagsFromProperty(&object).empty());
  Json commas = J(R"("#x, Y ,#z")");
  CHECK(TagsFromProperty(&commas) == Tags{"x", "y", "z"});
  Json in_list = J(R"(["a, b"])");
  CHECK(TagsFromProperty(&in_list) == Tags{"a, b"});
}

TEST_CASE("inline tag rules", "[tags]") {
  struct Row {
    const char* body;
    Tags tags;
  };
  const std::vector<Row> rows = {
      {"#start of text", {"start"}},
      {"line\n#start of line", {"start"}},
      {"a #b c", {"b"}},
      {"tab\t#t", {"t"}},
      {"[#bracket]", {"bracket"}},
      {"a,#comma", {"comma"}},
      {"(#paren)", {"paren"}},
      {"word#notag", {}},
      {"a.#dot", {}},
      {"# Heading", {}},
      {"## Heading", {}},
      {"##x", {}},
      {"#", {}},
      {"# ", {}},
      {"#42", {}},
      {"#42-", {}},
      {"#4a", {"4a"}},
      {"#a-b_c/d", {"a-b_c/d"}},
      {"#-x", {}},
      {"#/x", {}},
      {"#x-", {"x"}},
      {"#x/", {"x"}},
      {"#x/-/", {"x"}},
      {"#Ünïcödé", {"ünïcödé"}},
      {"#日本語", {"日本語"}},
      {"#tag.", {"tag"}},
      {"#tag's", {"tag"}},
      {"#a#b", {"a"}},
      {"#UPPER #upper", {"upper", "upper"}},
      {"\u00a0#nbsp", {"nbsp"}},
      {"`#code` #real", {"real"}},
      {"``a ` #in b`` #out", {"out"}},
      {"`unclosed #x", {"x"}},
      {"``` inline fence? ``` #y", {"y"}},
      {"<!-- #hidden --> #shown", {"shown"}},
      {"<!-- #hidden\nstill #hidden\n--> #after", {"after"}},
      {"<!-- unclosed #hidden", {}},
      {"http://example.com/path#frag", {}},
      {"see https://x.org/a,#b and #c", {"c"}},
      {"(https://x.org/(#y)) #z", {"z"}},
      {"```\n#incode\n```\n#after", {"after"}},
      {"~~~python\n#comment\n~~~\n#t", {"t"}},
      {"````\n```\n#still\n````\n#out", {"out"}},
      {"  ```\n#in\n  ```\n", {}},
      {"```\n#never closed", {}},
      {"    #indented", {"indented"}},
      {"text\n```js\ncode #x\n```\nmore #y `#z`", {"y"}},
  };
  for (const Row& row : rows) {
    INFO(row.body);
    CHECK(InlineTags(row.body) == row.tags);
  }
}

TEST_CASE("merging tags", "[tags]") {
  CHECK(MergeTags({"b", "a", "b"}, {"c", "a"}) == Tags{"a", "b", "c"});
  CHECK(MergeTags({"é", "z", "Z"}, {}) == Tags{"Z", "z", "é"});
  CHECK(MergeTags({}, {}).empty());
}

TEST_CASE("hostile inline tag input", "[tags][hostile]") {
  std::string runs;
  for (int len = 1; len < 400; ++len)
    runs += std::string(static_cast<std::size_t>(len), '`') + " #t ";
  (void)InlineTags(runs);
  (void)InlineTags(std::string(1 << 20, '#'));
  (void)InlineTags(std::string(1 << 20, '`'));
  (void)InlineTags("#" + std::string(1 << 20, 'a'));
  std::string comments;
  for (int i = 0; i < 100000; ++i) comments += "<!--";
  (void)InlineTags(comments + "#x");
  (void)InlineTags("#\xff\xfe #\xc3 #a\xe2\x82");
  std::string fences;
  for (int i = 0; i < 10000; ++i) fences += "```\n#x\n";
  (void)InlineTags(fences);
  SUCCEED();
}

}  // namespace
