// The watcher's worker and committer threads: scans and batches indexed and published, the
// full-text index merged between them, the notebook set refreshed from the system database,
// commits after their own debounce.
#include <malloc.h>

#include <algorithm>
#include <tuple>

#include "common/strings.hpp"
#include "core/context.hpp"
#include "notebook/publish.hpp"
#include "notebook/uncommitted.hpp"
#include "watch/engine.hpp"

namespace codex::detail {
namespace {

constexpr int kMergePages = 16;

}  // namespace

void WatchEngine::WorkLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (!jobs_.empty()) {
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      busy_ = true;
      busy_notebook_ = job.notebook_id;
      lock.unlock();
      Run(job);
      lock.lock();
      busy_ = false;
      busy_notebook_ = 0;
      settled_cv_.notify_all();
      continue;
    }
    if (refresh_due_ && !stopping_) {
      busy_ = true;
      refresh_due_ = false;
      lock.unlock();
      Refresh();
      lock.lock();
      busy_ = false;
      settled_cv_.notify_all();
      continue;
    }
    refresh_due_ = false;
    if (!merge_due_.empty() && !stopping_ && MergeFits(std::chrono::steady_clock::now())) {
      const auto [id, release] = *merge_due_.begin();
      busy_ = true;
      busy_notebook_ = id;
      lock.unlock();
      bool more = MergeStep(id, release);
      lock.lock();
      if (!more) {
        merge_due_.erase(id);
        trim_due_ = trim_due_ || release;
      }
      busy_ = false;
      busy_notebook_ = 0;
      settled_cv_.notify_all();
      continue;
    }
    if (trim_due_) {  // scans are over: return the freed memory to the system
      trim_due_ = false;
      lock.unlock();
      ::malloc_trim(0);
      lock.lock();
      continue;
    }
    if (stopping_ && reader_done_) break;
    work_cv_.wait(lock);
  }
  worker_done_ = true;
  commit_cv_.notify_all();
}

void WatchEngine::CommitLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    auto next = SteadyTime::max();
    auto due = commits_.end();
    for (auto it = commits_.begin(); it != commits_.end(); ++it) {
      auto at = std::min(it->second.last + options_.commit_quiet,
                         it->second.first + options_.commit_max_delay);
      if (stopping_ || at <= now) {
        due = it;
        break;
      }
      next = std::min(next, at);
    }
    if (due != commits_.end()) {
      std::int64_t id = due->first;
      PendingCommit commit = std::move(due->second);
      commits_.erase(due);
      committing_notebook_ = id;
      lock.unlock();
      Commit(id, std::move(commit));
      lock.lock();
      committing_notebook_ = 0;
      settled_cv_.notify_all();
      continue;
    }
    if (stopping_ && worker_done_) break;
    if (next == SteadyTime::max()) {
      commit_cv_.wait(lock);
    } else {
      commit_cv_.wait_until(lock, next);
    }
  }
}

// The notebook set of the system database: notebooks created or deleted by another process,
// and folders that came back.
void WatchEngine::Refresh() {
  std::set<std::int64_t> before;  // followed before the database is read
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, nb] : followed_) before.insert(id);
  }
  auto all = ctx_->system->AllNotebooks();
  if (!all.ok()) return Warn("listing notebooks failed: " + all.status().message());
  // Changes another process logged after this one's last batch of the notebook (a handle opened
  // later starts after the log's end: only open ones can have anything to publish).
  for (const auto& loc : *all) {
    auto handle = ctx_->notebooks.Find(loc.notebook_id);
    if (handle == nullptr || !IsDir(loc.root)) continue;
    std::lock_guard<std::mutex> write(handle->write_mutex());
    notebook::PublishForeign(*ctx_, *handle, loc.workspace_id);
  }
  std::map<std::int64_t, std::vector<std::int64_t>> gone;  // by workspace: deleted elsewhere
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    std::set<std::int64_t> seen;
    for (const auto& loc : *all) {
      seen.insert(loc.notebook_id);
      if (deleted_.count(loc.notebook_id) != 0) continue;  // deleted since the read
      auto it = followed_.find(loc.notebook_id);
      bool lost = it != followed_.end() && !it->second.fallback &&
                  !inotify_->Watches(loc.notebook_id) && IsDir(loc.root);
      if (it == followed_.end() || lost) Follow(loc.workspace_id, loc.notebook_id, loc.root);
    }
    for (auto it = followed_.begin(); it != followed_.end();) {
      auto [id, nb] = *it++;
      if (seen.count(id) != 0 || before.count(id) == 0) continue;  // or created since the read
      gone[nb.workspace_id].push_back(id);
      deleted_.insert(id);
      gone_published_.insert(id);
      Unfollow(id);
    }
  }
  PublishDeletions(gone);
}

// Notebooks and workspaces deleted by another process: the lifecycle events that end this
// process's streams of them (SEMANTICS §19), each published once (deletions made here are
// published by their service, see NotebookDeleted / WorkspaceDeleted).
void WatchEngine::PublishDeletions(const std::map<std::int64_t, std::vector<std::int64_t>>& gone) {
  std::set<std::int64_t> workspaces = ctx_->events.SubscribedWorkspaces();
  for (const auto& [workspace_id, ids] : gone) {
    workspaces.insert(workspace_id);
    for (std::int64_t id : ids) ctx_->notebooks.Drop(id);
  }
  std::set<std::int64_t> workspaces_gone;
  for (std::int64_t workspace_id : workspaces) {
    auto exists = ctx_->system->WorkspaceExists(workspace_id);
    if (!exists.ok() || *exists) continue;
    workspaces_gone.insert(workspace_id);
    std::unique_lock<std::mutex> lock(mutex_);
    if (!workspaces_published_.insert(workspace_id).second) continue;
    lock.unlock();
    ctx_->events.PublishLifecycle(EventKind::kWorkspaceDeleted, workspace_id, 0, 0, ctx_->Now());
  }
  for (const auto& [workspace_id, ids] : gone) {
    if (workspaces_gone.count(workspace_id) != 0) continue;  // the workspace event ends them all
    for (std::int64_t id : ids) {
      ctx_->events.PublishLifecycle(EventKind::kNotebookDeleted, workspace_id, id, 0, ctx_->Now());
    }
  }
}

void WatchEngine::Run(const Job& job) {
  Followed nb;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = followed_.find(job.notebook_id);
    if (it == followed_.end()) return;  // deleted meanwhile
    nb = it->second;
  }
  if (job.batch.scan) return RunScan(job, nb);
  RunBatch(job, nb);
}

void WatchEngine::RunScan(const Job& job, const Followed& nb) {
  auto set_state = [&](IndexingState state) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = followed_.find(job.notebook_id);
    if (it != followed_.end()) it->second.state = state;
  };
  if (!IsDir(nb.root)) return set_state(IndexingState::kError);
  if (job.batch.resync) {
    // The folder may be a new one: watch it again and open its own index.
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> files;
    if (!inotify_->Watches(job.notebook_id))
      inotify_->AddTree(job.notebook_id, nb.root, "", &files);
    ctx_->notebooks.Drop(job.notebook_id);
  }
  auto handle = ctx_->notebooks.Get(job.notebook_id, nb.root, ctx_->Committer());
  if (!handle.ok()) {
    Warn("opening notebook " + nb.root + " failed: " + handle.status().message());
    return set_state(IndexingState::kError);
  }
  IndexOptions options;
  options.commit = true;
  bool wrote = false;
  auto scan =
      notebook::Reconcile(**handle, options, ctx_->options.index_threads, ctx_->Now(),
                          [&](const std::vector<notebook::Change>& changes) {
                            wrote = wrote || !changes.empty();
                            if (job.batch.resync) {
                              notebook::PublishResync(*ctx_, **handle, nb.workspace_id);
                            } else {
                              notebook::PublishChanges(*ctx_, **handle, nb.workspace_id, changes);
                            }
                          });
  if (!scan.ok()) {
    Warn("scanning " + nb.root + " failed: " + scan.status().message());
    return set_state(IndexingState::kError);
  }
  {
    std::lock_guard<std::mutex> write((*handle)->write_mutex());
    auto committed = notebook::CommitUncommitted(**handle);
    if (!committed.ok()) Warn("committing in " + nb.root + ": " + committed.status().message());
  }
  // A scan read every row and file: give back the caches it filled (start-up scans every
  // notebook of the data dir, which would otherwise all stay cached).
  (*handle)->ReleaseMemory();
  set_state(IndexingState::kCompleted);
  std::lock_guard<std::mutex> lock(mutex_);
  trim_due_ = true;
  if (wrote && followed_.count(job.notebook_id) != 0) merge_due_[job.notebook_id] = true;
}

void WatchEngine::RunBatch(const Job& job, const Followed& nb) {
  if (!IsDir(nb.root)) return;  // the folder's own event asks for a rescan
  auto handle = ctx_->notebooks.Get(job.notebook_id, nb.root, ctx_->Committer());
  if (!handle.ok())
    return Warn("opening notebook " + nb.root + " failed: " + handle.status().message());
  NotebookHandle& h = **handle;
  const Batch& b = job.batch;
  std::vector<std::string> touched(b.paths.begin(), b.paths.end());
  std::vector<notebook::Change> changes;
  {
    std::lock_guard<std::mutex> write(h.write_mutex());
    std::string now = ctx_->Now();
    auto moved = notebook::MoveRows(h, b.moves, now, &touched);
    if (!moved.ok()) return Warn("moving rows in " + nb.root + ": " + moved.status().message());
    for (const auto& dir : b.gone_dirs) {
      auto rows = h.store().RowsUnder(dir);
      if (!rows.ok()) continue;
      for (const auto& [id, path] : *rows) touched.push_back(path);
    }
    auto indexed = notebook::IndexPaths(h, touched, now);
    if (!indexed.ok()) {
      return Warn("indexing in " + nb.root + " failed: " + indexed.status().message());
    }
    changes = std::move(*moved);
    changes.insert(changes.end(), indexed->begin(), indexed->end());
    notebook::PublishChanges(*ctx_, h, nb.workspace_id, changes);
    notebook::PublishForeign(*ctx_, h, nb.workspace_id);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (followed_.count(job.notebook_id) == 0) return;
  merge_due_.try_emplace(job.notebook_id, false);  // also after the API's writes the batch saw
  if (changes.empty()) return;  // written and committed by the API, or by another process
  auto now = std::chrono::steady_clock::now();
  auto [it, fresh] = commits_.try_emplace(job.notebook_id);
  PendingCommit& commit = it->second;
  if (fresh) commit.first = now;
  commit.last = now;
  commit.paths.insert(touched.begin(), touched.end());
  for (const auto& c : changes) {
    commit.paths.insert(c.path);
    if (!c.old_path.empty()) commit.paths.insert(c.old_path);
    commit.changes.push_back(c);
  }
  commit_cv_.notify_all();
}

// One merge step of the notebook's full-text index; false when it had nothing left to merge
// (then its caches are released, when `release`).
bool WatchEngine::MergeStep(std::int64_t notebook_id, bool release) {
  auto handle = ctx_->notebooks.Find(notebook_id);
  if (handle == nullptr) return false;
  std::lock_guard<std::mutex> write(handle->write_mutex());
  auto merged = handle->store().MergeSearchIndex(kMergePages);
  if (!merged.ok()) {
    Warn("merging the search index of notebook " + std::to_string(notebook_id) + ": " +
         merged.status().message());
  }
  if (merged.ok() && *merged) return true;
  if (release) handle->store().ReleaseMemory();
  return false;
}

void WatchEngine::Commit(std::int64_t notebook_id, PendingCommit commit) {
  std::string root;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = followed_.find(notebook_id);
    if (it == followed_.end()) return;
    root = it->second.root;
  }
  if (!IsDir(root)) return;
  auto handle = ctx_->notebooks.Get(notebook_id, root, ctx_->Committer());
  if (!handle.ok()) return;
  auto repo = (*handle)->repo();
  if (!repo.ok()) return Warn("git repository of " + root + ": " + repo.status().message());
  // A file changed in several batches before the commit is listed once per kind of change.
  std::vector<notebook::Change> changes;
  std::set<std::tuple<int, std::string, std::string>> listed;
  for (auto& c : commit.changes) {
    if (listed.emplace(static_cast<int>(c.kind), c.path, c.old_path).second) {
      changes.push_back(std::move(c));
    }
  }
  std::string message = changes.size() == 1 ? "Auto-commit: " + BaseName(changes[0].path)
                                            : notebook::BatchMessage(changes);
  std::vector<std::string> paths(commit.paths.begin(), commit.paths.end());
  auto sha = (*repo)->CommitPaths(paths, message, ctx_->Committer());
  if (!sha.ok()) {
    Warn("git commit in " + root + " failed: " + sha.status().message());
  } else if (*sha) {
    std::lock_guard<std::mutex> write((*handle)->write_mutex());
    Status marked = (*handle)->store().Write([&](storage::NotebookWriter& w) -> Status {
      for (const auto& c : changes) {
        if (c.kind == notebook::ChangeKind::kDeleted) continue;
        // A move's row does not know whether its file is binary; the file does.
        bool binary = c.kind == notebook::ChangeKind::kMoved
                          ? notebook::IsBinaryOnDisk(root, c.path)
                          : c.binary;
        bool tracked = !binary && !(*repo)->IsIgnored(c.path);
        w.SetCommit(c.file_id, tracked, tracked ? *sha : std::nullopt);
      }
      return Status::Ok();
    });
    if (!marked.ok()) Warn("recording the commit in " + root + ": " + marked.message());
  }
  // The batches' index writes reach the database file here, not inside the next batch's write.
  (void)(*handle)->store().Checkpoint();
}

}  // namespace codex::detail
