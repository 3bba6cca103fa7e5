// A notebook's git repository (libgit2 only; no git subprocess). SEMANTICS §9.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/status.hpp"

namespace codex::vcs {

struct Signature {
  std::string name;
  std::string email;
};

struct CommitInfo {
  std::string hash;     // 40 hex
  std::string author;   // author name
  std::string date;     // author time in UTC, RFC 3339 with 6 fraction digits and Z
  std::string message;  // surrounding white space trimmed
};

// A difference between HEAD and the work tree.
struct PathChange {
  enum class Kind { kAdded, kModified, kDeleted };
  Kind kind = Kind::kModified;
  std::string path;  // notebook-relative
};

// The exact .gitignore of SEMANTICS §9.2 (no trailing newline).
std::string_view DefaultGitignore() noexcept;

// Thread-safe: every operation holds the repository's mutex (one per Repository object; the
// caller keeps one object per notebook). Errors: kIoError / kCorruption with libgit2's message.
class Repository {
 public:
  // Opens the repository at `root` (the notebook directory), or initialises one on branch
  // "main", writes .gitignore (§9.2) and commits it as "Initialize .gitignore" by `committer`.
  // An existing repository is reused as is. Stale .git/index.lock files older than 10 minutes
  // are removed.
  static Result<std::unique_ptr<Repository>> OpenOrInit(const std::string& root,
                                                        const Signature& committer);
  ~Repository();

  // Stages exactly `paths` (notebook-relative; a path missing on disk is staged as a removal;
  // binary files — a NUL in the first 8 KiB — and ignored paths are never staged) and commits
  // with `message` when the index differs from HEAD. Author `author`, committer the one given
  // at open. Returns the new commit's sha, or nullopt when there was nothing to commit.
  Result<std::optional<std::string>> CommitPaths(const std::vector<std::string>& paths,
                                                 const std::string& message,
                                                 const Signature& author);
  // Stages every change in the work tree (additions, modifications, deletions), honouring
  // .gitignore and never staging binaries, then commits as CommitPaths.
  Result<std::optional<std::string>> CommitAll(const std::string& message, const Signature& author);
  // Whether `path` (notebook-relative) is ignored by the repository's .gitignore rules.
  bool IsIgnored(const std::string& path);
  // The files of the work tree that differ from HEAD (whatever the index holds): new,
  // modified and deleted, in path order; ignored paths left out, binaries included.
  Result<std::vector<PathChange>> PendingChanges();
  // Frees what libgit2 keeps of the repository (its index, object cache and pack maps) by
  // opening it afresh; the next operation reads what it needs again.
  void ReleaseMemory();

  // §9.5: commits from HEAD, newest first, in which the blob at `path` differs from every
  // parent; a commit "Move <a> to <b>" where <b> is the followed path continues with <a>, and
  // so does a commit that adds the file with the very content it deleted at <a> (a rename by
  // the watcher or by git itself).
  // At most `max_count` entries after skipping `skip`. An empty repository gives [].
  Result<std::vector<CommitInfo>> History(const std::string& path, int max_count, int skip = 0);
  // The blob at `path` in the tree of revision `rev` (any revision expression of at most 100
  // characters). Errors: kNotFound "file_not_found" "File not found at this commit".
  Result<std::string> ReadAt(const std::string& rev, const std::string& path);
  // Unified diff (git format, 3 lines of context) of `path` between revisions `rev_a` and
  // `rev_b`; an empty `rev_b` means the file in the work tree. Errors as ReadAt.
  Result<std::string> Diff(const std::string& path, const std::string& rev_a,
                           const std::string& rev_b);

 private:
  struct Impl;
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace codex::vcs
