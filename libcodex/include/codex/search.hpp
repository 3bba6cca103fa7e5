// Full-text search (FTS5, bm25 with title and tags weighted) and tag search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
}

struct SearchHit {
  std::int64_t file_id = 0;
  std::int64_t notebook_id = 0;
  std::string notebook_slug;
  std::string path;
  std::string filename;
  std::optional<std::string> title;
  std::string content_type;
  std::vector<std::string> tags;
  std::string snippet;  // HTML-escaped, matches in <mark>…</mark>
  double score = 0;     // higher is better
};

struct SearchOptions {
  std::optional<std::string> notebook;  // id or slug: search only this notebook
  std::int64_t limit = 20;              // 1..100
  std::int64_t offset = 0;
};

struct SearchResults {
  std::int64_t workspace_id = 0;
  std::string workspace_slug;
  std::optional<std::int64_t> notebook_id;  // set when SearchOptions::notebook was given
  std::optional<std::string> notebook_slug;
  std::vector<std::string> tags;  // tag search: the tags asked for, normalised
  std::vector<SearchHit> results;
  std::int64_t total = 0;
  std::int64_t limit = 0;
  std::int64_t offset = 0;
};

// Thread-safe; viewer. User text never reaches FTS5 unquoted, so no query raises an SQL error.
class Search {
 public:
  // SEMANTICS §12.3 query language. Errors: kValidation "value_error" (only exclusions, or limit
  // and offset out of range); kNotFound "notebook_not_found" for an unknown notebook.
  Result<SearchResults> Query(const Principal& who, std::string_view ws, std::string_view q,
                              const SearchOptions& options = {});
  // Files carrying every tag (trimmed, lower-cased), by notebook id then path.
  Result<SearchResults> ByTags(const Principal& who, std::string_view ws,
                               const std::vector<std::string>& tags,
                               const SearchOptions& options = {});

 private:
  friend class Codex;
  explicit Search(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
