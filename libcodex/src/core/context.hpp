// What every service shares: options, the clock, the system store, the open notebooks.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "codex/codex.hpp"
#include "common/time.hpp"
#include "core/notebook_handle.hpp"
#include "events/bus.hpp"
#include "storage/system_store.hpp"
#include "vcs/repository.hpp"
#include "watch/engine.hpp"

namespace codex::detail {

struct Context {
  Options options;
  std::string data_dir;  // absolute, canonical
  // Tells this process's rows of a notebook's change log from other processes' (pid and time).
  std::string process_id;
  Clock clock;
  std::unique_ptr<storage::SystemStore> system;
  NotebookRegistry notebooks;
  EventBus events;
  // Templates of the plugins loaded from Options::plugins_dir (SEMANTICS §11.1), listed before
  // a notebook's own. Guarded by plugin_templates_mutex.
  std::mutex plugin_templates_mutex;
  std::vector<Template> plugin_templates;
  // The process's watcher (stopped until Watcher::Start). Declared last: it stops first.
  std::unique_ptr<WatchEngine> watch;

  TimePoint NowTime() const { return clock(); }
  std::string Now() const { return FormatTime(clock()); }
  vcs::Signature Committer() const { return {options.git_name, options.git_email}; }
  std::string WorkspacesDir() const { return data_dir + "/workspaces"; }
};

}  // namespace codex::detail
