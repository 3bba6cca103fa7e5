#include "notebook/publish.hpp"

namespace codex::notebook {

void PublishChanges(detail::Context& ctx, std::int64_t workspace_id, std::int64_t notebook_id,
                    const std::vector<Change>& changes) {
  if (changes.empty()) return;
  Event e;
  e.workspace_id = workspace_id;
  e.notebook_id = notebook_id;
  e.timestamp = ctx.Now();
  if (changes.size() > kBulkChanges) return PublishResync(ctx, workspace_id, notebook_id);
  for (const auto& c : changes) {
    switch (c.kind) {
      case ChangeKind::kCreated:
        e.kind = c.scanned ? EventKind::kScanned : EventKind::kCreated;
        break;
      case ChangeKind::kModified:
        e.kind = c.scanned ? EventKind::kScanned : EventKind::kModified;
        break;
      case ChangeKind::kDeleted:
        e.kind = EventKind::kDeleted;
        break;
      case ChangeKind::kMoved:
        e.kind = EventKind::kMoved;
        break;
    }
    e.path = c.path;
    e.old_path =
        c.kind == ChangeKind::kMoved ? std::optional<std::string>(c.old_path) : std::nullopt;
    e.file_id = c.file_id;
    ctx.events.Publish(e);
  }
}

void PublishResync(detail::Context& ctx, std::int64_t workspace_id, std::int64_t notebook_id) {
  Event e;
  e.workspace_id = workspace_id;
  e.notebook_id = notebook_id;
  e.kind = EventKind::kResync;
  e.timestamp = ctx.Now();
  ctx.events.Publish(e);
}

}  // namespace codex::notebook
