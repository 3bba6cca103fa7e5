#include "watch/engine.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "core/context.hpp"
#include "index/sidecar.hpp"

namespace codex::detail {
namespace {

constexpr auto kDrainLimit = std::chrono::seconds(30);
// A merge step (16 pages) takes a few ms, 15 at worst on this class of machine: one starts only
// when no batch falls due sooner than this.
constexpr auto kMergeHeadroom = std::chrono::milliseconds(40);

std::string Child(const std::string& rel, const std::string& name) {
  return rel.empty() ? name : rel + "/" + name;
}

}  // namespace

bool WatchEngine::IsDir(const std::string& abs) { return fs::StatBeneath(abs, "").is_dir; }

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
  inotify_->set_watch_limit(options.max_watches);
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
  merge_due_.clear();
  gone_published_.clear();
  deleted_.clear();
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
  return pending_.empty() && jobs_.empty() && commits_.empty() && merge_due_.empty() && !busy_ &&
         committing_notebook_ == 0 && !refresh_due_ && (!inotify_ || inotify_->Queued() == 0);
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
  deleted_.insert(notebook_id);
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
  nb.fallback = false;
  if (int err = inotify_->AddTree(notebook_id, root, "", &files); err != 0) {
    return FallBack(notebook_id, nb, err, now);  // queues the first scan
  }
  Job job{notebook_id, {}};
  job.batch.scan = true;
  jobs_.push_back(std::move(job));
}

// Some folders of the notebook could not be watched (ENOSPC: the watch limit): what happens in
// them is found by rescans, the first one at once with a "resync".
void WatchEngine::FallBack(std::int64_t notebook_id, Followed& nb, int err, SteadyTime now) {
  nb.next_rescan = now + options_.fallback_rescan;
  if (nb.fallback) return;
  nb.fallback = true;
  Warn("cannot watch every folder of " + nb.root + " (" + std::strerror(err) +
       "): rescanning it every " + std::to_string(options_.fallback_rescan.count() / 1000) +
       " s instead");
  Batch& b = PendingOf(notebook_id, now).batch;
  b.scan = b.resync = true;
}

void WatchEngine::Unfollow(std::int64_t notebook_id) {
  inotify_->RemoveTree(notebook_id, "");
  followed_.erase(notebook_id);
  pending_.erase(notebook_id);
  commits_.erase(notebook_id);
  merge_due_.erase(notebook_id);
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
    if (int err = inotify_->AddTree(id, nb->second.root, path, &files); err != 0) {
      FallBack(id, nb->second, err, now);
    }
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
    nb.next_rescan = now + options_.fallback_rescan;
    // Watches may be free again (folders deleted, a higher limit): then back to events.
    std::vector<std::string> files;
    if (inotify_->AddTree(id, nb.root, "", &files) == 0) {
      nb.fallback = false;
      Warn("watching every folder of " + nb.root + " again");
    }
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

bool WatchEngine::MergeFits(SteadyTime now) const {
  for (const auto& [id, p] : pending_) {
    if (std::min(p.last + options_.quiet, p.first + options_.max_delay) - now < kMergeHeadroom) {
      return false;
    }
  }
  return true;
}

// ---- the reader thread ----

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

void WatchEngine::Warn(const std::string& line) const {
  if (options_.on_warning) options_.on_warning(line);
}

}  // namespace codex::detail
