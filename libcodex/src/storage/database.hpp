// SQLite databases: one writer connection (serialised) and a pool of readers, migrations run at
// open, statement caching, and SQLiteCpp exceptions turned into Status values.
// Private to storage/: only storage/*.cpp include this header (storage owns SQLiteCpp).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "codex/status.hpp"
#include "storage/read_cache.hpp"
#include "storage/schema.hpp"

namespace codex::storage {

// One SQLite connection with a cache of prepared statements. Not thread-safe: used by one
// thread at a time (the Database hands it out).
class Connection {
 public:
  explicit Connection(const std::string& path);
  SQLite::Database& db() noexcept { return db_; }
  // A prepared statement for `sql` (a string literal: cached by address), reset, bindings
  // cleared. Valid until the connection dies.
  SQLite::Statement& Prepare(const char* sql);
  void Exec(const char* sql) { db_.exec(sql); }
  // Resets every statement prepared since the last call, so that none holds a read snapshot
  // while idle.
  void ResetAll() noexcept;

 private:
  SQLite::Database db_;
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> cache_;
  std::vector<SQLite::Statement*> used_;  // prepared since the last ResetAll
};

// Maps an exception thrown by SQLiteCpp (or anything else) to a Status.
Status StatusFromException(const std::exception& e);

// A database file. Thread-safe. Writes are serialised in this process; other processes are
// waited for up to the busy timeout (5 s), then kUnavailable.
class Database {
 public:
  // Opens (creating) the file with WAL, foreign keys, busy_timeout 5000, synchronous NORMAL,
  // and applies pending migrations, each in its own transaction, tracked by PRAGMA
  // user_version. Errors: kUnavailable "schema_too_new" when the file was written by a newer
  // Codex; kIoError / kCorruption otherwise.
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const std::vector<Migration>& migrations);

  const std::string& path() const noexcept { return path_; }

  // Closes idle readers but one and frees the page cache of the writer and that reader
  // (sqlite3_db_release_memory): for a database that will be idle for a while.
  void ReleaseMemory();
  // Copies the write-ahead log into the database (PRAGMA wal_checkpoint(PASSIVE)) on a reader
  // connection, without waiting for or blocking the writer: run off the latency path, it keeps
  // the writer's automatic checkpoint (every 1,000 pages) from falling inside a write.
  Status Checkpoint();

  // Runs fn(Connection&) on a reader connection, inside one read transaction (one consistent
  // snapshot; one lock instead of one per statement). fn returns Status or Result<T>.
  template <class F>
  auto Read(F&& fn) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    std::unique_ptr<Connection> conn;
    try {
      conn = AcquireReader();
      conn->Prepare("BEGIN").exec();
      R result = fn(*conn);
      conn->ResetAll();
      conn->Prepare("COMMIT").exec();
      ReleaseReader(std::move(conn));
      return result;
    } catch (const std::exception& e) {
      if (conn) ReleaseReader(std::move(conn));
      return R(StatusFromException(e));
    }
  }

  // Runs fn(Connection&) on the writer inside BEGIN IMMEDIATE … COMMIT; rolls back when fn
  // returns an error or throws.
  template <class F>
  auto Write(F&& fn) -> std::invoke_result_t<F, Connection&> {
    using R = std::invoke_result_t<F, Connection&>;
    std::lock_guard<std::mutex> lock(write_mutex_);
    try {
      writer_->Exec("BEGIN IMMEDIATE");
    } catch (const std::exception& e) {
      return R(StatusFromException(e));
    }
    try {
      R result = fn(*writer_);
      if (!IsOk(result)) {
        Rollback();
        return result;
      }
      writer_->ResetAll();
      writer_->Exec("COMMIT");
      BumpWriteGeneration();
      return result;
    } catch (const std::exception& e) {
      Rollback();
      return R(StatusFromException(e));
    }
  }

 private:
  Database() = default;
  static bool IsOk(const Status& s) { return s.ok(); }
  template <class T>
  static bool IsOk(const Result<T>& r) {
    return r.ok();
  }
  void Rollback() noexcept;  // also resets the writer's statements
  std::unique_ptr<Connection> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);
  Status Migrate(const std::vector<Migration>& migrations);

  std::string path_;
  std::mutex write_mutex_;
  std::unique_ptr<Connection> writer_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> readers_;
};

}  // namespace codex::storage
