// The plugin registry and plugin configurations in the system database (CONTRACT §11, §20,
// SEMANTICS §15.3). Typed operations only; SQL stays in storage/.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/json.hpp"
#include "codex/plugins.hpp"
#include "codex/status.hpp"

namespace codex::storage {

class Database;

// Whose configuration: a workspace's (plugin_configs) or a notebook's (notebook_plugin_configs).
enum class ConfigOwner { kWorkspace, kNotebook };

// Removes from a config object what must never be stored (secure keys).
using ConfigScrub = std::function<void(Json::Object*)>;

// Thread-safe (all state is in the database).
class PluginStore {
 public:
  // Opens its own connections to the (already migrated) system database at `path`.
  static Result<std::unique_ptr<PluginStore>> Open(const std::string& path);
  ~PluginStore();

  // Upsert by id (name, version, type and manifest replaced; enabled stays true). Answers true
  // when the plugin existed already. The input is assumed valid.
  Result<bool> Upsert(const PluginRegistration& input, const std::string& now);
  // Ordered by id; `type` filters.
  Result<std::vector<Plugin>> List(std::optional<std::string_view> type);
  Result<std::optional<Plugin>> Find(std::string_view plugin_id);
  // false when there was no such plugin.
  Result<bool> Delete(std::string_view plugin_id);

  // Configurations of one workspace or notebook, ordered by plugin id.
  Result<std::vector<PluginConfig>> Configs(ConfigOwner kind, std::int64_t owner);
  Result<std::optional<PluginConfig>> FindConfig(ConfigOwner kind, std::int64_t owner,
                                                 std::string_view plugin_id);
  // Creates (enabled true, config {} unless given) or updates the row in one transaction;
  // `scrub` (may be empty) is applied to the resulting config before it is stored.
  Result<PluginConfig> PutConfig(ConfigOwner kind, std::int64_t owner, std::string_view plugin_id,
                                 const PluginConfigUpdate& input, const ConfigScrub& scrub,
                                 const std::string& now);
  // Removing a row that does not exist is not an error.
  Status DeleteConfig(ConfigOwner kind, std::int64_t owner, std::string_view plugin_id);

 private:
  explicit PluginStore(std::unique_ptr<Database> db);
  std::unique_ptr<Database> db_;
};

}  // namespace codex::storage
