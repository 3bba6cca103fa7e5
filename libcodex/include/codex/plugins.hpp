// Plugins (CONTRACT §11, §20, §21, SEMANTICS §15): the registry, filled from the plugins directory
// and the register calls, plus per-workspace and per-notebook configuration.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/json.hpp"
#include "codex/notebooks.hpp"
#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
class PluginRuntime;
}  // namespace detail

// CONTRACT §27 Plugin.
struct Plugin {
  std::string id;
  std::string name;
  std::string version;
  std::string type;  // view | theme | integration
  bool enabled = true;
  Json manifest;  // object
};

struct PluginRegistration {
  std::string id;
  std::string name;
  std::string version;
  std::string type;
  Json manifest;  // object; null = {}
};

// The answer to one registration (CONTRACT §20).
struct RegisterResult {
  std::string id;
  std::string name;
  std::string version;
  std::string type;
  bool registered = false;
  std::string message;  // "Plugin registered" | "Plugin updated" | the validation message
  bool updated = false;
};

// CONTRACT §27 PluginConfig; stored = false for the default answer (no timestamps).
struct PluginConfig {
  std::string plugin_id;
  bool enabled = true;
  Json config;  // object
  bool stored = false;
  std::string created_at;
  std::string updated_at;
};

struct PluginConfigUpdate {
  std::optional<bool> enabled;  // absent = unchanged (true on create)
  std::optional<Json> config;   // object; absent = unchanged ({} on create)
};

// CONTRACT §27 Integration: a registered plugin whose manifest has a non-empty "integration".
struct Integration {
  Plugin plugin;
  bool enabled = true;  // the workspace config's, when asked for a workspace
};

// A plugin whose manifest could not be loaded from the plugins directory.
struct PluginLoadProblem {
  std::string path;
  std::string message;  // "Missing required field: id", "Invalid version: …", …
};

// Thread-safe.
class Plugins {
 public:
  // Loads every manifest under Options::plugins_dir (SEMANTICS §15.1) into the registry and the
  // template catalogue (Files::Templates lists them first). Returns the skipped ones.
  Result<std::vector<PluginLoadProblem>> LoadDirectory();

  // Upsert by id. Errors: kInvalidArgument "invalid_plugin" with the exact message of CONTRACT
  // §20 (id, then version, then type); kValidation "dict_type" for a manifest that is no object.
  Result<RegisterResult> Register(const PluginRegistration& input);
  // Each item as Register, in order; an invalid item answers registered = false with its message
  // (not an error).
  Result<std::vector<RegisterResult>> RegisterBatch(const std::vector<PluginRegistration>& input);
  // Ordered by id; `type` filters.
  Result<std::vector<Plugin>> List(std::optional<std::string_view> type = std::nullopt);
  // kNotFound "plugin_not_found".
  Result<Plugin> Get(std::string_view plugin_id);
  Status Unregister(std::string_view plugin_id);

  // Integrations; with a workspace (viewer), `enabled` is its config's. kNotFound
  // "integration_not_found".
  Result<std::vector<Integration>> Integrations(const Principal& who,
                                                std::optional<std::string_view> ws);
  Result<Integration> GetIntegration(const Principal& who, std::string_view plugin_id,
                                     std::optional<std::string_view> ws);
  // Owner of the workspace.
  Result<Integration> EnableIntegration(const Principal& who, std::string_view ws,
                                        std::string_view plugin_id, bool enabled);

  // Workspace-level configuration: viewer reads, owner writes.
  Result<std::vector<PluginConfig>> WorkspaceConfigs(const Principal& who, std::string_view ws);
  Result<PluginConfig> GetWorkspaceConfig(const Principal& who, std::string_view ws,
                                          std::string_view plugin_id);
  Result<PluginConfig> PutWorkspaceConfig(const Principal& who, std::string_view ws,
                                          std::string_view plugin_id,
                                          const PluginConfigUpdate& input);
  Status DeleteWorkspaceConfig(const Principal& who, std::string_view ws,
                               std::string_view plugin_id);

  // Notebook-level configuration: viewer reads, editor writes.
  Result<std::vector<PluginConfig>> NotebookConfigs(const Principal& who, NotebookRef nb);
  Result<PluginConfig> GetNotebookConfig(const Principal& who, NotebookRef nb,
                                         std::string_view plugin_id);
  Result<PluginConfig> PutNotebookConfig(const Principal& who, NotebookRef nb,
                                         std::string_view plugin_id,
                                         const PluginConfigUpdate& input);
  Status DeleteNotebookConfig(const Principal& who, NotebookRef nb, std::string_view plugin_id);

 private:
  friend class Codex;
  explicit Plugins(detail::Context* ctx);
  detail::Context* ctx_;
  // The registry's store of this Codex, opened on first use.
  std::shared_ptr<detail::PluginRuntime> runtime_;
};

}  // namespace codex
