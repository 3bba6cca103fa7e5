// A notebook's index database (<notebook>/.codex/notebook.db, SEMANTICS §17.2): file rows,
// tags, links and the FTS5 table. Typed operations only; SQL stays in storage/. Thread-safe;
// writes are serialised (one writer per notebook).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "codex/files.hpp"
#include "codex/status.hpp"
#include "codex/tags.hpp"
#include "storage/read_cache.hpp"

namespace codex::storage {

class Database;
class Connection;

// Everything the indexer writes for one file.
struct FileRecord {
  FileMeta meta;                // id ignored
  std::string file_created_at;  // SEMANTICS §6.4: property "created", else birth time, else mtime
  std::string stat_sig;
  std::string fts_title;
  std::string fts_content;
  std::string fts_tags;
  std::vector<std::pair<std::string, std::string>> links;  // (target, "wiki" | "markdown")
  bool binary = false;  // a NUL in the first 8 KiB (not stored; decides git staging)
};

// What a full scan compares against the disk.
struct ScanRow {
  std::int64_t id = 0;
  std::string path;
  std::string stat_sig;
  std::string hash;
  bool git_tracked = false;
};

struct FileMove {
  std::int64_t id = 0;
  std::string path;
  std::string filename;
  std::string content_type;
  std::optional<std::string> sidecar_path;
  std::string stat_sig;
  std::string updated_at;
};

// Writes inside one transaction (see NotebookStore::Write).
class NotebookWriter {
 public:
  explicit NotebookWriter(Connection& conn) : conn_(conn) {}
  // New row; returns its id. The row's created_at/updated_at come from rec.meta.
  std::int64_t Insert(const FileRecord& rec);
  // Replaces row `id` (keeps its id and created_at).
  void Update(std::int64_t id, const FileRecord& rec);
  // Only the scan signature changed (the file was touched, nothing else).
  void UpdateStatSig(std::int64_t id, const std::string& stat_sig);
  void Delete(std::int64_t id);
  // In-place rename: same id, new path, filename, content type and sidecar.
  void Move(const FileMove& move);
  void SetCommit(std::int64_t id, bool git_tracked, const std::optional<std::string>& sha);
  std::optional<FileMeta> GetByPath(const std::string& path);
  std::optional<FileMeta> Get(std::int64_t id);

 private:
  void WriteDependents(std::int64_t id, const FileRecord& rec, bool is_new);
  std::int64_t TagId(const std::string& name, const std::string& now);
  Connection& conn_;
  std::unordered_map<std::string, std::int64_t> tag_ids_;  // valid for this transaction
};

struct FtsQuery {
  std::string match;              // FTS5 expression; empty = filters only
  std::string exclude;            // FTS5 expression removed from filter-only results
  std::vector<std::string> tags;  // all required
  std::function<bool(std::string_view path)> path_filter;  // null = every path
  std::int64_t top_n = 20;                                 // hits to return (offset + limit)
  bool want_snippets = true;
};

struct FtsHit {
  FileMeta file;
  // Full-text queries: the row's indexed title, content and tags, for the snippet. Filter-only
  // queries: the first 200 characters of the content in `content_head`.
  std::vector<std::string> columns;
  std::string content_head;
  double score = 0;
};

struct FtsPage {
  std::vector<FtsHit> hits;  // the top `top_n`, score desc then path
  std::int64_t total = 0;    // every match
};

// One row of the change log (schema/notebook/0002_change_log.sql).
struct LoggedChange {
  std::int64_t seq = 0;
  std::string origin;
  std::string kind;  // an event type name
  std::optional<std::int64_t> file_id;
  std::string path;
  std::optional<std::string> old_path;
};

class NotebookStore {
 public:
  // Opens (creating) the database file and migrates it.
  static Result<std::unique_ptr<NotebookStore>> Open(const std::string& path);
  ~NotebookStore();
  // Frees cached pages and idle connections (Database::ReleaseMemory).
  void ReleaseMemory();
  // Database::Checkpoint.
  Status Checkpoint();
  // One step of the full-text index's segment merging, done ahead of time: at most about
  // `pages` pages written (FTS5 'merge'), in a transaction of its own. Returns whether there was
  // merging to do. Run while the notebook is idle, it keeps that work out of the next write
  // (FTS5 otherwise merges inside whichever write fills a level: a slow write every few dozen).
  Result<bool> MergeSearchIndex(int pages);

  // By id: served from a ReadCache (≤ 1 s, dropped on any write in this process), the lookup of
  // every request on a file id.
  Result<std::optional<FileMeta>> Get(std::int64_t id);
  Result<std::optional<FileMeta>> GetByPath(std::string_view path);
  // The lowest-id row whose filename equals `filename`.
  Result<std::optional<FileMeta>> FirstByFilename(std::string_view filename);
  // Ordered by id; limit < 0 = all. `total` receives the row count.
  Result<std::vector<FileMeta>> List(std::int64_t skip, std::int64_t limit, std::int64_t* total);
  // Files directly in `folder` ("" = root), ordered by filename.
  Result<std::vector<FileMeta>> ListFolder(std::string_view folder, std::int64_t skip,
                                           std::int64_t limit, std::int64_t* total);
  // Every row (for dynamic-view queries).
  Result<std::vector<FileMeta>> All();
  Result<std::vector<ScanRow>> ScanRows();
  // Ids and paths of rows whose path lies under `folder/`.
  Result<std::vector<std::pair<std::int64_t, std::string>>> RowsUnder(std::string_view folder);

  // Rows carrying problems, by path.
  Result<std::vector<FileProblem>> Problems();

  Result<std::vector<Tag>> TagCounts();
  // nullopt when the notebook has no such tag row in use.
  Result<std::optional<Tag>> SetTagColor(std::string_view name,
                                         const std::optional<std::string>& color);

  Result<FtsPage> Search(const FtsQuery& query);

  // The change log: rows appended by every process that publishes changes of this notebook
  // (seq ignored; rows beyond the newest 10,000 are pruned), read back by the others.
  Status AppendChanges(const std::vector<LoggedChange>& changes);
  // At most `limit` rows after `seq`, oldest first.
  Result<std::vector<LoggedChange>> ChangesAfter(std::int64_t seq, std::int64_t limit);
  Result<std::int64_t> LastChangeSeq();

  // Runs fn(NotebookWriter&) in one transaction; rolled back when it returns an error.
  Status Write(const std::function<Status(NotebookWriter&)>& fn);

 private:
  explicit NotebookStore(std::unique_ptr<Database> db);
  std::unique_ptr<Database> db_;
  ReadCache<std::optional<FileMeta>> file_cache_{std::chrono::seconds(1)};
};

}  // namespace codex::storage
