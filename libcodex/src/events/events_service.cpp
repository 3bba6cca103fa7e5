// Subscribing to change events, with the membership check of the workspace.
#include "codex/events.hpp"
#include "common/errors.hpp"
#include "core/access.hpp"

namespace codex {

Result<Subscription> Events::SubscribeWorkspace(const Principal& who, std::string_view ws,
                                                EventCallback callback) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kViewer);
  if (!rec.ok()) return rec.status();
  return ctx_->events.Subscribe(rec->workspace.id, 0, std::move(callback));
}

Result<Subscription> Events::SubscribeNotebook(const Principal& who, std::int64_t notebook_id,
                                               EventCallback callback) {
  auto row = ctx_->system->FindNotebookById(notebook_id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return errors::NotebookNotFound();
  auto access = detail::FindNotebookRow(
      *ctx_, who, {std::to_string((*row)->workspace_id), std::to_string(notebook_id)},
      Role::kViewer);
  if (!access.ok()) {
    return access.status().code() == Code::kNotFound ? errors::NotebookNotFound() : access.status();
  }
  return ctx_->events.Subscribe(access->workspace.workspace.id, notebook_id, std::move(callback));
}

Result<Subscription> Events::SubscribeStream(const Principal& who, std::string_view ws,
                                             std::string_view nb,
                                             std::function<void(const Event&, bool)> callback) {
  const bool notebook_stream = !nb.empty();
  auto forward = [callback = std::move(callback), notebook_stream, me = who.user_id](
                     const Event& e) { callback(e, EndsStream(e, notebook_stream, me)); };
  if (!notebook_stream) return SubscribeWorkspace(who, ws, std::move(forward));
  auto row = detail::FindNotebookRow(*ctx_, who, {ws, nb}, Role::kViewer);
  if (!row.ok()) return row.status();
  return ctx_->events.Subscribe(row->workspace.workspace.id, row->notebook.id, std::move(forward));
}

}  // namespace codex
