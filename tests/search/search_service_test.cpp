// Search through the library: workspace and notebook scope, ranking, pagination, filters, tag
// search, snippets (SEMANTICS §12, CONTRACT §17).
#include <catch2/catch.hpp>

#include "support/lab.hpp"

using codex::Code;
using codex::testing::Lab;
using codex::testing::Must;

namespace {

// alice's "lab" with notebooks "nb" and "two".
struct SearchLab : Lab {
  SearchLab() {
    Must(codex().notebooks().Create(alice, "lab", {"Two", std::nullopt}));
    auto& f = files();
    Must(f.Create(alice, ref(), "centrifuge-title.md",
                  "---\ntitle: Centrifuge\ntags: [spin]\n---\nabout rotors"));
    Must(f.Create(alice, ref(), "body.md",
                  "# Body\nWe used the centrifuge <script>x</script> & more."));
    Must(f.Create(alice, ref(), "sub/deep.md", "---\ntags: [spin, qc]\n---\nno keyword here"));
    Must(f.Create(alice, {"lab", "two"}, "other.md", "centrifuge centrifuge in notebook two"));
  }
};

codex::SearchOptions Opts(std::int64_t limit = 20, std::int64_t offset = 0,
                          std::optional<std::string> nb = std::nullopt) {
  codex::SearchOptions o;
  o.limit = limit;
  o.offset = offset;
  o.notebook = std::move(nb);
  return o;
}

}  // namespace

TEST_CASE("workspace search merges notebooks by score; notebook scope restricts") {
  SearchLab lab;
  auto& s = lab.codex().search();
  auto all = Must(s.Query(lab.alice, "lab", "centrifuge"));
  CHECK(all.total == 3);
  CHECK(all.workspace_slug == "lab");
  CHECK_FALSE(all.notebook_id.has_value());
  REQUIRE(all.results.size() == 3);
  CHECK(all.results[0].path == "centrifuge-title.md");  // title weighted above body
  for (std::size_t i = 1; i < all.results.size(); ++i) {
    CHECK(all.results[i - 1].score >= all.results[i].score);
  }
  auto two = Must(s.Query(lab.alice, "lab", "centrifuge", Opts(20, 0, "two")));
  CHECK(two.total == 1);
  CHECK(two.notebook_slug == std::optional<std::string>("two"));
  CHECK(two.results.at(0).notebook_slug == "two");
  CHECK(s.Query(lab.alice, "lab", "x", Opts(20, 0, "nope")).status().reason() ==
        "notebook_not_found");
  CHECK(s.Query(lab.bob, "lab", "centrifuge").status().code() == Code::kNotFound);
}

TEST_CASE("pagination, limits, empty and exclusion-only queries") {
  SearchLab lab;
  auto& s = lab.codex().search();
  auto page = Must(s.Query(lab.alice, "lab", "centrifuge", Opts(1, 1)));
  CHECK(page.total == 3);
  REQUIRE(page.results.size() == 1);
  auto full = Must(s.Query(lab.alice, "lab", "centrifuge"));
  CHECK(page.results[0].path == full.results[1].path);
  CHECK(s.Query(lab.alice, "lab", "x", Opts(0)).status().reason() == "greater_than_equal");
  CHECK(s.Query(lab.alice, "lab", "x", Opts(101)).status().reason() == "less_than_equal");
  CHECK(s.Query(lab.alice, "lab", "x", Opts(20, -1)).status().code() == Code::kValidation);
  auto empty = Must(s.Query(lab.alice, "lab", "   "));
  CHECK(empty.total == 0);
  CHECK(empty.results.empty());
  auto only_not = s.Query(lab.alice, "lab", "-centrifuge");
  CHECK(only_not.status().reason() == "value_error");
  CHECK(only_not.status().message() == "Search query needs at least one term to match");
  CHECK(s.Query(lab.alice, "lab", std::string(1001, 'a')).status().reason() == "string_too_long");
}

TEST_CASE("snippets mark matches and escape HTML; filters give plain snippets") {
  SearchLab lab;
  auto& s = lab.codex().search();
  auto body = Must(s.Query(lab.alice, "lab", "centrifuge -rotors", Opts(20, 0, "nb")));
  REQUIRE(body.total == 1);
  const std::string& snip = body.results[0].snippet;
  CHECK(snip.find("<mark>centrifuge</mark>") != std::string::npos);
  CHECK(snip.find("&lt;script&gt;") != std::string::npos);
  CHECK(snip.find("&amp;") != std::string::npos);
  CHECK(snip.find("<script>") == std::string::npos);
  auto tagged = Must(s.Query(lab.alice, "lab", "tag:spin"));
  CHECK(tagged.total == 2);
  CHECK(tagged.results[0].score == 0);
  CHECK(tagged.results[0].snippet.find("<mark>") == std::string::npos);
  CHECK(Must(s.Query(lab.alice, "lab", "tag:spin tag:qc")).total == 1);
  CHECK(Must(s.Query(lab.alice, "lab", "tag:spin -rotors")).total == 1);
  auto glob = Must(s.Query(lab.alice, "lab", "path:sub/*"));
  REQUIRE(glob.total == 1);
  CHECK(glob.results[0].path == "sub/deep.md");
  CHECK(Must(s.Query(lab.alice, "lab", "centrifuge path:*.md")).total == 3);
}

TEST_CASE("tag search: every tag required, normalised, ordered by notebook then path") {
  SearchLab lab;
  auto& s = lab.codex().search();
  auto r = Must(s.ByTags(lab.alice, "lab", {" SPIN ", ""}));
  REQUIRE(r.total == 2);
  CHECK(r.results[0].path == "centrifuge-title.md");
  CHECK(r.results[1].path == "sub/deep.md");
  CHECK(Must(s.ByTags(lab.alice, "lab", {"spin", "qc"})).total == 1);
  CHECK(Must(s.ByTags(lab.alice, "lab", {"absent"})).total == 0);
  CHECK(Must(s.ByTags(lab.alice, "lab", {})).total == 0);
}
