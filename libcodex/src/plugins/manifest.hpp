// Plugin manifests (SEMANTICS §15.1–§15.3): validation, loading from the plugins directory, and
// the template catalogue of the loaded plugins (SEMANTICS §11.1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codex/files.hpp"
#include "codex/json.hpp"
#include "codex/plugins.hpp"

namespace codex::plugins {

// Manifests and template files larger than this are refused.
inline constexpr std::int64_t kMaxManifestBytes = 1 << 20;

// The first failing rule of CONTRACT §20 for id, version and type, as its exact message;
// "" when all three are valid.
std::string ValidateRegistration(std::string_view id, std::string_view version,
                                 std::string_view type);

// A manifest that passed validation, with the directory it came from.
struct LoadedPlugin {
  PluginRegistration registration;  // manifest: the whole (sanitised) manifest object
  std::string dir;                  // absolute plugin directory
  std::string manifest_path;
};

struct LoadedDirectory {
  std::vector<LoadedPlugin> plugins;  // in path order; for a duplicated id the first one only
  std::vector<PluginLoadProblem> problems;
};

// Reads <dir>/<id>/ and the legacy <dir>/views|themes|integrations/<id>/ (hidden names skipped),
// in path order. Never fails: every unreadable or invalid manifest becomes a problem.
LoadedDirectory LoadPluginDirectory(const std::string& dir);

// The templates[] of the plugins ordered by plugin id, each entry in manifest order: the mapping
// of its `file` (read beneath the plugin directory), then plugin_id and source "plugin".
// Unreadable or invalid files are skipped and reported in `problems`.
std::vector<Template> PluginTemplates(const std::vector<LoadedPlugin>& plugins,
                                      std::vector<PluginLoadProblem>* problems);

// The names of the manifest's properties[] entries with secure: true.
std::vector<std::string> SecureKeys(const Json& manifest);

// A plugin is an integration when its manifest has a non-empty "integration" object.
bool IsIntegration(const Json& manifest);

}  // namespace codex::plugins
