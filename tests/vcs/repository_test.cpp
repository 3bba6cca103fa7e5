// The notebook repository: creation, staging and committing (SEMANTICS §9.1–9.3).
#include "vcs/repository.hpp"

#include <git2.h>  // only to inspect what the repository wrote; tests/vcs mirrors src/vcs

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using codex::testing::ReadFile;
using codex::testing::TempDir;
using codex::testing::WriteFile;
using codex::vcs::Repository;
using codex::vcs::Signature;

namespace {

const Signature kCommitter{"codexd", "codexd@localhost"};
const Signature kAlice{"alice", "alice@example.org"};

std::unique_ptr<Repository> Open(const TempDir& dir) {
  auto repo = Repository::OpenOrInit(dir.str(), kCommitter);
  REQUIRE(repo.ok());
  return std::move(repo).value();
}

// Whether `path` is in HEAD's tree.
bool InHead(Repository& repo, const std::string& path) { return repo.ReadAt("HEAD", path).ok(); }

struct CommitIdentity {
  std::string author_name, author_email, committer_name, committer_email;
};

// Reads HEAD's author and committer with libgit2 directly.
CommitIdentity HeadIdentity(const fs::path& dir) {
  git_libgit2_init();
  git_repository* repo = nullptr;
  REQUIRE(git_repository_open(&repo, dir.c_str()) == 0);
  git_object* obj = nullptr;
  REQUIRE(git_revparse_single(&obj, repo, "HEAD") == 0);
  auto* commit = reinterpret_cast<git_commit*>(obj);
  CommitIdentity id{git_commit_author(commit)->name, git_commit_author(commit)->email,
                    git_commit_committer(commit)->name, git_commit_committer(commit)->email};
  git_object_free(obj);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return id;
}

// Number of commits reachable from HEAD.
int RevCount(const fs::path& dir) {
  git_libgit2_init();
  git_repository* repo = nullptr;
  REQUIRE(git_repository_open(&repo, dir.c_str()) == 0);
  git_revwalk* walk = nullptr;
  REQUIRE(git_revwalk_new(&walk, repo) == 0);
  REQUIRE(git_revwalk_push_head(walk) == 0);
  int n = 0;
  git_oid oid;
  while (git_revwalk_next(&oid, walk) == 0) ++n;
  git_revwalk_free(walk);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return n;
}

}  // namespace

TEST_CASE("A new notebook gets a repository on main with the exact .gitignore") {
  TempDir dir;
  auto repo = Open(dir);
  CHECK(ReadFile(dir / ".gitignore") == codex::vcs::DefaultGitignore());
  CHECK(codex::vcs::DefaultGitignore().substr(0, 15) == "# Binary files\n");
  CHECK(codex::vcs::DefaultGitignore().back() == '/');  // "venv/", no trailing newline
  CHECK(ReadFile(dir / ".git" / "HEAD") == "ref: refs/heads/main\n");

  auto history = repo->History(".gitignore", 10);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  const auto& entry = history->front();
  CHECK(entry.message == "Initialize .gitignore");
  CHECK(entry.author == "codexd");
  CHECK(entry.hash.size() == 40);
  CHECK(entry.date.size() == 27);
  CHECK(entry.date.substr(19) == ".000000Z");
  CHECK(RevCount(dir.path()) == 1);
  auto blob = repo->ReadAt(entry.hash, ".gitignore");
  REQUIRE(blob.ok());
  CHECK(*blob == codex::vcs::DefaultGitignore());
}

TEST_CASE("The user's git configuration does not choose the branch") {
  TempDir home;
  WriteFile(home / ".gitconfig",
            "[init]\n\tdefaultBranch = master\n[user]\n\tname = Someone Else\n"
            "\temail = else@example.org\n[core]\n\tautocrlf = true\n");
  const char* old_home = std::getenv("HOME");
  std::string saved = old_home != nullptr ? old_home : "";
  ::setenv("HOME", home.str().c_str(), 1);
  TempDir dir;
  auto repo = Repository::OpenOrInit(dir.str(), kCommitter);
  if (old_home != nullptr) {
    ::setenv("HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("HOME");
  }
  REQUIRE(repo.ok());
  CHECK(ReadFile(dir / ".git" / "HEAD") == "ref: refs/heads/main\n");
  CHECK(HeadIdentity(dir.path()).committer_name == "codexd");
}

TEST_CASE("An existing repository is reused as is") {
  TempDir dir;
  { auto first = Open(dir); }
  WriteFile(dir / ".gitignore", "custom\n");
  auto again = Open(dir);
  CHECK(ReadFile(dir / ".gitignore") == "custom\n");
  CHECK(RevCount(dir.path()) == 1);
}

TEST_CASE("A missing notebook directory is an error") {
  TempDir dir;
  auto repo = Repository::OpenOrInit((dir / "nope").string(), kCommitter);
  REQUIRE_FALSE(repo.ok());
  CHECK(repo.status().code() == codex::Code::kIoError);
}

TEST_CASE("CommitPaths stages exactly the given paths") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "a.md", "# A\n");
  WriteFile(dir / "sub" / "b.md", "# B\n");
  auto sha = repo->CommitPaths({"a.md"}, "Create a.md", kAlice);
  REQUIRE(sha.ok());
  REQUIRE(sha->has_value());
  CHECK((*sha)->size() == 40);
  CHECK(InHead(*repo, "a.md"));
  CHECK_FALSE(InHead(*repo, "sub/b.md"));

  auto second = repo->CommitPaths({"sub/b.md"}, "Create b.md", kAlice);
  REQUIRE(second.ok());
  REQUIRE(second->has_value());
  CHECK(**second != **sha);
  CHECK(InHead(*repo, "sub/b.md"));
  CHECK(RevCount(dir.path()) == 3);
}

TEST_CASE("Nothing to commit gives nullopt") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "a.md", "text\n");
  REQUIRE(repo->CommitPaths({"a.md"}, "Create a.md", kAlice)->has_value());

  auto again = repo->CommitPaths({"a.md"}, "Update a.md", kAlice);
  REQUIRE(again.ok());
  CHECK_FALSE(again->has_value());
  auto none = repo->CommitPaths({}, "Nothing", kAlice);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  auto all = repo->CommitAll("Batch update: 0 changes", kCommitter);
  REQUIRE(all.ok());
  CHECK_FALSE(all->has_value());
  CHECK(RevCount(dir.path()) == 2);
}

TEST_CASE("Deleted paths are staged as removals") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "a.md", "a\n");
  WriteFile(dir / "folder" / "x.md", "x\n");
  WriteFile(dir / "folder" / "deep" / "y.md", "y\n");
  REQUIRE(repo->CommitPaths({"a.md", "folder"}, "Create", kAlice)->has_value());
  CHECK(InHead(*repo, "folder/deep/y.md"));

  fs::remove(dir / "a.md");
  auto del = repo->CommitPaths({"a.md"}, "Delete a.md", kAlice);
  REQUIRE(del.ok());
  REQUIRE(del->has_value());
  CHECK_FALSE(InHead(*repo, "a.md"));
  CHECK(InHead(*repo, "folder/x.md"));

  fs::rename(dir / "folder", dir / "moved");
  auto move = repo->CommitPaths({"folder", "moved"}, "Move folder to moved", kAlice);
  REQUIRE(move.ok());
  REQUIRE(move->has_value());
  CHECK_FALSE(InHead(*repo, "folder/x.md"));
  CHECK_FALSE(InHead(*repo, "folder/deep/y.md"));
  CHECK(InHead(*repo, "moved/x.md"));
  CHECK(InHead(*repo, "moved/deep/y.md"));
}

TEST_CASE("Binary files are never staged") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "data.bin", std::string("abc\0def", 7));
  std::string late_nul(9000, 'x');
  late_nul[8500] = '\0';  // after the first 8 KiB: counts as text
  WriteFile(dir / "late.txt", late_nul);
  std::string edge(8192, 'x');
  edge[8191] = '\0';  // the last byte of the first 8 KiB
  WriteFile(dir / "edge.txt", edge);

  SECTION("explicit staging") {
    auto sha = repo->CommitPaths({"data.bin", "edge.txt"}, "Upload", kAlice);
    REQUIRE(sha.ok());
    CHECK_FALSE(sha->has_value());
    REQUIRE(repo->CommitPaths({"late.txt"}, "Upload late.txt", kAlice)->has_value());
  }
  SECTION("stage all") {
    WriteFile(dir / "note.md", "# Note\n");
    REQUIRE(repo->CommitAll("Batch update: 2 changes", kCommitter)->has_value());
    CHECK(InHead(*repo, "note.md"));
    CHECK(InHead(*repo, "late.txt"));
  }
  CHECK_FALSE(InHead(*repo, "data.bin"));
  CHECK_FALSE(InHead(*repo, "edge.txt"));
  CHECK(InHead(*repo, "late.txt"));
}

TEST_CASE("A tracked file that becomes binary keeps its last text version") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "f.txt", "text\n");
  REQUIRE(repo->CommitPaths({"f.txt"}, "Create f.txt", kAlice)->has_value());
  WriteFile(dir / "f.txt", std::string("bin\0ary", 7));
  CHECK_FALSE(repo->CommitPaths({"f.txt"}, "Update f.txt", kAlice)->has_value());
  CHECK_FALSE(repo->CommitAll("Batch update: 1 changes", kCommitter)->has_value());
  CHECK(*repo->ReadAt("HEAD", "f.txt") == "text\n");
}

TEST_CASE("Ignored files are never staged") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "x.png", "not really a png\n");
  WriteFile(dir / ".codex" / "notebook.db", "SQLite format 3\n");
  WriteFile(dir / "node_modules" / "pkg" / "index.js", "x\n");
  WriteFile(dir / "sub" / "Thumbs.db", "x\n");
  CHECK(repo->IsIgnored("x.png"));
  CHECK(repo->IsIgnored(".codex/notebook.db"));
  CHECK(repo->IsIgnored("node_modules/pkg/index.js"));
  CHECK(repo->IsIgnored("sub/Thumbs.db"));
  CHECK(repo->IsIgnored(".git/config"));
  CHECK_FALSE(repo->IsIgnored("note.md"));
  CHECK_FALSE(repo->IsIgnored("images.md"));

  auto explicit_sha = repo->CommitPaths(
      {"x.png", ".codex/notebook.db", "node_modules/pkg/index.js", "sub/Thumbs.db"}, "Upload",
      kAlice);
  REQUIRE(explicit_sha.ok());
  CHECK_FALSE(explicit_sha->has_value());
  auto all = repo->CommitAll("Batch update", kCommitter);
  REQUIRE(all.ok());
  CHECK_FALSE(all->has_value());
  CHECK(RevCount(dir.path()) == 1);
}

TEST_CASE("Paths outside the notebook are refused") {
  TempDir dir;
  auto repo = Open(dir);
  for (std::string bad : {"../x.md", "/etc/passwd", "a/../../x", "", "a//b", "./a"}) {
    auto r = repo->CommitPaths({bad}, "Create", kAlice);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == codex::Code::kInvalidArgument);
  }
  auto git_dir = repo->CommitPaths({".git/config"}, "Create", kAlice);
  REQUIRE(git_dir.ok());
  CHECK_FALSE(git_dir->has_value());
}

TEST_CASE("CommitAll stages additions, modifications and deletions") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "keep.md", "1\n");
  WriteFile(dir / "gone.md", "2\n");
  WriteFile(dir / "a" / "b" / "c.md", "3\n");
  REQUIRE(repo->CommitAll("Batch update: 3 changes", kCommitter)->has_value());
  CHECK(InHead(*repo, "a/b/c.md"));

  WriteFile(dir / "keep.md", "1 changed\n");
  fs::remove(dir / "gone.md");
  fs::remove_all(dir / "a");
  WriteFile(dir / "new.md", "4\n");
  auto sha = repo->CommitAll("Batch update: 4 changes", kCommitter);
  REQUIRE(sha.ok());
  REQUIRE(sha->has_value());
  CHECK(*repo->ReadAt("HEAD", "keep.md") == "1 changed\n");
  CHECK(InHead(*repo, "new.md"));
  CHECK_FALSE(InHead(*repo, "gone.md"));
  CHECK_FALSE(InHead(*repo, "a/b/c.md"));
}

TEST_CASE("Author is the acting user, committer the one given at open") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "a.md", "a\n");
  REQUIRE(repo->CommitPaths({"a.md"}, "Create a.md", kAlice)->has_value());
  CommitIdentity id = HeadIdentity(dir.path());
  CHECK(id.author_name == "alice");
  CHECK(id.author_email == "alice@example.org");
  CHECK(id.committer_name == "codexd");
  CHECK(id.committer_email == "codexd@localhost");

  WriteFile(dir / "b.md", "b\n");
  REQUIRE(repo->CommitPaths({"b.md"}, "Agent Helper: Create b.md",
                            Signature{"Helper (agent)", "codexd@localhost"})
              ->has_value());
  CHECK(HeadIdentity(dir.path()).author_name == "Helper (agent)");

  WriteFile(dir / "c.md", "c\n");
  REQUIRE(repo->CommitPaths({"c.md"}, "Create c.md", Signature{"<evil>", ""})->has_value());
  CHECK(HeadIdentity(dir.path()).author_name == "evil");
}

TEST_CASE("Ten concurrent commits on one repository give ten distinct commits") {
  TempDir dir;
  auto repo = Open(dir);
  constexpr int kThreads = 10;
  std::vector<std::string> shas(kThreads);
  std::vector<bool> ok(kThreads, false);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      std::string name = "note" + std::to_string(i) + ".md";
      WriteFile(dir / name, "content " + std::to_string(i) + "\n");
      auto sha = repo->CommitPaths({name}, "Create " + name, kAlice);
      if (sha.ok() && sha->has_value()) {
        ok[i] = true;
        shas[i] = **sha;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) CHECK(ok[i]);
  CHECK(std::set<std::string>(shas.begin(), shas.end()).size() == kThreads);
  CHECK(RevCount(dir.path()) == kThreads + 1);
  for (int i = 0; i < kThreads; ++i) CHECK(InHead(*repo, "note" + std::to_string(i) + ".md"));
}

TEST_CASE("PendingChanges lists what differs from HEAD, staged or not") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "kept.md", "kept\n");
  WriteFile(dir / "edited.md", "before\n");
  WriteFile(dir / "gone.md", "gone\n");
  WriteFile(dir / "staged.md", "v1\n");
  REQUIRE(repo->CommitAll("Batch update", kAlice).ok());
  CHECK(repo->PendingChanges()->empty());

  WriteFile(dir / "edited.md", "after\n");
  WriteFile(dir / "new.md", "new\n");
  WriteFile(dir / "sub" / "deep.md", "deep\n");
  WriteFile(dir / ".codex" / "notebook.db", "ignored\n");
  fs::remove(dir / "gone.md");
  // Staged into the index and written, but never committed (a commit cut short).
  WriteFile(dir / "staged.md", "v2\n");
  git_libgit2_init();
  git_repository* raw = nullptr;
  REQUIRE(git_repository_open(&raw, dir.str().c_str()) == 0);
  git_index* index = nullptr;
  REQUIRE(git_repository_index(&index, raw) == 0);
  REQUIRE(git_index_add_bypath(index, "staged.md") == 0);
  REQUIRE(git_index_write(index) == 0);
  git_index_free(index);
  git_repository_free(raw);
  git_libgit2_shutdown();

  auto pending = repo->PendingChanges();
  REQUIRE(pending.ok());
  std::vector<std::pair<int, std::string>> got;
  for (const auto& p : *pending) got.emplace_back(static_cast<int>(p.kind), p.path);
  using Kind = codex::vcs::PathChange::Kind;
  CHECK(got ==
        std::vector<std::pair<int, std::string>>{{static_cast<int>(Kind::kModified), "edited.md"},
                                                 {static_cast<int>(Kind::kDeleted), "gone.md"},
                                                 {static_cast<int>(Kind::kAdded), "new.md"},
                                                 {static_cast<int>(Kind::kModified), "staged.md"},
                                                 {static_cast<int>(Kind::kAdded), "sub/deep.md"}});
}

TEST_CASE("PendingChanges right after init lists the new files as added") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "a.md", "a\n");
  auto pending = repo->PendingChanges();
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 1);  // .gitignore was committed at init
  CHECK((*pending)[0].path == "a.md");
  CHECK((*pending)[0].kind == codex::vcs::PathChange::Kind::kAdded);
}

TEST_CASE("ReleaseMemory during concurrent commits and reads keeps every commit") {
  TempDir dir;
  auto repo = Open(dir);
  constexpr int kCommits = 40;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::thread committer([&] {
    for (int i = 0; i < kCommits; ++i) {
      std::string name = "note" + std::to_string(i) + ".md";
      WriteFile(dir / name, "content " + std::to_string(i) + "\n");
      auto sha = repo->CommitPaths({name}, "Create " + name, kAlice);
      if (!sha.ok() || !sha->has_value()) failures++;
    }
    done = true;
  });
  std::thread reader([&] {
    while (!done) {
      if (!repo->History(".gitignore", 5).ok()) failures++;
    }
  });
  std::thread releaser([&] {
    while (!done) repo->ReleaseMemory();
  });
  committer.join();
  reader.join();
  releaser.join();
  CHECK(failures == 0);
  CHECK(RevCount(dir.path()) == kCommits + 1);
  repo->ReleaseMemory();
  for (int i = 0; i < kCommits; ++i) CHECK(InHead(*repo, "note" + std::to_string(i) + ".md"));
}

TEST_CASE("Five concurrent initialisations of one path all succeed") {
  TempDir parent;
  fs::path nb = parent / "notebook";
  fs::create_directories(nb);
  constexpr int kThreads = 5;
  std::vector<bool> ok(kThreads, false);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto repo = Repository::OpenOrInit(nb.string(), kCommitter);
      ok[i] = repo.ok();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) CHECK(ok[i]);
  auto repo = Repository::OpenOrInit(nb.string(), kCommitter);
  REQUIRE(repo.ok());
  CHECK(RevCount(nb) == 1);
  CHECK(ReadFile(nb / ".gitignore") == codex::vcs::DefaultGitignore());
}

TEST_CASE("A stale index.lock is removed at open, a fresh one is kept") {
  TempDir dir;
  { auto first = Open(dir); }
  fs::path lock = dir / ".git" / "index.lock";

  WriteFile(lock, "");
  fs::last_write_time(lock, fs::file_time_type::clock::now() - std::chrono::minutes(11));
  auto repo = Open(dir);
  CHECK_FALSE(fs::exists(lock));
  WriteFile(dir / "a.md", "a\n");
  CHECK(repo->CommitPaths({"a.md"}, "Create a.md", kAlice)->has_value());

  WriteFile(lock, "");
  auto again = Open(dir);
  CHECK(fs::exists(lock));
  WriteFile(dir / "b.md", "b\n");
  auto blocked = again->CommitPaths({"b.md"}, "Create b.md", kAlice);
  CHECK_FALSE(blocked.ok());
  fs::remove(lock);
}

TEST_CASE("The index.lock of a commit cut short by a killed process does not block the next") {
  TempDir dir;
  auto repo = Open(dir);
  fs::path lock = dir / ".git" / "index.lock";
  // What a process killed in the middle of a commit leaves: its mark, and git's lock.
  WriteFile(dir / ".git" / "codex.lock", "committing");
  WriteFile(lock, "");
  WriteFile(dir / "a.md", "a\n");
  auto sha = repo->CommitPaths({"a.md"}, "Create a.md", kAlice);
  REQUIRE(sha.ok());
  CHECK(sha->has_value());
  CHECK_FALSE(fs::exists(lock));
  // A finished commit clears its mark: a foreign git's lock afterwards is respected.
  CHECK(ReadFile(dir / ".git" / "codex.lock").empty());
  WriteFile(lock, "");
  WriteFile(dir / "b.md", "b\n");
  CHECK_FALSE(repo->CommitPaths({"b.md"}, "Create b.md", kAlice).ok());
  CHECK(fs::exists(lock));
  fs::remove(lock);
}

TEST_CASE("Staging many files at once writes one pack and stays consistent") {
  TempDir dir;
  auto repo = Open(dir);
  constexpr int kFiles = 300;
  for (int i = 0; i < kFiles; ++i) {
    WriteFile(dir / ("folder" + std::to_string(i % 7)) / ("n" + std::to_string(i) + ".md"),
              "# Note " + std::to_string(i) + "\n" + std::string(static_cast<std::size_t>(i), 'x'));
  }
  WriteFile(dir / "big.md", std::string(200000, 'y'));  // more than one stored deflate block
  WriteFile(dir / "empty.md", "");
  WriteFile(dir / "dup1.md", "same\n");
  WriteFile(dir / "dup2.md", "same\n");
  WriteFile(dir / "blob.bin", std::string("\0\1\2", 3));
  WriteFile(dir / "photo.png", "png");
  fs::create_symlink("n1.md", dir / "folder1" / "link.md");

  auto sha = repo->CommitAll("Batch update: many changes", kCommitter);
  REQUIRE(sha.ok());
  REQUIRE(sha->has_value());
  std::size_t packs = 0;
  for (const auto& e : fs::directory_iterator(dir / ".git" / "objects" / "pack")) {
    packs += e.path().extension() == ".pack" ? 1 : 0;
  }
  CHECK(packs == 1);
  for (int i = 0; i < kFiles; i += 37) {
    std::string path = "folder" + std::to_string(i % 7) + "/n" + std::to_string(i) + ".md";
    auto content = repo->ReadAt("HEAD", path);
    REQUIRE(content.ok());
    CHECK(*content == "# Note " + std::to_string(i) + "\n" + std::string(i, 'x'));
  }
  CHECK(*repo->ReadAt("HEAD", "big.md") == std::string(200000, 'y'));
  CHECK(*repo->ReadAt("HEAD", "empty.md") == "");
  CHECK(*repo->ReadAt("HEAD", "dup2.md") == "same\n");
  CHECK(*repo->ReadAt("HEAD", "folder1/link.md") == "n1.md");  // a symlink stores its target
  CHECK_FALSE(InHead(*repo, "blob.bin"));
  CHECK_FALSE(InHead(*repo, "photo.png"));

  // The index matches the work tree: nothing is left to commit, in either mode.
  CHECK_FALSE(repo->CommitAll("again", kCommitter)->has_value());
  CHECK_FALSE(repo->CommitPaths({"big.md", "folder3"}, "again", kAlice)->has_value());

  // Small follow-up changes go through the incremental path.
  WriteFile(dir / "folder3" / "n3.md", "changed\n");
  fs::remove(dir / "folder4" / "n4.md");
  REQUIRE(repo->CommitAll("Batch update: 2 changes", kCommitter)->has_value());
  CHECK(*repo->ReadAt("HEAD", "folder3/n3.md") == "changed\n");
  CHECK_FALSE(InHead(*repo, "folder4/n4.md"));
  CHECK(InHead(*repo, "folder4/n11.md"));
  CHECK(RevCount(dir.path()) == 3);
}

TEST_CASE("Many explicit paths are staged in bulk too") {
  TempDir dir;
  auto repo = Open(dir);
  std::vector<std::string> paths;
  for (int i = 0; i < 150; ++i) {
    paths.push_back("d/f" + std::to_string(i) + ".md");
    WriteFile(dir / paths.back(), "content " + std::to_string(i) + "\n");
  }
  paths.push_back("missing.md");
  paths.push_back("x.bin");
  WriteFile(dir / "x.bin", std::string("\0", 1));
  WriteFile(dir / "unlisted.md", "not staged\n");
  auto sha = repo->CommitPaths(paths, "Create many", kAlice);
  REQUIRE(sha.ok());
  REQUIRE(sha->has_value());
  CHECK(*repo->ReadAt("HEAD", "d/f149.md") == "content 149\n");
  CHECK_FALSE(InHead(*repo, "x.bin"));
  CHECK_FALSE(InHead(*repo, "unlisted.md"));
  CHECK_FALSE(repo->CommitPaths(paths, "Again", kAlice)->has_value());
}

TEST_CASE("A file replaced by a folder of the same name is committed") {
  TempDir dir;
  auto repo = Open(dir);
  WriteFile(dir / "topic", "a file\n");
  REQUIRE(repo->CommitPaths({"topic"}, "Create topic", kAlice)->has_value());
  fs::remove(dir / "topic");
  WriteFile(dir / "topic" / "inner.md", "inside\n");
  auto sha = repo->CommitPaths({"topic"}, "Create topic/inner.md", kAlice);
  REQUIRE(sha.ok());
  REQUIRE(sha->has_value());
  CHECK(*repo->ReadAt("HEAD", "topic/inner.md") == "inside\n");
}
