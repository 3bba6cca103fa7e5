#include "core/notebook_handle.hpp"

#include "common/fs.hpp"

namespace codex::detail {

Result<std::shared_ptr<NotebookHandle>> NotebookHandle::Open(std::int64_t id, std::string root,
                                                             vcs::Signature committer) {
  std::shared_ptr<NotebookHandle> h(new NotebookHandle());
  h->id_ = id;
  h->root_ = std::move(root);
  h->committer_ = std::move(committer);
  Status dir = fs::EnsureDir(h->root_ + "/.codex");
  if (!dir.ok()) return dir;
  auto store = storage::NotebookStore::Open(h->root_ + "/.codex/notebook.db");
  if (!store.ok()) return store.status();
  h->store_ = std::move(*store);
  auto seq = h->store_->LastChangeSeq();  // changes made before this process opened it are old
  if (!seq.ok()) return seq.status();
  h->log_seq_ = *seq;
  return h;
}

Result<vcs::Repository*> NotebookHandle::repo() {
  std::lock_guard<std::mutex> lock(repo_mutex_);
  if (!repo_) {
    auto opened = vcs::Repository::OpenOrInit(root_, committer_);
    if (!opened.ok()) return opened.status();
    repo_ = std::move(*opened);
  }
  return repo_.get();
}

void NotebookHandle::ReleaseMemory() {
  store_->ReleaseMemory();
  std::lock_guard<std::mutex> lock(repo_mutex_);
  if (repo_) repo_->ReleaseMemory();
}

Result<std::shared_ptr<NotebookHandle>> NotebookRegistry::Get(std::int64_t id,
                                                              const std::string& root,
                                                              const vcs::Signature& committer) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = open_.find(id);
  if (it != open_.end() && it->second->root() == root) return it->second;
  auto opened = NotebookHandle::Open(id, root, committer);
  if (!opened.ok()) return opened.status();
  open_[id] = *opened;
  return *opened;
}

std::shared_ptr<NotebookHandle> NotebookRegistry::Find(std::int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : it->second;
}

void NotebookRegistry::Drop(std::int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  open_.erase(id);
}

}  // namespace codex::detail
