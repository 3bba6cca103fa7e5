// Filesystem operations confined to a directory tree (SEMANTICS §2 step 8): every open resolves
// beneath the notebook root (openat2 RESOLVE_BENEATH), so a symlink swapped in after the path
// guard ran still cannot redirect a read or write outside. Writes are atomic (temp + rename).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codex/status.hpp"

namespace codex::fs {

// An owned file descriptor; closes on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const noexcept { return fd_; }
  // Gives up ownership.
  int release() noexcept;
  bool valid() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct Stat {
  bool exists = false;
  bool is_dir = false;
  bool is_file = false;
  bool is_symlink = false;  // of the final component itself (lstat)
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t birth_ns = 0;  // 0 when the filesystem does not report it
  std::int64_t ctime_ns = 0;
};

// Opens `rel` ("" = root itself) beneath `root` (absolute). Errors: kNotFound "file_not_found"
// when missing, kPermissionDenied "path_forbidden" when the resolution leaves root, kIoError.
Result<Fd> OpenBeneath(const std::string& root, const std::string& rel, int flags,
                       mode_t mode = 0644);
// stat of an open descriptor.
Stat StatFd(int fd);
// stat of root/rel (following symlinks that stay beneath root; the final one reported).
Stat StatBeneath(const std::string& root, const std::string& rel);
// mkdir -p of a relative directory beneath root. Errors: kAlreadyExists "not_a_folder" when a
// component is a file, kIoError.
Status MakeDirs(const std::string& root, const std::string& rel_dir);

enum class WriteMode { kReplace, kCreateNew };
// Writes `data` to root/rel through a temp file in root/.codex/tmp, synced, then renamed into
// place (watchers never see a partial file). kCreateNew fails with kAlreadyExists "exists"
// when the target exists. Parent directories must exist.
Status WriteFileAtomic(const std::string& root, const std::string& rel, std::string_view data,
                       WriteMode mode);
// As WriteFileAtomic with the bytes of the local file `source` (streamed, never whole in memory).
Status CopyFileAtomic(const std::string& root, const std::string& rel, const std::string& source,
                      WriteMode mode);
// Renames root/from to root/to (both beneath root). no_replace: kAlreadyExists when `to` exists.
Status RenameBeneath(const std::string& root, const std::string& from, const std::string& to,
                     bool no_replace);
// Removes a file (not a directory). Missing is not an error.
Status RemoveFile(const std::string& root, const std::string& rel);
// Removes a directory with everything in it (symlinks removed, never followed). Missing is not
// an error, nor are entries that another process removes or adds while it runs (a few passes).
Status RemoveTree(const std::string& root, const std::string& rel_dir);

// Whole content of an open file, at most max_bytes (kTooLarge beyond).
Result<std::string> ReadAll(int fd, std::int64_t max_bytes);
// At most n bytes from the start of the file.
Result<std::string> ReadHead(int fd, std::size_t n);

// Names of the entries of root/rel_dir (not . and ..), unsorted.
struct DirEntry {
  std::string name;
  bool is_dir = false;
  bool is_file = false;
  bool is_symlink = false;
};
Result<std::vector<DirEntry>> ListDir(const std::string& root, const std::string& rel_dir);

// Plain absolute-path helpers for the data directory (not user input).
Status EnsureDir(const std::string& abs_dir);
std::string RealPath(const std::string& abs_path);  // "" when it does not resolve

}  // namespace codex::fs
