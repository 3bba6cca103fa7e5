// Tasks (CONTRACT §19, SEMANTICS §14): workspace-scoped records; indexing and sync tasks are run
// by the library's background worker.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codex/json.hpp"
#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
class TaskRuntime;
}  // namespace detail

// CONTRACT §27 Task.
struct Task {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string title;
  std::optional<std::string> description;
  std::string status = "pending";
  std::optional<std::string> assigned_to;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> completed_at;
  std::optional<std::string> type;
  Json input_data;   // object or null
  Json output_data;  // object or null
  std::optional<std::string> error;
  std::optional<std::string> started_at;
};

struct TaskCreate {
  std::string title;  // 1..500 characters
  std::optional<std::string> description;
  std::optional<std::string> type;  // ≤ 100 characters
  Json input_data;                  // object or null
};

struct TaskUpdate {
  std::optional<std::string> status;       // empty = ignored
  std::optional<std::string> assigned_to;  // empty = ignored
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> error;
  std::optional<Json> output_data;  // object
};

struct TaskFilter {
  std::optional<std::string> status;
  std::optional<std::string> type;
};

// Thread-safe. A task is reached through its workspace: non-members get kNotFound
// "task_not_found" (by id) or "workspace_not_found" (by workspace).
class Tasks {
 public:
  // Viewer. Ascending id.
  Result<std::vector<Task>> List(const Principal& who, std::int64_t workspace_id,
                                 const TaskFilter& filter = {});
  // Editor. An indexing/sync task with an int input_data.notebook_id is queued for the worker;
  // that notebook must be in the workspace (kNotFound "notebook_not_found").
  Result<Task> Create(const Principal& who, std::int64_t workspace_id, const TaskCreate& input);
  Result<Task> Get(const Principal& who, std::int64_t task_id);
  // Editor. Status effects of CONTRACT §19. kConflict "task_running" for a status change of a
  // task the worker is running.
  Result<Task> Update(const Principal& who, std::int64_t task_id, const TaskUpdate& input);
  // Editor. kConflict "task_running" while the worker runs it.
  Status Delete(const Principal& who, std::int64_t task_id);

  // The background worker: marks tasks left "running" by a previous process as failed
  // ("Interrupted by daemon restart"), then runs pending indexing/sync tasks, oldest first, one at
  // a time per notebook. StopWorker lets the running task finish (≤ timeout) or marks it failed
  // ("Interrupted by daemon shutdown").
  Status StartWorker();
  void StopWorker(std::chrono::seconds timeout = std::chrono::seconds(30));

 private:
  friend class Codex;
  explicit Tasks(detail::Context* ctx);
  detail::Context* ctx_;
  // The task store and the worker of this Codex; the worker is stopped when it goes.
  std::shared_ptr<detail::TaskRuntime> runtime_;
};

}  // namespace codex
