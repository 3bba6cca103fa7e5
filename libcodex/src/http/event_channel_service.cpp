// The WebSocket protocol of CONTRACT §26: authentication, subscription, connected message,
// keep-alive, change events.
#include "codex/codex.hpp"
#include "codex/http.hpp"
#include "codex/wire.hpp"
#include "common/strings.hpp"

namespace codex::http {
namespace {

constexpr int kGoingAway = 1001;
constexpr int kPolicyViolation = 1008;
constexpr int kTryAgainLater = 1013;

}  // namespace

EventChannel::EventChannel(Codex& codex, Api& api, Request handshake, Sink sink)
    : codex_(codex), api_(api), handshake_(std::move(handshake)), sink_(std::move(sink)) {}

EventChannel::~EventChannel() { Stop(); }

bool EventChannel::Open() {
  auto identity = api_.Authenticate(handshake_);
  if (identity.ok()) {
    Subscribe(*identity);
    return true;
  }
  if (identity.status().reason() != "not_authenticated") Refuse(identity.status());
  return false;
}

// Over the rate limit the client may retry later (1013, as for an overloaded server); every
// other refusal is the contract's 1008 Forbidden, without saying why.
void EventChannel::Refuse(const Status& why) {
  if (why.reason() == "rate_limited") return sink_.close(kTryAgainLater, "Too many requests");
  sink_.close(kPolicyViolation, "Forbidden");
}

void EventChannel::Subscribe(const Identity& identity) {
  if (identity.agent_id) return sink_.close(kPolicyViolation, "Forbidden");
  std::string_view path = handshake_.target;
  path = path.substr(0, path.find('?'));
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // both spellings (§1.1)
  // File changes are sent; lifecycle events end the stream (CONTRACT §26 "closing").
  bool notebook_stream = path.rfind("/api/v1/ws/notebooks/", 0) == 0;
  auto send = [sink = sink_, user = identity.principal.user_id, notebook_stream](const Event& e) {
    switch (e.kind) {
      case EventKind::kNotebookDeleted:
        if (notebook_stream) sink.close(kGoingAway, "Notebook deleted");
        return;
      case EventKind::kWorkspaceDeleted:
        return sink.close(kGoingAway, "Workspace deleted");
      case EventKind::kAccessRemoved:
        if (e.user_id == user) sink.close(kPolicyViolation, "Forbidden");
        return;
      case EventKind::kCreated:
      case EventKind::kModified:
      case EventKind::kDeleted:
      case EventKind::kMoved:
      case EventKind::kScanned:
      case EventKind::kResync:
        return sink.send(wire::EventJson(e).Dump());
    }
  };
  Json hello;
  constexpr std::string_view kNotebooks = "/api/v1/ws/notebooks/";
  constexpr std::string_view kWorkspaces = "/api/v1/ws/workspaces/";
  if (notebook_stream) {
    std::int64_t id = 0;
    if (!ParseInt64(path.substr(kNotebooks.size()), &id))
      return sink_.close(kPolicyViolation, "Forbidden");
    auto sub = codex_.events().SubscribeNotebook(identity.principal, id, send);
    if (!sub.ok()) return sink_.close(kPolicyViolation, "Forbidden");
    subscription_ = std::move(*sub);
    hello = Json(Json::Object{{"type", "connected"}, {"notebook_id", id}});
  } else if (path.rfind(kWorkspaces, 0) == 0) {
    auto ws = PercentDecode(path.substr(kWorkspaces.size())).value_or("");
    auto workspace = codex_.workspaces().Get(identity.principal, ws);
    auto notebooks = codex_.notebooks().List(identity.principal, ws);
    auto sub = codex_.events().SubscribeWorkspace(identity.principal, ws, send);
    if (!workspace.ok() || !notebooks.ok() || !sub.ok()) {
      return sink_.close(kPolicyViolation, "Forbidden");
    }
    subscription_ = std::move(*sub);
    Json::Array ids;
    for (const auto& nb : *notebooks) ids.emplace_back(nb.id);
    hello = Json(Json::Object{{"type", "connected"},
                              {"workspace_id", workspace->id},
                              {"notebook_ids", Json(std::move(ids))}});
  } else {
    return sink_.close(kPolicyViolation, "Forbidden");
  }
  hello.as_object().set("message", "Connected to file change notifications");
  sink_.send(hello.Dump());
}

void EventChannel::OnText(std::string_view text) {
  if (text == "ping") return sink_.send("pong");
  auto msg = Json::Parse(text);
  const Json* type = msg.ok() ? msg->find("type") : nullptr;
  if (type == nullptr || !type->is_string()) return;  // other messages are ignored
  if (type->as_string() == "ping") return sink_.send(R"({"type":"pong"})");
  if (type->as_string() == "auth" && !authenticated()) {
    const Json* token = msg->find("token");
    if (token == nullptr || !token->is_string() || token->as_string().empty()) {
      return sink_.close(kPolicyViolation, "Forbidden");
    }
    auto identity = api_.Authenticate(handshake_, token->as_string());
    if (!identity.ok()) return Refuse(identity.status());
    Subscribe(*identity);
  }
}

void EventChannel::Expire() {
  if (!authenticated()) sink_.close(kPolicyViolation, "Forbidden");
}

void EventChannel::Stop() { subscription_.Cancel(); }

}  // namespace codex::http
