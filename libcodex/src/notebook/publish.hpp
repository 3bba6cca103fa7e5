// Index changes → change events (SEMANTICS §19), in this process and, through the notebook's
// change log, in every other process working on the same data directory.
#pragma once

#include <cstdint>
#include <vector>

#include "core/context.hpp"
#include "core/notebook_handle.hpp"
#include "notebook/indexer.hpp"

namespace codex::notebook {

// More changes than this in one batch publish a single "resync" instead.
inline constexpr std::size_t kBulkChanges = 500;

// Publishes committed changes once each: scan-found creations and modifications as "scanned",
// a bulk batch as one "resync"; then appends them to the notebook's change log for the other
// processes. Call under the notebook's write mutex, after the index commit.
void PublishChanges(detail::Context& ctx, detail::NotebookHandle& nb, std::int64_t workspace_id,
                    const std::vector<Change>& changes);

// One "resync" event (and log row): the notebook may have changed in any way (a watcher
// overflow, a folder replaced wholesale); subscribers re-read what they show.
void PublishResync(detail::Context& ctx, detail::NotebookHandle& nb, std::int64_t workspace_id);

// Publishes the changes other processes logged since the last call (one "resync" above the bulk
// limit). Call under the notebook's write mutex.
void PublishForeign(detail::Context& ctx, detail::NotebookHandle& nb, std::int64_t workspace_id);

}  // namespace codex::notebook
