// Folders: listing, properties in <folder>/.metadata (SEMANTICS §10), recursive delete.
#include <fcntl.h>

#include <algorithm>

#include "codex/folders.hpp"
#include "common/errors.hpp"
#include "common/path_guard.hpp"
#include "common/strings.hpp"
#include "common/time.hpp"
#include "core/access.hpp"
#include "files/file_ops.hpp"
#include "index/frontmatter.hpp"
#include "index/metadata.hpp"
#include "notebook/publish.hpp"

namespace codex {
namespace {

struct FolderMeta {
  Json properties;  // null when there is no readable .metadata
  std::optional<std::string> title;
  std::optional<std::string> description;
};

std::string Join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

FolderMeta ReadFolderMeta(const std::string& root, const std::string& dir) {
  FolderMeta out;
  auto fd = fs::OpenBeneath(root, Join(dir, ".metadata"), O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd.ok()) return out;
  auto text = fs::ReadAll(fd->get(), 1 << 20);
  if (!text.ok()) return out;
  index::Frontmatter fm = index::ParseFrontmatter(*text);
  if (!fm.has_block || fm.problem) return out;
  out.title = index::AsText(fm.metadata.find("title"));
  out.description = index::AsText(fm.metadata.find("description"));
  out.properties = Json(std::move(fm.metadata));
  return out;
}

// Resolves a folder path: guard, then it must exist and be a directory.
Result<std::string> ExistingFolder(const detail::NotebookAccess& nb, std::string_view input) {
  auto rel = GuardPath(nb.root, input, PathKind::kFolder);
  if (!rel.ok()) return rel.status();
  fs::Stat st = fs::StatBeneath(nb.root, *rel);
  if (!st.exists) return errors::FolderNotFound();
  if (!st.is_dir) return errors::NotAFolder();
  return rel;
}

// The folder object without listings (FolderInfo), from disk.
Folder Describe(const detail::NotebookAccess& nb, const std::string& rel) {
  Folder f;
  f.path = rel;
  f.name = BaseName(rel);
  f.notebook_id = nb.notebook.id;
  f.notebook_slug = nb.notebook.slug;
  f.workspace_id = nb.workspace.id;
  f.workspace_slug = nb.workspace.slug;
  FolderMeta meta = ReadFolderMeta(nb.root, rel);
  f.title = std::move(meta.title);
  f.description = std::move(meta.description);
  f.properties = std::move(meta.properties);
  fs::Stat st = fs::StatBeneath(nb.root, rel);
  f.created_at = FormatTimeNs(st.birth_ns != 0 ? st.birth_ns : st.ctime_ns);
  f.updated_at = FormatTimeNs(st.mtime_ns);
  return f;
}

}  // namespace

Result<Folder> Folders::Get(const Principal& who, NotebookRef nbref, std::string_view path,
                            std::int64_t skip, std::int64_t limit) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  auto rel = ExistingFolder(*nb, path);
  if (!rel.ok()) return rel.status();
  if (skip < 0) {
    return Status::Validation("greater_than_equal", "skip",
                              "Input should be greater than or equal to 0");
  }
  Folder folder = Describe(*nb, *rel);
  folder.skip = skip;
  folder.limit = limit;
  auto files = nb->handle->store().ListFolder(*rel, skip, limit, &folder.file_count);
  if (!files.ok()) return files.status();
  folder.files = std::move(*files);
  folder.has_more = skip + static_cast<std::int64_t>(folder.files.size()) < folder.file_count;
  auto entries = fs::ListDir(nb->root, *rel);
  if (!entries.ok()) return entries.status();
  std::vector<std::string> names;
  for (const auto& e : *entries) {
    if (e.is_dir && e.name.front() != '.') names.push_back(e.name);
  }
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    std::string la = ToLowerUtf8(a), lb = ToLowerUtf8(b);
    return la != lb ? la < lb : a < b;
  });
  for (const auto& name : names) {
    Folder sub = Describe(*nb, Join(*rel, name));
    folder.subfolders.push_back(Subfolder{sub.path, sub.name, std::move(sub.title),
                                          std::move(sub.description), std::move(sub.properties),
                                          sub.created_at, sub.updated_at});
  }
  return folder;
}

Result<Folder> Folders::SetProperties(const Principal& who, NotebookRef nbref,
                                      std::string_view path, const Json& properties) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  auto rel = ExistingFolder(*nb, path);
  if (!rel.ok()) return rel.status();
  if (!properties.is_object()) {
    return Status::Validation("dict_type", "properties", "Input should be a valid dictionary");
  }
  auto author = detail::ActingUser(*ctx_, who);
  if (!author.ok()) return author.status();
  std::lock_guard<std::mutex> lock(nb->handle->write_mutex());
  std::string target = Join(*rel, ".metadata");
  Status w =
      fs::WriteFileAtomic(nb->root, target, index::WriteFrontmatter("", properties.as_object()),
                          fs::WriteMode::kReplace);
  if (!w.ok()) {
    return Status::Make(w.code(), "internal_error", "Error updating folder properties");
  }
  auto outcome =
      files::IndexAndCommit(*ctx_, *nb, *author, {target}, "Update folder properties: " + *rel);
  if (!outcome.ok()) return outcome.status();
  return Describe(*nb, *rel);
}

Status Folders::Delete(const Principal& who, NotebookRef nbref, std::string_view path) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  auto rel = ExistingFolder(*nb, path);
  if (!rel.ok()) return rel.status();
  if (rel->empty()) return errors::RootFolder();
  auto author = detail::ActingUser(*ctx_, who);
  if (!author.ok()) return author.status();
  std::lock_guard<std::mutex> lock(nb->handle->write_mutex());
  auto rows = nb->handle->store().RowsUnder(*rel);
  if (!rows.ok()) return rows.status();
  Status removed = fs::RemoveTree(nb->root, *rel);
  if (!removed.ok()) return Status::Make(removed.code(), "internal_error", "Error deleting folder");
  std::vector<std::string> paths;
  for (const auto& [id, p] : *rows) paths.push_back(p);
  auto changes = notebook::IndexPaths(*nb->handle, paths, ctx_->Now());
  if (!changes.ok()) return changes.status();
  notebook::PublishChanges(*ctx_, *nb->handle, nb->workspace.id, *changes);
  auto repo = nb->handle->repo();
  if (!repo.ok()) return repo.status();
  auto sha =
      (*repo)->CommitAll("Delete folder: " + *rel, vcs::Signature{author->username, author->email});
  return sha.status();
}

}  // namespace codex
