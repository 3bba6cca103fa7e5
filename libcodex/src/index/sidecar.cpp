#include "index/sidecar.hpp"

#include <array>

namespace codex::index {
namespace {

constexpr std::array<std::string_view, 3> kExts = {".json", ".xml", ".md"};

std::pair<std::string, std::string> SplitDir(std::string_view p) {
  std::size_t slash = p.rfind('/');
  if (slash == std::string_view::npos) return {"", std::string(p)};
  return {std::string(p.substr(0, slash + 1)), std::string(p.substr(slash + 1))};
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<std::string> Sidecars::primary() const {
  if (json) return json;
  if (xml) return xml;
  return md;
}

std::vector<std::string> Sidecars::all() const {
  std::vector<std::string> out;
  for (const auto* s : {&json, &xml, &md}) {
    if (*s) out.push_back(**s);
  }
  return out;
}

std::vector<std::string> SidecarCandidates(std::string_view main) {
  auto [dir, name] = SplitDir(main);
  std::vector<std::string> out;
  for (auto ext : kExts) {
    out.push_back(dir + name + std::string(ext));
    out.push_back(dir + "." + name + std::string(ext));
  }
  return out;
}

Sidecars FindSidecars(std::string_view main, const ExistsFn& exists) {
  auto [dir, name] = SplitDir(main);
  Sidecars s;
  std::optional<std::string>* slots[] = {&s.json, &s.xml, &s.md};
  for (std::size_t i = 0; i < kExts.size(); ++i) {
    std::string plain = dir + name + std::string(kExts[i]);
    std::string dot = dir + "." + name + std::string(kExts[i]);
    if (exists(plain)) {
      *slots[i] = plain;
    } else if (exists(dot)) {
      *slots[i] = dot;
    }
  }
  return s;
}

std::string ResolveMain(std::string_view p, const ExistsFn& exists) {
  auto [dir, name] = SplitDir(p);
  std::string path(p);
  for (auto ext : kExts) {
    if (exists(path + std::string(ext))) return path;              // rule 1
    if (exists(dir + "." + name + std::string(ext))) return path;  // rule 2
    if (EndsWith(name, ext) && name.size() > ext.size()) {         // rule 3
      std::string main = path.substr(0, path.size() - ext.size());
      if (exists(main)) return main;
    }
    if (name.size() > ext.size() + 1 && name[0] == '.' && EndsWith(name, ext)) {  // rule 4
      std::string main = dir + name.substr(1, name.size() - 1 - ext.size());
      if (exists(main)) return main;
    }
  }
  return path;
}

std::optional<std::string> RenameSidecar(std::string_view sidecar, std::string_view old_main,
                                         std::string_view new_main) {
  auto [old_dir, old_name] = SplitDir(old_main);
  auto [new_dir, new_name] = SplitDir(new_main);
  for (auto ext : kExts) {
    if (sidecar == old_dir + old_name + std::string(ext)) {
      return new_dir + new_name + std::string(ext);
    }
    if (sidecar == old_dir + "." + old_name + std::string(ext)) {
      return new_dir + "." + new_name + std::string(ext);
    }
  }
  return std::nullopt;
}

bool IsIgnoredDirName(std::string_view name) noexcept {
  return name == ".codex" || name == ".git" || name == "__pycache__" || name == "node_modules";
}

bool IsIgnoredFileName(std::string_view name) noexcept {
  if (name == ".DS_Store" || name == ".gitignore" || name == ".metadata" || name == "4913") {
    return true;
  }
  if (EndsWith(name, ".swp") || EndsWith(name, ".swx") || EndsWith(name, "~")) return true;
  return name.size() >= 2 && name[0] == '.' && name[1] == '#';
}

bool IsIgnoredPath(std::string_view rel) noexcept {
  std::size_t start = 0;
  while (true) {
    std::size_t slash = rel.find('/', start);
    std::string_view seg =
        rel.substr(start, slash == std::string_view::npos ? rel.npos : slash - start);
    if (slash == std::string_view::npos) return IsIgnoredDirName(seg) || IsIgnoredFileName(seg);
    if (IsIgnoredDirName(seg)) return true;
    start = slash + 1;
  }
}

}  // namespace codex::index
