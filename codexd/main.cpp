// codexd: the Codex v1 API over HTTP and WebSocket, a thin daemon over libcodex.
#include <CLI/CLI.hpp>
#include <codex/codex.hpp>
#include <codex/daemon.hpp>
#include <codex/http.hpp>
#include <cstdlib>
#include <iostream>

#include "routes.hpp"
#include "server.hpp"

namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

void Log(std::string_view level, std::string_view message) {
  std::cerr << codex::http::LogLine(level, message) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"codexd: the Codex v1 API over HTTP and WebSocket"};
  std::string listen = Env("CODEX_LISTEN", "127.0.0.1:8000");
  std::string data_dir = Env("CODEX_DATA_DIR", Env("DATA_DIRECTORY", "./data"));
  std::string plugins = Env("CODEX_PLUGINS_DIR", "");
  std::string demo_notes;
  int threads = 2;
  app.add_option("--listen", listen,
                 "address:port (CODEX_LISTEN, default 127.0.0.1:8000; port 0 = any)");
  app.add_option("--data-dir", data_dir, "data directory (CODEX_DATA_DIR, default ./data)");
  app.add_option("--plugins-dir", plugins, "plugin manifests (CODEX_PLUGINS_DIR)");
  app.add_option("--demo-notes", demo_notes,
                 "first start of an empty data dir: a demo user, workspace and notebook from this "
                 "folder");
  app.add_option("--threads", threads, "I/O threads (default 2)")->check(CLI::Range(1, 64));
  CLI11_PARSE(app, argc, argv);
  codexd::ServerOptions server;
  if (!codex::http::ParseListenAddress(listen, &server.address, &server.port)) {
    Log("error", "invalid listen address " + listen + ": expected host:port, port 0-65535");
    return 2;
  }

  auto daemon = codex::Daemon::Start({data_dir, plugins, demo_notes}, Log);
  if (!daemon.ok()) return Log("error", daemon.status().message()), 1;
  codex::Codex& codex = (*daemon)->codex();
  if (auto demo = (*daemon)->demo_password()) {
    std::cout << "Demo user: demo   password: " << *demo << "   (shown once)\n" << std::flush;
  }

  codex::http::Api api(codex, codexd::Routes(), codex::http::ConfigFromEnvironment(),
                       {[] { return codexd::WebSocketCount(); }});
  server.io_threads = threads;
  int rc = codexd::Serve(codex, api, server, [&](unsigned short port) {
    std::cout << "codexd listening on " << codex::http::ListenUrl(server.address, port) << "\n"
              << std::flush;
  });
  daemon->reset();  // drains the watcher, stops the worker
  Log("info", "stopped");
  return rc;
}
