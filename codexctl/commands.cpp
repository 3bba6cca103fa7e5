// The command table of codexctl: each command parses, calls one library function, prints.
#include <unistd.h>

#include <codex/wire.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli.hpp"

namespace codexctl {
namespace {

using codex::Json;
namespace wire = codex::wire;

template <class T>
int Show(Ctl& c, const codex::Result<T>& r, const std::vector<std::string>& cols = {}) {
  return r.ok() ? c.Print(wire::ToJson(*r), cols) : c.Fail(r.status());
}

template <class T>
int ShowList(Ctl& c, const codex::Result<std::vector<T>>& r, const std::vector<std::string>& cols) {
  return r.ok() ? c.Print(wire::ToJsonArray(*r), cols) : c.Fail(r.status());
}

int Done(Ctl& c, const codex::Status& s, const std::string& message) {
  return s.ok() ? c.Print(Json(Json::Object{{"message", message}})) : c.Fail(s);
}

// A file given by path or id (all digits = id): its row.
codex::Result<codex::FileMeta> Lookup(Ctl& c, const std::string& ref) {
  return c.codex.files().Get(c.who, c.Nb(), codex::FileRef::Parse(ref));
}

std::string ReadPassword(Ctl& c) {
  if (!c.a.password_stdin) return {};
  std::string pw = ReadStdin();
  while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
  return pw;
}

const std::vector<std::string> kFileCols = {"id", "path", "content_type", "size", "title", "tags"};

int Init(Ctl& c) {
  std::string name = c.a.user.empty() ? "admin" : c.a.user;
  auto user = c.codex.users().GetByName(name);
  std::string generated;
  if (!user.ok()) {
    std::string password = ReadPassword(c);
    if (password.empty()) password = generated = codex::GeneratePassword();
    user = c.codex.users().Create({name, c.a.email.value_or(name + "@example.org"), password});
    if (!user.ok()) return c.Fail(user.status());
  }
  codex::Status s = c.codex.SetSetting("codexctl.default_user", name);
  if (!s.ok()) return c.Fail(s);
  Json::Object out{{"data_dir", c.codex.data_dir()}, {"user", wire::ToJson(*user)}};
  if (!generated.empty()) out.set("password", generated);
  return c.Print(Json(std::move(out)));
}

int FileAdd(Ctl& c) {
  auto& files = c.codex.files();
  if (c.a.from) {
    codex::UploadRequest up;
    up.path = c.a.path;
    up.filename = *c.a.from;
    up.source_file = *c.a.from;  // relative to the working directory
    return Show(c, files.Upload(c.who, c.Nb(), up));
  }
  std::string content = c.a.content.value_or("");
  if (c.a.source == "-") content = ReadStdin();
  return Show(c, files.Create(c.who, c.Nb(), c.a.path, content));
}

int FileList(Ctl& c) {
  if (c.a.folder) {  // the files directly in the folder
    auto folder = c.codex.folders().Get(c.who, c.Nb(), *c.a.folder, 0, -1);
    if (!folder.ok()) return c.Fail(folder.status());
    return c.json ? c.Print(wire::ToJson(*folder))
                  : c.Print(wire::ToJsonArray(folder->files), kFileCols);
  }
  auto list = c.codex.files().List(c.who, c.Nb(), {0, -1});
  if (!list.ok()) return c.Fail(list.status());
  return c.json ? c.Print(wire::ToJson(*list)) : c.Print(wire::ToJsonArray(list->files), kFileCols);
}

int FileShow(Ctl& c) {
  auto f = Lookup(c, c.a.path);
  if (!f.ok()) return c.Fail(f.status());
  Json out = wire::ToJson(*f);
  Json::Array problems;
  for (const auto& p : f->problems) problems.emplace_back(p);
  out.as_object().set("problems", Json(std::move(problems)));
  return c.Print(out);
}

int FileCat(Ctl& c) {
  auto opened = c.codex.files().Open(c.who, c.Nb(), codex::FileRef::Parse(c.a.path));
  if (!opened.ok()) return c.Fail(opened.status());
  char buf[1 << 16];  // streamed: files may be large
  for (ssize_t n; (n = ::read(opened->fd(), buf, sizeof buf)) > 0;) std::fwrite(buf, 1, n, stdout);
  return 0;
}

int FileRm(Ctl& c) {
  auto f = Lookup(c, c.a.path);
  if (!f.ok()) return c.Fail(f.status());
  return Done(c, c.codex.files().Delete(c.who, c.Nb(), f->id), "File deleted successfully");
}

int FileMv(Ctl& c) {
  auto f = Lookup(c, c.a.path);
  if (!f.ok()) return c.Fail(f.status());
  return Show(c, c.codex.files().Move(c.who, c.Nb(), f->id, c.a.target));
}

int FileProps(Ctl& c) {
  if (c.a.sets.empty() && c.a.unsets.empty()) {
    auto f = Lookup(c, c.a.path);
    return f.ok() ? c.Print(f->properties) : c.Fail(f.status());
  }
  Json::Object set;
  for (const auto& kv : c.a.sets) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return c.Fail(codex::Status::Validation("value_error", "set", "expected KEY=VALUE: " + kv));
    }
    auto value = Json::Parse(kv.substr(eq + 1));  // JSON when it parses (7.2, true), else text
    set.set(kv.substr(0, eq), value.ok() ? *value : Json(kv.substr(eq + 1)));
  }
  return Show(c, c.codex.files().PatchProperties(c.who, c.Nb(), codex::FileRef::Parse(c.a.path),
                                                 set, c.a.unsets));
}

int Search(Ctl& c) {
  codex::SearchOptions opts;
  opts.notebook = c.a.notebook;
  opts.limit = c.a.limit;
  auto r = c.codex.search().Query(c.who, c.a.ws, c.a.query, opts);
  if (!r.ok()) return c.Fail(r.status());
  if (c.json) return c.Print(wire::SearchJson(*r, c.a.query));
  return c.Print(wire::ToJsonArray(r->results),
                 {"notebook_slug", "path", "title", "score", "snippet"});
}

int Query(Ctl& c) {
  std::ifstream in(c.a.file, std::ios::binary);
  bool from_stdin = c.a.file.empty() || c.a.file == "-";
  if (!from_stdin && !in)
    return c.Fail(codex::Status::NotFound("file_not_found", "Cannot read " + c.a.file));
  auto view =
      Json::Parse(from_stdin ? ReadStdin() : std::string(std::istreambuf_iterator<char>(in), {}));
  if (!view.ok()) return c.Fail(view.status());
  auto r = c.codex.queries().Run(c.who, c.a.ws, *view);
  if (!r.ok()) return c.Fail(r.status());
  if (c.json || !r->grouped)
    return c.json ? c.Print(wire::ToJson(*r)) : c.Print(wire::ToJsonArray(r->files), kFileCols);
  for (const auto& [key, files] : r->groups) {
    std::printf("== %s\n", key.c_str());
    c.Print(wire::ToJsonArray(files), kFileCols);
  }
  return 0;
}

int Index(Ctl& c) {
  codex::IndexOptions opts;
  opts.force = c.a.force;
  if (!c.json && ::isatty(STDERR_FILENO)) {
    opts.on_progress = [](const codex::IndexProgress& p) {
      std::fprintf(stderr, "\rindexing notebook %lld: %lld/%lld files%s",
                   static_cast<long long>(p.notebook_id), static_cast<long long>(p.done),
                   static_cast<long long>(p.total), p.done == p.total ? "\n" : "");
    };
  }
  std::vector<codex::IndexReport> reports;
  if (c.a.nb.empty()) {
    auto all = c.codex.notebooks().IndexAll(c.who, c.a.ws, opts);
    if (!all.ok()) return c.Fail(all.status());
    reports = std::move(*all);
  } else {
    auto one = c.codex.notebooks().Index(c.who, c.Nb(), opts);
    if (!one.ok()) return c.Fail(one.status());
    reports.push_back(std::move(*one));
  }
  if (c.json) return c.Print(wire::ToJsonArray(reports));
  c.Print(wire::ToJsonArray(reports), {"notebook_id", "files", "added", "modified", "removed",
                                       "moved", "unchanged", "duration_ms", "commit"});
  Json::Array problems;  // with their files, for people
  for (const auto& r : reports) {
    for (const auto& p : r.problems)
      problems.emplace_back(Json::Object{{"path", p.path}, {"problem", p.problem}});
  }
  return problems.empty() ? 0 : c.Print(Json(std::move(problems)), {"path", "problem"});
}

}  // namespace

const std::vector<Command> kCommands = {
    {"init", "--user --email --password-stdin", "create the data dir and a user (the default --as)",
     Init, false},
    {"user add", "USER --email --password-stdin", "add a user",
     [](Ctl& c) {
       return Show(c, c.codex.users().Create({c.a.user, c.a.email.value_or(""), ReadPassword(c)}));
     },
     false},
    {"user list", "", "list users",
     [](Ctl& c) {
       return ShowList(c, c.codex.users().List(), {"id", "username", "email", "is_active"});
     },
     false},
    {"workspace create", "NAME --path", "create a workspace",
     [](Ctl& c) {
       return Show(c, c.codex.workspaces().Create(c.who, {c.a.name, c.a.opt_path}));
     }},
    {"workspace list", "", "list your workspaces",
     [](Ctl& c) {
       return ShowList(c, c.codex.workspaces().List(c.who), {"id", "slug", "name", "role", "path"});
     }},
    {"workspace show", "WS", "show a workspace",
     [](Ctl& c) { return Show(c, c.codex.workspaces().Get(c.who, c.a.ws)); }},
    {"workspace delete", "WS", "delete a workspace",
     [](Ctl& c) {
       return Done(c, c.codex.workspaces().Delete(c.who, c.a.ws), "Workspace deleted successfully");
     }},
    {"workspace share", "WS USER --role", "give a user a role",
     [](Ctl& c) {
       codex::Role role = codex::Role::kViewer;  // --role is checked by the parser
       codex::RoleFromName(c.a.role.value_or("viewer"), &role);
       return Show(c, c.codex.workspaces().Share(c.who, c.a.ws, c.a.user, role));
     }},
    {"workspace unshare", "WS USER", "remove a member",
     [](Ctl& c) {
       return Done(c, c.codex.workspaces().Unshare(c.who, c.a.ws, c.a.user), "Member removed");
     }},
    {"workspace members", "WS", "list members and roles",
     [](Ctl& c) {
       return ShowList(c, c.codex.workspaces().Permissions(c.who, c.a.ws),
                       {"user_id", "username", "role", "created_at"});
     }},
    {"notebook create", "WS NAME --description", "create a notebook",
     [](Ctl& c) {
       return Show(c, c.codex.notebooks().Create(c.who, c.a.ws, {c.a.name, c.a.description}));
     }},
    {"notebook list", "WS", "list notebooks",
     [](Ctl& c) {
       return ShowList(c, c.codex.notebooks().List(c.who, c.a.ws),
                       {"id", "slug", "name", "description"});
     }},
    {"notebook show", "WS NB", "show a notebook",
     [](Ctl& c) { return Show(c, c.codex.notebooks().Get(c.who, c.Nb())); }},
    {"notebook delete", "WS NB", "delete a notebook and its folder",
     [](Ctl& c) {
       return Done(c, c.codex.notebooks().Delete(c.who, c.Nb()), "Notebook deleted successfully");
     }},
    {"file add", "WS NB PATH [SOURCE] --from --content",
     "add a file: --content TEXT, - for standard input, or --from LOCAL (any bytes)", FileAdd},
    {"file list", "WS NB --folder", "list files", FileList},
    {"file show", "WS NB PATH", "show a file's metadata (PATH or id)", FileShow},
    {"file cat", "WS NB PATH", "print a file's bytes", FileCat},
    {"file rm", "WS NB PATH", "delete a file and its sidecars", FileRm},
    {"file mv", "WS NB PATH TO", "move or rename a file (its id stays)", FileMv},
    {"file props", "WS NB PATH --set --unset", "show, or change with --set k=v / --unset k",
     FileProps},
    {"tag list", "WS [NB]", "list tags with counts",
     [](Ctl& c) {
       std::optional<std::string_view> nb;
       if (!c.a.nb.empty()) nb = c.a.nb;
       return ShowList(c, c.codex.tags().List(c.who, c.a.ws, nb), {"name", "count", "color"});
     }},
    {"search", "WS QUERY --notebook --limit", "full-text search", Search},
    {"query", "WS [FILE]", "run a dynamic-view query (JSON from FILE or standard input)", Query},
    {"index", "WS [NB] --force", "reconcile the index with the folders", Index},
};

}  // namespace codexctl
