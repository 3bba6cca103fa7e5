// The JSON shapes of the wire contract (CONTRACT §27), used by codexd and codexctl --json alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "codex/files.hpp"
#include "codex/folders.hpp"
#include "codex/json.hpp"
#include "codex/notebooks.hpp"
#include "codex/query.hpp"
#include "codex/search.hpp"
#include "codex/status.hpp"
#include "codex/tags.hpp"
#include "codex/users.hpp"
#include "codex/workspaces.hpp"

namespace codex::wire {

Json ToJson(const User& user);
Json ToJson(const Workspace& workspace);
Json ToJson(const Permission& permission);
Json ToJson(const Notebook& notebook);
Json ToJson(const FileMeta& file);
// FileWrite: the FileMeta keys, then "message".
Json ToJson(const FileMeta& file, std::string_view message);
Json ToJson(const FileList& list);
Json ToJson(const Folder& folder);
// FolderInfo: the Folder keys without files, subfolders and pagination.
Json FolderInfoJson(const Folder& folder);
Json ToJson(const Tag& tag);
Json ToJson(const Template& tmpl);
Json ToJson(const ResolvedLink& link);
Json ToJson(const SearchHit& hit);
// Search response; `query` is echoed as "query" (text search) or `tags` as "tags" (tag search).
Json SearchJson(const SearchResults& results, std::string_view query);
Json TagSearchJson(const SearchResults& results, const std::vector<std::string>& tags);
Json ToJson(const QueryResult& result);
Json ToJson(const IndexReport& report);

// Error body {"detail", "code"[, "request_id"]} (CONTRACT §2.1). A kValidation status becomes the
// 422 list form with loc [loc_root, field]; loc_root is "body", "query" or "path".
Json ErrorJson(const Status& status, std::string_view request_id = {},
               std::string_view loc_root = "body");

// Text for people: an array of objects as an aligned table of `columns` (all keys of the first
// row when empty), an object as "key: value" lines (only `columns` when given), a scalar as is.
// null prints as "-", lists of scalars joined by ", ", nested objects as compact JSON.
std::string HumanText(const Json& value, const std::vector<std::string>& columns = {});

template <class T>
Json ToJsonArray(const std::vector<T>& items) {
  Json::Array out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(ToJson(item));
  return Json(std::move(out));
}

}  // namespace codex::wire
