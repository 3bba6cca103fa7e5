#include "index/yaml.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "codex/json.hpp"
#include "index/yaml_scalar.hpp"

namespace {

using codex::Json;
using codex::index::EmitYaml;
using codex::index::ParseYaml;
using codex::index::ResolvePlainScalar;

Json J(std::string_view text) {
  auto parsed = Json::Parse(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

Json Yaml(std::string_view text) {
  auto parsed = ParseYaml(text);
  INFO(text);
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  return *parsed;
}

bool YamlFails(std::string_view text) {
  auto parsed = ParseYaml(text);
  if (parsed.ok()) return false;
  CHECK(parsed.status().reason() == "invalid_yaml");
  return true;
}

// Exact equality including the number kind (Json's operator== treats 1 and 1.0 as equal).
bool Same(const Json& a, const Json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::Type::kArray: {
      if (a.as_array().size() != b.as_array().size()) return false;
      for (std::size_t i = 0; i < a.as_array().size(); ++i) {
        if (!Same(a.as_array()[i], b.as_array()[i])) return false;
      }
      return true;
    }
    case Json::Type::kObject: {
      if (a.as_object().size() != b.as_object().size()) return false;
      for (const auto& [k, v] : a.as_object()) {
        const Json* other = b.as_object().find(k);
        if (other == nullptr || !Same(v, *other)) return false;
      }
      return true;
    }
    case Json::Type::kDouble:
      return a.as_double() == b.as_double() &&
             std::signbit(a.as_double()) == std::signbit(b.as_double());
    case Json::Type::kNull:
    case Json::Type::kBool:
    case Json::Type::kInt:
    case Json::Type::kString:
      return a == b;
  }
  return false;
}

TEST_CASE("plain scalars resolve by the YAML 1.1 table", "[yaml]") {
  struct Row {
    const char* text;
    Json value;
  };
  const std::vector<Row> rows = {
      // null
      {"~", Json()},
      {"null", Json()},
      {"Null", Json()},
      {"NULL", Json()},
      {"", Json()},
      {"nULL", Json("nULL")},
      {"None", Json("None")},
      // bool
      {"yes", Json(true)},
      {"Yes", Json(true)},
      {"YES", Json(true)},
      {"no", Json(false)},
      {"No", Json(false)},
      {"NO", Json(false)},
      {"true", Json(true)},
      {"True", Json(true)},
      {"TRUE", Json(true)},
      {"false", Json(false)},
      {"False", Json(false)},
      {"FALSE", Json(false)},
      {"on", Json(true)},
      {"On", Json(true)},
      {"ON", Json(true)},
      {"off", Json(false)},
      {"Off", Json(false)},
      {"OFF", Json(false)},
      {"y", Json("y")},
      {"n", Json("n")},
      {"yEs", Json("yEs")},
      {"tRUE", Json("tRUE")},
      // int
      {"0", Json(0)},
      {"-0", Json(0)},
      {"+0", Json(0)},
      {"123", Json(123)},
      {"-123", Json(-123)},
      {"+123", Json(123)},
      {"1_000", Json(1000)},
      {"1__0_", Json(10)},
      {"0b1010", Json(10)},
      {"-0b1_0", Json(-2)},
      {"0b2", Json("0b2")},
      {"017", Json(15)},
      {"-017", Json(-15)},
      {"0_7", Json(7)},
      {"08", Json("08")},
      {"09_1", Json("09_1")},
      {"0x1F", Json(31)},
      {"0x1f", Json(31)},
      {"-0xff", Json(-255)},
      {"0x_F", Json(15)},
      {"0xG", Json("0xG")},
      {"0X1F", Json("0X1F")},
      {"1:30", Json(90)},
      {"-1:30", Json(-90)},
      {"1:30:00", Json(5400)},
      {"190:20:30", Json(685230)},
      {"1:5", Json(65)},
      {"1:60", Json("1:60")},
      {"0:30", Json("0:30")},
      {"1:", Json("1:")},
      {"9223372036854775807", Json(std::int64_t{9223372036854775807})},
      {"-9223372036854775808", Json(std::numeric_limits<std::int64_t>::min())},
      {"9223372036854775808", Json(9223372036854775808.0)},
      {"99999999999999999999", Json(1e20)},
      {"1_", Json(1)},
      {"_1", Json("_1")},
      {"1 000", Json("1 000")},
      // float
      {"1.5", Json(1.5)},
      {"-1.5", Json(-1.5)},
      {"+1.5", Json(1.5)},
      {".5", Json(0.5)},
      {"-.5", Json(-0.5)},
      {"+.5", Json(0.5)},
      {"5.", Json(5.0)},
      {"1.0", Json(1.0)},
      {"1_000.5", Json(1000.5)},
      {"0.1_2", Json(0.12)},
      {"1.5e+3", Json(1500.0)},
      {"1.5E-3", Json(0.0015)},
      {"1.5e3", Json("1.5e3")},
      {"1e+3", Json("1e+3")},
      {"1.0e+20", Json(1e20)},
      {"1:30.5", Json(90.5)},
      {"-1:30.5", Json(-90.5)},
      {"1:30.", Json(90.0)},
      {"1.0e+999", Json(".inf")},
      {"-1.0e+999", Json("-.inf")},
      {"1.0e-999", Json(0.0)},
      {".inf", Json(".inf")},
      {".Inf", Json(".inf")},
      {".INF", Json(".inf")},
      {"-.inf", Json("-.inf")},
      {"+.inf", Json(".inf")},
      {".nan", Json(".nan")},
      {".NaN", Json(".nan")},
      {".NAN", Json(".nan")},
      {"-.nan", Json("-.nan")},
      {".iNf", Json(".iNf")},
      {"inf", Json("inf")},
      {"nan", Json("nan")},
      {"1.2.3", Json("1.2.3")},
      {"1.5x", Json("1.5x")},
      // timestamps
      {"2024-01-01", Json("2024-01-01")},
      {"2024-02-29", Json("2024-02-29")},
      {"2024-1-5", Json("2024-1-5")},
      {"2024-01-01T10:20:30", Json("2024-01-01T10:20:30")},
      {"2024-01-01t10:20:30", Json("2024-01-01T10:20:30")},
      {"2024-1-5 1:02:03", Json("2024-01-05T01:02:03")},
      {"2024-01-01 \t 10:20:30", Json("2024-01-01T10:20:30")},
      {"2024-01-01T10:20:30.5", Json("2024-01-01T10:20:30.500000")},
      {"2024-01-01T10:20:30.000", Json("2024-01-01T10:20:30")},
      {"2024-01-01T10:20:30.", Json("2024-01-01T10:20:30")},
      {"2024-01-01T10:20:30.1234567", Json("2024-01-01T10:20:30.123456")},
      {"2024-01-01T10:20:30Z", Json("2024-01-01T10:20:30+00:00")},
      {"2026-02-19T12:00:00Z", Json("2026-02-19T12:00:00+00:00")},
      {"2024-01-01T10:20:30+05:30", Json("2024-01-01T10:20:30+05:30")},
      {"2024-01-01T10:20:30-5", Json("2024-01-01T10:20:30-05:00")},
      {"2024-01-01T10:20:30 -05:00", Json("2024-01-01T10:20:30-05:00")},
      {"2024-01-01T10:20:30-00:00", Json("2024-01-01T10:20:30+00:00")},
      {"2024-01-01T10:20:30.25Z", Json("2024-01-01T10:20:30.250000+00:00")},
      {"2024-01-01T10:20", Json("2024-01-01T10:20")},
      {"2024-01-01T10:20:30X", Json("2024-01-01T10:20:30X")},
      {"24-01-01", Json("24-01-01")},
      {"2024-001-01", Json("2024-001-01")},
      // strings
      {"hello", Json("hello")},
      {"HPLC-1", Json("HPLC-1")},
      {"S-0042-A", Json("S-0042-A")},
      {"=", Json("=")},
      {"<<", Json("<<")},
      {"-", Json("-")},
      {"+", Json("+")},
      {".", Json(".")},
      {"é", Json("é")},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    Json got = ResolvePlainScalar(row.text);
    INFO(got.Dump());
    CHECK(Same(got, row.value));
  }
}

TEST_CASE("plain scalars without a value make the document invalid", "[yaml]") {
  for (const char* text : {"2024-13-01", "2024-02-30", "2023-02-29", "0000-01-01",
                           "2024-01-01T24:00:00", "2024-01-01T10:60:00", "2024-01-01T10:00:60",
                           "2024-01-01T10:00:00+24:00", "0x_", "0b_", ".", "-.", "._"}) {
    INFO(text);
    CHECK(YamlFails(std::string("k: ") + text));
    // The public resolver keeps such text as a string.
    CHECK(Same(ResolvePlainScalar(text), Json(text)));
  }
}

TEST_CASE("quoted and block scalars are strings", "[yaml]") {
  Json v = Yaml("a: '123'\nb: \"yes\"\nc: |\n  2024-01-01\nd: >-\n  1.5\ne: 'null'\nf: \"\"\n");
  CHECK(Same(v, J(R"({"a":"123","b":"yes","c":"2024-01-01\n","d":"1.5","e":"null","f":""})")));
}

TEST_CASE("document structure", "[yaml]") {
  CHECK(Same(Yaml(""), Json()));
  CHECK(Same(Yaml("# only a comment\n"), Json()));
  CHECK(Same(Yaml("---\n"), Json()));
  CHECK(Same(Yaml("- a\n- 1\n"), J(R"(["a",1])")));
  CHECK(Same(Yaml("plain"), Json("plain")));
  CHECK(Same(Yaml("k:"), J(R"({"k":null})")));
  CHECK(Same(Yaml("k:\n  - {a: 1, b: [x, 2.5]}\n  - []\n  - {}\n"),
             J(R"({"k":[{"a":1,"b":["x",2.5]},[],{}]})")));
  CHECK(Same(Yaml("outer:\n  inner:\n    date: 2024-01-01\n    list:\n    - 2024-01-02\n"),
             J(R"({"outer":{"inner":{"date":"2024-01-01","list":["2024-01-02"]}}})")));
  // Non-string keys become their text.
  Json keys = Yaml("1: a\ntrue: b\n~: c\n1.5: d\n2024-01-01: e\n0x10: f\n");
  CHECK(Same(keys, J(R"({"1":"a","true":"b","null":"c","1.5":"d","2024-01-01":"e","16":"f"})")));
  // Duplicate keys: the last value wins, at the first key's position.
  Json dup = Yaml("a: 1\nb: 2\na: 3\n");
  CHECK(Same(dup, J(R"({"a":3,"b":2})")));
  CHECK(dup.as_object().begin()->first == "a");
  // Insertion order is document order.
  Json ordered = Yaml("z: 1\na: 2\nm: 3\n");
  std::vector<std::string> order;
  for (const auto& [k, v] : ordered.as_object()) order.push_back(k);
  CHECK(order == std::vector<std::string>{"z", "a", "m"});
}

TEST_CASE("anchors, aliases and merge keys", "[yaml]") {
  CHECK(Same(Yaml("a: &x [1, 2]\nb: *x\n"), J(R"({"a":[1,2],"b":[1,2]})")));
  CHECK(Same(Yaml("base: &b {x: 1, y: 2}\nder:\n  <<: *b\n  y: 3\n  z: 4\n"),
             J(R"({"base":{"x":1,"y":2},"der":{"x":1,"y":3,"z":4}})")));
  // A list of merges: earlier mappings win over later ones; own keys win over all.
  Json m = Yaml("a: &a {x: 1}\nb: &b {y: 2, x: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n");
  CHECK(Same(*m.find("c"), J(R"({"x":1,"y":2,"z":3})")));
  // PyYAML's key order: the later merge source's keys first.
  std::vector<std::string> order;
  for (const auto& [k, v] : m.find("c")->as_object()) order.push_back(k);
  CHECK(order == std::vector<std::string>{"y", "x", "z"});
  // Own keys win even when they come before <<.
  CHECK(Same(Yaml("a: &a {x: 1}\nb:\n  x: 9\n  <<: *a\n"), J(R"({"a":{"x":1},"b":{"x":9}})")));
  // Inline merge mapping.
  CHECK(Same(Yaml("b:\n  <<: {p: 1}\n  q: 2\n"), J(R"({"b":{"p":1,"q":2}})")));
  // A quoted '<<' is an ordinary key.
  CHECK(Same(Yaml("'<<': {p: 1}\n"), J(R"({"<<":{"p":1}})")));
  CHECK(YamlFails("a: 1\nb:\n  <<: 5\n"));
  CHECK(YamlFails("a: 1\nb:\n  <<: [1, 2]\n"));
  CHECK(YamlFails("a: *nope\n"));
  CHECK(YamlFails("a: &x [*x]\n"));
}

TEST_CASE("explicit tags", "[yaml]") {
  Json v = Yaml(
      "s: !!str 123\ni: !!int \"42\"\nf: !!float 1\nb: !!bool yes\nn: !!null ''\n"
      "t: !!timestamp 2024-01-01 10:00:00\nq: !!seq [1]\nm: !!map {a: 1}\nx: ! 12\n"
      "v: !<tag:yaml.org,2002:str> 5\n");
  CHECK(Same(v, J(R"({"s":"123","i":42,"f":1.0,"b":true,"n":null,)"
                  R"("t":"2024-01-01T10:00:00","q":[1],"m":{"a":1},"x":"12","v":"5"})")));
  CHECK(Same(Yaml("b: !!binary |\n  aGVsbG8g\n  d29ybGQ=\n"), J(R"({"b":"aGVsbG8gd29ybGQ="})")));
  CHECK(YamlFails("b: !!binary aGk\n"));
  CHECK(Same(Yaml("s: !!set {b, a, b}\n"), J(R"({"s":["b","a"]})")));
  CHECK(Same(Yaml("s: !!set\n  ? x\n  ? 1\n"), J(R"({"s":["x",1]})")));
  for (const char* bad :
       {"a: !foo x\n", "a: !!python/object:os.system x\n", "a: !!omap []\n", "a: !!int abc\n",
        "a: !!bool maybe\n", "a: !!timestamp later\n", "a: !!str [1]\n", "a: !!seq {a: 1}\n",
        "a: !!map [1]\n", "a: !!set [1]\n", "a: !custom {x: 1}\n", "a: !!float abc\n"}) {
    INFO(bad);
    CHECK(YamlFails(bad));
  }
}

TEST_CASE("invalid YAML reports line and column", "[yaml]") {
  auto r = ParseYaml("a: 1\nb: [1, 2\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().reason() == "invalid_yaml");
  CHECK(r.status().message().find("line ") == 0);
  CHECK(YamlFails("a: b: c\n"));
  CHECK(YamlFails("a: 1\n...\nb: 2\n"));  // more than one document
  CHECK(YamlFails("? [a, b]\n: 1\n"));    // unhashable key
}

TEST_CASE("hostile YAML is refused or bounded", "[yaml][hostile]") {
  SECTION("billion laughs") {
    std::string doc = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'j'; ++c) {
      std::string prev(1, static_cast<char>(c - 1));
      doc += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" +
             prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
             ", *" + prev + "]\n";
    }
    CHECK(YamlFails(doc));
  }
  SECTION("deep flow nesting") {
    CHECK(YamlFails(std::string(100000, '[') + std::string(100000, ']')));
    CHECK(YamlFails(std::string(5000, '{')));
  }
  SECTION("deep nesting through aliases") {
    std::string doc = "a0: &a0 [1]\n";
    for (int i = 1; i < 400; ++i) {
      doc += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) +
             "]\n";
    }
    CHECK(YamlFails(doc));
  }
  SECTION("deep block nesting") {
    std::string doc;
    for (int i = 0; i < 1000; ++i) doc += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
    CHECK(YamlFails(doc));
  }
  SECTION("huge line and many keys") {
    CHECK(Same(Yaml("k: " + std::string(1 << 20, 'x')),
               Json::Object{{"k", std::string(1 << 20, 'x')}}));
    std::string many;
    for (int i = 0; i < 20000; ++i) many += "k" + std::to_string(i) + ": 1\n";
    CHECK(YamlFails(many));
  }
  SECTION("invalid UTF-8 and control bytes do not crash") {
    for (std::string s :
         {std::string("k: \xff\xfe\n"), std::string("\xc3\x28: 1\n"), std::string("k: \"\\xzz\"\n"),
          std::string("k: a\0b\n", 7), std::string("\t- x\n"), std::string("- [\n"),
          std::string("&a\n"), std::string("*a\n"), std::string("!!\n"), std::string("{a: 1, b}\n"),
          std::string("? \n"), std::string(": x\n")}) {
      (void)ParseYaml(s);
    }
    SUCCEED();
  }
}

TEST_CASE("the YAML writer's exact format", "[yaml][emit]") {
  CHECK(EmitYaml(J(R"({"title":"T","tags":["a","b"],"date":"2024-01-01"})").as_object()) ==
        "date: '2024-01-01'\ntags:\n- a\n- b\ntitle: T");
  CHECK(EmitYaml({}) == "{}");
  CHECK(EmitYaml(J(R"({"b":{"y":1,"x":{"q":null}},"a":[]})").as_object()) ==
        "a: []\nb:\n  x:\n    q: null\n  y: 1");
  CHECK(EmitYaml(J(R"({"l":[{"b":1,"a":[1,2]},[3,[4]],{},[],"s"]})").as_object()) ==
        "l:\n- a:\n  - 1\n  - 2\n  b: 1\n- - 3\n  - - 4\n- {}\n- []\n- s");
  CHECK(EmitYaml(J(R"({"t":true,"f":false,"n":null,"i":-3,"d":2.5,"e":1e20,"s":1e-05,"z":0.0})")
                     .as_object()) ==
        "d: 2.5\ne: 1.0e+20\nf: false\ni: -3\nn: null\ns: 1.0e-05\nt: true\nz: 0.0");
  CHECK(EmitYaml(J(R"({"m":"line1\nline2","k":"end\n","p":"a\n\n","x":"é ü 日本"})").as_object()) ==
        "k: |\n  end\nm: |-\n  line1\n  line2\np: \"a\\n\\n\"\nx: é ü 日本");
  CHECK(
      EmitYaml(J(R"({"q":"it's","e":"","y":"yes","n":"123","c":"a: b","h":"x #y"})").as_object()) ==
      "c: 'a: b'\ne: ''\nh: 'x #y'\nn: '123'\nq: it's\ny: 'yes'");
  CHECK(EmitYaml(J(R"({"ts":"2026-02-19T12:00:00Z"})").as_object()) ==
        "ts: '2026-02-19T12:00:00Z'");
  CHECK(EmitYaml(J(R"({"ctl":"a\tb\u0001"})").as_object()) == "ctl: \"a\\tb\\x01\"");
  CHECK(EmitYaml(J(R"({"123":1,"yes":2,"":3,"a b":4})").as_object()) ==
        "'': 3\n'123': 1\na b: 4\n'yes': 2");
  // Keys sort by code point (UTF-8 byte order), not by locale.
  CHECK(EmitYaml(J(R"({"é":1,"z":2,"Z":3,"a":4})").as_object()) == "Z: 3\na: 4\nz: 2\né: 1");
}

// Every awkward string must come back unchanged as a value, a key, a list item and nested.
TEST_CASE("the YAML writer round-trips awkward strings", "[yaml][emit][roundtrip]") {
  std::vector<std::string> strings = {
      "yes",
      "no",
      "on",
      "off",
      "y",
      "n",
      "true",
      "False",
      "null",
      "Null",
      "~",
      "123",
      "-17",
      "+5",
      "1_000",
      "0x1F",
      "0b101",
      "017",
      "08",
      "1:30",
      "1:30.5",
      ".5",
      "5.",
      "1.5e+3",
      "1.5e3",
      ".inf",
      "-.inf",
      ".nan",
      ".",
      "._",
      "0x_",
      "2024-01-01",
      "2024-13-45",
      "2024-01-01T10:00:00Z",
      "2024-1-5 1:02:03",
      "a: b",
      "a:b",
      "a:",
      ":a",
      "x #y",
      "x#y",
      "#x",
      "- x",
      "-x",
      "-",
      "--",
      "---",
      "----",
      "...",
      "....",
      "? x",
      "?x",
      "?",
      "*x",
      "*",
      "&x",
      "&",
      "!x",
      "!",
      "!!str",
      "%x",
      "%",
      "@x",
      "`x`",
      "'",
      "''",
      "'quoted'",
      "\"",
      "\"dq\"",
      "it's",
      "say \"hi\"",
      "",
      " ",
      "  ",
      " lead",
      "trail ",
      " both ",
      "\t",
      "a\tb",
      "\ttab",
      "tab\t",
      "[a]",
      "{a}",
      "a, b",
      "a,b",
      "[",
      "]",
      "{",
      "}",
      ",",
      "|",
      "|x",
      ">",
      ">x",
      "<<",
      "<",
      "=",
      "a=b",
      "~x",
      "\\",
      "back\\slash",
      "line1\nline2",
      "end\n",
      "two\n\n",
      "\nlead",
      "\n",
      "\n\n",
      "a\n b",
      "a \nb",
      " a\nb",
      "a\n\n\nb",
      "\ta\nb",
      "x\r\ny",
      "\r",
      "cr\r",
      "é",
      "日本語",
      "emoji 😀",
      "zero\u200bwidth",
      "nbsp\u00a0x",
      "\u00a0lead",
      "\u2028",
      "a\u2029b",
      "\u0085",
      "\ufeffbom",
      std::string("nul\0x", 5),
      "\x01\x02\x7f",
      "\x1b[31m",
      "a: b\nc: d",
      "key: |\n  fake",
      "# comment\nx",
      "- item\n- item2",
      "---\nx",
      "x\n---",
      "x\n...",
      std::string(1500, 'k'),
      "long " + std::string(200, 'w') + " words",
      "%YAML 1.1",
      "@attr",
      "`code`",
      "a'b",
      "a''b",
      "'a",
      "a'",
      "true ",
      " true",
      "1 ",
      "0o17",
      "1e+3",
      "1.0e+20",
      "-.5",
      "2024-01-01 ",
      "null\n",
      "<<: *x",
      "*x y",
      "&x y",
      "a #",
      "a #b",
      "a# b",
      "a:\tb",
  };
  auto round_trip = [](const Json::Object& object) {
    std::string text = EmitYaml(object);
    INFO(text);
    auto parsed = ParseYaml(text);
    INFO(parsed.status().ToString());
    REQUIRE(parsed.ok());
    REQUIRE(parsed->is_object());
    CHECK(Same(*parsed, Json(object)));
  };
  for (const std::string& s : strings) {
    INFO("string: [" << s << "]");
    round_trip(Json::Object{{"k", Json(s)}});
    round_trip(Json::Object{{s, Json("v")}});
    round_trip(Json::Object{{s, Json(s)}});
    round_trip(Json::Object{{"list", Json(Json::Array{Json(s), Json(s + "x")})}});
    round_trip(Json::Object{
        {"nested",
         Json(Json::Object{{"deeper", Json(Json::Array{Json(Json::Object{{s, Json(s)}}),
                                                       Json(Json::Array{Json(s), Json(1)})})},
                           {"z", Json(s)}})}});
  }
}

TEST_CASE("the YAML writer round-trips values of every type", "[yaml][emit][roundtrip]") {
  const char* objects[] = {
      R"({"n":null,"t":true,"f":false,"i":0,"neg":-42,"big":9223372036854775807,)"
      R"("small":-9223372036854775808,"d":1.5,"nd":-0.25,"z":0.0,"nz":-0.0,"e":1e+100,)"
      R"("tiny":5e-324,"pi":3.141592653589793,"third":0.3333333333333333,"r":1e16,"q":1e15})",
      R"({"empty_list":[],"empty_map":{},"nested":[[[]],[{}],[{"a":[{"b":[]}]}]]})",
      R"({"list_of_maps":[{"x":1,"y":[1,2,{"z":"w"}]},{"x":"2"}],"m":{"a":{"b":{"c":[1]}}}})",
      R"({"multi":["a\nb","c\n","d\n\n",{"k":"x\ny\n"}],"deep":{"l":[["1\n2"]]}})",
      R"({"unicode":"ünïcødé","日本":"語","emoji":"🎉"})",
  };
  for (const char* text : objects) {
    Json object = J(text);
    std::string yaml = EmitYaml(object.as_object());
    INFO(yaml);
    auto parsed = ParseYaml(yaml);
    INFO(parsed.status().ToString());
    REQUIRE(parsed.ok());
    CHECK(Same(*parsed, object));
  }
}

}  // namespace

namespace {

using codex::index::yaml_detail::ParseFlatMapping;
using codex::index::yaml_detail::ParseWithYamlCpp;

// The fast path must agree with yaml-cpp whenever it accepts a document.
bool FastAgrees(const std::string& doc, int* taken) {
  Json fast;
  if (!ParseFlatMapping(doc, &fast)) return true;
  ++*taken;
  auto slow = ParseWithYamlCpp(doc);
  INFO("doc: [" << doc << "]");
  INFO(slow.status().ToString());
  INFO(fast.Dump());
  REQUIRE(slow.ok());
  INFO(slow->Dump());
  return Same(fast, *slow);
}

TEST_CASE("the flat fast path agrees with yaml-cpp", "[yaml][fastpath]") {
  const std::string note =
      "id: 00002\ntitle: \"Telokyphux ruumbmilo brapozo\"\ndate: 2025-03-03T13:42:00Z\n"
      "author: bob\nproject: soil-microbiome\ninstrument: SEM-2\nsample: S-5016-B\n"
      "status: draft\ntags: [result, qc]\ntemperature_c: 46.7\nph: 5.71\n";
  int taken = 0;
  CHECK(FastAgrees(note, &taken));
  CHECK(taken == 1);  // the usual frontmatter takes the fast path

  const std::vector<std::string> keys = {
      "k",   "title", "a b", "1",   "0x10", "true", "~",   "null", "2024-01-01",
      "1.5", "é",     "k-1", "k_1", "a'b",  "a\"b", "a#b", "a #b", "<<",
      "-k",  "?k",    "k ",  ".k",  "...",  "k:x",  "[k]", "a,b",  "&a",
      "*a",  "!k",    "%k",  "@k",  "`k`",  "=",    "yes", "08",   "1:30"};
  const std::vector<std::string> values = {"",
                                           " ",
                                           "v",
                                           "v ",
                                           "v # comment",
                                           "v#x",
                                           "a b  c",
                                           "'q'",
                                           "'q' # c",
                                           "'it''s'",
                                           "'a'b",
                                           "\"dq\"",
                                           "\"d#q\" # c",
                                           "\"a\\tb\"",
                                           "\"a\"x",
                                           "\"unclosed",
                                           "'unclosed",
                                           "[a, b]",
                                           "[ ]",
                                           "[]",
                                           "[a,,b]",
                                           "[a, ]",
                                           "[a b, 1, 2.5, yes, ~, 2024-01-01]",
                                           "[a, [b]]",
                                           "[a: b]",
                                           "[a] # c",
                                           "[a]x",
                                           "{a: 1}",
                                           "&x v",
                                           "*x",
                                           "!!str 1",
                                           "|",
                                           ">",
                                           "- x",
                                           "-x",
                                           "-1",
                                           "--",
                                           "---",
                                           "...",
                                           "a: b",
                                           "a:",
                                           "a:b",
                                           "http://x.org/a#b",
                                           "#c",
                                           "?x",
                                           ":x",
                                           "%x",
                                           "@x",
                                           "`x`",
                                           "123",
                                           "0x1F",
                                           "0b11",
                                           "017",
                                           "1_000",
                                           "1:30",
                                           "1:30.5",
                                           ".5",
                                           "1.5e+3",
                                           ".inf",
                                           "-.inf",
                                           ".nan",
                                           "2024-01-01",
                                           "2024-01-01 10:00:00",
                                           "2024-13-01",
                                           "0x_",
                                           ".",
                                           "yes",
                                           "No",
                                           "null",
                                           "~",
                                           "é ü",
                                           "日本 語",
                                           "a, b",
                                           "a [b] {c}",
                                           "<<",
                                           "=",
                                           "'",
                                           "\""};
  for (const std::string& k : keys) {
    for (const std::string& v : values) {
      std::string line = k + ": " + v;
      CHECK(FastAgrees(line, &taken));
      CHECK(FastAgrees(line + "\n", &taken));
      CHECK(FastAgrees("# c\n\n" + line + "\nz: 1\n", &taken));
    }
  }
  // Structure around the entries.
  for (const char* doc : {"",
                          "\n",
                          "# only\n",
                          "k:\n",
                          "k:\nz: 1",
                          "k:\n  n: 1",
                          "k:\n- a",
                          "k: a\n  b",
                          "k: a\nb",
                          "a: 1\na: 2\nb: 3",
                          "a: 1\n...\nb: 2",
                          "---\na: 1",
                          "a: 1\n---",
                          "%YAML 1.1\n---\na: 1",
                          "a: 1\r\nb: 2",
                          "a:\t1",
                          "\xef\xbb\xbf"
                          "a: 1",
                          "a: \xc2\x85",
                          "a: b\xe2\x80\xa8"
                          "c",
                          "k:v",
                          ":",
                          ": v",
                          "k :v",
                          "k : v",
                          " k: v",
                          "\tk: v"}) {
    CHECK(FastAgrees(doc, &taken));
  }
  CHECK(taken > 1000);
}

TEST_CASE("the fast path agrees on mutated frontmatter", "[yaml][fastpath]") {
  const std::string base =
      "id: 00002\ntitle: \"Telokyphux ruumbmilo\"\ndate: 2025-03-03T13:42:00Z\nauthor: bob\n"
      "tags: [result, qc]\nph: 5.71\nnote: 'it''s'\nlist:\n- a\n- '2024-01-01'\nmore:\n  - 1\n";
  const std::string inserts[] = {" ", ":", "#", "'", "\"", "[", "]", ",",  "-", "\n", "\n  ", "&",
                                 "*", "!", "?", "{", "}",  "|", ">", "\\", ".", "0",  "é"};
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  int taken = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string doc = base;
    int edits = 1 + static_cast<int>(next() % 3);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = next() % (doc.size() + 1);
      if (next() % 4 == 0 && at < doc.size()) {
        doc.erase(at, 1);
      } else {
        doc.insert(at, inserts[next() % (sizeof inserts / sizeof inserts[0])]);
      }
    }
    CHECK(FastAgrees(doc, &taken));
  }
  CHECK(taken > 300);
}

}  // namespace
