// The in-process event bus: publishers never block on subscribers' work (callbacks are copied
// under the lock and called outside it, as in Beast's chat-multi example).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "codex/events.hpp"

namespace codex::detail {

class EventBus {
 public:
  // workspace_id / notebook_id 0 = any.
  Subscription Subscribe(std::int64_t workspace_id, std::int64_t notebook_id,
                         EventCallback callback);
  // Delivers to every matching subscriber (an event with notebook_id 0 to every subscriber of its
  // workspace); events of one notebook must be published in order
  // (callers publish under the notebook's write mutex).
  void Publish(const Event& event);
  std::size_t subscriber_count();
  // The workspaces somebody is subscribed to (their own or one of their notebooks).
  std::set<std::int64_t> SubscribedWorkspaces();
  // A lifecycle event (notebook/workspace deleted, access removed) at `timestamp`.
  void PublishLifecycle(EventKind kind, std::int64_t workspace_id, std::int64_t notebook_id,
                        std::int64_t user_id, std::string timestamp);

 private:
  struct Subscriber {
    std::int64_t workspace_id;
    std::int64_t notebook_id;
    EventCallback callback;
  };
  std::mutex mutex_;
  std::vector<std::weak_ptr<Subscriber>> subscribers_;
};

}  // namespace codex::detail
