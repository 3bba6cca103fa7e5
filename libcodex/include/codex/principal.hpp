// Who is acting. Every operation on a workspace takes one and checks the role itself.
#pragma once

#include <cstdint>
#include <optional>

namespace codex {

// The acting user, as established by a front-end (login, token, or codexctl --as).
// A token may bind the principal to one workspace or notebook (CONTRACT §4.3): outside it,
// operations answer kPermissionDenied "token_restricted".
struct Principal {
  Principal() = default;
  explicit Principal(std::int64_t user) : user_id(user) {}

  std::int64_t user_id = 0;
  std::optional<std::int64_t> workspace_id;  // bound workspace, if any
  std::optional<std::int64_t> notebook_id;   // bound notebook, if any
};

// Roles in a workspace, ordered: a higher value includes the lower ones.
enum class Role : int { kViewer = 1, kEditor = 2, kOwner = 3 };

}  // namespace codex
