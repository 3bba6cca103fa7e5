#include "common/glob.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace {

struct GlobCase {
  const char* pattern;
  const char* path;
  bool match;
};

}  // namespace

TEST_CASE("Path globs (SEMANTICS 13.5)") {
  // clang-format off
  static const GlobCase kCases[] = {
      // whole-path match, case-sensitive
      {"notes/a.md", "notes/a.md", true},
      {"notes/a.md", "notes/a.mdx", false},
      {"notes/a.md", "x/notes/a.md", false},
      {"notes/a.md", "Notes/a.md", false},
      {"*.MD", "a.md", false},
      {"", "", true},
      {"", "a", false},
      // '*' is any run of characters including '/'
      {"*", "", true},
      {"*", "a/b/c.md", true},
      {"*.md", "a.md", true},
      {"*.md", "deep/er/a.md", true},
      {"*.md", "a.md.txt", false},
      {"notes/*", "notes/a/b.md", true},
      {"notes/*", "notes/", true},
      {"notes/*", "notes", false},
      {"notes/*.md", "notes/sub/x.md", true},
      {"*/a.md", "a.md", false},
      {"*/a.md", "x/y/a.md", true},
      {"a*b*c", "abc", true},
      {"a*b*c", "aXbYc", true},
      {"a*b*c", "aXbYcZ", false},
      {"a**b", "a/x/b", true},
      {"*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
      // '?' is exactly one character, '/' included; characters are code points
      {"?.md", "a.md", true},
      {"?.md", "ab.md", false},
      {"?.md", ".md", false},
      {"a?b", "a/b", true},
      {"?.md", "é.md", true},
      {"??.md", "é.md", false},
      {"?", "🧪", true},
      // classes
      {"[abc].md", "b.md", true},
      {"[abc].md", "d.md", false},
      {"[a-c].md", "c.md", true},
      {"[a-c].md", "C.md", false},
      {"[!x].md", "y.md", true},
      {"[!x].md", "x.md", false},
      {"[!a-c]", "d", true},
      {"[!a-c]", "b", false},
      {"[]a]", "]", true},
      {"[]a]", "a", true},
      {"[!]]", "]", false},
      {"[!]]", "x", true},
      {"[a-]", "-", true},
      {"[-a]", "-", true},
      {"[z-a]", "m", false},
      {"[é]", "é", true},
      {"[à-ï]", "é", true},
      {"[/]", "/", true},
      {"2024-[0-1][0-9]-*.md", "2024-03-01 meeting.md", true},
      {"2024-[0-1][0-9]-*.md", "2024-23-01.md", false},
      // an unterminated '[' is a literal character
      {"[abc", "[abc", true},
      {"[abc", "a", false},
      {"a[", "a[", true},
      {"[!", "[!", true},
      // literal characters: invalid bytes match only themselves
      {"\xff", "\xff", true},
      {"\xff", "\xfe", false},
      {"caf\xc3\xa9", "café", true},
  };
  // clang-format on
  for (const GlobCase& c : kCases) {
    INFO("pattern=" << c.pattern << " path=" << c.path);
    CHECK(codex::GlobMatch(c.pattern, c.path) == c.match);
  }
}

TEST_CASE("Long globs stay fast and correct") {
  std::string path(5000, 'a');
  std::string pattern;
  for (int i = 0; i < 50; ++i) pattern += "*a";
  pattern += "b";
  CHECK_FALSE(codex::GlobMatch(pattern, path));
  CHECK(codex::GlobMatch(pattern.substr(0, pattern.size() - 1), path));
}
