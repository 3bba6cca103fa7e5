// The path guard against hostile input (SEMANTICS §2): one table, every row checked.
#include "common/path_guard.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "common/fs.hpp"
#include "support/temp_dir.hpp"

using codex::PathKind;
using codex::testing::TempDir;
using codex::testing::WriteFile;
namespace sfs = std::filesystem;

namespace {

enum class Want { kOk, kMalformed, kForbidden };

struct Row {
  const char* name;
  std::string input;
  PathKind kind;
  Want want;
  std::string canonical;  // when kOk
};

// A notebook root with a few planted traps next to it.
struct Fixture {
  TempDir tmp;
  std::string root;
  Fixture() {
    root = (tmp / "nb").string();
    sfs::create_directories(tmp / "nb" / "docs" / "inner");
    sfs::create_directories(tmp / "nb" / ".git");
    sfs::create_directories(tmp / "nb2");
    sfs::create_directories(tmp / "outside");
    WriteFile(tmp / "outside" / "secret.txt", "secret");
    WriteFile(tmp / "nb" / "docs" / "a.md", "# A");
    sfs::create_symlink("/etc", tmp / "nb" / "link-to-etc");
    sfs::create_symlink(tmp / "outside", tmp / "nb" / "outdir");
    sfs::create_symlink(tmp / "outside" / "secret.txt", tmp / "nb" / "secret-link.txt");
    sfs::create_symlink(tmp / "nb2", tmp / "nb" / "sibling");
    sfs::create_symlink("docs", tmp / "nb" / "docs-alias");
    sfs::create_symlink(".git", tmp / "nb" / "git-alias");
    sfs::create_symlink(tmp / "outside" / "missing.txt", tmp / "nb" / "dangling.txt");
  }
};

}  // namespace

TEST_CASE("path guard: hostile inputs are refused, ordinary ones canonicalised") {
  Fixture fx;
  const std::string long_segment(256, 'a');
  const std::string ok_segment(255, 'a');
  std::string too_long_path;
  while (too_long_path.size() <= 4096) too_long_path += "abcdefgh/";
  too_long_path += "x.md";
  const Row rows[] = {
      {"plain file", "docs/a.md", PathKind::kFile, Want::kOk, "docs/a.md"},
      {"dot and double slash", "a/./b//c.md", PathKind::kFile, Want::kOk, "a/b/c.md"},
      {"dotdot inside", "a/../b.md", PathKind::kFile, Want::kOk, "b.md"},
      {"trailing slash folder", "docs/", PathKind::kFolder, Want::kOk, "docs"},
      {"root folder", "", PathKind::kFolder, Want::kOk, ""},
      {"dot folder is root", ".", PathKind::kFolder, Want::kOk, ""},
      {"symlink staying inside", "docs-alias/a.md", PathKind::kFile, Want::kOk, "docs-alias/a.md"},
      {"new file in new dir", "new/dir/x.md", PathKind::kFile, Want::kOk, "new/dir/x.md"},
      {"unicode name", "notes/Café ✓.md", PathKind::kFile, Want::kOk, "notes/Café ✓.md"},
      {"255-byte segment", ok_segment, PathKind::kFile, Want::kOk, ok_segment},
      {"encoded separator is literal", "a%2F..%2Fb.md", PathKind::kFile, Want::kOk,
       "a%2F..%2Fb.md"},
      {"backslash is literal", "a\\..\\b.md", PathKind::kFile, Want::kOk, "a\\..\\b.md"},
      {"dotdot escape", "../x", PathKind::kFile, Want::kForbidden, ""},
      {"deep dotdot escape", "docs/../../nb2/x.md", PathKind::kFile, Want::kForbidden, ""},
      {"dotdot only", "..", PathKind::kFolder, Want::kForbidden, ""},
      {"absolute", "/etc/passwd", PathKind::kFile, Want::kMalformed, ""},
      {"absolute folder", "/", PathKind::kFolder, Want::kMalformed, ""},
      {"empty file", "", PathKind::kFile, Want::kMalformed, ""},
      {"only slashes collapse to root", "//", PathKind::kFile, Want::kMalformed, ""},
      {"double slash folder", "a//b", PathKind::kFolder, Want::kOk, "a/b"},
      {"NUL byte", std::string("a\0b.md", 6), PathKind::kFile, Want::kMalformed, ""},
      {"non-UTF-8", "bad\xff\xfe.md", PathKind::kFile, Want::kMalformed, ""},
      {"overlong UTF-8 slash", "a\xc0\xaf..\xc0\xafx", PathKind::kFile, Want::kMalformed, ""},
      {"segment over 255 bytes", long_segment, PathKind::kFile, Want::kMalformed, ""},
      {"path over 4096 bytes", too_long_path, PathKind::kFile, Want::kMalformed, ""},
      {".codex target", ".codex/notebook.db", PathKind::kFile, Want::kForbidden, ""},
      {".git target", ".git/config", PathKind::kFile, Want::kForbidden, ""},
      {"nested .git", "docs/.git/config", PathKind::kFile, Want::kForbidden, ""},
      {".GIT any case", ".GIT/config", PathKind::kFile, Want::kForbidden, ""},
      {".codex folder", ".codex", PathKind::kFolder, Want::kForbidden, ""},
      {"symlink to /etc", "link-to-etc/passwd", PathKind::kFile, Want::kForbidden, ""},
      {"symlinked parent dir out", "outdir/secret.txt", PathKind::kFile, Want::kForbidden, ""},
      {"new file under symlinked dir", "outdir/new.md", PathKind::kFile, Want::kForbidden, ""},
      {"final symlink out", "secret-link.txt", PathKind::kFile, Want::kForbidden, ""},
      {"sibling by prefix", "sibling/x.md", PathKind::kFile, Want::kForbidden, ""},
      {"symlink into .git", "git-alias/config", PathKind::kFile, Want::kForbidden, ""},
      {"dangling symlink out", "dangling.txt", PathKind::kFile, Want::kForbidden, ""},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    auto r = codex::GuardPath(fx.root, row.input, row.kind);
    switch (row.want) {
      case Want::kOk:
        REQUIRE(r.ok());
        CHECK(*r == row.canonical);
        break;
      case Want::kMalformed:
        REQUIRE_FALSE(r.ok());
        CHECK(r.status().code() == codex::Code::kInvalidArgument);
        CHECK(r.status().reason() == "invalid_path");
        CHECK(r.status().message() ==
              (row.kind == PathKind::kFile ? "Invalid file path" : "Invalid folder path"));
        break;
      case Want::kForbidden:
        REQUIRE_FALSE(r.ok());
        CHECK(r.status().code() == codex::Code::kPermissionDenied);
        CHECK(r.status().reason() == "path_forbidden");
        CHECK(r.status().message() == (row.kind == PathKind::kFile
                                           ? "Access denied: Invalid file path"
                                           : "Access denied: Invalid folder path"));
        break;
    }
  }
}

TEST_CASE("confined file operations never leave the root, even after the guard ran") {
  Fixture fx;
  // A symlink swapped in after checking: opening through it must still fail.
  auto fd = codex::fs::OpenBeneath(fx.root, "outdir/secret.txt", O_RDONLY);
  REQUIRE_FALSE(fd.ok());
  CHECK(fd.status().code() == codex::Code::kPermissionDenied);
  auto abs = codex::fs::OpenBeneath(fx.root, "link-to-etc/passwd", O_RDONLY);
  CHECK_FALSE(abs.ok());
  CHECK_FALSE(codex::fs::WriteFileAtomic(fx.root, "outdir/planted.txt", "x",
                                         codex::fs::WriteMode::kCreateNew)
                  .ok());
  CHECK_FALSE(sfs::exists(fx.tmp / "outside" / "planted.txt"));
  CHECK_FALSE(codex::fs::MakeDirs(fx.root, "outdir/sub").ok());
  CHECK_FALSE(sfs::exists(fx.tmp / "outside" / "sub"));
  // Inside: fine, and atomic create refuses to clobber.
  REQUIRE(codex::fs::MakeDirs(fx.root, "x/y").ok());
  REQUIRE(codex::fs::WriteFileAtomic(fx.root, "x/y/z.md", "one", codex::fs::WriteMode::kCreateNew)
              .ok());
  auto again =
      codex::fs::WriteFileAtomic(fx.root, "x/y/z.md", "two", codex::fs::WriteMode::kCreateNew);
  CHECK(again.code() == codex::Code::kAlreadyExists);
  CHECK(codex::testing::ReadFile(fx.tmp / "nb" / "x" / "y" / "z.md") == "one");
  // Removing a symlink removes the link, never its target.
  REQUIRE(codex::fs::RemoveFile(fx.root, "secret-link.txt").ok());
  CHECK(sfs::exists(fx.tmp / "outside" / "secret.txt"));
}
