// Plugins (CONTRACT §11, §20, §21.1–§21.2, SEMANTICS §15.1–§15.3): the registry, the plugins
// directory, integrations and per-workspace / per-notebook configuration.
//
// Plugin secrets (CONTRACT §12, SEMANTICS §15.8) come later, with their encrypted store: until
// then a secure property (manifest properties[] with secure: true) is dropped from every config
// before it is stored and from every config answered, so a secure value never sits in plain
// config.
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "codex/plugins.hpp"
#include "common/errors.hpp"
#include "common/validate.hpp"
#include "core/access.hpp"
#include "core/context.hpp"
#include "plugins/manifest.hpp"
#include "storage/plugin_store.hpp"

namespace codex::detail {

// The registry's store, opened on first use, and the lock that serialises directory loads.
// Thread-safe; `ctx` outlives it.
class PluginRuntime {
 public:
  explicit PluginRuntime(Context* ctx) : ctx_(ctx) {}

  Result<storage::PluginStore*> store() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!store_) {
      auto opened = storage::PluginStore::Open(ctx_->data_dir + "/codex_system.db");
      if (!opened.ok()) return opened.status();
      store_ = std::move(*opened);
    }
    return store_.get();
  }

  std::mutex& load_mutex() { return load_mutex_; }

 private:
  Context* ctx_;
  std::mutex mutex_;
  std::unique_ptr<storage::PluginStore> store_;
  std::mutex load_mutex_;
};

}  // namespace codex::detail

namespace codex {
namespace {

using storage::ConfigOwner;
using storage::PluginStore;

Status PluginNotFound() { return Status::NotFound("plugin_not_found", "Plugin not found"); }
Status IntegrationNotFound() {
  return Status::NotFound("integration_not_found", "Integration not found");
}

// Any non-empty plugin id is accepted for configurations (registration is not required).
Status CheckPluginId(std::string_view plugin_id) {
  return CheckLength(plugin_id, 1, std::numeric_limits<std::size_t>::max(), "plugin_id");
}

Status CheckConfigInput(const PluginConfigUpdate& input) {
  if (input.config && !input.config->is_null() && !input.config->is_object()) {
    return Status::Validation("dict_type", "config", "Input should be a valid dictionary");
  }
  return Status::Ok();
}

// Secure keys of every registered plugin that declares some.
Result<std::map<std::string, std::vector<std::string>>> SecureKeyTable(PluginStore& store) {
  auto all = store.List(std::nullopt);
  if (!all.ok()) return all.status();
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& p : *all) {
    auto keys = plugins::SecureKeys(p.manifest);
    if (!keys.empty()) out.emplace(p.id, std::move(keys));
  }
  return out;
}

Result<std::vector<std::string>> SecureKeysOf(PluginStore& store, std::string_view plugin_id) {
  auto found = store.Find(plugin_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return std::vector<std::string>();
  return plugins::SecureKeys((*found)->manifest);
}

void DropKeys(Json::Object* config, const std::vector<std::string>& keys) {
  for (const auto& k : keys) config->erase(k);
}

PluginConfig DefaultConfig(std::string_view plugin_id) {
  PluginConfig c;
  c.plugin_id = std::string(plugin_id);
  c.config = Json(Json::Object{});
  return c;
}

Result<std::vector<PluginConfig>> ListConfigs(PluginStore& store, ConfigOwner kind,
                                              std::int64_t owner) {
  auto rows = store.Configs(kind, owner);
  if (!rows.ok()) return rows.status();
  auto secure = SecureKeyTable(store);
  if (!secure.ok()) return secure.status();
  for (auto& row : *rows) {
    auto it = secure->find(row.plugin_id);
    if (it != secure->end()) DropKeys(&row.config.as_object(), it->second);
  }
  return rows;
}

Result<PluginConfig> GetConfig(PluginStore& store, ConfigOwner kind, std::int64_t owner,
                               std::string_view plugin_id) {
  Status s = CheckPluginId(plugin_id);
  if (!s.ok()) return s;
  auto row = store.FindConfig(kind, owner, plugin_id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return DefaultConfig(plugin_id);
  auto secure = SecureKeysOf(store, plugin_id);
  if (!secure.ok()) return secure.status();
  DropKeys(&(*row)->config.as_object(), *secure);
  return std::move(**row);
}

Result<PluginConfig> PutConfig(detail::Context& ctx, PluginStore& store, ConfigOwner kind,
                               std::int64_t owner, std::string_view plugin_id,
                               const PluginConfigUpdate& input) {
  Status s = CheckPluginId(plugin_id);
  if (!s.ok()) return s;
  s = CheckConfigInput(input);
  if (!s.ok()) return s;
  auto secure = SecureKeysOf(store, plugin_id);
  if (!secure.ok()) return secure.status();
  // Secure values belong in the secrets store (not yet there): never in plain config.
  std::vector<std::string> keys = std::move(*secure);
  return store.PutConfig(
      kind, owner, plugin_id, input, [&keys](Json::Object* config) { DropKeys(config, keys); },
      ctx.Now());
}

Status DeleteConfig(PluginStore& store, ConfigOwner kind, std::int64_t owner,
                    std::string_view plugin_id) {
  Status s = CheckPluginId(plugin_id);
  if (!s.ok()) return s;
  return store.DeleteConfig(kind, owner, plugin_id);
}

// The registered integration `plugin_id`, or "integration_not_found".
Result<Plugin> FindIntegration(PluginStore& store, std::string_view plugin_id) {
  auto found = store.Find(plugin_id);
  if (!found.ok()) return found.status();
  if (!found->has_value() || !plugins::IsIntegration((*found)->manifest)) {
    return IntegrationNotFound();
  }
  return std::move(**found);
}

}  // namespace

Plugins::Plugins(detail::Context* ctx)
    : ctx_(ctx), runtime_(std::make_shared<detail::PluginRuntime>(ctx)) {}

Result<std::vector<PluginLoadProblem>> Plugins::LoadDirectory() {
  std::lock_guard<std::mutex> lock(runtime_->load_mutex());
  const std::string& dir = ctx_->options.plugins_dir;
  plugins::LoadedDirectory loaded;
  if (!dir.empty()) loaded = plugins::LoadPluginDirectory(dir);
  if (!loaded.plugins.empty()) {
    auto store = runtime_->store();
    if (!store.ok()) return store.status();
    std::string now = ctx_->Now();
    for (const auto& p : loaded.plugins) {
      auto upserted = (*store)->Upsert(p.registration, now);
      if (!upserted.ok()) return upserted.status();
    }
  }
  std::vector<Template> templates = plugins::PluginTemplates(loaded.plugins, &loaded.problems);
  {
    std::lock_guard<std::mutex> catalogue(ctx_->plugin_templates_mutex);
    ctx_->plugin_templates = std::move(templates);
  }
  return std::move(loaded.problems);
}

Result<RegisterResult> Plugins::Register(const PluginRegistration& input) {
  if (!input.manifest.is_null() && !input.manifest.is_object()) {
    return Status::Validation("dict_type", "manifest", "Input should be a valid dictionary");
  }
  auto results = RegisterBatch({input});
  if (!results.ok()) return results.status();
  RegisterResult& r = results->front();
  if (!r.registered) return Status::InvalidArgument("invalid_plugin", r.message);
  return std::move(r);
}

Result<std::vector<RegisterResult>> Plugins::RegisterBatch(
    const std::vector<PluginRegistration>& input) {
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  std::string now = ctx_->Now();
  std::vector<RegisterResult> out;
  out.reserve(input.size());
  for (const auto& p : input) {
    RegisterResult r{p.id, p.name, p.version, p.type, false, "", false};
    r.message = plugins::ValidateRegistration(p.id, p.version, p.type);
    if (r.message.empty() && p.name.empty()) r.message = "Missing required field: name";
    if (r.message.empty() && !p.manifest.is_null() && !p.manifest.is_object()) {
      r.message = "Input should be a valid dictionary";
    }
    if (!r.message.empty()) {
      out.push_back(std::move(r));
      continue;
    }
    PluginRegistration row = p;
    if (row.manifest.is_null()) row.manifest = Json(Json::Object{});
    auto existed = (*store)->Upsert(row, now);
    if (!existed.ok()) return existed.status();
    r.registered = true;
    r.updated = *existed;
    r.message = *existed ? "Plugin updated" : "Plugin registered";
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Plugin>> Plugins::List(std::optional<std::string_view> type) {
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return (*store)->List(type);
}

Result<Plugin> Plugins::Get(std::string_view plugin_id) {
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  auto found = (*store)->Find(plugin_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return PluginNotFound();
  return std::move(**found);
}

Status Plugins::Unregister(std::string_view plugin_id) {
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  auto deleted = (*store)->Delete(plugin_id);
  if (!deleted.ok()) return deleted.status();
  if (!*deleted) return PluginNotFound();
  return Status::Ok();
}

// ---- integrations ----

Result<std::vector<Integration>> Plugins::Integrations(const Principal& who,
                                                       std::optional<std::string_view> ws) {
  std::optional<std::int64_t> ws_id;
  if (ws) {
    // Integration state is read by nested notebook routes too: the workspace object's reach.
    auto rec =
        detail::ResolveWorkspace(*ctx_, who, *ws, Role::kViewer, detail::Reach::kWorkspaceObject);
    if (!rec.ok()) return rec.status();
    ws_id = rec->workspace.id;
  }
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  auto all = (*store)->List(std::nullopt);
  if (!all.ok()) return all.status();
  std::map<std::string, bool> enabled;
  if (ws_id) {
    auto configs = (*store)->Configs(ConfigOwner::kWorkspace, *ws_id);
    if (!configs.ok()) return configs.status();
    for (const auto& c : *configs) enabled[c.plugin_id] = c.enabled;
  }
  std::vector<Integration> out;
  for (auto& p : *all) {
    if (!plugins::IsIntegration(p.manifest)) continue;
    auto it = enabled.find(p.id);
    bool on = it == enabled.end() || it->second;
    out.push_back(Integration{std::move(p), on});
  }
  return out;
}

Result<Integration> Plugins::GetIntegration(const Principal& who, std::string_view plugin_id,
                                            std::optional<std::string_view> ws) {
  std::optional<std::int64_t> ws_id;
  if (ws) {
    auto rec =
        detail::ResolveWorkspace(*ctx_, who, *ws, Role::kViewer, detail::Reach::kWorkspaceObject);
    if (!rec.ok()) return rec.status();
    ws_id = rec->workspace.id;
  }
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  auto plugin = FindIntegration(**store, plugin_id);
  if (!plugin.ok()) return plugin.status();
  bool on = true;
  if (ws_id) {
    auto row = (*store)->FindConfig(ConfigOwner::kWorkspace, *ws_id, plugin_id);
    if (!row.ok()) return row.status();
    if (row->has_value()) on = (*row)->enabled;
  }
  return Integration{std::move(*plugin), on};
}

Result<Integration> Plugins::EnableIntegration(const Principal& who, std::string_view ws,
                                               std::string_view plugin_id, bool enabled) {
  // Nested notebook routes enable too (CONTRACT §21.2): the workspace object's reach.
  auto rec =
      detail::ResolveWorkspace(*ctx_, who, ws, Role::kOwner, detail::Reach::kWorkspaceObject);
  if (!rec.ok()) return rec.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  auto plugin = FindIntegration(**store, plugin_id);
  if (!plugin.ok()) return plugin.status();
  PluginConfigUpdate update;
  update.enabled = enabled;
  auto row =
      PutConfig(*ctx_, **store, ConfigOwner::kWorkspace, rec->workspace.id, plugin_id, update);
  if (!row.ok()) return row.status();
  return Integration{std::move(*plugin), row->enabled};
}

// ---- workspace-level configuration ----

Result<std::vector<PluginConfig>> Plugins::WorkspaceConfigs(const Principal& who,
                                                            std::string_view ws) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kViewer);
  if (!rec.ok()) return rec.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return ListConfigs(**store, ConfigOwner::kWorkspace, rec->workspace.id);
}

Result<PluginConfig> Plugins::GetWorkspaceConfig(const Principal& who, std::string_view ws,
                                                 std::string_view plugin_id) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kViewer);
  if (!rec.ok()) return rec.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return GetConfig(**store, ConfigOwner::kWorkspace, rec->workspace.id, plugin_id);
}

Result<PluginConfig> Plugins::PutWorkspaceConfig(const Principal& who, std::string_view ws,
                                                 std::string_view plugin_id,
                                                 const PluginConfigUpdate& input) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kOwner);
  if (!rec.ok()) return rec.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return PutConfig(*ctx_, **store, ConfigOwner::kWorkspace, rec->workspace.id, plugin_id, input);
}

Status Plugins::DeleteWorkspaceConfig(const Principal& who, std::string_view ws,
                                      std::string_view plugin_id) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kOwner);
  if (!rec.ok()) return rec.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return DeleteConfig(**store, ConfigOwner::kWorkspace, rec->workspace.id, plugin_id);
}

// ---- notebook-level configuration ----

Result<std::vector<PluginConfig>> Plugins::NotebookConfigs(const Principal& who, NotebookRef nb) {
  auto row = detail::FindNotebookRow(*ctx_, who, nb, Role::kViewer);
  if (!row.ok()) return row.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return ListConfigs(**store, ConfigOwner::kNotebook, row->notebook.id);
}

Result<PluginConfig> Plugins::GetNotebookConfig(const Principal& who, NotebookRef nb,
                                                std::string_view plugin_id) {
  auto row = detail::FindNotebookRow(*ctx_, who, nb, Role::kViewer);
  if (!row.ok()) return row.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return GetConfig(**store, ConfigOwner::kNotebook, row->notebook.id, plugin_id);
}

Result<PluginConfig> Plugins::PutNotebookConfig(const Principal& who, NotebookRef nb,
                                                std::string_view plugin_id,
                                                const PluginConfigUpdate& input) {
  auto row = detail::FindNotebookRow(*ctx_, who, nb, Role::kEditor);
  if (!row.ok()) return row.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return PutConfig(*ctx_, **store, ConfigOwner::kNotebook, row->notebook.id, plugin_id, input);
}

Status Plugins::DeleteNotebookConfig(const Principal& who, NotebookRef nb,
                                     std::string_view plugin_id) {
  auto row = detail::FindNotebookRow(*ctx_, who, nb, Role::kEditor);
  if (!row.ok()) return row.status();
  auto store = runtime_->store();
  if (!store.ok()) return store.status();
  return DeleteConfig(**store, ConfigOwner::kNotebook, row->notebook.id, plugin_id);
}

}  // namespace codex
