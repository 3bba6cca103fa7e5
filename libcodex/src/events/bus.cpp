#include "events/bus.hpp"

#include <algorithm>

namespace codex {

std::string_view EventKindName(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::kCreated:
      return "created";
    case EventKind::kModified:
      return "modified";
    case EventKind::kDeleted:
      return "deleted";
    case EventKind::kMoved:
      return "moved";
    case EventKind::kScanned:
      return "scanned";
    case EventKind::kResync:
      return "resync";
    case EventKind::kNotebookDeleted:
      return "notebook_deleted";
    case EventKind::kWorkspaceDeleted:
      return "workspace_deleted";
    case EventKind::kAccessRemoved:
      return "access_removed";
  }
  return "modified";
}

Subscription::~Subscription() { Cancel(); }

void Subscription::Cancel() { token_.reset(); }

}  // namespace codex

namespace codex::detail {

Subscription EventBus::Subscribe(std::int64_t workspace_id, std::int64_t notebook_id,
                                 EventCallback callback) {
  auto sub =
      std::make_shared<Subscriber>(Subscriber{workspace_id, notebook_id, std::move(callback)});
  {
    std::lock_guard<std::mutex> lock(mutex_);
    subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                      [](const auto& w) { return w.expired(); }),
                       subscribers_.end());
    subscribers_.push_back(sub);
  }
  Subscription s;
  s.token_ = std::move(sub);  // the subscription owns the subscriber; the bus holds a weak ref
  return s;
}

void EventBus::Publish(const Event& event) {
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& weak : subscribers_) {
      auto sub = weak.lock();
      if (!sub) continue;
      if (sub->workspace_id != 0 && sub->workspace_id != event.workspace_id) continue;
      bool whole_workspace = event.notebook_id == 0;
      if (sub->notebook_id != 0 && !whole_workspace && sub->notebook_id != event.notebook_id) {
        continue;
      }
      targets.push_back(std::move(sub));
    }
  }
  for (const auto& sub : targets) sub->callback(event);
}

void EventBus::PublishLifecycle(EventKind kind, std::int64_t workspace_id, std::int64_t notebook_id,
                                std::int64_t user_id, std::string timestamp) {
  Event e;
  e.kind = kind;
  e.workspace_id = workspace_id;
  e.notebook_id = notebook_id;
  e.user_id = user_id;
  e.timestamp = std::move(timestamp);
  Publish(e);
}

std::set<std::int64_t> EventBus::SubscribedWorkspaces() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::set<std::int64_t> out;
  for (const auto& weak : subscribers_) {
    if (auto sub = weak.lock(); sub && sub->workspace_id != 0) out.insert(sub->workspace_id);
  }
  return out;
}

std::size_t EventBus::subscriber_count() {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<std::size_t>(std::count_if(subscribers_.begin(), subscribers_.end(),
                                                [](const auto& w) { return !w.expired(); }));
}

}  // namespace codex::detail
