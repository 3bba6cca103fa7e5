// End-to-end support for codexd: the real daemon in a temp data dir on 127.0.0.1:0, a blocking
// HTTP/1.1 client, a WebSocket client and raw sockets. Beast stays in daemon.cpp.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "codex/json.hpp"
#include "support/temp_dir.hpp"

namespace codex::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0: the connection failed or closed without a response
  HeaderList headers;
  std::string body;

  std::optional<std::string> Header(std::string_view name) const;  // case-insensitive
  // Every Set-Cookie header.
  std::vector<std::string> Cookies() const;
  // The body parsed (REQUIREd to be JSON).
  Json json() const;
  // "status body" for INFO messages.
  std::string Describe() const;
};

// The member `key` of a JSON object; REQUIREd present.
const Json& At(const Json& object, std::string_view key);

// The response's body as JSON (null when empty), REQUIREd to have `status`.
Json Expect(const HttpResponse& r, int status);

// One keep-alive connection to the daemon, reopened when the server closed it.
class HttpClient {
 public:
  explicit HttpClient(unsigned short port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;

  // `token` adds "Authorization: Bearer <token>" when not empty.
  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& body = "", const HeaderList& headers = {},
                    const std::string& token = "");
  HttpResponse Get(const std::string& target, const std::string& token = "");
  HttpResponse Delete(const std::string& target, const std::string& token = "");
  // JSON bodies (Content-Type: application/json).
  HttpResponse Post(const std::string& target, const Json& body, const std::string& token = "");
  HttpResponse Put(const std::string& target, const Json& body, const std::string& token = "");
  HttpResponse Patch(const std::string& target, const Json& body, const std::string& token = "");
  // multipart/form-data with one file part "file" and text fields.
  HttpResponse Upload(const std::string& target, const std::string& filename,
                      const std::string& content, const HeaderList& fields,
                      const std::string& token);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes raw bytes on a fresh connection and returns everything the server sent back until it
// closed the connection or `wait` passed.
std::string RawExchange(unsigned short port, const std::string& bytes,
                        std::chrono::milliseconds wait = std::chrono::milliseconds(2000));

// A WebSocket client.
class WsClient {
 public:
  // Performs the handshake; ok() is false when the upgrade was refused (status() has the HTTP
  // status then).
  WsClient(unsigned short port, const std::string& target, const HeaderList& headers = {});
  ~WsClient();
  bool ok() const;
  int status() const;
  void Send(const std::string& text);
  // The next text message, or nullopt on timeout or close (close_code() says which).
  std::optional<std::string> Read(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The next message that is JSON with "type" == type, skipping others.
  std::optional<Json> ReadType(const std::string& type,
                               std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The close code the server sent (0 when none yet).
  int close_code() const;
  // The reason text of the server's close frame ("" when none yet).
  std::string close_reason() const;
  void Close();
  // Shrinks the kernel receive buffer (SO_RCVBUF), so that a client that stops reading makes
  // the server's writes back up soon.
  void SetReceiveBuffer(int bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct DaemonOptions {
  std::map<std::string, std::string> env;  // extra environment, e.g. CODEX_RATE_LIMIT_PER_MINUTE
  std::vector<std::string> args;           // extra flags
};

// The real codexd on 127.0.0.1:0 with its own data dir; stopped (SIGTERM) on destruction.
// The auth rate limit is lifted unless `env` sets it.
class Daemon {
 public:
  explicit Daemon(DaemonOptions options = {});
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  unsigned short port() const { return port_; }
  const TempDir& tmp() const { return tmp_; }
  std::string data_dir() const { return (tmp_.path() / "data").string(); }
  HttpClient Client() const { return HttpClient(port_); }
  // Everything the daemon printed on stdout so far.
  std::string Stdout();
  // Everything the daemon wrote to stderr (its log, codexd.log in tmp()) so far.
  std::string Log() const;
  // SIGTERM and wait; returns the exit status (or -1).
  int Stop();
  bool running() const { return pid_ > 0; }
  // Sends `signal` to the daemon without waiting (Stop() collects the exit status).
  void Signal(int signal);
  // Stop(), then start again on the same data dir with the same options (a new port); returns
  // Stop()'s exit status.
  int Restart();

  // Registers a user (password "password-<name>") and returns an access token; REQUIREd.
  std::string AddUser(const std::string& name);
  // Signs in; the access token, REQUIREd.
  std::string Login(const std::string& name, const std::string& password);

 private:
  void Launch();
  DaemonOptions options_;
  TempDir tmp_;
  int pid_ = -1;
  int stdout_fd_ = -1;
  std::string stdout_;
  unsigned short port_ = 0;
};

// One run of codexd that is expected to end by itself (a refused start): its exit status (-1
// when it was still running after `wait` and got killed, or when it started listening),
// stdout and stderr.
struct DaemonRun {
  int exit_code = -1;
  bool listened = false;  // it printed "listening on"
  std::string out;
  std::string err;
};
DaemonRun RunDaemon(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env,
                    std::chrono::seconds wait = std::chrono::seconds(30));

// A workspace and a notebook in it, created over HTTP by the user of `token` (REQUIREd).
struct NotebookFixture {
  std::int64_t workspace_id = 0;
  std::int64_t notebook_id = 0;
  std::string ws_url;         // /api/v1/workspaces/<id>
  std::string url;            // <ws_url>/notebooks/<id>
  std::filesystem::path dir;  // the notebook directory on disk
};
NotebookFixture AddNotebook(HttpClient& http, const std::string& token,
                            const std::string& workspace_name, const std::string& notebook_name);

}  // namespace codex::testing
