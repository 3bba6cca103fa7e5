// Loading the plugins directory (SEMANTICS §15.1) and plugin templates (SEMANTICS §11).
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "codex/wire.hpp"
#include "support/lab.hpp"

using codex::Codex;
using codex::Json;
using codex::PluginLoadProblem;
using codex::testing::Lab;
using codex::testing::Must;
using codex::testing::ReadFile;
using codex::testing::WriteFile;

namespace fs = std::filesystem;

namespace {

// A second handle on the lab's data directory, with a plugins directory.
Codex OpenWithPlugins(const Lab& lab, const std::string& plugins_dir) {
  codex::Options options;
  options.data_dir = (lab.tmp().path() / "data").string();
  options.plugins_dir = plugins_dir;
  options.clock = [] { return codex::testing::FixedNow(); };
  return Must(Codex::Open(std::move(options)));
}

std::string Manifest(const std::string& id, const std::string& type,
                     const std::string& extra = "") {
  return "id: " + id + "\nname: Plugin " + id + "\nversion: 1.0.0\ntype: " + type + "\n" + extra;
}

// problems by the path relative to `root`.
std::map<std::string, std::string> ByPath(const std::vector<PluginLoadProblem>& problems,
                                          const fs::path& root) {
  std::map<std::string, std::string> out;
  std::string prefix = fs::canonical(root).string() + "/";
  for (const auto& p : problems) {
    std::string rel = p.path.rfind(prefix, 0) == 0 ? p.path.substr(prefix.size()) : p.path;
    out[rel] = p.message;
  }
  return out;
}

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> out;
  for (const auto& [k, v] : object.as_object()) out.push_back(k);
  return out;
}

}  // namespace

TEST_CASE("plugins directory: valid, legacy and hostile manifests") {
  Lab lab;
  fs::path dir = lab.tmp().path() / "plugins";
  WriteFile(dir / "good" / "manifest.yml",
            Manifest("good", "view", "released: 2024-01-01\nnested: {when: 2024-01-02}\n"));
  WriteFile(dir / "themes" / "dark" / "theme.yaml", Manifest("dark", "theme"));
  WriteFile(dir / "views" / "table" / "plugin.yaml", Manifest("table", "view"));
  WriteFile(dir / "integrations" / "gh" / "integration.yaml", Manifest("gh", "view"));
  WriteFile(dir / "integrations" / "wx" / "integration.yaml",
            Manifest("wx", "integration", "integration:\n  base_url: https://wx.example\n"));
  WriteFile(dir / "pref" / "manifest.yaml", Manifest("pref", "view"));
  WriteFile(dir / "pref" / "theme.yaml", Manifest("pref", "view"));  // manifest.yaml comes first
  WriteFile(dir / "bad-yaml" / "manifest.yml", "id: [unclosed\nname: x\n");
  WriteFile(dir / "missing" / "manifest.yml", "id: missing\nname: M\ntype: view\n");
  WriteFile(dir / "empty-name" / "manifest.yml", "id: e\nname: ''\nversion: 1.0.0\ntype: view\n");
  WriteFile(dir / "bad-id" / "manifest.yml", Manifest("Bad_ID", "view"));
  WriteFile(dir / "reserved" / "manifest.yml", Manifest("integrations", "view"));
  WriteFile(dir / "num-id" / "manifest.yml", Manifest("123", "view"));  // an int, not a string
  WriteFile(dir / "bad-version" / "manifest.yml", "id: bv\nname: B\nversion: '1.0'\ntype: view\n");
  WriteFile(dir / "float-version" / "manifest.yml", "id: fv\nname: F\nversion: 1.5\ntype: view\n");
  WriteFile(dir / "mismatch" / "theme.yaml", Manifest("mismatch", "view"));
  WriteFile(dir / "unknown" / "plugin.yaml", Manifest("unknown", "widget"));
  WriteFile(dir / "list" / "manifest.yml", "- a\n- b\n");
  WriteFile(dir / "empty" / "manifest.yml", "");
  WriteFile(dir / "huge" / "manifest.yml",
            Manifest("huge", "view", "pad: '" + std::string(2 << 20, 'x') + "'\n"));
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    laughs += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" +
              prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
              ", *" + prev + "]\n";
  }
  WriteFile(dir / "laughs" / "manifest.yml", laughs);
  WriteFile(dir / "aaa-dup" / "manifest.yml", Manifest("dup", "view", "first: true\n"));
  WriteFile(dir / "zzz-dup" / "manifest.yml", Manifest("dup", "theme"));
  WriteFile(dir / "views" / "good" / "manifest.yml", Manifest("good", "theme"));  // later path
  WriteFile(dir / "no-manifest" / "README.md", "not a plugin");
  WriteFile(dir / ".hidden" / "manifest.yml", Manifest("hidden", "view"));
  WriteFile(lab.tmp().path() / "outside.yml", Manifest("outside", "view"));
  fs::create_directories(dir / "escape");
  fs::create_symlink(lab.tmp().path() / "outside.yml", dir / "escape" / "manifest.yml");
  fs::create_directories(dir / "fifo");
  REQUIRE(::mkfifo((dir / "fifo" / "manifest.yml").c_str(), 0600) == 0);
  WriteFile(lab.tmp().path() / "external" / "manifest.yml", Manifest("linked", "view"));
  fs::create_directory_symlink(lab.tmp().path() / "external", dir / "linked");  // followed
  fs::create_directories(dir / "devzero");
  fs::create_symlink("/dev/zero", dir / "devzero" / "manifest.yml");

  Codex codex = OpenWithPlugins(lab, dir.string());
  auto problems = Must(codex.plugins().LoadDirectory());
  auto by_path = ByPath(problems, dir);
  const std::string id_tail = ". Must contain only lowercase letters, numbers, and hyphens.";
  CHECK(by_path["integrations/gh/integration.yaml"] == "Plugin type mismatch: view != integration");
  CHECK(by_path["mismatch/theme.yaml"] == "Plugin type mismatch: view != theme");
  CHECK(by_path["bad-yaml/manifest.yml"].rfind("Invalid YAML: line ", 0) == 0);
  CHECK(by_path["missing/manifest.yml"] == "Missing required field: version");
  CHECK(by_path["empty-name/manifest.yml"] == "Missing required field: name");
  CHECK(by_path["bad-id/manifest.yml"] == "Invalid plugin ID: Bad_ID" + id_tail);
  CHECK(by_path["reserved/manifest.yml"] == "Invalid plugin ID: integrations" + id_tail);
  CHECK(by_path["num-id/manifest.yml"] == "Invalid plugin ID: 123" + id_tail);
  CHECK(by_path["bad-version/manifest.yml"] ==
        "Invalid version: 1.0. Must be in semver format (e.g., 1.0.0).");
  CHECK(by_path["float-version/manifest.yml"].rfind("Invalid version: 1.5", 0) == 0);
  CHECK(by_path["unknown/plugin.yaml"] == "Unknown plugin type: widget");
  CHECK(by_path["list/manifest.yml"] == "Invalid manifest: not a mapping");
  CHECK(by_path["empty/manifest.yml"] == "Invalid manifest: not a mapping");
  CHECK(by_path["huge/manifest.yml"].rfind("Cannot read manifest: ", 0) == 0);
  CHECK(by_path["laughs/manifest.yml"].rfind("Invalid YAML: ", 0) == 0);
  CHECK(by_path["zzz-dup/manifest.yml"].rfind("Duplicate plugin id: dup", 0) == 0);
  CHECK(by_path["views/good/manifest.yml"].rfind("Duplicate plugin id: good", 0) == 0);
  CHECK(by_path["escape/manifest.yml"].rfind("Cannot read manifest: ", 0) == 0);
  CHECK(by_path["fifo/manifest.yml"].rfind("Cannot read manifest: ", 0) == 0);
  CHECK(by_path["devzero/manifest.yml"].rfind("Cannot read manifest: ", 0) == 0);
  CHECK(by_path.count("no-manifest") == 0);
  CHECK(by_path.count("pref/manifest.yaml") == 0);
  CHECK(problems.size() == 20);

  std::vector<std::string> ids;
  for (const auto& p : Must(codex.plugins().List())) ids.push_back(p.id);
  CHECK(ids == std::vector<std::string>{"dark", "dup", "good", "linked", "pref", "table", "wx"});
  auto good = Must(codex.plugins().Get("good"));
  CHECK(good.name == "Plugin good");
  CHECK(good.type == "view");                                    // the first directory won
  CHECK(*good.manifest.find("released") == Json("2024-01-01"));  // sanitised as §6.1 step 7
  CHECK(*good.manifest.find("nested")->find("when") == Json("2024-01-02"));
  CHECK(Must(codex.plugins().Get("dup")).manifest.find("first") != nullptr);
  CHECK(Must(codex.plugins().Get("dark")).type == "theme");
  CHECK(Must(codex.plugins().Integrations(lab.alice, std::nullopt)).size() == 1);
  // The registry is shared: the lab's own handle sees the loaded plugins.
  CHECK(Must(lab.codex().plugins().List()).size() == 7);

  // Loading again upserts the same plugins.
  CHECK(Must(codex.plugins().LoadDirectory()).size() == 20);
  CHECK(Must(codex.plugins().List()).size() == 7);
}

TEST_CASE("plugins directory: none configured, or missing") {
  Lab lab;
  CHECK(Must(lab.codex().plugins().LoadDirectory()).empty());
  Codex missing = OpenWithPlugins(lab, (lab.tmp().path() / "nowhere").string());
  auto problems = Must(missing.plugins().LoadDirectory());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "Plugins directory not found");
  CHECK(Must(missing.plugins().List()).empty());
}

TEST_CASE("plugin templates are listed first and can be created from") {
  Lab lab;
  fs::path dir = lab.tmp().path() / "plugins";
  WriteFile(dir / "lab-notes" / "manifest.yml",
            Manifest("lab-notes", "view",
                     "templates:\n"
                     "  - {id: protocol, name: Protocol, file: templates/protocol.yaml}\n"
                     "  - {id: gone, file: templates/missing.yaml}\n"
                     "  - {id: sneaky, file: ../../outside.yaml}\n"
                     "  - {id: absolute, file: /etc/hostname}\n"
                     "  - {id: nofile}\n"
                     "  - {id: listed, file: templates/list.yaml}\n"
                     "  - {id: from-entry, file: templates/noid.yaml}\n"
                     "  - {id: big, file: templates/big.yaml}\n"));
  WriteFile(dir / "lab-notes" / "templates" / "big.yaml",
            "id: big\ncontent: '" + std::string(2 << 20, 'x') + "'\n");
  WriteFile(dir / "lab-notes" / "templates" / "protocol.yaml",
            "name: Protocol\nid: protocol\ndescription: A protocol\nicon: P\n"
            "file_extension: .md\ndefault_name: \"protocol-{yyyy}.md\"\n"
            "content: \"# {title}\\nSteps\"\nsource: spoofed\n");
  WriteFile(dir / "lab-notes" / "templates" / "list.yaml", "- a\n");
  WriteFile(dir / "lab-notes" / "templates" / "noid.yaml",
            "name: No id\nfile_extension: .txt\ncontent: plain\n");
  WriteFile(lab.tmp().path() / "outside.yaml", "id: outside\nname: Outside\n");
  WriteFile(dir / "aaa" / "manifest.yml",
            Manifest("aaa", "theme", "templates:\n  - {file: t.yaml}\n"));
  WriteFile(dir / "aaa" / "t.yaml",
            "id: first\nname: First\nfile_extension: .md\n"
            "default_name: first.md\ncontent: one\n");
  WriteFile(lab.root() / ".templates" / "protocol.md",
            "---\ntype: template\nname: Notebook protocol\n---\nmine");
  WriteFile(lab.root() / ".templates" / "experiment.md", "---\ntype: template\n---\nexp");

  Codex codex = OpenWithPlugins(lab, dir.string());
  auto problems = Must(codex.plugins().LoadDirectory());
  auto by_path = ByPath(problems, dir);
  CHECK(by_path["lab-notes/templates/missing.yaml"].rfind("Template file unreadable", 0) == 0);
  CHECK(by_path["lab-notes/../../outside.yaml"].rfind("Template file unreadable", 0) == 0);
  CHECK(by_path["lab-notes//etc/hostname"].rfind("Template file unreadable", 0) == 0);
  CHECK(by_path["lab-notes/templates/list.yaml"] == "Invalid template file: not a mapping");
  CHECK(by_path["lab-notes/manifest.yml"] == "Template of plugin lab-notes has no file");
  CHECK(by_path["lab-notes/templates/big.yaml"].rfind("Template file unreadable", 0) == 0);
  CHECK(problems.size() == 6);

  auto list = Must(codex.files().Templates(lab.alice, lab.ref()));
  std::vector<std::string> ids;
  for (const auto& t : list) ids.push_back(t.id + "/" + t.source);
  // Plugins by id (aaa, lab-notes), each in manifest order; then the notebook's by name.
  CHECK(ids == std::vector<std::string>{"first/plugin", "protocol/plugin", "from-entry/plugin",
                                        "experiment/notebook", "protocol/notebook"});
  Json wire = codex::wire::ToJson(list[1]);
  CHECK(Keys(wire) == std::vector<std::string>{"name", "id", "description", "icon",
                                               "file_extension", "default_name", "content",
                                               "plugin_id", "source"});
  CHECK(*wire.find("plugin_id") == Json("lab-notes"));
  CHECK(*wire.find("source") == Json("plugin"));
  CHECK(Keys(list[2].fields) ==
        std::vector<std::string>{"id", "name", "file_extension", "content", "plugin_id", "source"});
  // The Codex without a plugins directory lists the notebook's only.
  CHECK(Must(lab.files().Templates(lab.alice, lab.ref())).size() == 2);

  // Creating: a notebook template wins over a plugin template with the same id.
  auto mine = Must(codex.files().CreateFromTemplate(lab.alice, lab.ref(), "protocol", "p1"));
  CHECK(mine.path == "p1.md");
  CHECK(ReadFile(lab.root() / "p1.md") == "mine");
  auto made = Must(codex.files().CreateFromTemplate(lab.alice, lab.ref(), "first", std::nullopt));
  CHECK(made.path == "first.md");
  CHECK(ReadFile(lab.root() / "first.md") == "one");
  auto plain = Must(codex.files().CreateFromTemplate(lab.alice, lab.ref(), "from-entry", "n"));
  CHECK(plain.path == "n.txt");
  CHECK(ReadFile(lab.root() / "n.txt") == "plain");
  CHECK(codex.files()
            .CreateFromTemplate(lab.alice, lab.ref(), "sneaky", std::nullopt)
            .status()
            .message() == "Template not found: sneaky");
  // Viewers list, editors create.
  Must(lab.codex().workspaces().Share(lab.alice, "lab", "bob", codex::Role::kViewer));
  CHECK(Must(codex.files().Templates(lab.bob, lab.ref())).size() == 5);
  CHECK(codex.files().CreateFromTemplate(lab.bob, lab.ref(), "first", "x").status().reason() ==
        "insufficient_permissions");
}
