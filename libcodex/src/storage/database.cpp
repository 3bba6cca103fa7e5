#include "storage/database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "common/time.hpp"
#include "storage/read_cache.hpp"

namespace codex::storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr std::size_t kMaxIdleReaders = 8;

void ApplyPragmas(SQLite::Database& db) {
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA temp_store = MEMORY");
  db.exec("PRAGMA cache_size = -16384");  // 16 MiB
}

}  // namespace

namespace {
std::atomic<std::uint64_t> g_write_generation{0};
}  // namespace

std::uint64_t WriteGeneration() noexcept { return g_write_generation.load(); }
void BumpWriteGeneration() noexcept { g_write_generation.fetch_add(1); }

Connection::Connection(const std::string& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          kBusyTimeoutMs) {
  // SQLite's allocation statistics take a global mutex on every malloc; nothing reads them.
  static const bool kConfigured = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == 0; }();
  (void)kConfigured;
  ApplyPragmas(db_);
}

SQLite::Statement& Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  } else {
    it->second->reset();
    it->second->clearBindings();
  }
  if (std::find(used_.begin(), used_.end(), it->second.get()) == used_.end()) {
    used_.push_back(it->second.get());
  }
  return *it->second;
}

void Connection::ResetAll() noexcept {
  for (SQLite::Statement* stmt : used_) {
    try {
      stmt->reset();
    } catch (...) {  // a failed statement reports its error again on reset; nothing to do
    }
  }
  used_.clear();
}

Status StatusFromException(const std::exception& e) {
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    int code = se->getErrorCode() & 0xFF;
    switch (code) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return Status::Unavailable("database_busy", std::string("database is busy: ") + se->what());
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return Status::Corruption(std::string("database is damaged: ") + se->what());
      case SQLITE_CONSTRAINT:
        return Status::Make(Code::kConflict, "constraint", se->what());
      case SQLITE_FULL:
      case SQLITE_IOERR:
      case SQLITE_CANTOPEN:
      case SQLITE_READONLY:
      case SQLITE_PERM:
        return Status::IoError(std::string("database I/O error: ") + se->what());
      default:
        return Status::Internal(std::string("database error: ") + se->what());
    }
  }
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return Status::Internal("out of memory");
  return Status::Internal(e.what());
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const std::vector<Migration>& migrations) {
  std::unique_ptr<Database> db(new Database());
  db->path_ = path;
  try {
    db->writer_ = std::make_unique<Connection>(path);
    // WAL is persistent in the file; setting it needs no transaction.
    db->writer_->Exec("PRAGMA journal_mode = WAL");
  } catch (const std::exception& e) {
    return StatusFromException(e);
  }
  Status migrated = db->Migrate(migrations);
  if (!migrated.ok()) return migrated;
  return db;
}

Status Database::Migrate(const std::vector<Migration>& migrations) {
  const int known = static_cast<int>(migrations.size());
  auto version_of = [](SQLite::Database& d) {
    return d.execAndGet("PRAGMA user_version").getInt();
  };
  try {
    if (version_of(writer_->db()) == known) return Status::Ok();
    std::lock_guard<std::mutex> lock(write_mutex_);
    while (true) {
      // Each migration in its own IMMEDIATE transaction: concurrent openers (other processes)
      // wait and then see the new version.
      writer_->Exec("BEGIN IMMEDIATE");
      int version = version_of(writer_->db());
      if (version > known) {
        writer_->Exec("ROLLBACK");
        return Status::Unavailable(
            "schema_too_new", "database " + path_ + " was written by a newer version of Codex " +
                                  "(schema " + std::to_string(version) + ", this build knows " +
                                  std::to_string(known) + "); upgrade Codex to open it");
      }
      if (version == known) {
        writer_->Exec("COMMIT");
        return Status::Ok();
      }
      const Migration& m = migrations[static_cast<std::size_t>(version)];
      try {
        writer_->Exec(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        writer_->db().exec(m.sql);
        SQLite::Statement record(writer_->db(),
                                 "INSERT INTO schema_version(version, name, applied_at) "
                                 "VALUES (?, ?, ?)");
        record.bind(1, version + 1);
        record.bind(2, m.name);
        record.bind(3, FormatTime(std::chrono::system_clock::now()));
        record.exec();
        writer_->db().exec("PRAGMA user_version = " + std::to_string(version + 1));
        writer_->Exec("COMMIT");
      } catch (...) {
        Rollback();
        throw;
      }
    }
  } catch (const std::exception& e) {
    Status s = StatusFromException(e);
    return Status::Make(s.code(), s.reason(), "migrating " + path_ + ": " + s.message());
  }
}

void Database::Rollback() noexcept {
  writer_->ResetAll();
  try {
    writer_->Exec("ROLLBACK");
  } catch (...) {  // nothing to roll back (the error ended the transaction already)
  }
}

void Database::ReleaseMemory() {
  {
    std::lock_guard<std::mutex> lock(write_mutex_);
    sqlite3_db_release_memory(writer_->db().getHandle());
  }
  std::lock_guard<std::mutex> lock(pool_mutex_);
  if (readers_.size() > 1) readers_.resize(1);
  for (auto& reader : readers_) sqlite3_db_release_memory(reader->db().getHandle());
}

Status Database::Checkpoint() {
  std::unique_ptr<Connection> conn;
  try {
    conn = AcquireReader();
    sqlite3_wal_checkpoint_v2(conn->db().getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
    ReleaseReader(std::move(conn));
    return Status::Ok();
  } catch (const std::exception& e) {
    if (conn) ReleaseReader(std::move(conn));
    return StatusFromException(e);
  }
}

std::unique_ptr<Connection> Database::AcquireReader() {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!readers_.empty()) {
      auto conn = std::move(readers_.back());
      readers_.pop_back();
      return conn;
    }
  }
  return std::make_unique<Connection>(path_);
}

void Database::ReleaseReader(std::unique_ptr<Connection> conn) {
  conn->ResetAll();
  if (!conn->db().getHandle() || sqlite3_get_autocommit(conn->db().getHandle()) == 0) {
    try {
      conn->Exec("ROLLBACK");
    } catch (...) {  // nothing open
    }
  }
  std::lock_guard<std::mutex> lock(pool_mutex_);
  if (readers_.size() < kMaxIdleReaders) readers_.push_back(std::move(conn));
}

}  // namespace codex::storage
