// The task store and the background worker of one Codex (SEMANTICS §14): one thread that runs
// pending indexing and sync tasks, oldest first, one at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>

#include "codex/status.hpp"
#include "codex/tasks.hpp"
#include "core/context.hpp"
#include "storage/task_store.hpp"

namespace codex::detail {

// Thread-safe. `ctx` must outlive the runtime; the destructor stops the worker (≤ 30 s).
class TaskRuntime {
 public:
  explicit TaskRuntime(Context* ctx) : ctx_(ctx) {}
  ~TaskRuntime();
  TaskRuntime(const TaskRuntime&) = delete;
  TaskRuntime& operator=(const TaskRuntime&) = delete;

  // The store, opened on first use. The pointer lives as long as the runtime.
  Result<storage::TaskStore*> store();

  // Marks tasks left running by a previous process failed, then starts the thread. A second call
  // while it runs does nothing.
  Status Start();
  // Stops the thread: the running task may finish within `timeout`, else it is marked failed
  // ("Interrupted by daemon shutdown") and its result is discarded when the job ends. Returns once
  // the thread has ended.
  void Stop(std::chrono::seconds timeout);
  // A task was created: look for work now.
  void Wake();

  // Runs fn() unless the worker is running task `id` (kConflict "task_running"). The worker cannot
  // pick up a task while fn runs, so a change made by fn and a claim never interleave.
  template <class F>
  auto UnlessRunning(std::int64_t id, F&& fn) -> std::invoke_result_t<F> {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_id_ == id) return Status::Conflict("task_running", "Task is running");
    return fn();
  }

 private:
  void Loop(storage::TaskStore* store) noexcept;
  // Runs one claimed task; never throws.
  storage::TaskOutcome Run(storage::TaskStore* store, const Task& task) noexcept;

  Context* ctx_;
  std::mutex store_mutex_;
  std::unique_ptr<storage::TaskStore> store_;

  std::mutex lifecycle_mutex_;  // Start / Stop
  std::thread thread_;

  std::mutex mutex_;  // guards the fields below
  std::condition_variable wake_cv_;
  std::condition_variable idle_cv_;
  bool stop_ = false;
  bool wake_ = false;
  std::int64_t running_id_ = 0;
  bool abandoned_ = false;  // the running task was marked failed by Stop
};

}  // namespace codex::detail
