// The Database wrapper: readers and the writer used from many threads, memory released and the
// log checkpointed while they work.
#include "storage/database.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

using codex::Result;
using codex::Status;
using codex::storage::Connection;
using codex::storage::Database;
using codex::storage::Migration;
using codex::testing::TempDir;

namespace {

const std::vector<Migration> kMigrations = {
    {"0001_rows.sql", "CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"}};

Result<std::int64_t> CountRows(Database& db) {
  return db.Read([](Connection& c) -> Result<std::int64_t> {
    auto& st = c.Prepare("SELECT count(*) FROM rows");
    st.executeStep();
    return static_cast<std::int64_t>(st.getColumn(0).getInt64());
  });
}

}  // namespace

TEST_CASE("ReleaseMemory and Checkpoint while readers and the writer work lose nothing") {
  TempDir tmp;
  auto opened = Database::Open((tmp / "t.db").string(), kMigrations);
  REQUIRE(opened.ok());
  Database& db = **opened;
  constexpr int kWrites = 300;
  std::atomic<bool> done{false};
  std::atomic<int> read_errors{0};
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    for (int i = 0; i < kWrites; ++i) {
      Status s = db.Write([&](Connection& c) -> Status {
        auto& st = c.Prepare("INSERT INTO rows (body) VALUES (?)");
        st.bind(1, std::string(200, 'a' + i % 26));
        st.exec();
        return Status::Ok();
      });
      if (!s.ok()) read_errors++;
    }
    done = true;
  });
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&] {
      while (!done) {
        if (!CountRows(db).ok()) read_errors++;
      }
    });
  }
  threads.emplace_back([&] {
    while (!done) {
      db.ReleaseMemory();
      if (!db.Checkpoint().ok()) read_errors++;
    }
  });
  for (auto& t : threads) t.join();
  CHECK(read_errors == 0);
  db.ReleaseMemory();
  auto n = CountRows(db);
  REQUIRE(n.ok());
  CHECK(*n == kWrites);
}
