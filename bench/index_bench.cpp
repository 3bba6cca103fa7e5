// Indexing and search figures on a corpus folder (bench/run.sh drives it next to the floor).
// Usage: index_bench --corpus DIR --work DIR [--runs N] [--floor SECONDS]
// Prints one "name value" line per figure, then a readable summary.
#include <algorithm>
#include <chrono>
#include <codex/codex.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "stats.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void Die(const std::string& what, const codex::Status& s) {
  std::fprintf(stderr, "index_bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(1);
}

template <class T>
T Must(codex::Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(r).value();
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

using bench::Median;
using bench::Percentile;

struct Setup {
  codex::Codex codex;
  codex::Principal who;
  std::string notebook_dir;
};

// A fresh data dir with one user, workspace "bench" and notebook "corpus" filled from `corpus`.
Setup Prepare(const std::string& work, const std::string& corpus) {
  fs::remove_all(work);
  codex::Options options;
  options.data_dir = work + "/data";
  auto c = Must(codex::Codex::Open(options), "open");
  auto user = Must(c.users().Create({"bench", "bench@example.org", "bench-password"}), "user");
  (void)c.SetSetting("codexctl.default_user", "bench");
  codex::Principal who(user.id);
  auto ws = Must(c.workspaces().Create(who, {"Bench", std::nullopt}), "workspace");
  auto nb = Must(c.notebooks().Create(who, "bench", {"Corpus", std::nullopt}), "notebook");
  std::string dir = ws.path + "/" + nb.path;
  fs::copy(corpus, dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return Setup{std::move(c), who, dir};
}

void DropIndex(const std::string& notebook_dir) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(notebook_dir + "/.codex/notebook.db" + suffix);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus, work = "/tmp/codex-bench/run";
  int runs = 3;
  double floor_s = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--corpus")
      corpus = argv[i + 1];
    else if (flag == "--work")
      work = argv[i + 1];
    else if (flag == "--runs")
      runs = std::atoi(argv[i + 1]);
    else if (flag == "--floor")
      floor_s = std::atof(argv[i + 1]);
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "usage: index_bench --corpus DIR --work DIR [--runs N] [--floor S]\n");
    return 64;
  }
  Setup s = Prepare(work, corpus);
  codex::NotebookRef nb{"bench", "corpus"};
  codex::IndexOptions index_only;
  index_only.commit = false;

  // Cold index: a fresh index database each run, through a fresh library instance.
  std::vector<double> cold;
  codex::IndexReport report;
  for (int r = 0; r < runs; ++r) {
    DropIndex(s.notebook_dir);
    codex::Options options;
    options.data_dir = work + "/data";
    auto fresh = Must(codex::Codex::Open(options), "reopen");
    auto t0 = Clock::now();
    report = Must(fresh.notebooks().Index(s.who, nb, index_only), "cold index");
    cold.push_back(Seconds(Clock::now() - t0));
  }
  // Once more from an empty index, now with the batch commit of every file (the corpus's first
  // commit): the extra time is the git cost.
  DropIndex(s.notebook_dir);
  codex::Options options;
  options.data_dir = work + "/data";
  auto fresh = Must(codex::Codex::Open(options), "reopen");
  auto t0 = Clock::now();
  auto committed = Must(fresh.notebooks().Index(s.who, nb), "index + commit");
  double commit_s = Seconds(Clock::now() - t0);

  std::vector<double> nochange;
  for (int r = 0; r < 10; ++r) {
    auto t1 = Clock::now();
    auto rep = Must(s.codex.notebooks().Index(s.who, nb, index_only), "re-index");
    nochange.push_back(Seconds(Clock::now() - t1));
    if (rep.unchanged != rep.files) Die("re-index", codex::Status::Internal("files changed"));
  }

  std::vector<double> search;
  std::int64_t hits = 0;
  codex::SearchOptions opts;
  opts.limit = 20;
  for (int r = 0; r < 220; ++r) {
    auto t2 = Clock::now();
    auto res = Must(s.codex.search().Query(s.who, "bench", "spectrophotometer", opts), "search");
    if (r >= 20) search.push_back(Seconds(Clock::now() - t2));  // the first 20 warm caches
    hits = res.total;
  }

  double cold_med = Median(cold);
  std::printf("files %lld\n", static_cast<long long>(report.files));
  std::printf("cold_index_median_s %.3f\n", cold_med);
  if (floor_s > 0) std::printf("cold_index_ratio_to_floor %.2f\n", cold_med / floor_s);
  std::printf("cold_index_with_initial_commit_s %.3f\n", commit_s);
  std::printf("nochange_reindex_median_ms %.1f\n", Median(nochange) * 1000);
  std::printf("search_hits %lld\n", static_cast<long long>(hits));
  std::printf("search_inprocess_median_ms %.3f\n", Median(search) * 1000);
  std::printf("search_inprocess_p99_ms %.3f\n", Percentile(search, 0.99) * 1000);
  std::printf("commit %s\n", committed.commit ? committed.commit->c_str() : "-");
  return 0;
}
