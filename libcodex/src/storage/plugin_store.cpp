#include "storage/plugin_store.hpp"

#include "storage/database.hpp"

namespace codex::storage {
namespace {

// Cached statements are keyed by the address of their text: one literal per statement and table.
struct ConfigSql {
  const char* list;
  const char* find;
  const char* upsert;
  const char* remove;
};

constexpr ConfigSql kWorkspaceSql{
    "SELECT plugin_id, enabled, config, created_at, updated_at FROM plugin_configs "
    "WHERE workspace_id = ? ORDER BY plugin_id",
    "SELECT plugin_id, enabled, config, created_at, updated_at FROM plugin_configs "
    "WHERE workspace_id = ? AND plugin_id = ?",
    "INSERT INTO plugin_configs(workspace_id, plugin_id, enabled, config, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(workspace_id, plugin_id) DO UPDATE SET "
    "enabled = excluded.enabled, config = excluded.config, updated_at = excluded.updated_at",
    "DELETE FROM plugin_configs WHERE workspace_id = ? AND plugin_id = ?",
};

constexpr ConfigSql kNotebookSql{
    "SELECT plugin_id, enabled, config, created_at, updated_at FROM notebook_plugin_configs "
    "WHERE notebook_id = ? ORDER BY plugin_id",
    "SELECT plugin_id, enabled, config, created_at, updated_at FROM notebook_plugin_configs "
    "WHERE notebook_id = ? AND plugin_id = ?",
    "INSERT INTO notebook_plugin_configs(notebook_id, plugin_id, enabled, config, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(notebook_id, plugin_id) DO UPDATE SET "
    "enabled = excluded.enabled, config = excluded.config, updated_at = excluded.updated_at",
    "DELETE FROM notebook_plugin_configs WHERE notebook_id = ? AND plugin_id = ?",
};

const ConfigSql& SqlFor(ConfigOwner kind) {
  return kind == ConfigOwner::kWorkspace ? kWorkspaceSql : kNotebookSql;
}

// A stored JSON object; anything else (damaged text) reads as {}.
Json ObjectColumn(SQLite::Statement& st, int col) {
  auto parsed = Json::Parse(st.getColumn(col).getString());
  if (!parsed.ok() || !parsed->is_object()) return Json(Json::Object{});
  return std::move(*parsed);
}

PluginConfig ReadConfig(SQLite::Statement& st) {
  PluginConfig c;
  c.plugin_id = st.getColumn(0).getString();
  c.enabled = st.getColumn(1).getInt() != 0;
  c.config = ObjectColumn(st, 2);
  c.created_at = st.getColumn(3).getString();
  c.updated_at = st.getColumn(4).getString();
  c.stored = true;
  return c;
}

Plugin ReadPlugin(SQLite::Statement& st) {
  Plugin p;
  p.id = st.getColumn(0).getString();
  p.name = st.getColumn(1).getString();
  p.version = st.getColumn(2).getString();
  p.type = st.getColumn(3).getString();
  p.enabled = true;  // CONTRACT §20: always true (enablement lives in plugin configs)
  p.manifest = ObjectColumn(st, 4);
  return p;
}

std::optional<PluginConfig> FindConfigIn(Connection& c, ConfigOwner kind, std::int64_t owner,
                                         std::string_view plugin_id) {
  auto& st = c.Prepare(SqlFor(kind).find);
  st.bind(1, owner);
  st.bind(2, std::string(plugin_id));
  if (!st.executeStep()) return std::nullopt;
  PluginConfig found = ReadConfig(st);
  st.reset();
  return found;
}

}  // namespace

PluginStore::PluginStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
PluginStore::~PluginStore() = default;

Result<std::unique_ptr<PluginStore>> PluginStore::Open(const std::string& path) {
  auto db = Database::Open(path, system_migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<PluginStore>(new PluginStore(std::move(*db)));
}

Result<bool> PluginStore::Upsert(const PluginRegistration& in, const std::string& now) {
  return db_->Write([&](Connection& c) -> Result<bool> {
    auto& exists = c.Prepare("SELECT 1 FROM plugins WHERE plugin_id = ?");
    exists.bind(1, in.id);
    bool existed = exists.executeStep();
    exists.reset();
    auto& st = c.Prepare(
        "INSERT INTO plugins(plugin_id, name, version, type, enabled, manifest, installed_at, "
        "updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT(plugin_id) DO UPDATE SET "
        "name = excluded.name, version = excluded.version, type = excluded.type, enabled = 1, "
        "manifest = excluded.manifest, updated_at = excluded.updated_at");
    st.bind(1, in.id);
    st.bind(2, in.name);
    st.bind(3, in.version);
    st.bind(4, in.type);
    st.bind(5, in.manifest.is_object() ? in.manifest.Dump() : std::string("{}"));
    st.bind(6, now);
    st.bind(7, now);
    st.exec();
    return existed;
  });
}

Result<std::vector<Plugin>> PluginStore::List(std::optional<std::string_view> type) {
  return db_->Read([&](Connection& c) -> Result<std::vector<Plugin>> {
    auto& st = c.Prepare(
        "SELECT plugin_id, name, version, type, manifest FROM plugins "
        "WHERE ?1 IS NULL OR type = ?1 ORDER BY plugin_id");
    if (type) {
      st.bind(1, std::string(*type));
    } else {
      st.bind(1);
    }
    std::vector<Plugin> out;
    while (st.executeStep()) out.push_back(ReadPlugin(st));
    return out;
  });
}

Result<std::optional<Plugin>> PluginStore::Find(std::string_view plugin_id) {
  return db_->Read([&](Connection& c) -> Result<std::optional<Plugin>> {
    auto& st = c.Prepare(
        "SELECT plugin_id, name, version, type, manifest FROM plugins WHERE plugin_id = ?");
    st.bind(1, std::string(plugin_id));
    if (!st.executeStep()) return std::optional<Plugin>();
    return std::optional<Plugin>(ReadPlugin(st));
  });
}

Result<bool> PluginStore::Delete(std::string_view plugin_id) {
  return db_->Write([&](Connection& c) -> Result<bool> {
    auto& st = c.Prepare("DELETE FROM plugins WHERE plugin_id = ?");
    st.bind(1, std::string(plugin_id));
    return st.exec() > 0;
  });
}

Result<std::vector<PluginConfig>> PluginStore::Configs(ConfigOwner kind, std::int64_t owner) {
  return db_->Read([&](Connection& c) -> Result<std::vector<PluginConfig>> {
    auto& st = c.Prepare(SqlFor(kind).list);
    st.bind(1, owner);
    std::vector<PluginConfig> out;
    while (st.executeStep()) out.push_back(ReadConfig(st));
    return out;
  });
}

Result<std::optional<PluginConfig>> PluginStore::FindConfig(ConfigOwner kind, std::int64_t owner,
                                                            std::string_view plugin_id) {
  return db_->Read([&](Connection& c) -> Result<std::optional<PluginConfig>> {
    return FindConfigIn(c, kind, owner, plugin_id);
  });
}

Result<PluginConfig> PluginStore::PutConfig(ConfigOwner kind, std::int64_t owner,
                                            std::string_view plugin_id,
                                            const PluginConfigUpdate& input,
                                            const ConfigScrub& scrub, const std::string& now) {
  return db_->Write([&](Connection& c) -> Result<PluginConfig> {
    std::optional<PluginConfig> existing = FindConfigIn(c, kind, owner, plugin_id);
    PluginConfig row;
    row.plugin_id = std::string(plugin_id);
    row.enabled = existing ? existing->enabled : true;
    row.config = existing ? existing->config : Json(Json::Object{});
    row.created_at = existing ? existing->created_at : now;
    row.updated_at = now;
    row.stored = true;
    if (input.enabled) row.enabled = *input.enabled;
    if (input.config && input.config->is_object()) row.config = *input.config;
    if (scrub) scrub(&row.config.as_object());
    auto& st = c.Prepare(SqlFor(kind).upsert);
    st.bind(1, owner);
    st.bind(2, row.plugin_id);
    st.bind(3, row.enabled ? 1 : 0);
    st.bind(4, row.config.Dump());
    st.bind(5, row.created_at);
    st.bind(6, row.updated_at);
    st.exec();
    return row;
  });
}

Status PluginStore::DeleteConfig(ConfigOwner kind, std::int64_t owner, std::string_view plugin_id) {
  return db_->Write([&](Connection& c) -> Status {
    auto& st = c.Prepare(SqlFor(kind).remove);
    st.bind(1, owner);
    st.bind(2, std::string(plugin_id));
    st.exec();
    return Status::Ok();
  });
}

}  // namespace codex::storage
