// codexctl: the command line for lab automation, on libcodex directly (no daemon needed).
#include <CLI/CLI.hpp>
#include <codex/wire.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include "cli.hpp"

namespace codexctl {

std::string ReadStdin() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

int Ctl::Print(const codex::Json& value, const std::vector<std::string>& columns) const {
  std::string text = json ? value.DumpPretty() + "\n" : codex::wire::HumanText(value, columns);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

int Report(const codex::Status& status, bool json) {
  if (json) {
    std::puts(codex::wire::ErrorJson(status).Dump().c_str());
  } else {
    std::string field = status.field().empty() ? "" : " (" + status.field() + ")";
    std::fprintf(stderr, "codexctl: %s%s [%s]\n", status.message().c_str(), field.c_str(),
                 status.reason().c_str());
  }
  return codex::ExitStatus(status.code());
}

int Ctl::Fail(const codex::Status& status) const { return Report(status, json); }

namespace {

// Binds the tokens of a usage spec to the Args fields they name.
void Bind(CLI::App* sub, const std::string& spec, Args& a) {
  std::map<std::string, std::string*> positional = {
      {"WS", &a.ws},         {"NB", &a.nb},       {"NAME", &a.name}, {"PATH", &a.path},
      {"TO", &a.target},     {"QUERY", &a.query}, {"FILE", &a.file}, {"USER", &a.user},
      {"SOURCE", &a.source}, {"A", &a.rev_a},     {"B", &a.rev_b}};
  std::map<std::string, std::optional<std::string>*> options = {
      {"--path", &a.opt_path},     {"--description", &a.description},
      {"--from", &a.from},         {"--content", &a.content},
      {"--notebook", &a.notebook}, {"--folder", &a.folder},
      {"--email", &a.email},       {"--at", &a.at}};
  std::istringstream tokens(spec);
  std::string tok;
  while (tokens >> tok) {
    bool optional = tok.front() == '[';
    if (optional) tok = tok.substr(1, tok.size() - 2);
    if (auto p = positional.find(tok); p != positional.end()) {
      sub->add_option(tok, *p->second)->required(!optional);
    } else if (auto o = options.find(tok); o != options.end()) {
      sub->add_option(tok, *o->second);
    } else if (tok == "--role") {
      sub->add_option(tok, a.role)->required()->check(CLI::IsMember({"owner", "editor", "viewer"}));
    } else if (tok == "--limit") {
      sub->add_option(tok, a.limit, "result count")->check(CLI::Range(1, 100));
    } else if (tok == "--offset") {
      sub->add_option(tok, a.offset, "results to skip")->check(CLI::NonNegativeNumber);
    } else if (tok == "--set") {
      sub->add_option(tok, a.sets, "KEY=VALUE (VALUE as JSON when it parses)");
    } else if (tok == "--unset") {
      sub->add_option(tok, a.unsets, "KEY");
    } else if (tok == "--user") {
      sub->add_option(tok, a.user, "user name (default admin)");
    } else if (tok == "--password-stdin") {
      sub->add_flag(tok, a.password_stdin, "read the password from standard input");
    } else if (tok == "--force") {
      sub->add_flag(tok, a.force, "re-extract every file");
    }
  }
}

}  // namespace
}  // namespace codexctl

int main(int argc, char** argv) {
  using namespace codexctl;
  CLI::App app{"codexctl: Codex laboratory journal on the command line"};
  app.require_subcommand(1);
  auto env = [](const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return std::string(v != nullptr ? v : fallback);
  };
  codex::Options options;
  options.data_dir = env("CODEX_DATA_DIR", env("DATA_DIRECTORY", "./data").c_str());
  std::string as_user = env("CODEX_USER", "");
  bool json = false;
  app.add_option("--data-dir", options.data_dir, "data directory (CODEX_DATA_DIR, default ./data)");
  app.add_option("--as", as_user, "act as this user (CODEX_USER, default: the user of init)");
  app.add_flag("--json", json, "print JSON (the shapes of the HTTP API)");
  Args args;
  const Command* chosen = nullptr;
  std::map<std::string, CLI::App*> groups;
  for (const auto& cmd : kCommands) {
    std::string path = cmd.path, group = path.substr(0, path.find(' '));
    CLI::App* parent = &app;
    if (group != path) {  // "group command"
      CLI::App*& g = groups[group];
      if (g == nullptr) g = app.add_subcommand(group, group + " commands")->require_subcommand(1);
      parent = g;
      path = path.substr(group.size() + 1);
    }
    CLI::App* sub = parent->add_subcommand(path, cmd.help);
    Bind(sub, cmd.spec, args);
    sub->callback([&chosen, &cmd] { chosen = &cmd; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 64;
  }
  auto codex = codex::Codex::Open(std::move(options));
  if (!codex.ok()) return Report(codex.status(), json);
  Ctl ctl{*codex, {}, args, json};
  if (chosen->as_user) {
    auto def = codex->GetSetting("codexctl.default_user");
    if (as_user.empty() && def.ok() && def->has_value()) as_user = **def;
    if (as_user.empty()) {
      std::fprintf(stderr, "codexctl: no user: run `codexctl init` or pass --as USER\n");
      return 64;
    }
    auto user = codex->users().GetByName(as_user);
    if (!user.ok()) return ctl.Fail(user.status());
    ctl.who.user_id = user->id;
  }
  return chosen->run(ctl);
}
