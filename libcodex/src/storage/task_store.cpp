#include "storage/task_store.hpp"

#include "storage/database.hpp"

namespace codex::storage {
namespace {

#define CODEX_TASK_COLUMNS                                                              \
  "id, workspace_id, title, description, status, assigned_to, created_at, updated_at, " \
  "completed_at, type, input_data, output_data, error, started_at"

std::optional<std::string> OptText(SQLite::Statement& st, int col) {
  if (st.getColumn(col).isNull()) return std::nullopt;
  return st.getColumn(col).getString();
}

// A stored JSON object, or null when absent or unreadable.
Json JsonColumn(SQLite::Statement& st, int col) {
  if (st.getColumn(col).isNull()) return Json();
  auto parsed = Json::Parse(st.getColumn(col).getString());
  return parsed.ok() ? std::move(*parsed) : Json();
}

Task ReadTask(SQLite::Statement& st) {
  Task t;
  t.id = st.getColumn(0).getInt64();
  t.workspace_id = st.getColumn(1).getInt64();
  t.title = st.getColumn(2).getString();
  t.description = OptText(st, 3);
  t.status = st.getColumn(4).getString();
  t.assigned_to = OptText(st, 5);
  t.created_at = st.getColumn(6).getString();
  t.updated_at = st.getColumn(7).getString();
  t.completed_at = OptText(st, 8);
  t.type = OptText(st, 9);
  t.input_data = JsonColumn(st, 10);
  t.output_data = JsonColumn(st, 11);
  t.error = OptText(st, 12);
  t.started_at = OptText(st, 13);
  return t;
}

void BindOpt(SQLite::Statement& st, int index, const std::optional<std::string>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

void BindJson(SQLite::Statement& st, int index, const Json& v) {
  if (v.is_null()) {
    st.bind(index);
  } else {
    st.bind(index, v.Dump());
  }
}

std::optional<Task> FindIn(Connection& c, std::int64_t id) {
  auto& st = c.Prepare("SELECT " CODEX_TASK_COLUMNS " FROM tasks WHERE id = ?");
  st.bind(1, id);
  if (!st.executeStep()) return std::nullopt;
  Task t = ReadTask(st);
  st.reset();
  return t;
}

bool IsStartStatus(const std::string& s) { return s == "in_progress" || s == "running"; }
bool IsEndStatus(const std::string& s) {
  return s == "completed" || s == "failed" || s == "cancelled";
}

}  // namespace

TaskStore::TaskStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
TaskStore::~TaskStore() = default;

Result<std::unique_ptr<TaskStore>> TaskStore::Open(const std::string& path) {
  auto db = Database::Open(path, system_migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<TaskStore>(new TaskStore(std::move(*db)));
}

Result<Task> TaskStore::Insert(const TaskInsert& in) {
  return db_->Write([&](Connection& c) -> Result<Task> {
    auto& st = c.Prepare(
        "INSERT INTO tasks(workspace_id, title, description, status, type, input_data, "
        "created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)");
    st.bind(1, in.workspace_id);
    st.bind(2, in.title);
    BindOpt(st, 3, in.description);
    BindOpt(st, 4, in.type);
    BindJson(st, 5, in.input_data);
    st.bind(6, in.now);
    st.bind(7, in.now);
    st.exec();
    Task t;
    t.id = c.db().getLastInsertRowid();
    t.workspace_id = in.workspace_id;
    t.title = in.title;
    t.description = in.description;
    t.type = in.type;
    t.input_data = in.input_data;
    t.created_at = in.now;
    t.updated_at = in.now;
    return t;
  });
}

Result<std::optional<Task>> TaskStore::Find(std::int64_t id) {
  return db_->Read([&](Connection& c) -> Result<std::optional<Task>> { return FindIn(c, id); });
}

Result<std::vector<Task>> TaskStore::List(std::int64_t workspace_id, const TaskFilter& filter) {
  return db_->Read([&](Connection& c) -> Result<std::vector<Task>> {
    // NULL parameters switch a filter off.
    auto& st = c.Prepare("SELECT " CODEX_TASK_COLUMNS
                         " FROM tasks WHERE workspace_id = ?1 AND (?2 IS NULL OR status = ?2) "
                         "AND (?3 IS NULL OR type = ?3) ORDER BY id");
    st.bind(1, workspace_id);
    BindOpt(st, 2, filter.status && !filter.status->empty() ? filter.status : std::nullopt);
    BindOpt(st, 3, filter.type && !filter.type->empty() ? filter.type : std::nullopt);
    std::vector<Task> out;
    while (st.executeStep()) out.push_back(ReadTask(st));
    return out;
  });
}

Result<std::optional<Task>> TaskStore::Update(std::int64_t id, const TaskUpdate& in,
                                              const std::string& now) {
  return db_->Write([&](Connection& c) -> Result<std::optional<Task>> {
    std::optional<Task> found = FindIn(c, id);
    if (!found) return found;
    Task& t = *found;
    if (in.status && !in.status->empty()) {
      t.status = *in.status;
      if (IsStartStatus(t.status) && !t.started_at) t.started_at = now;
      if (IsEndStatus(t.status)) t.completed_at = now;
    }
    if (in.assigned_to && !in.assigned_to->empty()) t.assigned_to = in.assigned_to;
    if (in.title) t.title = *in.title;
    if (in.description) t.description = in.description;
    if (in.error) t.error = in.error;
    if (in.output_data && !in.output_data->is_null()) t.output_data = *in.output_data;
    t.updated_at = now;
    auto& st = c.Prepare(
        "UPDATE tasks SET title = ?, description = ?, status = ?, assigned_to = ?, "
        "output_data = ?, error = ?, started_at = ?, completed_at = ?, updated_at = ? "
        "WHERE id = ?");
    st.bind(1, t.title);
    BindOpt(st, 2, t.description);
    st.bind(3, t.status);
    BindOpt(st, 4, t.assigned_to);
    BindJson(st, 5, t.output_data);
    BindOpt(st, 6, t.error);
    BindOpt(st, 7, t.started_at);
    BindOpt(st, 8, t.completed_at);
    st.bind(9, t.updated_at);
    st.bind(10, id);
    st.exec();
    return found;
  });
}

Result<bool> TaskStore::Delete(std::int64_t id) {
  return db_->Write([&](Connection& c) -> Result<bool> {
    auto& st = c.Prepare("DELETE FROM tasks WHERE id = ?");
    st.bind(1, id);
    return st.exec() > 0;
  });
}

Result<std::optional<Task>> TaskStore::NextJob() {
  return db_->Read([&](Connection& c) -> Result<std::optional<Task>> {
    auto& st = c.Prepare("SELECT " CODEX_TASK_COLUMNS
                         " FROM tasks WHERE status = 'pending' AND type IN ('indexing', 'sync') "
                         "ORDER BY created_at, id");
    while (st.executeStep()) {
      Task t = ReadTask(st);
      const Json* nb = t.input_data.find("notebook_id");
      if (nb != nullptr && nb->is_int()) {
        st.reset();
        return std::optional<Task>(std::move(t));
      }
    }
    return std::optional<Task>();
  });
}

Result<bool> TaskStore::Claim(std::int64_t id, const std::string& now) {
  return db_->Write([&](Connection& c) -> Result<bool> {
    auto& st = c.Prepare(
        "UPDATE tasks SET status = 'running', started_at = ?, updated_at = ? "
        "WHERE id = ? AND status = 'pending'");
    st.bind(1, now);
    st.bind(2, now);
    st.bind(3, id);
    return st.exec() > 0;
  });
}

Status TaskStore::Finish(std::int64_t id, const TaskOutcome& outcome, const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    if (outcome.ok) {
      auto& st = c.Prepare(
          "UPDATE tasks SET status = 'completed', output_data = ?, error = NULL, "
          "completed_at = ?, updated_at = ? WHERE id = ?");
      BindJson(st, 1, outcome.output_data);
      st.bind(2, now);
      st.bind(3, now);
      st.bind(4, id);
      st.exec();
    } else {
      auto& st = c.Prepare(
          "UPDATE tasks SET status = 'failed', error = ?, completed_at = ?, updated_at = ? "
          "WHERE id = ?");
      st.bind(1, outcome.error);
      st.bind(2, now);
      st.bind(3, now);
      st.bind(4, id);
      st.exec();
    }
    return Status::Ok();
  });
}

Result<std::int64_t> TaskStore::FailRunning(const std::string& error, const std::string& now) {
  return db_->Write([&](Connection& c) -> Result<std::int64_t> {
    auto& st = c.Prepare(
        "UPDATE tasks SET status = 'failed', error = ?, completed_at = ?, updated_at = ? "
        "WHERE status = 'running'");
    st.bind(1, error);
    st.bind(2, now);
    st.bind(3, now);
    return static_cast<std::int64_t>(st.exec());
  });
}

Result<std::optional<Workspace>> TaskStore::FindWorkspace(std::int64_t id) {
  return db_->Read([&](Connection& c) -> Result<std::optional<Workspace>> {
    auto& st = c.Prepare(
        "SELECT id, name, slug, path, owner_id, theme_setting, created_at, updated_at "
        "FROM workspaces WHERE id = ?");
    st.bind(1, id);
    if (!st.executeStep()) return std::optional<Workspace>();
    Workspace w;
    w.id = st.getColumn(0).getInt64();
    w.name = st.getColumn(1).getString();
    w.slug = st.getColumn(2).getString();
    w.path = st.getColumn(3).getString();
    w.owner_id = st.getColumn(4).getInt64();
    w.theme_setting = st.getColumn(5).getString();
    w.created_at = st.getColumn(6).getString();
    w.updated_at = st.getColumn(7).getString();
    return std::optional<Workspace>(std::move(w));
  });
}

}  // namespace codex::storage

#undef CODEX_TASK_COLUMNS
