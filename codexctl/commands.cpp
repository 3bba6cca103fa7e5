// The command table of codexctl: each command parses, calls one library function, prints.
#include <semaphore.h>
#include <unistd.h>

#include <codex/watch.hpp>
#include <codex/wire.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
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

// A command on the file that PATH names (a path, or an id when all digits), once it is found.
template <int (*Run)(Ctl&, const codex::FileMeta&)>
int OnFile(Ctl& c) {
  auto f = c.codex.files().Get(c.who, c.Nb(), codex::FileRef::Parse(c.a.path));
  return f.ok() ? Run(c, *f) : c.Fail(f.status());
}

// Prints `text` as is, or with --json the object `out` with `key`: text added.
int PrintText(Ctl& c, const codex::Result<std::string>& text, Json::Object out, const char* key) {
  if (!text.ok()) return c.Fail(text.status());
  if (!c.json) return std::fwrite(text->data(), 1, text->size(), stdout), 0;
  out.set(key, *text);
  return c.Print(Json(std::move(out)));
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
  if (c.a.from) {  // a local file, relative to the working directory
    codex::UploadRequest up{
        .path = c.a.path, .filename = *c.a.from, .bytes = {}, .source_file = *c.a.from};
    return Show(c, files.Upload(c.who, c.Nb(), up));
  }
  std::string content = c.a.content.value_or("");
  if (c.a.source == "-") content = ReadStdin();
  return Show(c, files.Create(c.who, c.Nb(), c.a.path, content));
}

int FileList(Ctl& c) {
  if (c.a.folder) {  // the files directly in the folder
    auto folder = c.codex.folders().Get(c.who, c.Nb(), *c.a.folder, 0, -1);
    if (!folder.ok() || c.json) return Show(c, folder);
    return c.Print(wire::ToJsonArray(folder->files), kFileCols);
  }
  auto list = c.codex.files().List(c.who, c.Nb(), {0, -1});
  if (!list.ok() || c.json) return Show(c, list);
  return c.Print(wire::ToJsonArray(list->files), kFileCols);
}

int FileShow(Ctl& c, const codex::FileMeta& f) {
  if (c.a.at) {  // the content at a commit, as GET …/history/{commit_hash} answers
    return PrintText(c, c.codex.files().ReadAtCommit(c.who, c.Nb(), f.id, *c.a.at),
                     {{"file_id", f.id}, {"path", f.path}, {"commit_hash", *c.a.at}}, "content");
  }
  Json out = wire::ToJson(f);
  out.as_object().set("problems", Json::Array(f.problems.begin(), f.problems.end()));
  return c.Print(out);
}

int FileCat(Ctl& c) {
  auto opened = c.codex.files().Open(c.who, c.Nb(), codex::FileRef::Parse(c.a.path));
  if (!opened.ok()) return c.Fail(opened.status());
  char buf[1 << 16];  // streamed: files may be large
  for (ssize_t n; (n = ::read(opened->fd(), buf, sizeof buf)) > 0;) std::fwrite(buf, 1, n, stdout);
  return 0;
}

int FileRm(Ctl& c, const codex::FileMeta& f) {
  return Done(c, c.codex.files().Delete(c.who, c.Nb(), f.id), "File deleted successfully");
}

int FileMv(Ctl& c, const codex::FileMeta& f) {
  return Show(c, c.codex.files().Move(c.who, c.Nb(), f.id, c.a.target));
}

int FileLog(Ctl& c, const codex::FileMeta& f) {
  auto h = c.codex.files().History(c.who, c.Nb(), f.id, c.a.limit, c.a.offset);
  if (!h.ok() || c.json) return Show(c, h);
  return c.Print(*wire::ToJson(*h).find("history"), {"hash", "date", "author", "message"});
}

int FileDiff(Ctl& c, const codex::FileMeta& f) {
  Json to = c.a.rev_b.empty() ? Json() : Json(c.a.rev_b);  // null: the file on disk
  return PrintText(c, c.codex.files().Diff(c.who, c.Nb(), f.id, c.a.rev_a, c.a.rev_b),
                   {{"file_id", f.id}, {"path", f.path}, {"from", c.a.rev_a}, {"to", to}}, "diff");
}

int FileProps(Ctl& c, const codex::FileMeta& f) {
  if (c.a.sets.empty() && c.a.unsets.empty()) return c.Print(f.properties);
  Json::Object set;
  for (const auto& kv : c.a.sets) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return c.Fail(codex::Status::Validation("value_error", "set", "expected KEY=VALUE: " + kv));
    }
    auto value = Json::Parse(kv.substr(eq + 1));  // JSON when it parses (7.2, true), else text
    set.set(kv.substr(0, eq), value.ok() ? *value : Json(kv.substr(eq + 1)));
  }
  return Show(c, c.codex.files().PatchProperties(c.who, c.Nb(), codex::FileRef::ById(f.id), set,
                                                 c.a.unsets));
}

int Search(Ctl& c) {
  auto r = c.codex.search().Query(c.who, c.a.ws, c.a.query,
                                  {.notebook = c.a.notebook, .limit = c.a.limit});
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
  if (!r.ok() || c.json) return Show(c, r);
  if (!r->grouped) return c.Print(wire::ToJsonArray(r->files), kFileCols);
  for (const auto& [key, files] : r->groups) {
    std::printf("== %s\n", key.c_str());
    c.Print(wire::ToJsonArray(files), kFileCols);
  }
  return 0;
}

sem_t stop_signal;  // posted by SIGINT and SIGTERM

// Prints the change events of WS (or of its notebook NB) as JSON lines until SIGINT or SIGTERM,
// or until the stream ends (its last line says why: deleted, or access removed).
int Watch(Ctl& c) {
  sem_init(&stop_signal, 0, 0);
  for (int sig : {SIGINT, SIGTERM}) std::signal(sig, [](int) { sem_post(&stop_signal); });
  // Called on the watcher's threads: puts holds stdout's lock (POSIX), and a line-buffered
  // stdout writes each line whole as soon as it is complete.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  auto sub = c.codex.events().SubscribeStream(c.who, c.a.ws, c.a.nb, [](const auto& e, bool last) {
    std::puts(wire::EventJson(e).Dump().c_str());
    if (last) sem_post(&stop_signal);
  });
  if (!sub.ok()) return c.Fail(sub.status());
  if (codex::Status s = c.codex.watcher().Start({}); !s.ok()) return c.Fail(s);
  while (sem_wait(&stop_signal) != 0) continue;  // EINTR
  c.codex.watcher().Stop();
  return 0;
}

int Index(Ctl& c) {
  codex::IndexOptions opts{.force = c.a.force, .on_progress = nullptr};
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
    {"file show", "WS NB PATH --at", "show metadata, or the text --at COMMIT", OnFile<FileShow>},
    {"file cat", "WS NB PATH", "print a file's bytes", FileCat},
    {"file rm", "WS NB PATH", "delete a file and its sidecars", OnFile<FileRm>},
    {"file mv", "WS NB PATH TO", "move or rename a file (its id stays)", OnFile<FileMv>},
    {"file log", "WS NB PATH --limit --offset", "the file's commits, newest first",
     OnFile<FileLog>},
    {"file diff", "WS NB PATH A [B]", "diff from commit A to B or the work tree", OnFile<FileDiff>},
    {"file props", "WS NB PATH --set --unset", "show, or change with --set k=v / --unset k",
     OnFile<FileProps>},
    {"tag list", "WS [NB]", "list tags with counts",
     [](Ctl& c) {
       auto nb = c.a.nb.empty() ? std::nullopt : std::optional<std::string_view>(c.a.nb);
       return ShowList(c, c.codex.tags().List(c.who, c.a.ws, nb), {"name", "count", "color"});
     }},
    {"search", "WS QUERY --notebook --limit", "full-text search", Search},
    {"query", "WS [FILE]", "run a dynamic-view query (JSON from FILE or standard input)", Query},
    {"index", "WS [NB] --force", "reconcile the index with the folders", Index},
    {"watch", "WS [NB]", "follow the folders; print each change as a JSON line", Watch},
};

}  // namespace codexctl
