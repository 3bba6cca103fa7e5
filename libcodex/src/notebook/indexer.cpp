#include "notebook/indexer.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <future>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/fs.hpp"
#include "common/thread_pool.hpp"
#include "index/sidecar.hpp"
#include "notebook/extract.hpp"

namespace codex::notebook {
namespace {

using storage::FileRecord;
using storage::NotebookWriter;

index::ExistsFn DiskExists(const std::string& root) {
  return [root](const std::string& rel) {
    fs::Stat st = fs::StatBeneath(root, rel);
    return st.exists && st.is_file;
  };
}

// Applies one extracted record: insert, update, or only a new scan signature.
void Apply(NotebookWriter& w, FileRecord& rec, bool scanned, std::vector<Change>* changes,
           IndexReport* report) {
  std::optional<FileMeta> existing = w.GetByPath(rec.meta.path);
  if (!existing) {
    std::int64_t id = w.Insert(rec);
    changes->push_back({ChangeKind::kCreated, id, rec.meta.path, {}, scanned, rec.binary});
    if (report) ++report->added;
    return;
  }
  if (SameIndexedState(*existing, rec.meta)) {
    w.UpdateStatSig(existing->id, rec.stat_sig);
    if (report) ++report->unchanged;
    return;
  }
  rec.meta.created_at = existing->created_at;
  rec.meta.git_tracked = existing->git_tracked;
  rec.meta.last_commit_hash = existing->last_commit_hash;
  w.Update(existing->id, rec);
  changes->push_back({ChangeKind::kModified, existing->id, rec.meta.path, {}, scanned, rec.binary});
  if (report) ++report->modified;
}

void DeleteRow(NotebookWriter& w, const std::string& path, bool scanned,
               std::vector<Change>* changes) {
  if (auto row = w.GetByPath(path)) {
    w.Delete(row->id);
    changes->push_back({ChangeKind::kDeleted, row->id, path, {}, scanned, false});
  }
}

// ---- the walk of a full scan ----

struct DiskFile {
  std::string path;
  index::Sidecars sidecars;
  std::string stat_sig;
};

struct Walker {
  const std::string& root;
  std::vector<DiskFile>* out;

  void Dir(int dirfd, const std::string& rel) {
    DIR* d = ::fdopendir(dirfd);
    if (d == nullptr) {
      ::close(dirfd);
      return;
    }
    std::vector<std::string> subdirs;
    std::unordered_map<std::string, fs::Stat> files;  // regular files (and file symlinks)
    while (struct dirent* e = ::readdir(d)) {
      const char* name = e->d_name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      struct stat st {};
      if (::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      std::string child = rel.empty() ? std::string(name) : rel + "/" + name;
      if (S_ISDIR(st.st_mode)) {
        if (!index::IsIgnoredDirName(name)) subdirs.emplace_back(name);
        continue;
      }
      if (index::IsIgnoredFileName(name)) continue;
      fs::Stat fst;
      if (S_ISREG(st.st_mode)) {
        fst.exists = fst.is_file = true;
        fst.size = st.st_size;
        fst.mtime_ns =
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
      } else if (S_ISLNK(st.st_mode)) {
        fst = fs::StatBeneath(root, child);  // only when it resolves inside the notebook
        if (!fst.exists || !fst.is_file) continue;
      } else {
        continue;  // fifos, sockets, devices
      }
      files.emplace(name, fst);
    }
    std::string prefix = rel.empty() ? "" : rel + "/";
    auto exists = [&](const std::string& p) {
      return p.compare(0, prefix.size(), prefix) == 0 &&
             p.find('/', prefix.size()) == std::string::npos &&
             files.count(p.substr(prefix.size())) > 0;
    };
    for (const auto& [name, st] : files) {
      std::string path = prefix + name;
      if (index::ResolveMain(path, exists) != path) continue;  // a sidecar of another file
      DiskFile f;
      f.path = path;
      f.sidecars = index::FindSidecars(path, exists);
      std::vector<std::pair<std::string, fs::Stat>> side;
      for (const auto& s : f.sidecars.all())
        side.emplace_back(s, files.at(s.substr(prefix.size())));
      f.stat_sig = StatSig(st, side);
      out->push_back(std::move(f));
    }
    for (const auto& sub : subdirs) {
      int fd = ::openat(dirfd, sub.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) Dir(fd, prefix + sub);
    }
    ::closedir(d);
  }
};

constexpr std::size_t kWindow = 2048;     // extractions in flight ahead of the writer
constexpr std::size_t kBatchRows = 4096;  // rows per write transaction

}  // namespace

std::string BatchMessage(const std::vector<Change>& changes) {
  std::string msg = "Batch update: " + std::to_string(changes.size()) + " changes\n";
  std::size_t shown = 0;
  for (const auto& c : changes) {
    if (shown == 50) {
      msg += "\n... and " + std::to_string(changes.size() - 50) + " more";
      break;
    }
    switch (c.kind) {
      case ChangeKind::kCreated:
        msg += "\nCreate " + c.path;
        break;
      case ChangeKind::kModified:
        msg += "\nUpdate " + c.path;
        break;
      case ChangeKind::kDeleted:
        msg += "\nDelete " + c.path;
        break;
      case ChangeKind::kMoved:
        msg += "\nMove " + c.old_path + " to " + c.path;
        break;
    }
    ++shown;
  }
  return msg;
}

Result<std::vector<Change>> IndexPaths(detail::NotebookHandle& nb,
                                       const std::vector<std::string>& paths,
                                       const std::string& now) {
  const std::string& root = nb.root();
  index::ExistsFn exists = DiskExists(root);
  std::set<std::string> mains;
  std::set<std::string> absorbed;  // paths that are now sidecars: their own rows go
  std::deque<std::string> todo(paths.begin(), paths.end());
  std::set<std::string> seen;
  while (!todo.empty()) {
    std::string p = std::move(todo.front());
    todo.pop_front();
    if (!seen.insert(p).second || index::IsIgnoredPath(p)) continue;
    std::string main = index::ResolveMain(p, exists);
    if (main != p) absorbed.insert(p);
    mains.insert(main);
    if (!exists(main)) {
      // A main file that went away leaves orphan sidecars: they become files of their own.
      for (const auto& cand : index::SidecarCandidates(main)) {
        if (exists(cand)) todo.push_back(cand);
      }
    }
  }
  std::vector<FileRecord> records;
  std::vector<std::string> gone;
  for (const auto& main : mains) {
    if (absorbed.count(main) > 0) continue;
    index::Sidecars sidecars = index::FindSidecars(main, exists);
    for (const auto& s : sidecars.all()) absorbed.insert(s);
    auto rec = ExtractFile(root, main, sidecars, nb.id(), now);
    if (rec.ok()) {
      records.push_back(std::move(*rec));
    } else if (rec.status().code() == Code::kNotFound) {
      gone.push_back(main);
    } else {
      return rec.status();
    }
  }
  std::vector<Change> changes;
  Status written = nb.store().Write([&](NotebookWriter& w) -> Status {
    for (const auto& p : absorbed) DeleteRow(w, p, false, &changes);
    // A vanished row whose content reappears under a new path of the same batch moved there.
    std::unordered_map<std::string, std::vector<FileMeta>> gone_by_hash;
    for (const auto& p : gone) {
      if (auto row = w.GetByPath(p)) gone_by_hash[row->hash].push_back(std::move(*row));
    }
    for (auto& rec : records) {
      auto hit = gone_by_hash.find(rec.meta.hash);
      if (hit == gone_by_hash.end() || hit->second.empty() || w.GetByPath(rec.meta.path)) {
        Apply(w, rec, false, &changes, nullptr);
        continue;
      }
      FileMeta old = std::move(hit->second.back());
      hit->second.pop_back();
      rec.meta.created_at = old.created_at;
      rec.meta.git_tracked = old.git_tracked;
      rec.meta.last_commit_hash = old.last_commit_hash;
      w.Update(old.id, rec);
      changes.push_back({ChangeKind::kMoved, old.id, rec.meta.path, old.path, false, rec.binary});
    }
    for (const auto& p : gone) DeleteRow(w, p, false, &changes);  // moved rows are not found
    return Status::Ok();
  });
  if (!written.ok()) return written;
  return changes;
}

Result<ScanResult> Reconcile(detail::NotebookHandle& nb, const IndexOptions& options, int threads,
                             const std::string& now,
                             const std::function<void(const std::vector<Change>&)>& publish) {
  auto started = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(nb.write_mutex());
  const std::string& root = nb.root();
  int rootfd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) {
    return Status::NotFound("notebook_path_missing", "Notebook path not found");
  }
  std::vector<DiskFile> disk;
  Walker{root, &disk}.Dir(rootfd, "");
  // Path order: new files get their ids in a reproducible order.
  std::sort(disk.begin(), disk.end(),
            [](const DiskFile& a, const DiskFile& b) { return a.path < b.path; });

  auto rows = nb.store().ScanRows();
  if (!rows.ok()) return rows.status();
  std::unordered_map<std::string, const storage::ScanRow*> by_path;
  for (const auto& r : *rows) by_path.emplace(r.path, &r);

  ScanResult result;
  IndexReport& report = result.report;
  report.notebook_id = nb.id();
  report.files = static_cast<std::int64_t>(disk.size());
  std::vector<const DiskFile*> work;
  std::unordered_set<std::string> on_disk;
  for (const auto& f : disk) {
    on_disk.insert(f.path);
    auto it = by_path.find(f.path);
    if (options.force || it == by_path.end() || it->second->stat_sig != f.stat_sig) {
      work.push_back(&f);
    } else {
      ++report.unchanged;
    }
  }
  // Rows whose file is gone; their hashes let a new file with the same content keep the id.
  std::unordered_map<std::string, std::vector<const storage::ScanRow*>> gone_by_hash;
  std::vector<const storage::ScanRow*> gone;
  for (const auto& r : *rows) {
    if (on_disk.count(r.path) == 0) {
      gone.push_back(&r);
      gone_by_hash[r.hash].push_back(&r);
    }
  }
  std::unordered_set<std::int64_t> moved_ids;

  ThreadPool pool(ThreadPool::Resolve(threads));
  std::deque<std::future<Result<FileRecord>>> inflight;
  std::size_t next = 0;
  auto submit_more = [&] {
    while (next < work.size() && inflight.size() < kWindow) {
      const DiskFile* f = work[next++];
      inflight.push_back(pool.Submit(
          [&root, f, &nb, &now] { return ExtractFile(root, f->path, f->sidecars, nb.id(), now); }));
    }
  };
  auto last_progress = std::chrono::steady_clock::now();
  std::int64_t done = report.unchanged;
  auto progress = [&](bool force_report) {
    if (!options.on_progress) return;
    auto t = std::chrono::steady_clock::now();
    if (!force_report && t - last_progress < std::chrono::milliseconds(100)) return;
    last_progress = t;
    options.on_progress(IndexProgress{nb.id(), done, report.files});
  };
  progress(true);
  submit_more();
  while (!inflight.empty()) {
    Status written = nb.store().Write([&](NotebookWriter& w) -> Status {
      for (std::size_t n = 0; n < kBatchRows && !inflight.empty(); ++n) {
        Result<FileRecord> rec = inflight.front().get();
        inflight.pop_front();
        submit_more();
        ++done;
        progress(false);
        if (!rec.ok()) {
          if (rec.status().code() == Code::kNotFound) continue;  // vanished meanwhile
          return rec.status();
        }
        // A new path whose content equals a vanished row's: the file moved, the id stays.
        if (!w.GetByPath(rec->meta.path)) {
          auto hit = gone_by_hash.find(rec->meta.hash);
          if (hit != gone_by_hash.end() && !hit->second.empty()) {
            const storage::ScanRow* old = hit->second.back();
            hit->second.pop_back();
            std::optional<FileMeta> prev = w.Get(old->id);
            if (prev) {
              rec->meta.created_at = prev->created_at;
              w.Update(old->id, *rec);
              moved_ids.insert(old->id);
              result.changes.push_back(
                  {ChangeKind::kMoved, old->id, rec->meta.path, old->path, true, rec->binary});
              ++report.moved;
              continue;
            }
          }
        }
        Apply(w, *rec, true, &result.changes, &report);
      }
      return Status::Ok();
    });
    if (!written.ok()) return written;
  }
  Status removed = nb.store().Write([&](NotebookWriter& w) -> Status {
    for (const auto* r : gone) {
      if (moved_ids.count(r->id) > 0) continue;
      w.Delete(r->id);
      result.changes.push_back({ChangeKind::kDeleted, r->id, r->path, {}, true, false});
      ++report.removed;
    }
    return Status::Ok();
  });
  if (!removed.ok()) return removed;
  progress(true);
  if (publish) publish(result.changes);

  if (options.commit && !result.changes.empty()) {
    auto repo = nb.repo();
    if (!repo.ok()) return repo.status();
    auto sha = (*repo)->CommitAll(BatchMessage(result.changes), nb.committer());
    if (!sha.ok()) return sha.status();
    report.commit = *sha;
    Status marked = nb.store().Write([&](NotebookWriter& w) -> Status {
      for (const auto& c : result.changes) {
        if (c.kind == ChangeKind::kDeleted) continue;
        bool tracked = !c.binary && !(*repo)->IsIgnored(c.path);
        w.SetCommit(c.file_id, tracked, tracked ? *sha : std::nullopt);
      }
      return Status::Ok();
    });
    if (!marked.ok()) return marked;
  }
  auto problems = nb.store().Problems();
  if (!problems.ok()) return problems.status();
  report.problems = std::move(*problems);
  report.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  return result;
}

}  // namespace codex::notebook
