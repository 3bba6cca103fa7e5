// The route table of the Codex v1 API (CONTRACT §0.1): verb, pattern, who may call, what a token
// must grant, minimum role (documentation), handler (codex/endpoints.hpp), summary.
#include "routes.hpp"

#include <codex/endpoints.hpp>

namespace codexd {
namespace {

using namespace codex::http;
using A = Access;
using S = TokenScope;
using namespace endpoints;

#define WS "/api/v1/workspaces/{ws}"
#define NB "/api/v1/workspaces/{ws}/notebooks/{nb}"
#define PI "/api/v1/plugins/integrations/{plugin_id}"
#define NP "/api/v1/notebooks/{notebook_id}/plugins"
#define FILE NB "/files/{file_id}"
#define U A::kUser

}  // namespace

std::vector<Route> Routes() {
  return {
      {"GET", "/", A::kPublic, S::kNone, "", Banner, "Service banner"},
      {"GET", "/health", A::kPublic, S::kNone, "", Health, "Health"},
      {"GET", "/metrics", A::kPublic, S::kNone, "", Metrics, "Prometheus metrics"},
      {"GET", "/openapi.json", A::kPublic, S::kNone, "", OpenApi, "OpenAPI 3.1"},
      {"GET", "/docs", A::kPublic, S::kNone, "", Docs, "API docs"},
      // Users, sign-in, tokens.
      {"POST", "/api/v1/users/token", A::kSignIn, S::kNone, "", Login, "Sign in"},
      {"POST", "/api/v1/users/token/refresh", A::kSignIn, S::kNone, "", Refresh,
       "Rotate the refresh token"},
      {"POST", "/api/v1/users/logout", A::kPublic, S::kNone, "", Logout, "Sign out"},
      {"POST", "/api/v1/users/register", A::kSignIn, S::kNone, "", Register, "Register"},
      {"GET", "/api/v1/users/me", U, S::kRead, "", GetMe, "Who am I"},
      {"PATCH", "/api/v1/users/me/theme", U, S::kWrite, "", SetMyTheme, "Set my theme"},
      {"DELETE", "/api/v1/users/me", U, S::kJwtOnly, "", DeleteMe, "Delete my account"},
      {"POST", "/api/v1/tokens", U, S::kJwtOnly, "", CreateToken, "Create a token"},
      {"GET", "/api/v1/tokens", U, S::kJwtOnly, "", ListTokens, "My tokens"},
      {"DELETE", "/api/v1/tokens/{token_id}", U, S::kJwtOnly, "", RevokeToken, "Revoke a token"},
      // Workspaces and members.
      {"GET", "/api/v1/workspaces", U, S::kRead, "", ListWorkspaces, "My workspaces"},
      {"POST", "/api/v1/workspaces", U, S::kWrite, "", CreateWorkspace, "Create a workspace"},
      {"GET", WS, U, S::kRead, "viewer", GetWorkspace, "A workspace"},
      {"PATCH", WS "/theme", U, S::kWrite, "editor", SetWorkspaceTheme, "Set a workspace theme"},
      {"DELETE", WS, U, S::kAdmin, "owner", DeleteWorkspace, "Delete a workspace"},
      {"GET", WS "/permissions", U, S::kRead, "viewer", ListMembers, "Members"},
      {"PUT", WS "/permissions/{username}", U, S::kAdmin, "owner", GrantRole, "Grant a role"},
      {"DELETE", WS "/permissions/{username}", U, S::kWrite, "owner", RemoveMember,
       "Remove a member, or leave"},
      // Plugin configuration (workspace and notebook level).
      {"GET", WS "/plugins", U, S::kRead, "viewer", ListPluginConfigs, "Plugin configs"},
      {"GET", WS "/plugins/{plugin_id}", U, S::kRead, "viewer", GetPluginConfig, "A plugin config"},
      {"PUT", WS "/plugins/{plugin_id}", U, S::kAdmin, "owner", SetPluginConfig,
       "Set a plugin config"},
      {"DELETE", WS "/plugins/{plugin_id}", U, S::kAdmin, "owner", DeletePluginConfig,
       "Delete a plugin config"},
      {"GET", NB "/plugins", U, S::kRead, "viewer", ListNotebookPluginConfigs,
       "Notebook plugin configs"},
      {"GET", NB "/plugins/{plugin_id}", U, S::kRead, "viewer", GetNotebookPluginConfig,
       "A notebook plugin config"},
      {"PUT", NB "/plugins/{plugin_id}", U, S::kWrite, "editor", SetNotebookPluginConfig,
       "Set a notebook plugin config"},
      {"DELETE", NB "/plugins/{plugin_id}", U, S::kWrite, "editor", DeleteNotebookPluginConfig,
       "Delete a notebook plugin config"},
      {"GET", NP, U, S::kRead, "viewer", ListNotebookPluginConfigsById,
       "Notebook plugin configs (by notebook id)"},
      {"GET", NP "/{plugin_id}", U, S::kRead, "viewer", GetNotebookPluginConfigById,
       "A notebook plugin config (by notebook id)"},
      {"PUT", NP "/{plugin_id}", U, S::kWrite, "editor", SetNotebookPluginConfigById,
       "Set a notebook plugin config (by notebook id)"},
      {"DELETE", NP "/{plugin_id}", U, S::kWrite, "editor", DeleteNotebookPluginConfigById,
       "Delete a notebook plugin config (by notebook id)"},
      // Notebooks.
      {"GET", WS "/notebooks", U, S::kRead, "viewer", ListNotebooks, "Notebooks"},
      {"POST", WS "/notebooks", U, S::kWrite, "editor", CreateNotebook, "Create a notebook"},
      {"GET", NB, U, S::kRead, "viewer", GetNotebook, "A notebook"},
      {"DELETE", NB, U, S::kWrite, "editor", DeleteNotebook, "Delete a notebook"},
      {"GET", NB "/indexing-status", U, S::kRead, "viewer", GetIndexingStatus, "Indexing status"},
      // Files.
      {"GET", NB "/files", U, S::kRead, "viewer", ListFiles, "Files"},
      {"POST", NB "/files", U, S::kWrite, "editor", CreateFile, "Create a file"},
      {"GET", NB "/files/templates", U, S::kRead, "viewer", ListTemplates, "Templates"},
      {"GET", NB "/files/path/{p*}", U, S::kRead, "viewer", GetFileByPath, "A file by path"},
      {"GET", NB "/files/path/{p*}/text", U, S::kRead, "viewer", GetFileTextByPath,
       "A file's text by path"},
      {"GET", NB "/files/path/{p*}/content", U, S::kRead, "viewer", GetFileContentByPath,
       "A file's bytes by path"},
      {"GET", FILE, U, S::kRead, "viewer", GetFile, "A file"},
      {"GET", FILE "/text", U, S::kRead, "viewer", GetFileText, "A file's text"},
      {"GET", FILE "/content", U, S::kRead, "viewer", GetFileContent, "A file's bytes"},
      {"PUT", FILE, U, S::kWrite, "editor", UpdateFile, "Update a file"},
      {"PATCH", FILE "/move", U, S::kWrite, "editor", MoveFile, "Move a file"},
      {"DELETE", FILE, U, S::kWrite, "editor", DeleteFile, "Delete a file"},
      {"POST", NB "/files/resolve-link", U, S::kRead, "viewer", ResolveLink, "Resolve a link"},
      {"GET", FILE "/history", U, S::kRead, "viewer", GetFileHistory, "A file's history"},
      {"GET", FILE "/history/{commit_hash}", U, S::kRead, "viewer", GetFileAtCommit,
       "A file at a commit"},
      {"POST", NB "/files/from-template", U, S::kWrite, "editor", CreateFileFromTemplate,
       "Create a file from a template"},
      {"POST", NB "/files/upload", U, S::kWrite, "editor", UploadFile, "Upload a file"},
      // Folders: an empty path is the notebook root.
      {"GET", NB "/folders/{path*}", U, S::kRead, "viewer", GetFolder, "A folder"},
      {"PUT", NB "/folders/{path*}", U, S::kWrite, "editor", SetFolderProperties,
       "Set folder properties"},
      {"DELETE", NB "/folders/{path*}", U, S::kWrite, "editor", DeleteFolder, "Delete a folder"},
      // Tags, search, queries.
      {"GET", NB "/tags", U, S::kRead, "viewer", ListNotebookTags, "Notebook tags"},
      {"GET", WS "/tags", U, S::kRead, "viewer", ListWorkspaceTags, "Workspace tags"},
      {"PATCH", NB "/tags/{name}", U, S::kWrite, "editor", SetTagColor, "Set a tag colour"},
      {"GET", WS "/search", U, S::kRead, "viewer", SearchWorkspace, "Search"},
      {"GET", WS "/search/tags", U, S::kRead, "viewer", SearchWorkspaceTags, "Tag search"},
      {"GET", NB "/search", U, S::kRead, "viewer", SearchNotebook, "Search a notebook"},
      {"GET", NB "/search/tags", U, S::kRead, "viewer", SearchNotebookTags,
       "Tag search in a notebook"},
      {"POST", "/api/v1/query", U, S::kRead, "viewer", RunQuery, "Dynamic-view query"},
      // Tasks.
      {"GET", "/api/v1/tasks", U, S::kRead, "viewer", ListTasks, "Tasks"},
      {"POST", "/api/v1/tasks", U, S::kWrite, "editor", CreateTask, "Create a task"},
      {"GET", "/api/v1/tasks/{task_id}", U, S::kRead, "viewer", GetTask, "A task"},
      {"PUT", "/api/v1/tasks/{task_id}", U, S::kWrite, "editor", UpdateTask, "Update a task"},
      {"DELETE", "/api/v1/tasks/{task_id}", U, S::kWrite, "editor", DeleteTask, "Delete a task"},
      // Plugin registry and integrations.
      {"POST", "/api/v1/plugins/register", A::kUserInactive, S::kAdmin, "", RegisterPlugin,
       "Register a plugin"},
      {"POST", "/api/v1/plugins/register-batch", A::kUserInactive, S::kAdmin, "", RegisterPlugins,
       "Register plugins"},
      {"GET", "/api/v1/plugins", A::kUserInactive, S::kRead, "", ListPlugins, "Plugins"},
      {"GET", "/api/v1/plugins/{plugin_id}", A::kUserInactive, S::kRead, "", GetPlugin, "A plugin"},
      {"DELETE", "/api/v1/plugins/{plugin_id}", A::kUserInactive, S::kAdmin, "", UnregisterPlugin,
       "Unregister a plugin"},
      {"GET", "/api/v1/plugins/integrations", A::kUserInactive, S::kRead, "", ListIntegrations,
       "Integrations"},
      {"GET", PI, A::kUserInactive, S::kRead, "", GetIntegration, "An integration"},
      {"PUT", PI "/enable", U, S::kAdmin, "owner", EnableIntegration, "Enable an integration"},
      {"GET", PI "/config", U, S::kRead, "viewer", GetIntegrationConfig, "Integration config"},
      {"PUT", PI "/config", U, S::kAdmin, "owner", SetIntegrationConfig, "Set integration config"},
      {"GET", PI "/blocks", A::kUserInactive, S::kRead, "", GetIntegrationBlocks,
       "Blocks of an integration"},
      {"GET", NB "/integrations", U, S::kRead, "viewer", ListNotebookIntegrations, "Integrations"},
      {"PUT", NB "/integrations/{plugin_id}/enable", U, S::kAdmin, "owner",
       EnableNotebookIntegration, "Enable an integration"},
      {"GET", NB "/integrations/{plugin_id}/config", U, S::kRead, "viewer",
       GetNotebookIntegrationConfig, "Integration config"},
      {"PUT", NB "/integrations/{plugin_id}/config", U, S::kAdmin, "owner",
       SetNotebookIntegrationConfig, "Set integration config"},
      // Snippets and live changes.
      {"POST", "/api/v1/snippets", U, S::kWrite, "editor", CreateSnippet, "Add a snippet"},
      {"GET", "/api/v1/ws/notebooks/{notebook_id}", A::kPublic, S::kRead, "viewer", UpgradeRequired,
       "WebSocket: changes of a notebook"},
      {"GET", "/api/v1/ws/workspaces/{ws}", A::kPublic, S::kRead, "viewer", UpgradeRequired,
       "WebSocket: changes of a workspace"},
  };
}

}  // namespace codexd
