// Notebooks: folders inside a workspace, each with its own git repository and index database.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
}

struct Notebook {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string slug;
  std::string name;
  std::string path;  // relative to the workspace directory (= the slug at creation)
  std::optional<std::string> description;
  std::string created_at;
  std::string updated_at;
};

struct NotebookCreate {
  std::string name;
  std::optional<std::string> description;
};

// A notebook named inside a workspace: each reference is all digits = id, else slug.
struct NotebookRef {
  std::string_view workspace;
  std::string_view notebook;
};

// A file that could be indexed only in part (invalid YAML, a broken sidecar, …).
struct FileProblem {
  std::string path;
  std::string problem;
};

struct IndexProgress {
  std::int64_t notebook_id = 0;
  std::int64_t done = 0;   // files examined so far
  std::int64_t total = 0;  // files found on disk
};

struct IndexOptions {
  // Re-extract every file even when size and mtime are unchanged.
  bool force = false;
  // Commit the changes found to the notebook's git repository ("Batch update: N changes").
  bool commit = true;
  // Called from the indexing thread, at most every few milliseconds; must not throw.
  std::function<void(const IndexProgress&)> on_progress;
};

struct IndexReport {
  std::int64_t notebook_id = 0;
  std::int64_t files = 0;  // main files on disk
  std::int64_t added = 0;
  std::int64_t modified = 0;
  std::int64_t removed = 0;
  std::int64_t moved = 0;  // same content found under a new path: id kept
  std::int64_t unchanged = 0;
  std::int64_t duration_ms = 0;
  std::optional<std::string> commit;  // sha of the batch commit, if one was made
  std::vector<FileProblem> problems;  // files indexed with a problem, current state
};

// Thread-safe. Errors as Workspaces, plus kNotFound "notebook_not_found".
class Notebooks {
 public:
  // Editor. Creates the folder, .codex/notebook.db and a git repository with its first commit.
  Result<Notebook> Create(const Principal& who, std::string_view ws, const NotebookCreate& input);
  // Viewer. Ascending id.
  Result<std::vector<Notebook>> List(const Principal& who, std::string_view ws);
  Result<Notebook> Get(const Principal& who, NotebookRef nb);
  // Viewer. By id alone (workspace_id tells where it lives). kNotFound "notebook_not_found"
  // also for notebooks of workspaces the caller is not a member of.
  Result<Notebook> GetById(const Principal& who, std::int64_t notebook_id);
  // Editor. Removes the row and the notebook directory.
  Status Delete(const Principal& who, NotebookRef nb);
  // Editor. Reconciles the index with the folder: new, changed (size/mtime, then hash) and
  // deleted files. Errors: kNotFound "notebook_path_missing" when the folder is gone.
  Result<IndexReport> Index(const Principal& who, NotebookRef nb, const IndexOptions& options = {});
  // Editor. Copies the regular files under the local directory `source` into the notebook (same
  // relative paths; existing files, symlinks and ignored names are skipped), then indexes.
  Result<IndexReport> Import(const Principal& who, NotebookRef nb, const std::string& source);
  // Editor. Index() of every notebook of the workspace, by ascending id.
  Result<std::vector<IndexReport>> IndexAll(const Principal& who, std::string_view ws,
                                            const IndexOptions& options = {});

 private:
  friend class Codex;
  explicit Notebooks(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
