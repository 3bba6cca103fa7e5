// Running the real codexctl binary from a test: to completion (stdout, stderr, exit code), or in
// the background with its stdout read line by line (for `codexctl watch`).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "codex/json.hpp"
#include "support/temp_dir.hpp"

namespace codex::testing {

struct CtlOut {
  int code = -1;
  std::string out;
  std::string err;
  Json json() const {
    auto parsed = Json::Parse(out);
    INFO("stdout: " << out << "\nstderr: " << err);
    REQUIRE(parsed.ok());
    return *parsed;
  }
};

// Requires exit code 0, with what codexctl printed on stderr when it is not.
inline void RequireOk(const CtlOut& result) {
  INFO("stderr: " << result.err);
  REQUIRE(result.code == 0);
}

inline std::string CodexctlBinary() {
  const char* dir = std::getenv("CODEX_TEST_BIN_DIR");
  return std::string(dir ? dir : ".") + "/codexctl/codexctl";
}

// The exit code of a child that ended, as a shell reports it (128 + signal when killed).
inline int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Forks codexctl with `args` against `data_dir`; the child's stdin, stdout and stderr are the
// given descriptors, every other descriptor of the pipes is closed in the child.
inline pid_t SpawnCodexctl(const std::string& data_dir, std::vector<std::string> args, int in,
                           int out, int err, const std::vector<int>& close_in_child) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (int fd : close_in_child) ::close(fd);
    ::setenv("CODEX_DATA_DIR", data_dir.c_str(), 1);
    ::unsetenv("CODEX_USER");
    std::string bin = CodexctlBinary();
    std::vector<char*> argv{bin.data()};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

// Runs codexctl with `args` against `data_dir` to completion, feeding `input` on stdin.
inline CtlOut RunCodexctl(const std::string& data_dir, std::vector<std::string> args,
                          const std::string& input = "") {
  int in[2], out[2], err[2];
  REQUIRE(::pipe(in) == 0);
  REQUIRE(::pipe(out) == 0);
  REQUIRE(::pipe(err) == 0);
  pid_t pid = SpawnCodexctl(data_dir, std::move(args), in[0], out[1], err[1],
                            {in[0], in[1], out[0], out[1], err[0], err[1]});
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  (void)!::write(in[1], input.data(), input.size());
  ::close(in[1]);
  CtlOut result;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[4096];
  while (open_fds > 0) {
    ::poll(fds, 2, 10000);
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.code = ExitCode(status);
  return result;
}

// codexctl running in the background, stdout read line by line; stdin is /dev/null, stderr the
// test's. Killed (SIGKILL) on destruction when still running.
class BackgroundCodexctl {
 public:
  BackgroundCodexctl(const std::string& data_dir, std::vector<std::string> args) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    int null = ::open("/dev/null", O_RDONLY);
    REQUIRE(null >= 0);
    pid_ = SpawnCodexctl(data_dir, std::move(args), null, out[1], 2, {null, out[0], out[1]});
    ::close(null);
    ::close(out[1]);
    out_ = out[0];
  }
  ~BackgroundCodexctl() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
  }
  BackgroundCodexctl(const BackgroundCodexctl&) = delete;
  BackgroundCodexctl& operator=(const BackgroundCodexctl&) = delete;

  // The next line of stdout without its newline, or nullopt at end of output or after `timeout`.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd fd{out_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(out_, buf, sizeof buf);
      if (n <= 0) return std::nullopt;
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }

  // Sends `sig` and waits up to `timeout` for the exit; the exit code, or -1 on timeout.
  int Stop(int sig, std::chrono::milliseconds timeout) {
    ::kill(pid_, sig);
    return Wait(timeout);
  }

  // Waits up to `timeout` for the exit; the exit code, or -1 on timeout.
  int Wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    return ExitCode(status);
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

// A data dir with an initialised user "admin", workspace "lab" and notebook "nb".
struct CtlLab {
  TempDir tmp;
  std::string dir = (tmp / "data").string();
  CtlLab() {
    REQUIRE(RunCodexctl(dir, {"init"}).code == 0);
    REQUIRE(RunCodexctl(dir, {"workspace", "create", "Lab"}).code == 0);
    REQUIRE(RunCodexctl(dir, {"notebook", "create", "lab", "NB"}).code == 0);
  }
  // The notebook's folder.
  std::string nb_dir() const { return dir + "/workspaces/lab/nb"; }
  CtlOut operator()(std::vector<std::string> args, const std::string& input = "") const {
    return RunCodexctl(dir, std::move(args), input);
  }
};

}  // namespace codex::testing
