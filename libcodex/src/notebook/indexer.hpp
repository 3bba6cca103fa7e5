// Keeping a notebook's index equal to its folder (SEMANTICS §7.2, §7.4).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "codex/notebooks.hpp"
#include "codex/status.hpp"
#include "core/notebook_handle.hpp"

namespace codex::notebook {

enum class ChangeKind { kCreated, kModified, kDeleted, kMoved };

// One committed change of the index (the payload of a change event).
struct Change {
  ChangeKind kind = ChangeKind::kModified;
  std::int64_t file_id = 0;
  std::string path;
  std::string old_path;  // kMoved only
  bool scanned = false;  // found by a scan (event type "scanned" for created/modified)
  bool binary = false;   // never staged in git
};

// Re-indexes the given notebook-relative paths (main files or sidecars, existing or gone) in one
// transaction: upsert, delete, or nothing when the indexed state is unchanged. Orphaned sidecars
// become files of their own; a new main file absorbs its sidecars' rows. The caller holds the
// notebook's write mutex.
Result<std::vector<Change>> IndexPaths(detail::NotebookHandle& nb,
                                       const std::vector<std::string>& paths,
                                       const std::string& now);

// A full scan (§7.4): new, changed (size/mtime signature, then content) and deleted files;
// same-content delete + create pairs become moves. Takes the notebook's write mutex.
struct ScanResult {
  IndexReport report;
  std::vector<Change> changes;
};
// `publish` receives the committed changes while the write mutex is still held (events keep
// index-commit order).
Result<ScanResult> Reconcile(detail::NotebookHandle& nb, const IndexOptions& options, int threads,
                             const std::string& now,
                             const std::function<void(const std::vector<Change>&)>& publish);

// The "Batch update: N changes" commit message with one line per change (§9.4).
std::string BatchMessage(const std::vector<Change>& changes);

}  // namespace codex::notebook
