// Workspaces: creation (slug and path rules), listing, theme, sharing, deletion.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "codex/workspaces.hpp"
#include "common/errors.hpp"
#include "common/fs.hpp"
#include "common/slug.hpp"
#include "common/strings.hpp"
#include "common/validate.hpp"
#include "core/access.hpp"
#include "core/context.hpp"
#include "workspace/create.hpp"

namespace codex {
namespace {

Status PathForbidden() {
  return Status::PermissionDenied("workspace_path_forbidden",
                                  "Access denied: Invalid workspace path");
}

bool IsUnder(const std::string& dir, const std::string& path) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         path[dir.size()] == '/');
}

// CONTRACT §9.1 "with path": an absolute, symlink-free directory whose parent exists and is
// writable, outside the data dir's workspaces/, other workspaces and their notebooks.
Result<std::string> CheckExplicitPath(detail::Context& ctx, const std::string& input) {
  if (input.empty() || input.front() != '/' || input.find('\0') != std::string::npos ||
      !IsValidUtf8(input)) {
    return PathForbidden();
  }
  std::filesystem::path p = std::filesystem::path(input).lexically_normal();
  std::string normal = p.string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  if (normal == "/") return PathForbidden();
  std::filesystem::path norm_path(normal);
  std::string parent = norm_path.parent_path().string();
  struct stat st {};
  if (::stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument("workspace_parent_missing",
                                   "Parent directory does not exist: " + parent);
  }
  std::string real_parent = fs::RealPath(parent);
  std::string resolved = real_parent == "/" ? "/" + norm_path.filename().string()
                                            : real_parent + "/" + norm_path.filename().string();
  struct stat entry {};
  if (::lstat(resolved.c_str(), &entry) == 0) {
    // Something is there already: it must resolve (a final symlink is followed) to a directory;
    // files and dangling links never become workspaces.
    std::string existing = fs::RealPath(resolved);
    struct stat target {};
    if (existing.empty() || ::stat(existing.c_str(), &target) != 0 || !S_ISDIR(target.st_mode)) {
      return PathForbidden();
    }
    resolved = existing;
  }
  auto paths = ctx.system->WorkspacePaths();
  if (!paths.ok()) return paths.status();
  for (const auto& other : *paths) {
    if (other == resolved) {
      return Status::AlreadyExists("workspace_path_in_use",
                                   "Path already in use by another workspace");
    }
  }
  if (!ctx.options.workspace_roots.empty()) {
    bool inside = false;
    for (const auto& root : ctx.options.workspace_roots) {
      std::string real_root = fs::RealPath(root);
      if (!real_root.empty() && IsUnder(real_root, resolved) && real_root != resolved) {
        inside = true;
      }
    }
    if (!inside) return PathForbidden();
  }
  if (IsUnder(ctx.WorkspacesDir(), resolved) || IsUnder(resolved, ctx.data_dir)) {
    return PathForbidden();
  }
  for (const auto& other : *paths) {
    if (IsUnder(other, resolved) || IsUnder(resolved, other)) return PathForbidden();
  }
  if (::access(real_parent.c_str(), W_OK) != 0) {
    return Status::InvalidArgument("workspace_parent_not_writable",
                                   "Parent directory is not writable: " + parent);
  }
  return resolved;
}

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

Result<Workspace> Workspaces::Create(const Principal& who, const WorkspaceCreate& input) {
  return detail::CreateWorkspace(*ctx_, who, input);
}

}  // namespace codex

namespace codex::detail {

Result<Workspace> CreateWorkspace(Context& ctx, const Principal& who,
                                  const WorkspaceCreate& input) {
  Status s = CheckLength(input.name, 1, 255, "name");
  if (!s.ok()) return s;
  if (who.workspace_id || who.notebook_id) return errors::TokenRestricted();
  storage::WorkspaceInsert row;
  row.name = input.name;
  row.owner_id = who.user_id;
  row.now = ctx.Now();
  bool made_dir = false;
  if (input.path && !input.path->empty()) {
    auto path = CheckExplicitPath(ctx, *input.path);
    if (!path.ok()) return path.status();
    row.path = *path;
    row.path_is_explicit = true;
    if (::mkdir(row.path.c_str(), 0755) == 0) {
      made_dir = true;
    } else if (errno != EEXIST) {
      return Status::IoError("create workspace directory: " + std::string(std::strerror(errno)));
    }
    row.slug = Slugify(BaseName(row.path), "workspace");
  } else {
    row.slug = Slugify(input.name, "workspace");
  }
  Status made = fs::EnsureDir(ctx.WorkspacesDir());
  if (!made.ok()) return made;
  const std::string base = row.slug;
  for (int attempt = 0; attempt < 64; ++attempt) {
    if (attempt > 0) row.slug = base + SlugSuffix();
    auto taken = ctx.system->WorkspaceSlugTaken(who.user_id, row.slug);
    if (!taken.ok()) return taken.status();
    if (*taken) continue;
    if (!row.path_is_explicit) {
      row.path = ctx.WorkspacesDir() + "/" + row.slug;
      if (::mkdir(row.path.c_str(), 0755) != 0) {
        if (errno == EEXIST) continue;  // a directory of that name exists: next slug
        return Status::IoError("create workspace directory: " + std::string(std::strerror(errno)));
      }
      made_dir = true;
    }
    auto created = ctx.system->CreateWorkspace(row);
    if (created.ok()) {
      (void)fs::EnsureDir(row.path + "/.codex");
      return created->workspace;
    }
    if (!row.path_is_explicit && made_dir) ::rmdir(row.path.c_str());
    if (created.status().reason() != "slug_taken") {
      if (row.path_is_explicit && made_dir) ::rmdir(row.path.c_str());
      return created.status();
    }
  }
  return Status::Internal("could not find a free workspace slug");
}

}  // namespace codex::detail

namespace codex {

Result<std::vector<Workspace>> Workspaces::List(const Principal& who) {
  auto all = ctx_->system->ListWorkspacesForUser(who.user_id);
  if (!all.ok() || !who.workspace_id) return all;
  std::vector<Workspace> bound;
  for (auto& w : *all) {
    if (w.id == *who.workspace_id) bound.push_back(std::move(w));
  }
  return bound;
}

Result<Workspace> Workspaces::Get(const Principal& who, std::string_view ws) {
  auto rec =
      detail::ResolveWorkspace(*ctx_, who, ws, Role::kViewer, detail::Reach::kWorkspaceObject);
  if (!rec.ok()) return rec.status();
  return rec->workspace;
}

Result<Workspace> Workspaces::SetTheme(const Principal& who, std::string_view ws,
                                       std::string_view theme) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kEditor);
  if (!rec.ok()) return rec.status();
  Status s = CheckLength(theme, 1, 100, "theme");
  if (!s.ok()) return s;
  std::string now = ctx_->Now();
  s = ctx_->system->SetWorkspaceTheme(rec->workspace.id, std::string(theme), now);
  if (!s.ok()) return s;
  rec->workspace.theme_setting = std::string(theme);
  rec->workspace.updated_at = now;
  return rec->workspace;
}

Status Workspaces::Delete(const Principal& who, std::string_view ws) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kOwner);
  if (!rec.ok()) return rec.status();
  const Workspace& w = rec->workspace;
  auto notebooks = ctx_->system->ListNotebooks(w.id);
  if (!notebooks.ok()) return notebooks.status();
  Status s = ctx_->system->DeleteWorkspace(w.id);
  if (!s.ok()) return s;
  for (const auto& nb : *notebooks) {
    ctx_->watch->NotebookDeleted(nb.id);
    ctx_->notebooks.Drop(nb.id);
  }
  // Unless this process's watcher saw the deletion first and published it.
  if (ctx_->watch->WorkspaceDeleted(w.id)) {
    ctx_->events.PublishLifecycle(EventKind::kWorkspaceDeleted, w.id, 0, 0, ctx_->Now());
  }
  // Files last: the rows are gone first, so a failure here never leaves rows without folders.
  if (!rec->path_is_explicit) {
    const std::filesystem::path dir(w.path);
    Status removed = fs::RemoveTree(dir.parent_path().string(), dir.filename().string());
    return removed.code() == Code::kNotFound ? Status::Ok() : removed;
  }
  // An explicit directory is the user's: only what Codex created in it goes, then the directory
  // itself if nothing else is left.
  for (const auto& nb : *notebooks) {
    if (nb.path.empty() || nb.path.find('/') != std::string::npos) continue;
    Status removed = fs::RemoveTree(w.path, nb.path);
    if (!removed.ok() && removed.code() != Code::kNotFound) return removed;
  }
  Status removed = fs::RemoveTree(w.path, ".codex");
  if (!removed.ok() && removed.code() != Code::kNotFound) return removed;
  ::rmdir(w.path.c_str());  // fails, as intended, when the user's own files remain
  return Status::Ok();
}

Result<std::vector<Permission>> Workspaces::Permissions(const Principal& who, std::string_view ws) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kViewer);
  if (!rec.ok()) return rec.status();
  return ctx_->system->ListPermissions(rec->workspace.id);
}

Result<Permission> Workspaces::Share(const Principal& who, std::string_view ws,
                                     std::string_view username, Role role) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kOwner);
  if (!rec.ok()) return rec.status();
  auto user = ctx_->system->FindUserByName(username);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return errors::UserNotFound();
  return ctx_->system->SetRole(rec->workspace.id, (*user)->user.id, role, ctx_->Now());
}

Status Workspaces::Unshare(const Principal& who, std::string_view ws, std::string_view username) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kViewer);
  if (!rec.ok()) return rec.status();
  auto user = ctx_->system->FindUserByName(username);
  if (!user.ok()) return user.status();
  bool self = user->has_value() && (*user)->user.id == who.user_id;
  if (!self && rec->workspace.role != Role::kOwner) return errors::InsufficientPermissions();
  if (!user->has_value()) return Status::NotFound("permission_not_found", "Permission not found");
  Status removed =
      ctx_->system->RemoveMember(rec->workspace.id, (*user)->user.id, SlugSuffix, ctx_->Now());
  if (removed.ok()) {
    ctx_->events.PublishLifecycle(EventKind::kAccessRemoved, rec->workspace.id, 0, (*user)->user.id,
                                  ctx_->Now());
  }
  return removed;
}

}  // namespace codex
