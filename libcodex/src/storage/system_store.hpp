// The system database (SEMANTICS §17.1): users, workspaces, roles, notebooks, settings.
// Typed operations only; SQL stays in storage/. Thread-safe. Multi-row rules that must hold
// atomically (last owner, owner hand-over) are enforced inside one transaction here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/notebooks.hpp"
#include "codex/status.hpp"
#include "codex/users.hpp"
#include "codex/workspaces.hpp"
#include "storage/read_cache.hpp"

namespace codex::storage {

class Database;

struct UserRecord {
  User user;
  std::string hashed_password;
};

struct WorkspaceInsert {
  std::string name;
  std::string slug;
  std::string path;
  std::int64_t owner_id = 0;
  bool path_is_explicit = false;
  std::string now;
};

struct WorkspaceRecord {
  Workspace workspace;  // role = the caller's role when read for a user
  bool path_is_explicit = false;
};

struct NotebookInsert {
  std::int64_t workspace_id = 0;
  std::string name;
  std::string slug;
  std::string path;
  std::optional<std::string> description;
  std::string now;
};

// Makes a fresh slug suffix ("-" + 8 random hex characters).
using SuffixMaker = std::function<std::string()>;

class SystemStore {
 public:
  // Opens <data dir>/codex_system.db and migrates it.
  static Result<std::unique_ptr<SystemStore>> Open(const std::string& path);
  ~SystemStore();

  // Users. CreateUser: kAlreadyExists "username_taken" (checked first) / "email_taken".
  Result<User> CreateUser(const std::string& username, const std::string& email,
                          const std::string& hashed_password, const std::string& now);
  Result<std::optional<UserRecord>> FindUserByName(std::string_view username);
  Result<std::optional<UserRecord>> FindUser(std::int64_t id);
  Result<std::vector<User>> ListUsers();
  Status SetUserActive(std::int64_t id, bool active, const std::string& now);
  Status SetUserTheme(std::int64_t id, const std::string& theme, const std::string& now);
  Status SetPasswordHash(std::int64_t id, const std::string& hash, const std::string& now);
  // kConflict "account_has_workspaces" while the user is the only owner of a workspace; hands
  // co-owned workspaces they created to the earliest-granted remaining owner.
  Status DeleteUser(std::int64_t id, const SuffixMaker& suffix, const std::string& now);

  // Workspaces. CreateWorkspace also grants the owner role; kAlreadyExists "slug_taken" or
  // "workspace_path_in_use" when a concurrent writer took the slug or path.
  Result<WorkspaceRecord> CreateWorkspace(const WorkspaceInsert& input);
  Result<bool> WorkspaceSlugTaken(std::int64_t owner_id, std::string_view slug);
  Result<std::vector<std::string>> WorkspacePaths();
  // `ref`: all digits = id, else slug among the user's workspaces (own first, then by id).
  // nullopt when unknown or the user is not a member.
  Result<std::optional<WorkspaceRecord>> FindWorkspaceForUser(std::int64_t user_id,
                                                              std::string_view ref);
  Result<std::vector<Workspace>> ListWorkspacesForUser(std::int64_t user_id);
  Status SetWorkspaceTheme(std::int64_t id, const std::string& theme, const std::string& now);
  // Removes the row with its permissions and notebook rows.
  Status DeleteWorkspace(std::int64_t id);
  Result<bool> WorkspaceExists(std::int64_t id);

  // Permissions.
  Result<std::vector<Permission>> ListPermissions(std::int64_t workspace_id);
  // Creates or updates; kConflict "last_owner" when it would demote the only owner.
  Result<Permission> SetRole(std::int64_t workspace_id, std::int64_t user_id, Role role,
                             const std::string& now);
  // kNotFound "permission_not_found"; kConflict "last_owner". Hands owner_id over when the
  // creator leaves.
  Status RemoveMember(std::int64_t workspace_id, std::int64_t user_id, const SuffixMaker& suffix,
                      const std::string& now);

  // Notebooks. CreateNotebook: kAlreadyExists "slug_taken" on a concurrent slug.
  Result<Notebook> CreateNotebook(const NotebookInsert& input);
  Result<bool> NotebookSlugTaken(std::int64_t workspace_id, std::string_view slug);
  Result<std::vector<Notebook>> ListNotebooks(std::int64_t workspace_id);
  // `ref`: all digits = id, else slug; only within the workspace.
  Result<std::optional<Notebook>> FindNotebook(std::int64_t workspace_id, std::string_view ref);
  // FindWorkspaceForUser and FindNotebook in one read transaction (the per-request lookup of
  // every notebook route), served from a ReadCache (≤ 1 s, dropped on any write here). nullopt
  // when the workspace is unknown or not the user's.
  struct NotebookForUser {
    WorkspaceRecord workspace;
    std::optional<Notebook> notebook;
  };
  Result<std::optional<NotebookForUser>> FindNotebookForUser(std::int64_t user_id,
                                                             std::string_view workspace_ref,
                                                             std::string_view notebook_ref);
  // Any notebook by id (no membership implied: callers check access through its workspace).
  Result<std::optional<Notebook>> FindNotebookById(std::int64_t id);
  Status DeleteNotebook(std::int64_t id);
  // Every notebook of the data directory with its absolute folder (the watcher's set).
  struct NotebookLocation {
    std::int64_t workspace_id = 0;
    std::int64_t notebook_id = 0;
    std::string root;
  };
  Result<std::vector<NotebookLocation>> AllNotebooks();

  // SELECT 1; kUnavailable with a short cause when the database does not answer.
  Status Ping();

  // Settings.
  Result<std::optional<std::string>> GetSetting(std::string_view key);
  Status SetSetting(std::string_view key, std::string_view value);

 private:
  explicit SystemStore(std::unique_ptr<Database> db);
  std::unique_ptr<Database> db_;
  ReadCache<std::optional<NotebookForUser>> notebook_cache_{std::chrono::seconds(1)};
};

}  // namespace codex::storage
