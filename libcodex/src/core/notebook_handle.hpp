// An open notebook: its index database, its git repository (opened on first use) and the
// mutex that makes it one writer per notebook in this process (SEMANTICS §7.5).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "codex/status.hpp"
#include "storage/notebook_store.hpp"
#include "vcs/repository.hpp"

namespace codex::detail {

class NotebookHandle {
 public:
  // Opens (creating when missing) <root>/.codex/notebook.db. `root` is absolute and canonical.
  static Result<std::shared_ptr<NotebookHandle>> Open(std::int64_t id, std::string root,
                                                      vcs::Signature committer);

  std::int64_t id() const noexcept { return id_; }
  const std::string& root() const noexcept { return root_; }
  storage::NotebookStore& store() noexcept { return *store_; }
  // Author and committer of scan, watcher and task commits.
  const vcs::Signature& committer() const noexcept { return committer_; }
  // The repository, initialised on first use when the folder has none (SEMANTICS §9.1).
  Result<vcs::Repository*> repo();
  // Held by every writer of this notebook: API writes, scans, the watcher.
  std::mutex& write_mutex() noexcept { return write_mutex_; }
  // The last change-log row this process has published or skipped (under the write mutex).
  std::int64_t& log_seq() noexcept { return log_seq_; }
  // Frees the caches of its database and repository, for a notebook that goes idle after a
  // large piece of work (a scan).
  void ReleaseMemory();

 private:
  NotebookHandle() = default;
  std::int64_t id_ = 0;
  std::string root_;
  vcs::Signature committer_;
  std::unique_ptr<storage::NotebookStore> store_;
  std::mutex repo_mutex_;
  std::unique_ptr<vcs::Repository> repo_;
  std::mutex write_mutex_;
  std::int64_t log_seq_ = 0;
};

// Open notebooks of this process, by id. Thread-safe.
class NotebookRegistry {
 public:
  Result<std::shared_ptr<NotebookHandle>> Get(std::int64_t id, const std::string& root,
                                              const vcs::Signature& committer);
  // The notebook's handle when it is open in this process, else null (never opens one).
  std::shared_ptr<NotebookHandle> Find(std::int64_t id);
  // Forgets a notebook (deleted); handles still held elsewhere stay valid.
  void Drop(std::int64_t id);

 private:
  std::mutex mutex_;
  std::map<std::int64_t, std::shared_ptr<NotebookHandle>> open_;
};

}  // namespace codex::detail
