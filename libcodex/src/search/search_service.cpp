// Full-text and tag search over one notebook or a whole workspace (SEMANTICS §12).
#include <algorithm>

#include "codex/search.hpp"
#include "common/errors.hpp"
#include "common/glob.hpp"
#include "common/strings.hpp"
#include "common/validate.hpp"
#include "core/access.hpp"
#include "search/highlight.hpp"
#include "search/query_parser.hpp"
#include "search/snippet.hpp"

namespace codex {
namespace {

struct Scope {
  Workspace workspace;
  std::vector<Notebook> notebooks;
  bool single = false;
};

// The workspace and its candidate notebooks (all, or the one named in options).
Result<Scope> ResolveScope(detail::Context& ctx, const Principal& who, std::string_view ws,
                           const SearchOptions& options) {
  Status s = CheckRange(options.limit, 1, 100, "limit");
  if (!s.ok()) return s;
  s = CheckRange(options.offset, 0, INT64_MAX, "offset");
  if (!s.ok()) return s;
  detail::Reach reach =
      options.notebook ? detail::Reach::kWorkspaceObject : detail::Reach::kWorkspaceWide;
  auto rec = detail::ResolveWorkspace(ctx, who, ws, Role::kViewer, reach);
  if (!rec.ok()) return rec.status();
  Scope scope;
  scope.workspace = rec->workspace;
  if (options.notebook) {
    auto nb = ctx.system->FindNotebook(scope.workspace.id, *options.notebook);
    if (!nb.ok()) return nb.status();
    if (!nb->has_value()) return errors::NotebookNotFound();
    if (who.notebook_id && *who.notebook_id != (*nb)->id) return errors::TokenRestricted();
    scope.notebooks.push_back(std::move(**nb));
    scope.single = true;
  } else {
    auto all = ctx.system->ListNotebooks(scope.workspace.id);
    if (!all.ok()) return all.status();
    scope.notebooks = std::move(*all);
  }
  return scope;
}

SearchResults Frame(const Scope& scope, const SearchOptions& options) {
  SearchResults r;
  r.workspace_id = scope.workspace.id;
  r.workspace_slug = scope.workspace.slug;
  if (scope.single) {
    r.notebook_id = scope.notebooks.front().id;
    r.notebook_slug = scope.notebooks.front().slug;
  }
  r.limit = options.limit;
  r.offset = options.offset;
  return r;
}

// Runs `query` in each notebook, merges by (score desc, notebook id, path), then slices.
Result<SearchResults> Run(detail::Context& ctx, const Scope& scope, const SearchOptions& options,
                          storage::FtsQuery query, bool by_score) {
  SearchResults out = Frame(scope, options);
  query.top_n = options.offset + options.limit;
  // FTS5's snippet() costs ~70 µs a row; the same snippet built here from the row's text, ~8 µs.
  std::vector<search::HighlightPhrase> phrases = search::PhrasesOf(query.match);
  std::vector<SearchHit> hits;
  for (const auto& n : scope.notebooks) {
    auto nb = detail::OpenNotebook(ctx, scope.workspace, n);
    if (!nb.ok()) continue;  // a notebook whose folder is gone has nothing to find
    auto page = nb->handle->store().Search(query);
    if (!page.ok()) return page.status();
    out.total += page->total;
    for (auto& h : page->hits) {
      SearchHit hit;
      hit.file_id = h.file.id;
      hit.notebook_id = n.id;
      hit.notebook_slug = n.slug;
      hit.path = std::move(h.file.path);
      hit.filename = std::move(h.file.filename);
      hit.title = std::move(h.file.title);
      hit.content_type = std::move(h.file.content_type);
      hit.tags = std::move(h.file.tags);
      if (h.columns.empty()) {
        hit.snippet = search::PlainSnippet(h.content_head);
      } else {
        std::vector<std::string_view> cols(h.columns.begin(), h.columns.end());
        hit.snippet = search::RenderSnippet(search::Snippet(cols, phrases));
      }
      hit.score = h.score;
      hits.push_back(std::move(hit));
    }
  }
  std::sort(hits.begin(), hits.end(), [by_score](const SearchHit& a, const SearchHit& b) {
    if (by_score && a.score != b.score) return a.score > b.score;
    if (a.notebook_id != b.notebook_id) return a.notebook_id < b.notebook_id;
    return a.path < b.path;
  });
  auto begin = std::min<std::size_t>(hits.size(), static_cast<std::size_t>(options.offset));
  auto end = std::min<std::size_t>(hits.size(), begin + static_cast<std::size_t>(options.limit));
  out.results.assign(std::make_move_iterator(hits.begin() + static_cast<std::ptrdiff_t>(begin)),
                     std::make_move_iterator(hits.begin() + static_cast<std::ptrdiff_t>(end)));
  return out;
}

}  // namespace

Result<SearchResults> Search::Query(const Principal& who, std::string_view ws, std::string_view q,
                                    const SearchOptions& options) {
  auto scope = ResolveScope(*ctx_, who, ws, options);
  if (!scope.ok()) return scope.status();
  Status s = CheckLength(q, 0, 1000, "q");
  if (!s.ok()) return s;
  auto plan = search::ParseSearchQuery(q);
  if (!plan.ok()) return plan.status();
  if (plan->empty()) return Frame(*scope, options);
  storage::FtsQuery query;
  query.match = plan->match;
  query.exclude = plan->exclude;
  query.tags = plan->tags;
  if (!plan->path_globs.empty()) {
    query.path_filter = [globs = plan->path_globs](std::string_view path) {
      return std::any_of(globs.begin(), globs.end(),
                         [&](const std::string& g) { return GlobMatch(g, path); });
    };
  }
  return Run(*ctx_, *scope, options, std::move(query), /*by_score=*/true);
}

Result<SearchResults> Search::ByTags(const Principal& who, std::string_view ws,
                                     const std::vector<std::string>& tags,
                                     const SearchOptions& options) {
  auto scope = ResolveScope(*ctx_, who, ws, options);
  if (!scope.ok()) return scope.status();
  storage::FtsQuery query;
  for (const auto& t : tags) {
    std::string norm = ToLowerUtf8(Trim(t));
    if (!norm.empty()) query.tags.push_back(std::move(norm));
  }
  std::vector<std::string> asked = query.tags;
  auto r = query.tags.empty() ? Result<SearchResults>(Frame(*scope, options))
                              : Run(*ctx_, *scope, options, std::move(query), /*by_score=*/false);
  if (r.ok()) r->tags = std::move(asked);
  return r;
}

}  // namespace codex
