// Tasks in the system database (CONTRACT §19, SEMANTICS §14): the records, the status effects of
// an update, and the worker's claim / finish steps. Typed operations only; SQL stays in storage/.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codex/json.hpp"
#include "codex/status.hpp"
#include "codex/tasks.hpp"
#include "codex/workspaces.hpp"

namespace codex::storage {

class Database;

struct TaskInsert {
  std::int64_t workspace_id = 0;
  std::string title;
  std::optional<std::string> description;
  std::optional<std::string> type;
  Json input_data;  // object or null
  std::string now;
};

// What a finished job leaves on its task.
struct TaskOutcome {
  bool ok = false;    // completed, else failed
  Json output_data;   // completed: the job's report
  std::string error;  // failed: a short cause
};

// Thread-safe (all state is in the database).
class TaskStore {
 public:
  // Opens its own connections to the (already migrated) system database at `path`.
  static Result<std::unique_ptr<TaskStore>> Open(const std::string& path);
  ~TaskStore();

  Result<Task> Insert(const TaskInsert& input);
  Result<std::optional<Task>> Find(std::int64_t id);
  // Ascending id; empty filter values are ignored.
  Result<std::vector<Task>> List(std::int64_t workspace_id, const TaskFilter& filter);
  // Applies `input` with the status effects of CONTRACT §19 (started_at when it becomes
  // in_progress/running and was null, completed_at on every completed/failed/cancelled,
  // updated_at always). Empty status / assigned_to are ignored; a null output_data is no change.
  // nullopt when the task is gone.
  Result<std::optional<Task>> Update(std::int64_t id, const TaskUpdate& input,
                                     const std::string& now);
  // false when there was no such task.
  Result<bool> Delete(std::int64_t id);

  // The worker's side. The oldest pending task of type indexing or sync whose
  // input_data.notebook_id is an integer.
  Result<std::optional<Task>> NextJob();
  // pending → running, started_at = now; false when the task is no longer pending (another
  // process took it, a client changed it, it was deleted).
  Result<bool> Claim(std::int64_t id, const std::string& now);
  // running → completed (output_data) or failed (error), completed_at = now.
  Status Finish(std::int64_t id, const TaskOutcome& outcome, const std::string& now);
  // Every task still marked running → failed with `error`, completed_at = now. Returns the count.
  Result<std::int64_t> FailRunning(const std::string& error, const std::string& now);
  // A workspace row by id, for the worker, which acts for no user (role left at its default).
  Result<std::optional<Workspace>> FindWorkspace(std::int64_t id);

 private:
  explicit TaskStore(std::unique_ptr<Database> db);
  std::unique_ptr<Database> db_;
};

}  // namespace codex::storage
