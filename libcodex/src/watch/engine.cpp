#include "watch/engine.hpp"

#include <malloc.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <tuple>

#include "common/strings.hpp"
#include "core/context.hpp"
#include "index/sidecar.hpp"
#include "notebook/publish.hpp"
#include "notebook/uncommitted.hpp"

namespace codex::detail {
namespace {

constexpr auto kFallbackRescan = std::chrono::seconds(30);
constexpr auto kDrainLimit = std::chrono::seconds(30);

std::string Child(const std::string& rel, const std::string& name) {
  return rel.empty() ? name : rel + "/" + name;
}

bool IsDir(const std::string& abs) { return fs::StatBeneath(abs, "").is_dir; }

}  // namespace

Status WatchEngine::Start(const WatchOptions& options) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (running_) return Status::AlreadyExists("watcher_running", "The watcher is already running");
  auto inotify = watch::Inotify::Create();
  if (!inotify.ok()) return inotify.status();
  int wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) return Status::IoError("eventfd failed");
  auto all = ctx_->system->AllNotebooks();
  if (!all.ok()) return all.status();
  options_ = options;
  inotify_.emplace(std::move(*inotify));
  wake_ = fs::Fd(wake);
  stopping_ = reader_done_ = worker_done_ = refresh_due_ = busy_ = false;
  running_ = true;
  next_refresh_ = std::chrono::steady_clock::now() + options_.refresh;
  // Watches first, then the scans: a change made during a scan is seen by both, never by none.
  for (const auto& nb : *all) Follow(nb.workspace_id, nb.notebook_id, nb.root);
  reader_ = std::thread([this] { ReadLoop(); });
  worker_ = std::thread([this] { WorkLoop(); });
  committer_ = std::thread([this] { CommitLoop(); });
  return Status::Ok();
}

void WatchEngine::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_ || stopping_) return;
    stopping_ = true;
  }
  std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
  reader_.join();
  work_cv_.notify_all();
  worker_.join();
  commit_cv_.notify_all();
  committer_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  followed_.clear();
  pending_.clear();
  jobs_.clear();
  commits_.clear();
  gone_published_.clear();
  workspaces_published_.clear();
  inotify_.reset();
  wake_ = fs::Fd();
  running_ = false;
  stopping_ = false;
}

bool WatchEngine::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_ && !stopping_;
}

std::int64_t WatchEngine::notebook_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return inotify_ ? inotify_->notebook_count() : 0;
}

std::int64_t WatchEngine::Unwatched() const {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!running_ || stopping_) {
    lock.unlock();
    auto all = ctx_->system->AllNotebooks();
    if (!all.ok()) return 0;  // the database check reports that
    return std::count_if(all->begin(), all->end(), [](const auto& nb) { return IsDir(nb.root); });
  }
  std::int64_t n = 0;
  for (const auto& [id, nb] : followed_) {
    if ((nb.fallback || !inotify_->Watches(id)) && IsDir(nb.root)) ++n;
  }
  return n;
}

IndexingState WatchEngine::State(std::int64_t notebook_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = followed_.find(notebook_id);
  return it == followed_.end() ? IndexingState::kNotStarted : it->second.state;
}

bool WatchEngine::Idle() const {
  return pending_.empty() && jobs_.empty() && commits_.empty() && !busy_ &&
         committing_notebook_ == 0 && !refresh_due_ &&
         (!inotify_ || inotify_->Queued() == 0);
}

bool WatchEngine::Settle(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mutex_);
  while (running_ && !Idle()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    settled_cv_.wait_for(lock, std::chrono::milliseconds(5));
  }
  return running_;
}

void WatchEngine::NotebookCreated(std::int64_t workspace_id, std::int64_t notebook_id,
                                  const std::string& root) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!running_ || stopping_) return;
  Follow(workspace_id, notebook_id, root);
  work_cv_.notify_all();
}

bool WatchEngine::NotebookDeleted(std::int64_t notebook_id) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!running_) return true;
  Unfollow(notebook_id);
  settled_cv_.wait_for(lock, kDrainLimit, [&] {
    return busy_notebook_ != notebook_id && committing_notebook_ != notebook_id;
  });
  return gone_published_.count(notebook_id) == 0;
}

bool WatchEngine::WorkspaceDeleted(std::int64_t workspace_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return !running_ || workspaces_published_.insert(workspace_id).second;
}

// ---- with mutex_ held ----

void WatchEngine::Follow(std::int64_t workspace_id, std::int64_t notebook_id,
                         const std::string& root) {
  auto now = std::chrono::steady_clock::now();
  Followed& nb = followed_[notebook_id];
  nb.workspace_id = workspace_id;
  nb.root = root;
  nb.state = IndexingState::kInProgress;
  std::vector<std::string> files;  // the scan finds them
  int err = inotify_->AddTree(notebook_id, root, "", &files);
  nb.fallback = err != 0;
  nb.next_rescan = now + kFallbackRescan;
  if (nb.fallback) {
    Warn("cannot watch every folder of " + root + " (" + std::strerror(err) +
         "): rescanning it every 30 s instead");
  }
  Job job{notebook_id, {}};
  job.batch.scan = true;
  jobs_.push_back(std::move(job));
}

void WatchEngine::Unfollow(std::int64_t notebook_id) {
  inotify_->RemoveTree(notebook_id, "");
  followed_.erase(notebook_id);
  pending_.erase(notebook_id);
  commits_.erase(notebook_id);
  jobs_.erase(std::remove_if(jobs_.begin(), jobs_.end(),
                             [&](const Job& j) { return j.notebook_id == notebook_id; }),
              jobs_.end());
}

WatchEngine::Pending& WatchEngine::PendingOf(std::int64_t notebook_id, SteadyTime now) {
  auto [it, fresh] = pending_.try_emplace(notebook_id);
  if (fresh) it->second.first = now;
  it->second.last = now;
  return it->second;
}

void WatchEngine::OnEvent(const watch::RawEvent& e, SteadyTime now) {
  if (e.mask & IN_Q_OVERFLOW) {  // events were lost, of any notebook: rescan them all
    for (const auto& [id, nb] : followed_) {
      Batch& b = PendingOf(id, now).batch;
      b.scan = b.resync = true;
    }
    return;
  }
  const watch::WatchedDir* dir = inotify_->Find(e.wd);
  if (dir == nullptr) return;
  const std::int64_t id = dir->notebook_id;
  const std::string rel = dir->rel;
  if (e.mask & IN_IGNORED) return inotify_->Forget(e.wd);
  auto nb = followed_.find(id);
  if (nb == followed_.end()) return;
  if (e.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
    // A subfolder's removal is handled through its parent; the notebook folder itself went away
    // or was replaced wholesale: rescan whatever is there now.
    if (rel.empty()) {
      inotify_->RemoveTree(id, "");
      Batch& b = PendingOf(id, now).batch;
      b.scan = b.resync = true;
    }
    return;
  }
  const std::string path = Child(rel, e.name);
  const bool is_dir = (e.mask & IN_ISDIR) != 0;
  Pending& p = PendingOf(id, now);
  Batch& b = p.batch;
  auto take_from = [&]() -> std::optional<notebook::PathMove> {
    auto it = p.moved_from.find(e.cookie);
    if (it == p.moved_from.end()) return std::nullopt;
    notebook::PathMove from = std::move(it->second);
    p.moved_from.erase(it);
    return from;
  };
  auto gone = [&](const notebook::PathMove& from) {
    if (!from.dir) return void(b.paths.insert(from.from));
    b.gone_dirs.insert(from.from);
    inotify_->RemoveTree(id, from.from);
  };
  auto arrived = [&] {
    if (!is_dir) return void(b.paths.insert(path));
    std::vector<std::string> files;
    if (inotify_->AddTree(id, nb->second.root, path, &files) != 0) nb->second.fallback = true;
    b.paths.insert(files.begin(), files.end());
  };
  if (index::IsIgnoredPath(path)) {
    // Renamed to an ignored name (an editor's backup): the source is gone.
    if (e.mask & IN_MOVED_TO) {
      if (auto from = take_from()) gone(*from);
    }
    return;
  }
  if (e.mask & IN_MOVED_FROM) {
    p.moved_from[e.cookie] = {path, {}, is_dir};
  } else if (e.mask & IN_MOVED_TO) {
    auto from = take_from();
    if (from && from->dir == is_dir) {
      b.moves.push_back({from->from, path, is_dir});
      if (is_dir) inotify_->RenameTree(id, from->from, path);
    } else {
      if (from) gone(*from);
      arrived();
    }
  } else if (e.mask & IN_CREATE) {
    arrived();
  } else if (is_dir && (e.mask & IN_DELETE)) {
    gone({path, {}, true});
  } else if (!is_dir) {
    b.paths.insert(path);  // modified, written, deleted
  }
}

void WatchEngine::QueueDue(SteadyTime now, bool all) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    Pending& p = it->second;
    bool due = all || now - p.last >= options_.quiet || now - p.first >= options_.max_delay;
    if (!due) {
      ++it;
      continue;
    }
    // A rename whose other half never came left the notebook.
    for (auto& [cookie, from] : p.moved_from) {
      if (!from.dir) {
        p.batch.paths.insert(from.from);
      } else {
        p.batch.gone_dirs.insert(from.from);
        inotify_->RemoveTree(it->first, from.from);
      }
    }
    jobs_.push_back({it->first, std::move(p.batch)});
    it = pending_.erase(it);
  }
  for (auto& [id, nb] : followed_) {
    if (!nb.fallback || now < nb.next_rescan) continue;
    nb.next_rescan = now + kFallbackRescan;
    Job job{id, {}};
    job.batch.scan = true;
    jobs_.push_back(std::move(job));
  }
  if (!all && now >= next_refresh_) {
    next_refresh_ = now + options_.refresh;
    refresh_due_ = true;
  }
}

WatchEngine::SteadyTime WatchEngine::NextDue(SteadyTime now) const {
  SteadyTime next = next_refresh_;
  for (const auto& [id, p] : pending_) {
    next = std::min({next, p.last + options_.quiet, p.first + options_.max_delay});
  }
  for (const auto& [id, nb] : followed_) {
    if (nb.fallback) next = std::min(next, nb.next_rescan);
  }
  return std::max(next, now);
}

// ---- threads ----

void WatchEngine::ReadLoop() {
  std::vector<watch::RawEvent> events;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(NextDue(now) - now);
    struct pollfd fds[2] = {{inotify_->fd(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    lock.unlock();
    ::poll(fds, 2, static_cast<int>(wait.count()) + 1);
    lock.lock();
    now = std::chrono::steady_clock::now();
    if (stopping_) break;
    if (fds[1].revents & POLLIN) {
      std::uint64_t n = 0;
      (void)!::read(wake_.get(), &n, sizeof n);
    }
    if (fds[0].revents & POLLIN) {
      events.clear();
      if (!inotify_->Read(&events)) Warn("reading inotify events failed");
      for (const auto& e : events) OnEvent(e, now);
    }
    std::size_t queued = jobs_.size();
    bool refresh = refresh_due_;
    QueueDue(now, false);
    if (jobs_.size() != queued || refresh_due_ != refresh) work_cv_.notify_all();
  }
  // Whatever was read is indexed before the watcher stops.
  events.clear();
  inotify_->Read(&events);
  auto now = std::chrono::steady_clock::now();
  for (const auto& e : events) OnEvent(e, now);
  QueueDue(now, true);
  reader_done_ = true;
  work_cv_.notify_all();
}

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
  auto all = ctx_->system->AllNotebooks();
  if (!all.ok()) return Warn("listing notebooks failed: " + all.status().message());
  // Changes another process logged after this one's last batch of the notebook.
  for (const auto& loc : *all) {
    if (!IsDir(loc.root)) continue;
    auto handle = ctx_->notebooks.Get(loc.notebook_id, loc.root, ctx_->Committer());
    if (!handle.ok()) continue;
    std::lock_guard<std::mutex> write((*handle)->write_mutex());
    notebook::PublishForeign(*ctx_, **handle, loc.workspace_id);
  }
  std::map<std::int64_t, std::vector<std::int64_t>> gone;  // by workspace: deleted elsewhere
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    std::set<std::int64_t> seen;
    for (const auto& loc : *all) {
      seen.insert(loc.notebook_id);
      auto it = followed_.find(loc.notebook_id);
      bool lost = it != followed_.end() && !it->second.fallback &&
                  !inotify_->Watches(loc.notebook_id) && IsDir(loc.root);
      if (it == followed_.end() || lost) Follow(loc.workspace_id, loc.notebook_id, loc.root);
    }
    for (auto it = followed_.begin(); it != followed_.end();) {
      auto [id, nb] = *it++;
      if (seen.count(id) != 0) continue;
      gone[nb.workspace_id].push_back(id);
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
    if (!inotify_->Watches(job.notebook_id)) inotify_->AddTree(job.notebook_id, nb.root, "", &files);
    ctx_->notebooks.Drop(job.notebook_id);
  }
  auto handle = ctx_->notebooks.Get(job.notebook_id, nb.root, ctx_->Committer());
  if (!handle.ok()) {
    Warn("opening notebook " + nb.root + " failed: " + handle.status().message());
    return set_state(IndexingState::kError);
  }
  IndexOptions options;
  options.commit = true;
  auto scan = notebook::Reconcile(
      **handle, options, ctx_->options.index_threads, ctx_->Now(),
      [&](const std::vector<notebook::Change>& changes) {
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
}

void WatchEngine::RunBatch(const Job& job, const Followed& nb) {
  if (!IsDir(nb.root)) return;  // the folder's own event asks for a rescan
  auto handle = ctx_->notebooks.Get(job.notebook_id, nb.root, ctx_->Committer());
  if (!handle.ok()) return Warn("opening notebook " + nb.root + " failed: " +
                                handle.status().message());
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
  if (changes.empty()) return;  // written and committed by the API, or by another process
  std::lock_guard<std::mutex> lock(mutex_);
  if (followed_.count(job.notebook_id) == 0) return;
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
  if (!sha.ok()) return Warn("git commit in " + root + " failed: " + sha.status().message());
  if (!*sha) return;
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

void WatchEngine::Warn(const std::string& line) const {
  if (options_.on_warning) options_.on_warning(line);
}

}  // namespace codex::detail
