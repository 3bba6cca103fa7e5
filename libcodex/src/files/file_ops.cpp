#include "files/file_ops.hpp"

#include <fcntl.h>

#include "common/errors.hpp"
#include "common/path_guard.hpp"
#include "common/slug.hpp"
#include "index/content_type.hpp"
#include "notebook/publish.hpp"
#include "notebook/uncommitted.hpp"

namespace codex::files {

Result<std::string> GuardFilePath(const detail::NotebookAccess& nb, std::string_view input) {
  auto rel = GuardPath(nb.root, input, PathKind::kFile);
  if (!rel.ok()) return rel.status();
  if (index::IsIgnoredPath(*rel)) return errors::InvalidFilePath();
  return rel;
}

index::Sidecars SidecarsOnDisk(const std::string& root, const std::string& main) {
  return index::FindSidecars(main, [&](const std::string& rel) {
    fs::Stat st = fs::StatBeneath(root, rel);
    return st.exists && st.is_file;
  });
}

namespace {

// Writes at `path`, or at the first free unique-path candidate (SEMANTICS §4), creating parent
// directories; atomic against other writers (create-new renames). Returns the path written.
Result<std::string> CreateUnique(const detail::NotebookAccess& nb, const std::string& path,
                                 const std::function<Status(const std::string&)>& write_new) {
  Status dirs = fs::MakeDirs(nb.root, ParentDir(path));
  if (!dirs.ok()) {
    if (dirs.reason() == "not_a_folder") return errors::InvalidFilePath();
    return dirs;
  }
  for (int n = 0; n < 100000; ++n) {
    std::string candidate = n == 0 ? path : UniquePathCandidate(path, n);
    auto row = nb.handle->store().GetByPath(candidate);
    if (!row.ok()) return row.status();
    if (row->has_value()) continue;  // indexed, even if gone from disk meanwhile
    Status s = write_new(candidate);
    if (s.ok()) return candidate;
    if (s.code() != Code::kAlreadyExists) return s;
  }
  return Status::Internal("no free file name");
}

}  // namespace

Result<WriteOutcome> IndexAndCommit(detail::Context& ctx, const detail::NotebookAccess& nb,
                                    const User& author, const std::vector<std::string>& touched,
                                    const std::string& message,
                                    const std::optional<notebook::Change>& moved) {
  WriteOutcome out;
  auto changes = notebook::IndexPaths(*nb.handle, touched, ctx.Now());
  if (!changes.ok()) return changes.status();
  if (moved) out.changes.push_back(*moved);
  for (auto& c : *changes) {
    if (!moved || c.file_id != moved->file_id) out.changes.push_back(std::move(c));
  }
  // Events go out once the index has committed, whatever git says afterwards.
  notebook::PublishChanges(ctx, *nb.handle, nb.workspace.id, out.changes);
  auto repo = nb.handle->repo();
  if (!repo.ok()) return repo.status();
  auto sha = (*repo)->CommitPaths(touched, message, vcs::Signature{author.username, author.email});
  if (!sha.ok()) return sha.status();
  out.commit = *sha;
  std::vector<std::pair<std::int64_t, bool>> marks;
  for (const auto& path : touched) {
    auto row = nb.handle->store().GetByPath(path);
    if (!row.ok() || !row->has_value()) continue;
    bool tracked = !notebook::IsBinaryOnDisk(nb.root, path) && !(*repo)->IsIgnored(path);
    marks.emplace_back((*row)->id, tracked);
  }
  Status marked = nb.handle->store().Write([&](storage::NotebookWriter& w) -> Status {
    for (const auto& [id, tracked] : marks) {
      w.SetCommit(id, tracked, tracked ? out.commit : std::nullopt);
    }
    return Status::Ok();
  });
  if (!marked.ok()) return marked;
  return out;
}

Result<std::string> CreateAndCommit(detail::Context& ctx, const detail::NotebookAccess& nb,
                                    const User& author, const std::string& path,
                                    const std::function<Status(const std::string&)>& write_new,
                                    const std::function<std::string(const std::string&)>& message) {
  std::lock_guard<std::mutex> lock(nb.handle->write_mutex());
  auto written = CreateUnique(nb, path, write_new);
  if (!written.ok()) return written.status();
  auto outcome = IndexAndCommit(ctx, nb, author, {*written}, message(*written));
  if (!outcome.ok()) return outcome.status();
  return written;
}

Result<FileMeta> RowByPath(const detail::NotebookAccess& nb, const std::string& path) {
  auto row = nb.handle->store().GetByPath(path);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return errors::FileNotFound();
  return std::move(**row);
}

Result<FileMeta> RowOfWritten(const detail::NotebookAccess& nb, const std::string& written) {
  std::string main = index::ResolveMain(written, [&](const std::string& p) {
    fs::Stat st = fs::StatBeneath(nb.root, p);
    return st.exists && st.is_file;
  });
  return RowByPath(nb, main);
}

}  // namespace codex::files
