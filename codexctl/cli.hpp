// What every codexctl command shares: parsed arguments, the open library, output and exit codes.
#pragma once

#include <codex/codex.hpp>
#include <codex/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace codexctl {

// Every argument any command takes; a command's usage spec says which ones it reads.
struct Args {
  std::string ws, nb, name, path, target, query, file, user, source, rev_a, rev_b;
  std::optional<std::string> opt_path, description, from, content, notebook, folder, email, role,
      at;
  std::vector<std::string> sets, unsets;
  std::int64_t limit = 20, offset = 0;
  bool password_stdin = false, force = false;
};

struct Ctl {
  codex::Codex& codex;
  codex::Principal who;
  Args& a;
  bool json = false;
  // Prints `value` (JSON with --json, else a table or record of `columns`); returns 0.
  int Print(const codex::Json& value, const std::vector<std::string>& columns = {}) const;
  // Prints the error (JSON object with --json) and returns its exit code.
  int Fail(const codex::Status& status) const;
  // The notebook named by WS and NB.
  codex::NotebookRef Nb() const { return {a.ws, a.nb}; }
};

struct Command {
  const char* path;  // "workspace create"
  const char* spec;  // "NAME --path": positionals (optional in [ ]) and options
  const char* help;
  int (*run)(Ctl&);
  bool as_user = true;  // acts as a user (--as), else a local administrative command
};

extern const std::vector<Command> kCommands;

// Prints an error (the JSON error object with --json, else a line on stderr); its exit code.
int Report(const codex::Status& status, bool json);

// Reads standard input whole.
std::string ReadStdin();

}  // namespace codexctl
