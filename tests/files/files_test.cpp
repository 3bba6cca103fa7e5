// Files through the library: create, read, update (frontmatter and sidecars), move, delete,
// upload, commit messages, and the hostile path table through every path-taking operation.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/lab.hpp"
#include "vcs/repository.hpp"

using codex::Code;
using codex::FileRef;
using codex::Json;
using codex::testing::Lab;
using codex::testing::Must;
using codex::testing::ReadFile;
using codex::testing::WriteFile;
namespace sfs = std::filesystem;

namespace {

std::string LastMessage(Lab& lab, const std::string& path) {
  auto repo = Must(codex::vcs::Repository::OpenOrInit(lab.root().string(), {"t", "t@x"}));
  auto log = Must(repo->History(path, 1));
  REQUIRE(!log.empty());
  return log[0].message;
}

std::string LastAuthor(Lab& lab, const std::string& path) {
  auto repo = Must(codex::vcs::Repository::OpenOrInit(lab.root().string(), {"t", "t@x"}));
  return Must(repo->History(path, 1)).at(0).author;
}

}  // namespace

TEST_CASE("create: unique paths, parents, indexing and the commit, synchronously") {
  Lab lab;
  auto& f = lab.files();
  auto a = Must(f.Create(lab.alice, lab.ref(), "notes.md", "---\ntitle: T\ntags: [x]\n---\nBody"));
  CHECK(a.path == "notes.md");
  CHECK(a.title == std::optional<std::string>("T"));
  CHECK(a.tags == std::vector<std::string>{"x"});
  CHECK(a.content_type == "text/markdown");
  CHECK(a.size == 31);
  CHECK(a.git_tracked);
  CHECK(LastMessage(lab, "notes.md") == "Create notes.md");
  CHECK(LastAuthor(lab, "notes.md") == "alice");
  CHECK(Must(f.Create(lab.alice, lab.ref(), "notes.md", "2")).path == "notes-1.md");
  CHECK(Must(f.Create(lab.alice, lab.ref(), "notes.md", "3")).path == "notes-2.md");
  CHECK(Must(f.Create(lab.alice, lab.ref(), "deep/er/page.md", "x")).path == "deep/er/page.md");
  CHECK(Must(f.Create(lab.alice, lab.ref(), "deep/er/page.md", "x")).path == "deep/er/page-1.md");
  CHECK(Must(f.Create(lab.alice, lab.ref(), "README", "x")).path == "README");
  CHECK(Must(f.Create(lab.alice, lab.ref(), "README", "x")).path == "README-1");
  CHECK(Must(f.Create(lab.alice, lab.ref(), "archive.tar.gz", "x")).path == "archive.tar.gz");
  CHECK(Must(f.Create(lab.alice, lab.ref(), "archive.tar.gz", "x")).path == "archive.tar-1.gz");
  // A directory in the way counts as taken.
  sfs::create_directories(lab.root() / "taken");
  CHECK(Must(f.Create(lab.alice, lab.ref(), "taken", "x")).path == "taken-1");
  // Names the indexer ignores cannot be created.
  for (const char* ignored : {".metadata", "x/.gitignore", ".DS_Store", "node_modules/a.js"}) {
    INFO(ignored);
    CHECK(f.Create(lab.alice, lab.ref(), ignored, "x").status().reason() == "invalid_path");
  }
  // A file under a path whose parent is a file is refused.
  CHECK(f.Create(lab.alice, lab.ref(), "notes.md/child.md", "x").status().reason() ==
        "invalid_path");
}

TEST_CASE("create of a sidecar answers with its main file") {
  Lab lab;
  auto& f = lab.files();
  auto csv = Must(f.Create(lab.alice, lab.ref(), "d.csv", "a,b\n"));
  auto main = Must(f.Create(lab.alice, lab.ref(), "d.csv.json", "{\"title\": \"Data\"}"));
  CHECK(main.id == csv.id);
  CHECK(main.path == "d.csv");
  CHECK(main.title == std::optional<std::string>("Data"));
  CHECK(main.sidecar_path == std::optional<std::string>("d.csv.json"));
}

TEST_CASE("read: by id, by path, filename fallback, text without frontmatter") {
  Lab lab;
  auto& f = lab.files();
  auto a = Must(f.Create(lab.alice, lab.ref(), "dir/page.md", "---\nk: v\n---\n\n  Body text  \n"));
  CHECK(Must(f.Get(lab.alice, lab.ref(), FileRef::ById(a.id))).path == "dir/page.md");
  CHECK(Must(f.Get(lab.alice, lab.ref(), FileRef::ByPath("page.md"))).id == a.id);
  CHECK(f.Get(lab.alice, lab.ref(), FileRef::ByPath("other/page.md")).status().code() ==
        Code::kNotFound);
  CHECK(Must(f.ReadText(lab.alice, lab.ref(), FileRef::ByPath("dir/page.md"))) == "Body text");
  CHECK(f.Get(lab.alice, lab.ref(), FileRef::ById(99999)).status().message() == "File not found");
  // Not indexed but on disk: /text reads from disk.
  WriteFile(lab.root() / "raw.cdx", "---\nq: 1\n---\nview");
  CHECK(Must(f.ReadText(lab.alice, lab.ref(), FileRef::ByPath("raw.cdx"))) ==
        "---\nq: 1\n---\nview");
  WriteFile(lab.root() / "bin.dat", std::string("a\0b", 3));
  CHECK(f.ReadText(lab.alice, lab.ref(), FileRef::ByPath("bin.dat")).status().reason() ==
        "not_text");
  WriteFile(lab.root() / "latin1.txt", "caf\xe9");
  CHECK(f.ReadText(lab.alice, lab.ref(), FileRef::ByPath("latin1.txt")).status().reason() ==
        "not_text");
  auto opened = Must(f.Open(lab.alice, lab.ref(), FileRef::ById(a.id)));
  CHECK(Must(opened.ReadAll()) == "---\nk: v\n---\n\n  Body text  \n");
  sfs::remove(lab.root() / "dir" / "page.md");
  CHECK(f.Open(lab.alice, lab.ref(), FileRef::ById(a.id)).status().message() ==
        "File not found on disk");
}

TEST_CASE("update: properties go to frontmatter for markdown, the body is kept") {
  Lab lab;
  auto& f = lab.files();
  auto a = Must(f.Create(lab.alice, lab.ref(), "n.md", "---\nold: 1\n---\nThe body"));
  codex::FileUpdate props;
  props.properties = Json(
      Json::Object{{"title", "T"}, {"tags", Json(Json::Array{"a", "b"})}, {"date", "2024-01-01"}});
  auto u = Must(f.Update(lab.alice, lab.ref(), a.id, props));
  CHECK(ReadFile(lab.root() / "n.md") ==
        "---\ndate: '2024-01-01'\ntags:\n- a\n- b\ntitle: T\n---\n\nThe body");
  CHECK(u.title == std::optional<std::string>("T"));
  CHECK(u.tags == std::vector<std::string>{"a", "b"});
  CHECK(u.properties.find("old") == nullptr);
  CHECK(LastMessage(lab, "n.md") == "Update n.md");
  // Saving a body without frontmatter keeps the file's block.
  codex::FileUpdate body;
  body.content = "New body";
  Must(f.Update(lab.alice, lab.ref(), a.id, body));
  CHECK(ReadFile(lab.root() / "n.md") ==
        "---\ndate: '2024-01-01'\ntags:\n- a\n- b\ntitle: T\n---\n\nNew body");
  // Content with its own block is written verbatim.
  body.content = "---\ntitle: Own\n---\nx";
  CHECK(Must(f.Update(lab.alice, lab.ref(), a.id, body)).title ==
        std::optional<std::string>("Own"));
  CHECK(ReadFile(lab.root() / "n.md") == "---\ntitle: Own\n---\nx");
  // Nothing to change: no commit, current values.
  auto none = Must(f.Update(lab.alice, lab.ref(), a.id, {}));
  CHECK(none.hash == Must(f.Get(lab.alice, lab.ref(), FileRef::ById(a.id))).hash);
  // If-Match.
  codex::FileUpdate guarded;
  guarded.content = "y";
  guarded.if_match = "\"0000\"";
  CHECK(f.Update(lab.alice, lab.ref(), a.id, guarded).status().reason() == "precondition_failed");
  guarded.if_match = "\"" + none.hash + "\"";
  CODEX_REQUIRE_OK(f.Update(lab.alice, lab.ref(), a.id, guarded));
  // properties must be an object.
  codex::FileUpdate bad;
  bad.properties = Json(Json::Array{1});
  CHECK(f.Update(lab.alice, lab.ref(), a.id, bad).status().code() == Code::kValidation);
}

TEST_CASE("update: properties of other files go to a sidecar, other kinds removed") {
  Lab lab;
  auto& f = lab.files();
  auto csv = Must(f.Create(lab.alice, lab.ref(), "d/x.csv", "1,2\n"));
  codex::FileUpdate u;
  u.properties = Json(Json::Object{{"b", 1}, {"a", "é"}});
  Must(f.Update(lab.alice, lab.ref(), csv.id, u));
  CHECK(ReadFile(lab.root() / "d" / ".x.csv.json") == "{\n  \"b\": 1,\n  \"a\": \"é\"\n}");
  // An xml sidecar is replaced by a json one of the same style; md sidecars are removed.
  sfs::remove(lab.root() / "d" / ".x.csv.json");
  WriteFile(lab.root() / "d" / "x.csv.xml", "<m><a>1</a></m>");
  WriteFile(lab.root() / "d" / ".x.csv.md", "---\nz: 1\n---\n");
  Must(lab.codex().notebooks().Index(lab.alice, lab.ref()));
  u.properties = Json(Json::Object{{"k", "v"}});
  auto after = Must(f.Update(lab.alice, lab.ref(), csv.id, u));
  CHECK(sfs::exists(lab.root() / "d" / "x.csv.json"));
  CHECK_FALSE(sfs::exists(lab.root() / "d" / "x.csv.xml"));
  CHECK_FALSE(sfs::exists(lab.root() / "d" / ".x.csv.md"));
  CHECK(after.properties == Json(Json::Object{{"k", "v"}}));
}

TEST_CASE("move keeps the id, sidecars follow, the commit says so") {
  Lab lab;
  auto& f = lab.files();
  auto a = Must(f.Create(lab.alice, lab.ref(), "notes/a.md", "# A"));
  WriteFile(lab.root() / "notes" / ".a.md.json", "{\"k\": 1}");
  Must(lab.codex().notebooks().Index(lab.alice, lab.ref()));
  auto moved = Must(f.Move(lab.alice, lab.ref(), a.id, "archive/b.md"));
  CHECK(moved.id == a.id);
  CHECK(moved.path == "archive/b.md");
  CHECK(moved.sidecar_path == std::optional<std::string>("archive/.b.md.json"));
  CHECK(sfs::exists(lab.root() / "archive" / ".b.md.json"));
  CHECK_FALSE(sfs::exists(lab.root() / "notes" / "a.md"));
  CHECK(LastMessage(lab, "archive/b.md") == "Move notes/a.md to archive/b.md");
  // Into a directory: keeps the name.
  sfs::create_directories(lab.root() / "box");
  CHECK(Must(f.Move(lab.alice, lab.ref(), a.id, "box/")).path == "box/b.md");
  CHECK(Must(f.Move(lab.alice, lab.ref(), a.id, "box")).path == "box/b.md");  // same path
  auto other = Must(f.Create(lab.alice, lab.ref(), "other.md", "x"));
  CHECK(f.Move(lab.alice, lab.ref(), other.id, "box/b.md").status().reason() == "path_exists");
  // A change of type is reflected.
  auto txt = Must(f.Create(lab.alice, lab.ref(), "t.txt", "# Heading"));
  CHECK(Must(f.Move(lab.alice, lab.ref(), txt.id, "t.md")).content_type == "text/markdown");
}

TEST_CASE("delete removes the file and its sidecars") {
  Lab lab;
  auto& f = lab.files();
  auto a = Must(f.Create(lab.alice, lab.ref(), "a.dat", "x"));
  WriteFile(lab.root() / "a.dat.json", "{}");
  WriteFile(lab.root() / ".a.dat.md", "---\n---\n");
  CODEX_REQUIRE_OK(f.Delete(lab.alice, lab.ref(), a.id));
  CHECK_FALSE(sfs::exists(lab.root() / "a.dat"));
  CHECK_FALSE(sfs::exists(lab.root() / "a.dat.json"));
  CHECK_FALSE(sfs::exists(lab.root() / ".a.dat.md"));
  CHECK(f.Get(lab.alice, lab.ref(), FileRef::ById(a.id)).status().code() == Code::kNotFound);
  CHECK(f.Delete(lab.alice, lab.ref(), a.id).code() == Code::kNotFound);
  CHECK(Must(f.List(lab.alice, lab.ref())).total == 0);
}

TEST_CASE("upload: any bytes, sniffed after writing, never committed when binary") {
  Lab lab;
  auto& f = lab.files();
  codex::UploadRequest up;
  up.filename = "C:\\Users\\me\\raw.bin";
  std::string bytes("\x00\x01\x02", 3);
  up.bytes = bytes;
  auto m = Must(f.Upload(lab.alice, lab.ref(), up));
  CHECK(m.path == "raw.bin");
  CHECK(m.content_type == "application/octet-stream");
  CHECK_FALSE(m.git_tracked);
  up.filename = "dir/readme";
  std::string text = "hello";
  up.bytes = text;
  auto t = Must(f.Upload(lab.alice, lab.ref(), up));
  CHECK(t.path == "readme");
  CHECK(t.content_type == "text/plain");
  CHECK(LastMessage(lab, "readme") == "Upload readme");
  up.filename = "";
  CHECK(f.Upload(lab.alice, lab.ref(), up).status().reason() == "no_filename");
}

TEST_CASE("hostile paths are refused by every operation that takes a path") {
  Lab lab;
  auto& f = lab.files();
  auto a = Must(f.Create(lab.alice, lab.ref(), "a.md", "x"));
  sfs::create_directories(lab.tmp().path() / "outside");
  WriteFile(lab.tmp().path() / "outside" / "secret.md", "secret");
  sfs::create_symlink(lab.tmp().path() / "outside", lab.root() / "out");
  sfs::create_symlink("/etc", lab.root() / "etc");
  const std::string hostile[] = {"../x.md",
                                 "../../etc/passwd",
                                 "/etc/passwd",
                                 ".codex/notebook.db",
                                 ".git/config",
                                 "d/.git/HEAD",
                                 std::string("a\0b", 3),
                                 "bad\xff.md",
                                 "",
                                 "out/secret.md",
                                 "out/new.md",
                                 "etc/passwd",
                                 std::string(300, 'x')};
  for (const auto& p : hostile) {
    INFO("path: " << p);
    auto denied = [](const codex::Status& s) {
      return s.code() == Code::kInvalidArgument || s.code() == Code::kPermissionDenied;
    };
    CHECK(denied(f.Create(lab.alice, lab.ref(), p, "x").status()));
    CHECK(denied(f.Get(lab.alice, lab.ref(), FileRef::ByPath(p)).status()) == !p.empty());
    CHECK(denied(f.ReadText(lab.alice, lab.ref(), FileRef::ByPath(p)).status()) == !p.empty());
    CHECK(denied(f.Move(lab.alice, lab.ref(), a.id, p).status()) == !p.empty());
    codex::UploadRequest up;
    up.path = p;
    up.filename = "f.bin";
    CHECK((denied(f.Upload(lab.alice, lab.ref(), up).status()) || p.empty()));
    if (!p.empty()) {
      CHECK(denied(lab.codex().folders().Get(lab.alice, lab.ref(), p).status()));
      CHECK(denied(lab.codex().folders().Delete(lab.alice, lab.ref(), p)));
    }
  }
  CHECK(ReadFile(lab.tmp().path() / "outside" / "secret.md") == "secret");
  CHECK_FALSE(sfs::exists(lab.tmp().path() / "outside" / "new.md"));
  CHECK_FALSE(sfs::exists(lab.tmp().path() / "x.md"));
  CHECK(Must(f.Get(lab.alice, lab.ref(), FileRef::ById(a.id))).path == "a.md");
}

TEST_CASE("folders: listing, properties in .metadata, recursive delete") {
  Lab lab;
  auto& f = lab.files();
  auto& folders = lab.codex().folders();
  Must(f.Create(lab.alice, lab.ref(), "proj/b.md", "# B"));
  Must(f.Create(lab.alice, lab.ref(), "proj/a.md", "# A"));
  Must(f.Create(lab.alice, lab.ref(), "proj/sub/c.md", "# C"));
  sfs::create_directories(lab.root() / "proj" / "Empty");
  sfs::create_directories(lab.root() / "proj" / ".hidden");
  auto dir = Must(folders.Get(lab.alice, lab.ref(), "proj"));
  CHECK(dir.name == "proj");
  CHECK(dir.file_count == 2);
  REQUIRE(dir.files.size() == 2);
  CHECK(dir.files[0].filename == "a.md");
  REQUIRE(dir.subfolders.size() == 2);
  CHECK(dir.subfolders[0].name == "Empty");
  CHECK(dir.subfolders[1].name == "sub");
  CHECK(dir.properties.is_null());
  auto info = Must(folders.SetProperties(lab.alice, lab.ref(), "proj",
                                         Json(Json::Object{{"title", "Project"}})));
  CHECK(info.title == std::optional<std::string>("Project"));
  CHECK(ReadFile(lab.root() / "proj" / ".metadata") == "---\ntitle: Project\n---");
  CHECK(LastMessage(lab, "proj/.metadata") == "Update folder properties: proj");
  CHECK(Must(f.List(lab.alice, lab.ref())).total == 3);  // .metadata is no file row
  CHECK(Must(folders.Get(lab.alice, lab.ref(), "")).subfolders.size() == 1);
  CHECK(folders.Get(lab.alice, lab.ref(), "nope").status().reason() == "folder_not_found");
  CHECK(folders.Get(lab.alice, lab.ref(), "proj/a.md").status().reason() == "not_a_folder");
  CHECK(folders.Delete(lab.alice, lab.ref(), "").reason() == "root_folder");
  CODEX_REQUIRE_OK(folders.Delete(lab.alice, lab.ref(), "proj/sub"));
  CHECK(sfs::exists(lab.root() / "proj"));
  CHECK_FALSE(sfs::exists(lab.root() / "proj" / "sub"));
  CHECK(Must(f.List(lab.alice, lab.ref())).total == 2);
  CHECK(LastMessage(lab, "proj/sub/c.md") == "Delete folder: proj/sub");
}
