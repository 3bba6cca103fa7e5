#include "notebook/publish.hpp"

namespace codex::notebook {
namespace {

EventKind KindOf(const Change& c) {
  switch (c.kind) {
    case ChangeKind::kCreated:
      return c.scanned ? EventKind::kScanned : EventKind::kCreated;
    case ChangeKind::kModified:
      return c.scanned ? EventKind::kScanned : EventKind::kModified;
    case ChangeKind::kDeleted:
      return EventKind::kDeleted;
    case ChangeKind::kMoved:
      return EventKind::kMoved;
  }
  return EventKind::kModified;
}

std::optional<EventKind> KindNamed(std::string_view name) {
  for (EventKind k : {EventKind::kCreated, EventKind::kModified, EventKind::kDeleted,
                      EventKind::kMoved, EventKind::kScanned, EventKind::kResync}) {
    if (EventKindName(k) == name) return k;
  }
  return std::nullopt;
}

Event Base(detail::Context& ctx, const detail::NotebookHandle& nb, std::int64_t workspace_id,
           EventKind kind) {
  Event e;
  e.workspace_id = workspace_id;
  e.notebook_id = nb.id();
  e.kind = kind;
  e.timestamp = ctx.Now();
  return e;
}

// What this process published is logged for the others; a failure costs them events, not data.
void Log(detail::Context& ctx, detail::NotebookHandle& nb, std::vector<storage::LoggedChange> rows) {
  for (auto& r : rows) r.origin = ctx.process_id;
  (void)nb.store().AppendChanges(rows);
}

}  // namespace

void PublishChanges(detail::Context& ctx, detail::NotebookHandle& nb, std::int64_t workspace_id,
                    const std::vector<Change>& changes) {
  if (changes.empty()) return;
  if (changes.size() > kBulkChanges) return PublishResync(ctx, nb, workspace_id);
  std::vector<storage::LoggedChange> rows;
  for (const auto& c : changes) {
    Event e = Base(ctx, nb, workspace_id, KindOf(c));
    e.path = c.path;
    if (c.kind == ChangeKind::kMoved) e.old_path = c.old_path;
    e.file_id = c.file_id;
    ctx.events.Publish(e);
    rows.push_back({0, {}, std::string(EventKindName(e.kind)), e.file_id, e.path, e.old_path});
  }
  Log(ctx, nb, std::move(rows));
}

void PublishResync(detail::Context& ctx, detail::NotebookHandle& nb, std::int64_t workspace_id) {
  ctx.events.Publish(Base(ctx, nb, workspace_id, EventKind::kResync));
  Log(ctx, nb, {{0, {}, std::string(EventKindName(EventKind::kResync)), std::nullopt, {}, {}}});
}

void PublishForeign(detail::Context& ctx, detail::NotebookHandle& nb, std::int64_t workspace_id) {
  auto rows = nb.store().ChangesAfter(nb.log_seq(), kBulkChanges + 1);
  if (!rows.ok() || rows->empty()) return;
  if (rows->size() > kBulkChanges) {
    auto last = nb.store().LastChangeSeq();
    if (!last.ok()) return;
    nb.log_seq() = *last;
    ctx.events.Publish(Base(ctx, nb, workspace_id, EventKind::kResync));
    return;
  }
  for (const auto& r : *rows) {
    nb.log_seq() = r.seq;
    auto kind = KindNamed(r.kind);
    if (r.origin == ctx.process_id || !kind) continue;
    Event e = Base(ctx, nb, workspace_id, *kind);
    e.path = r.path;
    e.old_path = r.old_path;
    e.file_id = r.file_id;
    ctx.events.Publish(e);
  }
}

}  // namespace codex::notebook
