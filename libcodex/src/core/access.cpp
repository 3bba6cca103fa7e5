#include "core/access.hpp"

#include "common/errors.hpp"
#include "common/fs.hpp"

namespace codex::detail {

Result<storage::WorkspaceRecord> ResolveWorkspace(Context& ctx, const Principal& who,
                                                  std::string_view ref, Role min_role,
                                                  Reach reach) {
  auto found = ctx.system->FindWorkspaceForUser(who.user_id, ref);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return errors::WorkspaceNotFound();
  storage::WorkspaceRecord rec = std::move(**found);
  if (who.workspace_id && *who.workspace_id != rec.workspace.id) return errors::TokenRestricted();
  if (who.notebook_id && reach == Reach::kWorkspaceWide) return errors::TokenRestricted();
  if (static_cast<int>(rec.workspace.role) < static_cast<int>(min_role)) {
    return errors::InsufficientPermissions();
  }
  return rec;
}

std::string NotebookRoot(const Workspace& ws, const Notebook& nb) {
  return ws.path + "/" + nb.path;
}

Result<NotebookRow> FindNotebookRow(Context& ctx, const Principal& who, NotebookRef ref,
                                    Role min_role) {
  auto found = ctx.system->FindNotebookForUser(who.user_id, ref.workspace, ref.notebook);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return errors::WorkspaceNotFound();
  NotebookRow row{std::move((*found)->workspace), {}};
  if (who.workspace_id && *who.workspace_id != row.workspace.workspace.id) {
    return errors::TokenRestricted();
  }
  std::optional<Notebook>& nb = (*found)->notebook;
  if (!nb) return errors::NotebookNotFound();
  if (who.notebook_id && *who.notebook_id != nb->id) return errors::TokenRestricted();
  if (static_cast<int>(row.workspace.workspace.role) < static_cast<int>(min_role)) {
    return errors::InsufficientPermissions();
  }
  row.notebook = std::move(*nb);
  return row;
}

Result<NotebookAccess> ResolveNotebook(Context& ctx, const Principal& who, NotebookRef ref,
                                       Role min_role) {
  auto row = FindNotebookRow(ctx, who, ref, min_role);
  if (!row.ok()) return row.status();
  return OpenNotebook(ctx, row->workspace.workspace, row->notebook);
}

Result<NotebookAccess> OpenNotebook(Context& ctx, const Workspace& ws, const Notebook& nb) {
  NotebookAccess access;
  access.root = NotebookRoot(ws, nb);
  fs::Stat dir = fs::StatBeneath(ws.path, nb.path);
  if (!dir.is_dir) return errors::NotebookPathMissing();
  auto handle = ctx.notebooks.Get(nb.id, access.root, ctx.Committer());
  if (!handle.ok()) return handle.status();
  access.workspace = ws;
  access.notebook = nb;
  access.handle = std::move(*handle);
  return access;
}

Result<User> ActingUser(Context& ctx, const Principal& who) {
  auto rec = ctx.system->FindUser(who.user_id);
  if (!rec.ok()) return rec.status();
  if (!rec->has_value()) return errors::UserNotFound();
  return (*rec)->user;
}

}  // namespace codex::detail
