// SeedDemo: the demo user, workspace and notebook of a first start (codexd --demo-notes).
#include "codex/codex.hpp"

namespace codex {

Result<std::optional<std::string>> SeedDemo(Codex& codex, const std::string& notes_dir) {
  auto users = codex.users().List();
  if (!users.ok()) return users.status();
  if (!users->empty()) return std::optional<std::string>();
  std::string password = GeneratePassword();
  auto user = codex.users().Create({"demo", "demo@example.org", password});
  if (!user.ok()) return user.status();
  Principal who(user->id);
  auto ws = codex.workspaces().Create(who, {"Demo Lab", std::nullopt});
  if (!ws.ok()) return ws.status();
  auto nb = codex.notebooks().Create(who, ws->slug, {"Lab Notes", std::string("Example notes")});
  if (!nb.ok()) return nb.status();
  if (!notes_dir.empty()) {
    auto report = codex.notebooks().Import(who, {ws->slug, nb->slug}, notes_dir);
    if (!report.ok()) return report.status();
  }
  return std::optional<std::string>(std::move(password));
}

}  // namespace codex
