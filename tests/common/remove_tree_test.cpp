// fs::RemoveTree: a folder with all in it, never a step outside it, even while another process
// (a watcher closing its SQLite connection, git dropping a lock) changes the tree underneath.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/fs.hpp"
#include "support/temp_dir.hpp"

using codex::Code;
using codex::testing::TempDir;
using codex::testing::WriteFile;
namespace sfs = std::filesystem;

TEST_CASE("RemoveTree removes the folder with all in it, symlinks not followed") {
  TempDir tmp;
  const std::string root = (tmp / "nb").string();
  WriteFile(tmp / "nb" / "gone" / "a.md", "a");
  WriteFile(tmp / "nb" / "gone" / "deep" / "er" / "b.md", "b");
  WriteFile(tmp / "nb" / "kept.md", "k");
  WriteFile(tmp / "outside" / "precious.md", "p");
  sfs::create_symlink(tmp / "outside", tmp / "nb" / "gone" / "link");
  sfs::create_symlink(tmp / "outside" / "precious.md", tmp / "nb" / "gone" / "deep" / "file-link");
  sfs::create_symlink(tmp / "outside", tmp / "nb" / "dir-link");

  REQUIRE(codex::fs::RemoveTree(root, "gone").ok());
  CHECK_FALSE(sfs::exists(tmp / "nb" / "gone"));
  CHECK(sfs::exists(tmp / "nb" / "kept.md"));
  CHECK(sfs::exists(tmp / "outside" / "precious.md"));

  // Hostile rows: nothing outside the root goes, whatever the name says.
  struct Row {
    const char* name;
    std::string rel;
  };
  const Row rows[] = {
      {"a symlink to a folder outside", "dir-link"},
      {"a parent step", "../outside"},
      {"an absolute path", (tmp / "outside").string()},
      {"a file, not a folder", "kept.md"},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    CHECK_FALSE(codex::fs::RemoveTree(root, row.rel).ok());
    CHECK(sfs::exists(tmp / "outside" / "precious.md"));
    CHECK(sfs::exists(tmp / "nb" / "kept.md"));
  }
  // Already gone is what removal wants.
  CHECK(codex::fs::RemoveTree(root, "gone").ok());
}

TEST_CASE("RemoveTree succeeds while another process removes entries in the tree") {
  // Each round races the removal against a thread deleting the same files from the other end,
  // as SQLite does with its -wal and -shm files when a watcher closes the notebook's database.
  for (int round = 0; round < 20; ++round) {
    TempDir tmp;
    std::vector<sfs::path> files;
    for (int d = 0; d < 4; ++d) {
      for (int f = 0; f < 150; ++f) {
        files.push_back(tmp / "nb" / "gone" / ("d" + std::to_string(d)) /
                        ("f" + std::to_string(f)));
        WriteFile(files.back(), "x");
      }
    }
    std::atomic<bool> go{false};
    std::thread other([&] {
      while (!go) std::this_thread::yield();
      for (auto it = files.rbegin(); it != files.rend(); ++it) ::unlink(it->c_str());
      for (int d = 3; d >= 0; --d) {
        ::rmdir((tmp / "nb" / "gone" / ("d" + std::to_string(d))).c_str());
      }
    });
    go = true;
    auto removed = codex::fs::RemoveTree((tmp / "nb").string(), "gone");
    other.join();
    INFO("round " << round << ": " << removed.message());
    REQUIRE(removed.ok());
    REQUIRE_FALSE(sfs::exists(tmp / "nb" / "gone"));
  }
}
