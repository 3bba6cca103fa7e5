// The daemon process and the Beast clients of daemon.hpp.
#include "codexd/daemon.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdlib>
#include <thread>

namespace codex::testing {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

tcp::endpoint Local(unsigned short port) {
  return tcp::endpoint(net::ip::make_address("127.0.0.1"), port);
}

std::string Binary() {
  const char* dir = std::getenv("CODEX_TEST_BIN_DIR");
  return std::string(dir ? dir : ".") + "/codexd/codexd";
}

}  // namespace

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (SameName(k, name)) return v;
  }
  return std::nullopt;
}

std::vector<std::string> HttpResponse::Cookies() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers) {
    if (SameName(k, "set-cookie")) out.push_back(v);
  }
  return out;
}

Json HttpResponse::json() const {
  auto parsed = Json::Parse(body);
  INFO(Describe());
  REQUIRE(parsed.ok());
  return *parsed;
}

Json Expect(const HttpResponse& r, int status) {
  INFO(r.Describe());
  REQUIRE(r.status == status);
  return r.body.empty() ? Json() : r.json();
}

const Json& At(const Json& object, std::string_view key) {
  const Json* found = object.find(key);
  INFO("missing key " << key << " in " << object.Dump());
  REQUIRE(found != nullptr);
  return *found;
}

std::string HttpResponse::Describe() const { return std::to_string(status) + " " + body; }

struct HttpClient::Impl {
  unsigned short port;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;

HttpResponse HttpClient::Send(const std::string& method, const std::string& target,
                              const std::string& body, const HeaderList& headers,
                              const std::string& token) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    beast::error_code ec;
    if (!impl_->stream) {
      impl_->stream.emplace(impl_->ioc);
      impl_->buffer.clear();
      impl_->stream->socket().connect(Local(impl_->port), ec);
      if (ec) return {};
    }
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
    for (const auto& [k, v] : headers) req.insert(k, v);
    req.body() = body;
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      req.prepare_payload();
    }
    auto& stream = *impl_->stream;
    stream.expires_after(std::chrono::seconds(30));
    bhttp::write(stream.socket(), req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(1ULL << 32);
    if (method == "HEAD") parser.skip(true);
    if (!ec) bhttp::read(stream.socket(), impl_->buffer, parser, ec);
    if (ec) {  // a kept-alive connection the server closed: retry once on a new one
      impl_->stream.reset();
      if (attempt == 0 && (ec == bhttp::error::end_of_stream || ec == net::error::broken_pipe ||
                           ec == net::error::connection_reset)) {
        continue;
      }
      return {};
    }
    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) out.headers.emplace_back(f.name_string(), f.value());
    out.body = std::move(res.body());
    if (!res.keep_alive()) impl_->stream.reset();
    return out;
  }
  return {};
}

HttpResponse HttpClient::Get(const std::string& target, const std::string& token) {
  return Send("GET", target, "", {}, token);
}
HttpResponse HttpClient::Delete(const std::string& target, const std::string& token) {
  return Send("DELETE", target, "", {}, token);
}
HttpResponse HttpClient::Post(const std::string& target, const Json& body,
                              const std::string& token) {
  return Send("POST", target, body.Dump(), {{"Content-Type", "application/json"}}, token);
}
HttpResponse HttpClient::Put(const std::string& target, const Json& body,
                             const std::string& token) {
  return Send("PUT", target, body.Dump(), {{"Content-Type", "application/json"}}, token);
}
HttpResponse HttpClient::Patch(const std::string& target, const Json& body,
                               const std::string& token) {
  return Send("PATCH", target, body.Dump(), {{"Content-Type", "application/json"}}, token);
}

HttpResponse HttpClient::Upload(const std::string& target, const std::string& filename,
                                const std::string& content, const HeaderList& fields,
                                const std::string& token) {
  const std::string boundary = "codex-test-boundary-7d1f";
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  }
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
          filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--" +
          boundary + "--\r\n";
  return Send("POST", target, body, {{"Content-Type", "multipart/form-data; boundary=" + boundary}},
              token);
}

std::string RawExchange(unsigned short port, const std::string& bytes,
                        std::chrono::milliseconds wait) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(Local(port), ec);
  if (ec) return "";
  net::write(socket, net::buffer(bytes), ec);
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + wait;
  int fd = socket.native_handle();
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count()) + 1) <= 0) break;
    char buf[8192];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// Reads are asynchronous and stay outstanding across a timed-out Read(), so a message that Beast
// already buffered (several can arrive in one TCP segment) is never missed by polling the socket.
struct WsClient::Impl {
  net::io_context ioc;
  std::optional<websocket::stream<tcp::socket>> ws;
  int status = 0;
  bool open = false;
  int close_code = 0;
  std::string close_reason;
  beast::flat_buffer buffer;
  bool reading = false, read_done = false, write_done = false, close_done = false;
  beast::error_code read_ec;
  std::string out;  // the message being written

  // Runs handlers until `done` or `wait` passed; false on timeout.
  bool RunUntil(const bool& done, std::chrono::milliseconds wait) {
    auto deadline = std::chrono::steady_clock::now() + wait;
    while (!done) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return false;
      ioc.restart();
      if (ioc.run_one_for(deadline - now) == 0 && ioc.stopped() && !done) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // nothing outstanding
      }
    }
    return true;
  }

  // A write that cannot finish leaves the stream unusable: drop the connection.
  void Abandon() {
    beast::error_code ignored;
    ws->next_layer().close(ignored);
    ioc.restart();
    ioc.poll();
    open = false;
  }
};

WsClient::WsClient(unsigned short port, const std::string& target, const HeaderList& headers)
    : impl_(std::make_unique<Impl>()) {
  impl_->ws.emplace(impl_->ioc);
  beast::error_code ec;
  impl_->ws->next_layer().connect(Local(port), ec);
  if (ec) return;
  impl_->ws->set_option(websocket::stream_base::decorator([headers](websocket::request_type& r) {
    for (const auto& [k, v] : headers) r.set(k, v);
  }));
  websocket::response_type res;
  impl_->ws->handshake(res, "127.0.0.1", target, ec);
  impl_->status = static_cast<int>(res.result_int());
  impl_->open = !ec;
}

WsClient::~WsClient() {
  if (impl_->open && impl_->close_code == 0) Close();
}

bool WsClient::ok() const { return impl_->open; }
int WsClient::status() const { return impl_->status; }
int WsClient::close_code() const { return impl_->close_code; }
std::string WsClient::close_reason() const { return impl_->close_reason; }

void WsClient::Send(const std::string& text) {
  auto& im = *impl_;
  if (!im.open) return;
  im.write_done = false;
  im.ws->text(true);
  im.out = text;
  im.ws->async_write(net::buffer(im.out),
                     [&im](beast::error_code, std::size_t) { im.write_done = true; });
  if (!im.RunUntil(im.write_done, std::chrono::seconds(30))) im.Abandon();
}

std::optional<std::string> WsClient::Read(std::chrono::milliseconds timeout) {
  auto& im = *impl_;
  if (!im.open) return std::nullopt;
  if (!im.reading) {
    im.reading = true, im.read_done = false;
    im.ws->async_read(im.buffer, [&im](beast::error_code ec, std::size_t) {
      im.read_ec = ec;
      im.read_done = true;
    });
  }
  if (!im.RunUntil(im.read_done, timeout)) return std::nullopt;
  im.reading = false;
  if (im.read_ec) {
    if (im.read_ec == websocket::error::closed) {
      im.close_code = im.ws->reason().code;
      im.close_reason.assign(im.ws->reason().reason.data(), im.ws->reason().reason.size());
    }
    im.open = false;
    return std::nullopt;
  }
  std::string text = beast::buffers_to_string(im.buffer.data());
  im.buffer.consume(im.buffer.size());
  return text;
}

std::optional<Json> WsClient::ReadType(const std::string& type, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto text = Read(left);
    if (!text) return std::nullopt;
    auto msg = Json::Parse(*text);
    if (!msg.ok()) continue;
    const Json* t = msg->find("type");
    if (t != nullptr && t->is_string() && t->as_string() == type) return *msg;
  }
  return std::nullopt;
}

void WsClient::SetReceiveBuffer(int bytes) {
  beast::error_code ec;
  impl_->ws->next_layer().set_option(net::socket_base::receive_buffer_size(bytes), ec);
}

void WsClient::Close() {
  auto& im = *impl_;
  if (!im.open) return;
  im.close_done = false;
  im.ws->async_close(websocket::close_code::normal,
                     [&im](beast::error_code) { im.close_done = true; });
  if (!im.RunUntil(im.close_done, std::chrono::seconds(5))) im.Abandon();
  im.open = false;
}

Daemon::Daemon(DaemonOptions options) : options_(std::move(options)) { Launch(); }

void Daemon::Launch() {
  int out[2];
  REQUIRE(::pipe(out) == 0);
  std::string log = (tmp_.path() / "codexd.log").string();
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(out[1], 1);
    int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (err >= 0) ::dup2(err, 2);
    ::close(out[0]);
    ::close(out[1]);
    ::setenv("CODEX_AUTH_RATE_LIMIT_PER_MINUTE", "100000", 1);
    ::unsetenv("CODEX_SECRET_KEY");
    for (const auto& [k, v] : options_.env) ::setenv(k.c_str(), v.c_str(), 1);
    std::string bin = Binary();
    std::vector<std::string> args{bin, "--listen", "127.0.0.1:0", "--data-dir",
                                  (tmp_.path() / "data").string()};
    for (const auto& a : options_.args) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  pid_ = pid;
  stdout_fd_ = out[0];
  // Wait for "codexd listening on http://127.0.0.1:<port>".
  const std::string marker = "listening on http://127.0.0.1:";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::size_t at = stdout_.find(marker);
    if (at != std::string::npos && stdout_.find('\n', at) != std::string::npos) {
      port_ = static_cast<unsigned short>(std::atoi(stdout_.c_str() + at + marker.size()));
      break;
    }
    pollfd p{stdout_fd_, POLLIN, 0};
    if (::poll(&p, 1, 1000) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) break;
    stdout_.append(buf, static_cast<std::size_t>(n));
  }
  INFO("codexd stdout: " << stdout_ << "\nlog: " << ReadFile(log));
  REQUIRE(port_ != 0);
}

Daemon::~Daemon() { Stop(); }

std::string Daemon::Log() const { return ReadFile(tmp_.path() / "codexd.log"); }

std::string Daemon::Stdout() {
  char buf[4096];
  for (;;) {
    pollfd p{stdout_fd_, POLLIN, 0};
    if (stdout_fd_ < 0 || ::poll(&p, 1, 0) <= 0) break;
    ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) break;
    stdout_.append(buf, static_cast<std::size_t>(n));
  }
  return stdout_;
}

int Daemon::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 300; ++i) {  // up to 30 s
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (i == 299) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  pid_ = -1;
  Stdout();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void Daemon::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int Daemon::Restart() {
  int status = Stop();
  stdout_.clear();
  port_ = 0;
  Launch();
  return status;
}

std::string Daemon::AddUser(const std::string& name) {
  auto http = Client();
  Json body(Json::Object{
      {"username", name}, {"email", name + "@example.org"}, {"password", "password-" + name}});
  auto r = http.Post("/api/v1/users/register", body);
  INFO(r.Describe());
  REQUIRE(r.status == 201);
  return Login(name, "password-" + name);
}

std::string Daemon::Login(const std::string& name, const std::string& password) {
  auto http = Client();
  auto r = http.Send("POST", "/api/v1/users/token", "username=" + name + "&password=" + password,
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  return r.json().find("access_token")->as_string();
}

NotebookFixture AddNotebook(HttpClient& http, const std::string& token,
                            const std::string& workspace_name, const std::string& notebook_name) {
  NotebookFixture f;
  auto ws = http.Post("/api/v1/workspaces/", Json(Json::Object{{"name", workspace_name}}), token);
  INFO(ws.Describe());
  REQUIRE(ws.status == 200);
  f.workspace_id = At(ws.json(), "id").as_int();
  f.ws_url = "/api/v1/workspaces/" + std::to_string(f.workspace_id);
  auto nb = http.Post(f.ws_url + "/notebooks/", Json(Json::Object{{"name", notebook_name}}), token);
  INFO(nb.Describe());
  REQUIRE(nb.status == 200);
  f.notebook_id = At(nb.json(), "id").as_int();
  f.url = f.ws_url + "/notebooks/" + std::to_string(f.notebook_id);
  f.dir =
      std::filesystem::path(At(ws.json(), "path").as_string()) / At(nb.json(), "path").as_string();
  return f;
}

DaemonRun RunDaemon(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env, std::chrono::seconds wait) {
  int out[2], err[2];
  REQUIRE(::pipe(out) == 0);
  REQUIRE(::pipe(err) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    ::unsetenv("CODEX_SECRET_KEY");
    ::unsetenv("SECRET_KEY");
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::string bin = Binary();
    std::vector<std::string> all{bin};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  DaemonRun run;
  auto deadline = std::chrono::steady_clock::now() + wait;
  bool open_out = true, open_err = true;
  while ((open_out || open_err) && std::chrono::steady_clock::now() < deadline) {
    pollfd p[2] = {{open_out ? out[0] : -1, POLLIN, 0}, {open_err ? err[0] : -1, POLLIN, 0}};
    if (::poll(p, 2, 100) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if ((p[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      char buf[4096];
      ssize_t n = ::read(p[i].fd, buf, sizeof buf);
      if (n <= 0) {
        (i == 0 ? open_out : open_err) = false;
        continue;
      }
      (i == 0 ? run.out : run.err).append(buf, static_cast<std::size_t>(n));
    }
    if (run.out.find("listening on") != std::string::npos) {
      run.listened = true;
      break;
    }
  }
  int status = 0;
  bool exited = false;
  while (!run.listened && !exited && std::chrono::steady_clock::now() < deadline) {
    exited = ::waitpid(pid, &status, WNOHANG) == pid;
    if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!exited) {  // still running: it did not refuse to start
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    status = -1;
  }
  ::close(out[0]);
  ::close(err[0]);
  run.exit_code = status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status);
  return run;
}

}  // namespace codex::testing
