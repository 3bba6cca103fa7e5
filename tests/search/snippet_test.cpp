#include "search/snippet.hpp"

#include <catch2/catch.hpp>
#include <string>

using codex::search::PlainSnippet;
using codex::search::RenderSnippet;

TEST_CASE("FTS5 snippets are escaped, then marked (SEMANTICS 12.4)") {
  CHECK(RenderSnippet("") == "");
  CHECK(RenderSnippet("plain text") == "plain text");
  CHECK(RenderSnippet("a \x01match\x02 b") == "a <mark>match</mark> b");
  CHECK(RenderSnippet("…\x01x\x02…\x01y\x02…") == "…<mark>x</mark>…<mark>y</mark>…");
  // Every escape of the table: & < > " '
  CHECK(RenderSnippet("<b> & \"q\" 'a'") == "&lt;b&gt; &amp; &quot;q&quot; &#x27;a&#x27;");
  // Escaping happens before the markers become tags: user text cannot forge a <mark>.
  CHECK(RenderSnippet("<mark>\x01<script>\x02</mark>") ==
        "&lt;mark&gt;<mark>&lt;script&gt;</mark>&lt;/mark&gt;");
  CHECK(RenderSnippet("caf\xc3\xa9 \x01\xc3\xa9t\xc3\xa9\x02") == "café <mark>été</mark>");
}

TEST_CASE("Plain snippets are the first 200 characters, escaped, without marks") {
  CHECK(PlainSnippet("") == "");
  CHECK(PlainSnippet("short") == "short");
  CHECK(PlainSnippet(std::string(300, 'a')) == std::string(200, 'a'));
  CHECK(PlainSnippet(std::string(200, 'a')) == std::string(200, 'a'));
  // Characters are code points, not bytes.
  std::string accents;
  for (int i = 0; i < 250; ++i) accents += "é";
  std::string expected;
  for (int i = 0; i < 200; ++i) expected += "é";
  CHECK(PlainSnippet(accents) == expected);
  std::string emoji;
  for (int i = 0; i < 201; ++i) emoji += "🧪";
  CHECK(PlainSnippet(emoji).size() == 200 * 4);
  // Cut first, then escape: 199 letters and a '<' are 200 characters.
  CHECK(PlainSnippet(std::string(199, 'x') + "<tail") == std::string(199, 'x') + "&lt;");
  CHECK(PlainSnippet("\n<b>desc</b> & 'q'") == "\n&lt;b&gt;desc&lt;/b&gt; &amp; &#x27;q&#x27;");
  CHECK(PlainSnippet("a\x01"
                     "b") ==
        "a\x01"
        "b");
}
