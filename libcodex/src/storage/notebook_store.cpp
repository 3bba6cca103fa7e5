#include "storage/notebook_store.hpp"

#include <sqlite3.h>

#include <algorithm>

#include "codex/json.hpp"
#include "common/strings.hpp"
#include "storage/database.hpp"

namespace codex::storage {
namespace {

// Columns of FileMeta, then the tags (joined by U+001F) of the row.
#define CODEX_FILE_COLUMNS                                                                    \
  "f.id, f.notebook_id, f.path, f.filename, f.content_type, f.size, f.hash, f.title, "        \
  "f.description, f.file_type, f.properties, f.created_at, f.updated_at, "                    \
  "f.file_modified_at, f.sidecar_path, f.git_tracked, f.last_commit_hash, f.problems, "       \
  "(SELECT group_concat(t.name, char(31)) FROM file_tags ft JOIN tags t ON t.id = ft.tag_id " \
  "WHERE ft.file_id = f.id)"
#define CODEX_FILE_SELECT "SELECT " CODEX_FILE_COLUMNS " FROM file_metadata f "

std::optional<std::string> OptText(SQLite::Statement& st, int col) {
  if (st.getColumn(col).isNull()) return std::nullopt;
  return st.getColumn(col).getString();
}

FileMeta ReadFile(SQLite::Statement& st) {
  FileMeta m;
  m.id = st.getColumn(0).getInt64();
  m.notebook_id = st.getColumn(1).getInt64();
  m.path = st.getColumn(2).getString();
  m.filename = st.getColumn(3).getString();
  m.content_type = st.getColumn(4).getString();
  m.size = st.getColumn(5).getInt64();
  m.hash = st.getColumn(6).getString();
  m.title = OptText(st, 7);
  m.description = OptText(st, 8);
  m.file_type = OptText(st, 9);
  if (!st.getColumn(10).isNull()) {
    auto props = Json::Parse(st.getColumn(10).getString());
    if (props.ok()) m.properties = std::move(*props);
  }
  m.created_at = st.getColumn(11).getString();
  m.updated_at = st.getColumn(12).getString();
  m.file_modified_at = st.getColumn(13).getString();
  m.sidecar_path = OptText(st, 14);
  m.git_tracked = st.getColumn(15).getInt() != 0;
  m.last_commit_hash = OptText(st, 16);
  if (!st.getColumn(17).isNull()) {
    auto problems = Json::Parse(st.getColumn(17).getString());
    if (problems.ok() && problems->is_array()) {
      for (const auto& p : problems->as_array()) {
        if (p.is_string()) m.problems.push_back(p.as_string());
      }
    }
  }
  if (!st.getColumn(18).isNull()) {
    std::string joined = st.getColumn(18).getString();
    for (auto part : Split(joined, '\x1f')) m.tags.emplace_back(part);
    std::sort(m.tags.begin(), m.tags.end());
  }
  return m;
}

void BindOpt(SQLite::Statement& st, int idx, const std::optional<std::string>& v) {
  if (v) {
    st.bind(idx, *v);
  } else {
    st.bind(idx);
  }
}

std::string ProblemsJson(const std::vector<std::string>& problems) {
  Json::Array a;
  for (const auto& p : problems) a.emplace_back(p);
  return Json(std::move(a)).Dump();
}

// Binds the row columns shared by INSERT and UPDATE, in this order from `first`.
void BindRow(SQLite::Statement& st, int first, const FileRecord& rec) {
  const FileMeta& m = rec.meta;
  int i = first;
  st.bind(i++, m.notebook_id);
  st.bind(i++, m.path);
  st.bind(i++, m.filename);
  st.bind(i++, m.content_type);
  st.bind(i++, m.size);
  st.bind(i++, m.hash);
  BindOpt(st, i++, m.title);
  BindOpt(st, i++, m.description);
  if (m.properties.is_object() && !m.properties.as_object().empty()) {
    st.bind(i++, m.properties.Dump());
  } else {
    st.bind(i++);
  }
  BindOpt(st, i++, m.sidecar_path);
  BindOpt(st, i++, m.file_type);
  st.bind(i++, m.updated_at);
  st.bind(i++, rec.file_created_at);
  st.bind(i++, m.file_modified_at);
  st.bind(i++, m.git_tracked ? 1 : 0);
  BindOpt(st, i++, m.last_commit_hash);
  st.bind(i++, rec.stat_sig);
  if (m.problems.empty()) {
    st.bind(i++);
  } else {
    st.bind(i++, ProblemsJson(m.problems));
  }
}

std::optional<FileMeta> QueryOne(Connection& c, const char* sql,
                                 const std::function<void(SQLite::Statement&)>& bind) {
  auto& st = c.Prepare(sql);
  bind(st);
  if (!st.executeStep()) return std::nullopt;
  FileMeta m = ReadFile(st);
  st.reset();
  return m;
}

// "dir/" prefix test on paths without LIKE (so '%' and '_' in names are literal).
constexpr const char* kUnderFolder = "substr(f.path, 1, length(?1) + 1) = ?1 || '/'";

}  // namespace

// ---- writer ----

std::int64_t NotebookWriter::Insert(const FileRecord& rec) {
  auto& st = conn_.Prepare(
      "INSERT INTO file_metadata(notebook_id, path, filename, content_type, size, hash, title, "
      "description, properties, sidecar_path, file_type, updated_at, file_created_at, "
      "file_modified_at, git_tracked, last_commit_hash, stat_sig, problems, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  BindRow(st, 1, rec);
  st.bind(19, rec.meta.created_at);
  st.exec();
  std::int64_t id = conn_.db().getLastInsertRowid();
  WriteDependents(id, rec, /*is_new=*/true);
  return id;
}

void NotebookWriter::Update(std::int64_t id, const FileRecord& rec) {
  auto& st = conn_.Prepare(
      "UPDATE file_metadata SET notebook_id = ?, path = ?, filename = ?, content_type = ?, "
      "size = ?, hash = ?, title = ?, description = ?, properties = ?, sidecar_path = ?, "
      "file_type = ?, updated_at = ?, file_created_at = ?, file_modified_at = ?, "
      "git_tracked = ?, last_commit_hash = ?, stat_sig = ?, problems = ? WHERE id = ?");
  BindRow(st, 1, rec);
  st.bind(19, id);
  st.exec();
  WriteDependents(id, rec, /*is_new=*/false);
}

void NotebookWriter::WriteDependents(std::int64_t id, const FileRecord& rec, bool is_new) {
  if (!is_new) {
    auto& dt = conn_.Prepare("DELETE FROM file_tags WHERE file_id = ?");
    dt.bind(1, id);
    dt.exec();
    auto& dl = conn_.Prepare("DELETE FROM file_links WHERE file_id = ?");
    dl.bind(1, id);
    dl.exec();
    auto& df = conn_.Prepare("DELETE FROM files_fts WHERE rowid = ?");
    df.bind(1, id);
    df.exec();
  }
  for (const auto& tag : rec.meta.tags) {
    auto& link = conn_.Prepare("INSERT OR IGNORE INTO file_tags(file_id, tag_id) VALUES (?, ?)");
    link.bind(1, id);
    link.bind(2, TagId(tag, rec.meta.updated_at));
    link.exec();
  }
  for (const auto& [target, kind] : rec.links) {
    auto& st = conn_.Prepare("INSERT INTO file_links(file_id, target, kind) VALUES (?, ?, ?)");
    st.bind(1, id);
    st.bind(2, target);
    st.bind(3, kind);
    st.exec();
  }
  auto& fts =
      conn_.Prepare("INSERT INTO files_fts(rowid, title, content, tags) VALUES (?, ?, ?, ?)");
  fts.bind(1, id);
  fts.bindNoCopy(2, rec.fts_title);
  fts.bindNoCopy(3, rec.fts_content);
  fts.bindNoCopy(4, rec.fts_tags);
  fts.exec();
}

std::int64_t NotebookWriter::TagId(const std::string& name, const std::string& now) {
  auto cached = tag_ids_.find(name);
  if (cached != tag_ids_.end()) return cached->second;
  auto& find = conn_.Prepare("SELECT id FROM tags WHERE name = ?");
  find.bind(1, name);
  std::int64_t id;
  if (find.executeStep()) {
    id = find.getColumn(0).getInt64();
    find.reset();
  } else {
    find.reset();
    auto& ins = conn_.Prepare("INSERT INTO tags(name, created_at) VALUES (?, ?)");
    ins.bind(1, name);
    ins.bind(2, now);
    ins.exec();
    id = conn_.db().getLastInsertRowid();
  }
  tag_ids_.emplace(name, id);
  return id;
}

void NotebookWriter::UpdateStatSig(std::int64_t id, const std::string& stat_sig) {
  auto& st = conn_.Prepare("UPDATE file_metadata SET stat_sig = ? WHERE id = ?");
  st.bind(1, stat_sig);
  st.bind(2, id);
  st.exec();
}

void NotebookWriter::Delete(std::int64_t id) {
  auto& fts = conn_.Prepare("DELETE FROM files_fts WHERE rowid = ?");
  fts.bind(1, id);
  fts.exec();
  auto& st = conn_.Prepare("DELETE FROM file_metadata WHERE id = ?");
  st.bind(1, id);
  st.exec();
}

void NotebookWriter::Move(const FileMove& mv) {
  auto& st = conn_.Prepare(
      "UPDATE file_metadata SET path = ?, filename = ?, content_type = ?, sidecar_path = ?, "
      "stat_sig = ?, updated_at = ? WHERE id = ?");
  st.bind(1, mv.path);
  st.bind(2, mv.filename);
  st.bind(3, mv.content_type);
  BindOpt(st, 4, mv.sidecar_path);
  st.bind(5, mv.stat_sig);
  st.bind(6, mv.updated_at);
  st.bind(7, mv.id);
  st.exec();
}

void NotebookWriter::SetCommit(std::int64_t id, bool git_tracked,
                               const std::optional<std::string>& sha) {
  auto& st = conn_.Prepare(
      "UPDATE file_metadata SET git_tracked = ?, last_commit_hash = coalesce(?, last_commit_hash) "
      "WHERE id = ?");
  st.bind(1, git_tracked ? 1 : 0);
  BindOpt(st, 2, sha);
  st.bind(3, id);
  st.exec();
}

std::optional<FileMeta> NotebookWriter::GetByPath(const std::string& path) {
  return QueryOne(conn_, CODEX_FILE_SELECT "WHERE f.path = ?",
                  [&](SQLite::Statement& st) { st.bind(1, path); });
}

std::optional<FileMeta> NotebookWriter::Get(std::int64_t id) {
  return QueryOne(conn_, CODEX_FILE_SELECT "WHERE f.id = ?",
                  [&](SQLite::Statement& st) { st.bind(1, id); });
}

// ---- store ----

NotebookStore::NotebookStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
NotebookStore::~NotebookStore() = default;

void NotebookStore::ReleaseMemory() { db_->ReleaseMemory(); }
Status NotebookStore::Checkpoint() { return db_->Checkpoint(); }

Result<bool> NotebookStore::MergeSearchIndex(int pages) {
  return db_->Write([&](Connection& c) -> Result<bool> {
    sqlite3* handle = c.db().getHandle();
    const sqlite3_int64 before = sqlite3_total_changes64(handle);
    auto& st = c.Prepare("INSERT INTO files_fts (files_fts, rank) VALUES ('merge', ?)");
    st.bind(1, pages);
    st.exec();
    // The command itself counts one change; the segment pages it wrote count the rest.
    return sqlite3_total_changes64(handle) - before > 1;
  });
}

Result<std::unique_ptr<NotebookStore>> NotebookStore::Open(const std::string& path) {
  auto db = Database::Open(path, notebook_migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<NotebookStore>(new NotebookStore(std::move(*db)));
}

Result<std::optional<FileMeta>> NotebookStore::Get(std::int64_t id) {
  std::string key = std::to_string(id);
  if (auto hit = file_cache_.Get(key)) return std::move(*hit);
  std::uint64_t generation = WriteGeneration();
  auto found = db_->Read([&](Connection& c) -> Result<std::optional<FileMeta>> {
    return QueryOne(c, CODEX_FILE_SELECT "WHERE f.id = ?",
                    [&](SQLite::Statement& st) { st.bind(1, id); });
  });
  if (found.ok()) file_cache_.Put(key, *found, generation);
  return found;
}

Result<std::optional<FileMeta>> NotebookStore::GetByPath(std::string_view path) {
  return db_->Read([&](Connection& c) -> Result<std::optional<FileMeta>> {
    return QueryOne(c, CODEX_FILE_SELECT "WHERE f.path = ?",
                    [&](SQLite::Statement& st) { st.bind(1, std::string(path)); });
  });
}

Result<std::optional<FileMeta>> NotebookStore::FirstByFilename(std::string_view filename) {
  return db_->Read([&](Connection& c) -> Result<std::optional<FileMeta>> {
    return QueryOne(c, CODEX_FILE_SELECT "WHERE f.filename = ? ORDER BY f.id LIMIT 1",
                    [&](SQLite::Statement& st) { st.bind(1, std::string(filename)); });
  });
}

Result<std::vector<FileMeta>> NotebookStore::List(std::int64_t skip, std::int64_t limit,
                                                  std::int64_t* total) {
  return db_->Read([&](Connection& c) -> Result<std::vector<FileMeta>> {
    auto& count = c.Prepare("SELECT count(*) FROM file_metadata");
    count.executeStep();
    *total = count.getColumn(0).getInt64();
    count.reset();
    auto& st = c.Prepare(CODEX_FILE_SELECT "ORDER BY f.id LIMIT ? OFFSET ?");
    st.bind(1, limit < 0 ? std::int64_t{-1} : limit);
    st.bind(2, skip);
    std::vector<FileMeta> out;
    while (st.executeStep()) out.push_back(ReadFile(st));
    return out;
  });
}

Result<std::vector<FileMeta>> NotebookStore::ListFolder(std::string_view folder, std::int64_t skip,
                                                        std::int64_t limit, std::int64_t* total) {
  return db_->Read([&](Connection& c) -> Result<std::vector<FileMeta>> {
    std::string dir(folder);
    // Root: paths without '/'. Elsewhere: "<dir>/<name>" with no further '/'.
    const char* count_sql =
        "SELECT count(*) FROM file_metadata f WHERE CASE WHEN ?1 = '' THEN "
        "instr(f.path, '/') = 0 ELSE substr(f.path, 1, length(?1) + 1) = ?1 || '/' AND "
        "instr(substr(f.path, length(?1) + 2), '/') = 0 END";
    auto& count = c.Prepare(count_sql);
    count.bind(1, dir);
    count.executeStep();
    *total = count.getColumn(0).getInt64();
    count.reset();
    auto& st = c.Prepare(CODEX_FILE_SELECT
                         "WHERE CASE WHEN ?1 = '' THEN instr(f.path, '/') = 0 ELSE "
                         "substr(f.path, 1, length(?1) + 1) = ?1 || '/' AND "
                         "instr(substr(f.path, length(?1) + 2), '/') = 0 END "
                         "ORDER BY f.filename, f.id LIMIT ?2 OFFSET ?3");
    st.bind(1, dir);
    st.bind(2, limit < 0 ? std::int64_t{-1} : limit);
    st.bind(3, skip);
    std::vector<FileMeta> out;
    while (st.executeStep()) out.push_back(ReadFile(st));
    return out;
  });
}

Result<std::vector<FileMeta>> NotebookStore::All() {
  return db_->Read([&](Connection& c) -> Result<std::vector<FileMeta>> {
    auto& st = c.Prepare(CODEX_FILE_SELECT "ORDER BY f.id");
    std::vector<FileMeta> out;
    while (st.executeStep()) out.push_back(ReadFile(st));
    return out;
  });
}

Result<std::vector<ScanRow>> NotebookStore::ScanRows() {
  return db_->Read([&](Connection& c) -> Result<std::vector<ScanRow>> {
    auto& st = c.Prepare("SELECT id, path, stat_sig, hash, git_tracked FROM file_metadata");
    std::vector<ScanRow> out;
    while (st.executeStep()) {
      out.push_back(ScanRow{st.getColumn(0).getInt64(), st.getColumn(1).getString(),
                            st.getColumn(2).getString(), st.getColumn(3).getString(),
                            st.getColumn(4).getInt() != 0});
    }
    return out;
  });
}

Result<std::vector<std::pair<std::int64_t, std::string>>> NotebookStore::RowsUnder(
    std::string_view folder) {
  return db_->Read([&](Connection& c) -> Result<std::vector<std::pair<std::int64_t, std::string>>> {
    static const std::string sql = std::string("SELECT f.id, f.path FROM file_metadata f WHERE ") +
                                   kUnderFolder + " ORDER BY f.path";
    auto& st = c.Prepare(sql.c_str());
    st.bind(1, std::string(folder));
    std::vector<std::pair<std::int64_t, std::string>> out;
    while (st.executeStep())
      out.emplace_back(st.getColumn(0).getInt64(), st.getColumn(1).getString());
    return out;
  });
}

Result<std::vector<FileProblem>> NotebookStore::Problems() {
  return db_->Read([&](Connection& c) -> Result<std::vector<FileProblem>> {
    auto& st = c.Prepare(
        "SELECT path, problems FROM file_metadata WHERE problems IS NOT NULL ORDER BY path");
    std::vector<FileProblem> out;
    while (st.executeStep()) {
      auto list = Json::Parse(st.getColumn(1).getString());
      if (!list.ok() || !list->is_array()) continue;
      for (const auto& p : list->as_array()) {
        if (p.is_string()) out.push_back(FileProblem{st.getColumn(0).getString(), p.as_string()});
      }
    }
    return out;
  });
}

Result<std::vector<Tag>> NotebookStore::TagCounts() {
  return db_->Read([&](Connection& c) -> Result<std::vector<Tag>> {
    auto& st = c.Prepare(
        "SELECT t.name, t.color, count(ft.file_id) FROM tags t JOIN file_tags ft ON "
        "ft.tag_id = t.id GROUP BY t.id ORDER BY t.name");
    std::vector<Tag> out;
    while (st.executeStep()) {
      Tag t;
      t.name = st.getColumn(0).getString();
      t.color = OptText(st, 1);
      t.count = st.getColumn(2).getInt64();
      out.push_back(std::move(t));
    }
    return out;
  });
}

Result<std::optional<Tag>> NotebookStore::SetTagColor(std::string_view name,
                                                      const std::optional<std::string>& color) {
  return db_->Write([&](Connection& c) -> Result<std::optional<Tag>> {
    auto& st = c.Prepare(
        "SELECT t.id, count(ft.file_id) FROM tags t LEFT JOIN file_tags ft ON ft.tag_id = t.id "
        "WHERE t.name = ? GROUP BY t.id");
    st.bind(1, std::string(name));
    if (!st.executeStep() || st.getColumn(1).getInt64() == 0) return std::optional<Tag>();
    std::int64_t id = st.getColumn(0).getInt64();
    Tag tag;
    tag.name = std::string(name);
    tag.count = st.getColumn(1).getInt64();
    tag.color = color;
    st.reset();
    auto& up = c.Prepare("UPDATE tags SET color = ? WHERE id = ?");
    BindOpt(up, 1, color);
    up.bind(2, id);
    up.exec();
    return std::optional<Tag>(std::move(tag));
  });
}

namespace {

// " AND f.id IN (…file_tags…)" once per required tag; the values are bound in order.
std::string TagConditions(std::size_t n) {
  std::string sql;
  for (std::size_t i = 0; i < n; ++i) {
    sql +=
        " AND f.id IN (SELECT ft.file_id FROM file_tags ft JOIN tags t ON t.id = ft.tag_id "
        "WHERE t.name = ?)";
  }
  return sql;
}

bool ByRank(const FtsHit& a, const FtsHit& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.file.path < b.file.path;
}

}  // namespace

Result<FtsPage> NotebookStore::Search(const FtsQuery& q) {
  return db_->Read([&](Connection& c) -> Result<FtsPage> {
    std::string tag_sql = TagConditions(q.tags.size());
    if (q.top_n <= 0) return FtsPage{};
    // Every candidate with its score and path, filtered and ordered here (bm25 ties are common:
    // equal-length notes with one occurrence score the same, and ties go by path).
    std::string sql;
    if (!q.match.empty()) {
      sql =
          "SELECT f.id, f.path, -files_fts.rank FROM files_fts JOIN file_metadata f ON "
          "f.id = files_fts.rowid WHERE files_fts MATCH ?" +
          tag_sql;
    } else {
      sql = "SELECT f.id, f.path, 0.0 FROM file_metadata f WHERE 1" + tag_sql;
      if (!q.exclude.empty()) {
        sql += " AND f.id NOT IN (SELECT rowid FROM files_fts WHERE files_fts MATCH ?)";
      }
    }
    SQLite::Statement st(c.db(), sql);
    int idx = 1;
    if (!q.match.empty()) st.bind(idx++, q.match);
    for (const auto& tag : q.tags) st.bind(idx++, tag);
    if (q.match.empty() && !q.exclude.empty()) st.bind(idx++, q.exclude);
    std::vector<FtsHit> cands;
    while (st.executeStep()) {
      FtsHit hit;
      hit.file.id = st.getColumn(0).getInt64();
      hit.file.path = st.getColumn(1).getString();
      if (q.path_filter && !q.path_filter(hit.file.path)) continue;
      hit.score = st.getColumn(2).getDouble();
      cands.push_back(std::move(hit));
    }
    FtsPage page;
    page.total = static_cast<std::int64_t>(cands.size());
    auto top = std::min(cands.size(), static_cast<std::size_t>(q.top_n));
    std::partial_sort(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(top), cands.end(),
                      ByRank);
    cands.resize(top);
    for (auto& cand : cands) {
      auto meta = QueryOne(c, CODEX_FILE_SELECT "WHERE f.id = ?",
                           [&](SQLite::Statement& s) { s.bind(1, cand.file.id); });
      if (!meta) continue;
      cand.file = std::move(*meta);
      if (q.want_snippets) {
        auto& sn = c.Prepare("SELECT title, content, tags FROM files_fts WHERE rowid = ?");
        sn.bind(1, cand.file.id);
        if (sn.executeStep()) {
          if (q.match.empty()) {
            cand.content_head = sn.getColumn(1).getString().substr(0, 4 * 200);  // trimmed later
          } else {
            for (int col = 0; col < 3; ++col) cand.columns.push_back(sn.getColumn(col).getString());
          }
        }
        sn.reset();
      }
      page.hits.push_back(std::move(cand));
    }
    return page;
  });
}

Status NotebookStore::AppendChanges(const std::vector<LoggedChange>& changes) {
  if (changes.empty()) return Status::Ok();
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare(
        "INSERT INTO change_log (origin, kind, file_id, path, old_path) VALUES (?, ?, ?, ?, ?)");
    for (const auto& ch : changes) {
      st.reset();
      st.bind(1, ch.origin);
      st.bind(2, ch.kind);
      if (ch.file_id) {
        st.bind(3, *ch.file_id);
      } else {
        st.bind(3);
      }
      st.bind(4, ch.path);
      BindOpt(st, 5, ch.old_path);
      st.exec();
    }
    c.Prepare("DELETE FROM change_log WHERE seq <= (SELECT max(seq) FROM change_log) - 10000")
        .exec();
    return Status::Ok();
  });
}

Result<std::vector<LoggedChange>> NotebookStore::ChangesAfter(std::int64_t seq,
                                                              std::int64_t limit) {
  return db_->Read([&](Connection& c) -> Result<std::vector<LoggedChange>> {
    auto& st = c.Prepare(
        "SELECT seq, origin, kind, file_id, path, old_path FROM change_log WHERE seq > ? "
        "ORDER BY seq LIMIT ?");
    st.bind(1, seq);
    st.bind(2, limit);
    std::vector<LoggedChange> out;
    while (st.executeStep()) {
      LoggedChange ch;
      ch.seq = st.getColumn(0).getInt64();
      ch.origin = st.getColumn(1).getString();
      ch.kind = st.getColumn(2).getString();
      if (!st.getColumn(3).isNull()) ch.file_id = st.getColumn(3).getInt64();
      ch.path = st.getColumn(4).getString();
      if (!st.getColumn(5).isNull()) ch.old_path = st.getColumn(5).getString();
      out.push_back(std::move(ch));
    }
    return out;
  });
}

Result<std::int64_t> NotebookStore::LastChangeSeq() {
  return db_->Read([&](Connection& c) -> Result<std::int64_t> {
    auto& st = c.Prepare("SELECT coalesce(max(seq), 0) FROM change_log");
    st.executeStep();
    return st.getColumn(0).getInt64();
  });
}

Status NotebookStore::Write(const std::function<Status(NotebookWriter&)>& fn) {
  return db_->Write([&](Connection& c) -> Status {
    NotebookWriter writer(c);
    return fn(writer);
  });
}

}  // namespace codex::storage
