// The route table of the Codex v1 API (CONTRACT §0.1): verb, pattern, who may call, what a token
// must grant, minimum role (documentation), handler (codex/endpoints.hpp), summary.
#include "routes.hpp"

#include <codex/endpoints.hpp>

namespace codexd {
namespace {

using namespace codex::http;
using A = Access;
using S = TokenScope;

#define WS "/api/v1/workspaces/{ws}"
#define NB "/api/v1/workspaces/{ws}/notebooks/{nb}"
#define PI "/api/v1/plugins/integrations/{plugin_id}"
#define NP "/api/v1/notebooks/{notebook_id}/plugins"
#define FILE NB "/files/{file_id}"
#define U A::kUser

}  // namespace

std::vector<Route> Routes() {
  return {
      {"GET", "/", A::kPublic, S::kNone, "", endpoints::Banner, "Service banner"},
      {"GET", "/health", A::kPublic, S::kNone, "", endpoints::Health, "Health"},
      {"GET", "/metrics", A::kPublic, S::kNone, "", endpoints::Metrics, "Prometheus metrics"},
      {"GET", "/openapi.json", A::kPublic, S::kNone, "", endpoints::OpenApi, "OpenAPI 3.1"},
      {"GET", "/docs", A::kPublic, S::kNone, "", endpoints::Docs, "API docs"},
      // Users, sign-in, tokens.
      {"POST", "/api/v1/users/token", A::kSignIn, S::kNone, "", endpoints::Login, "Sign in"},
      {"POST", "/api/v1/users/token/refresh", A::kSignIn, S::kNone, "", endpoints::Refresh,
       "Rotate the refresh token"},
      {"POST", "/api/v1/users/logout", A::kPublic, S::kNone, "", endpoints::Logout, "Sign out"},
      {"POST", "/api/v1/users/register", A::kSignIn, S::kNone, "", endpoints::Register, "Register"},
      {"GET", "/api/v1/users/me", U, S::kRead, "", endpoints::GetMe, "Who am I"},
      {"PATCH", "/api/v1/users/me/theme", U, S::kWrite, "", endpoints::SetMyTheme, "Set my theme"},
      {"DELETE", "/api/v1/users/me", U, S::kJwtOnly, "", endpoints::DeleteMe, "Delete my account"},
      {"POST", "/api/v1/tokens", U, S::kJwtOnly, "", endpoints::CreateToken, "Create a token"},
      {"GET", "/api/v1/tokens", U, S::kJwtOnly, "", endpoints::ListTokens, "My tokens"},
      {"DELETE", "/api/v1/tokens/{token_id}", U, S::kJwtOnly, "", endpoints::RevokeToken,
       "Revoke a token"},
      // Workspaces and members.
      {"GET", "/api/v1/workspaces", U, S::kRead, "", endpoints::ListWorkspaces, "My workspaces"},
      {"POST", "/api/v1/workspaces", U, S::kWrite, "", endpoints::CreateWorkspace,
       "Create a workspace"},
      {"GET", WS, U, S::kRead, "viewer", endpoints::GetWorkspace, "A workspace"},
      {"PATCH", WS "/theme", U, S::kWrite, "editor", endpoints::SetWorkspaceTheme,
       "Set a workspace theme"},
      {"DELETE", WS, U, S::kAdmin, "owner", endpoints::DeleteWorkspace, "Delete a workspace"},
      {"GET", WS "/permissions", U, S::kRead, "viewer", endpoints::ListMembers, "Members"},
      {"PUT", WS "/permissions/{username}", U, S::kAdmin, "owner", endpoints::GrantRole,
       "Grant a role"},
      {"DELETE", WS "/permissions/{username}", U, S::kWrite, "owner", endpoints::RemoveMember,
       "Remove a member, or leave"},
      // Plugin configuration (workspace and notebook level).
      {"GET", WS "/plugins", U, S::kRead, "viewer", endpoints::ListPluginConfigs, "Plugin configs"},
      {"GET", WS "/plugins/{plugin_id}", U, S::kRead, "viewer", endpoints::GetPluginConfig,
       "A plugin config"},
      {"PUT", WS "/plugins/{plugin_id}", U, S::kAdmin, "owner", endpoints::SetPluginConfig,
       "Set a plugin config"},
      {"DELETE", WS "/plugins/{plugin_id}", U, S::kAdmin, "owner", endpoints::DeletePluginConfig,
       "Delete a plugin config"},
      {"GET", NB "/plugins", U, S::kRead, "viewer", endpoints::ListNotebookPluginConfigs,
       "Notebook plugin configs"},
      {"GET", NB "/plugins/{plugin_id}", U, S::kRead, "viewer", endpoints::GetNotebookPluginConfig,
       "A notebook plugin config"},
      {"PUT", NB "/plugins/{plugin_id}", U, S::kWrite, "editor", endpoints::SetNotebookPluginConfig,
       "Set a notebook plugin config"},
      {"DELETE", NB "/plugins/{plugin_id}", U, S::kWrite, "editor",
       endpoints::DeleteNotebookPluginConfig, "Delete a notebook plugin config"},
      {"GET", NP, U, S::kRead, "viewer", endpoints::ListNotebookPluginConfigsById,
       "Notebook plugin configs (by notebook id)"},
      {"GET", NP "/{plugin_id}", U, S::kRead, "viewer", endpoints::GetNotebookPluginConfigById,
       "A notebook plugin config (by notebook id)"},
      {"PUT", NP "/{plugin_id}", U, S::kWrite, "editor", endpoints::SetNotebookPluginConfigById,
       "Set a notebook plugin config (by notebook id)"},
      {"DELETE", NP "/{plugin_id}", U, S::kWrite, "editor",
       endpoints::DeleteNotebookPluginConfigById,
       "Delete a notebook plugin config (by notebook id)"},
      // Notebooks.
      {"GET", WS "/notebooks", U, S::kRead, "viewer", endpoints::ListNotebooks, "Notebooks"},
      {"POST", WS "/notebooks", U, S::kWrite, "editor", endpoints::CreateNotebook,
       "Create a notebook"},
      {"GET", NB, U, S::kRead, "viewer", endpoints::GetNotebook, "A notebook"},
      {"DELETE", NB, U, S::kWrite, "editor", endpoints::DeleteNotebook, "Delete a notebook"},
      {"GET", NB "/indexing-status", U, S::kRead, "viewer", endpoints::GetIndexingStatus,
       "Indexing status"},
      // Files.
      {"GET", NB "/files", U, S::kRead, "viewer", endpoints::ListFiles, "Files"},
      {"POST", NB "/files", U, S::kWrite, "editor", endpoints::CreateFile, "Create a file"},
      {"GET", NB "/files/templates", U, S::kRead, "viewer", endpoints::ListTemplates, "Templates"},
      {"GET", NB "/files/path/{p*}", U, S::kRead, "viewer", endpoints::GetFileByPath,
       "A file by path"},
      {"GET", NB "/files/path/{p*}/text", U, S::kRead, "viewer", endpoints::GetFileTextByPath,
       "A file's text by path"},
      {"GET", NB "/files/path/{p*}/content", U, S::kRead, "viewer", endpoints::GetFileContentByPath,
       "A file's bytes by path"},
      {"GET", FILE, U, S::kRead, "viewer", endpoints::GetFile, "A file"},
      {"GET", FILE "/text", U, S::kRead, "viewer", endpoints::GetFileText, "A file's text"},
      {"GET", FILE "/content", U, S::kRead, "viewer", endpoints::GetFileContent, "A file's bytes"},
      {"PUT", FILE, U, S::kWrite, "editor", endpoints::UpdateFile, "Update a file"},
      {"PATCH", FILE "/move", U, S::kWrite, "editor", endpoints::MoveFile, "Move a file"},
      {"DELETE", FILE, U, S::kWrite, "editor", endpoints::DeleteFile, "Delete a file"},
      {"POST", NB "/files/resolve-link", U, S::kRead, "viewer", endpoints::ResolveLink,
       "Resolve a link"},
      {"GET", FILE "/history", U, S::kRead, "viewer", endpoints::GetFileHistory,
       "A file's history"},
      {"GET", FILE "/history/{commit_hash}", U, S::kRead, "viewer", endpoints::GetFileAtCommit,
       "A file at a commit"},
      {"POST", NB "/files/from-template", U, S::kWrite, "editor", endpoints::CreateFileFromTemplate,
       "Create a file from a template"},
      {"POST", NB "/files/upload", U, S::kWrite, "editor", endpoints::UploadFile, "Upload a file"},
      // Folders: an empty path is the notebook root.
      {"GET", NB "/folders/{path*}", U, S::kRead, "viewer", endpoints::GetFolder, "A folder"},
      {"PUT", NB "/folders/{path*}", U, S::kWrite, "editor", endpoints::SetFolderProperties,
       "Set folder properties"},
      {"DELETE", NB "/folders/{path*}", U, S::kWrite, "editor", endpoints::DeleteFolder,
       "Delete a folder"},
      // Tags, search, queries.
      {"GET", NB "/tags", U, S::kRead, "viewer", endpoints::ListNotebookTags, "Notebook tags"},
      {"GET", WS "/tags", U, S::kRead, "viewer", endpoints::ListWorkspaceTags, "Workspace tags"},
      {"PATCH", NB "/tags/{name}", U, S::kWrite, "editor", endpoints::SetTagColor,
       "Set a tag colour"},
      {"GET", WS "/search", U, S::kRead, "viewer", endpoints::SearchWorkspace, "Search"},
      {"GET", WS "/search/tags", U, S::kRead, "viewer", endpoints::SearchWorkspaceTags,
       "Tag search"},
      {"GET", NB "/search", U, S::kRead, "viewer", endpoints::SearchNotebook, "Search a notebook"},
      {"GET", NB "/search/tags", U, S::kRead, "viewer", endpoints::SearchNotebookTags,
       "Tag search in a notebook"},
      {"POST", "/api/v1/query", U, S::kRead, "viewer", endpoints::RunQuery, "Dynamic-view query"},
      // Tasks.
      {"GET", "/api/v1/tasks", U, S::kRead, "viewer", endpoints::ListTasks, "Tasks"},
      {"POST", "/api/v1/tasks", U, S::kWrite, "editor", endpoints::CreateTask, "Create a task"},
      {"GET", "/api/v1/tasks/{task_id}", U, S::kRead, "viewer", endpoints::GetTask, "A task"},
      {"PUT", "/api/v1/tasks/{task_id}", U, S::kWrite, "editor", endpoints::UpdateTask,
       "Update a task"},
      {"DELETE", "/api/v1/tasks/{task_id}", U, S::kWrite, "editor", endpoints::DeleteTask,
       "Delete a task"},
      // Plugin registry and integrations.
      {"POST", "/api/v1/plugins/register", A::kUserInactive, S::kAdmin, "",
       endpoints::RegisterPlugin, "Register a plugin"},
      {"POST", "/api/v1/plugins/register-batch", A::kUserInactive, S::kAdmin, "",
       endpoints::RegisterPlugins, "Register plugins"},
      {"GET", "/api/v1/plugins", A::kUserInactive, S::kRead, "", endpoints::ListPlugins, "Plugins"},
      {"GET", "/api/v1/plugins/{plugin_id}", A::kUserInactive, S::kRead, "", endpoints::GetPlugin,
       "A plugin"},
      {"DELETE", "/api/v1/plugins/{plugin_id}", A::kUserInactive, S::kAdmin, "",
       endpoints::UnregisterPlugin, "Unregister a plugin"},
      {"GET", "/api/v1/plugins/integrations", A::kUserInactive, S::kRead, "",
       endpoints::ListIntegrations, "Integrations"},
      {"GET", PI, A::kUserInactive, S::kRead, "", endpoints::GetIntegration, "An integration"},
      {"PUT", PI "/enable", U, S::kAdmin, "owner", endpoints::EnableIntegration,
       "Enable an integration"},
      {"GET", PI "/config", U, S::kRead, "viewer", endpoints::GetIntegrationConfig,
       "Integration config"},
      {"PUT", PI "/config", U, S::kAdmin, "owner", endpoints::SetIntegrationConfig,
       "Set integration config"},
      {"GET", PI "/blocks", A::kUserInactive, S::kRead, "", endpoints::GetIntegrationBlocks,
       "Blocks of an integration"},
      {"GET", NB "/integrations", U, S::kRead, "viewer", endpoints::ListNotebookIntegrations,
       "Integrations"},
      {"PUT", NB "/integrations/{plugin_id}/enable", U, S::kAdmin, "owner",
       endpoints::EnableNotebookIntegration, "Enable an integration"},
      {"GET", NB "/integrations/{plugin_id}/config", U, S::kRead, "viewer",
       endpoints::GetNotebookIntegrationConfig, "Integration config"},
      {"PUT", NB "/integrations/{plugin_id}/config", U, S::kAdmin, "owner",
       endpoints::SetNotebookIntegrationConfig, "Set integration config"},
      // Snippets and live changes.
      {"POST", "/api/v1/snippets", U, S::kWrite, "editor", endpoints::CreateSnippet,
       "Add a snippet"},
      {"GET", "/api/v1/ws/notebooks/{notebook_id}", A::kPublic, S::kRead, "viewer",
       endpoints::UpgradeRequired, "WebSocket: changes of a notebook"},
      {"GET", "/api/v1/ws/workspaces/{ws}", A::kPublic, S::kRead, "viewer",
       endpoints::UpgradeRequired, "WebSocket: changes of a workspace"},
  };
}

}  // namespace codexd
