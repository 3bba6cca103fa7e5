// codexd: the Codex v1 API over HTTP and WebSocket, a thin daemon over libcodex.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <codex/codex.hpp>
#include <codex/http.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "routes.hpp"
#include "server.hpp"

namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

void Log(const std::string& level, const std::string& message) {
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

  std::filesystem::create_directories(data_dir);
  int lock = ::open((data_dir + "/codexd.lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (lock < 0 || ::flock(lock, LOCK_EX | LOCK_NB) != 0) {
    Log("error", "another codexd holds " + data_dir + "/codexd.lock");
    return 1;
  }
  std::string warning;
  auto key = codex::LoadSecretKey(data_dir, &warning);
  if (!key.ok()) return Log("error", key.status().message()), 1;
  if (!warning.empty()) Log("warning", warning);

  codex::Options options = codex::OptionsFromEnvironment(data_dir);
  options.secret_key = *key;
  options.plugins_dir = plugins;
  auto codex = codex::Codex::Open(options);
  if (!codex.ok()) return Log("error", codex.status().ToString()), 1;
  if (!plugins.empty()) {
    auto problems = codex->plugins().LoadDirectory();
    if (!problems.ok()) Log("warning", "plugins: " + problems.status().ToString());
    for (const auto& p : problems.ok() ? *problems : std::vector<codex::PluginLoadProblem>{}) {
      Log("warning", "plugin skipped: " + p.path + ": " + p.message);
    }
  }
  if (!demo_notes.empty()) {
    auto demo = codex::SeedDemo(*codex, demo_notes);
    if (!demo.ok()) Log("error", "demo: " + demo.status().ToString());
    if (demo.ok() && *demo) {
      std::cout << "Demo user: demo   password: " << **demo << "   (shown once)\n" << std::flush;
    }
  }
  if (auto s = codex->tasks().StartWorker(); !s.ok())
    Log("warning", "task worker: " + s.ToString());

  codex::WatchOptions watch = codex::WatchOptionsFromEnvironment();
  watch.on_warning = [](std::string_view w) { Log("warning", "watcher: " + std::string(w)); };
  if (auto s = codex->watcher().Start(watch); !s.ok()) Log("error", "watcher: " + s.ToString());

  codex::http::Gauges gauges{[] { return codexd::WebSocketCount(); },
                             [&] { return codex->watcher().notebook_count(); }};
  codex::http::Api api(*codex, codexd::Routes(), codex::http::ConfigFromEnvironment(), gauges);
  server.io_threads = threads;
  server.temp_dir = codex->data_dir() + "/tmp";
  std::filesystem::create_directories(server.temp_dir);
  int rc = codexd::Serve(*codex, api, server, [&](unsigned short port) {
    bool v6 = server.address.find(':') != std::string::npos;
    std::cout << "codexd listening on http://" << (v6 ? "[" + server.address + "]" : server.address)
              << ":" << port << "\n"
              << std::flush;
  });
  codex->watcher().Stop();
  codex->tasks().StopWorker();
  Log("info", "stopped");
  return rc;
}
