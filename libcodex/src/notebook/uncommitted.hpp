// Changes indexed that never reached git: a process killed between indexing a batch and
// committing it leaves them behind; the next scan commits them (SEMANTICS §7.4).
#pragma once

#include <optional>
#include <string>

#include "codex/status.hpp"
#include "core/notebook_handle.hpp"

namespace codex::notebook {

// A NUL byte in the first 8 KiB of root/path (never staged in git). False when unreadable.
bool IsBinaryOnDisk(const std::string& root, const std::string& path);

// Commits what the work tree holds and HEAD does not (text files new, modified or deleted since
// the last commit, whatever the index has: "Batch update: N changes", by the notebook's
// committer) and marks their rows, and the rows git has but that were never marked, as tracked.
// Returns the commit's sha, or nullopt when there was nothing to commit. The caller holds the
// notebook's write mutex.
Result<std::optional<std::string>> CommitUncommitted(detail::NotebookHandle& nb);

}  // namespace codex::notebook
