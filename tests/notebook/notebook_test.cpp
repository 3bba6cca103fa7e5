// Notebooks and the full scan: creation on disk, reconciling folders edited by any tool,
// metadata extraction end to end (SEMANTICS §5–§7, §9.1).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/lab.hpp"
#include "vcs/repository.hpp"

using codex::Code;
using codex::FileRef;
using codex::testing::Lab;
using codex::testing::Must;
using codex::testing::ReadFile;
using codex::testing::WriteFile;
namespace sfs = std::filesystem;

namespace {

codex::FileMeta Meta(Lab& lab, const std::string& path) {
  return Must(lab.files().Get(lab.alice, lab.ref(), FileRef::ByPath(path)));
}

codex::IndexReport Index(Lab& lab, bool force = false) {
  codex::IndexOptions opts;
  opts.force = force;
  return Must(lab.codex().notebooks().Index(lab.alice, lab.ref(), opts));
}

std::vector<codex::vcs::CommitInfo> Log(Lab& lab, const std::string& path) {
  auto repo = Must(codex::vcs::Repository::OpenOrInit(lab.root().string(), {"t", "t@x"}));
  return Must(repo->History(path, 50));
}

}  // namespace

TEST_CASE("notebook creation: folder, index database, git repository with .gitignore") {
  Lab lab;
  CHECK(lab.nb.slug == "nb");
  CHECK(lab.nb.path == "nb");
  CHECK(sfs::is_regular_file(lab.root() / ".codex" / "notebook.db"));
  CHECK(sfs::is_directory(lab.root() / ".git"));
  CHECK(ReadFile(lab.root() / ".gitignore") == codex::vcs::DefaultGitignore());
  auto log = Log(lab, ".gitignore");
  REQUIRE(log.size() == 1);
  CHECK(log[0].message == "Initialize .gitignore");
  CHECK(log[0].author == "codexd");

  auto& nbs = lab.codex().notebooks();
  auto second = Must(nbs.Create(lab.alice, "lab", {"NB", std::string("again")}));
  CHECK(second.slug.rfind("nb-", 0) == 0);
  CHECK(second.description == std::optional<std::string>("again"));
  CHECK(Must(nbs.Create(lab.alice, "lab", {"2026", std::nullopt})).slug == "2026-notebook");
  CHECK(Must(nbs.List(lab.alice, "lab")).size() == 3);
  CHECK(Must(nbs.Get(lab.alice, {"lab", std::to_string(lab.nb.id)})).slug == "nb");
  CHECK(nbs.Get(lab.alice, {"lab", "missing"}).status().reason() == "notebook_not_found");
  CODEX_REQUIRE_OK(nbs.Delete(lab.alice, {"lab", second.slug}));
  CHECK_FALSE(sfs::exists(sfs::path(lab.ws.path) / second.slug));
}

TEST_CASE("full scan finds new, changed, moved and deleted files") {
  Lab lab;
  WriteFile(lab.root() / "a.md", "---\ntitle: A\n---\n# Heading\nbody #alpha");
  WriteFile(lab.root() / "sub" / "b.txt", "plain text");
  WriteFile(lab.root() / "sub" / "deep" / "c.md", "# C title\nsee [[a]] and [x](sub/b.txt)");
  WriteFile(lab.root() / "node_modules" / "x.js", "ignored");
  WriteFile(lab.root() / "notes.md.swp", "ignored");
  auto first = Index(lab);
  CHECK(first.added == 3);
  CHECK(first.files == 3);
  REQUIRE(first.commit.has_value());
  auto a = Meta(lab, "a.md");
  CHECK(a.title == std::optional<std::string>("A"));
  CHECK(a.tags == std::vector<std::string>{"alpha"});
  CHECK(Meta(lab, "sub/deep/c.md").title == std::optional<std::string>("C title"));
  CHECK(a.git_tracked);

  auto again = Index(lab);
  CHECK(again.unchanged == 3);
  CHECK(again.added + again.modified + again.removed == 0);
  CHECK_FALSE(again.commit.has_value());

  WriteFile(lab.root() / "a.md", "---\ntitle: A2\n---\nnew body");
  sfs::rename(lab.root() / "sub" / "b.txt", lab.root() / "b-moved.txt");
  sfs::remove(lab.root() / "sub" / "deep" / "c.md");
  auto third = Index(lab);
  CHECK(third.modified == 1);
  CHECK(third.moved == 1);
  CHECK(third.removed == 1);
  CHECK(Meta(lab, "a.md").id == a.id);
  CHECK(Meta(lab, "a.md").title == std::optional<std::string>("A2"));
  auto log = Log(lab, "a.md");
  REQUIRE(log.size() == 2);
  CHECK(log[0].message.rfind("Batch update: 3 changes", 0) == 0);
  CHECK(log[0].message.find("Update a.md") != std::string::npos);
  CHECK(log[0].message.find("Move sub/b.txt to b-moved.txt") != std::string::npos);
  CHECK(log[0].message.find("Delete sub/deep/c.md") != std::string::npos);
  CHECK(lab.files().Get(lab.alice, lab.ref(), FileRef::ByPath("sub/deep/c.md")).status().code() ==
        Code::kNotFound);
}

TEST_CASE("indexing never stops on bad metadata: the problem is kept on the row") {
  Lab lab;
  WriteFile(lab.root() / "bad.md", "---\ntitle: [unclosed\nkey: : :\n---\n#visible text");
  WriteFile(lab.root() / "data.csv", "a,b\n1,2\n");
  WriteFile(lab.root() / "data.csv.json", "{ not json");
  WriteFile(lab.root() / "img.png.xml", "<meta><unclosed></meta>");
  auto report = Index(lab);
  CHECK(report.added == 3);  // bad.md, data.csv (with its sidecar), the orphan img.png.xml
  REQUIRE(report.problems.size() == 2);
  auto bad = Meta(lab, "bad.md");
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0].rfind("frontmatter: ", 0) == 0);
  CHECK(bad.properties.is_null());
  auto csv = Meta(lab, "data.csv");
  REQUIRE(csv.problems.size() == 1);
  CHECK(csv.problems[0].find("data.csv.json") != std::string::npos);
  CHECK(csv.content_type == "text/csv");
  // An orphan sidecar (no img.png) is a file of its own.
  CHECK(Meta(lab, "img.png.xml").content_type == "application/xml");
  // Fixing the sidecar clears the problem.
  WriteFile(lab.root() / "data.csv.json", "{\"title\": \"Data\"}");
  Index(lab);
  CHECK(Meta(lab, "data.csv").problems.empty());
  CHECK(Meta(lab, "data.csv").title == std::optional<std::string>("Data"));
}

TEST_CASE("sidecar precedence: json over xml over md, plain name over dot name") {
  Lab lab;
  WriteFile(lab.root() / "run.dat", std::string("\x00\x01binary", 8));
  WriteFile(lab.root() / "run.dat.md", "---\ntitle: from md\nsource: md\nmd_only: 1\n---\n");
  WriteFile(lab.root() / "run.dat.xml",
            "<meta><title>from xml</title><source>xml</source><xml_only>2</xml_only></meta>");
  WriteFile(lab.root() / ".run.dat.json", "{\"title\": \"from dot json\", \"source\": \"json\"}");
  Index(lab);
  auto m = Meta(lab, "run.dat");
  CHECK(m.content_type == "application/octet-stream");
  CHECK(m.title == std::optional<std::string>("from dot json"));
  REQUIRE(m.properties.is_object());
  CHECK(*m.properties.find("source") == codex::Json("json"));
  CHECK(*m.properties.find("md_only") == codex::Json(1));
  CHECK(*m.properties.find("xml_only") == codex::Json("2"));
  CHECK(m.sidecar_path == std::optional<std::string>(".run.dat.json"));
  // Sidecars are not files of their own.
  CHECK(lab.files().Get(lab.alice, lab.ref(), FileRef::ByPath("run.dat.md")).status().code() ==
        Code::kNotFound);
  // A plain json sidecar wins over the dot one.
  WriteFile(lab.root() / "run.dat.json", "{\"title\": \"from plain json\"}");
  Index(lab);
  CHECK(Meta(lab, "run.dat").title == std::optional<std::string>("from plain json"));
  CHECK(Meta(lab, "run.dat").sidecar_path == std::optional<std::string>("run.dat.json"));
  // Removing the main file leaves its sidecars as orphans, indexed as files.
  sfs::remove(lab.root() / "run.dat");
  Index(lab);
  CHECK(Meta(lab, "run.dat.md").content_type == "text/markdown");
  CHECK(Meta(lab, "run.dat.json").content_type == "application/json");
}

TEST_CASE("images: dimensions from headers, overridable by a sidecar") {
  Lab lab;
  // 2x3 RGBA PNG header (IHDR only is enough for the header reader).
  std::string png(
      "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x02\x00\x00\x00\x03\x08\x06\x00\x00\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00IEND\xae\x42\x60\x82",
      45);
  WriteFile(lab.root() / "pic.png", png);
  WriteFile(lab.root() / "pic.png.json", "{\"width\": 99, \"caption\": \"gel\"}");
  Index(lab);
  auto m = Meta(lab, "pic.png");
  CHECK(m.content_type == "image/png");
  REQUIRE(m.properties.is_object());
  CHECK(*m.properties.find("width") == codex::Json(99));
  CHECK(*m.properties.find("height") == codex::Json(3));
  CHECK(*m.properties.find("format") == codex::Json("PNG"));
  CHECK(*m.properties.find("mode") == codex::Json("RGBA"));
  CHECK_FALSE(m.git_tracked);  // binaries are never committed
}

TEST_CASE("symlinks: files inside are indexed, anything pointing out is not") {
  Lab lab;
  WriteFile(lab.root() / "real.md", "# Real");
  WriteFile(lab.tmp().path() / "outside.md", "# Outside secret");
  sfs::create_directories(lab.tmp().path() / "outdir");
  WriteFile(lab.tmp().path() / "outdir" / "x.md", "# Out dir");
  sfs::create_symlink(lab.root() / "real.md", lab.root() / "alias.md");
  sfs::create_symlink(lab.tmp().path() / "outside.md", lab.root() / "escape.md");
  sfs::create_symlink(lab.tmp().path() / "outdir", lab.root() / "linked-dir");
  auto report = Index(lab);
  CHECK(report.files == 2);
  CHECK(Meta(lab, "alias.md").title == std::optional<std::string>("Real"));
  CHECK(lab.files().Get(lab.alice, lab.ref(), FileRef::ByPath("escape.md")).status().code() !=
        Code::kOk);
  CHECK(Must(lab.codex().search().Query(lab.alice, "lab", "secret")).total == 0);
}

TEST_CASE("deleting every database rebuilds the same index from the folders") {
  Lab lab;
  Must(lab.files().Create(lab.alice, lab.ref(), "x/one.md", "---\ntags: [a, b]\n---\n# One"));
  Must(lab.files().Create(lab.alice, lab.ref(), "two.md", "# Two #c"));
  auto before = Must(lab.files().List(lab.alice, lab.ref()));
  sfs::remove(lab.root() / ".codex" / "notebook.db");
  sfs::remove(lab.root() / ".codex" / "notebook.db-wal");
  sfs::remove(lab.root() / ".codex" / "notebook.db-shm");
  // A fresh library instance opens a fresh database.
  codex::Options options;
  options.data_dir = lab.codex().data_dir();
  auto fresh = Must(codex::Codex::Open(options));
  Must(fresh.notebooks().Index(lab.alice, lab.ref()));
  auto after = Must(fresh.files().List(lab.alice, lab.ref()));
  REQUIRE(after.total == before.total);
  auto by_path = [](const codex::FileMeta& x, const codex::FileMeta& y) { return x.path < y.path; };
  std::sort(before.files.begin(), before.files.end(), by_path);
  std::sort(after.files.begin(), after.files.end(), by_path);
  for (std::size_t i = 0; i < after.files.size(); ++i) {
    CHECK(after.files[i].path == before.files[i].path);
    CHECK(after.files[i].tags == before.files[i].tags);
    CHECK(after.files[i].title == before.files[i].title);
    CHECK(after.files[i].hash == before.files[i].hash);
  }
}
