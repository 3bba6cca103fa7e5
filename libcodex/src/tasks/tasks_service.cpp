// Tasks (CONTRACT §19, SEMANTICS §14): workspace-scoped records; indexing and sync tasks are run
// by the background worker (tasks/worker.hpp).
#include <string>

#include "codex/tasks.hpp"
#include "common/errors.hpp"
#include "common/validate.hpp"
#include "core/access.hpp"
#include "core/context.hpp"
#include "storage/task_store.hpp"
#include "tasks/worker.hpp"

namespace codex {
namespace {

Status TaskNotFound() { return Status::NotFound("task_not_found", "Task not found"); }

Status DictType(std::string field) {
  return Status::Validation("dict_type", std::move(field), "Input should be a valid dictionary");
}

// A task the worker runs: indexing or sync with an integer input_data.notebook_id.
std::optional<std::int64_t> JobNotebook(const std::optional<std::string>& type,
                                        const Json& input_data) {
  if (type != std::optional<std::string>("indexing") &&
      type != std::optional<std::string>("sync")) {
    return std::nullopt;
  }
  const Json* nb = input_data.find("notebook_id");
  if (nb == nullptr || !nb->is_int()) return std::nullopt;
  return nb->as_int();
}

Result<storage::WorkspaceRecord> ResolveById(detail::Context& ctx, const Principal& who,
                                             std::int64_t workspace_id, Role min_role) {
  if (workspace_id <= 0) return errors::WorkspaceNotFound();
  return detail::ResolveWorkspace(ctx, who, std::to_string(workspace_id), min_role);
}

// The task, reached through its workspace: unknown tasks and non-members get "task_not_found".
Result<Task> ReachTask(detail::Context& ctx, storage::TaskStore& store, const Principal& who,
                       std::int64_t task_id, Role min_role) {
  auto found = store.Find(task_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return TaskNotFound();
  auto ws = ResolveById(ctx, who, (*found)->workspace_id, min_role);
  if (!ws.ok()) {
    if (ws.status().reason() == "workspace_not_found") return TaskNotFound();
    return ws.status();
  }
  return std::move(**found);
}

}  // namespace

Tasks::Tasks(detail::Context* ctx)
    : ctx_(ctx), runtime_(std::make_shared<detail::TaskRuntime>(ctx)) {}

Result<std::vector<Task>> Tasks::List(const Principal& who, std::int64_t workspace_id,
                                      const TaskFilter& filter) {
  auto ws = ResolveById(*ctx_, who, workspace_id, Role::kViewer);
  if (!ws.ok()) return ws.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return (*store)->List(ws->workspace.id, filter);
}

Result<Task> Tasks::Create(const Principal& who, std::int64_t workspace_id,
                           const TaskCreate& input) {
  auto ws = ResolveById(*ctx_, who, workspace_id, Role::kEditor);
  if (!ws.ok()) return ws.status();
  Status s = CheckLength(input.title, 1, 500, "title");
  if (!s.ok()) return s;
  if (input.type) {
    s = CheckLength(*input.type, 0, 100, "type");
    if (!s.ok()) return s;
  }
  if (!input.input_data.is_null() && !input.input_data.is_object()) return DictType("input_data");
  std::optional<std::int64_t> job_notebook = JobNotebook(input.type, input.input_data);
  if (job_notebook) {
    if (*job_notebook <= 0) return errors::NotebookNotFound();
    std::string ws_ref = std::to_string(ws->workspace.id);
    std::string nb_ref = std::to_string(*job_notebook);
    auto row = detail::FindNotebookRow(*ctx_, who, {ws_ref, nb_ref}, Role::kEditor);
    if (!row.ok()) return row.status();
  }
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  storage::TaskInsert row;
  row.workspace_id = ws->workspace.id;
  row.title = input.title;
  row.description = input.description;
  row.type = input.type;
  row.input_data = input.input_data;
  row.now = ctx_->Now();
  auto created = (*store)->Insert(row);
  if (created.ok() && job_notebook) runtime_->Wake();
  return created;
}

Result<Task> Tasks::Get(const Principal& who, std::int64_t task_id) {
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return ReachTask(*ctx_, **store, who, task_id, Role::kViewer);
}

Result<Task> Tasks::Update(const Principal& who, std::int64_t task_id, const TaskUpdate& input) {
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  auto task = ReachTask(*ctx_, **store, who, task_id, Role::kEditor);
  if (!task.ok()) return task.status();
  if (input.title) {
    Status s = CheckLength(*input.title, 1, 500, "title");
    if (!s.ok()) return s;
  }
  if (input.output_data && !input.output_data->is_null() && !input.output_data->is_object()) {
    return DictType("output_data");
  }
  auto apply = [&] { return (*store)->Update(task_id, input, ctx_->Now()); };
  // Only a status change is refused while the worker runs the task.
  auto updated =
      input.status && !input.status->empty() ? runtime_->UnlessRunning(task_id, apply) : apply();
  if (!updated.ok()) return updated.status();
  if (!updated->has_value()) return TaskNotFound();
  return std::move(**updated);
}

Status Tasks::Delete(const Principal& who, std::int64_t task_id) {
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  auto task = ReachTask(*ctx_, **store, who, task_id, Role::kEditor);
  if (!task.ok()) return task.status();
  auto deleted = runtime_->UnlessRunning(task_id, [&] { return (*store)->Delete(task_id); });
  if (!deleted.ok()) return deleted.status();
  if (!*deleted) return TaskNotFound();
  return Status::Ok();
}

Status Tasks::StartWorker() { return runtime_->Start(); }

void Tasks::StopWorker(std::chrono::seconds timeout) { runtime_->Stop(timeout); }

}  // namespace codex
