// Workspace creation, for the services that create one on someone's behalf (registration).
#pragma once

#include "codex/workspaces.hpp"
#include "core/context.hpp"

namespace codex::detail {

// Workspaces::Create (CONTRACT §9.1), callable from other services.
Result<Workspace> CreateWorkspace(Context& ctx, const Principal& who, const WorkspaceCreate& input);

}  // namespace codex::detail
