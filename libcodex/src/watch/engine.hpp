// The watcher of one process: a reader thread turns inotify events into debounced per-notebook
// batches, a worker thread indexes them and publishes their events, and a committer thread
// commits them to git after a debounce of its own, so a commit never delays the next batch
// (SEMANTICS §7.3, §7.4, §9.3). While no batch is about to fall due, the worker merges the
// full-text segments of the notebooks it wrote to, so that work stays out of the next batch.
// engine.cpp: start, stop, state and the reader; jobs.cpp: the worker's and the committer's work.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "codex/watch.hpp"
#include "common/fs.hpp"
#include "notebook/indexer.hpp"
#include "notebook/moves.hpp"
#include "watch/inotify.hpp"

namespace codex::detail {

struct Context;

class WatchEngine {
 public:
  explicit WatchEngine(Context* ctx) : ctx_(ctx) {}
  ~WatchEngine() { Stop(); }
  WatchEngine(const WatchEngine&) = delete;
  WatchEngine& operator=(const WatchEngine&) = delete;

  Status Start(const WatchOptions& options);
  void Stop();
  bool running() const;
  std::int64_t notebook_count() const;
  std::int64_t Unwatched() const;
  IndexingState State(std::int64_t notebook_id) const;
  bool Settle(std::chrono::milliseconds timeout);

  // A notebook created in this process: watched and scanned at once (no-op when not running).
  void NotebookCreated(std::int64_t workspace_id, std::int64_t notebook_id,
                       const std::string& root);
  // A notebook deleted in this process: its watches go and its queue is dropped; waits (≤ 30 s)
  // for a batch or commit of it that is running. Returns whether the caller publishes its
  // lifecycle event: false when the 2 s refresh saw it gone first and published it.
  bool NotebookDeleted(std::int64_t notebook_id);
  // A workspace deleted in this process (after NotebookDeleted for each of its notebooks).
  // Returns whether the caller publishes its lifecycle event, as NotebookDeleted.
  bool WorkspaceDeleted(std::int64_t workspace_id);

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // What changed in one notebook since its last batch.
  struct Batch {
    std::vector<notebook::PathMove> moves;  // in the order they happened
    std::set<std::string> paths;            // files created, written, deleted
    std::set<std::string> gone_dirs;        // directories deleted or moved out
    bool scan = false;    // a full scan instead (start-up, overflow, replaced folder, fallback)
    bool resync = false;  // publish one "resync" instead of the scan's events
  };
  struct Pending {
    Batch batch;
    SteadyTime first;
    SteadyTime last;
    std::map<std::uint32_t, notebook::PathMove> moved_from;  // by cookie, awaiting IN_MOVED_TO
  };
  struct Job {
    std::int64_t notebook_id = 0;
    Batch batch;
  };
  // Indexed changes waiting for their git commit.
  struct PendingCommit {
    std::set<std::string> paths;
    std::vector<notebook::Change> changes;
    SteadyTime first;
    SteadyTime last;
  };
  struct Followed {
    std::int64_t workspace_id = 0;
    std::string root;
    IndexingState state = IndexingState::kInProgress;
    bool fallback = false;  // watches could not all be added: rescanned periodically
    SteadyTime next_rescan;
  };

  // Both called with mutex_ held.
  void Follow(std::int64_t workspace_id, std::int64_t notebook_id, const std::string& root);
  void Unfollow(std::int64_t notebook_id);
  void FallBack(std::int64_t notebook_id, Followed& nb, int err, SteadyTime now);
  void OnEvent(const watch::RawEvent& e, SteadyTime now);
  Pending& PendingOf(std::int64_t notebook_id, SteadyTime now);
  void QueueDue(SteadyTime now, bool all);
  SteadyTime NextDue(SteadyTime now) const;
  bool MergeFits(SteadyTime now) const;
  bool Idle() const;

  void ReadLoop();
  void WorkLoop();
  void CommitLoop();
  void Refresh();
  void PublishDeletions(const std::map<std::int64_t, std::vector<std::int64_t>>& gone);
  void Run(const Job& job);
  void RunScan(const Job& job, const Followed& nb);
  void RunBatch(const Job& job, const Followed& nb);
  void Commit(std::int64_t notebook_id, PendingCommit commit);
  bool MergeStep(std::int64_t notebook_id, bool release);
  void Warn(const std::string& line) const;
  static bool IsDir(const std::string& abs);  // whether the folder `abs` exists

  Context* ctx_;
  WatchOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable work_cv_;     // jobs for the worker, or stop
  std::condition_variable commit_cv_;   // commits for the committer, or stop
  std::condition_variable settled_cv_;  // the worker or the committer finished something
  std::optional<watch::Inotify> inotify_;
  fs::Fd wake_;  // eventfd: wakes the reader (stop, new notebooks)
  bool stopping_ = false;
  bool running_ = false;
  std::map<std::int64_t, Followed> followed_;
  std::map<std::int64_t, Pending> pending_;
  std::deque<Job> jobs_;
  std::map<std::int64_t, PendingCommit> commits_;
  // Notebooks written to, whose full-text segments may want merging → whether their caches are
  // released afterwards (after a scan's writes, as after the scan itself).
  std::map<std::int64_t, bool> merge_due_;
  std::set<std::int64_t> deleted_;               // notebooks deleted (ids are never reused)
  std::set<std::int64_t> gone_published_;        // notebook deletions published (see Refresh)
  std::set<std::int64_t> workspaces_published_;  // workspace deletions published
  std::int64_t busy_notebook_ = 0;               // the notebook of the job being run, 0 = none
  bool busy_ = false;                            // the worker runs a job or a refresh
  std::int64_t committing_notebook_ = 0;         // the notebook being committed, 0 = none
  bool refresh_due_ = false;
  bool trim_due_ = false;     // scans freed memory: trim the heap once the queue is empty
  bool reader_done_ = false;  // the reader queued its last batches and left
  bool worker_done_ = false;  // the worker indexed its last job and left
  SteadyTime next_refresh_;
  std::thread reader_;
  std::thread worker_;
  std::thread committer_;
};

}  // namespace codex::detail
