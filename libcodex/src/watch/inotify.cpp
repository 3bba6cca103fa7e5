#include "watch/inotify.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "index/sidecar.hpp"

namespace codex::watch {
namespace {

constexpr std::uint32_t kMask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM |
                                IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR |
                                IN_DONT_FOLLOW | IN_EXCL_UNLINK;

std::string Join(const std::string& rel, const char* name) {
  return rel.empty() ? std::string(name) : rel + "/" + name;
}

bool Under(const std::string& path, const std::string& dir) {
  return dir.empty() || path == dir ||
         (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
          path[dir.size()] == '/');
}

}  // namespace

Result<Inotify> Inotify::Create() {
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Status::IoError(std::string("inotify_init1: ") + std::strerror(errno));
  return Inotify(fs::Fd(fd));
}

bool Inotify::Read(std::vector<RawEvent>* out) {
  alignas(struct inotify_event) char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd_.get(), buf, sizeof buf);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    if (n == 0) return true;
    for (char* p = buf; p < buf + n;) {
      auto* e = reinterpret_cast<struct inotify_event*>(p);
      out->push_back(
          {e->wd, e->mask, e->cookie, e->len > 0 ? std::string(e->name) : std::string()});
      p += sizeof(struct inotify_event) + e->len;
    }
  }
}

std::size_t Inotify::Queued() const {
  int bytes = 0;
  if (::ioctl(fd_.get(), FIONREAD, &bytes) != 0) return 0;
  return static_cast<std::size_t>(bytes);
}

int Inotify::AddTree(std::int64_t notebook_id, const std::string& root, const std::string& rel,
                     std::vector<std::string>* files) {
  std::string abs = rel.empty() ? root : root + "/" + rel;
  int dirfd = ::open(abs.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dirfd < 0) return errno == ENOENT || errno == ENOTDIR ? 0 : errno;
  return AddDir(notebook_id, dirfd, abs, rel, files);
}

// Watches first, then lists: a file created in between is reported twice at worst, never lost.
int Inotify::AddDir(std::int64_t notebook_id, int dirfd, const std::string& abs,
                    const std::string& rel, std::vector<std::string>* files) {
  auto known = by_nb_.find(notebook_id);
  bool watched = known != by_nb_.end() && known->second.count(rel) != 0;
  if (limit_ != 0 && by_wd_.size() >= limit_ && !watched) {
    ::close(dirfd);
    return ENOSPC;
  }
  int wd = ::inotify_add_watch(fd_.get(), abs.c_str(), kMask);
  if (wd < 0) {
    int err = errno;
    ::close(dirfd);
    return err == ENOENT || err == ENOTDIR ? 0 : err;
  }
  auto [it, fresh] = by_wd_.try_emplace(wd, WatchedDir{notebook_id, rel});
  if (!fresh && (it->second.notebook_id != notebook_id || it->second.rel != rel)) {
    by_nb_[it->second.notebook_id].erase(it->second.rel);
    it->second = {notebook_id, rel};
  }
  by_nb_[notebook_id][rel] = wd;
  DIR* d = ::fdopendir(dirfd);
  if (d == nullptr) {
    ::close(dirfd);
    return 0;
  }
  int first_error = 0;
  while (struct dirent* e = ::readdir(d)) {
    const char* name = e->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
    struct stat st {};
    if (::fstatat(::dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    std::string child = Join(rel, name);
    if (S_ISDIR(st.st_mode)) {
      if (index::IsIgnoredDirName(name)) continue;
      int sub = ::openat(::dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) continue;
      int err = AddDir(notebook_id, sub, abs + "/" + name, child, files);
      if (first_error == 0) first_error = err;
    } else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && !index::IsIgnoredPath(child)) {
      files->push_back(std::move(child));
    }
  }
  ::closedir(d);
  return first_error;
}

void Inotify::RenameTree(std::int64_t notebook_id, const std::string& from, const std::string& to) {
  auto nb = by_nb_.find(notebook_id);
  if (nb == by_nb_.end()) return;
  std::map<std::string, int> renamed;
  for (auto it = nb->second.begin(); it != nb->second.end();) {
    if (!Under(it->first, from) || from.empty()) {
      ++it;
      continue;
    }
    std::string path = to + it->first.substr(from.size());
    by_wd_[it->second].rel = path;
    renamed[path] = it->second;
    it = nb->second.erase(it);
  }
  nb->second.merge(renamed);
}

void Inotify::RemoveTree(std::int64_t notebook_id, const std::string& rel) {
  auto nb = by_nb_.find(notebook_id);
  if (nb == by_nb_.end()) return;
  for (auto it = nb->second.begin(); it != nb->second.end();) {
    if (!Under(it->first, rel)) {
      ++it;
      continue;
    }
    ::inotify_rm_watch(fd_.get(), it->second);
    by_wd_.erase(it->second);
    it = nb->second.erase(it);
  }
  if (nb->second.empty()) by_nb_.erase(nb);
}

void Inotify::Forget(int wd) {
  auto it = by_wd_.find(wd);
  if (it == by_wd_.end()) return;
  auto nb = by_nb_.find(it->second.notebook_id);
  if (nb != by_nb_.end()) {
    auto entry = nb->second.find(it->second.rel);
    if (entry != nb->second.end() && entry->second == wd) nb->second.erase(entry);
    if (nb->second.empty()) by_nb_.erase(nb);
  }
  by_wd_.erase(it);
}

const WatchedDir* Inotify::Find(int wd) const {
  auto it = by_wd_.find(wd);
  return it == by_wd_.end() ? nullptr : &it->second;
}

}  // namespace codex::watch
