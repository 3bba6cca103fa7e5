// The notebook repository over libgit2 (SEMANTICS §9). The only translation unit with <git2.h>.
#include "vcs/repository.hpp"

#include <fcntl.h>
#include <git2.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>
#include <unordered_set>
#include <utility>

#include "common/errors.hpp"
#include "common/macros.hpp"
#include "common/strings.hpp"
#include "common/time.hpp"

namespace codex::vcs {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kGitignore =
    "# Binary files\n"
    "*.jpg\n"
    "*.jpeg\n"
    "*.png\n"
    "*.gif\n"
    "*.bmp\n"
    "*.ico\n"
    "*.pdf\n"
    "*.zip\n"
    "*.tar\n"
    "*.gz\n"
    "*.rar\n"
    "*.7z\n"
    "*.exe\n"
    "*.dll\n"
    "*.so\n"
    "*.dylib\n"
    "*.mp3\n"
    "*.mp4\n"
    "*.avi\n"
    "*.mov\n"
    "*.wmv\n"
    "\n"
    "# Codex metadata\n"
    ".codex/\n"
    "\n"
    "# System files\n"
    ".DS_Store\n"
    "Thumbs.db\n"
    "__pycache__/\n"
    "*.pyc\n"
    "*.pyo\n"
    "*.pyd\n"
    ".Python\n"
    "node_modules/\n"
    ".venv/\n"
    "venv/";

constexpr std::string_view kInitMessage = "Initialize .gitignore";
constexpr std::size_t kBinarySniffBytes = 8192;
constexpr std::size_t kMaxRevisionLength = 100;
constexpr auto kStaleLockAge = std::chrono::minutes(10);

// ---- RAII over libgit2 handles ----------------------------------------------------------------

template <class T, void (*Free)(T*)>
struct GitFree {
  void operator()(T* p) const noexcept { Free(p); }
};
template <class T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitFree<T, Free>>;

using RepoPtr = GitPtr<git_repository, git_repository_free>;
using OdbPtr = GitPtr<git_odb, git_odb_free>;
using IndexPtr = GitPtr<git_index, git_index_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using TreeEntryPtr = GitPtr<git_tree_entry, git_tree_entry_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using RefPtr = GitPtr<git_reference, git_reference_free>;
using SignaturePtr = GitPtr<git_signature, git_signature_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;
using DiffPtr = GitPtr<git_diff, git_diff_free>;

class GitBuf {
 public:
  GitBuf() = default;
  ~GitBuf() { git_buf_dispose(&buf_); }
  GitBuf(const GitBuf&) = delete;
  GitBuf& operator=(const GitBuf&) = delete;
  git_buf* get() { return &buf_; }
  std::string str() const { return std::string(buf_.ptr == nullptr ? "" : buf_.ptr, buf_.size); }

 private:
  git_buf buf_ = GIT_BUF_INIT;
};

// Initialises libgit2 once per process and cuts it off from the user's system, global and XDG
// git configuration: identity, default branch, autocrlf and excludes files must not depend on
// whoever runs the daemon.
void EnsureLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // Folder trees of large notebooks exceed the 4 KiB default and would be re-read and parsed
    // for every path looked up in them.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
                     static_cast<std::size_t>(4) << 20);
    for (int level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL,
                      GIT_CONFIG_LEVEL_PROGRAMDATA}) {
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
    }
  });
}

// The last libgit2 error of this thread as a Status.
Status GitError(std::string_view what) {
  const git_error* e = git_error_last();
  std::string message(what);
  message += ": ";
  message += (e != nullptr && e->message != nullptr) ? e->message : "unknown libgit2 error";
  if (e != nullptr &&
      (e->klass == GIT_ERROR_ODB || e->klass == GIT_ERROR_OBJECT || e->klass == GIT_ERROR_ZLIB)) {
    return Status::Corruption(std::move(message));
  }
  return Status::IoError(std::move(message));
}

Status FileNotFoundAtCommit() {
  return Status::NotFound("file_not_found", "File not found at this commit");
}

// A notebook-relative path: non-empty, relative, no empty, "." or ".." segments, no NUL.
bool IsCleanRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos) {
    return false;
  }
  for (std::string_view seg : Split(path, '/')) {
    if (seg.empty() || seg == "." || seg == "..") return false;
  }
  return true;
}

// Whether the path lies in the repository's own .git directory.
bool IsInsideGitDir(std::string_view path) {
  std::string_view first = path.substr(0, path.find('/'));
  return ToLowerAscii(first) == ".git";
}

// A NUL byte in the first 8 KiB (SEMANTICS §9.3). Unreadable files count as text: they are
// either gone (staged as removals) or libgit2 reports the error when it reads them.
bool IsBinaryFile(const std::string& full_path) {
  int fd = ::open(full_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[kBinarySniffBytes];
  std::size_t got = 0;
  while (got < sizeof buf) {
    ssize_t n = ::read(fd, buf + got, sizeof buf - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return std::memchr(buf, '\0', got) != nullptr;
}

// git refuses '<', '>' and line breaks in signatures and empty names or e-mails.
std::string SanitizeIdentity(std::string_view s, std::string_view fallback) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '<' || c == '>' || c == '\n' || c == '\r' || c == '\0') continue;
    out.push_back(c);
  }
  if (Trim(out).empty()) return std::string(fallback);
  return out;
}

Result<SignaturePtr> MakeSignature(const Signature& who) {
  std::string name = SanitizeIdentity(who.name, "unknown");
  std::string email = SanitizeIdentity(who.email, "unknown@localhost");
  git_signature* sig = nullptr;
  if (git_signature_now(&sig, name.c_str(), email.c_str()) != 0) {
    return GitError("cannot create signature");
  }
  return SignaturePtr(sig);
}

// The blob id at `path` in `tree`, or nullopt when there is none (absent, or not a blob).
std::optional<git_oid> BlobIdAt(git_tree* tree, const std::string& path) {
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree, path.c_str()) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  TreeEntryPtr entry(raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::nullopt;
  return *git_tree_entry_id(entry.get());
}

bool SameBlob(const std::optional<git_oid>& a, const std::optional<git_oid>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || git_oid_equal(&*a, &*b) != 0;
}

// The path of a file with blob `blob` that `before` has and `after` does not: the old path of an
// exact rename. Compares the two trees (unchanged folders are skipped by their id).
std::optional<std::string> RenamedFrom(git_tree* before, git_tree* after, const git_oid& blob,
                                       git_repository* repo) {
  git_diff* raw = nullptr;
  if (git_diff_tree_to_tree(&raw, repo, before, after, nullptr) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  DiffPtr diff(raw);
  const std::size_t n = git_diff_num_deltas(diff.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    if (d->status == GIT_DELTA_DELETED && git_oid_equal(&d->old_file.id, &blob)) {
      return std::string(d->old_file.path);
    }
  }
  return std::nullopt;
}

// For a commit message (or one line of a batch message) "Move <a> to <b>" with b == `path`,
// the old path a.
std::optional<std::string> MovedFrom(std::string_view message, const std::string& path) {
  const std::string suffix = " to " + path;
  for (std::string_view line : Split(message, '\n')) {
    line = Trim(line);
    constexpr std::string_view kPrefix = "Move ";
    if (line.size() <= kPrefix.size() + suffix.size()) continue;
    if (line.substr(0, kPrefix.size()) != kPrefix) continue;
    if (line.substr(line.size() - suffix.size()) != suffix) continue;
    return std::string(line.substr(kPrefix.size(), line.size() - kPrefix.size() - suffix.size()));
  }
  return std::nullopt;
}

// One mutex per notebook path for initialisation, so concurrent OpenOrInit calls on a new
// directory initialise it once and the others open the result.
std::shared_ptr<std::mutex> InitMutexFor(const std::string& key) {
  static std::mutex* map_mu = new std::mutex;
  static auto* mutexes = new std::map<std::string, std::weak_ptr<std::mutex>>;
  std::lock_guard<std::mutex> lock(*map_mu);
  for (auto it = mutexes->begin(); it != mutexes->end();) {
    it = it->second.expired() ? mutexes->erase(it) : std::next(it);
  }
  std::weak_ptr<std::mutex>& slot = (*mutexes)[key];
  std::shared_ptr<std::mutex> mu = slot.lock();
  if (!mu) {
    mu = std::make_shared<std::mutex>();
    slot = mu;
  }
  return mu;
}

// Commits of every Codex process on one repository hold this lock: an flock on .git/codex.lock
// (released by the kernel when a process dies) whose content is "committing" while a commit runs.
// Finding that mark means the last commit was cut short (the process was killed): the
// index.lock it left is removed. An index.lock of a foreign git (no mark) is never touched.
class CommitLock {
 public:
  explicit CommitLock(const std::string& root) {
    std::string path = root + "/.git/codex.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd_ < 0) return;
    ::flock(fd_, LOCK_EX);
    char mark[sizeof kMark] = {};
    if (::pread(fd_, mark, sizeof kMark - 1, 0) == sizeof kMark - 1 &&
        std::string_view(mark) == kMark) {
      std::error_code ec;
      fs::remove(fs::path(root) / ".git" / "index.lock", ec);
    }
    (void)!::pwrite(fd_, kMark, sizeof kMark - 1, 0);
  }
  ~CommitLock() {
    if (fd_ < 0) return;
    (void)!::ftruncate(fd_, 0);
    ::close(fd_);
  }
  CommitLock(const CommitLock&) = delete;
  CommitLock& operator=(const CommitLock&) = delete;

 private:
  static constexpr char kMark[] = "committing";
  int fd_ = -1;
};

void RemoveStaleIndexLock(const fs::path& root) {
  std::error_code ec;
  fs::path lock = root / ".git" / "index.lock";
  auto mtime = fs::last_write_time(lock, ec);
  if (ec) return;
  if (fs::file_time_type::clock::now() - mtime > kStaleLockAge) fs::remove(lock, ec);
}

Status WriteGitignore(const fs::path& root) {
  fs::path target = root / ".gitignore";
  int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot write " + target.string());
  std::size_t done = 0;
  while (done < kGitignore.size()) {
    ssize_t n = ::write(fd, kGitignore.data() + done, kGitignore.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return Status::IoError("cannot write " + target.string());
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return Status::IoError("cannot write " + target.string());
  return Status::Ok();
}

// ---- Packs for bulk staging ------------------------------------------------------------------

std::uint32_t RotateLeft(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// SHA-1 of `data`, only for the trailer of the packs written below (object ids come from
// libgit2, which has no public raw-SHA-1 function).
std::array<unsigned char, 20> Sha1(std::string_view data) {
  std::uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  auto block = [&h](const unsigned char* p) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = (std::uint32_t{p[4 * i]} << 24) | (std::uint32_t{p[4 * i + 1]} << 16) |
             (std::uint32_t{p[4 * i + 2]} << 8) | std::uint32_t{p[4 * i + 3]};
    }
    for (int i = 16; i < 80; ++i) w[i] = RotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999u;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1u;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDCu;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6u;
      }
      std::uint32_t t = RotateLeft(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = RotateLeft(b, 30);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  };
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const std::size_t full = data.size() / 64 * 64;
  for (std::size_t i = 0; i < full; i += 64) block(bytes + i);
  unsigned char tail[128] = {};
  const std::size_t rest = data.size() - full;
  if (rest > 0) std::memcpy(tail, bytes + full, rest);
  tail[rest] = 0x80;
  const std::size_t tail_len = rest + 9 <= 64 ? 64 : 128;
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_len - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  for (std::size_t i = 0; i < tail_len; i += 64) block(tail + i);
  std::array<unsigned char, 20> out;
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<unsigned char>(h[i] >> (24 - 8 * j));
  }
  return out;
}

std::uint32_t Adler32(std::string_view data) {
  constexpr std::uint32_t kMod = 65521;
  std::uint32_t a = 1, b = 0;
  std::size_t i = 0;
  while (i < data.size()) {
    std::size_t end = std::min(data.size(), i + 5552);  // no overflow before the modulo
    for (; i < end; ++i) {
      a += static_cast<unsigned char>(data[i]);
      b += a;
    }
    a %= kMod;
    b %= kMod;
  }
  return (b << 16) | a;
}

void AppendBigEndian32(std::string* out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

// A version-2 pack of whole objects whose zlib streams use stored (uncompressed) blocks, so
// building it costs one copy and two checksums. libgit2's indexer verifies it and writes the
// .idx; a later `git gc` may recompress it. One pack file replaces thousands of loose-object
// files, which is what makes the first commit of a large notebook fast.
class PackBuilder {
 public:
  PackBuilder() { buf_.assign("PACK\0\0\0\x02\0\0\0\0", 12); }

  std::uint32_t count() const { return count_; }

  void Add(git_object_t type, std::string_view data) {
    std::size_t size = data.size();
    unsigned char c =
        static_cast<unsigned char>((static_cast<unsigned>(type) << 4) | (size & 0x0f));
    size >>= 4;
    while (size != 0) {
      buf_.push_back(static_cast<char>(c | 0x80));
      c = static_cast<unsigned char>(size & 0x7f);
      size >>= 7;
    }
    buf_.push_back(static_cast<char>(c));
    buf_.append("\x78\x01", 2);  // zlib header: deflate, 32 KiB window, no dictionary
    std::size_t pos = 0;
    do {
      const std::size_t len = std::min<std::size_t>(0xffff, data.size() - pos);
      const bool last = pos + len == data.size();
      buf_.push_back(last ? '\x01' : '\x00');
      buf_.push_back(static_cast<char>(len & 0xff));
      buf_.push_back(static_cast<char>(len >> 8));
      buf_.push_back(static_cast<char>(~len & 0xff));
      buf_.push_back(static_cast<char>((~len >> 8) & 0xff));
      buf_.append(data.substr(pos, len));
      pos += len;
    } while (pos < data.size());
    AppendBigEndian32(&buf_, Adler32(data));
    ++count_;
  }

  // The complete pack: object count patched in, SHA-1 trailer appended.
  std::string& Finish() {
    for (int i = 0; i < 4; ++i) buf_[8 + i] = static_cast<char>(count_ >> (24 - 8 * i));
    std::array<unsigned char, 20> digest = Sha1(buf_);
    buf_.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    return buf_;
  }

 private:
  std::string buf_;
  std::uint32_t count_ = 0;
};

Status WritePack(git_odb* odb, std::string& pack) {
  git_odb_writepack* writer = nullptr;
  if (git_odb_write_pack(&writer, odb, nullptr, nullptr) != 0) {
    return GitError("cannot write pack");
  }
  git_indexer_progress stats{};
  int rc = writer->append(writer, pack.data(), pack.size(), &stats);
  if (rc == 0) rc = writer->commit(writer, &stats);
  Status status = rc == 0 ? Status::Ok() : GitError("cannot write pack");
  writer->free(writer);
  return status;
}

// ---- Staging ----------------------------------------------------------------------------------

constexpr std::size_t kBulkThreshold = 128;          // staged files that switch to a pack
constexpr std::size_t kMaxInMemoryBlob = 32u << 20;  // larger files are streamed by libgit2

git_index_entry EntryFromStat(const struct stat& st, const git_oid& id) {
  git_index_entry e{};
  e.ctime.seconds = static_cast<std::int32_t>(st.st_ctim.tv_sec);
  e.ctime.nanoseconds = static_cast<std::uint32_t>(st.st_ctim.tv_nsec);
  e.mtime.seconds = static_cast<std::int32_t>(st.st_mtim.tv_sec);
  e.mtime.nanoseconds = static_cast<std::uint32_t>(st.st_mtim.tv_nsec);
  e.dev = static_cast<std::uint32_t>(st.st_dev);
  e.ino = static_cast<std::uint32_t>(st.st_ino);
  e.mode = (st.st_mode & S_IXUSR) != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
  e.uid = st.st_uid;
  e.gid = st.st_gid;
  e.file_size = static_cast<std::uint32_t>(st.st_size);
  e.id = id;
  return e;
}

// Stages work-tree files into an index. A regular file is read once: the binary check, the
// blob id and the stored content come from the same read (content filters of .gitattributes are
// not applied; files are stored byte for byte). In bulk mode new blobs go into one pack and the
// index entries are added once it is written.
class Stager {
 public:
  Stager(git_repository* repo, git_index* index, std::string_view root, bool bulk)
      : repo_(repo), index_(index), root_(root), bulk_(bulk) {}

  // `path` is clean and not ignored. Directories, sockets, unreadable and binary files are
  // skipped; a path that vanished is staged as a removal.
  Status StageFile(const std::string& path) {
    CODEX_RETURN_IF_ERROR(EnsureOdb());
    const std::string full = root_ + "/" + path;
    int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
      if (errno == ELOOP) return AddByPath(path);  // a symlink: libgit2 stores its target
      if (errno == ENOENT || errno == ENOTDIR) return Remove(path);
      if (errno == EACCES || errno == EPERM) return Status::Ok();  // unreadable: never staged
      return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return Status::Ok();
    }
    if (static_cast<std::size_t>(st.st_size) > kMaxInMemoryBlob) {
      ::close(fd);
      return IsBinaryFile(full) ? Status::Ok() : AddByPath(path);
    }
    content_.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < content_.size()) {
      ssize_t n = ::read(fd, content_.data() + got, content_.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ::close(fd);
        return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
      }
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    content_.resize(got);  // a file that shrank while being read
    if (std::memchr(content_.data(), '\0', std::min(got, kBinarySniffBytes)) != nullptr) {
      return Status::Ok();
    }
    st.st_size = static_cast<off_t>(got);

    git_oid id;
    if (!bulk_) {
      if (git_odb_write(&id, odb_.get(), content_.data(), got, GIT_OBJECT_BLOB) != 0) {
        return GitError("cannot store " + path);
      }
      git_index_entry entry = EntryFromStat(st, id);
      entry.path = path.c_str();
      if (git_index_add(index_, &entry) != 0) return GitError("cannot stage " + path);
      return Status::Ok();
    }
    if (git_odb_hash(&id, content_.data(), got, GIT_OBJECT_BLOB) != 0) {
      return GitError("cannot hash " + path);
    }
    std::string key(reinterpret_cast<const char*>(id.id), sizeof id.id);
    if (packed_.insert(key).second &&
        git_odb_exists_ext(odb_.get(), &id, GIT_ODB_LOOKUP_NO_REFRESH) == 0) {
      pack_.Add(GIT_OBJECT_BLOB, content_);
    }
    pending_.push_back({path, EntryFromStat(st, id)});
    return Status::Ok();
  }

  // Drops `path` from the index, or everything below it when it was a folder.
  Status Remove(const std::string& path) {
    if (git_index_remove_bypath(index_, path.c_str()) != 0 ||
        git_index_remove_directory(index_, path.c_str(), 0) != 0) {
      return GitError("cannot stage removal of " + path);
    }
    return Status::Ok();
  }

  // Writes the pack of a bulk stage and adds its entries. Must be called before committing.
  Status Finish() {
    if (pack_.count() > 0) {
      CODEX_RETURN_IF_ERROR(WritePack(odb_.get(), pack_.Finish()));
      pack_ = PackBuilder();
    }
    for (Pending& p : pending_) {
      p.entry.path = p.path.c_str();
      if (git_index_add(index_, &p.entry) != 0) return GitError("cannot stage " + p.path);
    }
    pending_.clear();
    return Status::Ok();
  }

 private:
  struct Pending {
    std::string path;
    git_index_entry entry;
  };

  Status EnsureOdb() {
    if (odb_) return Status::Ok();
    git_odb* raw = nullptr;
    if (git_repository_odb(&raw, repo_) != 0) return GitError("cannot open the object database");
    odb_.reset(raw);
    return Status::Ok();
  }

  Status AddByPath(const std::string& path) {
    if (git_index_add_bypath(index_, path.c_str()) != 0) return GitError("cannot stage " + path);
    return Status::Ok();
  }

  git_repository* repo_;
  git_index* index_;
  std::string root_;
  bool bulk_;
  OdbPtr odb_;
  std::string content_;
  PackBuilder pack_;
  std::unordered_set<std::string> packed_;
  std::vector<Pending> pending_;
};

// Changes between the work tree and the index under `pathspec` (a folder; nullptr = all):
// modified and deleted tracked files, untracked files outside .gitignore.
Result<DiffPtr> WorkTreeChanges(git_repository* repo, git_index* index, const char* pathspec) {
  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  opts.flags =
      GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_INCLUDE_TYPECHANGE;
  char* spec = const_cast<char*>(pathspec);
  if (pathspec != nullptr) {
    opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    opts.pathspec = git_strarray{&spec, 1};
  }
  git_diff* raw = nullptr;
  if (git_diff_index_to_workdir(&raw, repo, index, &opts) != 0) {
    return GitError("cannot scan the work tree");
  }
  return DiffPtr(raw);
}

Status StageChanges(Stager* stager, git_diff* diff, std::vector<std::string>* touched) {
  const std::size_t n = git_diff_num_deltas(diff);
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_DELETED) {
      std::string path = d->old_file.path;
      CODEX_RETURN_IF_ERROR(stager->Remove(path));
      touched->push_back(std::move(path));
    } else if (d->status == GIT_DELTA_UNTRACKED || d->status == GIT_DELTA_MODIFIED ||
               d->status == GIT_DELTA_TYPECHANGE || d->status == GIT_DELTA_ADDED) {
      std::string path = d->new_file.path;
      if (!path.empty() && path.back() == '/') continue;  // a nested repository
      CODEX_RETURN_IF_ERROR(stager->StageFile(path));
      touched->push_back(std::move(path));
    }
  }
  return Status::Ok();
}

std::size_t CountStageable(git_diff* diff) {
  std::size_t count = 0;
  const std::size_t n = git_diff_num_deltas(diff);
  for (std::size_t i = 0; i < n; ++i) {
    if (git_diff_get_delta(diff, i)->status != GIT_DELTA_DELETED) ++count;
  }
  return count;
}

// ---- Trees ------------------------------------------------------------------------------------

struct Blob {
  git_oid id;
  std::uint32_t mode;
};

bool SameEntry(const Blob& a, const Blob& b) {
  return a.mode == b.mode && git_oid_equal(&a.id, &b.id) != 0;
}

// Stage-0 index entries at `path` or below it.
void CollectIndexEntries(git_index* index, const std::string& path,
                         std::map<std::string, Blob>* out) {
  if (const git_index_entry* e = git_index_get_bypath(index, path.c_str(), 0)) {
    (*out)[path] = Blob{e->id, e->mode};
  }
  const std::string prefix = path + "/";
  std::size_t pos = 0;
  if (git_index_find_prefix(&pos, index, prefix.c_str()) != 0) {
    git_error_clear();
    return;
  }
  for (const std::size_t n = git_index_entrycount(index); pos < n; ++pos) {
    const git_index_entry* e = git_index_get_byindex(index, pos);
    if (std::strncmp(e->path, prefix.c_str(), prefix.size()) != 0) break;
    if (GIT_INDEX_ENTRY_STAGE(e) == 0) (*out)[e->path] = Blob{e->id, e->mode};
  }
}

struct TreeWalkState {
  std::string prefix;
  std::map<std::string, Blob>* out;
};

int CollectTreeEntry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<TreeWalkState*>(payload);
  if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) return 0;
  (*state->out)[state->prefix + root + git_tree_entry_name(entry)] =
      Blob{*git_tree_entry_id(entry), static_cast<std::uint32_t>(git_tree_entry_filemode(entry))};
  return 0;
}

// Non-tree entries of `tree` at `path` or below it.
Status CollectTreeEntries(git_repository* repo, git_tree* tree, const std::string& path,
                          std::map<std::string, Blob>* out) {
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree, path.c_str()) != 0) {
    git_error_clear();
    return Status::Ok();
  }
  TreeEntryPtr entry(raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
    (*out)[path] = Blob{*git_tree_entry_id(entry.get()),
                        static_cast<std::uint32_t>(git_tree_entry_filemode(entry.get()))};
    return Status::Ok();
  }
  git_tree* sub_raw = nullptr;
  if (git_tree_lookup(&sub_raw, repo, git_tree_entry_id(entry.get())) != 0) {
    return GitError("cannot read tree " + path);
  }
  TreePtr sub(sub_raw);
  TreeWalkState state{path + "/", out};
  if (git_tree_walk(sub.get(), GIT_TREEWALK_PRE, CollectTreeEntry, &state) != 0) {
    return GitError("cannot read tree " + path);
  }
  return Status::Ok();
}

// HEAD's tree with the index's state of `touched` paths (and everything below them) applied.
// nullopt when libgit2 cannot apply the change (a file replaced by a folder or the reverse).
Result<std::optional<git_oid>> UpdatedTree(git_repository* repo, git_index* index,
                                           git_tree* head_tree,
                                           const std::vector<std::string>& touched) {
  std::map<std::string, Blob> want, have;
  for (const std::string& path : touched) {
    CollectIndexEntries(index, path, &want);
    CODEX_RETURN_IF_ERROR(CollectTreeEntries(repo, head_tree, path, &have));
  }
  std::vector<git_tree_update> updates;
  for (const auto& [path, blob] : want) {
    auto it = have.find(path);
    if (it != have.end() && SameEntry(it->second, blob)) continue;
    updates.push_back(
        {GIT_TREE_UPDATE_UPSERT, blob.id, static_cast<git_filemode_t>(blob.mode), path.c_str()});
  }
  for (const auto& [path, blob] : have) {
    if (want.count(path) != 0) continue;
    updates.push_back({GIT_TREE_UPDATE_REMOVE, blob.id, GIT_FILEMODE_BLOB, path.c_str()});
  }
  if (updates.empty()) return std::optional<git_oid>(*git_tree_id(head_tree));
  git_oid out;
  if (git_tree_create_updated(&out, repo, head_tree, updates.size(), updates.data()) != 0) {
    git_error_clear();
    return std::optional<git_oid>();
  }
  return std::optional<git_oid>(out);
}

}  // namespace

std::string_view DefaultGitignore() noexcept { return kGitignore; }

struct Repository::Impl {
  std::mutex mu;
  RepoPtr repo;
  std::string root;  // the work tree, without a trailing slash
  Signature committer;

  // The repository's index, refreshed from disk when another writer changed it.
  Result<IndexPtr> LoadIndex() {
    git_index* raw = nullptr;
    if (git_repository_index(&raw, repo.get()) != 0) return GitError("cannot open the index");
    IndexPtr index(raw);
    if (git_index_read(index.get(), 0) != 0) return GitError("cannot read the index");
    return index;
  }

  bool IsIgnoredLocked(const std::string& path) {
    if (IsInsideGitDir(path)) return true;
    int ignored = 0;
    if (git_ignore_path_is_ignored(&ignored, repo.get(), path.c_str()) != 0) {
      git_error_clear();
      return false;
    }
    return ignored != 0;
  }

  // Stages one requested path: a file, a folder (every change below it) or a removal.
  Status StagePath(Stager* stager, git_index* index, const std::string& path) {
    std::error_code ec;
    fs::file_status st = fs::symlink_status(root + "/" + path, ec);
    if (ec || !fs::exists(st)) return stager->Remove(path);
    if (IsIgnoredLocked(path)) return Status::Ok();
    if (!fs::is_directory(st)) return stager->StageFile(path);
    CODEX_ASSIGN_OR_RETURN(DiffPtr diff, WorkTreeChanges(repo.get(), index, path.c_str()));
    std::vector<std::string> below;  // already covered by `path` in the tree update
    return StageChanges(stager, diff.get(), &below);
  }

  // Writes the index and commits when the resulting tree differs from HEAD's (or there is no
  // HEAD). The tree is HEAD's with `touched` paths updated from the index, or, when `full` (or
  // no HEAD), the whole index written as a tree.
  Result<std::optional<std::string>> Commit(git_index* index,
                                            const std::vector<std::string>& touched, bool full,
                                            const std::string& message, const Signature& author) {
    CommitPtr parent;
    TreePtr parent_tree;
    git_reference* head_raw = nullptr;
    int rc = git_repository_head(&head_raw, repo.get());
    if (rc == 0) {
      RefPtr head(head_raw);
      git_object* peeled = nullptr;
      if (git_reference_peel(&peeled, head.get(), GIT_OBJECT_COMMIT) != 0) {
        return GitError("cannot resolve HEAD");
      }
      parent.reset(reinterpret_cast<git_commit*>(peeled));
      git_tree* tree_raw = nullptr;
      if (git_commit_tree(&tree_raw, parent.get()) != 0) return GitError("cannot read HEAD");
      parent_tree.reset(tree_raw);
    } else if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
      git_error_clear();
    } else {
      return GitError("cannot resolve HEAD");
    }

    std::optional<git_oid> tree_id;
    if (parent_tree && !full) {
      CODEX_ASSIGN_OR_RETURN(tree_id, UpdatedTree(repo.get(), index, parent_tree.get(), touched));
    }
    if (!tree_id) {
      tree_id.emplace();
      if (git_index_write_tree(&*tree_id, index) != 0) return GitError("cannot write the tree");
    }
    if (git_index_write(index) != 0) return GitError("cannot write the index");
    if (parent_tree && git_oid_equal(git_tree_id(parent_tree.get()), &*tree_id) != 0) {
      return std::optional<std::string>();
    }

    git_tree* tree_raw = nullptr;
    if (git_tree_lookup(&tree_raw, repo.get(), &*tree_id) != 0) return GitError("missing tree");
    TreePtr tree(tree_raw);
    CODEX_ASSIGN_OR_RETURN(SignaturePtr author_sig, MakeSignature(author));
    CODEX_ASSIGN_OR_RETURN(SignaturePtr committer_sig, MakeSignature(committer));
    const git_commit* parents[1] = {parent.get()};
    git_oid commit_id;
    if (git_commit_create(&commit_id, repo.get(), "HEAD", author_sig.get(), committer_sig.get(),
                          nullptr, message.c_str(), tree.get(), parent ? 1 : 0, parents) != 0) {
      return GitError("cannot commit");
    }
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &commit_id);
    return std::optional<std::string>(std::string(hex));
  }

  Result<std::optional<std::string>> CommitPathsLocked(const std::vector<std::string>& paths,
                                                       const std::string& message,
                                                       const Signature& author) {
    for (const std::string& path : paths) {
      if (!IsCleanRelativePath(path)) return errors::InvalidFilePath();
    }
    CODEX_ASSIGN_OR_RETURN(IndexPtr index, LoadIndex());
    Stager stager(repo.get(), index.get(), root, paths.size() >= kBulkThreshold);
    std::vector<std::string> touched;
    for (const std::string& path : paths) {
      if (IsInsideGitDir(path)) continue;
      CODEX_RETURN_IF_ERROR(StagePath(&stager, index.get(), path));
      touched.push_back(path);
    }
    CODEX_RETURN_IF_ERROR(stager.Finish());
    return Commit(index.get(), touched, /*full=*/false, message, author);
  }

  Result<std::optional<std::string>> CommitAllLocked(const std::string& message,
                                                     const Signature& author) {
    CODEX_ASSIGN_OR_RETURN(IndexPtr index, LoadIndex());
    CODEX_ASSIGN_OR_RETURN(DiffPtr diff, WorkTreeChanges(repo.get(), index.get(), nullptr));
    const bool bulk = CountStageable(diff.get()) >= kBulkThreshold;
    Stager stager(repo.get(), index.get(), root, bulk);
    std::vector<std::string> touched;
    CODEX_RETURN_IF_ERROR(StageChanges(&stager, diff.get(), &touched));
    CODEX_RETURN_IF_ERROR(stager.Finish());
    return Commit(index.get(), touched, /*full=*/bulk, message, author);
  }

  // The tree of revision `rev`, or the file-not-found error of §9.5.
  Result<TreePtr> TreeOf(const std::string& rev) {
    if (rev.empty() || rev.size() > kMaxRevisionLength || rev.find('\0') != std::string::npos) {
      return FileNotFoundAtCommit();
    }
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo.get(), rev.c_str()) != 0) {
      git_error_clear();
      return FileNotFoundAtCommit();
    }
    ObjectPtr obj(raw);
    git_object* tree = nullptr;
    if (git_object_peel(&tree, obj.get(), GIT_OBJECT_TREE) != 0) {
      git_error_clear();
      return FileNotFoundAtCommit();
    }
    return TreePtr(reinterpret_cast<git_tree*>(tree));
  }
};

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::~Repository() = default;

Result<std::unique_ptr<Repository>> Repository::OpenOrInit(const std::string& root,
                                                           const Signature& committer) {
  EnsureLibgit2();
  std::error_code ec;
  fs::path dir = fs::absolute(root, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return Status::IoError("notebook directory does not exist: " + root);
  }
  dir = fs::weakly_canonical(dir, ec);
  if (ec) return Status::IoError("cannot resolve notebook directory: " + root);

  std::shared_ptr<std::mutex> init_mu = InitMutexFor(dir.string());
  std::lock_guard<std::mutex> init_lock(*init_mu);
  RemoveStaleIndexLock(dir);

  auto impl = std::make_unique<Impl>();
  impl->root = dir.string();
  impl->committer = committer;

  git_repository* raw = nullptr;
  int rc =
      git_repository_open_ext(&raw, impl->root.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  if (rc == 0) {
    impl->repo.reset(raw);
    return std::unique_ptr<Repository>(new Repository(std::move(impl)));
  }
  if (rc != GIT_ENOTFOUND) return GitError("cannot open repository at " + impl->root);
  git_error_clear();

  git_repository_init_options opts;
  git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
  opts.flags = GIT_REPOSITORY_INIT_NO_REINIT;
  opts.initial_head = "main";
  if (git_repository_init_ext(&raw, impl->root.c_str(), &opts) != 0) {
    return GitError("cannot initialise repository at " + impl->root);
  }
  impl->repo.reset(raw);
  CODEX_RETURN_IF_ERROR(WriteGitignore(dir));
  CODEX_ASSIGN_OR_RETURN(
      std::optional<std::string> sha,
      impl->CommitPathsLocked({".gitignore"}, std::string(kInitMessage), committer));
  (void)sha;
  return std::unique_ptr<Repository>(new Repository(std::move(impl)));
}

Result<std::optional<std::string>> Repository::CommitPaths(const std::vector<std::string>& paths,
                                                           const std::string& message,
                                                           const Signature& author) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  CommitLock across_processes(impl_->root);
  return impl_->CommitPathsLocked(paths, message, author);
}

Result<std::optional<std::string>> Repository::CommitAll(const std::string& message,
                                                         const Signature& author) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  CommitLock across_processes(impl_->root);
  return impl_->CommitAllLocked(message, author);
}

bool Repository::IsIgnored(const std::string& path) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->IsIgnoredLocked(path);
}

Result<std::vector<PathChange>> Repository::PendingChanges() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  TreePtr head;
  if (auto tree = impl_->TreeOf("HEAD"); tree.ok()) head = std::move(*tree);  // none: all new
  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  opts.flags =
      GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_workdir_with_index(&raw, impl_->repo.get(), head.get(), &opts) != 0) {
    return GitError("cannot compare the work tree with HEAD");
  }
  DiffPtr diff(raw);
  std::vector<PathChange> out;
  const std::size_t n = git_diff_num_deltas(diff.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    const git_delta_t status = d->status;
    if (status == GIT_DELTA_DELETED) {
      out.push_back({PathChange::Kind::kDeleted, d->old_file.path});
      continue;
    }
    std::string path = d->new_file.path;
    if (path.empty() || path.back() == '/') continue;  // a nested repository
    if (status == GIT_DELTA_ADDED || status == GIT_DELTA_UNTRACKED) {
      out.push_back({PathChange::Kind::kAdded, std::move(path)});
    } else if (status == GIT_DELTA_MODIFIED || status == GIT_DELTA_TYPECHANGE) {
      out.push_back({PathChange::Kind::kModified, std::move(path)});
    }
  }
  return out;
}

void Repository::ReleaseMemory() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, impl_->root.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) !=
      0) {
    git_error_clear();  // keep the open one
    return;
  }
  impl_->repo.reset(raw);
}

Result<std::vector<CommitInfo>> Repository::History(const std::string& path, int max_count,
                                                    int skip) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<CommitInfo> out;
  if (max_count == 0) return out;
  git_repository* repo = impl_->repo.get();
  if (git_repository_head_unborn(repo) == 1) return out;

  git_revwalk* walk_raw = nullptr;
  if (git_revwalk_new(&walk_raw, repo) != 0) return GitError("cannot walk history");
  RevwalkPtr walk(walk_raw);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  if (git_revwalk_push_head(walk.get()) != 0) return GitError("cannot walk history");

  std::string current = path;
  int skipped = 0;
  git_oid id;
  while (git_revwalk_next(&id, walk.get()) == 0) {
    git_commit* commit_raw = nullptr;
    if (git_commit_lookup(&commit_raw, repo, &id) != 0) return GitError("cannot read commit");
    CommitPtr commit(commit_raw);
    git_tree* tree_raw = nullptr;
    if (git_commit_tree(&tree_raw, commit.get()) != 0) return GitError("cannot read tree");
    TreePtr tree(tree_raw);
    std::optional<git_oid> blob = BlobIdAt(tree.get(), current);

    unsigned parent_count = git_commit_parentcount(commit.get());
    bool differs = parent_count > 0 || blob.has_value();
    TreePtr first_parent_tree;
    bool added = false;  // the file appears here, absent from the (only) parent
    for (unsigned i = 0; i < parent_count && differs; ++i) {
      git_commit* parent_raw = nullptr;
      if (git_commit_parent(&parent_raw, commit.get(), i) != 0) {
        return GitError("cannot read parent commit");
      }
      CommitPtr parent(parent_raw);
      git_tree* parent_tree_raw = nullptr;
      if (git_commit_tree(&parent_tree_raw, parent.get()) != 0) {
        return GitError("cannot read tree");
      }
      TreePtr parent_tree(parent_tree_raw);
      std::optional<git_oid> before = BlobIdAt(parent_tree.get(), current);
      if (SameBlob(blob, before)) differs = false;
      if (i == 0) {
        added = parent_count == 1 && blob && !before;
        first_parent_tree = std::move(parent_tree);
      }
    }
    if (!differs) continue;

    const char* raw_message = git_commit_message(commit.get());
    std::string_view message = raw_message == nullptr ? "" : raw_message;
    if (skipped < skip) {
      ++skipped;
    } else {
      CommitInfo info;
      char hex[GIT_OID_HEXSZ + 1];
      git_oid_tostr(hex, sizeof hex, &id);
      info.hash = hex;
      const git_signature* author = git_commit_author(commit.get());
      info.author = author != nullptr && author->name != nullptr ? author->name : "";
      std::int64_t seconds = author != nullptr ? author->when.time : 0;
      info.date = FormatTimeNs(seconds * 1000000000);
      info.message = std::string(Trim(message));
      out.push_back(std::move(info));
      if (max_count > 0 && static_cast<int>(out.size()) >= max_count) break;
    }
    if (std::optional<std::string> from = MovedFrom(message, current)) {
      current = *from;
    } else if (added) {
      // Renamed by a commit that does not say so ("Auto-commit: b.md", git mv): the same
      // content deleted elsewhere in this commit.
      if (std::optional<std::string> renamed =
              RenamedFrom(first_parent_tree.get(), tree.get(), *blob, repo)) {
        current = *renamed;
      }
    }
  }
  git_error_clear();
  return out;
}

Result<std::string> Repository::ReadAt(const std::string& rev, const std::string& path) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  CODEX_ASSIGN_OR_RETURN(TreePtr tree, impl_->TreeOf(rev));
  std::optional<git_oid> blob_id = BlobIdAt(tree.get(), path);
  if (!blob_id) return FileNotFoundAtCommit();
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, impl_->repo.get(), &*blob_id) != 0) {
    git_error_clear();
    return FileNotFoundAtCommit();
  }
  BlobPtr blob(raw);
  std::string content(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                      static_cast<std::size_t>(git_blob_rawsize(blob.get())));
  if (!IsValidUtf8(content)) return FileNotFoundAtCommit();
  return content;
}

Result<std::string> Repository::Diff(const std::string& path, const std::string& rev_a,
                                     const std::string& rev_b) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (!IsCleanRelativePath(path)) return FileNotFoundAtCommit();
  CODEX_ASSIGN_OR_RETURN(TreePtr tree_a, impl_->TreeOf(rev_a));
  bool exists = BlobIdAt(tree_a.get(), path).has_value();

  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  opts.context_lines = 3;
  opts.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH;
  char* spec = const_cast<char*>(path.c_str());
  opts.pathspec = git_strarray{&spec, 1};

  git_diff* raw = nullptr;
  if (rev_b.empty()) {
    std::error_code ec;
    exists = exists || fs::is_regular_file(impl_->root + "/" + path, ec);
    opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
                  GIT_DIFF_SHOW_UNTRACKED_CONTENT;
    if (!exists) return FileNotFoundAtCommit();
    if (git_diff_tree_to_workdir(&raw, impl_->repo.get(), tree_a.get(), &opts) != 0) {
      return GitError("cannot diff " + path);
    }
  } else {
    CODEX_ASSIGN_OR_RETURN(TreePtr tree_b, impl_->TreeOf(rev_b));
    exists = exists || BlobIdAt(tree_b.get(), path).has_value();
    if (!exists) return FileNotFoundAtCommit();
    if (git_diff_tree_to_tree(&raw, impl_->repo.get(), tree_a.get(), tree_b.get(), &opts) != 0) {
      return GitError("cannot diff " + path);
    }
  }
  DiffPtr diff(raw);
  GitBuf buf;
  if (git_diff_to_buf(buf.get(), diff.get(), GIT_DIFF_FORMAT_PATCH) != 0) {
    return GitError("cannot format diff of " + path);
  }
  return buf.str();
}

}  // namespace codex::vcs
