// The one place that decides who may do what (CONTRACT §4): membership, token binding, role.
// Every service resolves its workspace or notebook through these functions.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "codex/notebooks.hpp"
#include "codex/principal.hpp"
#include "codex/status.hpp"
#include "codex/users.hpp"
#include "codex/workspaces.hpp"
#include "core/context.hpp"
#include "storage/system_store.hpp"

namespace codex::detail {

// How far a notebook-bound token reaches: the workspace object itself is readable, anything
// spanning the workspace (search, tags, query, permissions) is not.
enum class Reach { kWorkspaceObject, kWorkspaceWide };

// kNotFound "workspace_not_found" for unknown or non-member; kPermissionDenied
// "token_restricted" outside a token's binding; "insufficient_permissions" below `min_role`.
Result<storage::WorkspaceRecord> ResolveWorkspace(Context& ctx, const Principal& who,
                                                  std::string_view ref, Role min_role,
                                                  Reach reach = Reach::kWorkspaceWide);

struct NotebookRow {
  storage::WorkspaceRecord workspace;  // role = the caller's
  Notebook notebook;
};

// Membership (404), the notebook in it (404 "notebook_not_found"), token binding (403), role
// (403): the rows only, the folder is not touched.
Result<NotebookRow> FindNotebookRow(Context& ctx, const Principal& who, NotebookRef ref,
                                    Role min_role);

struct NotebookAccess {
  Workspace workspace;  // role = the caller's
  Notebook notebook;
  std::string root;  // absolute notebook directory
  std::shared_ptr<NotebookHandle> handle;
};

// FindNotebookRow, then its directory (kNotFound "notebook_path_missing"), opened.
Result<NotebookAccess> ResolveNotebook(Context& ctx, const Principal& who, NotebookRef ref,
                                       Role min_role);

// Opens a notebook already resolved through its workspace (for workspace-wide operations).
// kNotFound "notebook_path_missing" when its directory is gone.
Result<NotebookAccess> OpenNotebook(Context& ctx, const Workspace& ws, const Notebook& nb);

// The acting user (for commit authorship). kNotFound "user_not_found".
Result<User> ActingUser(Context& ctx, const Principal& who);

// The absolute directory of a notebook of a workspace.
std::string NotebookRoot(const Workspace& ws, const Notebook& nb);

}  // namespace codex::detail
