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
  Result<std::optional<std::string>> CommitAll(const std::string& message,
                                               const Signature& author);
  // Whether `path` (notebook-relative) is ignored by the repository's .gitignore rules.
  bool IsIgnored(const std::string& path);

 private:
  struct Impl;
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace codex::vcs
