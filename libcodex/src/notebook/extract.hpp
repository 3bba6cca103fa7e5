// From bytes on disk to an index row: one read of the file for hash, sniff, metadata, tags,
// links and full-text document (SEMANTICS §6, §7.2, §12.1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codex/status.hpp"
#include "common/fs.hpp"
#include "index/sidecar.hpp"
#include "storage/notebook_store.hpp"

namespace codex::notebook {

// The scan signature: size and mtime of the main file and of each sidecar present.
std::string StatSig(const fs::Stat& main,
                    const std::vector<std::pair<std::string, fs::Stat>>& sidecars);

// Reads root/main (a regular file, or a symlink resolving inside root) and its sidecars.
// created_at/updated_at are set to `now`. Errors: kNotFound when the file is gone or not a
// regular file; kIoError. Unreadable metadata is not an error: it lands in meta.problems.
Result<storage::FileRecord> ExtractFile(const std::string& root, const std::string& main,
                                        const index::Sidecars& sidecars, std::int64_t notebook_id,
                                        const std::string& now);

// Whether two records describe the same indexed state (ignoring times of indexing and the scan
// signature): then re-indexing writes nothing and publishes no event.
bool SameIndexedState(const FileMeta& a, const FileMeta& b);

}  // namespace codex::notebook
