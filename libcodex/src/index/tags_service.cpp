// Tags of a notebook or a whole workspace, and their colours (CONTRACT §16).
#include <cctype>
#include <map>

#include "codex/tags.hpp"
#include "common/errors.hpp"
#include "common/strings.hpp"
#include "core/access.hpp"

namespace codex {

Result<std::vector<Tag>> Tags::List(const Principal& who, std::string_view ws,
                                    std::optional<std::string_view> notebook) {
  if (notebook) {
    auto nb = detail::ResolveNotebook(*ctx_, who, {ws, *notebook}, Role::kViewer);
    if (!nb.ok()) return nb.status();
    return nb->handle->store().TagCounts();
  }
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kViewer);
  if (!rec.ok()) return rec.status();
  auto notebooks = ctx_->system->ListNotebooks(rec->workspace.id);
  if (!notebooks.ok()) return notebooks.status();
  // Counts summed; the colour of the lowest-id notebook that has one (notebooks by id).
  std::map<std::string, Tag> merged;
  for (const auto& n : *notebooks) {
    auto nb = detail::OpenNotebook(*ctx_, rec->workspace, n);
    if (!nb.ok()) continue;  // a notebook whose folder is gone contributes nothing
    auto tags = nb->handle->store().TagCounts();
    if (!tags.ok()) continue;
    for (auto& t : *tags) {
      auto [it, fresh] = merged.emplace(t.name, t);
      if (fresh) continue;
      it->second.count += t.count;
      if (!it->second.color) it->second.color = t.color;
    }
  }
  std::vector<Tag> out;
  for (auto& [name, tag] : merged) out.push_back(std::move(tag));
  return out;
}

Result<Tag> Tags::SetColor(const Principal& who, NotebookRef nbref, std::string_view name,
                           std::optional<std::string_view> color) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  std::optional<std::string> stored;
  if (color) {
    bool valid = color->size() == 7 && (*color)[0] == '#';
    for (std::size_t i = 1; valid && i < 7; ++i) valid = std::isxdigit((*color)[i]) != 0;
    if (!valid) {
      return Status::Validation("string_pattern_mismatch", "color",
                                "String should match pattern '^#[0-9a-fA-F]{6}$'");
    }
    stored = ToLowerAscii(*color);
  }
  std::string key = ToLowerUtf8(Trim(name));
  auto tag = nb->handle->store().SetTagColor(key, stored);
  if (!tag.ok()) return tag.status();
  if (!tag->has_value()) return errors::TagNotFound();
  return std::move(**tag);
}

}  // namespace codex
