// End to end: codexctl file log / show --at / diff, and codexctl watch, on the real binary.
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include "codex/json.hpp"
#include "e2e/codexctl_run.hpp"

using codex::Json;
using codex::testing::BackgroundCodexctl;
using codex::testing::CtlLab;
using codex::testing::RequireOk;
using codex::testing::WriteFile;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : object.as_object()) keys.push_back(k);
  return keys;
}

// notes.txt added through codexctl, then changed on disk and committed by `index`: the file's
// commits, newest first.
std::vector<std::string> TwoVersions(const CtlLab& cli) {
  REQUIRE(cli({"file", "add", "lab", "nb", "notes.txt", "--content", "one\ntwo\n"}).code == 0);
  WriteFile(cli.nb_dir() + "/notes.txt", "one\n2\n");
  REQUIRE(cli({"index", "lab", "nb"}).code == 0);
  auto log = cli({"--json", "file", "log", "lab", "nb", "notes.txt"});
  REQUIRE(log.code == 0);
  Json json = log.json();
  std::vector<std::string> hashes;
  for (const auto& c : json.find("history")->as_array())
    hashes.push_back(c.find("hash")->as_string());
  REQUIRE(hashes.size() == 2);
  return hashes;
}

// Reads `watch`'s JSON lines until one is about `path` (REQUIREd within 10 s of each line).
Json NextEventFor(BackgroundCodexctl& watch, const std::string& path) {
  for (;;) {
    auto line = watch.ReadLine(10s);
    REQUIRE(line);
    INFO(*line);
    auto event = Json::Parse(*line);
    REQUIRE(event.ok());
    REQUIRE(event->is_object());
    const Json* p = event->find("path");
    if (p != nullptr && p->is_string() && p->as_string() == path) return *event;
  }
}

}  // namespace

TEST_CASE("codexctl file log: the commits of a file, newest first, --limit and --offset") {
  CtlLab cli;
  auto hashes = TwoVersions(cli);

  auto json = cli({"--json", "file", "log", "lab", "nb", "notes.txt"}).json();
  CHECK(Keys(json) == std::vector<std::string>{"file_id", "path", "history"});
  CHECK(json.find("path")->as_string() == "notes.txt");
  const auto& history = json.find("history")->as_array();
  CHECK(Keys(history[0]) == std::vector<std::string>{"hash", "author", "date", "message"});
  CHECK(history[0].find("message")->as_string().rfind("Batch update", 0) == 0);
  CHECK(history[1].find("message")->as_string() == "Create notes.txt");
  CHECK(history[1].find("author")->as_string() == "admin");

  auto table = cli({"file", "log", "lab", "nb", "notes.txt"});
  REQUIRE(table.code == 0);
  CHECK(table.out.rfind("hash", 0) == 0);
  CHECK(table.out.find("message\n") != std::string::npos);
  auto newer = table.out.find(hashes[0]), older = table.out.find(hashes[1]);
  CHECK(newer != std::string::npos);
  CHECK(older != std::string::npos);
  CHECK(newer < older);
  CHECK(table.out.find("Create notes.txt") > older);

  auto second =
      cli({"--json", "file", "log", "lab", "nb", "notes.txt", "--limit", "1", "--offset", "1"});
  REQUIRE(second.code == 0);
  Json second_json = second.json();
  const auto& only = second_json.find("history")->as_array();
  REQUIRE(only.size() == 1);
  CHECK(only[0].find("hash")->as_string() == hashes[1]);
  std::string id = std::to_string(json.find("file_id")->as_int());
  CHECK(cli({"--json", "file", "log", "lab", "nb", id, "--limit", "1"})
            .json()
            .find("history")
            ->as_array()
            .size() == 1);

  CHECK(cli({"file", "log", "lab", "nb", "notes.txt", "--offset", "-1"}).code == 64);
  CHECK(cli({"file", "log", "lab", "nb", "missing.txt"}).code == 66);
}

TEST_CASE("codexctl file show --at: the content at a commit; without it, the metadata") {
  CtlLab cli;
  auto hashes = TwoVersions(cli);

  auto old_text = cli({"file", "show", "lab", "nb", "notes.txt", "--at", hashes[1]});
  REQUIRE(old_text.code == 0);
  CHECK(old_text.out == "one\ntwo\n");
  CHECK(cli({"file", "show", "lab", "nb", "notes.txt", "--at", "HEAD"}).out == "one\n2\n");

  auto json = cli({"--json", "file", "show", "lab", "nb", "notes.txt", "--at", hashes[1]}).json();
  CHECK(Keys(json) == std::vector<std::string>{"file_id", "path", "commit_hash", "content"});
  CHECK(json.find("commit_hash")->as_string() == hashes[1]);
  CHECK(json.find("content")->as_string() == "one\ntwo\n");

  auto meta = cli({"--json", "file", "show", "lab", "nb", "notes.txt"}).json();
  CHECK(meta.find("path")->as_string() == "notes.txt");
  CHECK(meta.find("content") == nullptr);

  auto bad = cli({"file", "show", "lab", "nb", "notes.txt", "--at", "nope"});
  CHECK(bad.code == 66);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("File not found at this commit") != std::string::npos);
  auto bad_json = cli({"--json", "file", "show", "lab", "nb", "notes.txt", "--at", "nope"});
  CHECK(bad_json.code == 66);
  CHECK(bad_json.json().find("code")->as_string() == "file_not_found");
  CHECK(bad_json.json().find("detail")->as_string() == "File not found at this commit");
}

TEST_CASE("codexctl file diff: between two commits and against the work tree") {
  CtlLab cli;
  auto hashes = TwoVersions(cli);

  auto diff = cli({"file", "diff", "lab", "nb", "notes.txt", hashes[1], hashes[0]});
  REQUIRE(diff.code == 0);
  CHECK(diff.out.rfind("diff --git a/notes.txt b/notes.txt\n", 0) == 0);
  CHECK(diff.out.find("--- a/notes.txt\n+++ b/notes.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n") !=
        std::string::npos);
  CHECK(cli({"file", "diff", "lab", "nb", "notes.txt", hashes[0]}).out.empty());

  WriteFile(cli.nb_dir() + "/notes.txt", "one\n2\nthree\n");
  auto work = cli({"file", "diff", "lab", "nb", "notes.txt", hashes[0]});
  REQUIRE(work.code == 0);
  CHECK(work.out.find("@@ -1,2 +1,3 @@\n one\n 2\n+three\n") != std::string::npos);

  auto json = cli({"--json", "file", "diff", "lab", "nb", "notes.txt", hashes[1]}).json();
  CHECK(Keys(json) == std::vector<std::string>{"file_id", "path", "from", "to", "diff"});
  CHECK(json.find("from")->as_string() == hashes[1]);
  CHECK(json.find("to")->is_null());
  CHECK(json.find("diff")->as_string().find("-two\n+2\n+three\n") != std::string::npos);
  auto pair = cli({"--json", "file", "diff", "lab", "nb", "notes.txt", hashes[1], "HEAD"}).json();
  CHECK(pair.find("to")->as_string() == "HEAD");

  auto bad = cli({"file", "diff", "lab", "nb", "notes.txt", "nope", hashes[0]});
  CHECK(bad.code == 66);
  CHECK(bad.err.find("File not found at this commit") != std::string::npos);
  auto bad_b = cli({"--json", "file", "diff", "lab", "nb", "notes.txt", hashes[0], "nope"});
  CHECK(bad_b.code == 66);
  CHECK(bad_b.json().find("code")->as_string() == "file_not_found");
  CHECK(cli({"file", "diff", "lab", "nb", "notes.txt"}).code == 64);  // A is required
}

TEST_CASE("codexctl watch: unknown workspace or notebook exit 66") {
  CtlLab cli;
  CHECK(cli({"watch", "nowhere"}).code == 66);
  auto r = cli({"--json", "watch", "lab", "nope"});
  CHECK(r.code == 66);
  CHECK(r.json().find("code")->as_string() == "notebook_not_found");
}

TEST_CASE("codexctl watch: files written into the notebook arrive as JSON lines", "[watcher]") {
  CtlLab cli;
  for (const std::vector<std::string>& scope :
       {std::vector<std::string>{"watch", "lab"}, std::vector<std::string>{"watch", "lab", "nb"}}) {
    INFO((scope.size() == 2 ? "workspace" : "notebook"));
    BackgroundCodexctl watch(cli.dir, scope);
    std::string tag = std::to_string(scope.size());
    // Written while the watcher may still be starting: found live or by the first scan.
    WriteFile(cli.nb_dir() + "/early-" + tag + ".md", "# Early\n");
    Json early = NextEventFor(watch, "early-" + tag + ".md");
    CHECK(early.find("type")->as_string() == "file_change");
    std::string kind = early.find("event_type")->as_string();
    CHECK((kind == "created" || kind == "scanned"));
    // The first event comes after the watches are in place: now a live change.
    WriteFile(cli.nb_dir() + "/fresh-" + tag + ".md", "# Fresh\n");
    Json fresh = NextEventFor(watch, "fresh-" + tag + ".md");
    CHECK(fresh.find("type")->as_string() == "file_change");
    CHECK(fresh.find("event_type")->as_string() == "created");
    CHECK(fresh.find("file_id")->is_int());
    CHECK(watch.Stop(SIGTERM, 30s) == 0);
  }
}

TEST_CASE("codexctl watch: ends when another process deletes its notebook or workspace",
          "[watcher]") {
  CtlLab cli;
  REQUIRE(cli({"notebook", "create", "lab", "Other"}).code == 0);
  BackgroundCodexctl nb_watch(cli.dir, {"watch", "lab", "nb"});
  BackgroundCodexctl ws_watch(cli.dir, {"watch", "lab"});
  // Until each prints one: a file written before a watcher starts and indexed by the other
  // is not a change it reports.
  auto await_running = [&](BackgroundCodexctl& watch, const std::string& tag) {
    for (int i = 0; i < 30; ++i) {
      std::string name = tag + std::to_string(i) + ".md";
      WriteFile(cli.nb_dir() + "/" + name, "# Probe\n");
      while (auto line = watch.ReadLine(1s)) {
        if (line->find("\"" + name + "\"") != std::string::npos) return;
      }
    }
    FAIL("the watcher printed nothing");
  };
  await_running(nb_watch, "probe-nb-");
  await_running(ws_watch, "probe-ws-");
  // The last line says why the stream ended.
  auto lifecycle = [](BackgroundCodexctl& watch, const std::string& type) {
    for (;;) {
      auto line = watch.ReadLine(10s);
      REQUIRE(line);
      auto event = Json::Parse(*line);
      REQUIRE(event.ok());
      if (event->find("type")->as_string() == type) return *event;
    }
  };
  RequireOk(cli({"notebook", "delete", "lab", "other"}));
  CHECK(lifecycle(ws_watch, "notebook_deleted").find("notebook_id")->is_int());
  RequireOk(cli({"notebook", "delete", "lab", "nb"}));
  lifecycle(nb_watch, "notebook_deleted");
  CHECK(nb_watch.Wait(10s) == 0);
  CHECK_FALSE(nb_watch.ReadLine(0s));  // nothing after it
  RequireOk(cli({"workspace", "delete", "lab"}));
  CHECK(lifecycle(ws_watch, "workspace_deleted").find("workspace_id")->is_int());
  CHECK(ws_watch.Wait(10s) == 0);
}
