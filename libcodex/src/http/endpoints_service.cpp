// The handlers of the Codex v1 route table (CONTRACT §0.1), one per operation: decode the request
// (codex::wire), call one library function, encode the reply. codexd's table names them.
#include <climits>
#include <string>
#include <vector>

#include "codex/codex.hpp"
#include "codex/endpoints.hpp"
#include "codex/http.hpp"
#include "codex/wire.hpp"

namespace codex::http::endpoints {
namespace {

NotebookRef Nb(Call& c) { return {c.Param("ws"), c.Param("nb")}; }
FileRef Path(Call& c) { return FileRef::ByPath(std::string(c.Param("p"))); }
Json Content(const Result<std::string>& text) { return Json(Json::Object{{"content", *text}}); }

// fn(value) of a decoded input, or the input's error (loc_root for 422s).
template <class T, class F>
Response With(const Result<T>& input, F fn, const char* loc_root = "body") {
  return input.ok() ? fn(*input) : ErrorResponse(input.status(), loc_root);
}
// The request body decoded by `decode` (a wire decoder), then fn(input).
template <class D, class F>
Response WithBody(Call& c, D decode, F fn) {
  return With(c.BodyObject(), [&](const Json::Object& body) { return With(decode(body), fn); });
}
template <class F>
Response WithId(Call& c, const char* name, F fn) {
  return With(c.IntParam(name), fn, "path");
}
template <class T>
Response ReplyWith(const Result<T>& r, Json (*encode)(const T&)) {
  return r.ok() ? JsonResponse(200, encode(*r)) : ErrorResponse(r.status(), "query");
}

// Task inputs come from the query string or the body; the query wins (CONTRACT §19).
Result<Json::Object> TaskInput(Call& c) {
  auto body = c.BodyObject(true);
  if (!body.ok()) return body;
  for (const char* k : {"title", "description", "type", "status", "assigned_to", "error"}) {
    if (auto q = c.Query(k)) body->set(k, std::string(*q));
  }
  return body;
}

Response SearchIn(Call& c, bool tags, std::optional<std::string> nb) {
  auto limit = c.IntQuery("limit", 20, 1, 100);
  auto offset = c.IntQuery("offset", 0, 0, INT64_MAX);
  auto q = c.RequiredQuery(tags ? "tags" : "q");
  if (!limit.ok() || !offset.ok() || !q.ok()) {
    return ErrorResponse(!q.ok() ? q.status() : !limit.ok() ? limit.status() : offset.status());
  }
  if (!nb && c.Query("notebook")) nb = std::string(*c.Query("notebook"));
  SearchOptions o{nb, *limit, *offset};
  auto& s = c.codex.search();
  if (!tags) {
    auto r = s.Query(c.who, c.Param("ws"), *q, o);
    return r.ok() ? JsonResponse(200, wire::SearchJson(*r, *q))
                  : ErrorResponse(r.status(), "query");
  }
  auto r = s.ByTags(c.who, c.Param("ws"), *c.ListQuery("tags"), o);
  return r.ok() ? JsonResponse(200, wire::TagSearchJson(*r, r->tags)) : ErrorResponse(r.status());
}

}  // namespace

// Upload a file (multipart).
Response UploadFile(Call& c) {
  auto form = Multipart::Parse(c.request.body_file, c.request.Header("content-type").value_or(""),
                               c.codex.data_dir() + "/tmp");
  const Part* file = form.ok() ? form->Find("file") : nullptr;
  if (file == nullptr || !file->filename) {
    return ErrorResponse(Status::Validation("missing", "body/file", "Field required"));
  }
  const Part* path = form->Find("path");
  UploadRequest up{path && !path->value.empty() ? std::optional(path->value) : std::nullopt,
                   *file->filename,
                   {},
                   file->file_path};
  return ReplyWrite(c.codex.files().Upload(c.who, Nb(c), up), "File uploaded successfully");
}

namespace {

// A required integer query parameter such as workspace_id (CONTRACT §2.3: absent or not an int →
// 422, never a lookup of a slug or of "").
Result<std::int64_t> RequiredIntQuery(Call& c, std::string_view name) {
  auto v = c.OptIntQuery(name);
  if (!v.ok()) return v.status();
  if (!*v) return Status::Validation("missing", "query/" + std::string(name), "Field required");
  return **v;
}

Response IntegrationsIn(Call& c, std::optional<std::string> ws, bool one) {
  if (!ws) {  // flat routes: an optional int workspace_id (CONTRACT §21.1)
    auto id = c.OptIntQuery("workspace_id");
    if (!id.ok()) return ErrorResponse(id.status(), "query");
    if (*id) ws = std::to_string(**id);
  }
  auto& p = c.codex.plugins();
  if (one) {
    auto i = p.GetIntegration(c.who, c.Param("plugin_id"), ws);
    return i.ok() ? JsonResponse(200, wire::ToJson(*i, true)) : ErrorResponse(i.status());
  }
  auto all = p.Integrations(c.who, ws);
  if (!all.ok()) return ErrorResponse(all.status());
  Json::Array out;
  for (const auto& i : *all) out.push_back(wire::ToJson(i, false));
  return JsonResponse(200, Json(std::move(out)));
}

// {"plugin_id", "config"} of a workspace's integration (CONTRACT §21.1).
Response IntegrationConfig(Call& c, const std::string& ws, bool put) {
  auto& p = c.codex.plugins();
  auto reply = [](const PluginConfig& pc) {
    return JsonResponse(200,
                        Json(Json::Object{{"plugin_id", pc.plugin_id}, {"config", pc.config}}));
  };
  if (!put) return With(p.GetWorkspaceConfig(c.who, ws, c.Param("plugin_id")), reply);
  return WithBody(c, wire::DecodeConfig, [&](const Json& config) {
    return With(p.PutWorkspaceConfig(c.who, ws, c.Param("plugin_id"), {std::nullopt, config}),
                reply);
  });
}

// Nested NB/integrations routes: the notebook is resolved and checked first (CONTRACT §21.2); the
// state itself is the workspace's.
template <class F>
Response InNotebook(Call& c, F fn) {
  return With(c.codex.notebooks().Get(c.who, Nb(c)), [&](const Notebook&) { return fn(); });
}

// The flat /api/v1/notebooks/{notebook_id}/plugins… alias: the notebook by id alone.
template <class F>
Response ByNotebookId(Call& c, F fn) {
  return WithId(c, "notebook_id", [&](std::int64_t id) {
    return With(c.codex.notebooks().GetById(c.who, id), [&](const Notebook& nb) {
      std::string ws = std::to_string(nb.workspace_id), n = std::to_string(nb.id);
      return fn(NotebookRef{ws, n});
    });
  });
}

}  // namespace

// Register.
Response Register(Call& c) {
  return WithBody(c, wire::DecodeUserCreate,
                  [&](auto& u) { return Reply(c.codex.auth().Register(u), 201); });
}

// Who am I.
Response GetMe(Call& c) { return JsonResponse(200, wire::ToJson(c.identity->user)); }

// Set my theme.
Response SetMyTheme(Call& c) {
  return WithBody(c, wire::DecodeTheme,
                  [&](auto& t) { return Reply(c.codex.users().SetTheme(c.who, t)); });
}

// Delete my account.
Response DeleteMe(Call& c) {
  Response r = ReplyDone(c.codex.users().Delete(c.who), "User deleted successfully");
  if (r.status == 200) ClearSessionCookies(&r);
  return r;
}

// Create a token.
Response CreateToken(Call& c) {
  return WithBody(c, wire::DecodeTokenCreate,
                  [&](auto& t) { return Reply(c.codex.auth().CreateToken(c.who, t), 201); });
}

// My tokens.
Response ListTokens(Call& c) { return ReplyList(c.codex.auth().ListTokens(c.who)); }

// Revoke a token.
Response RevokeToken(Call& c) {
  return WithId(c, "token_id",
                [&](auto id) { return ReplyEmpty(c.codex.auth().RevokeToken(c.who, id)); });
}

// My workspaces.
Response ListWorkspaces(Call& c) { return ReplyList(c.codex.workspaces().List(c.who)); }

// Create a workspace.
Response CreateWorkspace(Call& c) {
  return WithBody(c, wire::DecodeWorkspaceCreate,
                  [&](auto& w) { return Reply(c.codex.workspaces().Create(c.who, w)); });
}

// A workspace.
Response GetWorkspace(Call& c) { return Reply(c.codex.workspaces().Get(c.who, c.Param("ws"))); }

// Set a workspace theme.
Response SetWorkspaceTheme(Call& c) {
  return WithBody(c, wire::DecodeTheme, [&](auto& t) {
    return Reply(c.codex.workspaces().SetTheme(c.who, c.Param("ws"), t));
  });
}

// Delete a workspace.
Response DeleteWorkspace(Call& c) {
  return ReplyDone(c.codex.workspaces().Delete(c.who, c.Param("ws")),
                   "Workspace deleted successfully");
}

// Members.
Response ListMembers(Call& c) {
  return ReplyList(c.codex.workspaces().Permissions(c.who, c.Param("ws")));
}

// Grant a role.
Response GrantRole(Call& c) {
  return WithBody(c, wire::DecodeRole, [&](Role r) {
    return Reply(c.codex.workspaces().Share(c.who, c.Param("ws"), c.Param("username"), r));
  });
}

// Remove a member, or leave.
Response RemoveMember(Call& c) {
  bool self = c.identity->user.username == c.Param("username");
  if (!self && c.identity->kind == CredentialKind::kPat && c.identity->scope != Scope::kAdmin) {
    return ErrorResponse(
        Status::PermissionDenied("insufficient_scope", "Insufficient token scope"));
  }
  return ReplyEmpty(c.codex.workspaces().Unshare(c.who, c.Param("ws"), c.Param("username")));
}

// Plugin configs.
Response ListPluginConfigs(Call& c) {
  return ReplyList(c.codex.plugins().WorkspaceConfigs(c.who, c.Param("ws")));
}

// A plugin config.
Response GetPluginConfig(Call& c) {
  return Reply(c.codex.plugins().GetWorkspaceConfig(c.who, c.Param("ws"), c.Param("plugin_id")));
}

// Set a plugin config.
Response SetPluginConfig(Call& c) {
  return WithBody(c, wire::DecodePluginConfigUpdate, [&](auto& u) {
    return Reply(
        c.codex.plugins().PutWorkspaceConfig(c.who, c.Param("ws"), c.Param("plugin_id"), u));
  });
}

// Delete a plugin config.
Response DeletePluginConfig(Call& c) {
  return ReplyDone(
      c.codex.plugins().DeleteWorkspaceConfig(c.who, c.Param("ws"), c.Param("plugin_id")),
      "Plugin configuration deleted successfully");
}

// Notebook plugin configs.
Response ListNotebookPluginConfigs(Call& c) {
  return ReplyList(c.codex.plugins().NotebookConfigs(c.who, Nb(c)));
}

// A notebook plugin config.
Response GetNotebookPluginConfig(Call& c) {
  return Reply(c.codex.plugins().GetNotebookConfig(c.who, Nb(c), c.Param("plugin_id")));
}

// Set a notebook plugin config.
Response SetNotebookPluginConfig(Call& c) {
  return WithBody(c, wire::DecodePluginConfigUpdate, [&](auto& u) {
    return Reply(c.codex.plugins().PutNotebookConfig(c.who, Nb(c), c.Param("plugin_id"), u));
  });
}

// Delete a notebook plugin config.
Response DeleteNotebookPluginConfig(Call& c) {
  return ReplyDone(c.codex.plugins().DeleteNotebookConfig(c.who, Nb(c), c.Param("plugin_id")),
                   "Plugin configuration deleted successfully");
}

// Notebook plugin configs (by notebook id).
Response ListNotebookPluginConfigsById(Call& c) {
  return ByNotebookId(
      c, [&](NotebookRef n) { return ReplyList(c.codex.plugins().NotebookConfigs(c.who, n)); });
}

// A notebook plugin config (by notebook id).
Response GetNotebookPluginConfigById(Call& c) {
  return ByNotebookId(c, [&](NotebookRef n) {
    return Reply(c.codex.plugins().GetNotebookConfig(c.who, n, c.Param("plugin_id")));
  });
}

// Set a notebook plugin config (by notebook id).
Response SetNotebookPluginConfigById(Call& c) {
  return ByNotebookId(c, [&](NotebookRef n) {
    return WithBody(c, wire::DecodePluginConfigUpdate, [&](auto& u) {
      return Reply(c.codex.plugins().PutNotebookConfig(c.who, n, c.Param("plugin_id"), u));
    });
  });
}

// Delete a notebook plugin config (by notebook id).
Response DeleteNotebookPluginConfigById(Call& c) {
  return ByNotebookId(c, [&](NotebookRef n) {
    return ReplyDone(c.codex.plugins().DeleteNotebookConfig(c.who, n, c.Param("plugin_id")),
                     "Plugin configuration deleted successfully");
  });
}

// Notebooks.
Response ListNotebooks(Call& c) {
  return ReplyList(c.codex.notebooks().List(c.who, c.Param("ws")));
}

// Create a notebook.
Response CreateNotebook(Call& c) {
  return WithBody(c, wire::DecodeNotebookCreate, [&](auto& n) {
    return Reply(c.codex.notebooks().Create(c.who, c.Param("ws"), n));
  });
}

// A notebook.
Response GetNotebook(Call& c) { return Reply(c.codex.notebooks().Get(c.who, Nb(c))); }

// Delete a notebook.
Response DeleteNotebook(Call& c) {
  return ReplyDone(c.codex.notebooks().Delete(c.who, Nb(c)), "Notebook deleted successfully");
}

// Indexing status.
Response GetIndexingStatus(Call& c) {
  return With(c.codex.notebooks().Get(c.who, Nb(c)), [&](const Notebook& n) {
    IndexingState state = c.codex.watcher().State(n.id);
    bool alive = state != IndexingState::kNotStarted && state != IndexingState::kError;
    return JsonResponse(200, Json(Json::Object{{"notebook_id", n.id},
                                               {"status", std::string(IndexingStateName(state))},
                                               {"is_alive", alive}}));
  });
}

// Files.
Response ListFiles(Call& c) {
  auto skip = c.IntQuery("skip", 0, 0, INT64_MAX);
  auto limit = c.IntQuery("limit", 1000, INT64_MIN, INT64_MAX);
  if (!skip.ok() || !limit.ok()) return ErrorResponse(skip.ok() ? limit.status() : skip.status());
  return Reply(c.codex.files().List(c.who, Nb(c), {*skip, *limit}));
}

// Create a file.
Response CreateFile(Call& c) {
  return WithBody(c, wire::DecodeFileCreate, [&](auto& f) {
    return ReplyWrite(c.codex.files().Create(c.who, Nb(c), f.path, f.content),
                      "File created successfully");
  });
}

// Templates.
Response ListTemplates(Call& c) {
  return With(c.codex.files().Templates(c.who, Nb(c)), [](auto& t) {
    return JsonResponse(200, Json(Json::Object{{"templates", wire::ToJsonArray(t)}}));
  });
}

// A file by path.
Response GetFileByPath(Call& c) { return Reply(c.codex.files().Get(c.who, Nb(c), Path(c))); }

// A file's text by path.
Response GetFileTextByPath(Call& c) {
  auto text = c.codex.files().ReadText(c.who, Nb(c), Path(c));
  return text.ok() ? JsonResponse(200, Content(text)) : ErrorResponse(text.status());
}

// A file's bytes by path.
Response GetFileContentByPath(Call& c) {
  auto f = c.codex.files().Open(c.who, Nb(c), Path(c));
  return f.ok() ? FileResponse(c.request, std::move(*f)) : ErrorResponse(f.status());
}

// A file.
Response GetFile(Call& c) {
  return WithId(c, "file_id", [&](auto id) {
    return Reply(c.codex.files().Get(c.who, Nb(c), FileRef::ById(id)));
  });
}

// A file's text.
Response GetFileText(Call& c) {
  return WithId(c, "file_id", [&](auto id) {
    return With(c.codex.files().ReadText(c.who, Nb(c), FileRef::ById(id)),
                [](auto& t) { return JsonResponse(200, Content(t)); });
  });
}

// A file's bytes.
Response GetFileContent(Call& c) {
  return WithId(c, "file_id", [&](auto id) {
    auto f = c.codex.files().Open(c.who, Nb(c), FileRef::ById(id));
    return f.ok() ? FileResponse(c.request, std::move(*f)) : ErrorResponse(f.status());
  });
}

// Update a file.
Response UpdateFile(Call& c) {
  return WithId(c, "file_id", [&](auto id) {
    return WithBody(c, wire::DecodeFileUpdate, [&](FileUpdate u) {
      if (auto m = c.request.Header("if-match")) u.if_match = std::string(*m);
      return ReplyWrite(c.codex.files().Update(c.who, Nb(c), id, u), "File updated successfully");
    });
  });
}

// Move a file.
Response MoveFile(Call& c) {
  return WithId(c, "file_id", [&](auto id) {
    return WithBody(c, wire::DecodeMove, [&](auto& to) {
      return ReplyWrite(c.codex.files().Move(c.who, Nb(c), id, to), "File moved successfully");
    });
  });
}

// Delete a file.
Response DeleteFile(Call& c) {
  return WithId(c, "file_id", [&](auto id) {
    return ReplyDone(c.codex.files().Delete(c.who, Nb(c), id), "File deleted successfully");
  });
}

// Resolve a link.
Response ResolveLink(Call& c) {
  return WithBody(c, wire::DecodeLinkQuery, [&](auto& l) {
    return Reply(c.codex.files().ResolveLink(c.who, Nb(c), l.link, l.current_file_path));
  });
}

// A file's history.
Response GetFileHistory(Call& c) {
  return WithId(c, "file_id", [&](auto id) {
    return With(
        c.IntQuery("max_count", 10, 1, 100),
        [&](auto n) { return Reply(c.codex.files().History(c.who, Nb(c), id, n)); }, "query");
  });
}

// A file at a commit.
Response GetFileAtCommit(Call& c) {
  return WithId(c, "file_id", [&](auto id) {
    return With(c.codex.files().Get(c.who, Nb(c), FileRef::ById(id)), [&](auto& f) {
      return With(c.codex.files().ReadAtCommit(c.who, Nb(c), id, c.Param("commit_hash")),
                  [&](auto& t) {
                    return JsonResponse(
                        200, Json(Json::Object{{"file_id", id},
                                               {"path", f.path},
                                               {"commit_hash", std::string(c.Param("commit_hash"))},
                                               {"content", t}}));
                  });
    });
  });
}

// Create a file from a template.
Response CreateFileFromTemplate(Call& c) {
  return WithBody(c, wire::DecodeTemplateUse, [&](auto& t) {
    return ReplyWrite(c.codex.files().CreateFromTemplate(c.who, Nb(c), t.template_id, t.filename),
                      "File created successfully from template");
  });
}

// A folder.
Response GetFolder(Call& c) {
  auto skip = c.IntQuery("skip", 0, 0, INT64_MAX);
  auto limit = c.IntQuery("limit", 100, INT64_MIN, INT64_MAX);
  if (!skip.ok() || !limit.ok()) return ErrorResponse(skip.ok() ? limit.status() : skip.status());
  return Reply(c.codex.folders().Get(c.who, Nb(c), c.Param("path"), *skip, *limit));
}

// Set folder properties.
Response SetFolderProperties(Call& c) {
  return WithBody(c, wire::DecodeFolderProperties, [&](auto& p) {
    return ReplyWith(c.codex.folders().SetProperties(c.who, Nb(c), c.Param("path"), p),
                     wire::FolderInfoJson);
  });
}

// Delete a folder.
Response DeleteFolder(Call& c) {
  return ReplyDone(c.codex.folders().Delete(c.who, Nb(c), c.Param("path")),
                   "Folder deleted successfully");
}

// Notebook tags.
Response ListNotebookTags(Call& c) {
  return ReplyList(c.codex.tags().List(c.who, c.Param("ws"), c.Param("nb")));
}

// Workspace tags.
Response ListWorkspaceTags(Call& c) { return ReplyList(c.codex.tags().List(c.who, c.Param("ws"))); }

// Set a tag colour.
Response SetTagColor(Call& c) {
  return WithBody(c, wire::DecodeTagColor, [&](auto& color) {
    return Reply(c.codex.tags().SetColor(c.who, Nb(c), c.Param("name"), color));
  });
}

// Search.
Response SearchWorkspace(Call& c) { return SearchIn(c, false, {}); }

// Tag search.
Response SearchWorkspaceTags(Call& c) { return SearchIn(c, true, {}); }

// Search a notebook.
Response SearchNotebook(Call& c) { return SearchIn(c, false, std::string(c.Param("nb"))); }

// Tag search in a notebook.
Response SearchNotebookTags(Call& c) { return SearchIn(c, true, std::string(c.Param("nb"))); }

// Dynamic-view query.
Response RunQuery(Call& c) {
  return With(
      RequiredIntQuery(c, "workspace_id"),
      [&](auto ws) {
        return With(c.BodyObject(true), [&](auto& q) {
          return Reply(c.codex.queries().Run(c.who, std::to_string(ws), Json(q)));
        });
      },
      "query");
}

// Tasks.
Response ListTasks(Call& c) {
  TaskFilter f;
  if (c.Query("status")) f.status = std::string(*c.Query("status"));
  if (c.Query("type")) f.type = std::string(*c.Query("type"));
  return With(
      RequiredIntQuery(c, "workspace_id"),
      [&](auto ws) { return ReplyList(c.codex.tasks().List(c.who, ws, f)); }, "query");
}

// Create a task.
Response CreateTask(Call& c) {
  return With(
      RequiredIntQuery(c, "workspace_id"),
      [&](auto ws) {
        return With(TaskInput(c), [&](auto& in) {
          return With(wire::DecodeTaskCreate(in),
                      [&](auto& t) { return Reply(c.codex.tasks().Create(c.who, ws, t)); });
        });
      },
      "query");
}

// A task.
Response GetTask(Call& c) {
  return WithId(c, "task_id", [&](auto id) { return Reply(c.codex.tasks().Get(c.who, id)); });
}

// Update a task.
Response UpdateTask(Call& c) {
  return WithId(c, "task_id", [&](auto id) {
    return With(TaskInput(c), [&](auto& in) {
      return With(wire::DecodeTaskUpdate(in),
                  [&](auto& u) { return Reply(c.codex.tasks().Update(c.who, id, u)); });
    });
  });
}

// Delete a task.
Response DeleteTask(Call& c) {
  return WithId(c, "task_id",
                [&](auto id) { return ReplyEmpty(c.codex.tasks().Delete(c.who, id)); });
}

// Register a plugin.
Response RegisterPlugin(Call& c) {
  return With(c.BodyObject(), [&](auto& b) {
    // One plugin: every field is required and the manifest is an object (422); the batch route
    // reports such items in its results instead.
    for (const char* field : {"id", "name", "version", "type"}) {
      if (auto f = wire::StringField(b, field); !f.ok()) return ErrorResponse(f.status());
    }
    if (auto m = wire::OptObjectField(b, "manifest"); !m.ok()) return ErrorResponse(m.status());
    return With(c.codex.plugins().Register(wire::DecodePluginRegistration(Json(b))), [](auto& r) {
      return r.registered ? JsonResponse(200, wire::ToJson(r))
                          : ErrorResponse(Status::InvalidArgument("invalid_plugin", r.message));
    });
  });
}

// Register plugins.
Response RegisterPlugins(Call& c) {
  return WithBody(c, wire::DecodePluginBatch, [&](auto& p) {
    return ReplyWith(c.codex.plugins().RegisterBatch(p), wire::RegisterBatchJson);
  });
}

// Plugins.
Response ListPlugins(Call& c) { return ReplyList(c.codex.plugins().List(c.Query("plugin_type"))); }

// A plugin.
Response GetPlugin(Call& c) { return Reply(c.codex.plugins().Get(c.Param("plugin_id"))); }

// Unregister a plugin.
Response UnregisterPlugin(Call& c) {
  return ReplyDone(c.codex.plugins().Unregister(c.Param("plugin_id")),
                   "Plugin " + std::string(c.Param("plugin_id")) + " unregistered");
}

// Integrations.
Response ListIntegrations(Call& c) { return IntegrationsIn(c, {}, false); }

// An integration.
Response GetIntegration(Call& c) { return IntegrationsIn(c, {}, true); }

// Enable an integration.
Response EnableIntegration(Call& c) {
  return With(
      RequiredIntQuery(c, "workspace_id"),
      [&](std::int64_t ws) {
        return WithBody(c, wire::DecodeEnabled, [&](bool on) {
          return With(c.codex.plugins().EnableIntegration(c.who, std::to_string(ws),
                                                          c.Param("plugin_id"), on),
                      [](auto& i) { return JsonResponse(200, wire::ToJson(i, true)); });
        });
      },
      "query");
}

// Integration config.
Response GetIntegrationConfig(Call& c) {
  return With(
      RequiredIntQuery(c, "workspace_id"),
      [&](std::int64_t ws) { return IntegrationConfig(c, std::to_string(ws), false); }, "query");
}

// Set integration config.
Response SetIntegrationConfig(Call& c) {
  return With(
      RequiredIntQuery(c, "workspace_id"),
      [&](std::int64_t ws) { return IntegrationConfig(c, std::to_string(ws), true); }, "query");
}

// Blocks of an integration.
Response GetIntegrationBlocks(Call& c) {
  return With(
      c.codex.plugins().GetIntegration(c.who, c.Param("plugin_id"), std::nullopt), [](auto& i) {
        const Json* b = i.plugin.manifest.find("blocks");
        return JsonResponse(
            200, Json(Json::Object{{"integration_id", i.plugin.id},
                                   {"blocks", b && b->is_array() ? *b : Json(Json::Array{})}}));
      });
}

// Integrations.
Response ListNotebookIntegrations(Call& c) {
  return InNotebook(c, [&] { return IntegrationsIn(c, std::string(c.Param("ws")), false); });
}

// Enable an integration.
Response EnableNotebookIntegration(Call& c) {
  return InNotebook(c, [&] {
    return WithBody(c, wire::DecodeEnabled, [&](bool on) {
      return With(
          c.codex.plugins().EnableIntegration(c.who, c.Param("ws"), c.Param("plugin_id"), on),
          [](auto& i) { return JsonResponse(200, wire::ToJson(i, true)); });
    });
  });
}

// Integration config.
Response GetNotebookIntegrationConfig(Call& c) {
  return InNotebook(c, [&] { return IntegrationConfig(c, std::string(c.Param("ws")), false); });
}

// Set integration config.
Response SetNotebookIntegrationConfig(Call& c) {
  return InNotebook(c, [&] { return IntegrationConfig(c, std::string(c.Param("ws")), true); });
}

// Add a snippet.
Response CreateSnippet(Call& c) {
  return WithBody(c, wire::DecodeSnippet, [&](auto& s) {
    return ReplyWrite(c.codex.files().CreateSnippet(c.who, s), "Snippet created successfully", 201);
  });
}

}  // namespace codex::http::endpoints
