#include "codex/json.hpp"

#include <catch2/catch.hpp>

#include "common/number.hpp"

using codex::Json;

TEST_CASE("Json parses and dumps compactly, keeping key order") {
  auto parsed = Json::Parse(R"({"b": 1, "a": [true, null, 2.5, "x\u00e9"], "c": {}})");
  REQUIRE(parsed.ok());
  CHECK(parsed->Dump() == R"({"b":1,"a":[true,null,2.5,"xé"],"c":{}})");
}

TEST_CASE("Json pretty output matches Python's json.dumps(indent=2, ensure_ascii=False)") {
  auto parsed = Json::Parse(R"({"k": [1, {"n": "ü"}], "e": [], "f": 1.0})");
  REQUIRE(parsed.ok());
  CHECK(parsed->DumpPretty() ==
        "{\n  \"k\": [\n    1,\n    {\n      \"n\": \"ü\"\n    }\n  ],\n  \"e\": [],\n  \"f\": "
        "1.0\n}");
}

TEST_CASE("Json refuses malformed and overly deep input") {
  const char* bad[] = {"", "{", "[1,]", "{\"a\" 1}", "nul", "\"\xff\"", "01"};
  for (const char* text : bad) {
    auto r = Json::Parse(text);
    CHECK_FALSE(r.ok());
    CHECK(r.status().reason() == "json_invalid");
  }
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  CHECK_FALSE(Json::Parse(deep).ok());
}

TEST_CASE("Json equality compares numbers by value and objects without order") {
  CHECK(Json(1) == Json(1.0));
  CHECK_FALSE(Json(1) == Json("1"));
  auto a = Json::Parse(R"({"x":1,"y":[1,2]})");
  auto b = Json::Parse(R"({"y":[1,2],"x":1.0})");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a == *b);
}

TEST_CASE("FormatDouble follows Python repr") {
  CHECK(codex::FormatDouble(1.0) == "1.0");
  CHECK(codex::FormatDouble(0.0001) == "0.0001");
  CHECK(codex::FormatDouble(1.5e-5) == "1.5e-05");
  CHECK(codex::FormatDouble(1e16) == "1e+16");
  CHECK(codex::FormatDouble(123.456) == "123.456");
  CHECK(codex::FormatDouble(-2.5) == "-2.5");
  CHECK(codex::FormatDouble(1e15) == "1000000000000000.0");
}
