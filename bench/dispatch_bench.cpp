// The library's share of one HTTP request: codex::http::Api::Dispatch over the daemon's real
// route table, with no sockets, on a populated data dir (bench/http_bench.sh makes one).
// Usage: dispatch_bench --data-dir DIR [--user NAME --password PW] [--requests N] [--only NAME]
// Prints "<name>_us_per_request" for GET file metadata and a search, single-threaded.
#include <time.h>

#include <chrono>
#include <codex/auth.hpp>
#include <codex/codex.hpp>
#include <codex/http.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "../codexd/routes.hpp"

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "dispatch_bench: %s\n", what.c_str());
  std::exit(1);
}

// This thread's CPU time: steadier than wall time on a busy machine.
double CpuMicros() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

codex::http::Request Get(const std::string& target, const std::string& token) {
  codex::http::Request r;
  r.method = "GET";
  r.target = target;
  r.peer = "127.0.0.1";
  r.headers.emplace_back("authorization", "Bearer " + token);
  r.headers.emplace_back("host", "127.0.0.1");
  return r;
}

void Measure(codex::http::Api& api, const std::string& name, const codex::http::Request& req,
             int requests) {
  for (int i = 0; i < requests / 10; ++i) api.Dispatch(req);  // warm caches
  auto start = Clock::now();
  double cpu_start = CpuMicros();
  for (int i = 0; i < requests; ++i) {
    if (api.Dispatch(req).status != 200) Die(name + ": not 200");
  }
  double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  std::printf("%s_us_per_request %.1f\n", name.c_str(), us / requests);
  std::printf("%s_cpu_us_per_request %.1f\n", name.c_str(), (CpuMicros() - cpu_start) / requests);
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir, only, user = "bench", password = "bench-password";
  int requests = 20000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--data-dir") data_dir = argv[i + 1];
    if (flag == "--user") user = argv[i + 1];
    if (flag == "--password") password = argv[i + 1];
    if (flag == "--requests") requests = std::atoi(argv[i + 1]);
    if (flag == "--only") only = argv[i + 1];  // file_meta or search (for profiling)
  }
  if (data_dir.empty()) Die("usage: dispatch_bench --data-dir DIR [--user U --password P]");
  auto key = codex::LoadSecretKey(data_dir);
  if (!key.ok()) Die(key.status().ToString());
  codex::Options options;
  options.data_dir = data_dir;
  options.secret_key = *key;
  auto codex = codex::Codex::Open(options);
  if (!codex.ok()) Die(codex.status().ToString());
  codex::http::Config config;
  config.rate_limit_per_minute = 0;
  config.auth_rate_limit_per_minute = 0;
  codex::http::Api api(*codex, codexd::Routes(), config);

  codex::http::Request login;
  login.method = "POST";
  login.target = "/api/v1/users/token";
  login.peer = "127.0.0.1";
  login.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  login.body = "username=" + user + "&password=" + password;
  auto signed_in = api.Dispatch(login);
  if (signed_in.status != 200) Die("sign-in: " + signed_in.body);
  std::string token = codex::Json::Parse(signed_in.body)->find("access_token")->as_string();

  std::string nb = "/api/v1/workspaces/bench/notebooks/corpus";
  auto list = api.Dispatch(Get(nb + "/files?limit=1&skip=5000", token));
  if (list.status != 200) Die("list: " + list.body);
  auto parsed = codex::Json::Parse(list.body);
  std::int64_t id = parsed->find("files")->as_array().at(0).find("id")->as_int();

  if (only.empty() || only == "file_meta") {
    Measure(api, "dispatch_file_meta", Get(nb + "/files/" + std::to_string(id), token), requests);
  }
  if (only.empty() || only == "search") {
    Measure(api, "dispatch_search",
            Get("/api/v1/workspaces/bench/search?q=spectrophotometer&limit=20", token),
            requests / 20);
  }
  return 0;
}
