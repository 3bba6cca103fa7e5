// The token signing key (SEMANTICS §1.2 step 2).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "codex/auth.hpp"
#include "common/fs.hpp"
#include "crypto/crypto.hpp"

namespace codex {
namespace {

constexpr std::string_view kPlaceholder = "your-secret-key-change-in-production";
constexpr std::size_t kKeyBytes = 32;
constexpr off_t kMaxKeyFileBytes = 4096;

Status Errno(const std::string& what, int err) {
  return Status::IoError(what + ": " + std::strerror(err));
}

Status Insecure() {
  return Status::InvalidArgument(
      "insecure_secret_key",
      "The secret key is the published placeholder value; set CODEX_SECRET_KEY to a random value");
}

// An owned descriptor, closed on every path.
struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

// The content of an existing key file; nullopt (with *status ok) when there is none.
Result<std::optional<std::string>> ReadKeyFile(const std::string& path, std::string* warning) {
  FdCloser f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (f.fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return Errno("open " + path, errno);
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return Errno("stat " + path, errno);
  if (!S_ISREG(st.st_mode)) return Status::IoError(path + " is not a regular file");
  if (st.st_size > kMaxKeyFileBytes) return Status::IoError(path + " is too large for a key");
  if ((st.st_mode & 077) != 0 && warning != nullptr) {
    *warning = path + " is readable by other users; chmod 600 it";
  }
  std::string key(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < key.size()) {
    ssize_t n = ::read(f.fd, key.data() + done, key.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read " + path, errno);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  key.resize(done);
  // An empty key file is damage, not absence: replacing it silently would orphan anything
  // encrypted under the old key.
  if (key.empty()) return Status::IoError(path + " is empty; remove it to create a new key");
  return std::optional<std::string>(std::move(key));
}

// Writes a fresh key to a 0600 temp file and renames it into place without replacing a key
// another process wrote meanwhile (that one wins and is returned).
Result<std::string> CreateKeyFile(const std::string& dir, const std::string& path,
                                  std::string* warning) {
  std::string key = crypto::RandomBytes(kKeyBytes);
  std::string tmp = dir + "/.secret.key." + crypto::RandomHex(8) + ".tmp";
  {
    FdCloser f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                      S_IRUSR | S_IWUSR)};
    if (f.fd < 0) return Errno("create " + tmp, errno);
    // The umask cannot widen 0600, but an inherited ACL default could: set it explicitly.
    if (::fchmod(f.fd, S_IRUSR | S_IWUSR) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      return Errno("chmod " + tmp, err);
    }
    std::size_t done = 0;
    while (done < key.size()) {
      ssize_t n = ::write(f.fd, key.data() + done, key.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return Errno("write " + tmp, err);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(f.fd) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      return Errno("fsync " + tmp, err);
    }
  }
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    if (err != EEXIST) return Errno("rename " + tmp + " to " + path, err);
    auto existing = ReadKeyFile(path, warning);
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) return Status::IoError(path + " vanished while being created");
    return std::move(**existing);
  }
  FdCloser d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (d.fd >= 0) (void)::fsync(d.fd);  // best effort: the key is in place either way
  return key;
}

}  // namespace

Result<std::string> LoadSecretKey(const std::string& data_dir, std::string* warning) {
  if (warning != nullptr) warning->clear();
  for (const char* name : {"CODEX_SECRET_KEY", "SECRET_KEY"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    std::string key(value);
    if (key == kPlaceholder) return Insecure();
    if (key.size() < kKeyBytes && warning != nullptr) {
      *warning = std::string(name) + " is " + std::to_string(key.size()) +
                 " bytes long; use at least 32 random bytes";
    }
    return key;
  }
  Status made = fs::EnsureDir(data_dir);
  if (!made.ok()) return made;
  std::string path = data_dir + "/secret.key";
  auto existing = ReadKeyFile(path, warning);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    if (**existing == kPlaceholder) return Insecure();
    return std::move(**existing);
  }
  return CreateKeyFile(data_dir, path, warning);
}

}  // namespace codex
