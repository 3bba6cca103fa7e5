// Crash safety: a watching process killed with SIGKILL at any point of a batch loses nothing;
// the next start finds every file, the index is consistent and git is usable.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <thread>

#include "support/lab.hpp"
#include "watch_lab.hpp"

using codex::testing::Lab;
using codex::testing::Must;
namespace fsys = std::filesystem;

namespace {

// A child process that follows the data dir until it is killed.
pid_t StartWatchingChild(const std::string& data_dir) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  codex::Options opened;
  opened.data_dir = data_dir;
  auto codex = codex::Codex::Open(std::move(opened));
  codex::WatchOptions options;
  options.quiet = std::chrono::milliseconds(20);
  options.commit_quiet = std::chrono::milliseconds(20);
  if (!codex.ok() || !codex->watcher().Start(options).ok()) ::_exit(3);
  for (;;) ::pause();
}

std::string QueryOne(const fsys::path& db, const char* sql) {
  sqlite3* conn = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(conn, sql, -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  std::string out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(conn);
  return out;
}

std::set<std::string> FilesOnDisk(const fsys::path& root) {
  std::set<std::string> out;
  for (auto it = fsys::recursive_directory_iterator(root); it != fsys::end(it); ++it) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && (name == ".git" || name == ".codex")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && name != ".gitignore") {
      out.insert(fsys::relative(it->path(), root).string());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("watcher: killed with SIGKILL during batches, the next start finds every file") {
  Lab lab;
  const std::string data_dir = lab.codex().data_dir();
  int next = 0;
  for (int delay_ms : {30, 120, 350, 700}) {
    pid_t child = StartWatchingChild(data_dir);
    REQUIRE(child > 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // watching by now
    auto started = std::chrono::steady_clock::now();
    // Keep writing until the kill: new files, edits of older ones, a few removals.
    while (std::chrono::steady_clock::now() - started < std::chrono::milliseconds(delay_ms)) {
      for (int i = 0; i < 50; ++i, ++next) {
        codex::testing::WriteFile(lab.root() / ("r" + std::to_string(next % 7)) /
                                      ("f" + std::to_string(next) + ".md"),
                                  "# File " + std::to_string(next) + "\n\n#crash");
        if (next % 10 == 3) {
          codex::testing::WriteFile(lab.root() / ("r" + std::to_string((next - 3) % 7)) /
                                        ("f" + std::to_string(next - 3) + ".md"),
                                    "# Edited " + std::to_string(next));
        }
        if (next % 25 == 24) {
          fsys::remove(lab.root() / ("r" + std::to_string((next - 1) % 7)) /
                       ("f" + std::to_string(next - 1) + ".md"));
        }
      }
      if (next == 50) {
        for (int d = 0; d < 7; ++d) fsys::create_directories(lab.root() / ("r" + std::to_string(d)));
      }
    }
    REQUIRE(::kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
  }

  // The next start: every file indexed exactly once, a consistent database, a usable repository.
  codex::WatchOptions options;
  options.quiet = std::chrono::milliseconds(20);
  options.commit_quiet = std::chrono::milliseconds(20);
  CODEX_REQUIRE_OK(lab.codex().watcher().Start(options));
  REQUIRE(lab.codex().watcher().Settle(std::chrono::seconds(120)));
  const auto disk = FilesOnDisk(lab.root());
  REQUIRE(disk.size() > 100);
  auto listed = Must(lab.files().List(lab.alice, lab.ref(), {0, -1}));
  std::set<std::string> indexed;
  for (const auto& f : listed.files) indexed.insert(f.path);
  CHECK(listed.total == static_cast<std::int64_t>(disk.size()));
  CHECK(indexed == disk);
  const fsys::path db = lab.root() / ".codex" / "notebook.db";
  CHECK(QueryOne(db, "PRAGMA integrity_check") == "ok");
  CHECK(QueryOne(db, "SELECT count(*) = count(DISTINCT path) FROM file_metadata") == "1");
  CHECK(QueryOne(db, "SELECT count(*) FROM files_fts") == std::to_string(disk.size()));
  CHECK_FALSE(fsys::exists(lab.root() / ".git" / "index.lock"));
  // Every text file is committed, and new commits work.
  for (const auto& f : listed.files) {
    INFO(f.path);
    CHECK(f.git_tracked);
  }
  codex::testing::WriteFile(lab.root() / "after-crash.md", "# After");
  REQUIRE(lab.codex().watcher().Settle(std::chrono::seconds(30)));
  auto after = Must(lab.files().Get(lab.alice, lab.ref(), codex::FileRef::ByPath("after-crash.md")));
  CHECK(Must(lab.files().History(lab.alice, lab.ref(), after.id, 5)).history.size() == 1);
  lab.codex().watcher().Stop();
}

TEST_CASE("watcher: changes made by another process are published here once") {
  codex::testing::WatchLab lab(/*start=*/false);
  const std::string data_dir = lab.codex().data_dir();
  const std::int64_t alice = lab.alice.user_id;
  int go[2];
  REQUIRE(::pipe(go) == 0);
  pid_t child = ::fork();  // before any thread of this process starts
  if (child == 0) {
    char byte = 0;
    if (::read(go[0], &byte, 1) != 1) ::_exit(2);  // until this process watches
    // Another process on the same data dir, watching too (as codexctl watch beside codexd).
    codex::Options options;
    options.data_dir = data_dir;
    auto other = codex::Codex::Open(std::move(options));
    if (!other.ok() || !other->watcher().Start({}).ok()) ::_exit(3);
    auto made = other->files().Create(codex::Principal(alice), {"lab", "nb"}, "from-api.md", "# API");
    if (!made.ok()) ::_exit(4);
    codex::testing::WriteFile(fsys::path(lab.root()) / "from-disk.md", "# Disk");
    other->watcher().Settle(std::chrono::seconds(30));
    std::this_thread::sleep_for(std::chrono::seconds(1));
    other->watcher().Stop();
    ::_exit(0);
  }
  lab.StartWatching();
  REQUIRE(::write(go[1], "g", 1) == 1);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  // The change log reaches this process within its refresh period.
  std::map<std::string, int> created;
  std::vector<codex::Event> all;
  for (int i = 0; i < 100 && created.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (auto& e : lab.TakeEvents()) all.push_back(e);
    created = codex::testing::CountByPath(all, codex::EventKind::kCreated);
  }
  CHECK(created == std::map<std::string, int>{{"from-api.md", 1}, {"from-disk.md", 1}});
  lab.Settle();
  for (auto& e : lab.TakeEvents()) all.push_back(e);
  CHECK(all.size() == 2);
}
