// Folders of a notebook: listing, properties in <folder>/.metadata, recursive delete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/files.hpp"
#include "codex/json.hpp"
#include "codex/notebooks.hpp"
#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
}

struct Subfolder {
  std::string path;
  std::string name;
  std::optional<std::string> title;
  std::optional<std::string> description;
  Json properties;  // from .metadata; null when none
  std::string created_at;
  std::string updated_at;
};

// CONTRACT §27 Folder. `files`, `subfolders` and the pagination are empty for FolderInfo answers.
struct Folder {
  std::string path;  // "" = the notebook root
  std::string name;
  std::int64_t notebook_id = 0;
  std::string notebook_slug;
  std::int64_t workspace_id = 0;
  std::string workspace_slug;
  std::optional<std::string> title;
  std::optional<std::string> description;
  Json properties;
  std::int64_t file_count = 0;
  std::vector<FileMeta> files;        // indexed files directly here, by filename, paginated
  std::vector<Subfolder> subfolders;  // non-hidden directories, case-insensitive name order
  std::int64_t skip = 0;
  std::int64_t limit = 0;
  bool has_more = false;
  std::string created_at;
  std::string updated_at;
};

// Thread-safe. Path errors use the folder messages ("Invalid folder path"). Other errors:
// kNotFound "folder_not_found", kInvalidArgument "not_a_folder".
class Folders {
 public:
  // Viewer.
  Result<Folder> Get(const Principal& who, NotebookRef nb, std::string_view path,
                     std::int64_t skip = 0, std::int64_t limit = 100);
  // Editor. Replaces the whole properties object (an object). Commit
  // "Update folder properties: <path>". Returns the folder without listings.
  Result<Folder> SetProperties(const Principal& who, NotebookRef nb, std::string_view path,
                               const Json& properties);
  // Editor. Errors: kInvalidArgument "root_folder". Commit "Delete folder: <path>".
  Status Delete(const Principal& who, NotebookRef nb, std::string_view path);

 private:
  friend class Codex;
  explicit Folders(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
