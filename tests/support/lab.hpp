// A small lab for service tests: a data dir in a temp dir, a fixed clock, users alice (who owns
// workspace "lab" with notebook "nb"), bob and carol (no access until shared).
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "codex/codex.hpp"
#include "support/temp_dir.hpp"

namespace codex::testing {

// REQUIREs that a Result/Status is ok, printing its error otherwise.
#define CODEX_REQUIRE_OK(expr)                  \
  do {                                          \
    auto&& codex_r_ = (expr);                   \
    INFO(::codex::testing::Describe(codex_r_)); \
    REQUIRE(codex_r_.ok());                     \
  } while (0)

inline std::string Describe(const Status& s) { return s.ToString(); }
template <class T>
std::string Describe(const Result<T>& r) {
  return r.status().ToString();
}

// The value of an ok Result (REQUIREd).
template <class T>
T Must(Result<T> r) {
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

inline std::chrono::system_clock::time_point FixedNow() {
  return std::chrono::system_clock::time_point(
      std::chrono::seconds(1795219200));  // 2026-11-21T00:00:00Z
}

class Lab {
 public:
  explicit Lab(bool with_notebook = true) {
    Options options;
    options.data_dir = (tmp_.path() / "data").string();
    options.clock = [this] { return now_; };
    options.index_threads = 2;
    codex_.emplace(Must(Codex::Open(std::move(options))));
    alice =
        Principal(Must(codex().users().Create({"alice", "alice@example.org", "password-a"})).id);
    bob = Principal(Must(codex().users().Create({"bob", "bob@example.org", "password-b"})).id);
    carol =
        Principal(Must(codex().users().Create({"carol", "carol@example.org", "password-c"})).id);
    ws = Must(codex().workspaces().Create(alice, {"Lab", std::nullopt}));
    if (with_notebook) nb = Must(codex().notebooks().Create(alice, "lab", {"NB", std::nullopt}));
  }

  Codex& codex() { return *codex_; }
  Files& files() { return codex().files(); }
  NotebookRef ref() const { return {"lab", "nb"}; }
  // The notebook folder on disk.
  std::filesystem::path root() const { return std::filesystem::path(ws.path) / nb.path; }
  const TempDir& tmp() const { return tmp_; }
  void Advance(std::chrono::seconds s) { now_ += s; }

  Principal alice, bob, carol;
  Workspace ws;
  Notebook nb;

 private:
  TempDir tmp_;
  std::chrono::system_clock::time_point now_ = FixedNow();
  std::optional<Codex> codex_;
};

}  // namespace codex::testing
