// Files of a notebook: create, read, update, move, delete, upload, templates, snippets.
// Every write is indexed and committed to git before the call returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/json.hpp"
#include "codex/notebooks.hpp"
#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
}

// One indexed file (CONTRACT §27 FileMeta, plus the index's own columns).
struct FileMeta {
  std::int64_t id = 0;  // unique per notebook, never reused, kept across moves
  std::int64_t notebook_id = 0;
  std::string path;  // canonical, relative, '/'-separated
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  std::string hash;  // SHA-256 hex of the bytes
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> file_type;  // property "type"
  Json properties;                       // merged metadata object, or null when there is none
  std::string created_at;                // first indexed
  std::string updated_at;                // last index change
  std::string file_modified_at;          // file mtime
  std::vector<std::string> tags;         // sorted, unique
  // Not in the wire shape:
  std::optional<std::string> sidecar_path;
  bool git_tracked = false;
  std::optional<std::string> last_commit_hash;
  std::vector<std::string> problems;  // what could not be read (invalid YAML, broken sidecar)
};

struct FileList {
  std::vector<FileMeta> files;
  std::int64_t skip = 0;
  std::int64_t limit = 0;
  std::int64_t total = 0;
  bool has_more = false;
};

struct FileListOptions {
  std::int64_t skip = 0;
  std::int64_t limit = 1000;  // negative = no limit
};

// A file named by its id or by its path in the notebook.
struct FileRef {
  static FileRef ById(std::int64_t id) { return FileRef{id, {}}; }
  static FileRef ByPath(std::string path) { return FileRef{0, std::move(path)}; }
  // All ASCII digits = id, anything else = path (the rule of CONTRACT §5 for ids and slugs).
  static FileRef Parse(std::string_view text);
  std::int64_t id = 0;  // used when path is empty
  std::string path;
};

struct FileCreate {
  std::string path;
  std::string content;
};

struct LinkQuery {
  std::string link;
  std::optional<std::string> current_file_path;
};

struct TemplateUse {
  std::string template_id;
  std::optional<std::string> filename;
};

struct FileUpdate {
  std::optional<std::string> content;   // new body or whole text (CONTRACT §14.2)
  std::optional<Json> properties;       // whole properties object; replaces the old one
  std::optional<std::string> if_match;  // expected current hash; mismatch → kFailedPrecondition
};

// An open regular file inside a notebook, for streaming its bytes. Move-only; closes on
// destruction.
class OpenedFile {
 public:
  OpenedFile() = default;
  OpenedFile(int fd, FileMeta meta, std::int64_t size, std::int64_t mtime_ns) noexcept;
  OpenedFile(OpenedFile&& other) noexcept;
  OpenedFile& operator=(OpenedFile&& other) noexcept;
  OpenedFile(const OpenedFile&) = delete;
  OpenedFile& operator=(const OpenedFile&) = delete;
  ~OpenedFile();

  // POSIX descriptor, owned by this object (do not close it).
  int fd() const noexcept { return fd_; }
  const FileMeta& meta() const noexcept { return meta_; }
  std::int64_t size() const noexcept { return size_; }
  std::int64_t mtime_ns() const noexcept { return mtime_ns_; }
  // Reads the whole file. Errors: kIoError.
  Result<std::string> ReadAll() const;

 private:
  int fd_ = -1;
  FileMeta meta_;
  std::int64_t size_ = 0;
  std::int64_t mtime_ns_ = 0;
};

// A template offered for new files (CONTRACT §27 Template): `fields` holds its keys in wire order.
struct Template {
  std::string id;
  std::string source;  // "plugin" or "notebook"
  Json fields;         // object
};

struct ResolvedLink {
  FileMeta file;
  std::string resolved_path;
};

struct FileCommit {
  std::string hash;     // 40 hex
  std::string author;   // author name
  std::string date;     // RFC 3339 UTC
  std::string message;  // trimmed
};

struct FileHistory {
  std::int64_t file_id = 0;
  std::string path;
  std::vector<FileCommit> history;  // newest first
};

struct UploadRequest {
  std::optional<std::string> path;  // target path; else the basename of `filename`
  std::string filename;             // the client's file name (may carry directories)
  std::string_view bytes;           // content, when source_file is empty
  std::string source_file;          // local file to copy from (absolute), when set
};

struct SnippetRequest {
  std::string workspace;  // id or slug
  std::string notebook;   // id or slug
  std::string content;
  std::optional<std::string> title;
  std::optional<std::string> filename;
  std::optional<std::string> folder;
  std::vector<std::string> tags;
  std::optional<std::string> file_type;
  std::optional<Json> properties;  // object
};

// Thread-safe. Reads need viewer, writes editor. Path inputs pass the path guard
// (SEMANTICS §2): kInvalidArgument "invalid_path", kPermissionDenied "path_forbidden".
// Common errors: kNotFound "workspace_not_found" / "notebook_not_found" / "notebook_path_missing"
// / "file_not_found".
class Files {
 public:
  // Ordered by id.
  Result<FileList> List(const Principal& who, NotebookRef nb, const FileListOptions& options = {});
  // By id, or by exact path, else (path without '/') the lowest-id file with that filename.
  Result<FileMeta> Get(const Principal& who, NotebookRef nb, const FileRef& file);
  // UTF-8 text from disk; markdown without its frontmatter. Errors: kInvalidArgument "not_text".
  Result<std::string> ReadText(const Principal& who, NotebookRef nb, const FileRef& file);
  // The raw bytes, for streaming. Errors: kNotFound "file_not_found" ("File not found on disk").
  Result<OpenedFile> Open(const Principal& who, NotebookRef nb, const FileRef& file);

  // Writes `content` (UTF-8) at a free path (unique-path rule), indexes, commits "Create <name>".
  Result<FileMeta> Create(const Principal& who, NotebookRef nb, std::string_view path,
                          std::string_view content);
  // Arbitrary bytes, staged in .codex/tmp and renamed into place. Commit "Upload <name>".
  // Errors: kInvalidArgument "no_filename".
  Result<FileMeta> Upload(const Principal& who, NotebookRef nb, const UploadRequest& input);
  // Content and/or properties (frontmatter or sidecar). Commit "Update <name>".
  // Errors: kFailedPrecondition "precondition_failed".
  Result<FileMeta> Update(const Principal& who, NotebookRef nb, std::int64_t id,
                          const FileUpdate& input);
  // Editor. Sets and removes top-level properties in one step under the notebook's write lock
  // (no edit in between is lost), then stores them as Update does.
  Result<FileMeta> PatchProperties(const Principal& who, NotebookRef nb, const FileRef& file,
                                   const Json::Object& set, const std::vector<std::string>& unset);
  // Same id afterwards; sidecars follow. Commit "Move <old> to <new>".
  // Errors: kAlreadyExists "path_exists".
  Result<FileMeta> Move(const Principal& who, NotebookRef nb, std::int64_t id,
                        std::string_view new_path);
  // Removes the file and its sidecars. Commit "Delete <name>".
  Status Delete(const Principal& who, NotebookRef nb, std::int64_t id);

  // Viewer. Commits touching the file, newest first, following its moves (SEMANTICS §9.5):
  // at most max_count (1..100) after skipping `offset` (≥ 0). Errors: kValidation.
  Result<FileHistory> History(const Principal& who, NotebookRef nb, std::int64_t id,
                              std::int64_t max_count = 10, std::int64_t offset = 0);
  // Viewer. The file's current path at a revision, as UTF-8 text. Errors: kNotFound
  // "file_not_found" ("File not found at this commit").
  Result<std::string> ReadAtCommit(const Principal& who, NotebookRef nb, std::int64_t id,
                                   std::string_view commit);
  // Viewer. Unified git diff (3 lines of context) of the file's current path from revision
  // `rev_a` to `rev_b`, or to the file on disk when `rev_b` is empty; "" when they are equal.
  // Errors as ReadAtCommit (also when the path exists in neither version).
  Result<std::string> Diff(const Principal& who, NotebookRef nb, std::int64_t id,
                           std::string_view rev_a, std::string_view rev_b = {});

  // Viewer. SEMANTICS §8. Errors: kInvalidArgument "invalid_link"; kNotFound "file_not_found".
  Result<ResolvedLink> ResolveLink(const Principal& who, NotebookRef nb, std::string_view link,
                                   std::optional<std::string_view> current_file);
  // Viewer. Plugin templates, then the notebook's .templates/ (SEMANTICS §11).
  Result<std::vector<Template>> Templates(const Principal& who, NotebookRef nb);
  // Editor. Errors: kNotFound "template_not_found".
  Result<FileMeta> CreateFromTemplate(const Principal& who, NotebookRef nb,
                                      std::string_view template_id,
                                      std::optional<std::string_view> filename);
  // Editor. A frontmatter note from a script (CONTRACT §25). Commit "Snippet: <title>".
  Result<FileMeta> CreateSnippet(const Principal& who, const SnippetRequest& input);

 private:
  friend class Codex;
  explicit Files(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
