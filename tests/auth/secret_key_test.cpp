// LoadSecretKey (SEMANTICS §1.2 step 2): environment first, else <data_dir>/secret.key.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "codex/auth.hpp"
#include "support/temp_dir.hpp"

using codex::Code;
using codex::LoadSecretKey;
using codex::testing::ReadFile;
using codex::testing::TempDir;
using codex::testing::WriteFile;

namespace {

// Sets (or unsets, with nullopt) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

const std::string kLongKey = "k3y-with-more-than-thirty-two-bytes-in-it";

int Mode(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 0777);
}

}  // namespace

TEST_CASE("LoadSecretKey prefers CODEX_SECRET_KEY, then SECRET_KEY") {
  TempDir tmp;
  std::string dir = tmp.str();
  std::string warning = "stale";
  {
    ScopedEnv a("CODEX_SECRET_KEY", kLongKey);
    ScopedEnv b("SECRET_KEY", "other-" + kLongKey);
    auto key = LoadSecretKey(dir, &warning);
    REQUIRE(key.ok());
    CHECK(*key == kLongKey);
    CHECK(warning.empty());
  }
  {
    ScopedEnv a("CODEX_SECRET_KEY", std::nullopt);
    ScopedEnv b("SECRET_KEY", "other-" + kLongKey);
    CHECK(*LoadSecretKey(dir) == "other-" + kLongKey);
  }
  {
    ScopedEnv a("CODEX_SECRET_KEY", "");  // empty = unset
    ScopedEnv b("SECRET_KEY", "\xc3\xa9t\xc3\xa9-" + kLongKey);
    CHECK(*LoadSecretKey(dir) == "\xc3\xa9t\xc3\xa9-" + kLongKey);  // the UTF-8 bytes
  }
  CHECK_FALSE(std::filesystem::exists(tmp / "secret.key"));
}

TEST_CASE("LoadSecretKey warns about short environment keys") {
  TempDir tmp;
  ScopedEnv b("SECRET_KEY", std::nullopt);
  std::string warning;
  {
    ScopedEnv a("CODEX_SECRET_KEY", "short");
    auto key = LoadSecretKey(tmp.str(), &warning);
    REQUIRE(key.ok());
    CHECK(*key == "short");
    CHECK(warning.find("CODEX_SECRET_KEY") != std::string::npos);
    CHECK(LoadSecretKey(tmp.str()).ok());  // no warning sink: fine
  }
  {
    ScopedEnv a("CODEX_SECRET_KEY", std::string(32, 'x'));
    REQUIRE(LoadSecretKey(tmp.str(), &warning).ok());
    CHECK(warning.empty());
  }
}

TEST_CASE("LoadSecretKey refuses the published placeholder") {
  TempDir tmp;
  const std::string placeholder = "your-secret-key-change-in-production";
  for (const char* name : {"CODEX_SECRET_KEY", "SECRET_KEY"}) {
    INFO(name);
    ScopedEnv a("CODEX_SECRET_KEY", std::nullopt);
    ScopedEnv b("SECRET_KEY", std::nullopt);
    ScopedEnv c(name, placeholder);
    auto key = LoadSecretKey(tmp.str());
    REQUIRE_FALSE(key.ok());
    CHECK(key.status().code() == Code::kInvalidArgument);
    CHECK(key.status().reason() == "insecure_secret_key");
  }
  ScopedEnv a("CODEX_SECRET_KEY", std::nullopt);
  ScopedEnv b("SECRET_KEY", std::nullopt);
  WriteFile(tmp / "secret.key", placeholder);
  CHECK(LoadSecretKey(tmp.str()).status().reason() == "insecure_secret_key");
}

TEST_CASE("LoadSecretKey creates secret.key once: 32 bytes, mode 0600, no temp files left") {
  TempDir tmp;
  ScopedEnv a("CODEX_SECRET_KEY", std::nullopt);
  ScopedEnv b("SECRET_KEY", std::nullopt);
  std::string dir = (tmp / "data" / "nested").string();  // created when missing
  std::string warning;
  auto first = LoadSecretKey(dir, &warning);
  REQUIRE(first.ok());
  CHECK(first->size() == 32);
  CHECK(warning.empty());
  std::filesystem::path file = std::filesystem::path(dir) / "secret.key";
  CHECK(ReadFile(file) == *first);
  CHECK(Mode(file) == 0600);
  auto second = LoadSecretKey(dir);
  REQUIRE(second.ok());
  CHECK(*second == *first);
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++entries;
  }
  CHECK(entries == 1);
  // Another data dir gets another key.
  auto other = LoadSecretKey((tmp / "other").string());
  REQUIRE(other.ok());
  CHECK(*other != *first);
}

TEST_CASE("LoadSecretKey reads an existing key file as raw bytes") {
  TempDir tmp;
  ScopedEnv a("CODEX_SECRET_KEY", std::nullopt);
  ScopedEnv b("SECRET_KEY", std::nullopt);
  std::string raw("\x00\x01\xff key bytes \n", 15);
  WriteFile(tmp / "secret.key", raw);
  std::filesystem::permissions(tmp / "secret.key", std::filesystem::perms(0600));
  std::string warning;
  auto key = LoadSecretKey(tmp.str(), &warning);
  REQUIRE(key.ok());
  CHECK(*key == raw);
  CHECK(warning.empty());
  // A key file others can read still loads, with a warning.
  std::filesystem::permissions(tmp / "secret.key", std::filesystem::perms(0644));
  REQUIRE(LoadSecretKey(tmp.str(), &warning).ok());
  CHECK_FALSE(warning.empty());
}

TEST_CASE("LoadSecretKey does not replace a damaged or odd key file") {
  TempDir tmp;
  ScopedEnv a("CODEX_SECRET_KEY", std::nullopt);
  ScopedEnv b("SECRET_KEY", std::nullopt);
  SECTION("empty") {
    WriteFile(tmp / "secret.key", "");
    auto key = LoadSecretKey(tmp.str());
    CHECK(key.status().code() == Code::kIoError);
    CHECK(ReadFile(tmp / "secret.key").empty());
  }
  SECTION("a directory") {
    std::filesystem::create_directory(tmp / "secret.key");
    CHECK(LoadSecretKey(tmp.str()).status().code() == Code::kIoError);
  }
  SECTION("a symlink") {
    WriteFile(tmp / "elsewhere", std::string(32, 'e'));
    std::filesystem::create_symlink(tmp / "elsewhere", tmp / "secret.key");
    CHECK(LoadSecretKey(tmp.str()).status().code() == Code::kIoError);
  }
}
