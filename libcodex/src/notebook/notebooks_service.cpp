// Notebooks: folders with their own index database and git repository.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "codex/notebooks.hpp"
#include "common/errors.hpp"
#include "common/fs.hpp"
#include "common/path_guard.hpp"
#include "common/slug.hpp"
#include "common/validate.hpp"
#include "core/access.hpp"
#include "core/context.hpp"
#include "index/sidecar.hpp"
#include "notebook/indexer.hpp"
#include "notebook/publish.hpp"

namespace codex {

Result<Notebook> Notebooks::Create(const Principal& who, std::string_view ws,
                                   const NotebookCreate& input) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kEditor);
  if (!rec.ok()) return rec.status();
  Status s = CheckLength(input.name, 1, 255, "name");
  if (!s.ok()) return s;
  if (who.notebook_id) return errors::TokenRestricted();
  const Workspace& w = rec->workspace;
  if (!fs::StatBeneath(w.path, "").is_dir) return errors::WorkspacePathMissing();
  storage::NotebookInsert row;
  row.workspace_id = w.id;
  row.name = input.name;
  row.description = input.description;
  row.now = ctx_->Now();
  const std::string base = Slugify(input.name, "notebook");
  auto failed = [](const std::string& why) {
    return Status::Make(Code::kInternal, "internal_error", "Error creating notebook: " + why);
  };
  for (int attempt = 0; attempt < 64; ++attempt) {
    row.slug = attempt == 0 ? base : base + SlugSuffix();
    auto taken = ctx_->system->NotebookSlugTaken(w.id, row.slug);
    if (!taken.ok()) return taken.status();
    if (*taken) continue;
    std::string dir = w.path + "/" + row.slug;
    if (::mkdir(dir.c_str(), 0755) != 0) {
      if (errno == EEXIST) continue;
      return failed(std::strerror(errno));
    }
    row.path = row.slug;
    auto cleanup = [&] {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    };
    // Index database and repository before the row: a notebook row always has both.
    auto handle = detail::NotebookHandle::Open(0, dir, ctx_->Committer());
    if (!handle.ok()) {
      cleanup();
      return failed(handle.status().message());
    }
    auto repo = (*handle)->repo();
    if (!repo.ok()) {
      cleanup();
      return failed(repo.status().message());
    }
    auto created = ctx_->system->CreateNotebook(row);
    if (created.ok()) {
      ctx_->watch->NotebookCreated(w.id, created->id, detail::NotebookRoot(w, *created));
      return created;
    }
    cleanup();
    if (created.status().reason() != "slug_taken") return created.status();
  }
  return failed("no free slug");
}

Result<std::vector<Notebook>> Notebooks::List(const Principal& who, std::string_view ws) {
  auto rec =
      detail::ResolveWorkspace(*ctx_, who, ws, Role::kViewer, detail::Reach::kWorkspaceObject);
  if (!rec.ok()) return rec.status();
  auto all = ctx_->system->ListNotebooks(rec->workspace.id);
  if (!all.ok() || !who.notebook_id) return all;
  std::vector<Notebook> bound;
  for (auto& nb : *all) {
    if (nb.id == *who.notebook_id) bound.push_back(std::move(nb));
  }
  return bound;
}

Result<Notebook> Notebooks::Get(const Principal& who, NotebookRef nb) {
  auto row = detail::FindNotebookRow(*ctx_, who, nb, Role::kViewer);
  if (!row.ok()) return row.status();
  return std::move(row->notebook);
}

Result<Notebook> Notebooks::GetById(const Principal& who, std::int64_t notebook_id) {
  auto row = ctx_->system->FindNotebookById(notebook_id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return errors::NotebookNotFound();
  auto found = detail::FindNotebookRow(
      *ctx_, who, {std::to_string((*row)->workspace_id), std::to_string(notebook_id)},
      Role::kViewer);
  if (!found.ok()) {
    return found.status().code() == Code::kNotFound ? errors::NotebookNotFound() : found.status();
  }
  return std::move(found->notebook);
}

Status Notebooks::Delete(const Principal& who, NotebookRef nb) {
  auto row = detail::FindNotebookRow(*ctx_, who, nb, Role::kEditor);
  if (!row.ok()) return row.status();
  const Notebook& n = row->notebook;
  Status s = ctx_->system->DeleteNotebook(n.id);
  if (!s.ok()) return s;
  bool publish = ctx_->watch->NotebookDeleted(n.id);
  ctx_->notebooks.Drop(n.id);
  if (publish) {
    ctx_->events.PublishLifecycle(EventKind::kNotebookDeleted, row->workspace.workspace.id, n.id, 0,
                                  ctx_->Now());
  }
  if (n.path.empty() || n.path.find('/') != std::string::npos) return Status::Ok();
  Status removed = fs::RemoveTree(row->workspace.workspace.path, n.path);
  if (!removed.ok() && removed.code() != Code::kNotFound) return removed;
  return Status::Ok();
}

Result<IndexReport> Notebooks::Index(const Principal& who, NotebookRef nb,
                                     const IndexOptions& options) {
  auto access = detail::ResolveNotebook(*ctx_, who, nb, Role::kEditor);
  if (!access.ok()) return access.status();
  auto result = notebook::Reconcile(*access->handle, options, ctx_->options.index_threads,
                                    ctx_->Now(), [&](const std::vector<notebook::Change>& changes) {
                                      notebook::PublishChanges(*ctx_, *access->handle,
                                                               access->workspace.id, changes);
                                    });
  if (!result.ok()) return result.status();
  return std::move(result->report);
}

}  // namespace codex

namespace codex {

Result<std::vector<IndexReport>> Notebooks::IndexAll(const Principal& who, std::string_view ws,
                                                     const IndexOptions& options) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kEditor);
  if (!rec.ok()) return rec.status();
  auto notebooks = ctx_->system->ListNotebooks(rec->workspace.id);
  if (!notebooks.ok()) return notebooks.status();
  std::vector<IndexReport> reports;
  for (const auto& n : *notebooks) {
    auto report = Index(who, {ws, std::to_string(n.id)}, options);
    if (!report.ok()) return report.status();
    reports.push_back(std::move(*report));
  }
  return reports;
}

}  // namespace codex

namespace codex {

Result<IndexReport> Notebooks::Import(const Principal& who, NotebookRef nb,
                                      const std::string& source) {
  auto access = detail::ResolveNotebook(*ctx_, who, nb, Role::kEditor);
  if (!access.ok()) return access.status();
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(source, ec), end;
  if (ec)
    return Status::NotFound("source_not_found", "Cannot read " + source + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status::IoError("reading " + source + ": " + ec.message());
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::string rel = std::filesystem::relative(it->path(), source, ec).string();
    auto guarded = GuardPath(access->root, rel, PathKind::kFile);
    if (!guarded.ok() || index::IsIgnoredPath(*guarded)) continue;
    std::size_t slash = guarded->rfind('/');
    Status dirs =
        fs::MakeDirs(access->root, slash == std::string::npos ? "" : guarded->substr(0, slash));
    if (!dirs.ok()) return dirs;
    Status copied =
        fs::CopyFileAtomic(access->root, *guarded, it->path().string(), fs::WriteMode::kCreateNew);
    if (!copied.ok() && copied.code() != Code::kAlreadyExists) return copied;
  }
  return Index(who, nb);
}

}  // namespace codex
