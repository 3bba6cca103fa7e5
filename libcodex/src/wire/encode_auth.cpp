// The credential shapes of CONTRACT §27 (Token, TokenInfo, TokenCreated), keys in emitted order.
#include "codex/wire.hpp"

namespace codex::wire {
namespace {

Json OptText(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }
Json OptInt(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(); }

}  // namespace

Json TokenJson(const Session& session) {
  return Json(Json::Object{{"access_token", session.access_token}, {"token_type", "bearer"}});
}

Json ToJson(const TokenInfo& t) {
  return Json(Json::Object{{"id", t.id},
                           {"name", t.name},
                           {"token_prefix", t.token_prefix},
                           {"scopes", OptText(t.scopes)},
                           {"workspace_id", OptInt(t.workspace_id)},
                           {"notebook_id", OptInt(t.notebook_id)},
                           {"last_used_at", OptText(t.last_used_at)},
                           {"expires_at", OptText(t.expires_at)},
                           {"is_active", t.is_active},
                           {"created_at", t.created_at},
                           {"agent_id", OptInt(t.agent_id)}});
}

Json ToJson(const TokenCreated& c) {
  const TokenInfo& t = c.info;
  return Json(Json::Object{{"id", t.id},
                           {"name", t.name},
                           {"token", c.token},
                           {"token_prefix", t.token_prefix},
                           {"scopes", OptText(t.scopes)},
                           {"workspace_id", OptInt(t.workspace_id)},
                           {"notebook_id", OptInt(t.notebook_id)},
                           {"expires_at", OptText(t.expires_at)},
                           {"created_at", t.created_at},
                           {"agent_id", OptInt(t.agent_id)}});
}

}  // namespace codex::wire
