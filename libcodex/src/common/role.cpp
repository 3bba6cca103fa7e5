#include "codex/workspaces.hpp"

namespace codex {

std::string_view RoleName(Role role) noexcept {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kEditor:
      return "editor";
    case Role::kOwner:
      return "owner";
  }
  return "viewer";
}

bool RoleFromName(std::string_view name, Role* out) noexcept {
  if (name == "owner") {
    *out = Role::kOwner;
  } else if (name == "editor") {
    *out = Role::kEditor;
  } else if (name == "viewer") {
    *out = Role::kViewer;
  } else {
    return false;
  }
  return true;
}

}  // namespace codex
