// The full-text index merged ahead of time (NotebookStore::MergeSearchIndex): steps that report
// work while segments are left, then none, and searches that find the same rows before, during
// and after.
#include <catch2/catch.hpp>
#include <string>

#include "storage/notebook_store.hpp"
#include "support/temp_dir.hpp"

using codex::Status;
using codex::storage::FileRecord;
using codex::storage::FtsQuery;
using codex::storage::NotebookStore;
using codex::storage::NotebookWriter;
using codex::testing::TempDir;

namespace {

FileRecord Note(int i, const std::string& word) {
  FileRecord rec;
  rec.meta.path = "notes/n" + std::to_string(i) + ".md";
  rec.meta.filename = "n" + std::to_string(i) + ".md";
  rec.meta.content_type = "text/markdown";
  rec.meta.hash = std::to_string(i);
  rec.meta.created_at = rec.meta.updated_at = rec.meta.file_modified_at = "2026-11-22T10:00:00Z";
  rec.file_created_at = rec.meta.created_at;
  rec.fts_title = "Note " + std::to_string(i);
  rec.fts_content = word + " sample " + std::to_string(i) + " measured at 20 C";
  return rec;
}

std::int64_t Matches(NotebookStore& store, const std::string& match) {
  FtsQuery q;
  q.match = match;
  q.want_snippets = false;
  auto page = store.Search(q);
  REQUIRE(page.ok());
  return page->total;
}

// Steps until one reports nothing left; the number of steps that did work.
int MergeAll(NotebookStore& store) {
  int worked = 0;
  for (int step = 0; step < 10000; ++step) {
    auto merged = store.MergeSearchIndex(16);
    REQUIRE(merged.ok());
    if (!*merged) return worked;
    ++worked;
  }
  FAIL("MergeSearchIndex never ran out of work");
  return worked;
}

}  // namespace

TEST_CASE("MergeSearchIndex merges what one-row writes left, then reports nothing to do") {
  TempDir tmp;
  auto opened = NotebookStore::Open((tmp / "index.db").string());
  REQUIRE(opened.ok());
  NotebookStore& store = **opened;

  SECTION("an empty index has nothing to merge") { CHECK(MergeAll(store) == 0); }

  SECTION("200 notes written one per transaction, then half of them rewritten") {
    constexpr int kNotes = 200;
    for (int i = 0; i < kNotes; ++i) {
      REQUIRE(store
                  .Write([&](NotebookWriter& w) -> Status {
                    w.Insert(Note(i, "alpha"));
                    return Status::Ok();
                  })
                  .ok());
    }
    CHECK(Matches(store, "alpha") == kNotes);
    CHECK(MergeAll(store) > 0);
    CHECK(Matches(store, "alpha") == kNotes);
    CHECK(MergeAll(store) == 0);  // nothing comes back by itself

    for (int i = 0; i < kNotes; i += 2) {
      REQUIRE(store
                  .Write([&](NotebookWriter& w) -> Status {
                    auto row = w.GetByPath(Note(i, "").meta.path);
                    REQUIRE(row.has_value());
                    w.Update(row->id, Note(i, "beta"));
                    return Status::Ok();
                  })
                  .ok());
      if (i % 20 == 0) {
        // A step between writes changes no result.
        REQUIRE(store.MergeSearchIndex(16).ok());
        CHECK(Matches(store, "alpha OR beta") == kNotes);
      }
    }
    CHECK(MergeAll(store) > 0);
    CHECK(Matches(store, "alpha") == kNotes / 2);
    CHECK(Matches(store, "beta") == kNotes / 2);
    CHECK(Matches(store, "sample") == kNotes);
  }
}
