// File history from the notebook's git repository (SEMANTICS §9.5).
#include <limits>

#include "codex/files.hpp"
#include "common/errors.hpp"
#include "common/strings.hpp"
#include "common/validate.hpp"
#include "core/access.hpp"

namespace codex {
namespace {

Result<FileMeta> RowById(const detail::NotebookAccess& nb, std::int64_t id) {
  auto row = nb.handle->store().Get(id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return errors::FileNotFound();
  return std::move(**row);
}

Status NotAtCommit() { return Status::NotFound("file_not_found", "File not found at this commit"); }

// A revision as ReadAtCommit and Diff accept it: 1..100 bytes.
bool PlausibleRevision(std::string_view rev) { return !rev.empty() && rev.size() <= 100; }

}  // namespace

Result<FileHistory> Files::History(const Principal& who, NotebookRef nbref, std::int64_t id,
                                   std::int64_t max_count, std::int64_t offset) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  Status range = CheckRange(max_count, 1, 100, "max_count");
  if (range.ok()) range = CheckRange(offset, 0, std::numeric_limits<int>::max(), "offset");
  if (!range.ok()) return range;
  auto row = RowById(*nb, id);
  if (!row.ok()) return row.status();
  auto repo = nb->handle->repo();
  if (!repo.ok()) return repo.status();
  auto log = (*repo)->History(row->path, static_cast<int>(max_count), static_cast<int>(offset));
  if (!log.ok())
    return Status::Make(log.status().code(), "internal_error", "Error getting file history");
  FileHistory out{row->id, row->path, {}};
  for (auto& c : *log) {
    out.history.push_back(
        {std::move(c.hash), std::move(c.author), std::move(c.date), std::move(c.message)});
  }
  return out;
}

Result<std::string> Files::ReadAtCommit(const Principal& who, NotebookRef nbref, std::int64_t id,
                                        std::string_view commit) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  auto row = RowById(*nb, id);
  if (!row.ok()) return row.status();
  if (!PlausibleRevision(commit)) return NotAtCommit();
  auto repo = nb->handle->repo();
  if (!repo.ok()) return repo.status();
  auto text = (*repo)->ReadAt(std::string(commit), row->path);
  if (!text.ok() || !IsValidUtf8(*text)) return NotAtCommit();
  return std::move(*text);
}

Result<std::string> Files::Diff(const Principal& who, NotebookRef nbref, std::int64_t id,
                                std::string_view rev_a, std::string_view rev_b) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  auto row = RowById(*nb, id);
  if (!row.ok()) return row.status();
  if (!PlausibleRevision(rev_a) || (!rev_b.empty() && !PlausibleRevision(rev_b)))
    return NotAtCommit();
  auto repo = nb->handle->repo();
  if (!repo.ok()) return repo.status();
  return (*repo)->Diff(row->path, std::string(rev_a), std::string(rev_b));
}

}  // namespace codex
