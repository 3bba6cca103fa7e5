// One inotify instance and the directories it watches: which notebook and which folder each
// watch descriptor stands for (SEMANTICS §7.3).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "codex/status.hpp"
#include "common/fs.hpp"

namespace codex::watch {

struct RawEvent {
  int wd = -1;  // -1 with IN_Q_OVERFLOW
  std::uint32_t mask = 0;
  std::uint32_t cookie = 0;
  std::string name;  // empty for events of the watched directory itself
};

// Where a watch descriptor points.
struct WatchedDir {
  std::int64_t notebook_id = 0;
  std::string rel;  // notebook-relative directory, "" for the notebook root
};

class Inotify {
 public:
  // Non-blocking, close-on-exec. kIoError when the kernel refuses (too many instances).
  static Result<Inotify> Create();

  int fd() const noexcept { return fd_.get(); }
  // Reads every queued event. False on a read error other than "nothing queued".
  bool Read(std::vector<RawEvent>* out);
  // Bytes of events waiting in the kernel queue.
  std::size_t Queued() const;
  // At most `n` watches (0 = the kernel's limit); over it AddTree fails with ENOSPC as the
  // kernel would.
  void set_watch_limit(std::size_t n) noexcept { limit_ = n; }

  // Watches root/rel and every directory below it that is not ignored (symlinks are never
  // followed), appending the notebook-relative paths of the files found to `files`. Directories
  // already watched are renamed in place. Returns 0, or the errno of the first failed
  // inotify_add_watch (ENOSPC: the watch limit) after adding what it could.
  int AddTree(std::int64_t notebook_id, const std::string& root, const std::string& rel,
              std::vector<std::string>* files);
  // A watched directory moved from `from` to `to` (both notebook-relative).
  void RenameTree(std::int64_t notebook_id, const std::string& from, const std::string& to);
  // Stops watching `rel` and everything below it ("" = the whole notebook).
  void RemoveTree(std::int64_t notebook_id, const std::string& rel);
  // The kernel dropped a watch (IN_IGNORED).
  void Forget(int wd);

  const WatchedDir* Find(int wd) const;
  std::size_t watch_count() const noexcept { return by_wd_.size(); }
  // Notebooks with at least one watch.
  std::int64_t notebook_count() const noexcept { return static_cast<std::int64_t>(by_nb_.size()); }
  bool Watches(std::int64_t notebook_id) const { return by_nb_.count(notebook_id) > 0; }

 private:
  explicit Inotify(fs::Fd fd) : fd_(std::move(fd)) {}
  int AddDir(std::int64_t notebook_id, int dirfd, const std::string& abs, const std::string& rel,
             std::vector<std::string>* files);
  fs::Fd fd_;
  std::size_t limit_ = 0;
  std::unordered_map<int, WatchedDir> by_wd_;
  std::map<std::int64_t, std::map<std::string, int>> by_nb_;  // notebook → rel → wd
};

}  // namespace codex::watch
