// Live-sync figures against DESIGN §7, measured in one run: change-event latency of one edited
// file, a 10k-file copy-in indexed and committed by the watcher, git alone (initial commit of the
// corpus, a 10-file commit), and the resident memory of a process watching 100 notebooks.
// Usage: watch_bench --corpus DIR [--edits N] [--parts watch,git,memory] [--keep]
//        watch_bench --rss-child DATA_DIR          (internal: the fresh process of figure 4)
//        watch_bench --populate DATA_DIR           (figure 4's data dir only, for a profiler:
//                                                   heaptrack watch_bench --rss-child DATA_DIR)
// bench/run.sh passes the reference corpus. --keep leaves the temp dir (for perf/heaptrack on
// `--rss-child DIR/mem-data`); --commit-delay-ms N sets the watcher's commit_quiet and
// commit_max_delay (to see what the commits cost the edit latency).
// Prints one "name value" line per figure, then a table of figure / budget / pass.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <codex/codex.hpp>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "stats.hpp"
#include "vcs/repository.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string g_work;  // the temp dir, removed on every exit path of the parent

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "watch_bench: %s\n", what.c_str());
  if (!g_work.empty()) {
    std::error_code ec;
    fs::remove_all(g_work, ec);
  }
  std::exit(1);
}

template <class T>
T Must(codex::Result<T> r, const std::string& what) {
  if (!r.ok()) Fail(what + ": " + r.status().ToString());
  return std::move(r).value();
}

void MustOk(const codex::Status& s, const std::string& what) {
  if (!s.ok()) Fail(what + ": " + s.ToString());
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

using bench::Median;
using bench::Percentile;

void Append(const fs::path& file, const std::string& line) {
  std::ofstream out(file, std::ios::app | std::ios::binary);
  out << line;
  if (!out.flush()) Fail("cannot write " + file.string());
}

void WriteFile(const fs::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::trunc | std::ios::binary);
  out << content;
  if (!out.flush()) Fail("cannot write " + file.string());
}

// The kB figures of /proc/self/status ("VmRSS", "VmHWM", "RssAnon", "RssFile").
std::map<std::string, long> ProcStatus() {
  std::ifstream in("/proc/self/status");
  std::map<std::string, long> out;
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::istringstream rest(line.substr(colon + 1));
    long kb = 0;
    if (rest >> kb) out[line.substr(0, colon)] = kb;
  }
  return out;
}

std::vector<std::string> CorpusFiles(const std::string& corpus) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), corpus).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Row {
  std::string figure;
  std::string value;
  std::string budget;
  std::string verdict;  // "pass", "FAIL", or "-" (informative)
};
std::vector<Row> g_rows;

void Figure(const std::string& name, double value, const char* fmt) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, value);
  std::printf("%s %s\n", name.c_str(), buf);
  std::fflush(stdout);
}

void Judge(const std::string& figure, double value, const char* fmt, const std::string& budget,
           std::optional<double> limit) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, value);
  std::string verdict = !limit ? "-" : value <= *limit ? "pass" : "FAIL";
  g_rows.push_back({figure, buf, budget, verdict});
}

struct Lab {
  codex::Codex codex;
  codex::Principal who;
  std::string ws_slug;
  std::string ws_path;
};

Lab OpenLab(const std::string& data_dir) {
  codex::Options options;
  options.data_dir = data_dir;
  auto c = Must(codex::Codex::Open(options), "open " + data_dir);
  auto user = Must(c.users().Create({"bench", "bench@example.org", "bench-password"}), "user");
  codex::Principal who(user.id);
  auto ws = Must(c.workspaces().Create(who, {"Bench", std::nullopt}), "workspace");
  return Lab{std::move(c), who, ws.slug, ws.path};
}

// ---- 1 + 2: the watcher on the reference corpus ----

// Waits for the change event of one path (the subscription callback hands it over).
class EventWaiter {
 public:
  void OnEvent(const codex::Event& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counts_[std::string(codex::EventKindName(e.kind))];
    if (!want_.empty() && e.path == want_ && !got_) {
      got_ = Clock::now();
      cv_.notify_all();
    }
  }
  void Expect(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    want_ = path;
    got_.reset();
  }
  std::optional<Clock::time_point> Wait(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return got_.has_value(); });
    auto got = got_;
    want_.clear();
    return got;
  }
  std::map<std::string, long> TakeCounts() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(counts_, {});
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::string want_;
  std::optional<Clock::time_point> got_;
  std::map<std::string, long> counts_;
};

std::string Counts(const std::map<std::string, long>& counts) {
  std::string out;
  for (const auto& [kind, n] : counts)
    out += (out.empty() ? "" : ",") + kind + "=" + std::to_string(n);
  return out.empty() ? "none" : out;
}

void WatcherFigures(const std::string& work, const std::string& corpus, int edits,
                    int commit_delay_ms) {
  Lab lab = OpenLab(work + "/watch-data");
  auto nb = Must(lab.codex.notebooks().Create(lab.who, lab.ws_slug, {"Corpus", std::nullopt}),
                 "notebook");
  const std::string nb_id = std::to_string(nb.id);
  codex::NotebookRef ref{lab.ws_slug, nb_id};
  const fs::path root = fs::path(lab.ws_path) / nb.path;

  EventWaiter waiter;
  auto sub = Must(lab.codex.events().SubscribeNotebook(
                      lab.who, nb.id, [&waiter](const codex::Event& e) { waiter.OnEvent(e); }),
                  "subscribe");
  codex::WatchOptions options;  // the defaults: quiet 100 ms, commit quiet 300 ms
  if (commit_delay_ms > 0) {
    options.commit_quiet = options.commit_max_delay = std::chrono::milliseconds(commit_delay_ms);
    std::printf("commit_delay_ms %d (diagnostic: not the default)\n", commit_delay_ms);
  }
  const double quiet_ms = static_cast<double>(options.quiet.count());
  MustOk(lab.codex.watcher().Start(options), "watcher start");
  if (!lab.codex.watcher().Settle(std::chrono::seconds(60))) Fail("first settle timed out");
  waiter.TakeCounts();

  // 2. Copy-in of the corpus, until indexed, published and committed.
  std::printf("== 2. copy-in of %s into a watched notebook\n", corpus.c_str());
  auto t0 = Clock::now();
  fs::copy(corpus, root, fs::copy_options::recursive);
  double copy_ms = Ms(Clock::now() - t0);
  if (!lab.codex.watcher().Settle(std::chrono::minutes(10))) Fail("copy-in settle timed out");
  double copyin_s = Ms(Clock::now() - t0) / 1000;
  auto list = Must(lab.codex.files().List(lab.who, ref, {0, -1}), "list");
  long committed = 0;
  for (const auto& f : list.files) committed += f.git_tracked && f.last_commit_hash ? 1 : 0;
  long history = 0;
  if (!list.files.empty()) {
    for (auto id : {list.files.front().id, list.files.back().id}) {
      auto h = Must(lab.codex.files().History(lab.who, ref, id, 10), "history");
      history += h.history.empty() ? 0 : 1;
    }
  }
  Figure("copyin_copy_only_ms", copy_ms, "%.0f");
  Figure("copyin_until_settled_s", copyin_s, "%.2f");
  Figure("copyin_rows", static_cast<double>(list.total), "%.0f");
  Figure("copyin_rows_committed", static_cast<double>(committed), "%.0f");
  Figure("copyin_history_nonempty_of_2", static_cast<double>(history), "%.0f");
  std::printf("copyin_events %s\n", Counts(waiter.TakeCounts()).c_str());
  Judge("copy-in 10k: settled (indexed+committed)", copyin_s, "%.2f s", "- (no budget)",
        std::nullopt);
  const bool complete = list.total == 10000 && committed == 10000 && history == 2;
  g_rows.push_back({"copy-in 10k: rows / committed / history",
                    std::to_string(list.total) + " / " + std::to_string(committed) + " / " +
                        (history == 2 ? "yes" : "no"),
                    "10000 / 10000 / yes", complete ? "pass" : "FAIL"});

  // 1. One edit at a time, each waiting for its own event.
  std::printf("== 1. write -> change event, %d edits one at a time (quiet %.0f ms)\n", edits,
              quiet_ms);
  std::vector<double> lat, at;  // latency of each edit, and its start since the first edit
  const auto edits_start = Clock::now();
  std::printf(
      "edits_start_unix_s %.3f\n",
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
  const std::size_t stride = std::max<std::size_t>(1, list.files.size() / edits);
  for (int i = 0; i < edits; ++i) {
    const std::string& path =
        list.files[(static_cast<std::size_t>(i) * stride) % list.files.size()].path;
    waiter.Expect(path);
    auto w0 = Clock::now();
    Append(root / path, "\nEdited by watch_bench, round " + std::to_string(i) + ".\n");
    auto got = waiter.Wait(std::chrono::seconds(30));
    if (!got) Fail("no event for " + path + " within 30 s");
    lat.push_back(Ms(*got - w0));
    at.push_back(Ms(w0 - edits_start) / 1000);
  }
  if (!lab.codex.watcher().Settle(std::chrono::minutes(1))) Fail("edit settle timed out");
  std::printf("edit_events %s\n", Counts(waiter.TakeCounts()).c_str());
  double med = Median(lat), p99 = Percentile(lat, 0.99),
         worst = *std::max_element(lat.begin(), lat.end());
  Figure("edit_event_median_ms", med, "%.1f");
  Figure("edit_event_p99_ms", p99, "%.1f");
  Figure("edit_event_max_ms", worst, "%.1f");
  // The slowest edits, with when they happened (to line them up with commits, refreshes, …).
  std::vector<std::size_t> order(lat.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return lat[a] > lat[b]; });
  std::printf("edit_slowest");
  for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k) {
    std::printf(" #%zu@%.2fs=%.0fms", order[k], at[order[k]], lat[order[k]]);
  }
  std::printf("\n");
  Figure("edit_event_median_after_quiet_ms", med - quiet_ms, "%.1f");
  Figure("edit_event_p99_after_quiet_ms", p99 - quiet_ms, "%.1f");
  Judge("edit -> event, median, raw", med, "%.1f ms", "-", std::nullopt);
  Judge("edit -> event, p99, raw", p99, "%.1f ms", "-", std::nullopt);
  Judge("edit -> event, median, minus quiet", med - quiet_ms, "%.1f ms", "<= 50 ms", 50);
  Judge("edit -> event, p99, minus quiet", p99 - quiet_ms, "%.1f ms", "<= 50 ms", 50);
  sub.Cancel();
  lab.codex.watcher().Stop();
}

// ---- 3: git alone ----

void GitFigures(const std::string& work, const std::string& corpus) {
  std::printf("== 3. git alone (vcs::Repository) on a fresh copy of the corpus\n");
  const std::string root = work + "/git";
  fs::copy(corpus, root, fs::copy_options::recursive);
  const codex::vcs::Signature who{"watch_bench", "bench@example.org"};
  auto t0 = Clock::now();
  auto repo = Must(codex::vcs::Repository::OpenOrInit(root, who), "git init");
  double init_ms = Ms(Clock::now() - t0);
  auto t1 = Clock::now();
  auto sha = Must(repo->CommitAll("Initial import", who), "commit all");
  double initial_s = Ms(Clock::now() - t1) / 1000;
  if (!sha) Fail("the initial commit committed nothing");
  Figure("git_init_ms", init_ms, "%.1f");
  Figure("git_initial_commit_10k_s", initial_s, "%.3f");

  auto files = CorpusFiles(corpus);
  std::vector<double> rounds;
  for (int r = 0; r < 10; ++r) {
    std::vector<std::string> paths;
    for (int k = 0; k < 10; ++k) {
      paths.push_back(files[(static_cast<std::size_t>(r) * 10 + k) * 97 % files.size()]);
      Append(fs::path(root) / paths.back(), "\nRound " + std::to_string(r) + ".\n");
    }
    auto t2 = Clock::now();
    auto c = Must(repo->CommitPaths(paths, "Batch update", who), "commit paths");
    rounds.push_back(Ms(Clock::now() - t2));
    if (!c) Fail("a 10-file commit committed nothing");
  }
  Figure("git_commit_10_files_median_ms", Median(rounds), "%.1f");
  Figure("git_commit_10_files_max_ms", *std::max_element(rounds.begin(), rounds.end()), "%.1f");
  Judge("git initial commit of 10k", initial_s, "%.2f s", "<= 3 s", 3.0);
  Judge("git commit of 10 edited files, median", Median(rounds), "%.1f ms", "<= 60 ms", 60);
}

// ---- 4: memory of a process watching 100 notebooks ----

constexpr int kMemNotebooks = 100, kMemFiles = 1000;

void Populate(const std::string& data_dir, int notebooks, int files_per) {
  Lab lab = OpenLab(data_dir);
  for (int n = 0; n < notebooks; ++n) {
    auto nb = Must(lab.codex.notebooks().Create(lab.who, lab.ws_slug,
                                                {"Notebook " + std::to_string(n), std::nullopt}),
                   "notebook " + std::to_string(n));
    const fs::path root = fs::path(lab.ws_path) / nb.path;
    for (int i = 0; i < files_per; ++i) {
      const fs::path dir = root / ("d" + std::to_string(i % 10));
      if (i < 10) fs::create_directories(dir);
      WriteFile(dir / ("note-" + std::to_string(i) + ".md"),
                "---\ntitle: Note " + std::to_string(i) + "\ntags: [bench, t" +
                    std::to_string(i % 20) + "]\n---\n# Note " + std::to_string(i) +
                    "\n\nNotebook " + std::to_string(n) + ", a small note that links to [[note-" +
                    std::to_string((i + 1) % files_per) + "]] and says #idle.\n");
    }
  }
}

// The child process: opens the data dir, watches it until settled, then reports its memory.
int RssChild(const std::string& data_dir) {
  auto t0 = Clock::now();
  codex::Options options;
  options.data_dir = data_dir;
  auto c = Must(codex::Codex::Open(options), "open");
  long after_open = ProcStatus()["VmRSS"];
  MustOk(c.watcher().Start({}), "watcher start");
  if (!c.watcher().Settle(std::chrono::minutes(20))) Fail("settle timed out");
  double settle_s = Ms(Clock::now() - t0) / 1000;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto status = ProcStatus();
  struct mallinfo2 mi = mallinfo2();
  std::printf("notebooks %lld\n", static_cast<long long>(c.watcher().notebook_count()));
  std::printf("settle_s %.2f\n", settle_s);
  std::printf("rss_after_open_kb %ld\n", after_open);
  std::printf("rss_kb %ld\n", status["VmRSS"]);
  std::printf("hwm_kb %ld\n", status["VmHWM"]);
  std::printf("rss_anon_kb %ld\n", status["RssAnon"]);
  std::printf("rss_file_kb %ld\n", status["RssFile"]);
  std::printf("threads %ld\n", status["Threads"]);
  std::printf("heap_in_use_kb %zu\n", mi.uordblks / 1024);
  std::printf("heap_free_kb %zu\n", mi.fordblks / 1024);
  std::printf("mmapped_kb %zu\n", mi.hblkhd / 1024);
  std::fflush(stdout);
  c.watcher().Stop();
  return 0;
}

// Runs this program again with --rss-child and returns its "name value" lines.
std::map<std::string, double> RunChild(const std::string& data_dir) {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) Fail("readlink /proc/self/exe failed");
  self[n] = '\0';
  std::string cmd = std::string("'") + self + "' --rss-child '" + data_dir + "'";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) Fail("popen failed");
  std::map<std::string, double> out;
  char line[512];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    char name[256];
    double value = 0;
    if (std::sscanf(line, "%255s %lf", name, &value) == 2) out[name] = value;
  }
  if (::pclose(pipe) != 0) Fail("the --rss-child process failed");
  return out;
}

void MemoryFigures(const std::string& work) {
  const int kNotebooks = kMemNotebooks, kFiles = kMemFiles;
  std::printf("== 4. memory of a process watching %d notebooks x %d files\n", kNotebooks, kFiles);
  const std::string data_dir = work + "/mem-data";
  auto t0 = Clock::now();
  Populate(data_dir, kNotebooks, kFiles);
  Figure("populate_s", Ms(Clock::now() - t0) / 1000, "%.1f");
  const char* runs[] = {"first_start", "idle_restart"};
  for (const char* run : runs) {
    auto r = RunChild(data_dir);
    for (const auto& [name, value] : r) std::printf("%s_%s %.2f\n", run, name.c_str(), value);
    std::fflush(stdout);
    if (r["notebooks"] != kNotebooks) Fail("the child watched " + std::to_string(r["notebooks"]));
    double rss_mb = r["rss_kb"] / 1024, hwm_mb = r["hwm_kb"] / 1024;
    std::string label =
        std::string(run) == "first_start" ? "first start (indexes 100k)" : "idle daemon (restart)";
    Judge("RSS, 100 notebooks, " + label, rss_mb, "%.1f MB", "<= 100 MB", 100);
    Judge("peak RSS (VmHWM), " + label, hwm_mb, "%.1f MB", "-", std::nullopt);
  }
}

void PrintTable() {
  std::size_t w0 = 6, w1 = 5, w2 = 6;
  for (const auto& r : g_rows) {
    w0 = std::max(w0, r.figure.size());
    w1 = std::max(w1, r.value.size());
    w2 = std::max(w2, r.budget.size());
  }
  std::printf("\n== watch_bench vs DESIGN §7\n");
  std::printf("%-*s  %*s  %-*s  %s\n", static_cast<int>(w0), "figure", static_cast<int>(w1),
              "value", static_cast<int>(w2), "budget", "verdict");
  for (const auto& r : g_rows) {
    std::printf("%-*s  %*s  %-*s  %s\n", static_cast<int>(w0), r.figure.c_str(),
                static_cast<int>(w1), r.value.c_str(), static_cast<int>(w2), r.budget.c_str(),
                r.verdict.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus, parts = "watch,git,memory";
  int edits = 200, commit_delay_ms = 0;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--keep") {
      keep = true;
      continue;
    }
    if (i + 1 >= argc) break;
    std::string value = argv[++i];
    if (flag == "--rss-child") return RssChild(value);
    if (flag == "--populate") {
      Populate(value, kMemNotebooks, kMemFiles);
      return 0;
    }
    if (flag == "--corpus") corpus = value;
    if (flag == "--parts") parts = value;
    if (flag == "--edits") edits = std::max(1, std::atoi(value.c_str()));
    if (flag == "--commit-delay-ms") commit_delay_ms = std::max(0, std::atoi(value.c_str()));
  }
  const bool needs_corpus =
      parts.find("watch") != std::string::npos || parts.find("git") != std::string::npos;
  if (needs_corpus && (corpus.empty() || !fs::is_directory(corpus))) {
    std::fprintf(stderr,
                 "usage: watch_bench --corpus DIR [--edits N] [--parts watch,git,memory] [--keep] "
                 "[--commit-delay-ms N]\n");
    return 64;
  }
  char tmpl[] = "/tmp/codex-watch-bench.XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) Fail("mkdtemp failed");
  g_work = tmpl;
  std::printf("work %s\n", g_work.c_str());
  auto phase = [&](const char* name, auto&& run) {
    if (parts.find(name) == std::string::npos) return;
    auto t0 = Clock::now();
    run();
    std::printf("phase_%s_wall_s %.1f\n", name, Ms(Clock::now() - t0) / 1000);
  };
  phase("watch", [&] { WatcherFigures(g_work, corpus, edits, commit_delay_ms); });
  phase("git", [&] { GitFigures(g_work, corpus); });
  phase("memory", [&] { MemoryFigures(g_work); });
  PrintTable();
  if (!keep) fs::remove_all(g_work);
  return 0;
}
