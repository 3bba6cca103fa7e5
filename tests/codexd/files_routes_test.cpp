// The file routes of a notebook over HTTP (CONTRACT §14): create, list, get, text, content,
// update, move, delete, links, templates, upload, history.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

using J = Json;
using O = Json::Object;
using Strings = std::vector<std::string>;
namespace fs = std::filesystem;

// `r` has `status` and a JSON body holding every member of `subset` (JSON text) with that value.
void ExpectLike(const HttpResponse& r, int status, std::string_view subset = "{}") {
  INFO(r.Describe());
  REQUIRE(r.status == status);
  auto want = Json::Parse(subset);
  REQUIRE(want.ok());
  if (want->as_object().empty()) return;
  Json got = r.json();
  for (const auto& [key, value] : want->as_object()) {
    INFO(key);
    CHECK(At(got, key) == value);
  }
}
std::string Str(const HttpResponse& r, std::string_view key) {
  return At(r.json(), key).as_string();
}
std::int64_t Id(const HttpResponse& r) { return At(r.json(), "id").as_int(); }
std::string Paths(const HttpResponse& r) {
  std::string out;
  const Json body = r.json();
  for (const auto& f : At(body, "files").as_array()) out += At(f, "path").as_string() + " ";
  return out;
}

struct Fixture {
  Daemon d;
  std::string token = d.AddUser("alice");
  HttpClient http = d.Client();
  NotebookFixture nb = AddNotebook(http, token, "Lab", "Notes");
  std::string files = nb.url + "/files";

  HttpResponse Create(const std::string& path, const std::string& content) {
    return http.Post(files + "/", J(O{{"path", path}, {"content", content}}), token);
  }
  std::int64_t CreateId(const std::string& path, const std::string& content) {
    auto r = Create(path, content);
    ExpectLike(r, 200);
    return Id(r);
  }
  HttpResponse Get(const std::string& tail, const HeaderList& headers = {}) {
    return http.Send("GET", files + tail, "", headers, token);
  }
  HttpResponse Send(const std::string& method, const std::string& tail, const Json& body,
                    HeaderList headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    return http.Send(method, files + tail, body.Dump(), headers, token);
  }
};

const std::string kAlpha = "---\ntitle: Alpha\ntags: [lab, Data]\n---\n\nBody with #inline words.";
const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)");

TEST_CASE("codexd files: create indexes synchronously and applies the unique-path rule",
          "[codexd][files]") {
  Fixture f;
  auto made = f.Create("notes/alpha.md", kAlpha);
  ExpectLike(made, 200, R"({"message": "File created successfully", "path": "notes/alpha.md",
      "filename": "alpha.md", "content_type": "text/markdown", "title": "Alpha", "size": 64,
      "hash": "976c1beec1866444fea9c24f3e36ca91ba3c8b06f004c76d9ca7d5d433c22fc4",
      "tags": ["data", "inline", "lab"], "properties": {"title": "Alpha", "tags": ["lab", "Data"]},
      "description": null, "file_type": null})");
  CHECK(std::regex_match(Str(made, "created_at"), kTime));
  // The next GET already sees the indexed row; the file is on disk.
  ExpectLike(f.Get("/" + std::to_string(Id(made))), 200, R"({"tags": ["data", "inline", "lab"]})");
  CHECK(ReadFile(f.nb.dir / "notes/alpha.md") == kAlpha);

  for (const auto& [path, first, second] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"x.md", "x.md", "x-1.md"},
           {"README", "README", "README-1"},
           {"a.tar.gz", "a.tar.gz", "a.tar-1.gz"},
           {"subdir/page.md", "subdir/page.md", "subdir/page-1.md"},
           {"./dots//y.txt", "dots/y.txt", "dots/y-1.txt"}}) {
    INFO(path);
    CHECK(Str(f.Create(path, "one"), "path") == first);
    CHECK(Str(f.Create(path, "two"), "path") == second);
    CHECK(ReadFile(f.nb.dir / first) == "one");
  }
  CHECK(Str(f.Create("x.md", "three"), "path") == "x-2.md");
  CHECK(Str(f.Create("subdir", "file"), "path") == "subdir-1");  // a directory is taken too
  for (const std::string bad : {"", ".", "a/..", ".metadata", "dir/.metadata", ".gitignore",
                                ".DS_Store", "src/__pycache__/m.py", "node_modules/x.js"}) {
    INFO(bad);
    ExpectLike(f.Create(bad, "x"), 400,
               R"({"code": "invalid_path", "detail": "Invalid file path"})");
  }
  auto missing = f.http.Post(f.files, J(O{{"path", "z.md"}}), f.token);
  ExpectLike(missing, 422, R"({"code": "validation_error"})");
  CHECK(At(At(missing.json(), "detail").as_array().at(0), "loc").Dump() == R"(["body","content"])");
  ExpectLike(f.http.Post(f.files, J(O{{"path", 5}, {"content", "x"}}), f.token), 422);
}

TEST_CASE("codexd files: list paginates by id; get by id, by path and by filename",
          "[codexd][files]") {
  Fixture f;
  std::vector<std::int64_t> ids;
  for (const std::string p : {"b.md", "dir/a.md", "dir/deeper/c.txt", "a.md"}) {
    ids.push_back(f.CreateId(p, "# " + p));
  }
  auto all = f.Get("/");
  ExpectLike(all, 200,
             R"({"pagination": {"skip": 0, "limit": 1000, "total": 4, "has_more": false}})");
  CHECK(Paths(all) == "b.md dir/a.md dir/deeper/c.txt a.md ");
  auto page = f.Get("?skip=1&limit=2");
  ExpectLike(page, 200, R"({"pagination": {"skip": 1, "limit": 2, "total": 4, "has_more": true}})");
  CHECK(Paths(page) == "dir/a.md dir/deeper/c.txt ");
  ExpectLike(f.Get("?skip=3&limit=-1"), 200,
             R"({"pagination": {"skip": 3, "limit": -1, "total": 4, "has_more": false}})");
  ExpectLike(f.Get("?skip=-1"), 422);
  ExpectLike(f.Get("?limit=ten"), 422);

  ExpectLike(f.Get("/" + std::to_string(ids[1])), 200,
             R"({"path": "dir/a.md", "title": "dir/a.md"})");
  for (const std::string p : {"dir/a.md", "dir%2Fa.md", "dir/./deeper/../a.md", "dir//a.md"}) {
    ExpectLike(f.Get("/path/" + p), 200, R"({"path": "dir/a.md"})");  // %2F acts as '/'
  }
  // Exact path first, then (no '/') the lowest-id row with that filename.
  CHECK(Id(f.Get("/path/a.md")) == ids[3]);
  ExpectLike(f.Get("/path/c.txt"), 200, R"({"path": "dir/deeper/c.txt"})");
  ExpectLike(f.Get("/path/deeper%2Fc.txt"), 404, R"({"code": "file_not_found"})");
  ExpectLike(f.Get("/999999"), 404, R"({"code": "file_not_found", "detail": "File not found"})");
  ExpectLike(f.Get("/path/nothing.md"), 404, R"({"code": "file_not_found"})");
}

TEST_CASE("codexd files: a non-integer {file_id} is 422 int_parsing", "[codexd][files]") {
  Fixture f;
  for (const auto& [method, tail] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/abc"},
                                                        {"GET", "/1x/text"},
                                                        {"GET", "/abc/content"},
                                                        {"PUT", "/abc"},
                                                        {"DELETE", "/abc"},
                                                        {"PATCH", "/abc/move"},
                                                        {"GET", "/abc/history"},
                                                        {"GET", "/abc/history/HEAD"},
                                                        {"GET", "/-/text"}}) {
    INFO(method << " " << tail);
    auto r = f.Send(method, tail, J(O{}));
    ExpectLike(r, 422);
    const Json e = At(r.json(), "detail").as_array().at(0);
    CHECK(At(e, "type").as_string() == "int_parsing");
    CHECK(At(e, "loc").Dump() == R"(["path","file_id"])");
  }
}

TEST_CASE("codexd files: text and raw content with ranges, validators and safe headers",
          "[codexd][files]") {
  Fixture f;
  std::int64_t md = f.CreateId("notes/alpha.md", kAlpha);
  std::int64_t txt = f.CreateId("data.txt", "0123456789abcdefghij");
  ExpectLike(f.Get("/path/notes/alpha.md/text"), 200, R"({"content": "Body with #inline words."})");
  ExpectLike(f.Get("/" + std::to_string(md) + "/text"), 200,
             R"({"content": "Body with #inline words."})");
  ExpectLike(f.Get("/path/data.txt/text"), 200, R"({"content": "0123456789abcdefghij"})");
  // /text reads from disk: an unindexed file is readable, a missing one is 404.
  WriteFile(f.nb.dir / "raw.json", "{\"k\": 1}");
  ExpectLike(f.Get("/path/raw.json/text"), 200, R"({"content": "{\"k\": 1}"})");
  ExpectLike(f.Get("/path/none.txt/text"), 404, R"({"code": "file_not_found"})");
  ExpectLike(f.Get("/path/notes/text"), 404, R"({"code": "file_not_found"})");  // a directory
  auto up = f.http.Upload(f.files + "/upload", "blob.bin", std::string("ab\0cd", 5), {}, f.token);
  ExpectLike(f.Get("/" + std::to_string(Id(up)) + "/text"), 400,
             R"({"code": "not_text", "detail": "File is not a text file"})");

  const std::string content = "/" + std::to_string(txt) + "/content";
  auto whole = f.Get(content);
  REQUIRE(whole.status == 200);
  CHECK(whole.body == "0123456789abcdefghij");
  const std::string etag = "\"6bc14bdc4517a7a682c6910de2e2946eb8e1ecd04090728fef6d092a7ceb62c5\"";
  for (const auto& [name, value] : HeaderList{
           {"Content-Type", "text/plain; charset=utf-8"},
           {"Content-Disposition", "attachment; filename=\"data.txt\"; filename*=UTF-8''data.txt"},
           {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox"},
           {"Accept-Ranges", "bytes"},
           {"Cache-Control", "private, no-cache"},
           {"X-Content-Type-Options", "nosniff"},
           {"ETag", etag}}) {
    CHECK(whole.Header(name).value_or("") == value);
  }
  REQUIRE(whole.Header("Last-Modified"));
  CHECK(f.Get("/path/data.txt/content").body == whole.body);
  auto head = f.http.Send("HEAD", f.files + content, "", {}, f.token);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.Header("ETag").value_or("") == etag);

  for (const auto& [range, body, content_range] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"bytes=2-5", "2345", "bytes 2-5/20"},
           {"bytes=15-", "fghij", "bytes 15-19/20"},
           {"bytes=-3", "hij", "bytes 17-19/20"},
           {"bytes=18-99", "ij", "bytes 18-19/20"},
           {"bytes=0-0", "0", "bytes 0-0/20"}}) {
    INFO(range);
    auto r = f.Get(content, {{"Range", range}});
    CHECK(r.status == 206);
    CHECK(r.body == body);
    CHECK(r.Header("Content-Range").value_or("") == content_range);
  }
  for (const std::string bad : {"bytes=20-", "bytes=30-40", "bytes=5-2", "bytes=-0"}) {
    INFO(bad);
    auto r = f.Get(content, {{"Range", bad}});
    ExpectLike(r, 416,
               R"({"code": "range_not_satisfiable", "detail": "Requested range not satisfiable"})");
    CHECK(r.Header("Content-Range").value_or("") == "bytes */20");
  }
  auto cached = f.Get(content, {{"If-None-Match", etag}});
  CHECK(cached.status == 304);
  CHECK(cached.body.empty());
  CHECK(f.Get(content, {{"If-None-Match", "\"other\""}}).status == 200);
  CHECK(f.Get(content, {{"If-Modified-Since", *whole.Header("Last-Modified")}}).status == 304);

  // Quotes and non-ASCII characters of the name become one '_' each in the plain parameter.
  f.CreateId("na\xc3\xafve \"q\".txt", "x");
  CHECK(
      f.Get("/path/na%C3%AFve%20%22q%22.txt/content").Header("Content-Disposition").value_or("") ==
      "attachment; filename=\"na_ve _q_.txt\"; filename*=UTF-8''na%C3%AFve%20%22q%22.txt");
  ExpectLike(f.Get("/path/none.txt/content"), 404, R"({"detail": "File not found: none.txt"})");
  ExpectLike(f.Get("/424242/content"), 404, R"({"code": "file_not_found"})");
}

TEST_CASE("codexd files: PUT rewrites content and properties, If-Match guards it",
          "[codexd][files]") {
  Fixture f;
  const std::string url = "/" + std::to_string(f.CreateId("notes/alpha.md", kAlpha));
  const fs::path file = f.nb.dir / "notes/alpha.md";
  // A body saved without frontmatter keeps the file's block.
  ExpectLike(f.Send("PUT", url, J(O{{"content", "New body #fresh"}})), 200,
             R"({"message": "File updated successfully", "title": "Alpha",
             "tags": ["data", "fresh", "lab"]})");
  CHECK(ReadFile(file) == "---\ntitle: Alpha\ntags: [lab, Data]\n---\n\nNew body #fresh");
  // Properties replace the frontmatter; the response echoes what was stored.
  auto props =
      f.Send("PUT", url, J(O{{"properties", J(O{{"title", "Beta"}, {"status", "done"}})}}));
  ExpectLike(props, 200, R"({"title": "Beta", "properties": {"status": "done", "title": "Beta"},
                         "tags": ["fresh"]})");
  CHECK(ReadFile(file) == "---\nstatus: done\ntitle: Beta\n---\n\nNew body #fresh");
  // A leading block inside `content` gives way to `properties`.
  ExpectLike(f.Send("PUT", url,
                    J(O{{"content", "---\ntitle: Lost\n---\nText"},
                        {"properties", J(O{{"title", "Kept"}})}})),
             200, R"({"title": "Kept", "properties": {"title": "Kept"}})");
  CHECK(ReadFile(file) == "---\ntitle: Kept\n---\n\nText");
  const std::string hash = Str(f.Get(url), "hash");

  ExpectLike(f.Send("PUT", url, J(O{{"content", "lost"}}), {{"If-Match", "\"0000\""}}), 412,
             R"({"code": "precondition_failed", "detail": "File has changed"})");
  CHECK(ReadFile(file).find("lost") == std::string::npos);
  auto fresh = f.Send("PUT", url, J(O{{"content", "kept"}}), {{"If-Match", "\"" + hash + "\""}});
  ExpectLike(fresh, 200);
  ExpectLike(f.Get(url + "/text"), 200, R"({"content": "kept"})");
  ExpectLike(f.Send("PUT", url, J(O{})), 200, "{\"hash\": \"" + Str(fresh, "hash") + "\"}");

  // A file without frontmatter keeps its properties in a dot JSON sidecar.
  std::int64_t csv = f.CreateId("table.csv", "a,b\n1,2\n");
  ExpectLike(
      f.Send("PUT", "/" + std::to_string(csv), J(O{{"properties", J(O{{"title", "Table"}})}})), 200,
      R"({"title": "Table", "content_type": "text/csv"})");
  CHECK(ReadFile(f.nb.dir / ".table.csv.json") == "{\n  \"title\": \"Table\"\n}");
  CHECK(ReadFile(f.nb.dir / "table.csv") == "a,b\n1,2\n");
  ExpectLike(f.Send("PUT", "/999", J(O{{"content", "x"}})), 404, R"({"code": "file_not_found"})");
  ExpectLike(f.Send("PUT", url, J(O{{"properties", "nope"}})), 422);
}

TEST_CASE("codexd files: move keeps the id and its sidecars; delete removes everything",
          "[codexd][files]") {
  Fixture f;
  std::int64_t id = f.CreateId("notes/a.md", "# A");
  std::int64_t csv = f.CreateId("t.csv", "x");
  f.CreateId("archive/taken.md", "taken");
  ExpectLike(f.Send("PUT", "/" + std::to_string(csv), J(O{{"properties", J(O{{"k", 1}})}})), 200);
  auto move = [&](std::int64_t which, const std::string& to) {
    return f.Send("PATCH", "/" + std::to_string(which) + "/move", J(O{{"new_path", to}}));
  };
  auto moved = move(id, "archive/b.md");
  ExpectLike(moved, 200, R"({"message": "File moved successfully", "path": "archive/b.md",
                         "filename": "b.md", "title": "A"})");
  CHECK(Id(moved) == id);
  CHECK(!fs::exists(f.nb.dir / "notes/a.md"));
  CHECK(ReadFile(f.nb.dir / "archive/b.md") == "# A");
  CHECK(Id(f.Get("/path/archive/b.md")) == id);
  ExpectLike(move(id, "archive/b.md"), 200, R"({"path": "archive/b.md"})");  // same path: no change
  ExpectLike(move(id, "archive/taken.md"), 400,
             R"({"code": "path_exists", "detail": "Target path already exists"})");
  CHECK(ReadFile(f.nb.dir / "archive/taken.md") == "taken");
  // A trailing '/' or an existing directory means "into that directory".
  ExpectLike(move(id, "notes/"), 200, R"({"path": "notes/b.md"})");
  ExpectLike(move(id, "archive"), 200, R"({"path": "archive/b.md"})");
  ExpectLike(move(id, ".metadata"), 400, R"({"code": "invalid_path"})");
  auto typed = move(csv, "data/renamed.txt");
  ExpectLike(typed, 200, R"({"content_type": "text/plain", "properties": {"k": 1}})");
  CHECK(Id(typed) == csv);
  CHECK(fs::exists(f.nb.dir / "data/.renamed.txt.json"));
  CHECK(!fs::exists(f.nb.dir / ".t.csv.json"));
  ExpectLike(move(4242, "z.md"), 404, R"({"code": "file_not_found"})");

  auto del = f.http.Delete(f.files + "/" + std::to_string(csv), f.token);
  ExpectLike(del, 200);
  CHECK(del.body == R"({"message":"File deleted successfully"})");
  CHECK(!fs::exists(f.nb.dir / "data/renamed.txt"));
  CHECK(!fs::exists(f.nb.dir / "data/.renamed.txt.json"));
  ExpectLike(f.Get("/" + std::to_string(csv)), 404);
  ExpectLike(f.http.Delete(f.files + "/" + std::to_string(csv), f.token), 404,
             R"({"code": "file_not_found"})");
}

TEST_CASE("codexd files: resolve-link joins ./ ../ and bare names to the current file",
          "[codexd][files]") {
  Fixture f;
  for (const std::string p : {"notes/day/a.md", "notes/day/b.md", "notes/b.md", "b.md", "refs/b.md",
                              "notes/day/img/x.png"}) {
    f.CreateId(p, "x");
  }
  auto resolve = [&](const std::string& link, std::optional<std::string> current) {
    O body{{"link", link}};
    if (current) body.set("current_file_path", *current);
    return f.Send("POST", "/resolve-link", J(std::move(body)));
  };
  const std::string cur = "notes/day/a.md";
  for (const auto& [link, path] :
       std::vector<std::pair<std::string, std::string>>{{"b.md", "notes/day/b.md"},
                                                        {"./img/x.png", "notes/day/img/x.png"},
                                                        {"../b.md", "notes/b.md"},
                                                        {"/b.md", "b.md"},
                                                        {"refs/b.md", "refs/b.md"},
                                                        {"b.md#sec?x=1", "notes/day/b.md"},
                                                        {"", "notes/day/a.md"},
                                                        {"./img/x%2Epng", "notes/day/img/x.png"}}) {
    INFO(link);
    ExpectLike(resolve(link, cur), 200,
               "{\"path\": \"" + path + "\", \"resolved_path\": \"" + path + "\"}");
  }
  // At the root, then the filename fallback.
  ExpectLike(resolve("a.md", std::nullopt), 200,
             R"({"path": "notes/day/a.md", "resolved_path": "a.md"})");
  for (const auto& [link, current, status, detail] :
       std::vector<std::tuple<std::string, std::optional<std::string>, int, std::string>>{
           {"../../../x", cur, 400, "Link resolves outside notebook: ../../../x"},
           {"./b.md", std::nullopt, 400, "Relative link requires current file context"},
           {"", std::nullopt, 400, "Empty link with no current file context"},
           {"missing.md", cur, 404, "File not found: notes/day/missing.md"},
           {".git/config", cur, 400, "Invalid link path: .git/config"},
           {"b.md", "/abs.md", 400, "Invalid link path: /abs.md"}}) {
    INFO(link);
    ExpectLike(resolve(link, current), status,
               J(O{{"detail", detail}, {"code", status == 400 ? "invalid_link" : "file_not_found"}})
                   .Dump());
  }
  ExpectLike(f.Send("POST", "/resolve-link", J(O{})), 422);
}

TEST_CASE("codexd files: notebook templates are listed and instantiated", "[codexd][files]") {
  Fixture f;
  f.CreateId(".templates/daily.md",
             "---\ntype: template\nname: Daily\ndefault_name: '{title}-note.md'\n---\n"
             "---\nstatus: draft\n---\n# {title}\n\nNotes.");
  f.CreateId(".templates/plain.md", "no frontmatter, not a template");
  auto list = f.Get("/templates");
  ExpectLike(list, 200);
  const Json::Array templates = At(list.json(), "templates").as_array();
  REQUIRE(templates.size() == 1);
  const std::string shown = J(templates[0]).Dump();  // keys in the contract's order
  CHECK(shown.rfind(R"({"id":"daily","name":"Daily","description":"","icon":"📄",)"
                    R"("file_extension":".md","default_name":"{title}-note.md","content":)",
                    0) == 0);
  CHECK(At(templates[0], "source").as_string() == "notebook");

  auto use = [&](O body) { return f.Send("POST", "/from-template", J(std::move(body))); };
  auto named = use(O{{"template_id", "daily"}, {"filename", "log/standup"}});
  ExpectLike(named, 200, R"({"message": "File created successfully from template",
      "path": "log/standup.md", "title": "log/standup", "properties": {"status": "draft"}})");
  CHECK(ReadFile(f.nb.dir / "log/standup.md").find("# log/standup\n\nNotes.") != std::string::npos);
  auto history = f.Get("/" + std::to_string(Id(named)) + "/history");
  CHECK(At(At(history.json(), "history").as_array().at(0), "message").as_string() ==
        "Create log/standup.md from template daily");
  ExpectLike(use(O{{"template_id", "daily"}}), 200, R"({"path": "untitled-note.md"})");
  ExpectLike(use(O{{"template_id", "daily"}, {"filename", nullptr}}), 200,
             R"({"path": "untitled-note-1.md"})");
  ExpectLike(use(O{{"template_id", "nope"}}), 404,
             R"({"code": "template_not_found", "detail": "Template not found: nope"})");
  ExpectLike(use(O{{"filename", "x.md"}}), 422);
}

TEST_CASE("codexd files: upload streams multipart files into the notebook", "[codexd][files]") {
  Fixture f;
  const std::string url = f.files + "/upload";
  auto bin = f.http.Upload(url, "blob.dat", std::string("\x89X\0\x01", 4), {}, f.token);
  // The type is sniffed from the written bytes.
  ExpectLike(bin, 200, R"({"message": "File uploaded successfully", "path": "blob.dat", "size": 4,
                       "content_type": "application/octet-stream"})");
  CHECK(ReadFile(f.nb.dir / "blob.dat") == std::string("\x89X\0\x01", 4));
  ExpectLike(f.http.Upload(url, "blob.dat", "again", {}, f.token), 200,
             R"({"path": "blob-1.dat"})");
  auto placed =
      f.http.Upload(url, "ignored.txt", "# Placed", {{"path", "docs/placed.md"}}, f.token);
  ExpectLike(placed, 200, R"({"path": "docs/placed.md", "title": "Placed"})");
  auto history = f.Get("/" + std::to_string(Id(placed)) + "/history");
  CHECK(At(At(history.json(), "history").as_array().at(0), "message").as_string() ==
        "Upload placed.md");
  // Only the basename of the part's filename is used.
  ExpectLike(f.http.Upload(url, "C:\\Users\\me\\win.txt", "w", {}, f.token), 200,
             R"({"path": "win.txt"})");
  ExpectLike(f.http.Upload(url, "some/dir/unix.txt", "u", {}, f.token), 200,
             R"({"path": "unix.txt"})");
  ExpectLike(f.http.Upload(url, "empty", "", {}, f.token), 200,
             R"({"content_type": "text/plain"})");
  ExpectLike(f.http.Upload(url, "", "x", {}, f.token), 400,
             R"({"code": "no_filename", "detail": "No filename provided"})");
  auto no_file = f.http.Send("POST", url,
                             "--b0undary\r\nContent-Disposition: form-data; "
                             "name=\"path\"\r\n\r\na.txt\r\n--b0undary--\r\n",
                             {{"Content-Type", "multipart/form-data; boundary=b0undary"}}, f.token);
  ExpectLike(no_file, 422);
  CHECK(no_file.body.find(R"({"type":"missing","loc":["body","file"])") != std::string::npos);

  Daemon small(DaemonOptions{{{"CODEX_MAX_UPLOAD_BYTES", "2048"}}, {}});
  auto http = small.Client();
  std::string token = small.AddUser("bob");
  auto nb = AddNotebook(http, token, "W", "N");
  ExpectLike(http.Upload(nb.url + "/files/upload", "big.bin", std::string(8192, 'x'), {}, token),
             413, R"({"code": "payload_too_large"})");
  CHECK(!fs::exists(nb.dir / "big.bin"));
  ExpectLike(http.Upload(nb.url + "/files/upload", "ok.bin", "fits", {}, token), 200);
  // A chunked body without Content-Length is cut off while streaming.
  std::string chunk =
      "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"chunked.bin\"\r\n\r\n" +
      std::string(4000, 'y');
  std::string raw = "POST " + nb.url +
                    "/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Authorization: Bearer " +
                    token +
                    "\r\n"
                    "Content-Type: multipart/form-data; boundary=b0undary\r\n"
                    "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  std::ostringstream size;
  size << std::hex << chunk.size();
  for (int i = 0; i < 4; ++i) raw += size.str() + "\r\n" + chunk + "\r\n";
  CHECK(RawExchange(small.port(), raw + "0\r\n\r\n").rfind("HTTP/1.1 413", 0) == 0);
  CHECK(!fs::exists(nb.dir / "chunked.bin"));
}

TEST_CASE(
    "codexd files: a sidecar written by create, upload or template answers with its main "
    "file",
    "[codexd][files]") {
  Fixture f;
  std::int64_t main = f.CreateId("data.csv", "a,b");
  auto created = f.Create("data.csv.json", R"({"title": "Created"})");
  ExpectLike(created, 200, R"({"path": "data.csv", "title": "Created"})");
  CHECK(Id(created) == main);
  // data.csv.json exists (not as a row): the next free name is data.csv-1.json, an orphan.
  ExpectLike(f.http.Upload(f.files + "/upload", "data.csv.json", "{}", {}, f.token), 200,
             R"({"path": "data.csv-1.json"})");
  std::int64_t log = f.CreateId("log", "plain");
  f.CreateId(".templates/t.md", "---\ntype: template\n---\n---\ntitle: From template\n---\n");
  auto templated =
      f.Send("POST", "/from-template", J(O{{"template_id", "t"}, {"filename", "log"}}));
  ExpectLike(templated, 200,
             R"({"path": "log", "title": "From template"})");  // log.md: log's sidecar
  CHECK(Id(templated) == log);
  auto side = f.http.Upload(f.files + "/upload", "x", "{}", {{"path", ".log.json"}}, f.token);
  ExpectLike(side, 200, R"({"path": "log"})");
  CHECK(Id(side) == log);
}

TEST_CASE("codexd files: history lists commits newest first; a file at each commit",
          "[codexd][files]") {
  Fixture f;
  std::int64_t id = f.CreateId("notes/log.md", "v1");
  const std::string url = "/" + std::to_string(id);
  ExpectLike(f.Send("PUT", url, J(O{{"content", "v2"}})), 200);
  ExpectLike(f.Send("PUT", url, J(O{{"content", "v3"}})), 200);
  ExpectLike(f.Send("PATCH", url + "/move", J(O{{"new_path", "log.md"}})), 200);

  auto h = f.Get(url + "/history");
  ExpectLike(h, 200, "{\"file_id\": " + std::to_string(id) + ", \"path\": \"log.md\"}");
  const Json::Array entries = At(h.json(), "history").as_array();
  Strings messages;
  for (const auto& e : entries) {
    messages.push_back(At(e, "message").as_string());
    CHECK(std::regex_match(At(e, "hash").as_string(), std::regex("[0-9a-f]{40}")));
    CHECK(At(e, "author").as_string() == "alice");
    CHECK(std::regex_match(At(e, "date").as_string(), kTime));
    CHECK(At(e, "date").as_string().find(".000000Z") != std::string::npos);
  }
  CHECK(messages ==
        Strings{"Move notes/log.md to log.md", "Update log.md", "Update log.md", "Create log.md"});
  REQUIRE(entries.size() == 4);
  // The blob of the file's current path at a commit.
  const std::string move_hash = At(entries[0], "hash").as_string();
  ExpectLike(
      f.Get(url + "/history/" + move_hash), 200,
      J(O{{"file_id", id}, {"path", "log.md"}, {"commit_hash", move_hash}, {"content", "v3"}})
          .Dump());
  ExpectLike(f.Get(url + "/history/HEAD"), 200, R"({"commit_hash": "HEAD", "content": "v3"})");
  // log.md did not exist before the move.
  ExpectLike(f.Get(url + "/history/" + At(entries[1], "hash").as_string()), 404,
             R"({"code": "file_not_found", "detail": "File not found at this commit"})");
  ExpectLike(f.Get(url + "/history/deadbeef"), 404,
             R"({"detail": "File not found at this commit"})");
  CHECK(At(f.Get(url + "/history?max_count=1").json(), "history").as_array().size() == 1);
  ExpectLike(f.Get(url + "/history?max_count=0"), 422);
  ExpectLike(f.Get(url + "/history?max_count=101"), 422);
  ExpectLike(f.Get("/777/history"), 404, R"({"code": "file_not_found"})");
}

}  // namespace
}  // namespace codex::testing
