// File history through the library: commits with limit and offset, content at a commit, diffs
// between commits and against the file on disk, and who may read them.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/lab.hpp"

using codex::Code;
using codex::FileCommit;
using codex::testing::Lab;
using codex::testing::Must;
using codex::testing::WriteFile;

namespace {

// notes.txt in three versions ("one\ntwo\n", "one\n2\n", "one\n2\nthree\n"), another file committed
// in between; returns the file's id.
std::int64_t ThreeVersions(Lab& lab) {
  auto& f = lab.files();
  auto file = Must(f.Create(lab.alice, lab.ref(), "notes.txt", "one\ntwo\n"));
  Must(f.Create(lab.alice, lab.ref(), "other.txt", "unrelated\n"));
  for (const char* text : {"one\n2\n", "one\n2\nthree\n"}) {
    codex::FileUpdate u;
    u.content = text;
    Must(f.Update(lab.alice, lab.ref(), file.id, u));
  }
  return file.id;
}

std::vector<std::string> Hashes(const std::vector<FileCommit>& commits) {
  std::vector<std::string> out;
  for (const auto& c : commits) out.push_back(c.hash);
  return out;
}

}  // namespace

TEST_CASE("history: the file's commits newest first, with max_count and offset") {
  Lab lab;
  auto id = ThreeVersions(lab);
  auto& f = lab.files();
  auto all = Must(f.History(lab.alice, lab.ref(), id));
  CHECK(all.file_id == id);
  CHECK(all.path == "notes.txt");
  REQUIRE(all.history.size() == 3);  // not the commit of other.txt, not the .gitignore one
  CHECK(all.history[0].message == "Update notes.txt");
  CHECK(all.history[1].message == "Update notes.txt");
  CHECK(all.history[2].message == "Create notes.txt");
  CHECK(all.history[0].author == "alice");
  CHECK(all.history[0].hash.size() == 40);
  CHECK(all.history[0].hash != all.history[1].hash);
  auto hashes = Hashes(all.history);

  CHECK(Hashes(Must(f.History(lab.alice, lab.ref(), id, 2)).history) ==
        std::vector<std::string>{hashes[0], hashes[1]});
  CHECK(Hashes(Must(f.History(lab.alice, lab.ref(), id, 1, 1)).history) ==
        std::vector<std::string>{hashes[1]});
  CHECK(Hashes(Must(f.History(lab.alice, lab.ref(), id, 10, 2)).history) ==
        std::vector<std::string>{hashes[2]});
  CHECK(Must(f.History(lab.alice, lab.ref(), id, 10, 3)).history.empty());

  auto negative = f.History(lab.alice, lab.ref(), id, 10, -1);
  CHECK(negative.status().code() == Code::kValidation);
  CHECK(negative.status().field() == "offset");
  CHECK(f.History(lab.alice, lab.ref(), id, 0).status().field() == "max_count");
  CHECK(f.History(lab.alice, lab.ref(), id, 101).status().code() == Code::kValidation);
  CHECK(f.History(lab.alice, lab.ref(), id + 100).status().message() == "File not found");
}

TEST_CASE("history: the content at each commit") {
  Lab lab;
  auto id = ThreeVersions(lab);
  auto& f = lab.files();
  auto h = Must(f.History(lab.alice, lab.ref(), id)).history;
  REQUIRE(h.size() == 3);
  CHECK(Must(f.ReadAtCommit(lab.alice, lab.ref(), id, h[2].hash)) == "one\ntwo\n");
  CHECK(Must(f.ReadAtCommit(lab.alice, lab.ref(), id, h[1].hash)) == "one\n2\n");
  CHECK(Must(f.ReadAtCommit(lab.alice, lab.ref(), id, h[0].hash.substr(0, 10))) ==
        "one\n2\nthree\n");
  CHECK(Must(f.ReadAtCommit(lab.alice, lab.ref(), id, "HEAD~1")) == "one\n2\n");
}

TEST_CASE("diff: between two commits, against the file on disk, empty when equal") {
  Lab lab;
  auto id = ThreeVersions(lab);
  auto& f = lab.files();
  auto h = Must(f.History(lab.alice, lab.ref(), id)).history;
  REQUIRE(h.size() == 3);

  std::string first = Must(f.Diff(lab.alice, lab.ref(), id, h[2].hash, h[1].hash));
  CHECK(first.rfind("diff --git a/notes.txt b/notes.txt\n", 0) == 0);
  CHECK(first.find("--- a/notes.txt\n+++ b/notes.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n") !=
        std::string::npos);
  CHECK(first.find("other.txt") == std::string::npos);

  std::string reverse = Must(f.Diff(lab.alice, lab.ref(), id, h[1].hash, h[2].hash));
  CHECK(reverse.find(" one\n-2\n+two\n") != std::string::npos);

  std::string span = Must(f.Diff(lab.alice, lab.ref(), id, h[2].hash, h[0].hash));
  CHECK(span.find("@@ -1,2 +1,3 @@\n one\n-two\n+2\n+three\n") != std::string::npos);

  CHECK(Must(f.Diff(lab.alice, lab.ref(), id, h[0].hash, "HEAD")).empty());
  CHECK(Must(f.Diff(lab.alice, lab.ref(), id, h[0].hash)).empty());  // disk = last commit

  // An edit on disk that nothing indexed or committed yet.
  WriteFile(lab.root() / "notes.txt", "one\n2\nthree\nfour\n");
  std::string work = Must(f.Diff(lab.alice, lab.ref(), id, h[0].hash, ""));
  CHECK(work.find("@@ -1,3 +1,4 @@\n one\n 2\n three\n+four\n") != std::string::npos);
  std::string from_first = Must(f.Diff(lab.alice, lab.ref(), id, h[2].hash));
  CHECK(from_first.find("-two\n+2\n+three\n+four\n") != std::string::npos);
}

TEST_CASE("diff and content at a commit: bad revisions are 404 file_not_found") {
  Lab lab;
  auto id = ThreeVersions(lab);
  auto& f = lab.files();
  auto h = Must(f.History(lab.alice, lab.ref(), id)).history;
  REQUIRE(!h.empty());
  std::string too_long(101, 'a');
  std::string nul_inside("HEAD\0x", 6);
  for (const std::string& bad :
       {std::string("nope"), std::string(40, '0'), std::string(), too_long, nul_inside}) {
    INFO("revision: " << bad);
    for (const auto& r : {f.Diff(lab.alice, lab.ref(), id, bad, h[0].hash),
                          f.ReadAtCommit(lab.alice, lab.ref(), id, bad)}) {
      CHECK(r.status().code() == Code::kNotFound);
      CHECK(r.status().reason() == "file_not_found");
      CHECK(r.status().message() == "File not found at this commit");
    }
    if (bad.empty()) continue;  // an empty rev_b is the work tree
    auto second = f.Diff(lab.alice, lab.ref(), id, h[0].hash, bad);
    CHECK(second.status().message() == "File not found at this commit");
  }
  // A revision from before the file existed: ReadAtCommit 404, a diff shows it added.
  auto before = h.back().hash + "~1";
  CHECK(f.ReadAtCommit(lab.alice, lab.ref(), id, before).status().code() == Code::kNotFound);
  CHECK(Must(f.Diff(lab.alice, lab.ref(), id, before, h.back().hash)).find("+one\n+two\n") !=
        std::string::npos);
  CHECK(f.Diff(lab.alice, lab.ref(), id + 100, "HEAD").status().message() == "File not found");
}

TEST_CASE("history and diff: viewers may read them, non-members get 404") {
  Lab lab;
  auto id = ThreeVersions(lab);
  Must(lab.codex().workspaces().Share(lab.alice, "lab", "bob", codex::Role::kViewer));
  auto& f = lab.files();
  auto h = Must(f.History(lab.bob, lab.ref(), id, 10, 1)).history;
  REQUIRE(h.size() == 2);
  CHECK(Must(f.Diff(lab.bob, lab.ref(), id, h[1].hash, h[0].hash)).find("-two\n+2\n") !=
        std::string::npos);
  CHECK(Must(f.ReadAtCommit(lab.bob, lab.ref(), id, h[1].hash)) == "one\ntwo\n");

  auto history = f.History(lab.carol, lab.ref(), id);
  auto diff = f.Diff(lab.carol, lab.ref(), id, "HEAD~1", "HEAD");
  auto at = f.ReadAtCommit(lab.carol, lab.ref(), id, "HEAD");
  for (const codex::Status& s : {history.status(), diff.status(), at.status()}) {
    CHECK(s.code() == Code::kNotFound);
    CHECK(s.reason() == "workspace_not_found");
  }
}
