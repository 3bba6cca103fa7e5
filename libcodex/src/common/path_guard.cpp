#include "common/path_guard.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <vector>

#include "common/errors.hpp"
#include "common/strings.hpp"

namespace codex {
namespace {

constexpr std::size_t kMaxSegment = 255;
constexpr std::size_t kMaxPath = 4096;

bool IsForbidden(std::string_view segment) noexcept {
  std::string lower = ToLowerAscii(segment);
  return lower == ".codex" || lower == ".git";
}

bool IsUnder(const std::string& root, const std::string& path) {
  if (path == root) return true;
  if (root == "/") return true;
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

std::string RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return {};
  return buf;
}

// The resolved location must stay under root and out of .codex/ and .git/.
PathError CheckResolved(const std::string& root, const std::string& resolved) {
  if (resolved.empty() || !IsUnder(root, resolved)) return PathError::kEscape;
  if (resolved.size() > root.size() && HasForbiddenSegment(resolved.substr(root.size() + 1))) {
    return PathError::kForbidden;
  }
  return PathError::kNone;
}

}  // namespace

bool HasForbiddenSegment(std::string_view rel) noexcept {
  for (auto seg : Split(rel, '/')) {
    if (IsForbidden(seg)) return true;
  }
  return false;
}

PathError CanonicalizeLexical(std::string_view input, PathKind kind, std::string* out) {
  if (!IsValidUtf8(input) || input.find('\0') != std::string_view::npos) {
    return PathError::kMalformed;
  }
  if (!input.empty() && input.front() == '/') return PathError::kMalformed;
  std::vector<std::string_view> kept;
  for (auto seg : Split(input, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (kept.empty()) return PathError::kEscape;
      kept.pop_back();
      continue;
    }
    if (seg.size() > kMaxSegment) return PathError::kMalformed;
    kept.push_back(seg);
  }
  std::string joined;
  for (auto seg : kept) {
    if (!joined.empty()) joined.push_back('/');
    joined.append(seg);
  }
  if (joined.size() > kMaxPath) return PathError::kMalformed;
  for (auto seg : kept) {
    if (IsForbidden(seg)) return PathError::kForbidden;
  }
  if (kind == PathKind::kFile && joined.empty()) return PathError::kMalformed;
  *out = std::move(joined);
  return PathError::kNone;
}

PathError CheckContainment(const std::string& root, const std::string& rel) {
  if (rel.empty()) return PathError::kNone;
  std::string cur = root;
  for (auto seg : Split(rel, '/')) {
    std::string next = cur + "/" + std::string(seg);
    struct stat st {};
    if (::lstat(next.c_str(), &st) != 0) return PathError::kNone;  // the rest does not exist
    if (S_ISLNK(st.st_mode)) {
      std::string resolved = RealPath(next);
      PathError e = CheckResolved(root, resolved);
      if (e != PathError::kNone) return e;
      cur = resolved;
    } else {
      cur = std::move(next);
    }
  }
  return PathError::kNone;
}

Status PathErrorStatus(PathError error, PathKind kind) {
  bool folder = kind == PathKind::kFolder;
  switch (error) {
    case PathError::kNone:
      return Status::Ok();
    case PathError::kMalformed:
      return folder ? errors::InvalidFolderPath() : errors::InvalidFilePath();
    case PathError::kEscape:
    case PathError::kForbidden:
      return folder ? errors::FolderAccessDenied() : errors::FileAccessDenied();
  }
  return Status::Internal("unknown path error");
}

Result<std::string> GuardPath(const std::string& root, std::string_view input, PathKind kind) {
  std::string rel;
  PathError e = CanonicalizeLexical(input, kind, &rel);
  if (e == PathError::kNone) e = CheckContainment(root, rel);
  if (e != PathError::kNone) return PathErrorStatus(e, kind);
  return rel;
}

}  // namespace codex
