// The handlers of the Codex v1 API, one per route (CONTRACT §0.1): each decodes its request,
// calls one library function and encodes the reply. codexd's route table names them; tests can
// call them through Api::Dispatch without a socket.
#pragma once

#include "codex/http.hpp"

namespace codex::http::endpoints {

// The endpoints every Codex API has (CONTRACT §3, §6).
Response Banner(Call& c);           // GET /
Response Health(Call& c);           // GET /health
Response Metrics(Call& c);          // GET /metrics (CODEX_METRICS_TOKEN)
Response OpenApi(Call& c);          // GET /openapi.json
Response Docs(Call& c);             // GET /docs
Response Login(Call& c);            // POST /api/v1/users/token (form)
Response Refresh(Call& c);          // POST /api/v1/users/token/refresh (cookie)
Response Logout(Call& c);           // POST /api/v1/users/logout
Response UpgradeRequired(Call& c);  // a WebSocket route asked without an upgrade: 426

// One per route of the table.

Response CreateFile(Call& c);
Response CreateFileFromTemplate(Call& c);
Response CreateNotebook(Call& c);
Response CreateSnippet(Call& c);
Response CreateTask(Call& c);
Response CreateToken(Call& c);
Response CreateWorkspace(Call& c);
Response DeleteFile(Call& c);
Response DeleteFolder(Call& c);
Response DeleteMe(Call& c);
Response DeleteNotebook(Call& c);
Response DeleteNotebookPluginConfig(Call& c);
Response DeleteNotebookPluginConfigById(Call& c);
Response DeletePluginConfig(Call& c);
Response DeleteTask(Call& c);
Response DeleteWorkspace(Call& c);
Response EnableIntegration(Call& c);
Response EnableNotebookIntegration(Call& c);
Response GetFile(Call& c);
Response GetFileAtCommit(Call& c);
Response GetFileByPath(Call& c);
Response GetFileContent(Call& c);
Response GetFileContentByPath(Call& c);
Response GetFileHistory(Call& c);
Response GetFileText(Call& c);
Response GetFileTextByPath(Call& c);
Response GetFolder(Call& c);
Response GetIndexingStatus(Call& c);
Response GetIntegration(Call& c);
Response GetIntegrationBlocks(Call& c);
Response GetIntegrationConfig(Call& c);
Response GetMe(Call& c);
Response GetNotebook(Call& c);
Response GetNotebookIntegrationConfig(Call& c);
Response GetNotebookPluginConfig(Call& c);
Response GetNotebookPluginConfigById(Call& c);
Response GetPlugin(Call& c);
Response GetPluginConfig(Call& c);
Response GetTask(Call& c);
Response GetWorkspace(Call& c);
Response GrantRole(Call& c);
Response ListFiles(Call& c);
Response ListIntegrations(Call& c);
Response ListMembers(Call& c);
Response ListNotebookIntegrations(Call& c);
Response ListNotebookPluginConfigs(Call& c);
Response ListNotebookPluginConfigsById(Call& c);
Response ListNotebookTags(Call& c);
Response ListNotebooks(Call& c);
Response ListPluginConfigs(Call& c);
Response ListPlugins(Call& c);
Response ListTasks(Call& c);
Response ListTemplates(Call& c);
Response ListTokens(Call& c);
Response ListWorkspaceTags(Call& c);
Response ListWorkspaces(Call& c);
Response MoveFile(Call& c);
Response Register(Call& c);
Response RegisterPlugin(Call& c);
Response RegisterPlugins(Call& c);
Response RemoveMember(Call& c);
Response ResolveLink(Call& c);
Response RevokeToken(Call& c);
Response RunQuery(Call& c);
Response SearchNotebook(Call& c);
Response SearchNotebookTags(Call& c);
Response SearchWorkspace(Call& c);
Response SearchWorkspaceTags(Call& c);
Response SetFolderProperties(Call& c);
Response SetIntegrationConfig(Call& c);
Response SetMyTheme(Call& c);
Response SetNotebookIntegrationConfig(Call& c);
Response SetNotebookPluginConfig(Call& c);
Response SetNotebookPluginConfigById(Call& c);
Response SetPluginConfig(Call& c);
Response SetTagColor(Call& c);
Response SetWorkspaceTheme(Call& c);
Response UnregisterPlugin(Call& c);
Response UpdateFile(Call& c);
Response UpdateTask(Call& c);
Response UploadFile(Call& c);

}  // namespace codex::http::endpoints
