// The watcher on real inotify (SEMANTICS §7.3, §7.4): every change made on disk with any tool is
// indexed once, published once and committed; moves keep ids; nothing is lost.
#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "watch_lab.hpp"

using codex::EventKind;
using codex::testing::CountByPath;
using codex::testing::Must;
using codex::testing::WatchLab;
namespace fsys = std::filesystem;

namespace {

std::vector<codex::FileCommit> Log(WatchLab& lab, std::int64_t id) {
  return Must(lab.files().History(lab.alice, lab.ref(), id, 100)).history;
}

}  // namespace

TEST_CASE("watcher: files created, modified and deleted on disk are indexed and published once") {
  WatchLab lab;
  lab.Write("a.md", "# Alpha\n\n#tag1 body");
  lab.Settle();
  auto a = lab.Row("a.md");
  REQUIRE(a);
  CHECK(a->title == std::optional<std::string>("Alpha"));
  auto ev = lab.TakeEvents();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kCreated);
  CHECK(ev[0].file_id == std::optional<std::int64_t>(a->id));
  CHECK(ev[0].path == "a.md");

  lab.Write("a.md", "# Alpha two");
  lab.Settle();
  CHECK(lab.Row("a.md")->title == std::optional<std::string>("Alpha two"));
  CHECK(lab.Row("a.md")->id == a->id);
  ev = lab.TakeEvents();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kModified);

  // Written twice within the quiet period: one batch, one event.
  lab.Write("a.md", "# Alpha three");
  lab.Write("a.md", "# Alpha four");
  lab.Settle();
  ev = lab.TakeEvents();
  REQUIRE(ev.size() == 1);
  CHECK(lab.Row("a.md")->title == std::optional<std::string>("Alpha four"));

  fsys::remove(lab.root() / "a.md");
  lab.Settle();
  CHECK_FALSE(lab.Row("a.md"));
  ev = lab.TakeEvents();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kDeleted);
  CHECK(ev[0].file_id == std::optional<std::int64_t>(a->id));
}

TEST_CASE("watcher: text files are committed with the SEMANTICS messages, binaries never") {
  WatchLab lab;
  lab.Write("one.md", "# One");
  lab.Settle();
  auto one = Must(lab.files().Get(lab.alice, lab.ref(), codex::FileRef::ByPath("one.md")));
  auto log = Log(lab, one.id);
  REQUIRE(log.size() == 1);
  CHECK(log[0].message == "Auto-commit: one.md");
  CHECK(log[0].author == "codexd");
  CHECK(one.last_commit_hash == std::optional<std::string>(log[0].hash));
  CHECK(one.git_tracked);

  lab.Write("d/two.md", "# Two");
  lab.Write("d/three.md", "# Three");
  lab.Write("data.bin", std::string("\0\1\2binary", 9));
  lab.Settle();
  auto two = Must(lab.files().Get(lab.alice, lab.ref(), codex::FileRef::ByPath("d/two.md")));
  log = Log(lab, two.id);
  REQUIRE(log.size() == 1);
  CHECK(log[0].message.rfind("Batch update: ", 0) == 0);
  CHECK(log[0].message.find("Create d/three.md") != std::string::npos);
  CHECK(log[0].message.find("Create d/two.md") != std::string::npos);
  auto bin = Must(lab.files().Get(lab.alice, lab.ref(), codex::FileRef::ByPath("data.bin")));
  CHECK_FALSE(bin.git_tracked);
  CHECK(Log(lab, bin.id).empty());
}

TEST_CASE("watcher: moves and renames keep the file id") {
  WatchLab lab;
  lab.Write("a.md", "# A");
  lab.Write("dir/x.md", "# X");
  lab.Write("dir/sub/y.md", "# Y");
  lab.Settle();
  const auto a = *lab.Row("a.md");
  const auto x = *lab.Row("dir/x.md");
  const auto y = *lab.Row("dir/sub/y.md");
  lab.TakeEvents();

  SECTION("a file renamed") {
    fsys::rename(lab.root() / "a.md", lab.root() / "b.md");
    lab.Settle();
    CHECK_FALSE(lab.Row("a.md"));
    REQUIRE(lab.Row("b.md"));
    CHECK(lab.Row("b.md")->id == a.id);
    auto ev = lab.TakeEvents();
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].kind == EventKind::kMoved);
    CHECK(ev[0].old_path == std::optional<std::string>("a.md"));
    CHECK(ev[0].path == "b.md");
    auto log = Log(lab, a.id);
    REQUIRE(log.size() == 2);
    CHECK(log[0].message == "Auto-commit: b.md");
    CHECK(lab.Row("b.md")->git_tracked);
    CHECK(lab.Row("b.md")->last_commit_hash == std::optional<std::string>(log[0].hash));
  }
  SECTION("a binary file renamed stays untracked") {
    lab.Write("raw.bin", std::string("\0\1\2 data", 8));
    lab.Settle();
    REQUIRE_FALSE(lab.Row("raw.bin")->git_tracked);
    fsys::rename(lab.root() / "raw.bin", lab.root() / "raw2.bin");
    lab.Settle();
    REQUIRE(lab.Row("raw2.bin"));
    CHECK_FALSE(lab.Row("raw2.bin")->git_tracked);
    CHECK_FALSE(lab.Row("raw2.bin")->last_commit_hash);
  }
  SECTION("a file moved into another folder, then edited in the same batch") {
    fsys::rename(lab.root() / "a.md", lab.root() / "dir/sub/a.md");
    lab.Write("dir/sub/a.md", "# A edited");
    lab.Settle();
    REQUIRE(lab.Row("dir/sub/a.md"));
    CHECK(lab.Row("dir/sub/a.md")->id == a.id);
    CHECK(lab.Row("dir/sub/a.md")->title == std::optional<std::string>("A edited"));
  }
  SECTION("a whole directory moved, watches follow it") {
    fsys::rename(lab.root() / "dir", lab.root() / "moved");
    lab.Settle();
    CHECK(lab.Row("moved/x.md")->id == x.id);
    CHECK(lab.Row("moved/sub/y.md")->id == y.id);
    CHECK_FALSE(lab.Row("dir/x.md"));
    CHECK(CountByPath(lab.TakeEvents(), EventKind::kMoved).size() == 2);
    lab.Write("moved/sub/new.md", "# New in moved dir");
    lab.Settle();
    CHECK(lab.Row("moved/sub/new.md"));
    CHECK_FALSE(lab.Row("dir/sub/new.md"));
  }
  SECTION("moved out of the notebook and back in: delete, then create") {
    fsys::rename(lab.root() / "a.md", lab.tmp().path() / "outside.md");
    lab.Settle();
    CHECK_FALSE(lab.Row("a.md"));
    fsys::rename(lab.tmp().path() / "outside.md", lab.root() / "back.md");
    lab.Settle();
    REQUIRE(lab.Row("back.md"));
    CHECK(lab.Row("back.md")->id != a.id);
  }
  SECTION("deleted and recreated elsewhere with the same content in one batch") {
    fsys::remove(lab.root() / "a.md");
    lab.Write("elsewhere/a-copy.md", "# A");
    lab.Settle();
    REQUIRE(lab.Row("elsewhere/a-copy.md"));
    CHECK(lab.Row("elsewhere/a-copy.md")->id == a.id);
  }
}

TEST_CASE("watcher: editor-style saves keep the id and publish one modification") {
  WatchLab lab;
  lab.Write("note.md", "# v1");
  lab.Settle();
  const auto id = lab.Row("note.md")->id;
  lab.TakeEvents();

  SECTION("write a temporary file, rename it over the note") {
    lab.Write("note.md.tmp123", "# v2");
    fsys::rename(lab.root() / "note.md.tmp123", lab.root() / "note.md");
  }
  SECTION("vim: move the note to a backup name, write a new one, remove the backup") {
    fsys::rename(lab.root() / "note.md", lab.root() / "note.md~");
    lab.Write("note.md", "# v2");
    fsys::remove(lab.root() / "note.md~");
  }
  SECTION("an ignored swap file next to it changes nothing") {
    lab.Write(".note.md.swp", "swap");
    lab.Write("note.md", "# v2");
  }
  lab.Settle();
  REQUIRE(lab.Row("note.md"));
  CHECK(lab.Row("note.md")->id == id);
  CHECK(lab.Row("note.md")->title == std::optional<std::string>("v2"));
  CHECK(lab.RowCount() == 1);
  auto ev = lab.TakeEvents();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kModified);
  CHECK(ev[0].path == "note.md");
}

TEST_CASE("watcher: a sidecar edit re-indexes its main file") {
  WatchLab lab;
  lab.Write("scan.csv", "a,b\n1,2\n");
  lab.Settle();
  const auto id = lab.Row("scan.csv")->id;
  lab.TakeEvents();
  lab.Write("scan.csv.json", R"({"title": "Plate 7", "operator": "kim"})");
  lab.Settle();
  auto row = lab.Row("scan.csv");
  REQUIRE(row);
  CHECK(row->id == id);
  CHECK(row->title == std::optional<std::string>("Plate 7"));
  CHECK(row->sidecar_path == std::optional<std::string>("scan.csv.json"));
  CHECK_FALSE(lab.Row("scan.csv.json"));
  auto ev = lab.TakeEvents();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kModified);
  CHECK(ev[0].path == "scan.csv");
}

TEST_CASE("watcher: whole directories created, copied in and deleted") {
  WatchLab lab;
  // Built outside, then moved in at once (as cp -r into a temp dir and mv would).
  fsys::path staging = lab.tmp().path() / "staging";
  for (int i = 0; i < 20; ++i) {
    fsys::create_directories(staging / ("run" + std::to_string(i % 3)));
    codex::testing::WriteFile(
        staging / ("run" + std::to_string(i % 3)) / (std::to_string(i) + ".md"),
        "# Run " + std::to_string(i));
  }
  fsys::rename(staging, lab.root() / "import");
  // And a tree made in place, quickly.
  for (int i = 0; i < 10; ++i) lab.Write("made/deep/er/" + std::to_string(i) + ".md", "# M");
  lab.Settle();
  CHECK(lab.RowCount() == 30);
  CHECK(lab.Row("import/run1/1.md"));
  CHECK(lab.Row("made/deep/er/9.md"));
  CHECK(CountByPath(lab.TakeEvents(), EventKind::kCreated).size() == 30);

  fsys::remove_all(lab.root() / "import");
  lab.Settle();
  CHECK(lab.RowCount() == 10);
  CHECK(CountByPath(lab.TakeEvents(), EventKind::kDeleted).size() == 20);
  // A deleted directory's watches are gone; a new one of the same name is watched afresh.
  lab.Write("import/again.md", "# Again");
  lab.Settle();
  CHECK(lab.Row("import/again.md"));
}

TEST_CASE("watcher: a burst of 10,000 files is indexed exactly once") {
  WatchLab lab;
  const int kFiles = 10000;
  for (int i = 0; i < kFiles; ++i) {
    std::string dir = "burst/" + std::to_string(i % 50);
    if (i < 50) fsys::create_directories(lab.root() / dir);
    std::ofstream(lab.root() / dir / ("n" + std::to_string(i) + ".md"))
        << "# Note " << i << "\n\n#burst";
  }
  lab.Settle();
  CHECK(lab.RowCount() == kFiles);
  auto ev = lab.TakeEvents();
  auto created = CountByPath(ev, EventKind::kCreated);
  int resyncs = 0;
  for (const auto& e : ev) resyncs += e.kind == EventKind::kResync;
  // Each file at most once as an event; a batch above the bulk limit is one resync instead.
  for (const auto& [path, n] : created) CHECK(n == 1);
  CHECK((static_cast<int>(created.size()) == kFiles || resyncs > 0));
  auto tags = Must(lab.codex().tags().List(lab.alice, "lab", "nb"));
  REQUIRE(tags.size() == 1);
  CHECK(tags[0].count == kFiles);
  // All committed: the last file's history has its creation.
  auto last = lab.Row("burst/49/n" + std::to_string(kFiles - 1) + ".md");
  REQUIRE(last);
  CHECK(last->git_tracked);
  CHECK(Must(lab.files().History(lab.alice, lab.ref(), last->id, 5)).history.size() == 1);
}

TEST_CASE("watcher: changes made while it was stopped are found at start") {
  WatchLab lab;
  lab.Write("kept.md", "# Kept");
  lab.Write("changed.md", "# Before");
  lab.Write("gone.md", "# Gone");
  lab.Settle();
  const auto changed = lab.Row("changed.md")->id;
  lab.codex().watcher().Stop();
  CHECK_FALSE(lab.codex().watcher().running());
  lab.TakeEvents();

  lab.Write("changed.md", "# After, and longer");
  lab.Write("new.md", "# New");
  fsys::remove(lab.root() / "gone.md");
  lab.StartWatching();
  CHECK(lab.Row("changed.md")->title == std::optional<std::string>("After, and longer"));
  CHECK(lab.Row("changed.md")->id == changed);
  CHECK(lab.Row("new.md"));
  CHECK_FALSE(lab.Row("gone.md"));
  auto ev = lab.TakeEvents();
  CHECK(CountByPath(ev, EventKind::kScanned) ==
        std::map<std::string, int>{{"changed.md", 1}, {"new.md", 1}});
  CHECK(CountByPath(ev, EventKind::kDeleted) == std::map<std::string, int>{{"gone.md", 1}});
  CHECK(lab.codex().watcher().State(lab.nb.id) == codex::IndexingState::kCompleted);
}

TEST_CASE("watcher: rows indexed but never committed are committed at start, as they changed") {
  WatchLab lab;
  lab.Write("old.md", "# Old");
  lab.Write("gone.md", "# Gone");
  lab.Settle();
  const auto old_id = lab.Row("old.md")->id;
  lab.codex().watcher().Stop();
  // As if killed between indexing and committing: indexed, not committed.
  lab.Write("old.md", "# Old, edited");
  lab.Write("fresh.md", "# Fresh");
  fsys::remove(lab.root() / "gone.md");
  codex::IndexOptions no_commit;
  no_commit.commit = false;
  Must(lab.codex().notebooks().Index(lab.alice, lab.ref(), no_commit));
  REQUIRE(Log(lab, old_id).size() == 1);
  REQUIRE_FALSE(lab.Row("fresh.md")->git_tracked);

  lab.StartWatching();
  auto log = Log(lab, old_id);
  REQUIRE(log.size() == 2);
  CHECK(log[0].message.find("\nUpdate old.md") != std::string::npos);
  CHECK(log[0].message.find("\nCreate fresh.md") != std::string::npos);
  CHECK(log[0].message.find("\nDelete gone.md") != std::string::npos);
  CHECK(log[0].message.find("Create old.md") == std::string::npos);
  CHECK(log[0].message.rfind("Batch update: 3 changes\n\n", 0) == 0);
  CHECK(lab.Row("old.md")->git_tracked);
  CHECK(lab.Row("fresh.md")->git_tracked);
}

TEST_CASE("watcher: API writes are published once, not again by the watcher") {
  WatchLab lab;
  auto f = Must(lab.files().Create(lab.alice, lab.ref(), "api.md", "# From the API"));
  lab.Settle();
  auto ev = lab.TakeEvents();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kCreated);
  auto log = Log(lab, f.id);
  REQUIRE(log.size() == 1);
  CHECK(log[0].message == "Create api.md");
  CHECK(log[0].author == "alice");
}

TEST_CASE("watcher: notebooks created and deleted while running") {
  WatchLab lab;
  CHECK(lab.codex().watcher().notebook_count() == 1);
  auto second = Must(lab.codex().notebooks().Create(lab.alice, "lab", {"Second", std::nullopt}));
  CHECK(lab.codex().watcher().notebook_count() == 2);
  fsys::path second_root = fsys::path(lab.ws.path) / second.path;
  codex::testing::WriteFile(second_root / "s.md", "# In the second");
  lab.Settle();
  CHECK(Must(lab.files().Get(lab.alice, {"lab", second.slug}, codex::FileRef::ByPath("s.md")))
            .title == std::optional<std::string>("In the second"));

  // Deleted while files are being written into it: dropped at once, nothing recreated.
  for (int i = 0; i < 200; ++i) {
    codex::testing::WriteFile(second_root / ("w" + std::to_string(i) + ".md"), "# W");
  }
  CODEX_REQUIRE_OK(lab.codex().notebooks().Delete(lab.alice, {"lab", second.slug}));
  lab.Settle();
  CHECK(lab.codex().watcher().notebook_count() == 1);
  CHECK_FALSE(fsys::exists(second_root));
  // The first notebook is still followed.
  lab.Write("still.md", "# Still watched");
  lab.Settle();
  CHECK(lab.Row("still.md"));
}

TEST_CASE("watcher: deletions made elsewhere end this process's streams, each once") {
  WatchLab lab;
  auto second = Must(lab.codex().notebooks().Create(lab.alice, "lab", {"Second", std::nullopt}));
  auto ws2 = Must(lab.codex().workspaces().Create(lab.alice, {"Lab Two", std::nullopt}));
  Must(lab.codex().notebooks().Create(lab.alice, ws2.slug, {"N", std::nullopt}));
  std::mutex mu;
  std::vector<codex::Event> ws2_events;
  auto sub = Must(lab.codex().events().SubscribeWorkspace(lab.alice, ws2.slug, [&](const auto& e) {
    std::lock_guard<std::mutex> lock(mu);
    ws2_events.push_back(e);
  }));
  lab.Settle();
  lab.TakeEvents();
  std::vector<codex::Event> seen;
  auto count = [&](EventKind kind) {
    auto more = lab.TakeEvents();
    seen.insert(seen.end(), more.begin(), more.end());
    std::lock_guard<std::mutex> lock(mu);
    seen.insert(seen.end(), ws2_events.begin(), ws2_events.end());
    ws2_events.clear();
    return std::count_if(seen.begin(), seen.end(), [&](const auto& e) { return e.kind == kind; });
  };
  auto await = [&](EventKind kind) {
    for (int i = 0; i < 200 && count(kind) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));  // five more refreshes: no repeat
    return count(kind);
  };
  // Another Codex on the same data dir stands for another process: its own event bus.
  codex::Options options;
  options.data_dir = lab.codex().data_dir();
  auto other = Must(codex::Codex::Open(std::move(options)));

  CODEX_REQUIRE_OK(other.notebooks().Delete(lab.alice, {"lab", second.slug}));
  REQUIRE(await(EventKind::kNotebookDeleted) == 1);
  CHECK(seen.back().notebook_id == second.id);
  CHECK(lab.codex().watcher().notebook_count() == 2);  // nb and the one of Lab Two

  seen.clear();
  CODEX_REQUIRE_OK(other.workspaces().Delete(lab.alice, ws2.slug));
  CHECK(await(EventKind::kWorkspaceDeleted) == 1);
  CHECK(seen.back().workspace_id == ws2.id);
  CHECK(count(EventKind::kNotebookDeleted) == 0);  // the workspace's event ends its notebooks
  CHECK(lab.codex().watcher().notebook_count() == 1);

  seen.clear();
  CODEX_REQUIRE_OK(lab.codex().workspaces().Delete(lab.alice, "lab"));  // here: published here
  CHECK(await(EventKind::kWorkspaceDeleted) == 1);
  CHECK(lab.codex().watcher().notebook_count() == 0);
}

TEST_CASE("watcher: notebook folders not watched are counted (health)") {
  WatchLab lab;
  CHECK(lab.codex().watcher().unwatched_count() == 0);
  lab.codex().watcher().Stop();
  CHECK(lab.codex().watcher().unwatched_count() == 1);
  fsys::remove_all(lab.root());  // a folder that is gone needs no watch
  CHECK(lab.codex().watcher().unwatched_count() == 0);
}

TEST_CASE("watcher: notebooks created and deleted during constant refreshes: one event each") {
  WatchLab lab(/*start=*/false);
  lab.StartWatching([](codex::WatchOptions& o) { o.refresh = std::chrono::milliseconds(1); });
  lab.TakeEvents();
  std::vector<std::int64_t> made;
  for (int i = 0; i < 20; ++i) {
    auto nb = Must(lab.codex().notebooks().Create(lab.alice, "lab",
                                                  {"Race " + std::to_string(i), std::nullopt}));
    made.push_back(nb.id);
    if (i % 2 == 1) {
      CODEX_REQUIRE_OK(lab.codex().notebooks().Delete(lab.alice, {"lab", std::to_string(nb.id)}));
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  lab.Settle();
  std::map<std::int64_t, int> deleted;
  for (const auto& e : lab.TakeEvents()) {
    if (e.kind == EventKind::kNotebookDeleted) ++deleted[e.notebook_id];
  }
  std::map<std::int64_t, int> expected;
  for (std::size_t i = 1; i < made.size(); i += 2) expected[made[i]] = 1;
  CHECK(deleted == expected);
  CHECK(lab.codex().watcher().notebook_count() == 1 + 10);  // nb and the ten kept
}

TEST_CASE(
    "watcher: over the watch limit a notebook is rescanned, with a resync, until watches free up") {
  WatchLab lab(/*start=*/false);
  std::mutex mu;
  std::vector<std::string> warnings;
  auto warned = [&](const std::string& text) {
    std::lock_guard<std::mutex> lock(mu);
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const auto& w) { return w.find(text) != std::string::npos; });
  };
  auto eventually = [](const std::function<bool()>& done) {
    for (int i = 0; i < 200 && !done(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
  };
  lab.StartWatching([&](codex::WatchOptions& o) {
    o.max_watches = 3;  // the notebook folder and two more
    o.fallback_rescan = std::chrono::milliseconds(300);
    o.on_warning = [&](std::string_view w) {
      std::lock_guard<std::mutex> lock(mu);
      warnings.emplace_back(w);
    };
  });
  lab.TakeEvents();
  lab.Write("d1/a.md", "# A");
  lab.Write("d2/b.md", "# B");
  lab.Write("d3/c.md", "# C");
  lab.Settle();
  CHECK(lab.Row("d1/a.md"));
  CHECK(lab.Row("d2/b.md"));
  CHECK(lab.Row("d3/c.md"));  // in the folder without a watch: found by the rescan
  auto ev = lab.TakeEvents();
  CHECK(std::count_if(ev.begin(), ev.end(),
                      [](const auto& e) { return e.kind == EventKind::kResync; }) == 1);
  CHECK(warned("cannot watch every folder"));
  CHECK(lab.codex().watcher().unwatched_count() == 1);

  // What happens in the unwatched folder is found by the periodic rescans.
  lab.Write("d3/later.md", "# Later");
  CHECK(eventually([&] { return lab.Row("d3/later.md").has_value(); }));

  // Folders deleted free their watches: back to inotify events.
  fsys::remove_all(lab.root() / "d1");
  fsys::remove_all(lab.root() / "d2");
  CHECK(eventually([&] { return lab.codex().watcher().unwatched_count() == 0; }));
  CHECK(warned("again"));
  lab.Settle();
  lab.TakeEvents();
  lab.Write("d3/live.md", "# Live");
  lab.Settle();
  CHECK(CountByPath(lab.TakeEvents(), EventKind::kCreated) ==
        std::map<std::string, int>{{"d3/live.md", 1}});
}

TEST_CASE("watcher: a notebook folder replaced wholesale is rescanned with a resync") {
  WatchLab lab;
  lab.Write("old.md", "# Old");
  lab.Settle();
  lab.TakeEvents();
  // rsync-style: a complete new copy (with the notebook's .codex and .git) swapped in.
  fsys::path copy = lab.tmp().path() / "copy";
  fsys::copy(lab.root(), copy, fsys::copy_options::recursive);
  codex::testing::WriteFile(copy / "fresh.md", "# Fresh");
  fsys::remove(copy / "old.md");
  fsys::path aside = lab.tmp().path() / "aside";
  fsys::rename(lab.root(), aside);
  fsys::rename(copy, lab.root());
  lab.Settle();
  // Within the refresh period the folder is watched again.
  for (int i = 0; i < 100 && !lab.Row("fresh.md"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    lab.Settle();
  }
  CHECK(lab.Row("fresh.md"));
  CHECK_FALSE(lab.Row("old.md"));
  auto ev = lab.TakeEvents();
  REQUIRE_FALSE(ev.empty());
  CHECK(ev.back().kind == EventKind::kResync);
  lab.Write("after.md", "# After the swap");
  lab.Settle();
  CHECK(lab.Row("after.md"));
}

TEST_CASE("watcher: the search index is merged between batches, none left for the next write") {
  WatchLab lab;
  // One batch, so one full-text segment, per note: FTS5 would merge them inside later writes.
  constexpr int kNotes = 40;
  for (int i = 0; i < kNotes; ++i) {
    lab.Write("runs/r" + std::to_string(i) + ".md", "# Run " + std::to_string(i) + "\n\nbuffer");
    std::this_thread::sleep_for(std::chrono::milliseconds(80));  // past the 50 ms quiet
  }
  lab.Settle();
  auto found = Must(lab.codex().search().Query(lab.alice, "lab", "buffer"));
  CHECK(found.total == kNotes);
  lab.codex().watcher().Stop();
  // A merge step on the index now finds nothing to do.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((lab.root() / ".codex/notebook.db").c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  const auto before = sqlite3_total_changes64(db);
  CHECK(sqlite3_exec(db, "INSERT INTO files_fts (files_fts, rank) VALUES ('merge', 16)", nullptr,
                     nullptr, nullptr) == SQLITE_OK);
  CHECK(sqlite3_total_changes64(db) - before == 1);  // the command itself, no segment written
  sqlite3_close(db);
}
