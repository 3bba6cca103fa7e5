// Evaluating a ViewQuery over file rows (SEMANTICS §13.2–§13.5).
#pragma once

#include <string>
#include <vector>

#include "codex/files.hpp"
#include "codex/query.hpp"
#include "query/view_query.hpp"

namespace codex::query {

// All conditions of `q` (AND) except notebook_ids, which the caller applies.
bool Matches(const ViewQuery& q, const FileMeta& file);
// Global order of §13.3 (missing/null last in both directions; ties notebook_id, then path);
// the default order (no or unknown sort field) is notebook_id, then id.
void SortFiles(const ViewQuery& q, std::vector<FileMeta>* files);
// §13.4 group key of a file.
std::string GroupKey(const FileMeta& file, const std::string& group_by);
// Pagination or grouping of the sorted, filtered result (§13.4); total = files.size().
QueryResult Assemble(const ViewQuery& q, std::vector<FileMeta> sorted);

}  // namespace codex::query
