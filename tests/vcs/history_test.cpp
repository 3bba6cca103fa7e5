// History, file-at-revision and diffs (SEMANTICS §9.5).
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "vcs/repository.hpp"

namespace fs = std::filesystem;
using codex::testing::TempDir;
using codex::testing::WriteFile;
using codex::vcs::CommitInfo;
using codex::vcs::Repository;
using codex::vcs::Signature;

namespace {

const Signature kCommitter{"codexd", "codexd@localhost"};
const Signature kAlice{"alice", "alice@example.org"};
const Signature kBob{"bob", "bob@example.org"};

std::unique_ptr<Repository> Open(const TempDir& dir) {
  auto repo = Repository::OpenOrInit(dir.str(), kCommitter);
  REQUIRE(repo.ok());
  return std::move(repo).value();
}

std::string Commit(Repository& repo, const std::vector<std::string>& paths,
                   const std::string& message, const Signature& author = kAlice) {
  auto sha = repo.CommitPaths(paths, message, author);
  REQUIRE(sha.ok());
  REQUIRE(sha->has_value());
  return **sha;
}

std::vector<std::string> Messages(const std::vector<CommitInfo>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.message);
  return out;
}

}  // namespace

TEST_CASE("History lists the commits that changed a file, newest first") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "a.md", "v1\n");
  std::string first = Commit(*repo, {"a.md"}, "Create a.md");
  WriteFile(dir / "other.md", "x\n");
  Commit(*repo, {"other.md"}, "Create other.md");
  WriteFile(dir / "a.md", "v2\n");
  std::string second = Commit(*repo, {"a.md"}, "  Update a.md\n\n", kBob);

  auto history = repo->History("a.md", 10);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].hash == second);
  CHECK((*history)[0].message == "Update a.md");
  CHECK((*history)[0].author == "bob");
  CHECK((*history)[1].hash == first);
  CHECK((*history)[1].author == "alice");
  CHECK((*history)[1].date.back() == 'Z');

  auto limited = repo->History("a.md", 1);
  REQUIRE(limited.ok());
  REQUIRE(limited->size() == 1);
  CHECK(limited->front().hash == second);
  auto skipped = repo->History("a.md", 10, 1);
  REQUIRE(skipped.ok());
  REQUIRE(skipped->size() == 1);
  CHECK(skipped->front().hash == first);
  CHECK(repo->History("a.md", 0)->empty());
  CHECK(repo->History("never.md", 10)->empty());
}

TEST_CASE("History includes the commit that deleted the file") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "a.md", "v1\n");
  Commit(*repo, {"a.md"}, "Create a.md");
  fs::remove(dir / "a.md");
  Commit(*repo, {"a.md"}, "Delete a.md");
  auto history = repo->History("a.md", 10);
  REQUIRE(history.ok());
  CHECK(Messages(*history) == std::vector<std::string>{"Delete a.md", "Create a.md"});
}

TEST_CASE("History follows Move commits to the old path") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "old name.md", "v1\n");
  Commit(*repo, {"old name.md"}, "Create old name.md");
  WriteFile(dir / "old name.md", "v2\n");
  Commit(*repo, {"old name.md"}, "Update old name.md");
  fs::create_directories(dir / "dir");
  fs::rename(dir / "old name.md", dir / "dir" / "new.md");
  Commit(*repo, {"old name.md", "dir/new.md"}, "Move old name.md to dir/new.md");
  WriteFile(dir / "dir" / "new.md", "v3\n");
  Commit(*repo, {"dir/new.md"}, "Update new.md");
  // A later file at the old path is a different file.
  WriteFile(dir / "old name.md", "unrelated\n");
  Commit(*repo, {"old name.md"}, "Create old name.md");

  auto history = repo->History("dir/new.md", 10);
  REQUIRE(history.ok());
  CHECK(Messages(*history) == std::vector<std::string>{"Update new.md",
                                                       "Move old name.md to dir/new.md",
                                                       "Update old name.md", "Create old name.md"});

  auto old_history = repo->History("old name.md", 10);
  REQUIRE(old_history.ok());
  CHECK(old_history->size() == 4);  // recreate, move away, update, create
}

TEST_CASE("History follows moves listed in a batch commit") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "a.md", "v1\n");
  Commit(*repo, {"a.md"}, "Create a.md");
  fs::rename(dir / "a.md", dir / "b.md");
  WriteFile(dir / "c.md", "c\n");
  auto sha =
      repo->CommitAll("Batch update: 2 changes\n\nCreate c.md\nMove a.md to b.md", kCommitter);
  REQUIRE(sha.ok());
  REQUIRE(sha->has_value());
  auto history = repo->History("b.md", 10);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK(history->back().message == "Create a.md");
}

TEST_CASE("History follows an exact rename whose message does not name it") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "a.md", "v1\n");
  WriteFile(dir / "original.md", "same\n");
  Commit(*repo, {"a.md", "original.md"}, "Batch update");
  fs::create_directories(dir / "sub");
  fs::rename(dir / "a.md", dir / "sub" / "b.md");
  Commit(*repo, {"a.md", "sub/b.md"}, "Auto-commit: b.md");
  auto history = repo->History("sub/b.md", 10);
  REQUIRE(history.ok());
  CHECK(Messages(*history) == std::vector<std::string>{"Auto-commit: b.md", "Batch update"});

  SECTION("a copy is a new file: its source was not deleted") {
    WriteFile(dir / "copy.md", "same\n");
    Commit(*repo, {"copy.md"}, "Auto-commit: copy.md");
    auto copy = repo->History("copy.md", 10);
    REQUIRE(copy.ok());
    CHECK(Messages(*copy) == std::vector<std::string>{"Auto-commit: copy.md"});
  }
  SECTION("a rename with an edit is not exact: history starts there") {
    fs::rename(dir / "original.md", dir / "edited.md");
    WriteFile(dir / "edited.md", "same, edited\n");
    Commit(*repo, {"original.md", "edited.md"}, "Auto-commit: edited.md");
    auto edited = repo->History("edited.md", 10);
    REQUIRE(edited.ok());
    CHECK(edited->size() == 1);
  }
}

TEST_CASE("History of an empty repository is empty") {
  TempDir dir;
  auto repo = Open(dir);
  CHECK(repo->History("nothing.md", 5)->empty());
}

TEST_CASE("ReadAt returns the file at a revision") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "n.md", "old\n");
  std::string first = Commit(*repo, {"n.md"}, "Create n.md");
  WriteFile(dir / "n.md", "new\n");
  Commit(*repo, {"n.md"}, "Update n.md");

  CHECK(*repo->ReadAt(first, "n.md") == "old\n");
  CHECK(*repo->ReadAt(first.substr(0, 10), "n.md") == "old\n");
  CHECK(*repo->ReadAt("HEAD", "n.md") == "new\n");
  CHECK(*repo->ReadAt("HEAD~1", "n.md") == "old\n");

  for (const auto& [rev, path] : std::vector<std::pair<std::string, std::string>>{
           {"0123456789abcdef0123456789abcdef01234567", "n.md"},
           {"not-a-revision", "n.md"},
           {"", "n.md"},
           {std::string(101, 'a'), "n.md"},
           {"HEAD", "missing.md"},
           {"HEAD", ""},
           {"HEAD:n.md", "n.md"},
       }) {
    auto r = repo->ReadAt(rev, path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == codex::Code::kNotFound);
    CHECK(r.status().reason() == "file_not_found");
    CHECK(r.status().message() == "File not found at this commit");
  }
}

TEST_CASE("ReadAt refuses content that is not UTF-8") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "latin1.txt", "caf\xe9\n");
  Commit(*repo, {"latin1.txt"}, "Create latin1.txt");
  auto r = repo->ReadAt("HEAD", "latin1.txt");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "File not found at this commit");
}

TEST_CASE("Diff gives a unified git diff between revisions and against the work tree") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "n.md", "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n");
  std::string first = Commit(*repo, {"n.md"}, "Create n.md");
  WriteFile(dir / "other.md", "o\n");
  WriteFile(dir / "n.md", "one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\n");
  std::string second = Commit(*repo, {"n.md", "other.md"}, "Update n.md");

  auto diff = repo->Diff("n.md", first, second);
  REQUIRE(diff.ok());
  CHECK(*diff ==
        "diff --git a/n.md b/n.md\n"
        "index " +
            diff->substr(diff->find("index ") + 6, 16) +
            " 100644\n"
            "--- a/n.md\n"
            "+++ b/n.md\n"
            "@@ -2,7 +2,7 @@ one\n"
            " two\n"
            " three\n"
            " four\n"
            "-five\n"
            "+FIVE\n"
            " six\n"
            " seven\n"
            " eight\n");
  CHECK(diff->find("other.md") == std::string::npos);

  WriteFile(dir / "n.md", "one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\nnine\n");
  auto work = repo->Diff("n.md", "HEAD", "");
  REQUIRE(work.ok());
  CHECK(work->find("+nine\n") != std::string::npos);
  CHECK(work->find("@@ -6,3 +6,4 @@") != std::string::npos);

  auto same = repo->Diff("n.md", second, "HEAD");
  REQUIRE(same.ok());
  CHECK(same->empty());

  WriteFile(dir / "fresh.md", "hello\n");
  auto added = repo->Diff("fresh.md", "HEAD", "");
  REQUIRE(added.ok());
  CHECK(added->find("+hello\n") != std::string::npos);

  auto bad = repo->Diff("n.md", "nope", "HEAD");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "File not found at this commit");
  auto missing = repo->Diff("missing.md", first, second);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == codex::Code::kNotFound);
}
