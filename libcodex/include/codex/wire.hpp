// The JSON shapes of the wire contract (CONTRACT §27), used by codexd and codexctl --json alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/auth.hpp"
#include "codex/events.hpp"
#include "codex/files.hpp"
#include "codex/folders.hpp"
#include "codex/json.hpp"
#include "codex/notebooks.hpp"
#include "codex/plugins.hpp"
#include "codex/query.hpp"
#include "codex/search.hpp"
#include "codex/status.hpp"
#include "codex/tags.hpp"
#include "codex/tasks.hpp"
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
// The compact text of ToJson(file[, message]).Dump(), byte for byte, written without the tree (the
// HTTP replies; http::Reply picks it up for every type that has one).
std::string ToJsonText(const FileMeta& file);
std::string ToJsonText(const FileMeta& file, std::string_view message);
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
// WebSocket messages (CONTRACT §26): {"type": "file_change", …} or {"type": "resync", …}. A
// lifecycle event (never sent on a WebSocket: it closes it) is {"type": "notebook_deleted" |
// "workspace_deleted" | "access_removed", "workspace_id", "notebook_id", "timestamp"}, with
// "user_id" for access_removed.
Json EventJson(const Event& event);
// {"access_token", "token_type": "bearer"} (CONTRACT §27 Token).
Json TokenJson(const Session& session);
Json ToJson(const TokenInfo& token);
Json ToJson(const TokenCreated& token);
Json ToJson(const Task& task);
Json ToJson(const Plugin& plugin);
Json ToJson(const RegisterResult& result);
Json ToJson(const PluginConfig& config);
// CONTRACT §27 Integration; `detailed` fills properties, blocks and endpoints (else null).
Json ToJson(const Integration& integration, bool detailed);

// Error body {"detail", "code"[, "request_id"]} (CONTRACT §2.1). A kValidation status becomes the
// 422 list form with loc [loc_root, field]; loc_root is "body", "query" or "path".
Json ErrorJson(const Status& status, std::string_view request_id = {},
               std::string_view loc_root = "body");

// Text for people: an array of objects as an aligned table of `columns` (all keys of the first
// row when empty), an object as "key: value" lines (only `columns` when given), a scalar as is.
// null prints as "-", lists of scalars joined by ", ", nested objects as compact JSON.
std::string HumanText(const Json& value, const std::vector<std::string>& columns = {});

// ---- Request bodies → library inputs (CONTRACT §7–§25) ----
// Errors: kValidation with the CONTRACT §2.2 type and field "body/<name>" (loc ["body", name]).

// Typed fields of a request object.
Result<std::string> StringField(const Json::Object& body, std::string_view name,
                                std::size_t min = 0, std::size_t max = SIZE_MAX);
Result<std::optional<std::string>> OptStringField(const Json::Object& body, std::string_view name,
                                                  std::size_t max = SIZE_MAX);
Result<std::optional<std::int64_t>> OptIntField(const Json::Object& body, std::string_view name);
Result<std::optional<bool>> OptBoolField(const Json::Object& body, std::string_view name);
Result<std::optional<Json>> OptObjectField(const Json::Object& body, std::string_view name);
Result<std::vector<std::string>> StringListField(const Json::Object& body, std::string_view name);

Result<UserCreate> DecodeUserCreate(const Json::Object& body);  // register
Result<std::string> DecodeTheme(const Json::Object& body);      // {theme: 1..100}
Result<WorkspaceCreate> DecodeWorkspaceCreate(const Json::Object& body);
Result<Role> DecodeRole(const Json::Object& body);  // {role: owner|editor|viewer}
Result<NotebookCreate> DecodeNotebookCreate(const Json::Object& body);
Result<FileCreate> DecodeFileCreate(const Json::Object& body);
// {content?, properties?}; the If-Match header is the caller's.
Result<FileUpdate> DecodeFileUpdate(const Json::Object& body);
Result<std::string> DecodeMove(const Json::Object& body);  // {new_path}
Result<LinkQuery> DecodeLinkQuery(const Json::Object& body);
Result<TemplateUse> DecodeTemplateUse(const Json::Object& body);
Result<Json> DecodeFolderProperties(const Json::Object& body);  // {properties: object}
// {color: "#rrggbb" | null}
Result<std::optional<std::string>> DecodeTagColor(const Json::Object& body);
Result<TokenCreate> DecodeTokenCreate(const Json::Object& body);
Result<TaskCreate> DecodeTaskCreate(const Json::Object& body);
Result<TaskUpdate> DecodeTaskUpdate(const Json::Object& body);
Result<PluginConfigUpdate> DecodePluginConfigUpdate(const Json::Object& body);
Result<bool> DecodeEnabled(const Json::Object& body);           // {enabled: bool}
Result<Json> DecodeConfig(const Json::Object& body);            // {config: object}, {} when absent
PluginRegistration DecodePluginRegistration(const Json& item);  // leniently: checks come later
Result<std::vector<PluginRegistration>> DecodePluginBatch(const Json::Object& body);
Result<SnippetRequest> DecodeSnippet(const Json::Object& body);

// Register-batch answer {"registered", "updated", "failed", "results"} (CONTRACT §20).
Json RegisterBatchJson(const std::vector<RegisterResult>& results);
Json ToJson(const FileHistory& history);

template <class T>
Json ToJsonArray(const std::vector<T>& items) {
  Json::Array out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(ToJson(item));
  return Json(std::move(out));
}

}  // namespace codex::wire
