#include "notebook/uncommitted.hpp"

#include <fcntl.h>

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
  auto rows = nb.store().ScanRows();
  if (!rows.ok()) return rows.status();
  auto repo = nb.repo();
  if (!repo.ok()) return repo.status();
  std::vector<Change> pending;
  std::vector<std::string> paths;
  for (const auto& r : *rows) {
    if (r.git_tracked || (*repo)->IsIgnored(r.path) || IsBinaryOnDisk(nb.root(), r.path)) continue;
    pending.push_back({ChangeKind::kCreated, r.id, r.path, {}, true, false});
    paths.push_back(r.path);
  }
  if (pending.empty()) return std::optional<std::string>();
  auto sha = (*repo)->CommitPaths(paths, BatchMessage(pending), nb.committer());
  if (!sha.ok()) return sha.status();
  Status marked = nb.store().Write([&](storage::NotebookWriter& w) -> Status {
    for (const auto& c : pending) w.SetCommit(c.file_id, true, *sha);
    return Status::Ok();
  });
  if (!marked.ok()) return marked;
  return *sha;
}

}  // namespace codex::notebook
