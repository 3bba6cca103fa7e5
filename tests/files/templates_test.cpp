// Templates (SEMANTICS §11), snippets (CONTRACT §25) and link resolution (SEMANTICS §8).
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/lab.hpp"
#include "vcs/repository.hpp"

using codex::Code;
using codex::FileRef;
using codex::Json;
using codex::testing::Lab;
using codex::testing::Must;
using codex::testing::ReadFile;
using codex::testing::WriteFile;

TEST_CASE("notebook templates are listed and expanded") {
  Lab lab;
  WriteFile(
      lab.root() / ".templates" / "experiment.md",
      "---\ntype: template\nname: Experiment\nicon: X\n"
      "default_name: \"{yyyy}/{mm}/exp-{dd}.md\"\n---\n# {title} ({month} {mon} {yy})\n{YYYY}");
  WriteFile(lab.root() / ".templates" / "plain.md", "---\ntitle: not a template\n---\nx");
  WriteFile(lab.root() / ".templates" / "csv.md",
            "---\ntype: template\ntemplate_for: .csv\ntemplate_content: \"a,b\"\n---\n");
  auto list = Must(lab.files().Templates(lab.alice, lab.ref()));
  REQUIRE(list.size() == 2);
  CHECK(list[0].id == "csv");
  CHECK(*list[0].fields.find("file_extension") == Json(".csv"));
  CHECK(*list[0].fields.find("default_name") == Json("{title}.csv"));
  CHECK(*list[0].fields.find("icon") == Json("📄"));
  CHECK(list[1].id == "experiment");
  CHECK(*list[1].fields.find("source") == Json("notebook"));

  // The fixed clock says 2026-11-21 (UTC; local time in the test environment may differ by a day).
  auto made =
      Must(lab.files().CreateFromTemplate(lab.alice, lab.ref(), "experiment", std::nullopt));
  CHECK(made.path.size() == std::string("2026/11/exp-21.md").size());
  std::string text = ReadFile(lab.root() / made.path);
  CHECK(text.find("# 2026/11/exp-") == 0);
  CHECK(text.find("November Nov 26)") != std::string::npos);
  CHECK(text.find("{YYYY}") != std::string::npos);  // other spellings stay
  auto named = Must(lab.files().CreateFromTemplate(lab.alice, lab.ref(), "csv", "data/run"));
  CHECK(named.path == "data/run.csv");
  CHECK(ReadFile(lab.root() / "data" / "run.csv") == "a,b");
  auto repo = Must(codex::vcs::Repository::OpenOrInit(lab.root().string(), {"t", "t@x"}));
  CHECK(Must(repo->History("data/run.csv", 1)).at(0).message ==
        "Create data/run.csv from template csv");
  CHECK(lab.files()
            .CreateFromTemplate(lab.alice, lab.ref(), "nope", std::nullopt)
            .status()
            .message() == "Template not found: nope");
}

TEST_CASE("snippets: frontmatter, default names, commit") {
  Lab lab;
  codex::SnippetRequest s;
  s.workspace = "lab";
  s.notebook = "nb";
  s.content = "Measured 3 samples.";
  s.title = "Über: Test!";
  s.tags = {"qc", "auto"};
  s.file_type = "log";
  s.folder = "inbox";
  s.properties = Json(Json::Object{{"instrument", "HPLC-1"}});
  auto m = Must(lab.files().CreateSnippet(lab.alice, s));
  CHECK(m.path == "inbox/2026-11-21-über-test.md");
  CHECK(m.file_type == std::optional<std::string>("log"));
  CHECK(m.tags == std::vector<std::string>{"auto", "qc"});
  CHECK(ReadFile(lab.root() / m.path) ==
        "---\ndate: '2026-11-21T00:00:00Z'\ninstrument: HPLC-1\ntags:\n- qc\n- auto\n"
        "title: 'Über: Test!'\ntype: log\n---\n\nMeasured 3 samples.");
  CHECK(Must(lab.files().CreateSnippet(lab.alice, s)).path == "inbox/2026-11-21-über-test-1.md");
  s.title.reset();
  s.folder.reset();
  CHECK(Must(lab.files().CreateSnippet(lab.alice, s)).path == "2026-11-21-000000-snippet.md");
  s.workspace = "nope";
  CHECK(lab.files().CreateSnippet(lab.alice, s).status().message() == "Workspace not found: nope");
  s.workspace = "lab";
  s.notebook = "zz";
  CHECK(lab.files().CreateSnippet(lab.alice, s).status().message() == "Notebook not found: zz");
  s.notebook = "nb";
  s.folder = "../up";
  CHECK(lab.files().CreateSnippet(lab.alice, s).status().reason() == "path_forbidden");
  CHECK(lab.files().CreateSnippet(lab.bob, s).status().code() == Code::kNotFound);
}

TEST_CASE("link resolution follows SEMANTICS §8") {
  Lab lab;
  auto& f = lab.files();
  for (const char* p : {"notes/day/a.md", "notes/day/b.md", "notes/day/img/x.png", "notes/b.md",
                        "b.md", "refs/b.md"}) {
    Must(f.Create(lab.alice, lab.ref(), p, "x"));
  }
  std::string cur = "notes/day/a.md";
  struct Row {
    const char* link;
    const char* resolved;
  };
  const Row rows[] = {{"b.md", "notes/day/b.md"},   {"./img/x.png", "notes/day/img/x.png"},
                      {"../b.md", "notes/b.md"},    {"/b.md", "b.md"},
                      {"refs/b.md", "refs/b.md"},   {"b.md#sec?x=1", "notes/day/b.md"},
                      {"b%2Emd", "notes/day/b.md"}, {"", "notes/day/a.md"}};
  for (const auto& r : rows) {
    INFO(r.link);
    auto link = Must(f.ResolveLink(lab.alice, lab.ref(), r.link, cur));
    CHECK(link.resolved_path == r.resolved);
    CHECK(link.file.path == r.resolved);
  }
  CHECK(f.ResolveLink(lab.alice, lab.ref(), "../../../x", cur).status().message() ==
        "Link resolves outside notebook: ../../../x");
  CHECK(f.ResolveLink(lab.alice, lab.ref(), "", std::nullopt).status().message() ==
        "Empty link with no current file context");
  CHECK(f.ResolveLink(lab.alice, lab.ref(), "./b.md", std::nullopt).status().message() ==
        "Relative link requires current file context");
  CHECK(f.ResolveLink(lab.alice, lab.ref(), ".git/config", cur).status().message() ==
        "Invalid link path: .git/config");
  CHECK(f.ResolveLink(lab.alice, lab.ref(), "x.md", "/abs").status().message() ==
        "Invalid link path: /abs");
  CHECK(f.ResolveLink(lab.alice, lab.ref(), "nothere.md", cur).status().message() ==
        "File not found: notes/day/nothere.md");
  // A bare name without context falls back to the lowest-id file of that name.
  CHECK(Must(f.ResolveLink(lab.alice, lab.ref(), "a.md", std::nullopt)).file.path ==
        "notes/day/a.md");
}
