// Index changes → change events (SEMANTICS §19).
#pragma once

#include <cstdint>
#include <vector>

#include "core/context.hpp"
#include "notebook/indexer.hpp"

namespace codex::notebook {

// More changes than this in one batch publish a single "resync" instead.
inline constexpr std::size_t kBulkChanges = 500;

// Publishes committed changes once each: scan-found creations and modifications as "scanned",
// a bulk batch as one "resync". Call under the notebook's write mutex, after the commit.
void PublishChanges(detail::Context& ctx, std::int64_t workspace_id, std::int64_t notebook_id,
                    const std::vector<Change>& changes);

// One "resync" event: the notebook may have changed in any way (a watcher overflow, a folder
// replaced wholesale); subscribers re-read what they show.
void PublishResync(detail::Context& ctx, std::int64_t workspace_id, std::int64_t notebook_id);

}  // namespace codex::notebook
