// The daemon's life: start-up checks (secret key, listen address, data dir lock), graceful
// shutdown with open WebSockets and an in-flight request, restart on the same data dir.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "codexd/daemon.hpp"

namespace codex::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A plain TCP connection for requests sent in pieces.
class RawSocket {
 public:
  explicit RawSocket(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawSocket() { ::close(fd_); }
  bool connected() const { return connected_; }
  bool Write(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Everything until the peer closes or `wait` passes.
  std::string ReadAll(milliseconds wait) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      auto left =
          std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count()) + 1) <= 0) break;
      char buf[8192];
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE(
    "codexd lifecycle: SIGTERM closes sockets 1001, finishes the in-flight request, "
    "exits 0; a restart finds the data",
    "[codexd][lifecycle]") {
  Daemon d;
  auto http = d.Client();
  std::string alice = d.AddUser("alice");
  auto f = AddNotebook(http, alice, "Lab", "Notes");
  Json made =
      Expect(http.Post(f.url + "/files/",
                       Json(Json::Object{{"path", "kept.md"}, {"content", "# Kept\n"}}), alice),
             200);
  std::int64_t kept_id = At(made, "id").as_int();

  WsClient nb(d.port(),
              "/api/v1/ws/notebooks/" + std::to_string(f.notebook_id) + "?token=" + alice);
  WsClient ws(d.port(), "/api/v1/ws/workspaces/" + std::to_string(f.workspace_id),
              {{"Cookie", "access_token=" + alice}});
  REQUIRE(nb.ReadType("connected"));
  REQUIRE(ws.ReadType("connected"));
  CHECK(At(Expect(http.Get("/health"), 200), "websocket_connections").as_int() == 2);

  // A file creation whose body is half sent when the signal arrives.
  std::string body =
      Json(Json::Object{{"path", "inflight.md"}, {"content", "# Written during shutdown\n"}})
          .Dump();
  RawSocket request(d.port());
  REQUIRE(request.connected());
  std::string head = "POST " + f.url + "/files/ HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  head += "Authorization: Bearer " + alice + "\r\nContent-Type: application/json\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  REQUIRE(request.Write(head + body.substr(0, 10)));
  Expect(http.Get("/health"), 200);  // the daemon has read the head meanwhile
  std::this_thread::sleep_for(milliseconds(200));

  d.Signal(SIGTERM);
  for (WsClient* c : {&nb, &ws}) {
    auto deadline = std::chrono::steady_clock::now() + seconds(10);
    while (c->ok() && std::chrono::steady_clock::now() < deadline) c->Read(seconds(1));
    CHECK(c->close_code() == 1001);
  }
  // The rest of the body: the request is answered although the daemon is stopping.
  REQUIRE(request.Write(body.substr(10)));
  std::string response = request.ReadAll(seconds(15));
  INFO(response);
  CHECK(response.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(response.find("inflight.md") != std::string::npos);
  // No new connections are taken.
  RawSocket late(d.port());
  CHECK(!(late.connected() && late.Write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n") &&
          late.ReadAll(seconds(2)).rfind("HTTP/1.1 200", 0) == 0));

  int status = d.Restart();  // collects the exit status of the stopped daemon
  CHECK(status == 0);
  CHECK(d.Stdout().find("listening on") != std::string::npos);

  // Same data dir: the user, their old token, both files.
  auto again = d.Client();
  CHECK(At(Expect(again.Get("/api/v1/users/me", alice), 200), "username").as_string() == "alice");
  Json text = Expect(again.Get(f.url + "/files/" + std::to_string(kept_id) + "/text", alice), 200);
  CHECK(At(text, "content").as_string() == "# Kept");
  Json inflight = Expect(again.Get(f.url + "/files/path/inflight.md/text", alice), 200);
  CHECK(At(inflight, "content").as_string() == "# Written during shutdown");
  CHECK(!d.Login("alice", "password-alice").empty());
  CHECK(At(Expect(again.Get("/health"), 200), "websocket_connections").as_int() == 0);
  WsClient after(d.port(),
                 "/api/v1/ws/notebooks/" + std::to_string(f.notebook_id) + "?token=" + alice);
  CHECK(after.ReadType("connected"));
  CHECK(d.Stop() == 0);
}

TEST_CASE("codexd lifecycle: secret.key is created once (0600) and reused across restarts",
          "[codexd][lifecycle]") {
  Daemon d;
  std::filesystem::path key = std::filesystem::path(d.data_dir()) / "secret.key";
  REQUIRE(std::filesystem::is_regular_file(key));
  struct stat st {};
  REQUIRE(::stat(key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::string bytes = ReadBytes(key);
  CHECK(bytes.size() == 32);
  std::string token = d.AddUser("alice");

  CHECK(d.Restart() == 0);
  CHECK(ReadBytes(key) == bytes);
  auto http = d.Client();
  Expect(http.Get("/api/v1/users/me", token), 200);
  // No other key file appeared beside it.
  int keys = 0;
  for (const auto& entry : std::filesystem::directory_iterator(d.data_dir())) {
    if (entry.path().filename().string().find("secret") != std::string::npos) ++keys;
  }
  CHECK(keys == 1);
}

TEST_CASE(
    "codexd lifecycle: an environment key signs tokens; the placeholder key refuses to "
    "start",
    "[codexd][lifecycle]") {
  SECTION("CODEX_SECRET_KEY is used and no key file is written") {
    Daemon d(
        DaemonOptions{{{"CODEX_SECRET_KEY", "a-long-random-secret-for-the-tests-0123456789"}}, {}});
    std::string token = d.AddUser("alice");
    CHECK(!std::filesystem::exists(std::filesystem::path(d.data_dir()) / "secret.key"));
    CHECK(d.Restart() == 0);
    Expect(d.Client().Get("/api/v1/users/me", token), 200);
  }
  SECTION("the placeholder, from either variable or from the key file") {
    const std::string placeholder = "your-secret-key-change-in-production";
    TempDir tmp;
    std::string data = (tmp / "data").string();
    std::vector<std::map<std::string, std::string>> envs = {{{"CODEX_SECRET_KEY", placeholder}},
                                                            {{"SECRET_KEY", placeholder}}};
    for (const auto& env : envs) {
      DaemonRun run = RunDaemon({"--listen", "127.0.0.1:0", "--data-dir", data}, env);
      INFO(run.out << run.err);
      CHECK(run.exit_code != 0);
      CHECK(!run.listened);
      CHECK(run.err.find("placeholder") != std::string::npos);
      CHECK(run.err.find("CODEX_SECRET_KEY") != std::string::npos);
    }
    WriteFile(tmp / "data" / "secret.key", placeholder);
    DaemonRun run = RunDaemon({"--listen", "127.0.0.1:0", "--data-dir", data}, {});
    INFO(run.out << run.err);
    CHECK(run.exit_code != 0);
    CHECK(!run.listened);
    CHECK(run.err.find("placeholder") != std::string::npos);
  }
}

TEST_CASE("codexd lifecycle: upload bodies a killed daemon left behind are cleared at start",
          "[codexd][lifecycle]") {
  Daemon d;
  std::filesystem::path tmp = std::filesystem::path(d.data_dir()) / "tmp";
  REQUIRE(std::filesystem::is_directory(tmp));
  { std::ofstream(tmp / "upload-1-1") << "half an upload"; }
  d.Signal(SIGKILL);
  CHECK(d.Restart() != 0);  // killed: not an orderly exit
  CHECK(std::filesystem::is_directory(tmp));
  CHECK(std::filesystem::is_empty(tmp));
  Expect(d.Client().Get("/health"), 200);
}

TEST_CASE("codexd lifecycle: a bad --listen address is a clear error", "[codexd][lifecycle]") {
  TempDir tmp;
  std::string data = (tmp / "data").string();
  for (const std::string listen :
       {"127.0.0.1:notaport", "127.0.0.1:99999", "127.0.0.1:-1", "127.0.0.1:", "127.0.0.1",
        "999.1.1.1:8000", "not an address:8000", "127.0.0.1:80x"}) {
    DaemonRun run = RunDaemon({"--listen", listen, "--data-dir", data}, {});
    INFO(listen << "\nstdout: " << run.out << "\nstderr: " << run.err);
    CHECK(!run.listened);
    CHECK(run.exit_code != 0);
    CHECK(run.exit_code != -1);
    CHECK(run.err.find(listen) != std::string::npos);
  }
  SECTION("the same through CODEX_LISTEN") {
    DaemonRun run = RunDaemon({"--data-dir", data}, {{"CODEX_LISTEN", "127.0.0.1:notaport"}});
    INFO(run.out << run.err);
    CHECK(!run.listened);
    CHECK(run.exit_code != 0);
    CHECK(run.err.find("127.0.0.1:notaport") != std::string::npos);
  }
  SECTION("an address in use") {
    Daemon d;
    DaemonRun run =
        RunDaemon({"--listen", "127.0.0.1:" + std::to_string(d.port()), "--data-dir", data}, {});
    INFO(run.out << run.err);
    CHECK(!run.listened);
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("127.0.0.1:" + std::to_string(d.port())) != std::string::npos);
  }
}

TEST_CASE("codexd lifecycle: a second daemon on the same data dir refuses to start",
          "[codexd][lifecycle]") {
  Daemon d;
  DaemonRun run = RunDaemon({"--listen", "127.0.0.1:0", "--data-dir", d.data_dir()}, {});
  INFO(run.out << run.err);
  CHECK(!run.listened);
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("codexd.lock") != std::string::npos);
  // The first one is unaffected.
  Expect(d.Client().Get("/health"), 200);
}

}  // namespace
}  // namespace codex::testing
