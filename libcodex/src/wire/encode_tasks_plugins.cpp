// The JSON shapes of tasks and plugins (CONTRACT §27), keys in emitted order.
#include "codex/wire.hpp"

namespace codex::wire {
namespace {

Json Opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }

// A string member of `object`, else `fallback`.
Json StringOr(const Json* object, std::string_view key, Json fallback) {
  const Json* v = object != nullptr ? object->find(key) : nullptr;
  return v != nullptr && v->is_string() ? *v : std::move(fallback);
}

// A list member of the manifest, else null.
Json ListOrNull(const Json& manifest, std::string_view key) {
  const Json* v = manifest.find(key);
  return v != nullptr && v->is_array() ? *v : Json();
}

}  // namespace

Json ToJson(const Task& t) {
  return Json(Json::Object{
      {"id", t.id},
      {"workspace_id", t.workspace_id},
      {"title", t.title},
      {"description", Opt(t.description)},
      {"status", t.status},
      {"assigned_to", Opt(t.assigned_to)},
      {"created_at", t.created_at},
      {"updated_at", t.updated_at},
      {"completed_at", Opt(t.completed_at)},
      {"type", Opt(t.type)},
      {"input_data", t.input_data.is_object() ? t.input_data : Json()},
      {"output_data", t.output_data.is_object() ? t.output_data : Json()},
      {"error", Opt(t.error)},
      {"started_at", Opt(t.started_at)},
  });
}

Json ToJson(const Plugin& p) {
  return Json(Json::Object{
      {"id", p.id},
      {"name", p.name},
      {"version", p.version},
      {"type", p.type},
      {"enabled", true},  // CONTRACT §20: always true; enablement lives in plugin configs
      {"manifest", p.manifest.is_object() ? p.manifest : Json(Json::Object{})},
  });
}

Json ToJson(const RegisterResult& r) {
  return Json(Json::Object{
      {"id", r.id},
      {"name", r.name},
      {"version", r.version},
      {"type", r.type},
      {"registered", r.registered},
      {"message", r.message},
  });
}

Json ToJson(const PluginConfig& c) {
  Json::Object o{
      {"plugin_id", c.plugin_id},
      {"enabled", c.enabled},
      {"config", c.config.is_object() ? c.config : Json(Json::Object{})},
  };
  if (c.stored) {
    o.set("created_at", c.created_at);
    o.set("updated_at", c.updated_at);
  }
  return Json(std::move(o));
}

Json ToJson(const Integration& integration, bool detailed) {
  const Plugin& p = integration.plugin;
  const Json& m = p.manifest;
  const Json* api = m.find("integration");
  return Json(Json::Object{
      {"id", p.id},
      {"name", p.name},
      {"description", StringOr(&m, "description", "")},
      {"version", p.version},
      {"author", StringOr(&m, "author", "")},
      {"api_type", StringOr(api, "api_type", "rest")},
      {"base_url", StringOr(api, "base_url", Json())},
      {"auth_method", StringOr(api, "auth_method", Json())},
      {"enabled", integration.enabled},
      {"properties", detailed ? ListOrNull(m, "properties") : Json()},
      {"blocks", detailed ? ListOrNull(m, "blocks") : Json()},
      {"endpoints", detailed ? ListOrNull(m, "endpoints") : Json()},
  });
}

}  // namespace codex::wire
