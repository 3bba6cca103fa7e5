// End to end: the real codexctl binary, its stdout, JSON and exit codes.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "codex/json.hpp"
#include "codexctl_run.hpp"
#include "support/temp_dir.hpp"

using codex::Json;
using codex::testing::TempDir;
using codex::testing::WriteFile;
namespace sfs = std::filesystem;

namespace {

using Out = codex::testing::CtlOut;
using Cli = codex::testing::CtlLab;

Out Run(const std::string& data_dir, std::vector<std::string> args, const std::string& input = "") {
  return codex::testing::RunCodexctl(data_dir, std::move(args), input);
}

std::string Binary() { return codex::testing::CodexctlBinary(); }

}  // namespace

TEST_CASE("codexctl init makes a user that later commands act as") {
  TempDir tmp;
  std::string dir = (tmp / "data").string();
  auto init = Run(dir, {"--json", "init", "--user", "ada"});
  REQUIRE(init.code == 0);
  Json j = init.json();
  CHECK(j.find("user")->find("username")->as_string() == "ada");
  CHECK(j.find("password")->as_string().size() == 16);
  CHECK(sfs::exists(dir + "/codex_system.db"));
  auto ws = Run(dir, {"--json", "workspace", "create", "Ada's Lab"});
  REQUIRE(ws.code == 0);
  CHECK(ws.json().find("slug")->as_string() == "adas-lab");
  CHECK(ws.json().find("role")->as_string() == "owner");
  // Without init and --as there is no user.
  TempDir other;
  auto none = Run((other / "d").string(), {"workspace", "list"});
  CHECK(none.code == 64);
}

TEST_CASE("codexctl: workspaces, notebooks and members") {
  Cli cli;
  auto list = cli({"--json", "workspace", "list"});
  REQUIRE(list.code == 0);
  REQUIRE(list.json().as_array().size() == 1);
  auto human = cli({"workspace", "list"});
  CHECK(human.out.find("slug") != std::string::npos);
  CHECK(human.out.find("lab") != std::string::npos);
  CHECK(cli({"--json", "notebook", "show", "lab", "nb"}).json().find("slug")->as_string() == "nb");
  CHECK(cli({"notebook", "show", "lab", "missing"}).code == 66);
  REQUIRE(cli({"user", "add", "bob", "--email", "bob@example.org", "--password-stdin"},
              "bob-password\n")
              .code == 0);
  auto users = cli({"--json", "user", "list"}).json();
  CHECK(users.as_array().size() == 2);
  // bob cannot see the workspace until it is shared.
  CHECK(cli({"--as", "bob", "workspace", "show", "lab"}).code == 66);
  REQUIRE(cli({"workspace", "share", "lab", "bob", "--role", "viewer"}).code == 0);
  CHECK(cli({"--as", "bob", "workspace", "show", "lab"}).code == 0);
  auto denied =
      cli({"--as", "bob", "--json", "file", "add", "lab", "nb", "x.md", "--content", "x"});
  CHECK(denied.code == 77);
  CHECK(denied.json().find("code")->as_string() == "insufficient_permissions");
  CHECK(denied.json().find("detail")->as_string() == "Insufficient permissions");
  CHECK(cli({"workspace", "share", "lab", "bob", "--role", "boss"}).code == 64);
  auto members = cli({"--json", "workspace", "members", "lab"}).json();
  CHECK(members.as_array().size() == 2);
  REQUIRE(cli({"workspace", "unshare", "lab", "bob"}).code == 0);
  CHECK(cli({"--as", "bob", "workspace", "show", "lab"}).code == 66);
  CHECK(cli({"workspace", "delete", "lab"}).code == 0);
  CHECK(cli({"workspace", "show", "lab"}).code == 66);
}

TEST_CASE("codexctl: files from every source, show, cat, props, move, remove") {
  Cli cli;
  auto add = cli({"--json", "file", "add", "lab", "nb", "notes/a.md", "--content",
                  "---\ntitle: Alpha\n---\nBody #tagged"});
  REQUIRE(add.code == 0);
  Json a = add.json();
  CHECK(a.find("path")->as_string() == "notes/a.md");
  CHECK(a.find("title")->as_string() == "Alpha");
  CHECK(a.find("tags")->as_array().size() == 1);
  // FileMeta keys in contract order.
  std::vector<std::string> keys;
  for (const auto& [k, v] : a.as_object()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"id", "notebook_id", "path", "filename", "content_type",
                                         "size", "hash", "title", "description", "file_type",
                                         "properties", "created_at", "updated_at",
                                         "file_modified_at", "tags"});
  std::string id = std::to_string(a.find("id")->as_int());
  REQUIRE(cli({"file", "add", "lab", "nb", "from-stdin.md", "-"}, "# From stdin\n").code == 0);
  WriteFile(cli.tmp / "local.bin", std::string("\x89PNGbinary\0\0", 13));
  auto up = cli({"--json", "file", "add", "lab", "nb", "img/pic.bin", "--from",
                 (cli.tmp / "local.bin").string()});
  REQUIRE(up.code == 0);
  CHECK(up.json().find("content_type")->as_string() == "application/octet-stream");
  CHECK(cli({"file", "cat", "lab", "nb", "img/pic.bin"}).out ==
        std::string("\x89PNGbinary\0\0", 13));
  CHECK(cli({"file", "cat", "lab", "nb", id}).out == "---\ntitle: Alpha\n---\nBody #tagged");
  auto list = cli({"--json", "file", "list", "lab", "nb"}).json();
  CHECK(list.find("pagination")->find("total")->as_int() == 3);
  auto folder = cli({"--json", "file", "list", "lab", "nb", "--folder", "notes"}).json();
  CHECK(folder.find("file_count")->as_int() == 1);
  auto props = cli({"--json", "file", "props", "lab", "nb", "notes/a.md", "--set", "status=done",
                    "--set", "ph=7.2", "--set", "ok=true"});
  REQUIRE(props.code == 0);
  Json p = *props.json().find("properties");
  CHECK(*p.find("status") == Json("done"));
  CHECK(*p.find("ph") == Json(7.2));
  CHECK(*p.find("ok") == Json(true));
  CHECK(*p.find("title") == Json("Alpha"));
  CHECK(cli({"file", "props", "lab", "nb", "notes/a.md", "--set", "novalue"}).code == 65);
  auto moved = cli({"--json", "file", "mv", "lab", "nb", "notes/a.md", "archive/a.md"});
  REQUIRE(moved.code == 0);
  CHECK(std::to_string(moved.json().find("id")->as_int()) == id);
  CHECK(cli({"file", "mv", "lab", "nb", id, "from-stdin.md"}).code == 73);
  auto shown = cli({"file", "show", "lab", "nb", id});
  CHECK(shown.out.find("archive/a.md") != std::string::npos);
  CHECK(cli({"file", "rm", "lab", "nb", "archive/a.md"}).code == 0);
  CHECK(cli({"file", "show", "lab", "nb", id}).code == 66);
}

TEST_CASE("codexctl: hostile paths give clear errors and exit codes") {
  Cli cli;
  struct Row {
    std::string path;
    int code;
    const char* reason;
  };
  const Row rows[] = {
      {"../escape.md", 77, "path_forbidden"}, {"/etc/passwd", 65, "invalid_path"},
      {".git/config", 77, "path_forbidden"},  {".codex/notebook.db", 77, "path_forbidden"},
      {"a/../../b.md", 77, "path_forbidden"}, {"bad\xff.md", 65, "invalid_path"}};
  for (const auto& row : rows) {
    INFO(row.path);
    auto r = cli({"--json", "file", "add", "lab", "nb", row.path, "--content", "x"});
    CHECK(r.code == row.code);
    CHECK(r.json().find("code")->as_string() == row.reason);
  }
  CHECK_FALSE(sfs::exists(cli.tmp / "data" / "workspaces" / "lab" / "escape.md"));
}

TEST_CASE("codexctl: index, tags, search and query over files written by other tools") {
  Cli cli;
  std::string nb = cli.dir + "/workspaces/lab/nb";
  WriteFile(nb + "/exp/one.md",
            "---\ntitle: Spectrophotometer run\nstatus: done\nph: 7.5\ntags: [qc]\n---\n"
            "Calibrated the spectrophotometer. #instrument");
  WriteFile(nb + "/exp/two.md", "---\nstatus: running\nph: 6.1\n---\n# Centrifuge day\nspin");
  WriteFile(nb + "/bad.md", "---\ntitle: [unclosed\n---\nstill searchable");
  auto idx = cli({"--json", "index", "lab"});
  REQUIRE(idx.code == 0);
  Json report = idx.json().as_array().at(0);
  CHECK(report.find("added")->as_int() == 3);
  CHECK(report.find("problems")->as_array().size() == 1);
  auto human = cli({"index", "lab", "nb"});
  REQUIRE(human.code == 0);
  CHECK(human.out.find("unchanged") != std::string::npos);
  CHECK(human.err.find("indexing") == std::string::npos);  // no progress when not a terminal

  auto tags = cli({"--json", "tag", "list", "lab"}).json();
  REQUIRE(tags.as_array().size() == 2);
  CHECK(tags.as_array()[0].find("name")->as_string() == "instrument");

  auto found = cli({"--json", "search", "lab", "spectrophotometer"});
  REQUIRE(found.code == 0);
  Json s = found.json();
  CHECK(s.find("query")->as_string() == "spectrophotometer");
  CHECK(s.find("total")->as_int() == 1);
  Json hit = s.find("results")->as_array().at(0);
  CHECK(hit.find("path")->as_string() == "exp/one.md");
  CHECK(hit.find("snippet")->as_string().find("<mark>") != std::string::npos);
  CHECK(cli({"--json", "search", "lab", "searchable"}).json().find("total")->as_int() == 1);
  CHECK(cli({"--json", "search", "lab", "tag:qc"}).json().find("total")->as_int() == 1);
  auto bad = cli({"--json", "search", "lab", "--", "-only"});  // -- ends the options
  CHECK(bad.code == 65);
  CHECK(bad.json().find("code")->as_string() == "validation_error");
  for (const char* q : {"\"unbalanced", "OR", "NOT", "*", "a AND OR b", "(x", "title:y", "^z"}) {
    INFO(q);
    CHECK(cli({"search", "lab", q}).code == 0);
  }

  auto q = cli({"--json", "query", "lab", "-"},
               R"({"properties": {"ph": {"$gt": 7}}, "sort": "properties.ph desc"})");
  REQUIRE(q.code == 0);
  CHECK(q.json().find("total")->as_int() == 1);
  CHECK(q.json().find("files")->as_array().at(0).find("path")->as_string() == "exp/one.md");
  WriteFile(cli.tmp / "view.json", R"({"group_by": "properties.status"})");
  auto grouped = cli({"--json", "query", "lab", (cli.tmp / "view.json").string()});
  REQUIRE(grouped.code == 0);
  CHECK(grouped.json().find("groups")->as_object().size() == 3);
  CHECK(cli({"query", "lab", "-"}, "{not json").code == 65);
  CHECK(cli({"query", "lab", "-"}, R"({"properties": {"a": {"$regex": "x"}}})").code == 65);
}

TEST_CASE("codexctl index shows progress on a terminal") {
  Cli cli;
  WriteFile(cli.dir + "/workspaces/lab/nb/a.md", "# A");
  // `script` runs the command on a pseudo-terminal (util-linux, in every Debian install).
  std::string cmd = "CODEX_DATA_DIR='" + cli.dir + "' '" + Binary() + "' index lab nb";
  FILE* p = ::popen(("script -qec \"" + cmd + "\" /dev/null 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[512];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  CHECK(::pclose(p) == 0);
  CHECK(out.find("indexing notebook") != std::string::npos);
  CHECK(out.find("1/1 files") != std::string::npos);
}

TEST_CASE("codexctl: usage errors exit 64") {
  Cli cli;
  CHECK(cli({"frobnicate"}).code == 64);
  CHECK(cli({"file", "add", "lab"}).code == 64);
  CHECK(cli({"search", "lab", "x", "--limit", "0"}).code == 64);
  CHECK(cli({"--help"}).code == 0);
}
