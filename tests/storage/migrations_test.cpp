// Migrations: applied once each, tracked by PRAGMA user_version; newer databases refused.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>

#include "storage/notebook_store.hpp"
#include "storage/schema.hpp"
#include "storage/system_store.hpp"
#include "support/temp_dir.hpp"

using codex::testing::TempDir;

namespace {

int UserVersion(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  sqlite3_step(st);
  int v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

void SetUserVersion(const std::string& path, int v) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, ("PRAGMA user_version = " + std::to_string(v)).c_str(), nullptr, nullptr,
               nullptr);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("system database: migrated on open, idempotent, newer versions refused") {
  TempDir tmp;
  std::string path = (tmp / "codex_system.db").string();
  const int known = static_cast<int>(codex::storage::system_migrations().size());
  REQUIRE(known >= 1);
  {
    auto store = codex::storage::SystemStore::Open(path);
    REQUIRE(store.ok());
    CHECK((*store)->ListUsers().ok());
  }
  CHECK(UserVersion(path) == known);
  REQUIRE(codex::storage::SystemStore::Open(path).ok());  // again: nothing to do
  CHECK(UserVersion(path) == known);

  SetUserVersion(path, known + 1);
  auto refused = codex::storage::SystemStore::Open(path);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == codex::Code::kUnavailable);
  CHECK(refused.status().reason() == "schema_too_new");
  CHECK(refused.status().message().find("newer version of Codex") != std::string::npos);
}

TEST_CASE("notebook database: migrated on open; not a database is an error, not a crash") {
  TempDir tmp;
  std::string path = (tmp / "notebook.db").string();
  REQUIRE(codex::storage::NotebookStore::Open(path).ok());
  CHECK(UserVersion(path) == static_cast<int>(codex::storage::notebook_migrations().size()));
  codex::testing::WriteFile(tmp / "garbage.db", std::string(4096, 'x'));
  auto bad = codex::storage::NotebookStore::Open((tmp / "garbage.db").string());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == codex::Code::kCorruption);
}

TEST_CASE("notebook store: rows, tags with colours, search") {
  TempDir tmp;
  auto store = std::move(*codex::storage::NotebookStore::Open((tmp / "nb.db").string()));
  auto record = [](std::string path, std::vector<std::string> tags, std::string text) {
    codex::storage::FileRecord r;
    r.meta.notebook_id = 1;
    r.meta.path = path;
    r.meta.filename = path;
    r.meta.content_type = "text/markdown";
    r.meta.hash = "h-" + path;
    r.meta.created_at = r.meta.updated_at = r.meta.file_modified_at = "2026-01-01T00:00:00.000000Z";
    r.meta.tags = tags;
    r.fts_title = path;
    r.fts_content = std::move(text);
    for (const auto& t : tags) r.fts_tags += t + " ";
    return r;
  };
  REQUIRE(store
              ->Write([&](codex::storage::NotebookWriter& w) {
                w.Insert(record("a.md", {"x", "y"}, "alpha beta"));
                w.Insert(record("b.md", {"y"}, "beta gamma"));
                return codex::Status::Ok();
              })
              .ok());
  auto tags = std::move(*store->TagCounts());
  REQUIRE(tags.size() == 2);
  CHECK(tags[1].name == "y");
  CHECK(tags[1].count == 2);
  auto colored = std::move(*store->SetTagColor("y", std::string("#aabbcc")));
  REQUIRE(colored.has_value());
  CHECK(colored->color == std::optional<std::string>("#aabbcc"));
  CHECK_FALSE(store->SetTagColor("nope", std::nullopt)->has_value());
  codex::storage::FtsQuery q;
  q.match = "\"beta\"";
  auto page = std::move(*store->Search(q));
  CHECK(page.total == 2);
  q.tags = {"x"};
  CHECK(store->Search(q)->total == 1);
  q.tags.clear();
  q.path_filter = [](std::string_view p) { return p == "b.md"; };
  auto filtered = std::move(*store->Search(q));
  REQUIRE(filtered.total == 1);
  CHECK(filtered.hits[0].file.path == "b.md");
  // Deleting the rows keeps the tag (and its colour) for later use.
  REQUIRE(store
              ->Write([&](codex::storage::NotebookWriter& w) {
                w.Delete(w.GetByPath("a.md")->id);
                w.Delete(w.GetByPath("b.md")->id);
                return codex::Status::Ok();
              })
              .ok());
  CHECK(store->TagCounts()->empty());
  CHECK(store->Search(q)->total == 0);
}
