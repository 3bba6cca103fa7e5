// Change events: every committed index change, published once, to subscribers of its notebook
// or workspace (SEMANTICS §19).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
class EventBus;
}  // namespace detail

// File changes, then the lifecycle events that end a stream: a notebook or workspace deleted
// (notebook_id 0 for the workspace: it reaches every subscriber of the workspace) and a member's
// access removed (user_id says whose).
enum class EventKind {
  kCreated,
  kModified,
  kDeleted,
  kMoved,
  kScanned,
  kResync,
  kNotebookDeleted,
  kWorkspaceDeleted,
  kAccessRemoved,
};

// "created", "modified", "deleted", "moved", "scanned", "resync", "notebook_deleted",
// "workspace_deleted", "access_removed".
std::string_view EventKindName(EventKind kind) noexcept;

struct Event {
  std::int64_t workspace_id = 0;
  std::int64_t notebook_id = 0;
  EventKind kind = EventKind::kModified;
  std::string path;                     // empty for resync
  std::optional<std::string> old_path;  // kMoved only
  std::optional<std::int64_t> file_id;  // null when no row exists
  std::string timestamp;                // time of the index commit (RFC 3339, 6 digits, Z)
  std::int64_t user_id = 0;             // kAccessRemoved: the member who lost access
};

// True for the lifecycle kinds (not file changes).
inline bool IsLifecycle(EventKind kind) noexcept {
  return kind == EventKind::kNotebookDeleted || kind == EventKind::kWorkspaceDeleted ||
         kind == EventKind::kAccessRemoved;
}

// Whether `e` ends a stream of user `user_id` (CONTRACT §26 "closing"): its workspace deleted,
// its notebook deleted (a notebook stream), or the user's access removed.
inline bool EndsStream(const Event& e, bool notebook_stream, std::int64_t user_id) noexcept {
  return e.kind == EventKind::kWorkspaceDeleted ||
         (e.kind == EventKind::kNotebookDeleted && notebook_stream) ||
         (e.kind == EventKind::kAccessRemoved && e.user_id == user_id);
}

// Receives events until destroyed (or Cancel). Move-only. Thread-safe.
class Subscription {
 public:
  Subscription() = default;
  Subscription(Subscription&&) noexcept = default;
  Subscription& operator=(Subscription&&) noexcept = default;
  ~Subscription();
  // Stops delivery; a callback already running may still finish.
  void Cancel();
  bool active() const noexcept { return token_ != nullptr; }

 private:
  friend class detail::EventBus;
  std::shared_ptr<void> token_;
};

// Called on the publishing thread, in index-commit order per notebook. It must be quick (queue
// the event elsewhere) and must not throw.
using EventCallback = std::function<void(const Event&)>;

class Events {
 public:
  // Viewer of the workspace: every event of its notebooks, including notebooks created later.
  // Errors as Workspaces::Get.
  Result<Subscription> SubscribeWorkspace(const Principal& who, std::string_view ws,
                                          EventCallback callback);
  // Viewer of the notebook's workspace: that notebook's events. kNotFound "notebook_not_found".
  Result<Subscription> SubscribeNotebook(const Principal& who, std::int64_t notebook_id,
                                         EventCallback callback);
  // A stream a client follows until it ends: workspace `ws`, or its notebook `nb` (id or slug)
  // when not empty. `callback(event, last)` gets every event, `last` true on the one that ends
  // the stream (EndsStream for `who`). Errors as Workspaces::Get / Notebooks::Get.
  Result<Subscription> SubscribeStream(const Principal& who, std::string_view ws,
                                       std::string_view nb,
                                       std::function<void(const Event&, bool last)> callback);

 private:
  friend class Codex;
  explicit Events(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
