#include "storage/system_store.hpp"

#include "common/errors.hpp"
#include "common/strings.hpp"
#include "storage/database.hpp"

namespace codex::storage {
namespace {

constexpr const char* kUserColumns =
    "id, username, email, is_active, theme_setting, created_at, updated_at, hashed_password";

UserRecord ReadUser(SQLite::Statement& st) {
  UserRecord r;
  r.user.id = st.getColumn(0).getInt64();
  r.user.username = st.getColumn(1).getString();
  r.user.email = st.getColumn(2).getString();
  r.user.is_active = st.getColumn(3).getInt() != 0;
  r.user.theme_setting = st.getColumn(4).getString();
  r.user.created_at = st.getColumn(5).getString();
  r.user.updated_at = st.getColumn(6).getString();
  r.hashed_password = st.getColumn(7).getString();
  return r;
}

Role RoleFromText(const std::string& text) {
  Role role = Role::kViewer;
  RoleFromName(text, &role);
  return role;
}

// Workspace columns followed by the member's role.
constexpr const char* kWorkspaceSelect =
    "SELECT w.id, w.name, w.slug, w.path, w.owner_id, w.theme_setting, w.created_at, "
    "w.updated_at, p.role, w.path_is_explicit FROM workspaces w "
    "JOIN workspace_permissions p ON p.workspace_id = w.id AND p.user_id = ? ";

WorkspaceRecord ReadWorkspace(SQLite::Statement& st) {
  WorkspaceRecord r;
  Workspace& w = r.workspace;
  w.id = st.getColumn(0).getInt64();
  w.name = st.getColumn(1).getString();
  w.slug = st.getColumn(2).getString();
  w.path = st.getColumn(3).getString();
  w.owner_id = st.getColumn(4).getInt64();
  w.theme_setting = st.getColumn(5).getString();
  w.created_at = st.getColumn(6).getString();
  w.updated_at = st.getColumn(7).getString();
  w.role = RoleFromText(st.getColumn(8).getString());
  r.path_is_explicit = st.getColumn(9).getInt() != 0;
  return r;
}

constexpr const char* kNotebookColumns =
    "id, workspace_id, slug, name, path, description, created_at, updated_at";

Notebook ReadNotebook(SQLite::Statement& st) {
  Notebook n;
  n.id = st.getColumn(0).getInt64();
  n.workspace_id = st.getColumn(1).getInt64();
  n.slug = st.getColumn(2).getString();
  n.name = st.getColumn(3).getString();
  n.path = st.getColumn(4).getString();
  if (!st.getColumn(5).isNull()) n.description = st.getColumn(5).getString();
  n.created_at = st.getColumn(6).getString();
  n.updated_at = st.getColumn(7).getString();
  return n;
}

std::int64_t CountOwners(Connection& c, std::int64_t workspace_id) {
  auto& st = c.Prepare(
      "SELECT count(*) FROM workspace_permissions WHERE workspace_id = ? AND role = 'owner'");
  st.bind(1, workspace_id);
  st.executeStep();
  return st.getColumn(0).getInt64();
}

// When the workspace's creator stops being an owner, owner_id passes to the earliest-granted
// remaining owner; a slug clash with that owner's workspaces gets a fresh suffix.
void HandOverOwnership(Connection& c, std::int64_t workspace_id, std::int64_t leaving_user,
                       const SuffixMaker& suffix, const std::string& now) {
  auto& ws = c.Prepare("SELECT owner_id, slug FROM workspaces WHERE id = ?");
  ws.bind(1, workspace_id);
  if (!ws.executeStep() || ws.getColumn(0).getInt64() != leaving_user) return;
  std::string slug = ws.getColumn(1).getString();
  ws.reset();
  auto& next = c.Prepare(
      "SELECT user_id FROM workspace_permissions WHERE workspace_id = ? AND role = 'owner' "
      "AND user_id != ? ORDER BY created_at, id LIMIT 1");
  next.bind(1, workspace_id);
  next.bind(2, leaving_user);
  if (!next.executeStep()) return;
  std::int64_t new_owner = next.getColumn(0).getInt64();
  next.reset();
  auto& taken = c.Prepare("SELECT 1 FROM workspaces WHERE owner_id = ? AND slug = ? AND id != ?");
  std::string base = slug;
  while (true) {
    taken.reset();
    taken.bind(1, new_owner);
    taken.bind(2, slug);
    taken.bind(3, workspace_id);
    bool clash = taken.executeStep();
    taken.reset();
    if (!clash) break;
    slug = base + suffix();
  }
  auto& upd =
      c.Prepare("UPDATE workspaces SET owner_id = ?, slug = ?, updated_at = ? WHERE id = ?");
  upd.bind(1, new_owner);
  upd.bind(2, slug);
  upd.bind(3, now);
  upd.bind(4, workspace_id);
  upd.exec();
}

std::optional<WorkspaceRecord> QueryWorkspaceForUser(Connection& c, std::int64_t user_id,
                                                     std::string_view ref) {
  std::int64_t id = 0;
  if (ParseInt64(ref, &id)) {
    static const std::string sql = std::string(kWorkspaceSelect) + "WHERE w.id = ?";
    auto& st = c.Prepare(sql.c_str());
    st.bind(1, user_id);
    st.bind(2, id);
    if (!st.executeStep()) return std::nullopt;
    return ReadWorkspace(st);
  }
  if (IsAllDigits(ref)) return std::nullopt;  // id out of range
  static const std::string sql = std::string(kWorkspaceSelect) +
                                 "WHERE w.slug = ? ORDER BY (w.owner_id = p.user_id) DESC, "
                                 "w.id LIMIT 1";
  auto& st = c.Prepare(sql.c_str());
  st.bind(1, user_id);
  st.bind(2, std::string(ref));
  if (!st.executeStep()) return std::nullopt;
  return ReadWorkspace(st);
}

std::optional<Notebook> QueryNotebook(Connection& c, std::int64_t workspace_id,
                                      std::string_view ref) {
  std::int64_t id = 0;
  static const std::string by_id = std::string("SELECT ") + kNotebookColumns +
                                   " FROM notebooks WHERE workspace_id = ? AND id = ?";
  static const std::string by_slug = std::string("SELECT ") + kNotebookColumns +
                                     " FROM notebooks WHERE workspace_id = ? AND slug = ?";
  bool numeric = IsAllDigits(ref);
  if (numeric && !ParseInt64(ref, &id)) return std::nullopt;
  auto& st = c.Prepare(numeric ? by_id.c_str() : by_slug.c_str());
  st.bind(1, workspace_id);
  if (numeric) {
    st.bind(2, id);
  } else {
    st.bind(2, std::string(ref));
  }
  if (!st.executeStep()) return std::nullopt;
  return ReadNotebook(st);
}

}  // namespace

SystemStore::SystemStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
SystemStore::~SystemStore() = default;

Result<std::unique_ptr<SystemStore>> SystemStore::Open(const std::string& path) {
  auto db = Database::Open(path, system_migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<SystemStore>(new SystemStore(std::move(*db)));
}

// ---- users ----

Result<User> SystemStore::CreateUser(const std::string& username, const std::string& email,
                                     const std::string& hashed_password, const std::string& now) {
  return db_->Write([&](Connection& c) -> Result<User> {
    auto& by_name = c.Prepare("SELECT 1 FROM users WHERE username = ?");
    by_name.bind(1, username);
    if (by_name.executeStep()) {
      return Status::AlreadyExists("username_taken", "Username already registered");
    }
    auto& by_email = c.Prepare("SELECT 1 FROM users WHERE email = ?");
    by_email.bind(1, email);
    if (by_email.executeStep()) {
      return Status::AlreadyExists("email_taken", "Email already registered");
    }
    auto& ins = c.Prepare(
        "INSERT INTO users(username, email, hashed_password, is_active, theme_setting, "
        "created_at, updated_at) VALUES (?, ?, ?, 1, 'cream', ?, ?)");
    ins.bind(1, username);
    ins.bind(2, email);
    ins.bind(3, hashed_password);
    ins.bind(4, now);
    ins.bind(5, now);
    ins.exec();
    User u;
    u.id = c.db().getLastInsertRowid();
    u.username = username;
    u.email = email;
    u.created_at = now;
    u.updated_at = now;
    return u;
  });
}

Result<std::optional<UserRecord>> SystemStore::FindUserByName(std::string_view username) {
  return db_->Read([&](Connection& c) -> Result<std::optional<UserRecord>> {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?";
    auto& st = c.Prepare(sql.c_str());
    st.bind(1, std::string(username));
    if (!st.executeStep()) return std::optional<UserRecord>();
    return std::optional<UserRecord>(ReadUser(st));
  });
}

Result<std::optional<UserRecord>> SystemStore::FindUser(std::int64_t id) {
  return db_->Read([&](Connection& c) -> Result<std::optional<UserRecord>> {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?";
    auto& st = c.Prepare(sql.c_str());
    st.bind(1, id);
    if (!st.executeStep()) return std::optional<UserRecord>();
    return std::optional<UserRecord>(ReadUser(st));
  });
}

Result<std::vector<User>> SystemStore::ListUsers() {
  return db_->Read([&](Connection& c) -> Result<std::vector<User>> {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id";
    auto& st = c.Prepare(sql.c_str());
    std::vector<User> out;
    while (st.executeStep()) out.push_back(ReadUser(st).user);
    return out;
  });
}

Status SystemStore::SetUserActive(std::int64_t id, bool active, const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare("UPDATE users SET is_active = ?, updated_at = ? WHERE id = ?");
    st.bind(1, active ? 1 : 0);
    st.bind(2, now);
    st.bind(3, id);
    if (st.exec() == 0) return errors::UserNotFound();
    return Status::Ok();
  });
}

Status SystemStore::SetUserTheme(std::int64_t id, const std::string& theme,
                                 const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare("UPDATE users SET theme_setting = ?, updated_at = ? WHERE id = ?");
    st.bind(1, theme);
    st.bind(2, now);
    st.bind(3, id);
    if (st.exec() == 0) return errors::UserNotFound();
    return Status::Ok();
  });
}

Status SystemStore::SetPasswordHash(std::int64_t id, const std::string& hash,
                                    const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare("UPDATE users SET hashed_password = ?, updated_at = ? WHERE id = ?");
    st.bind(1, hash);
    st.bind(2, now);
    st.bind(3, id);
    if (st.exec() == 0) return errors::UserNotFound();
    return Status::Ok();
  });
}

Status SystemStore::DeleteUser(std::int64_t id, const SuffixMaker& suffix, const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    auto& sole = c.Prepare(
        "SELECT 1 FROM workspace_permissions p WHERE p.user_id = ? AND p.role = 'owner' AND "
        "NOT EXISTS (SELECT 1 FROM workspace_permissions o WHERE o.workspace_id = p.workspace_id "
        "AND o.role = 'owner' AND o.user_id != p.user_id)");
    sole.bind(1, id);
    if (sole.executeStep()) {
      return Status::Conflict("account_has_workspaces",
                              "Delete all workspaces before deleting your account");
    }
    sole.reset();
    std::vector<std::int64_t> created;
    auto& mine = c.Prepare("SELECT id FROM workspaces WHERE owner_id = ?");
    mine.bind(1, id);
    while (mine.executeStep()) created.push_back(mine.getColumn(0).getInt64());
    mine.reset();
    for (std::int64_t ws : created) HandOverOwnership(c, ws, id, suffix, now);
    auto& perms = c.Prepare("DELETE FROM workspace_permissions WHERE user_id = ?");
    perms.bind(1, id);
    perms.exec();
    auto& del = c.Prepare("DELETE FROM users WHERE id = ?");
    del.bind(1, id);
    if (del.exec() == 0) return errors::UserNotFound();
    return Status::Ok();
  });
}

// ---- workspaces ----

Result<WorkspaceRecord> SystemStore::CreateWorkspace(const WorkspaceInsert& in) {
  return db_->Write([&](Connection& c) -> Result<WorkspaceRecord> {
    auto& slug = c.Prepare("SELECT 1 FROM workspaces WHERE owner_id = ? AND slug = ?");
    slug.bind(1, in.owner_id);
    slug.bind(2, in.slug);
    if (slug.executeStep()) return Status::AlreadyExists("slug_taken", "Slug already in use");
    auto& path = c.Prepare("SELECT 1 FROM workspaces WHERE path = ?");
    path.bind(1, in.path);
    if (path.executeStep()) {
      return Status::AlreadyExists("workspace_path_in_use",
                                   "Path already in use by another workspace");
    }
    auto& ins = c.Prepare(
        "INSERT INTO workspaces(name, slug, path, owner_id, theme_setting, path_is_explicit, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, 'cream', ?, ?, ?)");
    ins.bind(1, in.name);
    ins.bind(2, in.slug);
    ins.bind(3, in.path);
    ins.bind(4, in.owner_id);
    ins.bind(5, in.path_is_explicit ? 1 : 0);
    ins.bind(6, in.now);
    ins.bind(7, in.now);
    ins.exec();
    WorkspaceRecord r;
    r.workspace.id = c.db().getLastInsertRowid();
    r.workspace.name = in.name;
    r.workspace.slug = in.slug;
    r.workspace.path = in.path;
    r.workspace.owner_id = in.owner_id;
    r.workspace.created_at = in.now;
    r.workspace.updated_at = in.now;
    r.workspace.role = Role::kOwner;
    r.path_is_explicit = in.path_is_explicit;
    auto& perm = c.Prepare(
        "INSERT INTO workspace_permissions(workspace_id, user_id, role, created_at, updated_at) "
        "VALUES (?, ?, 'owner', ?, ?)");
    perm.bind(1, r.workspace.id);
    perm.bind(2, in.owner_id);
    perm.bind(3, in.now);
    perm.bind(4, in.now);
    perm.exec();
    return r;
  });
}

Result<bool> SystemStore::WorkspaceSlugTaken(std::int64_t owner_id, std::string_view slug) {
  return db_->Read([&](Connection& c) -> Result<bool> {
    auto& st = c.Prepare("SELECT 1 FROM workspaces WHERE owner_id = ? AND slug = ?");
    st.bind(1, owner_id);
    st.bind(2, std::string(slug));
    return st.executeStep();
  });
}

Result<std::vector<std::string>> SystemStore::WorkspacePaths() {
  return db_->Read([&](Connection& c) -> Result<std::vector<std::string>> {
    auto& st = c.Prepare("SELECT path FROM workspaces");
    std::vector<std::string> out;
    while (st.executeStep()) out.push_back(st.getColumn(0).getString());
    return out;
  });
}

Result<std::optional<WorkspaceRecord>> SystemStore::FindWorkspaceForUser(std::int64_t user_id,
                                                                         std::string_view ref) {
  return db_->Read([&](Connection& c) -> Result<std::optional<WorkspaceRecord>> {
    return QueryWorkspaceForUser(c, user_id, ref);
  });
}

Result<std::optional<SystemStore::NotebookForUser>> SystemStore::FindNotebookForUser(
    std::int64_t user_id, std::string_view workspace_ref, std::string_view notebook_ref) {
  std::string key = std::to_string(user_id) + '\x1f' + std::string(workspace_ref) + '\x1f' +
                    std::string(notebook_ref);
  if (auto hit = notebook_cache_.Get(key)) return std::move(*hit);
  std::uint64_t generation = WriteGeneration();
  auto found = db_->Read([&](Connection& c) -> Result<std::optional<NotebookForUser>> {
    std::optional<WorkspaceRecord> ws = QueryWorkspaceForUser(c, user_id, workspace_ref);
    if (!ws) return std::optional<NotebookForUser>();
    std::optional<Notebook> nb = QueryNotebook(c, ws->workspace.id, notebook_ref);
    return std::optional<NotebookForUser>(NotebookForUser{std::move(*ws), std::move(nb)});
  });
  if (found.ok()) notebook_cache_.Put(key, *found, generation);
  return found;
}

Result<std::vector<Workspace>> SystemStore::ListWorkspacesForUser(std::int64_t user_id) {
  return db_->Read([&](Connection& c) -> Result<std::vector<Workspace>> {
    static const std::string sql = std::string(kWorkspaceSelect) + "ORDER BY w.id";
    auto& st = c.Prepare(sql.c_str());
    st.bind(1, user_id);
    std::vector<Workspace> out;
    while (st.executeStep()) out.push_back(ReadWorkspace(st).workspace);
    return out;
  });
}

Status SystemStore::SetWorkspaceTheme(std::int64_t id, const std::string& theme,
                                      const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare("UPDATE workspaces SET theme_setting = ?, updated_at = ? WHERE id = ?");
    st.bind(1, theme);
    st.bind(2, now);
    st.bind(3, id);
    if (st.exec() == 0) return errors::WorkspaceNotFound();
    return Status::Ok();
  });
}

Status SystemStore::DeleteWorkspace(std::int64_t id) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare("DELETE FROM workspaces WHERE id = ?");
    st.bind(1, id);
    if (st.exec() == 0) return errors::WorkspaceNotFound();
    return Status::Ok();
  });
}

Result<bool> SystemStore::WorkspaceExists(std::int64_t id) {
  return db_->Read([&](Connection& c) -> Result<bool> {
    auto& st = c.Prepare("SELECT 1 FROM workspaces WHERE id = ?");
    st.bind(1, id);
    return st.executeStep();
  });
}

// ---- permissions ----

Result<std::vector<Permission>> SystemStore::ListPermissions(std::int64_t workspace_id) {
  return db_->Read([&](Connection& c) -> Result<std::vector<Permission>> {
    auto& st = c.Prepare(
        "SELECT p.user_id, u.username, p.role, p.created_at FROM workspace_permissions p "
        "JOIN users u ON u.id = p.user_id WHERE p.workspace_id = ? ORDER BY p.created_at, "
        "p.user_id");
    st.bind(1, workspace_id);
    std::vector<Permission> out;
    while (st.executeStep()) {
      Permission p;
      p.user_id = st.getColumn(0).getInt64();
      p.username = st.getColumn(1).getString();
      p.role = RoleFromText(st.getColumn(2).getString());
      p.created_at = st.getColumn(3).getString();
      out.push_back(std::move(p));
    }
    return out;
  });
}

Result<Permission> SystemStore::SetRole(std::int64_t workspace_id, std::int64_t user_id, Role role,
                                        const std::string& now) {
  return db_->Write([&](Connection& c) -> Result<Permission> {
    auto& cur = c.Prepare(
        "SELECT role, created_at FROM workspace_permissions WHERE workspace_id = ? AND "
        "user_id = ?");
    cur.bind(1, workspace_id);
    cur.bind(2, user_id);
    bool exists = cur.executeStep();
    std::string old_role = exists ? cur.getColumn(0).getString() : "";
    std::string created_at = exists ? cur.getColumn(1).getString() : now;
    cur.reset();
    if (old_role == "owner" && role != Role::kOwner && CountOwners(c, workspace_id) <= 1) {
      return errors::LastOwner();
    }
    auto& up = c.Prepare(
        "INSERT INTO workspace_permissions(workspace_id, user_id, role, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(workspace_id, user_id) DO UPDATE SET "
        "role = excluded.role, updated_at = excluded.updated_at");
    up.bind(1, workspace_id);
    up.bind(2, user_id);
    up.bind(3, std::string(RoleName(role)));
    up.bind(4, created_at);
    up.bind(5, now);
    up.exec();
    auto& name = c.Prepare("SELECT username FROM users WHERE id = ?");
    name.bind(1, user_id);
    if (!name.executeStep()) return errors::UserNotFound();
    Permission p;
    p.user_id = user_id;
    p.username = name.getColumn(0).getString();
    p.role = role;
    p.created_at = created_at;
    return p;
  });
}

Status SystemStore::RemoveMember(std::int64_t workspace_id, std::int64_t user_id,
                                 const SuffixMaker& suffix, const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    auto& cur =
        c.Prepare("SELECT role FROM workspace_permissions WHERE workspace_id = ? AND user_id = ?");
    cur.bind(1, workspace_id);
    cur.bind(2, user_id);
    if (!cur.executeStep()) {
      return Status::NotFound("permission_not_found", "Permission not found");
    }
    bool was_owner = cur.getColumn(0).getString() == "owner";
    cur.reset();
    if (was_owner && CountOwners(c, workspace_id) <= 1) return errors::LastOwner();
    auto& del =
        c.Prepare("DELETE FROM workspace_permissions WHERE workspace_id = ? AND user_id = ?");
    del.bind(1, workspace_id);
    del.bind(2, user_id);
    del.exec();
    // The creator leaving hands owner_id over whatever role they had by then (CONTRACT §9.1).
    HandOverOwnership(c, workspace_id, user_id, suffix, now);
    return Status::Ok();
  });
}

// ---- notebooks ----

Result<Notebook> SystemStore::CreateNotebook(const NotebookInsert& in) {
  return db_->Write([&](Connection& c) -> Result<Notebook> {
    auto& taken = c.Prepare("SELECT 1 FROM notebooks WHERE workspace_id = ? AND slug = ?");
    taken.bind(1, in.workspace_id);
    taken.bind(2, in.slug);
    if (taken.executeStep()) return Status::AlreadyExists("slug_taken", "Slug already in use");
    auto& ins = c.Prepare(
        "INSERT INTO notebooks(workspace_id, name, slug, path, description, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, in.workspace_id);
    ins.bind(2, in.name);
    ins.bind(3, in.slug);
    ins.bind(4, in.path);
    if (in.description) {
      ins.bind(5, *in.description);
    } else {
      ins.bind(5);
    }
    ins.bind(6, in.now);
    ins.bind(7, in.now);
    ins.exec();
    Notebook n;
    n.id = c.db().getLastInsertRowid();
    n.workspace_id = in.workspace_id;
    n.slug = in.slug;
    n.name = in.name;
    n.path = in.path;
    n.description = in.description;
    n.created_at = in.now;
    n.updated_at = in.now;
    return n;
  });
}

Result<bool> SystemStore::NotebookSlugTaken(std::int64_t workspace_id, std::string_view slug) {
  return db_->Read([&](Connection& c) -> Result<bool> {
    auto& st = c.Prepare("SELECT 1 FROM notebooks WHERE workspace_id = ? AND slug = ?");
    st.bind(1, workspace_id);
    st.bind(2, std::string(slug));
    return st.executeStep();
  });
}

Result<std::vector<Notebook>> SystemStore::ListNotebooks(std::int64_t workspace_id) {
  return db_->Read([&](Connection& c) -> Result<std::vector<Notebook>> {
    static const std::string sql = std::string("SELECT ") + kNotebookColumns +
                                   " FROM notebooks WHERE workspace_id = ? ORDER BY id";
    auto& st = c.Prepare(sql.c_str());
    st.bind(1, workspace_id);
    std::vector<Notebook> out;
    while (st.executeStep()) out.push_back(ReadNotebook(st));
    return out;
  });
}

Result<std::vector<SystemStore::NotebookLocation>> SystemStore::AllNotebooks() {
  return db_->Read([&](Connection& c) -> Result<std::vector<NotebookLocation>> {
    auto& st = c.Prepare(
        "SELECT n.workspace_id, n.id, w.path || '/' || n.path FROM notebooks n "
        "JOIN workspaces w ON w.id = n.workspace_id ORDER BY n.id");
    std::vector<NotebookLocation> out;
    while (st.executeStep()) {
      out.push_back(
          {st.getColumn(0).getInt64(), st.getColumn(1).getInt64(), st.getColumn(2).getString()});
    }
    return out;
  });
}

Result<std::optional<Notebook>> SystemStore::FindNotebook(std::int64_t workspace_id,
                                                          std::string_view ref) {
  return db_->Read([&](Connection& c) -> Result<std::optional<Notebook>> {
    return QueryNotebook(c, workspace_id, ref);
  });
}

Result<std::optional<Notebook>> SystemStore::FindNotebookById(std::int64_t id) {
  return db_->Read([&](Connection& c) -> Result<std::optional<Notebook>> {
    static const std::string sql =
        std::string("SELECT ") + kNotebookColumns + " FROM notebooks WHERE id = ?";
    auto& st = c.Prepare(sql.c_str());
    st.bind(1, id);
    if (!st.executeStep()) return std::optional<Notebook>();
    return std::optional<Notebook>(ReadNotebook(st));
  });
}

Status SystemStore::DeleteNotebook(std::int64_t id) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare("DELETE FROM notebooks WHERE id = ?");
    st.bind(1, id);
    if (st.exec() == 0) return errors::NotebookNotFound();
    return Status::Ok();
  });
}

Status SystemStore::Ping() {
  Status s = db_->Read([&](Connection& c) -> Status {
    c.Prepare("SELECT 1").executeStep();
    return Status::Ok();
  });
  if (s.ok()) return s;
  return Status::Unavailable("database_unavailable",
                             std::string(CodeName(s.code())) + ": " + s.message().substr(0, 80));
}

// ---- settings ----

Result<std::optional<std::string>> SystemStore::GetSetting(std::string_view key) {
  return db_->Read([&](Connection& c) -> Result<std::optional<std::string>> {
    auto& st = c.Prepare("SELECT value FROM settings WHERE key = ?");
    st.bind(1, std::string(key));
    if (!st.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(st.getColumn(0).getString());
  });
}

Status SystemStore::SetSetting(std::string_view key, std::string_view value) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare(
        "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
        "value = excluded.value");
    st.bind(1, std::string(key));
    st.bind(2, std::string(value));
    st.exec();
    return Status::Ok();
  });
}

}  // namespace codex::storage
