#include "tasks/worker.hpp"

#include <exception>
#include <string>
#include <system_error>
#include <vector>

#include "core/access.hpp"
#include "notebook/indexer.hpp"
#include "notebook/publish.hpp"

namespace codex::detail {
namespace {

// Tasks written by another process (codexctl) are not announced: look for them this often.
constexpr auto kRecheck = std::chrono::seconds(10);
// After a database error, wait this long before trying again.
constexpr auto kRetry = std::chrono::seconds(1);
constexpr int kFinishAttempts = 5;

storage::TaskOutcome Failed(std::string error) {
  storage::TaskOutcome out;
  out.error = std::move(error);
  return out;
}

}  // namespace

TaskRuntime::~TaskRuntime() { Stop(std::chrono::seconds(30)); }

Result<storage::TaskStore*> TaskRuntime::store() {
  std::lock_guard<std::mutex> lock(store_mutex_);
  if (!store_) {
    auto opened = storage::TaskStore::Open(ctx_->data_dir + "/codex_system.db");
    if (!opened.ok()) return opened.status();
    store_ = std::move(*opened);
  }
  return store_.get();
}

Status TaskRuntime::Start() {
  std::lock_guard<std::mutex> life(lifecycle_mutex_);
  if (thread_.joinable()) return Status::Ok();
  auto st = store();
  if (!st.ok()) return st.status();
  storage::TaskStore* tasks = *st;
  auto marked = tasks->FailRunning("Interrupted by daemon restart", ctx_->Now());
  if (!marked.ok()) return marked.status();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = false;
    wake_ = true;
    abandoned_ = false;
    running_id_ = 0;
  }
  try {
    thread_ = std::thread([this, tasks] { Loop(tasks); });
  } catch (const std::system_error& e) {
    return Status::Internal(std::string("cannot start the task worker: ") + e.what());
  }
  return Status::Ok();
}

void TaskRuntime::Stop(std::chrono::seconds timeout) {
  std::lock_guard<std::mutex> life(lifecycle_mutex_);
  if (!thread_.joinable()) return;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    stop_ = true;
    wake_cv_.notify_all();
    bool idle = idle_cv_.wait_for(lock, timeout, [this] { return running_id_ == 0; });
    if (!idle) {
      abandoned_ = true;
      auto tasks = store();  // opened already by Start
      if (tasks.ok()) {
        (void)(*tasks)->Finish(running_id_, Failed("Interrupted by daemon shutdown"), ctx_->Now());
      }
    }
  }
  // The job cannot be cancelled half-way (it holds the notebook's write mutex): wait for it, so
  // that nothing outlives the Codex it works on.
  thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  stop_ = false;
  abandoned_ = false;
}

void TaskRuntime::Wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_ = true;
  }
  wake_cv_.notify_one();
}

void TaskRuntime::Loop(storage::TaskStore* tasks) noexcept {
  bool backoff = false;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!wake_ || backoff) {
        wake_cv_.wait_for(lock, backoff ? kRetry : kRecheck, [this] { return stop_ || wake_; });
      }
      if (stop_) return;
      wake_ = false;
      backoff = false;
    }
    auto next = tasks->NextJob();
    if (!next.ok()) {
      backoff = true;
      continue;
    }
    if (!next->has_value()) continue;
    Task task = std::move(**next);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_) return;
      auto claimed = tasks->Claim(task.id, ctx_->Now());
      if (!claimed.ok()) {
        backoff = true;
        continue;
      }
      wake_ = true;  // whatever the outcome, look for the next task right away
      if (!*claimed) continue;
      running_id_ = task.id;
    }
    storage::TaskOutcome outcome = Run(tasks, task);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!abandoned_) {
        for (int attempt = 0; attempt < kFinishAttempts; ++attempt) {
          if (tasks->Finish(task.id, outcome, ctx_->Now()).ok()) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
        }
      }
      running_id_ = 0;
    }
    idle_cv_.notify_all();
  }
}

storage::TaskOutcome TaskRuntime::Run(storage::TaskStore* tasks, const Task& task) noexcept {
  try {
    const std::int64_t notebook_id = task.input_data.find("notebook_id")->as_int();
    const bool sync = task.type == std::optional<std::string>("sync");
    auto nb = ctx_->system->FindNotebookById(notebook_id);
    if (!nb.ok()) return Failed(nb.status().message());
    // A notebook of another workspace is as good as gone for this task.
    if (!nb->has_value() || (*nb)->workspace_id != task.workspace_id) {
      return Failed("Notebook not found");
    }
    auto ws = tasks->FindWorkspace(task.workspace_id);
    if (!ws.ok()) return Failed(ws.status().message());
    if (!ws->has_value()) return Failed("Notebook not found");
    auto access = OpenNotebook(*ctx_, **ws, **nb);
    if (!access.ok()) return Failed(access.status().message());

    IndexOptions options;
    options.force = !sync;  // indexing: re-extract every file (metadata, tags, FTS rebuilt)
    options.commit = sync;  // sync: commit every pending change ("Batch update: …")
    const std::int64_t ws_id = access->workspace.id;
    auto scan = notebook::Reconcile(
        *access->handle, options, ctx_->options.index_threads, ctx_->Now(),
        [&](const std::vector<notebook::Change>& changes) {
          notebook::PublishChanges(*ctx_, *access->handle, ws_id, changes);
        });
    if (!scan.ok()) return Failed(scan.status().message());
    const IndexReport& r = scan->report;
    // files_indexed: the files extracted — every file for a forced indexing, the new, changed
    // and moved ones for a sync.
    Json::Object out{{"notebook_id", notebook_id},
                     {"files_indexed", sync ? r.added + r.modified + r.moved : r.files},
                     {"files_removed", r.removed}};
    if (sync) out.set("commit", r.commit ? Json(*r.commit) : Json());
    out.set("duration_ms", r.duration_ms);
    storage::TaskOutcome done;
    done.ok = true;
    done.output_data = Json(std::move(out));
    return done;
  } catch (const std::bad_alloc&) {
    return Failed("Out of memory");
  } catch (...) {
    return Failed("Internal error");
  }
}

}  // namespace codex::detail
