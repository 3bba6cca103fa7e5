// Request bodies → library inputs (CONTRACT §7–§25), with the validation errors of §2.2.
// A field is named "body/<name>" so the error gets loc ["body", name].
#include <climits>

#include "codex/wire.hpp"
#include "common/strings.hpp"
#include "common/validate.hpp"

namespace codex::wire {
namespace {

Status Invalid(const char* type, const std::string& field, const char* msg) {
  return Status::Validation(type, field, msg);
}

const Json* Member(const Json::Object& body, std::string_view name) {
  const Json* v = body.find(name);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

std::string BodyField(std::string_view name) { return "body/" + std::string(name); }

Result<std::int64_t> IntText(std::string_view text, const std::string& field) {
  std::string_view t = Trim(text);
  bool negative = !t.empty() && t.front() == '-';
  if (negative) t.remove_prefix(1);
  std::int64_t v = 0;
  if (!ParseInt64(t, &v)) {
    return Invalid("int_parsing", field,
                   "Input should be a valid integer, unable to parse string as an integer");
  }
  return negative ? -v : v;
}

}  // namespace

Result<std::string> StringField(const Json::Object& body, std::string_view name, std::size_t min,
                                std::size_t max) {
  const Json* v = Member(body, name);
  if (v == nullptr) return Invalid("missing", BodyField(name), "Field required");
  if (!v->is_string())
    return Invalid("string_type", BodyField(name), "Input should be a valid string");
  Status length = CheckLength(v->as_string(), min, max, BodyField(name));
  if (!length.ok()) return length;
  return v->as_string();
}

Result<std::optional<std::string>> OptStringField(const Json::Object& body, std::string_view name,
                                                  std::size_t max) {
  const Json* v = Member(body, name);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string())
    return Invalid("string_type", BodyField(name), "Input should be a valid string");
  Status length = CheckLength(v->as_string(), 0, max, BodyField(name));
  if (!length.ok()) return length;
  return std::optional<std::string>(v->as_string());
}

Result<std::optional<std::int64_t>> OptIntField(const Json::Object& body, std::string_view name) {
  const Json* v = Member(body, name);
  if (v == nullptr) return std::optional<std::int64_t>();
  if (v->is_int()) return std::optional<std::int64_t>(v->as_int());
  if (v->is_string()) {
    auto parsed = IntText(v->as_string(), BodyField(name));
    if (!parsed.ok()) return parsed.status();
    return std::optional<std::int64_t>(*parsed);
  }
  return Invalid("int_type", BodyField(name), "Input should be a valid integer");
}

Result<std::optional<bool>> OptBoolField(const Json::Object& body, std::string_view name) {
  const Json* v = Member(body, name);
  if (v == nullptr) return std::optional<bool>();
  if (v->is_bool()) return std::optional<bool>(v->as_bool());
  if (v->is_string()) {
    std::string t = ToLowerAscii(v->as_string());
    if (t == "true" || t == "1" || t == "yes" || t == "on") return std::optional<bool>(true);
    if (t == "false" || t == "0" || t == "no" || t == "off") return std::optional<bool>(false);
  }
  if (v->is_int() && (v->as_int() == 0 || v->as_int() == 1)) {
    return std::optional<bool>(v->as_int() == 1);
  }
  return Invalid("bool_parsing", BodyField(name),
                 "Input should be a valid boolean, unable to interpret input");
}

Result<std::optional<Json>> OptObjectField(const Json::Object& body, std::string_view name) {
  const Json* v = Member(body, name);
  if (v == nullptr) return std::optional<Json>();
  if (!v->is_object())
    return Invalid("dict_type", BodyField(name), "Input should be a valid dictionary");
  return std::optional<Json>(*v);
}

Result<std::vector<std::string>> StringListField(const Json::Object& body, std::string_view name) {
  const Json* v = Member(body, name);
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (!v->is_array()) return Invalid("list_type", BodyField(name), "Input should be a valid list");
  for (const auto& item : v->as_array()) {
    if (!item.is_string())
      return Invalid("string_type", BodyField(name), "Input should be a valid string");
    out.push_back(item.as_string());
  }
  return out;
}

// `var` = the value of a Result, or its error returned.
#define CODEX_FIELD(var, expr)                          \
  auto var##_result = (expr);                           \
  if (!var##_result.ok()) return var##_result.status(); \
  auto var = std::move(*var##_result)

Result<UserCreate> DecodeUserCreate(const Json::Object& body) {
  CODEX_FIELD(username, StringField(body, "username", 3, 50));
  CODEX_FIELD(email, StringField(body, "email"));
  CODEX_FIELD(password, StringField(body, "password", 8, 100));
  return UserCreate{username, email, password};
}

Result<std::string> DecodeTheme(const Json::Object& body) {
  return StringField(body, "theme", 1, 100);
}

Result<WorkspaceCreate> DecodeWorkspaceCreate(const Json::Object& body) {
  CODEX_FIELD(name, StringField(body, "name", 1, 255));
  CODEX_FIELD(path, OptStringField(body, "path"));
  return WorkspaceCreate{name, path};
}

Result<Role> DecodeRole(const Json::Object& body) {
  CODEX_FIELD(name, StringField(body, "role"));
  Role role;
  if (!RoleFromName(name, &role)) {
    return Invalid("literal_error", "body/role", "Input should be 'owner', 'editor' or 'viewer'");
  }
  return role;
}

Result<NotebookCreate> DecodeNotebookCreate(const Json::Object& body) {
  CODEX_FIELD(name, StringField(body, "name", 1, 255));
  CODEX_FIELD(description, OptStringField(body, "description"));
  return NotebookCreate{name, description};
}

Result<FileCreate> DecodeFileCreate(const Json::Object& body) {
  CODEX_FIELD(path, StringField(body, "path"));
  CODEX_FIELD(content, StringField(body, "content"));
  return FileCreate{path, content};
}

Result<FileUpdate> DecodeFileUpdate(const Json::Object& body) {
  CODEX_FIELD(content, OptStringField(body, "content"));
  CODEX_FIELD(properties, OptObjectField(body, "properties"));
  return FileUpdate{content, properties, std::nullopt};
}

Result<std::string> DecodeMove(const Json::Object& body) { return StringField(body, "new_path"); }

Result<LinkQuery> DecodeLinkQuery(const Json::Object& body) {
  CODEX_FIELD(link, StringField(body, "link"));
  CODEX_FIELD(current, OptStringField(body, "current_file_path"));
  return LinkQuery{link, current};
}

Result<TemplateUse> DecodeTemplateUse(const Json::Object& body) {
  CODEX_FIELD(id, StringField(body, "template_id"));
  CODEX_FIELD(filename, OptStringField(body, "filename"));
  return TemplateUse{id, filename};
}

Result<Json> DecodeFolderProperties(const Json::Object& body) {
  CODEX_FIELD(properties, OptObjectField(body, "properties"));
  if (!properties) return Invalid("missing", "body/properties", "Field required");
  return *properties;
}

Result<std::optional<std::string>> DecodeTagColor(const Json::Object& body) {
  if (body.find("color") == nullptr) return Invalid("missing", "body/color", "Field required");
  return OptStringField(body, "color");
}

Result<TokenCreate> DecodeTokenCreate(const Json::Object& body) {
  CODEX_FIELD(name, StringField(body, "name", 1, 200));
  CODEX_FIELD(scopes, OptStringField(body, "scopes"));
  CODEX_FIELD(workspace, OptIntField(body, "workspace_id"));
  CODEX_FIELD(notebook, OptIntField(body, "notebook_id"));
  CODEX_FIELD(agent, OptIntField(body, "agent_id"));
  CODEX_FIELD(expires, OptStringField(body, "expires_at"));
  return TokenCreate{name, scopes, workspace, notebook, agent, expires};
}

Result<TaskCreate> DecodeTaskCreate(const Json::Object& body) {
  CODEX_FIELD(title, StringField(body, "title", 1, 500));
  CODEX_FIELD(description, OptStringField(body, "description"));
  CODEX_FIELD(type, OptStringField(body, "type", 100));
  CODEX_FIELD(input, OptObjectField(body, "input_data"));
  return TaskCreate{title, description, type, input ? *input : Json()};
}

Result<TaskUpdate> DecodeTaskUpdate(const Json::Object& body) {
  TaskUpdate u;
  for (auto [name, slot] : {std::pair{"status", &u.status},
                            {"assigned_to", &u.assigned_to},
                            {"title", &u.title},
                            {"description", &u.description},
                            {"error", &u.error}}) {
    CODEX_FIELD(value, OptStringField(body, name));
    *slot = std::move(value);
  }
  CODEX_FIELD(output, OptObjectField(body, "output_data"));
  u.output_data = std::move(output);
  return u;
}

Result<PluginConfigUpdate> DecodePluginConfigUpdate(const Json::Object& body) {
  CODEX_FIELD(enabled, OptBoolField(body, "enabled"));
  CODEX_FIELD(config, OptObjectField(body, "config"));
  return PluginConfigUpdate{enabled, config};
}

Result<bool> DecodeEnabled(const Json::Object& body) {
  CODEX_FIELD(enabled, OptBoolField(body, "enabled"));
  if (!enabled) return Invalid("missing", "body/enabled", "Field required");
  return *enabled;
}

Result<Json> DecodeConfig(const Json::Object& body) {
  CODEX_FIELD(config, OptObjectField(body, "config"));
  return config ? *config : Json(Json::Object{});
}

PluginRegistration DecodePluginRegistration(const Json& item) {
  auto text = [&](const char* key) {
    const Json* v = item.find(key);
    return v != nullptr && v->is_string() ? v->as_string() : std::string();
  };
  const Json* manifest = item.find("manifest");
  return {text("id"), text("name"), text("version"), text("type"),
          manifest != nullptr && manifest->is_object() ? *manifest : Json(Json::Object{})};
}

Result<std::vector<PluginRegistration>> DecodePluginBatch(const Json::Object& body) {
  const Json* list = body.find("plugins");
  if (list == nullptr) return Invalid("missing", "body/plugins", "Field required");
  if (!list->is_array())
    return Invalid("list_type", "body/plugins", "Input should be a valid list");
  std::vector<PluginRegistration> out;
  for (const auto& item : list->as_array()) out.push_back(DecodePluginRegistration(item));
  return out;
}

Result<SnippetRequest> DecodeSnippet(const Json::Object& body) {
  SnippetRequest s;
  CODEX_FIELD(ws, StringField(body, "workspace"));
  CODEX_FIELD(nb, StringField(body, "notebook"));
  CODEX_FIELD(content, StringField(body, "content"));
  CODEX_FIELD(title, OptStringField(body, "title"));
  CODEX_FIELD(filename, OptStringField(body, "filename"));
  CODEX_FIELD(folder, OptStringField(body, "folder"));
  CODEX_FIELD(tags, StringListField(body, "tags"));
  CODEX_FIELD(type, OptStringField(body, "file_type"));
  CODEX_FIELD(properties, OptObjectField(body, "properties"));
  return SnippetRequest{ws, nb, content, title, filename, folder, tags, type, properties};
}

Json RegisterBatchJson(const std::vector<RegisterResult>& results) {
  std::int64_t fresh = 0, updated = 0, failed = 0;
  Json::Array out;
  for (const auto& r : results) {
    ++(r.registered ? (r.updated ? updated : fresh) : failed);
    out.push_back(ToJson(r));
  }
  return Json(Json::Object{{"registered", fresh},
                           {"updated", updated},
                           {"failed", failed},
                           {"results", Json(std::move(out))}});
}

Json ToJson(const FileHistory& h) {
  Json::Array items;
  for (const auto& e : h.history) {
    items.emplace_back(Json::Object{
        {"hash", e.hash}, {"author", e.author}, {"date", e.date}, {"message", e.message}});
  }
  return Json(
      Json::Object{{"file_id", h.file_id}, {"path", h.path}, {"history", Json(std::move(items))}});
}

}  // namespace codex::wire
