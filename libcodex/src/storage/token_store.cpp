#include "storage/token_store.hpp"

#include "storage/database.hpp"

namespace codex::storage {
namespace {

// The users columns read with a credential (the same shape SystemStore reads).
#define CODEX_USER_COLUMNS \
  "u.id, u.username, u.email, u.is_active, u.theme_setting, u.created_at, u.updated_at"

User ReadUser(SQLite::Statement& st, int first) {
  User u;
  u.id = st.getColumn(first).getInt64();
  u.username = st.getColumn(first + 1).getString();
  u.email = st.getColumn(first + 2).getString();
  u.is_active = st.getColumn(first + 3).getInt() != 0;
  u.theme_setting = st.getColumn(first + 4).getString();
  u.created_at = st.getColumn(first + 5).getString();
  u.updated_at = st.getColumn(first + 6).getString();
  return u;
}

#define CODEX_PAT_COLUMNS                                                                   \
  "t.id, t.name, t.token_prefix, t.scopes, t.workspace_id, t.notebook_id, t.last_used_at, " \
  "t.expires_at, t.is_active, t.created_at, t.agent_id"
constexpr int kPatColumnCount = 11;

std::optional<std::string> OptText(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

std::optional<std::int64_t> OptInt(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

TokenInfo ReadPat(SQLite::Statement& st) {
  TokenInfo t;
  t.id = st.getColumn(0).getInt64();
  t.name = st.getColumn(1).getString();
  t.token_prefix = st.getColumn(2).getString();
  t.scopes = OptText(st.getColumn(3));
  t.workspace_id = OptInt(st.getColumn(4));
  t.notebook_id = OptInt(st.getColumn(5));
  t.last_used_at = OptText(st.getColumn(6));
  t.expires_at = OptText(st.getColumn(7));
  t.is_active = st.getColumn(8).getInt() != 0;
  t.created_at = st.getColumn(9).getString();
  t.agent_id = OptInt(st.getColumn(10));
  return t;
}

template <class T>
void BindOpt(SQLite::Statement& st, int index, const std::optional<T>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

void InsertRefreshRow(Connection& c, const RefreshInsert& row) {
  auto& st = c.Prepare(
      "INSERT INTO refresh_tokens(user_id, family_id, token_hash, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?)");
  st.bind(1, row.user_id);
  st.bind(2, row.family_id);
  st.bind(3, row.token_hash);
  st.bind(4, row.now);
  st.bind(5, row.expires_at);
  st.exec();
}

void RevokeFamily(Connection& c, const std::string& family_id, const std::string& now) {
  auto& st = c.Prepare(
      "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL");
  st.bind(1, now);
  st.bind(2, family_id);
  st.exec();
}

}  // namespace

TokenStore::TokenStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
TokenStore::~TokenStore() = default;

Result<std::unique_ptr<TokenStore>> TokenStore::Open(const std::string& path) {
  auto db = Database::Open(path, system_migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<TokenStore>(new TokenStore(std::move(*db)));
}

// ---- personal access tokens ----

Result<TokenInfo> TokenStore::InsertPat(const PatInsert& row) {
  return db_->Write([&](Connection& c) -> Result<TokenInfo> {
    auto& st = c.Prepare(
        "INSERT INTO personal_access_tokens(user_id, name, token_hash, token_prefix, scopes, "
        "workspace_id, notebook_id, agent_id, expires_at, is_active, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)");
    st.bind(1, row.user_id);
    st.bind(2, row.name);
    st.bind(3, row.token_hash);
    st.bind(4, row.token_prefix);
    BindOpt(st, 5, row.scopes);
    BindOpt(st, 6, row.workspace_id);
    BindOpt(st, 7, row.notebook_id);
    BindOpt(st, 8, row.agent_id);
    BindOpt(st, 9, row.expires_at);
    st.bind(10, row.now);
    st.exec();
    TokenInfo t;
    t.id = c.db().getLastInsertRowid();
    t.name = row.name;
    t.token_prefix = row.token_prefix;
    t.scopes = row.scopes;
    t.workspace_id = row.workspace_id;
    t.notebook_id = row.notebook_id;
    t.expires_at = row.expires_at;
    t.is_active = true;
    t.created_at = row.now;
    t.agent_id = row.agent_id;
    return t;
  });
}

Result<std::vector<TokenInfo>> TokenStore::ListPats(std::int64_t user_id) {
  return db_->Read([&](Connection& c) -> Result<std::vector<TokenInfo>> {
    auto& st = c.Prepare("SELECT " CODEX_PAT_COLUMNS
                         " FROM personal_access_tokens t WHERE t.user_id = ? "
                         "ORDER BY t.created_at DESC, t.id DESC");
    st.bind(1, user_id);
    std::vector<TokenInfo> out;
    while (st.executeStep()) out.push_back(ReadPat(st));
    return out;
  });
}

Status TokenStore::DeactivatePat(std::int64_t user_id, std::int64_t token_id) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st =
        c.Prepare("UPDATE personal_access_tokens SET is_active = 0 WHERE id = ? AND user_id = ?");
    st.bind(1, token_id);
    st.bind(2, user_id);
    if (st.exec() == 0) return Status::NotFound("token_not_found", "Token not found");
    return Status::Ok();
  });
}

Result<std::optional<PatRecord>> TokenStore::FindPat(std::string_view token_hash) {
  return db_->Read([&](Connection& c) -> Result<std::optional<PatRecord>> {
    auto& st = c.Prepare("SELECT " CODEX_PAT_COLUMNS ", " CODEX_USER_COLUMNS
                         " FROM personal_access_tokens t JOIN users u ON u.id = t.user_id "
                         "WHERE t.token_hash = ?");
    st.bind(1, std::string(token_hash));
    if (!st.executeStep()) return std::optional<PatRecord>();
    PatRecord r;
    r.token = ReadPat(st);
    r.user = ReadUser(st, kPatColumnCount);
    return std::optional<PatRecord>(std::move(r));
  });
}

Status TokenStore::SetPatLastUsed(std::int64_t token_id, const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare("UPDATE personal_access_tokens SET last_used_at = ? WHERE id = ?");
    st.bind(1, now);
    st.bind(2, token_id);
    st.exec();
    return Status::Ok();
  });
}

// ---- JWT subjects and the denylist ----

Result<std::optional<JwtSubject>> TokenStore::FindJwtSubject(std::string_view username,
                                                             std::string_view jti) {
  std::string key = std::string(username) + '\x1f' + std::string(jti);
  if (auto hit = subject_cache_.Get(key)) return std::move(*hit);
  std::uint64_t generation = WriteGeneration();
  auto found = db_->Read([&](Connection& c) -> Result<std::optional<JwtSubject>> {
    auto& st = c.Prepare("SELECT " CODEX_USER_COLUMNS
                         ", EXISTS (SELECT 1 FROM revoked_jtis WHERE jti = ?) "
                         "FROM users u WHERE u.username = ?");
    st.bind(1, std::string(jti));
    st.bind(2, std::string(username));
    if (!st.executeStep()) return std::optional<JwtSubject>();
    JwtSubject s;
    s.user = ReadUser(st, 0);
    s.jti_revoked = st.getColumn(7).getInt() != 0;
    return std::optional<JwtSubject>(std::move(s));
  });
  if (found.ok()) subject_cache_.Put(key, *found, generation);
  return found;
}

Status TokenStore::RevokeJti(std::string_view jti, const std::string& expires_at,
                             const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    auto& ins = c.Prepare(
        "INSERT INTO revoked_jtis(jti, expires_at) VALUES (?, ?) ON CONFLICT(jti) DO NOTHING");
    ins.bind(1, std::string(jti));
    ins.bind(2, expires_at);
    ins.exec();
    // Housekeeping rides on logouts: rows past their expiry can no longer matter.
    auto& jtis = c.Prepare("DELETE FROM revoked_jtis WHERE expires_at <= ?");
    jtis.bind(1, now);
    jtis.exec();
    auto& refresh = c.Prepare("DELETE FROM refresh_tokens WHERE expires_at <= ?");
    refresh.bind(1, now);
    refresh.exec();
    return Status::Ok();
  });
}

// ---- refresh tokens ----

Status TokenStore::InsertRefresh(const RefreshInsert& row) {
  return db_->Write([&](Connection& c) -> Status {
    InsertRefreshRow(c, row);
    return Status::Ok();
  });
}

Result<RefreshRotation> TokenStore::RotateRefresh(std::string_view old_hash, RefreshInsert next) {
  return db_->Write([&](Connection& c) -> Result<RefreshRotation> {
    auto& find = c.Prepare(
        "SELECT r.id, r.family_id, r.expires_at, r.rotated_at, r.revoked_at, " CODEX_USER_COLUMNS
        " FROM refresh_tokens r JOIN users u ON u.id = r.user_id "
        "WHERE r.token_hash = ?");
    find.bind(1, std::string(old_hash));
    RefreshRotation out;
    if (!find.executeStep()) return out;
    std::int64_t id = find.getColumn(0).getInt64();
    std::string family = find.getColumn(1).getString();
    std::string expires_at = find.getColumn(2).getString();
    bool rotated = !find.getColumn(3).isNull();
    bool revoked = !find.getColumn(4).isNull();
    User user = ReadUser(find, 5);
    find.reset();
    // An expired row is worthless whatever happened to it (and may be pruned at any time), so
    // expiry is checked before reuse.
    if (revoked || expires_at <= next.now) return out;
    if (rotated) {
      RevokeFamily(c, family, next.now);
      out.outcome = RefreshRotation::Outcome::kReused;
      return out;
    }
    if (!user.is_active) return out;
    auto& spend = c.Prepare("UPDATE refresh_tokens SET rotated_at = ? WHERE id = ?");
    spend.bind(1, next.now);
    spend.bind(2, id);
    spend.exec();
    next.user_id = user.id;
    next.family_id = family;
    InsertRefreshRow(c, next);
    out.outcome = RefreshRotation::Outcome::kRotated;
    out.user = std::move(user);
    return out;
  });
}

Status TokenStore::RevokeRefreshFamily(std::string_view token_hash, const std::string& now) {
  return db_->Write([&](Connection& c) -> Status {
    auto& find = c.Prepare("SELECT family_id FROM refresh_tokens WHERE token_hash = ?");
    find.bind(1, std::string(token_hash));
    if (!find.executeStep()) return Status::Ok();
    std::string family = find.getColumn(0).getString();
    find.reset();
    RevokeFamily(c, family, now);
    return Status::Ok();
  });
}

#undef CODEX_PAT_COLUMNS
#undef CODEX_USER_COLUMNS

}  // namespace codex::storage
