// Sidecar files (SEMANTICS §5.1–§5.2) and the paths the indexer ignores (§7.1).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codex::index {

// Does this notebook-relative path exist (as anything)? Scans answer from a directory listing.
using ExistsFn = std::function<bool(const std::string& rel)>;

// The sidecars of a main file, each kind read from its plain name, else its dot name (§6.4).
struct Sidecars {
  std::optional<std::string> json;
  std::optional<std::string> xml;
  std::optional<std::string> md;
  // The row's sidecar_path: the first found in resolution order (json, xml, md; plain first).
  std::optional<std::string> primary() const;
  std::vector<std::string> all() const;
};

// The six candidate names of `main`, in resolution order: F.json, .F.json, F.xml, .F.xml, F.md,
// .F.md (same directory).
std::vector<std::string> SidecarCandidates(std::string_view main);
Sidecars FindSidecars(std::string_view main, const ExistsFn& exists);

// §5.2 resolve(p): the main file that `p` belongs to — `p` itself unless it is a sidecar of an
// existing file.
std::string ResolveMain(std::string_view p, const ExistsFn& exists);

// For a sidecar name that follows `old_main`, the same style of name for `new_main`
// (notes/.a.md.json, a.md → b.md gives notes/.b.md.json). nullopt if it is not one of its sidecars.
std::optional<std::string> RenameSidecar(std::string_view sidecar, std::string_view old_main,
                                         std::string_view new_main);

// §7.1: a segment .codex, .git, __pycache__ or node_modules; a basename .DS_Store, .gitignore,
// .metadata; editor temporaries (*.swp, *.swx, *~, .#*, 4913).
bool IsIgnoredPath(std::string_view rel) noexcept;
bool IsIgnoredDirName(std::string_view name) noexcept;
bool IsIgnoredFileName(std::string_view name) noexcept;

}  // namespace codex::index
