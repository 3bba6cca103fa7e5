// The JSON shapes of CONTRACT §27, keys in emitted order.
#include "codex/wire.hpp"
#include "wire/json_writer.hpp"

namespace codex::wire {
namespace {

Json Opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }

Json Strings(const std::vector<std::string>& items) {
  Json::Array a;
  a.reserve(items.size());
  for (const auto& s : items) a.emplace_back(s);
  return Json(std::move(a));
}

Json Pagination(std::int64_t skip, std::int64_t limit, std::int64_t total, bool has_more) {
  return Json(
      Json::Object{{"skip", skip}, {"limit", limit}, {"total", total}, {"has_more", has_more}});
}

// The members of a shape collected into a Json object, with TextWriter's Field overloads.
class TreeWriter {
 public:
  template <class T>
  void Field(std::string_view key, const T& value) {
    object_.set(std::string(key), Value(value));
  }
  Json::Object& object() { return object_; }

 private:
  static Json Value(const std::optional<std::string>& v) { return Opt(v); }
  static Json Value(const std::vector<std::string>& v) { return Strings(v); }
  template <class T>
  static Json Value(const T& v) {
    return Json(v);
  }
  Json::Object object_;
};

// The FileMeta shape (CONTRACT §27), the one definition for the text and the tree encoders. A
// folder entry (FolderFile) leaves out hash, file_type and file_modified_at.
template <class Writer>
void FileFields(Writer& out, const FileMeta& f, bool folder_entry = false) {
  out.Field("id", f.id);
  out.Field("notebook_id", f.notebook_id);
  out.Field("path", f.path);
  out.Field("filename", f.filename);
  out.Field("content_type", f.content_type);
  out.Field("size", f.size);
  if (!folder_entry) out.Field("hash", f.hash);
  out.Field("title", f.title);
  out.Field("description", f.description);
  if (!folder_entry) out.Field("file_type", f.file_type);
  out.Field("properties", f.properties);
  out.Field("created_at", f.created_at);
  out.Field("updated_at", f.updated_at);
  if (!folder_entry) out.Field("file_modified_at", f.file_modified_at);
  out.Field("tags", f.tags);
}

// FileWrite: the FileMeta keys, then "message".
template <class Writer>
void FileWriteFields(Writer& out, const FileMeta& f, std::string_view message) {
  FileFields(out, f);
  out.Field("message", message);
}

Json::Object FileObject(const FileMeta& f, bool folder_entry = false) {
  TreeWriter tree;
  FileFields(tree, f, folder_entry);
  return std::move(tree.object());
}

// The text of an object whose members `fill(writer)` writes.
template <class Fill>
std::string ObjectText(Fill fill) {
  std::string text;
  text.reserve(1024);
  TextWriter out(&text);
  fill(out);
  out.Close();
  return text;
}

Json::Object FolderHead(const Folder& f) {
  return Json::Object{
      {"path", f.path},
      {"name", f.name},
      {"notebook_id", f.notebook_id},
      {"notebook_slug", f.notebook_slug},
      {"workspace_id", f.workspace_id},
      {"workspace_slug", f.workspace_slug},
      {"title", Opt(f.title)},
      {"description", Opt(f.description)},
      {"properties", f.properties},
      {"file_count", f.file_count},
  };
}

Json::Object SearchHead(const SearchResults& r) {
  Json::Object o{{"workspace_id", r.workspace_id}, {"workspace_slug", r.workspace_slug}};
  if (r.notebook_id) {
    o.set("notebook_id", *r.notebook_id);
    o.set("notebook_slug", Opt(r.notebook_slug));
  }
  return o;
}

void SearchTail(Json::Object* o, const SearchResults& r) {
  o->set("results", ToJsonArray(r.results));
  o->set("total", r.total);
  o->set("limit", r.limit);
  o->set("offset", r.offset);
}

}  // namespace

Json ToJson(const User& u) {
  return Json(Json::Object{{"id", u.id},
                           {"username", u.username},
                           {"email", u.email},
                           {"is_active", u.is_active},
                           {"theme_setting", u.theme_setting}});
}

Json ToJson(const Workspace& w) {
  return Json(Json::Object{{"id", w.id},
                           {"name", w.name},
                           {"slug", w.slug},
                           {"path", w.path},
                           {"owner_id", w.owner_id},
                           {"theme_setting", w.theme_setting},
                           {"created_at", w.created_at},
                           {"updated_at", w.updated_at},
                           {"role", std::string(RoleName(w.role))}});
}

Json ToJson(const Permission& p) {
  return Json(Json::Object{{"user_id", p.user_id},
                           {"username", p.username},
                           {"role", std::string(RoleName(p.role))},
                           {"created_at", p.created_at}});
}

Json ToJson(const Notebook& n) {
  return Json(Json::Object{{"id", n.id},
                           {"slug", n.slug},
                           {"name", n.name},
                           {"path", n.path},
                           {"description", Opt(n.description)},
                           {"created_at", n.created_at},
                           {"updated_at", n.updated_at}});
}

Json ToJson(const FileMeta& f) { return Json(FileObject(f)); }

Json ToJson(const FileMeta& f, std::string_view message) {
  TreeWriter tree;
  FileWriteFields(tree, f, message);
  return Json(std::move(tree.object()));
}

std::string ToJsonText(const FileMeta& f) {
  return ObjectText([&](TextWriter& out) { FileFields(out, f); });
}

std::string ToJsonText(const FileMeta& f, std::string_view message) {
  return ObjectText([&](TextWriter& out) { FileWriteFields(out, f, message); });
}

Json ToJson(const FileList& list) {
  return Json(
      Json::Object{{"files", ToJsonArray(list.files)},
                   {"pagination", Pagination(list.skip, list.limit, list.total, list.has_more)}});
}

Json ToJson(const Folder& f) {
  Json::Object o = FolderHead(f);
  Json::Array files;
  for (const auto& file : f.files) files.emplace_back(FileObject(file, /*folder_entry=*/true));
  o.set("files", Json(std::move(files)));
  Json::Array subs;
  for (const auto& s : f.subfolders) {
    subs.emplace_back(Json::Object{{"path", s.path},
                                   {"name", s.name},
                                   {"title", Opt(s.title)},
                                   {"description", Opt(s.description)},
                                   {"properties", s.properties},
                                   {"created_at", s.created_at},
                                   {"updated_at", s.updated_at}});
  }
  o.set("subfolders", Json(std::move(subs)));
  o.set("pagination", Pagination(f.skip, f.limit, f.file_count, f.has_more));
  o.set("created_at", f.created_at);
  o.set("updated_at", f.updated_at);
  return Json(std::move(o));
}

Json FolderInfoJson(const Folder& f) {
  Json::Object o = FolderHead(f);
  o.set("created_at", f.created_at);
  o.set("updated_at", f.updated_at);
  return Json(std::move(o));
}

Json ToJson(const Tag& t) {
  return Json(Json::Object{{"name", t.name}, {"color", Opt(t.color)}, {"count", t.count}});
}

Json ToJson(const Template& t) { return t.fields; }

Json ToJson(const ResolvedLink& link) {
  Json::Object o = FileObject(link.file);
  o.set("resolved_path", link.resolved_path);
  return Json(std::move(o));
}

Json ToJson(const SearchHit& h) {
  return Json(Json::Object{{"file_id", h.file_id},
                           {"notebook_id", h.notebook_id},
                           {"notebook_slug", h.notebook_slug},
                           {"path", h.path},
                           {"filename", h.filename},
                           {"title", Opt(h.title)},
                           {"content_type", h.content_type},
                           {"tags", Strings(h.tags)},
                           {"snippet", h.snippet},
                           {"score", h.score},
                           {"id", h.file_id}});
}

Json SearchJson(const SearchResults& r, std::string_view query) {
  Json::Object o{{"query", std::string(query)}};
  for (auto& [k, v] : SearchHead(r)) o.set(k, v);
  SearchTail(&o, r);
  return Json(std::move(o));
}

Json TagSearchJson(const SearchResults& r, const std::vector<std::string>& tags) {
  Json::Object o{{"tags", Strings(tags)}};
  for (auto& [k, v] : SearchHead(r)) o.set(k, v);
  SearchTail(&o, r);
  return Json(std::move(o));
}

Json ToJson(const QueryResult& r) {
  Json groups;
  if (r.grouped) {
    Json::Object g;
    for (const auto& [key, files] : r.groups) g.set(key, ToJsonArray(files));
    groups = Json(std::move(g));
  }
  return Json(Json::Object{{"files", ToJsonArray(r.files)},
                           {"groups", std::move(groups)},
                           {"total", r.total},
                           {"limit", r.limit},
                           {"offset", r.offset}});
}

Json ToJson(const IndexReport& r) {
  Json::Array problems;
  for (const auto& p : r.problems) {
    problems.emplace_back(Json::Object{{"path", p.path}, {"problem", p.problem}});
  }
  return Json(Json::Object{{"notebook_id", r.notebook_id},
                           {"files", r.files},
                           {"added", r.added},
                           {"modified", r.modified},
                           {"removed", r.removed},
                           {"moved", r.moved},
                           {"unchanged", r.unchanged},
                           {"duration_ms", r.duration_ms},
                           {"commit", Opt(r.commit)},
                           {"problems", Json(std::move(problems))}});
}

Json EventJson(const Event& e) {
  if (e.kind == EventKind::kResync) {
    return Json(Json::Object{{"type", "resync"}, {"notebook_id", e.notebook_id}});
  }
  if (IsLifecycle(e.kind)) {
    Json::Object o{{"type", std::string(EventKindName(e.kind))},
                   {"workspace_id", e.workspace_id},
                   {"notebook_id", e.notebook_id},
                   {"timestamp", e.timestamp}};
    if (e.kind == EventKind::kAccessRemoved) o["user_id"] = Json(e.user_id);
    return Json(std::move(o));
  }
  std::string kind(EventKindName(e.kind));
  return Json(Json::Object{{"type", "file_change"},
                           {"notebook_id", e.notebook_id},
                           {"event_type", kind},
                           {"event", kind},
                           {"path", e.path},
                           {"file_path", e.path},
                           {"old_path", Opt(e.old_path)},
                           {"file_id", e.file_id ? Json(*e.file_id) : Json()},
                           {"timestamp", e.timestamp}});
}

Json ErrorJson(const Status& status, std::string_view request_id, std::string_view loc_root) {
  Json::Object o;
  if (status.code() == Code::kValidation) {
    // pydantic prefixes value errors with "Value error, ", except e-mail validation, whose
    // message is "value is not a valid email address: …" as is (CONTRACT §2.2, §7.1).
    bool prefixed = status.reason() == "value_error" && status.field() != "email" &&
                    status.field() != "body/email";
    std::string msg = prefixed ? "Value error, " + status.message() : status.message();
    // A field named "<root>/<name>" carries its own loc root (query, path, body).
    Json::Array loc;
    std::string_view field = status.field();
    std::size_t slash = field.find('/');
    loc.emplace_back(
        std::string(slash == std::string_view::npos ? loc_root : field.substr(0, slash)));
    if (slash != std::string_view::npos) field.remove_prefix(slash + 1);
    if (!field.empty()) loc.emplace_back(std::string(field));
    Json::Array detail;
    detail.emplace_back(Json::Object{
        {"type", status.reason()}, {"loc", Json(std::move(loc))}, {"msg", msg}, {"input", Json()}});
    o.set("detail", Json(std::move(detail)));
    o.set("code", "validation_error");
  } else {
    o.set("detail", status.message());
    o.set("code", status.reason().empty() ? std::string(CodeName(status.code())) : status.reason());
  }
  if (!request_id.empty()) o.set("request_id", std::string(request_id));
  return Json(std::move(o));
}

}  // namespace codex::wire
