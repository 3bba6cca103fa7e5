// Files: list, read, create, upload, update, move, delete (CONTRACT §14).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "codex/files.hpp"
#include "common/errors.hpp"
#include "common/path_guard.hpp"
#include "common/strings.hpp"
#include "common/validate.hpp"
#include "core/access.hpp"
#include "crypto/crypto.hpp"
#include "files/file_ops.hpp"
#include "index/content_type.hpp"
#include "index/frontmatter.hpp"
#include "index/yaml.hpp"
#include "notebook/moves.hpp"

namespace codex {
namespace {

using detail::NotebookAccess;

constexpr std::int64_t kMaxTextBytes = 64 << 20;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// By id; or by exact path, else (no '/') the lowest-id row with that filename.
Result<FileMeta> FindRow(const NotebookAccess& nb, const FileRef& ref) {
  auto& store = nb.handle->store();
  if (ref.path.empty()) {
    auto row = store.Get(ref.id);
    if (!row.ok()) return row.status();
    if (!row->has_value()) return errors::FileNotFound();
    return std::move(**row);
  }
  auto rel = GuardPath(nb.root, ref.path, PathKind::kFile);
  if (!rel.ok()) return rel.status();
  auto row = store.GetByPath(*rel);
  if (!row.ok()) return row.status();
  if (!row->has_value() && rel->find('/') == std::string::npos) {
    row = store.FirstByFilename(*rel);
    if (!row.ok()) return row.status();
  }
  if (!row->has_value()) return errors::FileNotFound();
  return std::move(**row);
}

Result<fs::Fd> OpenRegular(const NotebookAccess& nb, const std::string& rel,
                           const Status& missing) {
  auto fd = fs::OpenBeneath(nb.root, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd.ok()) return fd.status().code() == Code::kNotFound ? missing : fd.status();
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0 || !S_ISREG(st.st_mode)) return missing;
  return fd;
}

Result<std::string> ReadWhole(const NotebookAccess& nb, const std::string& rel,
                              const Status& missing) {
  auto fd = OpenRegular(nb, rel, missing);
  if (!fd.ok()) return fd.status();
  return fs::ReadAll(fd->get(), kMaxTextBytes);
}

Result<User> Author(detail::Context& ctx, const Principal& who) {
  return detail::ActingUser(ctx, who);
}

bool FrontmatterCapable(const FileMeta& row) {
  return index::IsFrontmatterCapable(row.content_type);
}

std::string StripTrailingNewlines(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// Writes the properties of a file that cannot carry frontmatter into its sidecar (SEMANTICS
// §5.3) and removes every other sidecar. Returns the paths touched.
Result<std::vector<std::string>> WriteSidecarProperties(const NotebookAccess& nb,
                                                        const FileMeta& row,
                                                        const Json::Object& props) {
  index::Sidecars existing = files::SidecarsOnDisk(nb.root, row.path);
  std::string dir = ParentDir(row.path);
  std::string prefix = dir.empty() ? "" : dir + "/";
  std::string target;
  std::string text;
  if (existing.json) {
    target = *existing.json;
  } else if (existing.xml) {
    bool dot = BaseName(*existing.xml).front() == '.' && row.filename.front() != '.';
    target = prefix + (dot ? "." : "") + row.filename + ".json";
  } else if (existing.md) {
    target = *existing.md;
  } else {
    target = prefix + "." + row.filename + ".json";
  }
  if (EndsWith(target, ".md")) {
    text = index::WriteFrontmatter("", props);
  } else {
    text = Json(props).DumpPretty();
  }
  Status w = fs::WriteFileAtomic(nb.root, target, text, fs::WriteMode::kReplace);
  if (!w.ok()) return w;
  std::vector<std::string> touched{row.path, target};
  for (const auto& other : existing.all()) {
    if (other == target) continue;
    Status r = fs::RemoveFile(nb.root, other);
    if (!r.ok()) return r;
    touched.push_back(other);
  }
  return touched;
}

}  // namespace

FileRef FileRef::Parse(std::string_view text) {
  std::int64_t id = 0;
  if (ParseInt64(text, &id)) return ById(id);
  return ByPath(std::string(text));
}

// ---- OpenedFile ----

OpenedFile::OpenedFile(int fd, FileMeta meta, std::int64_t size, std::int64_t mtime_ns) noexcept
    : fd_(fd), meta_(std::move(meta)), size_(size), mtime_ns_(mtime_ns) {}

OpenedFile::OpenedFile(OpenedFile&& other) noexcept
    : fd_(other.fd_),
      meta_(std::move(other.meta_)),
      size_(other.size_),
      mtime_ns_(other.mtime_ns_) {
  other.fd_ = -1;
}

OpenedFile& OpenedFile::operator=(OpenedFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    meta_ = std::move(other.meta_);
    size_ = other.size_;
    mtime_ns_ = other.mtime_ns_;
    other.fd_ = -1;
  }
  return *this;
}

OpenedFile::~OpenedFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::string> OpenedFile::ReadAll() const {
  if (fd_ < 0) return Status::IoError("file is not open");
  std::string out;
  out.resize(static_cast<std::size_t>(size_));
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + got, out.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError("read failed");
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

// ---- reads ----

Result<FileList> Files::List(const Principal& who, NotebookRef nbref,
                             const FileListOptions& options) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  if (options.skip < 0) return CheckRange(options.skip, 0, INT64_MAX, "skip");
  FileList list;
  list.skip = options.skip;
  list.limit = options.limit;
  auto files = nb->handle->store().List(options.skip, options.limit, &list.total);
  if (!files.ok()) return files.status();
  list.files = std::move(*files);
  list.has_more = options.skip + static_cast<std::int64_t>(list.files.size()) < list.total;
  return list;
}

Result<FileMeta> Files::Get(const Principal& who, NotebookRef nbref, const FileRef& file) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  return FindRow(*nb, file);
}

Result<std::string> Files::ReadText(const Principal& who, NotebookRef nbref, const FileRef& file) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  std::string rel;
  Status missing = errors::FileNotFound();
  if (file.path.empty()) {
    auto row = FindRow(*nb, file);
    if (!row.ok()) return row.status();
    rel = row->path;
    missing = errors::FileNotFoundOnDisk();
  } else {
    // Read from disk: the file need not be indexed (CONTRACT §14).
    auto guarded = GuardPath(nb->root, file.path, PathKind::kFile);
    if (!guarded.ok()) return guarded.status();
    rel = std::move(*guarded);
  }
  auto text = ReadWhole(*nb, rel, missing);
  if (!text.ok()) return text.status();
  if (!IsValidUtf8(*text) || text->find('\0') != std::string::npos) return errors::NotText();
  if (EndsWith(rel, ".md")) return index::ParseFrontmatter(*text).body;
  return std::move(*text);
}

Result<OpenedFile> Files::Open(const Principal& who, NotebookRef nbref, const FileRef& file) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kViewer);
  if (!nb.ok()) return nb.status();
  auto row = FindRow(*nb, file);
  if (!row.ok()) {
    if (row.status().code() == Code::kNotFound && !file.path.empty()) {
      return errors::FileNotFoundAt(file.path);
    }
    return row.status();
  }
  auto fd = OpenRegular(*nb, row->path, errors::FileNotFoundOnDisk());
  if (!fd.ok()) return fd.status();
  struct stat st {};
  ::fstat(fd->get(), &st);
  std::int64_t mtime_ns =
      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return OpenedFile(fd->release(), std::move(*row), st.st_size, mtime_ns);
}

// ---- writes ----

Result<FileMeta> Files::Create(const Principal& who, NotebookRef nbref, std::string_view path,
                               std::string_view content) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  auto rel = files::GuardFilePath(*nb, path);
  if (!rel.ok()) return rel.status();
  auto author = Author(*ctx_, who);
  if (!author.ok()) return author.status();
  auto written = files::CreateAndCommit(
      *ctx_, *nb, *author, *rel,
      [&](const std::string& candidate) {
        return fs::WriteFileAtomic(nb->root, candidate, content, fs::WriteMode::kCreateNew);
      },
      [](const std::string& final) { return "Create " + BaseName(final); });
  if (!written.ok()) return written.status();
  return files::RowOfWritten(*nb, *written);
}

Result<FileMeta> Files::Upload(const Principal& who, NotebookRef nbref,
                               const UploadRequest& input) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  std::string target;
  if (input.path && !input.path->empty()) {
    target = *input.path;
  } else {
    std::size_t cut = input.filename.find_last_of("/\\");
    target = cut == std::string::npos ? input.filename : input.filename.substr(cut + 1);
  }
  if (target.empty()) return Status::InvalidArgument("no_filename", "No filename provided");
  auto rel = files::GuardFilePath(*nb, target);
  if (!rel.ok()) return rel.status();
  auto author = Author(*ctx_, who);
  if (!author.ok()) return author.status();
  auto written = files::CreateAndCommit(
      *ctx_, *nb, *author, *rel,
      [&](const std::string& candidate) {
        if (!input.source_file.empty()) {
          return fs::CopyFileAtomic(nb->root, candidate, input.source_file,
                                    fs::WriteMode::kCreateNew);
        }
        return fs::WriteFileAtomic(nb->root, candidate, input.bytes, fs::WriteMode::kCreateNew);
      },
      [](const std::string& final) { return "Upload " + BaseName(final); });
  if (!written.ok()) return written.status();
  return files::RowOfWritten(*nb, *written);
}

namespace {

// CONTRACT §14.2 for `row`; the caller holds the notebook's write mutex.
Result<FileMeta> ApplyUpdate(detail::Context& ctx, const NotebookAccess& nb, const User& author,
                             Result<FileMeta> row, const FileUpdate& input) {
  if (!row.ok()) return row.status();
  auto fd = OpenRegular(nb, row->path, errors::FileNotFoundOnDisk());
  if (!fd.ok()) return fd.status();
  bool has_props = input.properties && input.properties->is_object();
  bool has_content = input.content.has_value();
  bool capable = FrontmatterCapable(*row);
  std::string current;
  if (input.if_match || has_content || (has_props && capable)) {
    auto text = fs::ReadAll(fd->get(), kMaxTextBytes);
    if (!text.ok()) return text.status();
    current = std::move(*text);
  }
  if (input.if_match) {
    std::string expected = *input.if_match;
    if (expected.size() >= 2 && expected.front() == '"' && expected.back() == '"') {
      expected = expected.substr(1, expected.size() - 2);
    }
    if (expected != "*" && expected != crypto::Sha256Hex(current))
      return errors::PreconditionFailed();
  }
  if (!has_props && !has_content) return std::move(*row);

  std::vector<std::string> touched{row->path};
  std::optional<std::string> new_text;
  if (has_props && capable) {
    std::string body = has_content ? index::ParseFrontmatter(*input.content).body
                                   : index::ParseFrontmatter(current).body;
    new_text = index::WriteFrontmatter(body, input.properties->as_object());
    for (const auto& sidecar : files::SidecarsOnDisk(nb.root, row->path).all()) {
      Status r = fs::RemoveFile(nb.root, sidecar);
      if (!r.ok()) return r;
      touched.push_back(sidecar);
    }
  } else if (has_props) {
    auto sidecar_paths = WriteSidecarProperties(nb, *row, input.properties->as_object());
    if (!sidecar_paths.ok()) return sidecar_paths.status();
    touched = std::move(*sidecar_paths);
    if (has_content) new_text = *input.content;
  } else if (row->content_type == "text/markdown" && index::LeadingBlock(*input.content).empty()) {
    // A body saved without its frontmatter keeps the file's own block (CONTRACT §14.2).
    std::string block = StripTrailingNewlines(index::LeadingBlock(current));
    if (block.empty()) {
      new_text = *input.content;
    } else {
      new_text = input.content->empty() ? block : block + "\n\n" + *input.content;
    }
  } else {
    new_text = *input.content;
  }
  // Writing what is already there changes nothing: no write, no commit, no event.
  if (new_text && *new_text == current && touched.size() == 1) return std::move(*row);
  if (new_text && *new_text != current) {
    Status w = fs::WriteFileAtomic(nb.root, row->path, *new_text, fs::WriteMode::kReplace);
    if (!w.ok()) return w;
  }
  auto outcome = files::IndexAndCommit(ctx, nb, author, touched, "Update " + row->filename);
  if (!outcome.ok()) return outcome.status();
  return files::RowByPath(nb, row->path);
}

}  // namespace

Result<FileMeta> Files::Update(const Principal& who, NotebookRef nbref, std::int64_t id,
                               const FileUpdate& input) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  if (input.properties && !input.properties->is_null() && !input.properties->is_object()) {
    return Status::Validation("dict_type", "properties", "Input should be a valid dictionary");
  }
  auto author = Author(*ctx_, who);
  if (!author.ok()) return author.status();
  std::lock_guard<std::mutex> lock(nb->handle->write_mutex());
  return ApplyUpdate(*ctx_, *nb, *author, FindRow(*nb, FileRef::ById(id)), input);
}

Result<FileMeta> Files::PatchProperties(const Principal& who, NotebookRef nbref,
                                        const FileRef& file, const Json::Object& set,
                                        const std::vector<std::string>& unset) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  auto author = Author(*ctx_, who);
  if (!author.ok()) return author.status();
  std::lock_guard<std::mutex> lock(nb->handle->write_mutex());
  auto row = FindRow(*nb, file);
  if (!row.ok()) return row.status();
  Json::Object props = row->properties.is_object() ? row->properties.as_object() : Json::Object{};
  for (const auto& [key, value] : set) props.set(key, value);
  for (const auto& key : unset) props.erase(key);
  FileUpdate update;
  update.properties = Json(std::move(props));
  return ApplyUpdate(*ctx_, *nb, *author, std::move(row), update);
}

Result<FileMeta> Files::Move(const Principal& who, NotebookRef nbref, std::int64_t id,
                             std::string_view new_path) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  auto author = Author(*ctx_, who);
  if (!author.ok()) return author.status();
  std::string canonical;
  PathError e = CanonicalizeLexical(new_path, PathKind::kFolder, &canonical);
  if (e == PathError::kNone) e = CheckContainment(nb->root, canonical);
  if (e != PathError::kNone) return PathErrorStatus(e, PathKind::kFile);
  std::lock_guard<std::mutex> lock(nb->handle->write_mutex());
  auto row = FindRow(*nb, FileRef::ById(id));
  if (!row.ok()) return row.status();
  std::string target = canonical;
  bool names_dir = canonical.empty() || fs::StatBeneath(nb->root, canonical).is_dir;
  if ((!new_path.empty() && new_path.back() == '/') || names_dir) {
    target = canonical.empty() ? row->filename : canonical + "/" + row->filename;
  }
  auto guarded = files::GuardFilePath(*nb, target);
  if (!guarded.ok()) return guarded.status();
  target = std::move(*guarded);
  if (target == row->path) return std::move(*row);
  auto taken = nb->handle->store().GetByPath(target);
  if (!taken.ok()) return taken.status();
  if (taken->has_value() || fs::StatBeneath(nb->root, target).exists) return errors::PathExists();
  if (!fs::StatBeneath(nb->root, row->path).exists) return errors::FileNotFoundOnDisk();
  Status dirs = fs::MakeDirs(nb->root, ParentDir(target));
  if (!dirs.ok()) return dirs.reason() == "not_a_folder" ? errors::InvalidFilePath() : dirs;
  Status moved = fs::RenameBeneath(nb->root, row->path, target, /*no_replace=*/true);
  if (!moved.ok()) return moved.code() == Code::kAlreadyExists ? errors::PathExists() : moved;
  std::vector<std::string> touched{row->path, target};
  for (const auto& sidecar : files::SidecarsOnDisk(nb->root, row->path).all()) {
    auto renamed = index::RenameSidecar(sidecar, row->path, target);
    if (!renamed) continue;
    Status s = fs::RenameBeneath(nb->root, sidecar, *renamed, /*no_replace=*/true);
    if (!s.ok()) return s;
    touched.push_back(sidecar);
    touched.push_back(*renamed);
  }
  // Same id, new path; then re-index so a change of type (x.txt → x.md) is reflected.
  std::string now = ctx_->Now();
  Status renamed_row = nb->handle->store().Write([&](storage::NotebookWriter& w) -> Status {
    w.Move(notebook::MoveTo(row->id, target, now));
    return Status::Ok();
  });
  if (!renamed_row.ok()) return renamed_row;
  notebook::Change as_move{notebook::ChangeKind::kMoved, row->id, target, row->path, false, false};
  auto outcome = files::IndexAndCommit(*ctx_, *nb, *author, touched,
                                       "Move " + row->path + " to " + target, as_move);
  if (!outcome.ok()) return outcome.status();
  return files::RowByPath(*nb, target);
}

Status Files::Delete(const Principal& who, NotebookRef nbref, std::int64_t id) {
  auto nb = detail::ResolveNotebook(*ctx_, who, nbref, Role::kEditor);
  if (!nb.ok()) return nb.status();
  auto author = Author(*ctx_, who);
  if (!author.ok()) return author.status();
  std::lock_guard<std::mutex> lock(nb->handle->write_mutex());
  auto row = FindRow(*nb, FileRef::ById(id));
  if (!row.ok()) return row.status();
  std::vector<std::string> touched{row->path};
  for (const auto& sidecar : files::SidecarsOnDisk(nb->root, row->path).all()) {
    touched.push_back(sidecar);
  }
  for (const auto& path : touched) {
    Status r = fs::RemoveFile(nb->root, path);
    if (!r.ok()) return r;
  }
  auto outcome = files::IndexAndCommit(*ctx_, *nb, *author, touched, "Delete " + row->filename);
  return outcome.status();
}

}  // namespace codex
