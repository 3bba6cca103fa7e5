// Renames seen on disk (the watcher's IN_MOVED_FROM/IN_MOVED_TO pairs) applied to the index in
// place, so that a moved file keeps its id (SEMANTICS §7.3).
#pragma once

#include <string>
#include <vector>

#include "codex/status.hpp"
#include "core/notebook_handle.hpp"
#include "notebook/indexer.hpp"

namespace codex::notebook {

struct PathMove {
  std::string from;  // notebook-relative
  std::string to;
  bool dir = false;  // a directory: every row under from/ moves under to/
};

// The row change that moves file row `id` to `path` at `now`: new path, filename and type by
// extension (IndexPaths then refines the type from the content).
storage::FileMove MoveTo(std::int64_t id, const std::string& path, const std::string& now);

// Applies `moves` in order. A file row moves when it exists and nothing is indexed at the target;
// otherwise (a rename over an indexed file, as editors save, or a path without a row) no row
// changes here. Both sides of every move, and the new paths of a moved directory's files, are
// appended to `touched`: IndexPaths on them then picks up content, type and sidecar changes.
// The caller holds the notebook's write mutex.
Result<std::vector<Change>> MoveRows(detail::NotebookHandle& nb, const std::vector<PathMove>& moves,
                                     const std::string& now, std::vector<std::string>* touched);

}  // namespace codex::notebook
