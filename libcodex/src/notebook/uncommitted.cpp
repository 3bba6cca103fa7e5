#include "notebook/uncommitted.hpp"

#include <fcntl.h>

#include <unordered_map>
#include <vector>

#include "common/fs.hpp"
#include "index/content_type.hpp"
#include "notebook/indexer.hpp"

namespace codex::notebook {

bool IsBinaryOnDisk(const std::string& root, const std::string& path) {
  auto fd = fs::OpenBeneath(root, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd.ok()) return false;
  auto head = fs::ReadHead(fd->get(), 8192);
  return head.ok() && index::LooksBinary(*head);
}

Result<std::optional<std::string>> CommitUncommitted(detail::NotebookHandle& nb) {
  auto repo = nb.repo();
  if (!repo.ok()) return repo.status();
  auto pending = (*repo)->PendingChanges();
  if (!pending.ok()) return pending.status();
  auto rows = nb.store().ScanRows();
  if (!rows.ok()) return rows.status();
  std::unordered_map<std::string, std::int64_t> ids;
  for (const auto& r : *rows) ids.emplace(r.path, r.id);

  std::vector<Change> changes;
  std::vector<std::string> paths;
  for (const auto& p : *pending) {
    using Kind = vcs::PathChange::Kind;
    if (p.kind != Kind::kDeleted && IsBinaryOnDisk(nb.root(), p.path)) continue;
    auto id = ids.find(p.path);
    ChangeKind kind = p.kind == Kind::kAdded      ? ChangeKind::kCreated
                      : p.kind == Kind::kModified ? ChangeKind::kModified
                                                  : ChangeKind::kDeleted;
    changes.push_back({kind, id == ids.end() ? 0 : id->second, p.path, {}, true, false});
    paths.push_back(p.path);
  }
  std::optional<std::string> sha;
  if (!changes.empty()) {
    auto committed = (*repo)->CommitPaths(paths, BatchMessage(changes), nb.committer());
    if (!committed.ok()) return committed.status();
    sha = *committed;
  }
  // Rows of what was just committed, and text rows not marked as tracked although git has them
  // (a kill between a commit and its marking).
  std::vector<std::int64_t> marked_ids;
  for (const auto& c : changes) {
    if (c.file_id != 0 && c.kind != ChangeKind::kDeleted) marked_ids.push_back(c.file_id);
  }
  for (const auto& r : *rows) {
    if (r.git_tracked || (*repo)->IsIgnored(r.path) || IsBinaryOnDisk(nb.root(), r.path)) continue;
    marked_ids.push_back(r.id);
  }
  if (marked_ids.empty()) return sha;
  Status marked = nb.store().Write([&](storage::NotebookWriter& w) -> Status {
    for (std::int64_t id : marked_ids) w.SetCommit(id, true, sha);
    return Status::Ok();
  });
  if (!marked.ok()) return marked;
  return sha;
}

}  // namespace codex::notebook
