// What every service shares: options, the clock, the system store, the open notebooks.
#pragma once

#include <memory>
#include <string>

#include "codex/codex.hpp"
#include "common/time.hpp"
#include "core/notebook_handle.hpp"
#include "events/bus.hpp"
#include "storage/system_store.hpp"
#include "vcs/repository.hpp"

namespace codex::detail {

struct Context {
  Options options;
  std::string data_dir;  // absolute, canonical
  Clock clock;
  std::unique_ptr<storage::SystemStore> system;
  NotebookRegistry notebooks;
  EventBus events;

  TimePoint NowTime() const { return clock(); }
  std::string Now() const { return FormatTime(clock()); }
  vcs::Signature Committer() const { return {options.git_name, options.git_email}; }
  std::string WorkspacesDir() const { return data_dir + "/workspaces"; }
};

}  // namespace codex::detail
