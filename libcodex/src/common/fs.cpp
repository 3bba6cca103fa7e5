#include "common/fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "common/path_guard.hpp"
#include "common/slug.hpp"

namespace codex::fs {
namespace {

Status Errno(const std::string& what, int err) {
  return Status::IoError(what + ": " + std::strerror(err));
}

std::int64_t Ns(const struct statx_timestamp& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

std::pair<std::string, std::string> SplitParent(const std::string& rel) {
  std::size_t slash = rel.rfind('/');
  if (slash == std::string::npos) return {"", rel};
  return {rel.substr(0, slash), rel.substr(slash + 1)};
}

int RawOpenBeneath(int dirfd, const char* rel, int flags, mode_t mode) {
  struct open_how how {};
  how.flags = static_cast<std::uint64_t>(flags) | O_CLOEXEC;
  bool creates = (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
  how.mode = creates ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(::syscall(SYS_openat2, dirfd, rel, &how, sizeof how));
}

Result<Fd> OpenRoot(const std::string& root) {
  int fd = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open " + root, errno);
  return Fd(fd);
}

// A fresh temp file in root/.codex/tmp; returns its fd and name.
Result<std::pair<Fd, std::string>> MakeTemp(const std::string& root) {
  std::string tmp_dir = root + "/.codex/tmp";
  Status made = EnsureDir(tmp_dir);
  if (!made.ok()) return made;
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string name = "w" + SlugSuffix().substr(1) + SlugSuffix().substr(1);
    std::string path = tmp_dir + "/" + name;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd >= 0) return std::make_pair(Fd(fd), path);
    if (errno != EEXIST) return Errno("create temp file", errno);
  }
  return Status::IoError("could not create a temp file");
}

Status WriteAllFd(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("write", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

// Moves the finished temp file into place.
Status Place(const std::string& root, const std::string& tmp_path, const std::string& rel,
             WriteMode mode) {
  auto [parent, base] = SplitParent(rel);
  auto dir = OpenBeneath(root, parent, O_PATH | O_DIRECTORY);
  if (!dir.ok()) {
    ::unlink(tmp_path.c_str());
    return dir.status();
  }
  unsigned flags = mode == WriteMode::kCreateNew ? RENAME_NOREPLACE : 0;
  if (::renameat2(AT_FDCWD, tmp_path.c_str(), dir->get(), base.c_str(), flags) != 0) {
    int err = errno;
    ::unlink(tmp_path.c_str());
    if (err == EEXIST) return Status::AlreadyExists("exists", "Target path already exists");
    if (err == EISDIR) return Status::AlreadyExists("exists", "Target is a directory");
    return Errno("rename into place", err);
  }
  return Status::Ok();
}

Status RemoveTreeAt(int dirfd, const char* name);

// Removes everything in dirfd/name. Entries that vanish meanwhile are what removal wants: another
// process closing its SQLite connection deletes the -wal and -shm files, git drops its locks.
Status EmptyDirAt(int dirfd, const char* name) {
  int fd = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Status::Ok() : Errno(std::string("open ") + name, errno);
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    ::close(fd);
    return Errno("fdopendir", errno);
  }
  Status result;
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    struct stat st {};
    if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    Status s;
    if (S_ISDIR(st.st_mode)) {
      s = RemoveTreeAt(fd, e->d_name);
    } else if (::unlinkat(fd, e->d_name, 0) != 0 && errno != ENOENT) {
      s = Errno(std::string("unlink ") + e->d_name, errno);
    }
    if (!s.ok() && result.ok()) result = s;
  }
  ::closedir(d);
  return result;
}

// Removes dirfd/name and all in it. A file created in the tree while it is being removed (the
// last write of another process's watcher) leaves the folder not empty: the walk is repeated a
// few times before that is an error.
Status RemoveTreeAt(int dirfd, const char* name) {
  constexpr int kPasses = 4;
  for (int pass = 1;; ++pass) {
    Status s = EmptyDirAt(dirfd, name);
    if (!s.ok()) return s;
    if (::unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT) return Status::Ok();
    if ((errno != ENOTEMPTY && errno != EEXIST) || pass == kPasses) {
      return Errno(std::string("rmdir ") + name, errno);
    }
  }
}

}  // namespace

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

int Fd::release() noexcept {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

Result<Fd> OpenBeneath(const std::string& root, const std::string& rel, int flags, mode_t mode) {
  auto rootfd = OpenRoot(root);
  if (!rootfd.ok()) return rootfd.status();
  int fd = RawOpenBeneath(rootfd->get(), rel.empty() ? "." : rel.c_str(), flags, mode);
  if (fd < 0 && errno == EXDEV) {
    // RESOLVE_BENEATH refuses every absolute symlink, even one pointing inside the root: such a
    // path is resolved, and opened (still confined) by its real location when that stays inside.
    std::string real = RealPath(root + "/" + rel);
    bool inside = real.size() > root.size() && real.compare(0, root.size(), root) == 0 &&
                  real[root.size()] == '/';
    if (inside && !HasForbiddenSegment(real.substr(root.size() + 1))) {
      fd = RawOpenBeneath(rootfd->get(), real.c_str() + root.size() + 1, flags, mode);
    } else {
      errno = EXDEV;
    }
  }
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR)
      return Status::NotFound("file_not_found", "File not found");
    if (err == EXDEV || err == ELOOP) {
      return Status::PermissionDenied("path_forbidden", "Access denied: Invalid file path");
    }
    return Errno("open " + rel, err);
  }
  return Fd(fd);
}

namespace {

Stat FromStatx(const struct statx& sx) {
  Stat out;
  out.exists = true;
  out.is_dir = S_ISDIR(sx.stx_mode);
  out.is_file = S_ISREG(sx.stx_mode);
  out.size = static_cast<std::int64_t>(sx.stx_size);
  out.mtime_ns = Ns(sx.stx_mtime);
  out.ctime_ns = Ns(sx.stx_ctime);
  out.birth_ns = (sx.stx_mask & STATX_BTIME) ? Ns(sx.stx_btime) : 0;
  return out;
}

}  // namespace

Stat StatFd(int fd) {
  struct statx sx {};
  if (::statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_BTIME, &sx) != 0) return {};
  return FromStatx(sx);
}

Stat StatBeneath(const std::string& root, const std::string& rel) {
  Stat out;
  if (!rel.empty() && rel.find('/') == std::string::npos && rel != "." && rel != "..") {
    // One segment that is not a symlink cannot leave root: one statx instead of two opens.
    struct statx sx {};
    std::string path = root + "/" + rel;
    if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME,
                &sx) != 0) {
      return out;
    }
    if (!S_ISLNK(sx.stx_mode)) return FromStatx(sx);
  }
  auto parent_and_base = SplitParent(rel);
  auto dir = OpenBeneath(root, rel.empty() ? "" : parent_and_base.first, O_PATH | O_DIRECTORY);
  if (!dir.ok()) return out;
  const char* name = rel.empty() ? "." : parent_and_base.second.c_str();
  struct statx sx {};
  if (::statx(dir->get(), name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME, &sx) != 0) {
    return out;
  }
  out.is_symlink = S_ISLNK(sx.stx_mode);
  if (out.is_symlink) {
    auto target = OpenBeneath(root, rel, O_PATH);
    if (!target.ok()) return out;  // dangling, or leaves the root
    if (::statx(target->get(), "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_BTIME, &sx) != 0) {
      return out;
    }
  }
  bool is_symlink = out.is_symlink;
  out = FromStatx(sx);
  out.is_symlink = is_symlink;
  return out;
}

Status MakeDirs(const std::string& root, const std::string& rel_dir) {
  if (rel_dir.empty()) return Status::Ok();
  std::string prefix;
  std::size_t start = 0;
  while (start <= rel_dir.size()) {
    std::size_t slash = rel_dir.find('/', start);
    std::string seg =
        rel_dir.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    std::string parent = prefix;
    prefix = prefix.empty() ? seg : prefix + "/" + seg;
    auto dir = OpenBeneath(root, parent, O_PATH | O_DIRECTORY);
    if (!dir.ok()) return dir.status();
    if (::mkdirat(dir->get(), seg.c_str(), 0755) != 0 && errno != EEXIST) {
      return Errno("mkdir " + prefix, errno);
    }
    auto made = OpenBeneath(root, prefix, O_PATH | O_DIRECTORY);
    if (!made.ok()) {
      if (made.status().code() == Code::kNotFound) {
        return Status::AlreadyExists("not_a_folder", "Path is not a folder");
      }
      return made.status();
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return Status::Ok();
}

Status WriteFileAtomic(const std::string& root, const std::string& rel, std::string_view data,
                       WriteMode mode) {
  auto tmp = MakeTemp(root);
  if (!tmp.ok()) return tmp.status();
  auto& [fd, path] = *tmp;
  Status w = WriteAllFd(fd.get(), data);
  if (w.ok() && ::fdatasync(fd.get()) != 0) w = Errno("sync", errno);
  if (!w.ok()) {
    ::unlink(path.c_str());
    return w;
  }
  return Place(root, path, rel, mode);
}

Status CopyFileAtomic(const std::string& root, const std::string& rel, const std::string& source,
                      WriteMode mode) {
  int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Errno("open " + source, errno);
  Fd src(in);
  auto tmp = MakeTemp(root);
  if (!tmp.ok()) return tmp.status();
  auto& [fd, path] = *tmp;
  std::string buf(1 << 16, '\0');
  Status w;
  while (true) {
    ssize_t n = ::read(src.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      w = Errno("read " + source, errno);
      break;
    }
    if (n == 0) break;
    w = WriteAllFd(fd.get(), std::string_view(buf.data(), static_cast<std::size_t>(n)));
    if (!w.ok()) break;
  }
  if (w.ok() && ::fdatasync(fd.get()) != 0) w = Errno("sync", errno);
  if (!w.ok()) {
    ::unlink(path.c_str());
    return w;
  }
  return Place(root, path, rel, mode);
}

Status RenameBeneath(const std::string& root, const std::string& from, const std::string& to,
                     bool no_replace) {
  auto [from_parent, from_base] = SplitParent(from);
  auto [to_parent, to_base] = SplitParent(to);
  auto from_dir = OpenBeneath(root, from_parent, O_PATH | O_DIRECTORY);
  if (!from_dir.ok()) return from_dir.status();
  auto to_dir = OpenBeneath(root, to_parent, O_PATH | O_DIRECTORY);
  if (!to_dir.ok()) return to_dir.status();
  if (::renameat2(from_dir->get(), from_base.c_str(), to_dir->get(), to_base.c_str(),
                  no_replace ? RENAME_NOREPLACE : 0) != 0) {
    int err = errno;
    if (err == EEXIST) return Status::AlreadyExists("exists", "Target path already exists");
    if (err == ENOENT) return Status::NotFound("file_not_found", "File not found on disk");
    return Errno("rename " + from + " to " + to, err);
  }
  return Status::Ok();
}

Status RemoveFile(const std::string& root, const std::string& rel) {
  auto [parent, base] = SplitParent(rel);
  auto dir = OpenBeneath(root, parent, O_PATH | O_DIRECTORY);
  if (!dir.ok()) return dir.status().code() == Code::kNotFound ? Status::Ok() : dir.status();
  if (::unlinkat(dir->get(), base.c_str(), 0) != 0 && errno != ENOENT) {
    return Errno("remove " + rel, errno);
  }
  return Status::Ok();
}

Status RemoveTree(const std::string& root, const std::string& rel_dir) {
  auto [parent, base] = SplitParent(rel_dir);
  auto dir = OpenBeneath(root, parent, O_RDONLY | O_DIRECTORY);
  if (!dir.ok()) return dir.status();
  return RemoveTreeAt(dir->get(), base.c_str());
}

Result<std::string> ReadAll(int fd, std::int64_t max_bytes) {
  std::string out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    if (st.st_size > max_bytes) return Status::Make(Code::kTooLarge, "too_large", "File too large");
    out.reserve(static_cast<std::size_t>(st.st_size));
  }
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read", errno);
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (static_cast<std::int64_t>(out.size()) > max_bytes) {
      return Status::Make(Code::kTooLarge, "too_large", "File too large");
    }
  }
  return out;
}

Result<std::string> ReadHead(int fd, std::size_t n) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, out.data() + got, n - got, static_cast<off_t>(got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Errno("read", errno);
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  out.resize(got);
  return out;
}

Result<std::vector<DirEntry>> ListDir(const std::string& root, const std::string& rel_dir) {
  auto dir = OpenBeneath(root, rel_dir, O_RDONLY | O_DIRECTORY);
  if (!dir.ok()) return dir.status();
  int fd = dir->release();
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    ::close(fd);
    return Errno("list " + rel_dir, errno);
  }
  std::vector<DirEntry> out;
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    DirEntry entry;
    entry.name = e->d_name;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st {};
      if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        type = S_ISDIR(st.st_mode)   ? DT_DIR
               : S_ISREG(st.st_mode) ? DT_REG
               : S_ISLNK(st.st_mode) ? DT_LNK
                                     : DT_UNKNOWN;
      }
    }
    entry.is_dir = type == DT_DIR;
    entry.is_file = type == DT_REG;
    entry.is_symlink = type == DT_LNK;
    out.push_back(std::move(entry));
  }
  ::closedir(d);
  return out;
}

Status EnsureDir(const std::string& abs_dir) {
  std::error_code ec;
  std::filesystem::create_directories(abs_dir, ec);
  if (ec) return Status::IoError("create directory " + abs_dir + ": " + ec.message());
  return Status::Ok();
}

std::string RealPath(const std::string& abs_path) {
  char buf[PATH_MAX];
  if (::realpath(abs_path.c_str(), buf) == nullptr) return {};
  return buf;
}

}  // namespace codex::fs
