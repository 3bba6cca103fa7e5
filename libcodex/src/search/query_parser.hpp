// The user query language of SEMANTICS §12.3, compiled to a safe FTS5 expression.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "codex/status.hpp"

namespace codex::search {

struct SearchPlan {
  // FTS5 MATCH expression for the positive terms, exclusions appended as " NOT (n1 OR n2 …)";
  // empty when the query has no positive term. Every user word is inside a quoted string.
  std::string match;
  // "n1 OR n2 …" of the exclusions, for `rowid NOT IN (… MATCH exclude)` when `match` is empty.
  std::string exclude;
  std::vector<std::string> tags;        // tag: filters, lower-cased; all required
  std::vector<std::string> path_globs;  // path: filters; any may match

  bool has_filters() const { return !tags.empty() || !path_globs.empty(); }
  // Nothing to search for: the answer is "no results".
  bool empty() const { return match.empty() && exclude.empty() && !has_filters(); }
};

// Errors: kValidation "value_error" (field "q") "Search query needs at least one term to match"
// when there are only exclusions.
Result<SearchPlan> ParseSearchQuery(std::string_view q);

}  // namespace codex::search
