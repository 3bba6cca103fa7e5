// Link resolution inside a notebook (SEMANTICS §8).
#include "codex/files.hpp"
#include "common/errors.hpp"
#include "common/path_guard.hpp"
#include "core/access.hpp"
#include "files/file_ops.hpp"

namespace codex {
namespace {

Status InvalidLink(const std::string& message) {
  return Status::InvalidArgument("invalid_link", message);
}

std::string PercentDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

Result<ResolvedLink> Files::ResolveLink(const Principal& who, NotebookRef nbref,
                                        std::string_view link,
                                        std::optional<std::string_view> current_file) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  std::optional<std::string> current;
  if (current_file) {
    std::string canonical;
    if (CanonicalizeLexical(*current_file, PathKind::kFile, &canonical) != PathError::kNone) {
      return InvalidLink("Invalid link path: " + std::string(*current_file));
    }
    current = std::move(canonical);
  }
  std::string target = PercentDecode(link);
  target = target.substr(0, target.find('#'));
  target = target.substr(0, target.find('?'));
  std::string current_dir = current ? ParentDir(*current) : "";
  auto in_current_dir = [&](const std::string& rel) {
    return current_dir.empty() ? rel : current_dir + "/" + rel;
  };
  std::string joined;
  if (target.empty()) {
    if (!current) return InvalidLink("Empty link with no current file context");
    joined = *current;
  } else if (target.front() == '/') {
    std::size_t start = target.find_first_not_of('/');
    joined = start == std::string::npos ? "" : target.substr(start);
  } else if (target.rfind("./", 0) == 0 || target.rfind("../", 0) == 0) {
    if (!current) return InvalidLink("Relative link requires current file context");
    joined = in_current_dir(target);
  } else if (target.find('/') != std::string::npos) {
    joined = target;
  } else {
    joined = current ? in_current_dir(target) : target;
  }
  std::string resolved;
  PathError e = CanonicalizeLexical(joined, PathKind::kFile, &resolved);
  if (e == PathError::kNone) e = CheckContainment(nb->root, resolved);
  if (e == PathError::kEscape) {
    return InvalidLink("Link resolves outside notebook: " + std::string(link));
  }
  if (e != PathError::kNone) return InvalidLink("Invalid link path: " + std::string(link));
  auto& store = nb->handle->store();
  auto row = store.GetByPath(resolved);
  if (!row.ok()) return row.status();
  if (!row->has_value() && resolved.find('/') == std::string::npos) {
    row = store.FirstByFilename(resolved);
    if (!row.ok()) return row.status();
  }
  if (!row->has_value()) return errors::FileNotFoundAt(resolved);
  return ResolvedLink{std::move(**row), resolved};
}

}  // namespace codex
