// A short-lived cache of the system-database reads that every request repeats (the caller of a
// token, a user's workspace and notebook). An entry serves for at most `ttl` and is dropped at
// once when anything in this process writes to any database (WriteGeneration changes), so the
// daemon's own changes take effect immediately and another process's (codexctl on the same data
// dir) within `ttl`. Thread-safe. Private to storage/.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace codex::storage {

// Bumped by every committed write of any Database in this process.
std::uint64_t WriteGeneration() noexcept;
void BumpWriteGeneration() noexcept;

template <class Value>
class ReadCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ReadCache(std::chrono::milliseconds ttl, std::size_t max_entries = 4096)
      : ttl_(ttl), max_entries_(max_entries) {}

  std::optional<Value> Get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    Sync();
    auto it = entries_.find(key);
    if (it == entries_.end() || Clock::now() >= it->second.until) return std::nullopt;
    return it->second.value;
  }

  // `generation`: WriteGeneration() read before the database read that produced `value`, so a
  // write racing with that read is never cached as current.
  void Put(const std::string& key, Value value, std::uint64_t generation) {
    std::lock_guard<std::mutex> lock(mutex_);
    Sync();
    if (generation != generation_) return;
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = Entry{std::move(value), Clock::now() + ttl_};
  }

 private:
  struct Entry {
    Value value;
    Clock::time_point until;
  };
  void Sync() {
    std::uint64_t now = WriteGeneration();
    if (now != generation_) entries_.clear(), generation_ = now;
  }

  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace codex::storage
