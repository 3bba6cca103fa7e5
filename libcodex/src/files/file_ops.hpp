// What every file write shares: unique-path creation, indexing the touched paths, the git
// commit with the acting user as author, and the resulting row.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/files.hpp"
#include "codex/status.hpp"
#include "codex/users.hpp"
#include "common/fs.hpp"
#include "common/strings.hpp"
#include "core/access.hpp"
#include "index/sidecar.hpp"
#include "notebook/indexer.hpp"

namespace codex::files {

// A notebook-relative path checked for a file target: the path guard, then the indexer's
// ignored names (CONTRACT §14.1 step 1) → "Invalid file path".
Result<std::string> GuardFilePath(const detail::NotebookAccess& nb, std::string_view input);

// Sidecars of `main` present on disk.
index::Sidecars SidecarsOnDisk(const std::string& root, const std::string& main);

struct WriteOutcome {
  std::vector<notebook::Change> changes;
  std::optional<std::string> commit;
};

// Re-indexes `touched` (paths written or removed), commits exactly those paths with `message`
// authored by the acting user, records the commit on the rows and publishes the changes (a
// `moved` change, when given, stands for its file). The caller holds the notebook's write
// mutex. A failed commit leaves the index updated and is reported as kIoError.
Result<WriteOutcome> IndexAndCommit(detail::Context& ctx, const detail::NotebookAccess& nb,
                                    const User& author, const std::vector<std::string>& touched,
                                    const std::string& message,
                                    const std::optional<notebook::Change>& moved = std::nullopt);

// A new file: `write_new` writes it at `path` or the first free unique-path candidate, then it is
// indexed and committed with message(final path) by `author`. Takes the notebook's write mutex.
// Returns the final path.
Result<std::string> CreateAndCommit(detail::Context& ctx, const detail::NotebookAccess& nb,
                                    const User& author, const std::string& path,
                                    const std::function<Status(const std::string&)>& write_new,
                                    const std::function<std::string(const std::string&)>& message);

// The current row of a main file. kNotFound "file_not_found".
Result<FileMeta> RowByPath(const detail::NotebookAccess& nb, const std::string& path);

// The row a newly written path belongs to: its own, or — when the path is a sidecar of an
// existing file (SEMANTICS §5.2) — the main file's (CONTRACT §14.1 step 4).
Result<FileMeta> RowOfWritten(const detail::NotebookAccess& nb, const std::string& written);

}  // namespace codex::files
