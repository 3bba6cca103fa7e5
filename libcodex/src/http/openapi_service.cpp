// GET /openapi.json: generated from the route table; component schemas are derived from the wire
// shapes themselves, so the document cannot drift from what the API sends.
#include "codex/http.hpp"
#include "codex/wire.hpp"
#include "http/router.hpp"

namespace codex::http {
namespace {

Json SchemaOf(const Json& sample) {
  switch (sample.type()) {
    case Json::Type::kNull:
      return Json(Json::Object{{"type", Json(Json::Array{"null", "string"})}});
    case Json::Type::kBool:
      return Json(Json::Object{{"type", "boolean"}});
    case Json::Type::kInt:
      return Json(Json::Object{{"type", "integer"}});
    case Json::Type::kDouble:
      return Json(Json::Object{{"type", "number"}});
    case Json::Type::kString:
      return Json(Json::Object{{"type", "string"}});
    case Json::Type::kArray:
      return Json(Json::Object{{"type", "array"}});
    case Json::Type::kObject: {
      Json::Object props;
      for (const auto& [k, v] : sample.as_object()) props.set(k, SchemaOf(v));
      return Json(Json::Object{{"type", "object"}, {"properties", Json(std::move(props))}});
    }
  }
  return Json();
}

std::string OperationPath(const char* pattern) {
  std::string out;
  for (const char* c = pattern; *c != '\0'; ++c) {
    if (*c != '*') out.push_back(*c);
  }
  return out;
}

}  // namespace

Json Api::OpenApi() const {
  Json::Object paths;
  for (const auto& route : routes()) {
    std::string path = OperationPath(route.pattern);
    Json::Object op{{"summary", route.summary},
                    {"operationId", std::string(route.method) + " " + path}};
    Json::Array params;
    for (const auto& name : Pattern(route.pattern).param_names()) {
      params.emplace_back(Json::Object{{"name", name},
                                       {"in", "path"},
                                       {"required", true},
                                       {"schema", Json(Json::Object{{"type", "string"}})}});
    }
    op.set("parameters", Json(std::move(params)));
    if (route.access == Access::kUser || route.access == Access::kUserInactive) {
      op.set("security", Json(Json::Array{Json(Json::Object{{"bearer", Json(Json::Array{})}}),
                                          Json(Json::Object{{"cookie", Json(Json::Array{})}})}));
    }
    if (route.min_role[0] != '\0') op.set("x-codex-min-role", route.min_role);
    op.set("responses",
           Json(Json::Object{{"default", Json(Json::Object{{"description", "See CONTRACT.md"}})}}));
    std::string verb(route.method);
    for (char& c : verb) c = static_cast<char>(c - 'A' + 'a');
    Json& item = paths[path];
    if (!item.is_object()) item = Json(Json::Object{});
    item.as_object().set(verb, Json(std::move(op)));
  }
  Json::Object schemas{{"User", SchemaOf(wire::ToJson(User{}))},
                       {"Workspace", SchemaOf(wire::ToJson(Workspace{}))},
                       {"Permission", SchemaOf(wire::ToJson(Permission{}))},
                       {"Notebook", SchemaOf(wire::ToJson(Notebook{}))},
                       {"FileMeta", SchemaOf(wire::ToJson(FileMeta{}))},
                       {"FileList", SchemaOf(wire::ToJson(FileList{}))},
                       {"Folder", SchemaOf(wire::ToJson(Folder{}))},
                       {"Tag", SchemaOf(wire::ToJson(Tag{}))},
                       {"SearchResult", SchemaOf(wire::ToJson(SearchHit{}))},
                       {"QueryResult", SchemaOf(wire::ToJson(QueryResult{}))},
                       {"Task", SchemaOf(wire::ToJson(Task{}))},
                       {"TokenInfo", SchemaOf(wire::ToJson(TokenInfo{}))},
                       {"Plugin", SchemaOf(wire::ToJson(Plugin{}))},
                       {"PluginConfig", SchemaOf(wire::ToJson(PluginConfig{}))}};
  Json::Object security{
      {"bearer", Json(Json::Object{{"type", "http"}, {"scheme", "bearer"}})},
      {"cookie",
       Json(Json::Object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "access_token"}})}};
  return Json(Json::Object{
      {"openapi", "3.1.0"},
      {"info", Json(Json::Object{{"title", "Codex API"}, {"version", config().version}})},
      {"paths", Json(std::move(paths))},
      {"components", Json(Json::Object{{"schemas", Json(std::move(schemas))},
                                       {"securitySchemes", Json(std::move(security))}})}});
}

}  // namespace codex::http
