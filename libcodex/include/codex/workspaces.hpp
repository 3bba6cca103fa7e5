// Workspaces: folders of notebooks shared with roles owner > editor > viewer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
}

// "owner" / "editor" / "viewer"; RoleFromName answers false for anything else.
std::string_view RoleName(Role role) noexcept;
bool RoleFromName(std::string_view name, Role* out) noexcept;

struct Workspace {
  std::int64_t id = 0;
  std::string name;
  std::string slug;
  std::string path;  // absolute
  std::int64_t owner_id = 0;
  std::string theme_setting = "cream";
  std::string created_at;
  std::string updated_at;
  Role role = Role::kViewer;  // the caller's role
};

struct Permission {
  std::int64_t user_id = 0;
  std::string username;
  Role role = Role::kViewer;
  std::string created_at;
};

struct WorkspaceCreate {
  std::string name;
  // Absolute directory; empty = <data dir>/workspaces/<slug>.
  std::optional<std::string> path;
};

// A workspace is named by a reference: all ASCII digits = id, anything else = slug among the
// caller's workspaces (own first). Non-members get kNotFound "workspace_not_found"; members with
// too low a role get kPermissionDenied "insufficient_permissions". Thread-safe.
class Workspaces {
 public:
  // Errors: kValidation (name), kAlreadyExists "workspace_path_in_use", kInvalidArgument
  // "workspace_parent_missing" / "workspace_parent_not_writable", kPermissionDenied
  // "workspace_path_forbidden".
  Result<Workspace> Create(const Principal& who, const WorkspaceCreate& input);
  // Owned and shared workspaces, ascending id, each with the caller's role.
  Result<std::vector<Workspace>> List(const Principal& who);
  Result<Workspace> Get(const Principal& who, std::string_view ws);
  // Editor. Errors: kValidation (1..100 characters).
  Result<Workspace> SetTheme(const Principal& who, std::string_view ws, std::string_view theme);
  // Owner. Removes notebooks and rows; an explicit-path directory is removed only when empty.
  Status Delete(const Principal& who, std::string_view ws);

  // Viewer. Ordered by grant time, then user id.
  Result<std::vector<Permission>> Permissions(const Principal& who, std::string_view ws);
  // Owner. Creates or changes a member's role. Errors: kNotFound "user_not_found";
  // kConflict "last_owner" when it would demote the only owner.
  Result<Permission> Share(const Principal& who, std::string_view ws, std::string_view username,
                           Role role);
  // Owner, or any member for themself. Errors: kNotFound "permission_not_found";
  // kConflict "last_owner".
  Status Unshare(const Principal& who, std::string_view ws, std::string_view username);

 private:
  friend class Codex;
  explicit Workspaces(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
