// Dynamic views across the notebooks of a workspace (SEMANTICS §13).
#include <algorithm>

#include "codex/query.hpp"
#include "common/errors.hpp"
#include "common/fs.hpp"
#include "core/access.hpp"
#include "query/evaluate.hpp"
#include "query/view_query.hpp"

namespace codex {

Result<QueryResult> Queries::Run(const Principal& who, std::string_view ws, const Json& view) {
  auto rec = detail::ResolveWorkspace(*ctx_, who, ws, Role::kViewer);
  if (!rec.ok()) return rec.status();
  if (!fs::StatBeneath(rec->workspace.path, "").is_dir) return errors::WorkspacePathMissing();
  auto q = query::ParseViewQuery(view);
  if (!q.ok()) return q.status();
  auto notebooks = ctx_->system->ListNotebooks(rec->workspace.id);
  if (!notebooks.ok()) return notebooks.status();
  std::vector<FileMeta> matched;
  for (const auto& n : *notebooks) {
    if (q->notebook_ids && std::find(q->notebook_ids->begin(), q->notebook_ids->end(), n.id) ==
                               q->notebook_ids->end()) {
      continue;
    }
    auto nb = detail::OpenNotebook(*ctx_, rec->workspace, n);
    if (!nb.ok()) continue;  // a notebook that cannot be read contributes nothing (§13.1)
    auto rows = nb->handle->store().All();
    if (!rows.ok()) continue;
    for (auto& f : *rows) {
      if (query::Matches(*q, f)) matched.push_back(std::move(f));
    }
  }
  query::SortFiles(*q, &matched);
  return query::Assemble(*q, std::move(matched));
}

}  // namespace codex
