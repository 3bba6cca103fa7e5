#include "plugins/manifest.hpp"

#include <fcntl.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "common/fs.hpp"
#include "index/yaml.hpp"

namespace codex::plugins {
namespace {

constexpr std::array<std::string_view, 3> kLegacyDirs = {"views", "themes", "integrations"};

// Manifest file names, in order of preference, with the type each implies ("" = none).
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kManifestNames = {{
    {"manifest.yml", ""},
    {"manifest.yaml", ""},
    {"plugin.yaml", ""},
    {"theme.yaml", "theme"},
    {"integration.yaml", "integration"},
}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// ^[a-z0-9-]+$, and not the reserved "integrations".
bool ValidId(std::string_view id) {
  if (id.empty() || id == "integrations") return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-'; });
}

// ^\d+\.\d+\.\d+$ (ASCII digits).
bool ValidVersion(std::string_view v) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    while (i < v.size() && IsDigit(v[i])) ++i;
    if (i == start) return false;
    ++parts;
    if (i == v.size()) return parts == 3;
    if (v[i] != '.' || parts == 3) return false;
    ++i;
  }
}

bool KnownType(std::string_view t) { return t == "integration" || t == "theme" || t == "view"; }

// The text of a manifest value for messages and checks: strings as is, anything else as JSON.
std::string Text(const Json& v) { return v.is_string() ? v.as_string() : v.Dump(); }

bool Missing(const Json* v) {
  return v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty());
}

// Reads a small regular file beneath `root`. Errors carry a short cause.
Result<std::string> ReadSmallFile(const std::string& root, const std::string& rel) {
  auto fd = fs::OpenBeneath(root, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (!fd.ok()) return fd.status();
  fs::Stat st = fs::StatFd(fd->get());
  if (!st.is_file) return Status::InvalidArgument("not_a_file", "not a regular file");
  if (st.size > kMaxManifestBytes) {
    return Status::Make(Code::kTooLarge, "too_large",
                        "larger than " + std::to_string(kMaxManifestBytes) + " bytes");
  }
  return fs::ReadAll(fd->get(), kMaxManifestBytes);
}

// One plugin directory: its manifest, validated. nullopt with `problem` set when it is invalid;
// nullopt with an empty problem when the directory holds no manifest at all.
std::optional<LoadedPlugin> LoadOne(const std::string& plugin_dir, PluginLoadProblem* problem) {
  problem->path = plugin_dir;
  problem->message.clear();
  std::string_view file_name;
  std::string_view implied;
  Result<std::string> text = Status::NotFound("file_not_found", "File not found");
  for (const auto& [name, type] : kManifestNames) {
    text = ReadSmallFile(plugin_dir, std::string(name));
    if (!text.ok() && text.status().code() == Code::kNotFound) continue;
    file_name = name;
    implied = type;
    break;
  }
  if (file_name.empty()) return std::nullopt;
  std::string manifest_path = plugin_dir + "/" + std::string(file_name);
  problem->path = manifest_path;
  if (!text.ok()) {
    problem->message = "Cannot read manifest: " + text.status().message();
    return std::nullopt;
  }
  auto parsed = index::ParseYaml(*text);
  if (!parsed.ok()) {
    problem->message = "Invalid YAML: " + parsed.status().message();
    return std::nullopt;
  }
  if (!parsed->is_object()) {
    problem->message = "Invalid manifest: not a mapping";
    return std::nullopt;
  }
  const Json& m = *parsed;
  for (const char* field : {"id", "name", "version", "type"}) {
    if (Missing(m.find(field))) {
      problem->message = std::string("Missing required field: ") + field;
      return std::nullopt;
    }
  }
  const Json& id = *m.find("id");
  const Json& version = *m.find("version");
  const Json& type = *m.find("type");
  if (!id.is_string() || !ValidId(id.as_string())) {
    problem->message = "Invalid plugin ID: " + Text(id) +
                       ". Must contain only lowercase letters, numbers, and hyphens.";
    return std::nullopt;
  }
  if (!version.is_string() || !ValidVersion(version.as_string())) {
    problem->message =
        "Invalid version: " + Text(version) + ". Must be in semver format (e.g., 1.0.0).";
    return std::nullopt;
  }
  if (!implied.empty() && Text(type) != implied) {
    problem->message = "Plugin type mismatch: " + Text(type) + " != " + std::string(implied);
    return std::nullopt;
  }
  if (!type.is_string() || !KnownType(type.as_string())) {
    problem->message = "Unknown plugin type: " + Text(type);
    return std::nullopt;
  }
  LoadedPlugin out;
  out.registration.id = id.as_string();
  out.registration.name = Text(*m.find("name"));
  out.registration.version = version.as_string();
  out.registration.type = type.as_string();
  out.registration.manifest = std::move(*parsed);
  out.dir = plugin_dir;
  out.manifest_path = std::move(manifest_path);
  return out;
}

bool IsDirectory(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);  // follows symlinks: the admin's choice
}

// Names of the visible subdirectories of `dir`.
std::vector<std::string> SubDirs(const std::string& dir) {
  std::vector<std::string> out;
  auto entries = fs::ListDir(dir, "");
  if (!entries.ok()) return out;
  for (const auto& e : *entries) {
    if (e.name.empty() || e.name.front() == '.') continue;
    if (e.is_dir || (e.is_symlink && IsDirectory(dir + "/" + e.name))) out.push_back(e.name);
  }
  return out;
}

// One template file as listed: its mapping keys in file order, then plugin_id and source.
std::optional<Template> ReadTemplate(const LoadedPlugin& plugin, const Json& entry,
                                     std::vector<PluginLoadProblem>* problems) {
  const std::string& plugin_id = plugin.registration.id;
  auto problem = [&](std::string path, std::string message) {
    if (problems) problems->push_back({std::move(path), std::move(message)});
    return std::nullopt;
  };
  const Json* file = entry.find("file");
  if (file == nullptr || !file->is_string() || file->as_string().empty()) {
    return problem(plugin.manifest_path, "Template of plugin " + plugin_id + " has no file");
  }
  std::string path = plugin.dir + "/" + file->as_string();
  auto text = ReadSmallFile(plugin.dir, file->as_string());
  if (!text.ok()) return problem(path, "Template file unreadable: " + text.status().message());
  auto parsed = index::ParseYaml(*text);
  if (!parsed.ok()) return problem(path, "Invalid template YAML: " + parsed.status().message());
  if (!parsed->is_object()) return problem(path, "Invalid template file: not a mapping");
  Json::Object fields;
  const Json* own_id = parsed->find("id");
  const Json* entry_id = entry.find("id");
  std::string id;
  if (own_id != nullptr && own_id->is_string() && !own_id->as_string().empty()) {
    id = own_id->as_string();
  } else if (entry_id != nullptr && entry_id->is_string() && !entry_id->as_string().empty()) {
    id = entry_id->as_string();
    fields.set("id", id);  // the id is what clients create from: always listed
  } else {
    return problem(path, "Template file has no id");
  }
  for (auto& [key, value] : parsed->as_object()) {
    if (key == "plugin_id" || key == "source" || (key == "id" && fields.contains("id"))) continue;
    fields.set(key, value);
  }
  fields.set("plugin_id", plugin_id);
  fields.set("source", "plugin");
  return Template{std::move(id), "plugin", Json(std::move(fields))};
}

}  // namespace

std::string ValidateRegistration(std::string_view id, std::string_view version,
                                 std::string_view type) {
  if (!ValidId(id)) {
    return "Invalid plugin ID: " + std::string(id) +
           ". Must contain only lowercase letters, numbers, and hyphens.";
  }
  if (!ValidVersion(version)) {
    return "Invalid version: " + std::string(version) + ". Must be in semver format (e.g., 1.0.0).";
  }
  if (!KnownType(type)) {
    return "Invalid plugin type: " + std::string(type) +
           ". Must be one of: integration, theme, view";
  }
  return "";
}

LoadedDirectory LoadPluginDirectory(const std::string& dir) {
  LoadedDirectory out;
  std::string root = fs::RealPath(dir);
  if (root.empty() || !IsDirectory(root)) {
    out.problems.push_back({dir, "Plugins directory not found"});
    return out;
  }
  // Plugin directories by their path relative to the plugins directory.
  std::vector<std::string> candidates;
  for (const auto& name : SubDirs(root)) {
    bool legacy = std::find(kLegacyDirs.begin(), kLegacyDirs.end(), name) != kLegacyDirs.end();
    if (!legacy) {
      candidates.push_back(name);
      continue;
    }
    for (const auto& sub : SubDirs(root + "/" + name)) candidates.push_back(name + "/" + sub);
  }
  std::sort(candidates.begin(), candidates.end());
  std::set<std::string> seen;
  for (const auto& rel : candidates) {
    // Canonical, so that files inside resolve beneath it (a symlinked plugin dir is followed).
    std::string plugin_dir = fs::RealPath(root + "/" + rel);
    if (plugin_dir.empty()) continue;
    PluginLoadProblem problem;
    std::optional<LoadedPlugin> plugin = LoadOne(plugin_dir, &problem);
    if (!plugin) {
      if (!problem.message.empty()) out.problems.push_back(std::move(problem));
      continue;
    }
    if (!seen.insert(plugin->registration.id).second) {
      out.problems.push_back(
          {plugin->manifest_path,
           "Duplicate plugin id: " + plugin->registration.id + " (an earlier directory has it)"});
      continue;
    }
    out.plugins.push_back(std::move(*plugin));
  }
  return out;
}

std::vector<Template> PluginTemplates(const std::vector<LoadedPlugin>& plugins,
                                      std::vector<PluginLoadProblem>* problems) {
  std::vector<const LoadedPlugin*> by_id;
  for (const auto& p : plugins) by_id.push_back(&p);
  std::stable_sort(by_id.begin(), by_id.end(), [](const LoadedPlugin* a, const LoadedPlugin* b) {
    return a->registration.id < b->registration.id;
  });
  std::vector<Template> out;
  for (const LoadedPlugin* p : by_id) {
    const Json* templates = p->registration.manifest.find("templates");
    if (templates == nullptr || !templates->is_array()) continue;
    for (const Json& entry : templates->as_array()) {
      if (!entry.is_object()) continue;
      if (auto t = ReadTemplate(*p, entry, problems)) out.push_back(std::move(*t));
    }
  }
  return out;
}

std::vector<std::string> SecureKeys(const Json& manifest) {
  std::vector<std::string> out;
  const Json* props = manifest.find("properties");
  if (props == nullptr || !props->is_array()) return out;
  for (const Json& p : props->as_array()) {
    const Json* name = p.find("name");
    const Json* secure = p.find("secure");
    if (name != nullptr && name->is_string() && secure != nullptr && secure->is_bool() &&
        secure->as_bool()) {
      out.push_back(name->as_string());
    }
  }
  return out;
}

bool IsIntegration(const Json& manifest) {
  const Json* integration = manifest.find("integration");
  return integration != nullptr && integration->is_object() && !integration->as_object().empty();
}

}  // namespace codex::plugins
