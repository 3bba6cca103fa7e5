// The watcher's settings from the environment (README): valid values taken, hostile ones ignored.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "codex/watch.hpp"

namespace {

// Sets `name` to `value` for the scope (nullptr = unset), then unsets it.
struct ScopedEnv {
  const char* name;
  ScopedEnv(const char* n, const char* value) : name(n) {
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  }
  ~ScopedEnv() { ::unsetenv(name); }
};

}  // namespace

TEST_CASE("watch options from the environment: numbers in range, anything else ignored") {
  const codex::WatchOptions defaults;
  struct Case {
    const char* value;
    long long quiet_ms;  // expected
  };
  const Case cases[] = {
      {nullptr, defaults.quiet.count()}, {"250", 250},  {"1", 1},
      {"60000", 60000},                  {"0", defaults.quiet.count()},
      {"60001", defaults.quiet.count()}, {"-5", defaults.quiet.count()},
      {"", defaults.quiet.count()},      {"12ms", defaults.quiet.count()},
      {" 7", defaults.quiet.count()},    {"99999999999999999999", defaults.quiet.count()},
  };
  for (const auto& c : cases) {
    INFO("CODEX_WATCH_QUIET_MS=" << (c.value ? c.value : "(unset)"));
    ScopedEnv env("CODEX_WATCH_QUIET_MS", c.value);
    CHECK(codex::WatchOptionsFromEnvironment().quiet.count() == c.quiet_ms);
  }
  {
    ScopedEnv env("CODEX_WATCH_MAX_DELAY_MS", "2500");
    CHECK(codex::WatchOptionsFromEnvironment().max_delay.count() == 2500);
  }
  const char* watches[][2] = {{"5000", "5000"}, {"0", "0"}, {"-1", "0"}, {"many", "0"},
                              {"100000001", "0"}};
  for (const auto& w : watches) {
    INFO("CODEX_WATCH_MAX_WATCHES=" << w[0]);
    ScopedEnv env("CODEX_WATCH_MAX_WATCHES", w[0]);
    CHECK(codex::WatchOptionsFromEnvironment().max_watches == std::stoul(w[1]));
  }
}

TEST_CASE("CODEX_WATCH turns the daemon's watcher off only when it says so") {
  const std::pair<const char*, bool> cases[] = {
      {nullptr, true}, {"on", true},    {"1", true},      {"", true},
      {"off", false},  {"0", false},    {"false", false}, {"OFF", false},
      {"False", false}, {"offline", true},
  };
  for (const auto& [value, enabled] : cases) {
    INFO("CODEX_WATCH=" << (value ? value : "(unset)"));
    ScopedEnv env("CODEX_WATCH", value);
    CHECK(codex::WatcherEnabledByEnvironment() == enabled);
  }
}
