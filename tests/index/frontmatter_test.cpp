#include "index/frontmatter.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "codex/json.hpp"
#include "common/strings.hpp"

namespace {

using codex::Json;
using codex::index::Frontmatter;
using codex::index::LeadingBlock;
using codex::index::ParseFrontmatter;
using codex::index::WriteFrontmatter;

Json::Object Obj(std::string_view text) {
  auto parsed = Json::Parse(text);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->is_object());
  return parsed->as_object();
}

TEST_CASE("frontmatter keys are parsed and removed from the body", "[frontmatter]") {
  Frontmatter fm = ParseFrontmatter("---\ntitle: Hello\ntags: [a, b]\n---\n\n# Body\n\ntext\n");
  CHECK(fm.has_block);
  CHECK_FALSE(fm.problem);
  CHECK(fm.metadata == Obj(R"({"title":"Hello","tags":["a","b"]})"));
  CHECK(fm.body == "# Body\n\ntext");
}

TEST_CASE("no frontmatter gives {} and the stripped text", "[frontmatter]") {
  for (const char* text : {"  plain text \n", "# Title\n---\nx: 1\n---\n", "--\na: 1\n--\n",
                           "text\n---\na: 1\n---\n", ""}) {
    INFO(text);
    Frontmatter fm = ParseFrontmatter(text);
    CHECK_FALSE(fm.has_block);
    CHECK(fm.metadata.empty());
    CHECK(fm.body == std::string(codex::Trim(text)));
  }
}

TEST_CASE("frontmatter delimiter rules", "[frontmatter]") {
  SECTION("---\\n--- is an empty block") {
    Frontmatter fm = ParseFrontmatter("---\n---");
    CHECK(fm.has_block);
    CHECK(fm.metadata.empty());
    CHECK(fm.body.empty());
    CHECK_FALSE(fm.problem);
  }
  SECTION("leading white space and longer delimiters with trailing blanks") {
    Frontmatter fm = ParseFrontmatter("\n\n  -----  \na: 1\n---- \t\nbody\n");
    CHECK(fm.metadata == Obj(R"({"a":1})"));
    CHECK(fm.body == "body");
  }
  SECTION("CRLF lines") {
    Frontmatter fm = ParseFrontmatter("---\r\na: 1\r\n---\r\nbody\r\n");
    CHECK(fm.metadata == Obj(R"({"a":1})"));
    CHECK(fm.body == "body");
  }
  SECTION("only one delimiter") {
    Frontmatter fm = ParseFrontmatter("---\na: 1\nno end\n");
    CHECK_FALSE(fm.has_block);
    CHECK(fm.metadata.empty());
    CHECK(fm.body == "---\na: 1\nno end");
  }
  SECTION("the body may contain more delimiters") {
    Frontmatter fm = ParseFrontmatter("---\na: 1\n---\nx\n---\ny\n");
    CHECK(fm.metadata == Obj(R"({"a":1})"));
    CHECK(fm.body == "x\n---\ny");
  }
  SECTION("a --- that is not alone on its line is not a delimiter") {
    Frontmatter fm = ParseFrontmatter("---\na: 1\n--- x\n---\nbody");
    CHECK(fm.problem);  // "--- x" is inside the block, and is not valid YAML there
  }
  SECTION("not an object") {
    for (const char* text : {"---\n- a\n- b\n---\nbody", "---\njust text\n---\nbody",
                             "---\n42\n---\nbody", "---\n# comment\n---\nbody"}) {
      INFO(text);
      Frontmatter fm = ParseFrontmatter(text);
      CHECK(fm.has_block);
      CHECK(fm.metadata.empty());
      CHECK(fm.body == "body");
      CHECK_FALSE(fm.problem);
    }
  }
}

TEST_CASE("invalid frontmatter keeps the original text", "[frontmatter]") {
  std::string text = "\n---\ntitle: [unclosed\n---\nbody\n";
  Frontmatter fm = ParseFrontmatter(text);
  CHECK(fm.has_block);
  CHECK(fm.metadata.empty());
  CHECK(fm.body == text);
  REQUIRE(fm.problem);
  CHECK(fm.problem->find("invalid_yaml") == 0);

  Frontmatter tagged = ParseFrontmatter("---\na: !!python/object x\n---\nbody");
  CHECK(tagged.problem);
  CHECK(tagged.body == "---\na: !!python/object x\n---\nbody");
}

TEST_CASE("nested values and dates inside nested objects", "[frontmatter]") {
  Frontmatter fm = ParseFrontmatter(
      "---\nmeta:\n  created: 2024-01-01\n  runs:\n  - at: 2024-03-04 05:06:07\n    ok: yes\n"
      "score: 1.5\ncount: 3\nnone: ~\n---\nBody");
  CHECK(fm.metadata == Obj(R"({"meta":{"created":"2024-01-01","runs":[{"at":"2024-03-04T05:06:07",)"
                           R"("ok":true}]},"score":1.5,"count":3,"none":null})"));
  CHECK(fm.body == "Body");
}

TEST_CASE("JSON frontmatter", "[frontmatter]") {
  Frontmatter fm = ParseFrontmatter("{\n\"title\": \"J\",\n\"n\": [1, 2]\n}\nbody text\n");
  CHECK(fm.has_block);
  CHECK(fm.metadata == Obj(R"({"title":"J","n":[1,2]})"));
  CHECK(fm.body == "body text");

  // A nested object's brace alone on a line ends the block early: invalid JSON.
  std::string nested = "{\n\"a\":\n{\n\"b\": 1\n}\n}\nbody";
  Frontmatter early = ParseFrontmatter(nested);
  CHECK(early.metadata.empty());
  CHECK(early.body == nested);
  CHECK(early.problem);

  Frontmatter unclosed = ParseFrontmatter("{\n\"a\": 1\n");
  CHECK_FALSE(unclosed.has_block);
  CHECK(unclosed.body == "{\n\"a\": 1");

  Frontmatter inline_brace = ParseFrontmatter("{\"a\": 1}\nbody");
  CHECK_FALSE(inline_brace.has_block);
}

TEST_CASE("writing frontmatter", "[frontmatter]") {
  CHECK(WriteFrontmatter("Hello", Obj(R"({"title":"T","tags":["a","b"],"date":"2024-01-01"})")) ==
        "---\ndate: '2024-01-01'\ntags:\n- a\n- b\ntitle: T\n---\n\nHello");
  CHECK(WriteFrontmatter("", Obj(R"({"a":1})")) == "---\na: 1\n---");
  CHECK(WriteFrontmatter("  body  \n\n", Obj(R"({"a":1})")) == "---\na: 1\n---\n\n  body");
  CHECK(WriteFrontmatter("x", {}) == "---\n{}\n---\n\nx");
}

TEST_CASE("parse(write(b, p)) == (p, strip(b))", "[frontmatter][roundtrip]") {
  std::vector<std::string> bodies = {"",
                                     "Hello",
                                     "  padded  \n",
                                     "# Title\n\ntext",
                                     "---\nnot: frontmatter\n---\n",
                                     "line\n---\nmore",
                                     "{\n}\n",
                                     "\n\n\n",
                                     "unicode ✓ 日本"};
  std::vector<const char*> props = {
      R"({})",
      R"({"title":"T","tags":["a","b"],"date":"2024-01-01"})",
      R"({"s":"---","d":"...","m":"a\n---\nb","k":"x\n","e":"","y":"yes","n":"123"})",
      R"({"---":1,"- x":2,"? y":3,"#":4,"{":5,"}":[]})",
      R"({"nested":{"list":[{"a":null,"b":[true,false]},[],{}],"f":-1.25e-10}})",
      R"({"trailing":"a\n","lead":"\nb","block":"l1\nl2\n","dq":"two\n\n"})",
  };
  for (const std::string& body : bodies) {
    for (const char* p : props) {
      Json::Object properties = Obj(p);
      std::string text = WriteFrontmatter(body, properties);
      INFO(text);
      Frontmatter fm = ParseFrontmatter(text);
      INFO(fm.problem.value_or(""));
      CHECK_FALSE(fm.problem);
      CHECK(fm.metadata == properties);
      CHECK(fm.body == std::string(codex::Trim(body)));
    }
  }
}

TEST_CASE("the leading block as written", "[frontmatter]") {
  CHECK(LeadingBlock("---\na: 1\n---\nbody") == "---\na: 1\n---");
  CHECK(LeadingBlock("\n  ---\na: 1\n---  \n\nbody") == "---\na: 1\n---  ");
  CHECK(LeadingBlock("---\r\na: 1\r\n---\r\nbody") == "---\r\na: 1\r\n---\r");
  CHECK(LeadingBlock("---\n[bad\n---\nbody") == "---\n[bad\n---");  // invalid blocks too
  CHECK(LeadingBlock("{\n\"a\": 1\n}\nbody") == "{\n\"a\": 1\n}");
  CHECK(LeadingBlock("no block") == "");
  CHECK(LeadingBlock("---\nonly one") == "");
  CHECK(LeadingBlock("") == "");
  CHECK(LeadingBlock("---\n---") == "---\n---");
}

TEST_CASE("hostile frontmatter", "[frontmatter][hostile]") {
  std::string laughs = "---\na: &a [x,x,x,x,x,x,x,x,x,x]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    std::string p(1, static_cast<char>(c - 1));
    laughs += std::string(1, c) + ": &" + c + " [*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" +
              p + ",*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p + "]\n";
  }
  laughs += "---\nbody";
  Frontmatter fm = ParseFrontmatter(laughs);
  CHECK(fm.problem);
  CHECK(fm.metadata.empty());

  std::string huge = "---\n" + std::string(1 << 20, '-') + "x\n---\n";
  (void)ParseFrontmatter(huge);
  std::string many_delims;
  for (int i = 0; i < 10000; ++i) many_delims += "---\n";
  Frontmatter empty = ParseFrontmatter(many_delims);
  CHECK(empty.metadata.empty());
  (void)ParseFrontmatter(std::string("---\n\xff\xfe\x00: 1\n---\n", 15));
  (void)ParseFrontmatter("{\n" + std::string(100000, '[') + "\n}\n");
  SUCCEED();
}

}  // namespace
