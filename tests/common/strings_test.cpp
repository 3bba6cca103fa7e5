#include "common/strings.hpp"

#include <catch2/catch.hpp>

#include "common/time.hpp"

TEST_CASE("UTF-8 validation") {
  CHECK(codex::IsValidUtf8("plain"));
  CHECK(codex::IsValidUtf8("Café ✓ 🧪"));
  CHECK_FALSE(codex::IsValidUtf8("\xff"));
  CHECK_FALSE(codex::IsValidUtf8("\xc0\xaf"));      // overlong '/'
  CHECK_FALSE(codex::IsValidUtf8("\xed\xa0\x80"));  // surrogate
  CHECK_FALSE(codex::IsValidUtf8("\xe2\x82"));      // truncated
}

TEST_CASE("Unicode lower-case and trimming") {
  CHECK(codex::ToLowerUtf8("Café ÉCOLE Straße") == "café école straße");
  CHECK(codex::Trim("  \t x y \n") == "x y");
  CHECK(codex::Trim("\u00a0x\u3000") == "x");
  CHECK(codex::HtmlEscape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;");
}

TEST_CASE("Time values are formatted with six fraction digits and parsed from inputs") {
  auto t = codex::ParseTime("2026-11-21T10:00:00.123456Z");
  REQUIRE(t.has_value());
  CHECK(codex::FormatTime(*t) == "2026-11-21T10:00:00.123456Z");
  CHECK(codex::FormatTime(*codex::ParseTime("2026-11-21")) == "2026-11-21T00:00:00.000000Z");
  CHECK(codex::FormatTime(*codex::ParseTime("2026-11-21T12:00:00+02:00")) ==
        "2026-11-21T10:00:00.000000Z");
  CHECK(codex::FormatTime(*codex::ParseTime("2026-11-21T10:00:00.5")) ==
        "2026-11-21T10:00:00.500000Z");
  CHECK_FALSE(codex::ParseTime("2026-02-30").has_value());
  CHECK_FALSE(codex::ParseTime("yesterday").has_value());
  CHECK_FALSE(codex::ParseTime("2026-11-21T25:00:00").has_value());
}
