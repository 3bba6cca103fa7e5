#include "common/slug.hpp"

#include <catch2/catch.hpp>

TEST_CASE("slugify follows SEMANTICS §3") {
  struct Row {
    const char* in;
    const char* ws;
    const char* nb;
  };
  const Row rows[] = {
      {"My Special Notebook!", "my-special-notebook", "my-special-notebook"},
      {"Test & Workspace! @#$%", "test-workspace", "test-workspace"},
      {"Notebook 1", "notebook-1", "notebook-1"},
      {"snake_case", "snake_case", "snake_case"},
      {"Café Notes", "café-notes", "café-notes"},
      {"--a -- b--", "a-b", "a-b"},
      {"!!!", "workspace", "notebook"},
      {"2026", "2026-workspace", "2026-notebook"},
      {"", "workspace", "notebook"},
      {"ÉCOLE Ünïcode", "école-ünïcode", "école-ünïcode"},
  };
  for (const auto& r : rows) {
    INFO(r.in);
    CHECK(codex::Slugify(r.in, "workspace") == r.ws);
    CHECK(codex::Slugify(r.in, "notebook") == r.nb);
  }
}

TEST_CASE("snippet slug and collision suffix") {
  CHECK(codex::SnippetSlug("Hello World") == "hello-world");
  CHECK(codex::SnippetSlug("Über: Test!") == "über-test");
  std::string s = codex::SlugSuffix();
  REQUIRE(s.size() == 9);
  CHECK(s[0] == '-');
  CHECK(s.find_first_not_of("0123456789abcdef", 1) == std::string::npos);
  CHECK(codex::SlugSuffix() != s);
}

TEST_CASE("unique path candidates follow SEMANTICS §4") {
  CHECK(codex::UniquePathCandidate("notes.md", 1) == "notes-1.md");
  CHECK(codex::UniquePathCandidate("notes.md", 2) == "notes-2.md");
  CHECK(codex::UniquePathCandidate("README", 1) == "README-1");
  CHECK(codex::UniquePathCandidate("archive.tar.gz", 1) == "archive.tar-1.gz");
  CHECK(codex::UniquePathCandidate(".bashrc", 1) == ".bashrc-1");
  CHECK(codex::UniquePathCandidate("subdir/page.md", 1) == "subdir/page-1.md");
  CHECK(codex::UniquePathCandidate("dir.d/noext", 1) == "dir.d/noext-1");
  CHECK(codex::UniquePathCandidate("trailing.", 1) == "trailing.-1");
}
