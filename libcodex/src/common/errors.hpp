// The contract's error catalogue (CONTRACT §2.4): one factory per reason, so each exact message
// is written once.
#pragma once

#include <string>
#include <string_view>

#include "codex/status.hpp"

namespace codex::errors {

inline Status WorkspaceNotFound() {
  return Status::NotFound("workspace_not_found", "Workspace not found");
}
inline Status WorkspacePathMissing() {
  return Status::NotFound("workspace_path_missing", "Workspace path not found");
}
inline Status NotebookNotFound() {
  return Status::NotFound("notebook_not_found", "Notebook not found");
}
inline Status NotebookPathMissing() {
  return Status::NotFound("notebook_path_missing", "Notebook path not found");
}
inline Status FileNotFound() { return Status::NotFound("file_not_found", "File not found"); }
inline Status FileNotFoundOnDisk() {
  return Status::NotFound("file_not_found", "File not found on disk");
}
inline Status FileNotFoundAt(std::string_view path) {
  return Status::NotFound("file_not_found", "File not found: " + std::string(path));
}
inline Status UserNotFound() { return Status::NotFound("user_not_found", "User not found"); }
inline Status InsufficientPermissions() {
  return Status::PermissionDenied("insufficient_permissions", "Insufficient permissions");
}
inline Status TokenRestricted() {
  return Status::PermissionDenied("token_restricted", "Token is not valid for this resource");
}
inline Status InvalidFilePath() {
  return Status::InvalidArgument("invalid_path", "Invalid file path");
}
inline Status FileAccessDenied() {
  return Status::PermissionDenied("path_forbidden", "Access denied: Invalid file path");
}
inline Status InvalidFolderPath() {
  return Status::InvalidArgument("invalid_path", "Invalid folder path");
}
inline Status FolderAccessDenied() {
  return Status::PermissionDenied("path_forbidden", "Access denied: Invalid folder path");
}
inline Status PathExists() {
  return Status::AlreadyExists("path_exists", "Target path already exists");
}
inline Status NotText() { return Status::InvalidArgument("not_text", "File is not a text file"); }
inline Status PreconditionFailed() {
  return Status::Make(Code::kFailedPrecondition, "precondition_failed", "File has changed");
}
inline Status FolderNotFound() { return Status::NotFound("folder_not_found", "Folder not found"); }
inline Status NotAFolder() {
  return Status::InvalidArgument("not_a_folder", "Path is not a folder");
}
inline Status RootFolder() {
  return Status::InvalidArgument("root_folder", "Cannot delete root folder");
}
inline Status TagNotFound() { return Status::NotFound("tag_not_found", "Tag not found"); }
inline Status LastOwner() { return Status::Conflict("last_owner", "Cannot remove the last owner"); }
inline Status ValueError(std::string field, std::string message) {
  return Status::Validation("value_error", std::move(field), std::move(message));
}

}  // namespace codex::errors
