#include "index/xml_sidecar.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "codex/json.hpp"

namespace {

using codex::Json;
using codex::index::XmlSidecarToJson;

Json J(std::string_view text) {
  auto parsed = Json::Parse(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

TEST_CASE("XML sidecar to object", "[xml]") {
  struct Row {
    const char* xml;
    const char* json;
  };
  const Row rows[] = {
      {"<meta><title> Hello </title><n>5</n></meta>", R"({"title":"Hello","n":"5"})"},
      {"<?xml version=\"1.0\"?><root a=\"1\"><x/></root>", R"({"a":"1","x":{}})"},
      {"<r><tag>a</tag><tag>b</tag><tag/></r>", R"({"tag":["a","b",{}]})"},
      {"<r><item id=\"7\">text</item></r>", R"({"item":{"id":"7","_text":"text"}})"},
      {"<r><item>lead<sub>s</sub>tail</item></r>", R"({"item":{"sub":"s","_text":"lead"}})"},
      {"<r><e>  </e></r>", R"({"e":{}})"},
      {"<r><e><![CDATA[ <raw> ]]></e></r>", R"({"e":"<raw>"})"},
      {"<r><e>a &amp; b &#x263A;</e></r>", R"({"e":"a & b ☺"})"},
      {"<r><e>a<!-- c -->b</e></r>", R"({"e":"ab"})"},
      {"<r a=\"attr\"><a>child</a></r>", R"({"a":["attr","child"]})"},
      {"<r><deep><er><est k=\"v\"/></er></deep></r>", R"({"deep":{"er":{"est":{"k":"v"}}}})"},
      {"<r/>", R"({})"},
      {"<r>only text</r>", R"("only text")"},
      // Only the text before the first child counts (ElementTree's element.text).
      {"<r><_text>x</_text>y</r>", R"({"_text":"x"})"},
      {"<r>z<_text>x</_text></r>", R"({"_text":"z"})"},
  };
  for (const Row& row : rows) {
    INFO(row.xml);
    auto got = XmlSidecarToJson(row.xml);
    REQUIRE(got);
    INFO(got->Dump());
    CHECK(*got == J(row.json));
  }
}

TEST_CASE("XML errors and hostile input", "[xml][hostile]") {
  CHECK_FALSE(XmlSidecarToJson(""));
  CHECK_FALSE(XmlSidecarToJson("not xml"));
  CHECK_FALSE(XmlSidecarToJson("<a><b></a>"));
  CHECK_FALSE(XmlSidecarToJson("<a>"));
  // No DTD processing: internal entities are not expanded, external ones are never loaded.
  std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
      "<lolz><v>&lol2;</v></lolz>";
  auto l = XmlSidecarToJson(laughs);
  if (l) CHECK(l->find("v")->as_string().size() < 100);
  std::string xxe =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<r><v>&x;</v></r>";
  auto x = XmlSidecarToJson(xxe);
  if (x) CHECK(x->find("v")->as_string().find("root:") == std::string::npos);
  // Deep nesting is refused, not a stack overflow.
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  for (int i = 0; i < 100000; ++i) deep += "</a>";
  CHECK_FALSE(XmlSidecarToJson(deep));
  std::string many = "<r>";
  for (int i = 0; i < 3000; ++i) many += "<k" + std::to_string(i) + "/>";
  many += "</r>";
  CHECK_FALSE(XmlSidecarToJson(many));
  std::string repeated = "<r>";
  for (int i = 0; i < 20000; ++i) repeated += "<k>v</k>";
  repeated += "</r>";
  auto rep = XmlSidecarToJson(repeated);
  REQUIRE(rep);
  CHECK(rep->find("k")->as_array().size() == 20000);
  (void)XmlSidecarToJson("<r>\xff\xfe</r>");
  (void)XmlSidecarToJson(std::string("<r>\0</r>", 8));
  SUCCEED();
}

}  // namespace
