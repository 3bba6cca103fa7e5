// New files from templates (SEMANTICS §11) and snippets from scripts (CONTRACT §25).
#include <fcntl.h>

#include <algorithm>
#include <iterator>
#include <mutex>

#include "codex/files.hpp"
#include "common/errors.hpp"
#include "common/slug.hpp"
#include "common/time.hpp"
#include "core/access.hpp"
#include "core/context.hpp"
#include "files/file_ops.hpp"
#include "files/template_expand.hpp"
#include "index/frontmatter.hpp"
#include "index/metadata.hpp"

namespace codex {
namespace {

constexpr std::int64_t kMaxTemplateBytes = 1 << 20;

std::string Stem(const std::string& name) {
  std::size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

std::string TextOr(const Json::Object& meta, std::string_view key, std::string fallback) {
  auto text = index::AsText(meta.find(key));
  return text ? *text : std::move(fallback);
}

// The notebook's .templates/ entries whose frontmatter says type: template (SEMANTICS §11.1).
std::vector<Template> NotebookTemplates(const detail::NotebookAccess& nb) {
  std::vector<Template> out;
  auto entries = fs::ListDir(nb.root, ".templates");
  if (!entries.ok()) return out;
  std::vector<std::string> names;
  for (const auto& e : *entries) {
    if (e.name.front() != '.' && (e.is_file || e.is_symlink)) names.push_back(e.name);
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    auto fd = fs::OpenBeneath(nb.root, ".templates/" + name, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (!fd.ok()) continue;
    auto text = fs::ReadAll(fd->get(), kMaxTemplateBytes);
    if (!text.ok()) continue;
    index::Frontmatter fm = index::ParseFrontmatter(*text);
    const Json* type = fm.metadata.find("type");
    if (type == nullptr || !type->is_string() || type->as_string() != "template") continue;
    std::string id = Stem(name);
    std::size_t dot = name.rfind('.');
    std::string ext = dot == std::string::npos || dot == 0 ? "" : name.substr(dot);
    std::string file_extension = TextOr(fm.metadata, "template_for", ext);
    Json::Object fields;
    fields.set("id", id);
    fields.set("name", TextOr(fm.metadata, "name", id));
    fields.set("description", TextOr(fm.metadata, "description", ""));
    fields.set("icon", TextOr(fm.metadata, "icon", "📄"));
    fields.set("file_extension", file_extension);
    fields.set("default_name", TextOr(fm.metadata, "default_name", "{title}" + file_extension));
    fields.set("content", TextOr(fm.metadata, "template_content", fm.body));
    fields.set("source", "notebook");
    out.push_back(Template{id, "notebook", Json(std::move(fields))});
  }
  return out;
}

// The plugin template catalogue (SEMANTICS §11.1), as loaded by Plugins::LoadDirectory.
std::vector<Template> PluginTemplates(detail::Context& ctx) {
  std::lock_guard<std::mutex> lock(ctx.plugin_templates_mutex);
  return ctx.plugin_templates;
}

// Writes `content` as a new file (never over an existing one).
std::function<Status(const std::string&)> WriteNew(const std::string& root,
                                                   const std::string& content) {
  return [&root, &content](const std::string& candidate) {
    return fs::WriteFileAtomic(root, candidate, content, fs::WriteMode::kCreateNew);
  };
}

std::string FieldText(const Template& t, std::string_view key) {
  const Json* v = t.fields.find(key);
  return v != nullptr && v->is_string() ? v->as_string() : "";
}

}  // namespace

Result<std::vector<Template>> Files::Templates(const Principal& who, NotebookRef nbref) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  std::vector<Template> all = PluginTemplates(*ctx_);
  std::vector<Template> own = NotebookTemplates(*nb);
  all.insert(all.end(), std::make_move_iterator(own.begin()), std::make_move_iterator(own.end()));
  return all;
}

Result<FileMeta> Files::CreateFromTemplate(const Principal& who, NotebookRef nbref,
                                           std::string_view template_id,
                                           std::optional<std::string_view> filename) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  // A notebook template wins over a plugin template with the same id (SEMANTICS §11.2).
  std::vector<Template> all = NotebookTemplates(*nb);
  std::vector<Template> from_plugins = PluginTemplates(*ctx_);
  all.insert(all.end(), std::make_move_iterator(from_plugins.begin()),
             std::make_move_iterator(from_plugins.end()));
  auto found =
      std::find_if(all.begin(), all.end(), [&](const Template& t) { return t.id == template_id; });
  if (found == all.end()) {
    return Status::NotFound("template_not_found",
                            "Template not found: " + std::string(template_id));
  }
  TimePoint now = ctx_->NowTime();
  std::string ext = FieldText(*found, "file_extension");
  std::string name;
  if (filename && !filename->empty()) {
    name = std::string(*filename);
    if (name.size() < ext.size() || name.compare(name.size() - ext.size(), ext.size(), ext) != 0) {
      name += ext;
    }
  } else {
    name = files::ExpandTemplate(FieldText(*found, "default_name"), "untitled", now);
  }
  auto rel = files::GuardFilePath(*nb, name);
  if (!rel.ok()) return rel.status();
  std::string title = name;
  std::size_t slash = title.rfind('/');
  std::size_t dot = title.rfind('.');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash + 1)) {
    title = title.substr(0, dot);
  }
  std::string content = files::ExpandTemplate(FieldText(*found, "content"), title, now);
  auto author = detail::ActingUser(*ctx_, who);
  if (!author.ok()) return author.status();
  auto written = files::CreateAndCommit(
      *ctx_, *nb, *author, *rel, WriteNew(nb->root, content), [&](const std::string& final) {
        return "Create " + final + " from template " + std::string(template_id);
      });
  if (!written.ok()) return written.status();
  return files::RowOfWritten(*nb, *written);
}

Result<FileMeta> Files::CreateSnippet(const Principal& who, const SnippetRequest& input) {
  NotebookRef ref{input.workspace, input.notebook};
  auto nb = detail::ResolveNotebook(*ctx_, who, ref, Role::kEditor);
  if (!nb.ok()) {
    const std::string& reason = nb.status().reason();
    if (reason == "workspace_not_found") {
      return Status::NotFound(reason, "Workspace not found: " + input.workspace);
    }
    if (reason == "notebook_not_found") {
      return Status::NotFound(reason, "Notebook not found: " + input.notebook);
    }
    if (reason == "notebook_path_missing") {
      return Status::NotFound(reason, "Notebook path not found on disk");
    }
    return nb.status();
  }
  if (input.properties && !input.properties->is_object()) {
    return Status::Validation("dict_type", "properties", "Input should be a valid dictionary");
  }
  TimePoint now = ctx_->NowTime();
  std::string filename;
  if (input.filename && !input.filename->empty()) {
    filename = *input.filename;
  } else {
    std::string slug = input.title ? SnippetSlug(*input.title) : "";
    filename = slug.empty() ? FormatUtcDate(now) + "-" + FormatUtcCompactTime(now) + "-snippet.md"
                            : FormatUtcDate(now) + "-" + slug + ".md";
  }
  std::string joined =
      input.folder && !input.folder->empty() ? *input.folder + "/" + filename : filename;
  auto rel = files::GuardFilePath(*nb, joined);
  if (!rel.ok()) return rel.status();
  Json::Object props;
  if (input.title) props.set("title", *input.title);
  std::string stamp = FormatTime(now);  // 2026-11-21T10:00:00.123456Z
  props.set("date", stamp.substr(0, 19) + "Z");
  if (!input.tags.empty()) {
    Json::Array tags;
    for (const auto& t : input.tags) tags.emplace_back(t);
    props.set("tags", Json(std::move(tags)));
  }
  if (input.file_type) props.set("type", *input.file_type);
  if (input.properties) {
    for (const auto& [key, value] : input.properties->as_object()) props.set(key, value);
  }
  std::string content = index::WriteFrontmatter(input.content, props);
  auto author = detail::ActingUser(*ctx_, who);
  if (!author.ok()) return author.status();
  auto written = files::CreateAndCommit(
      *ctx_, *nb, *author, *rel, WriteNew(nb->root, content), [&](const std::string& final) {
        return "Snippet: " +
               (input.title && !input.title->empty() ? *input.title : BaseName(final));
      });
  if (!written.ok()) return written.status();
  return files::RowOfWritten(*nb, *written);
}

}  // namespace codex
