// The Codex facade: opening a data directory and wiring the services to one Context.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "codex/codex.hpp"
#include "common/fs.hpp"
#include "common/strings.hpp"
#include "core/context.hpp"

namespace codex {

Options OptionsFromEnvironment(std::string data_dir) {
  auto env = [](const char* name) -> std::string_view {
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
  };
  auto count = [&](const char* name, int fallback) {
    std::int64_t v = 0;
    return ParseInt64(env(name), &v) && v >= 0 && v <= 1000000 ? static_cast<int>(v) : fallback;
  };
  Options o;
  o.data_dir = std::move(data_dir);
  if (!env("CODEX_GIT_NAME").empty()) o.git_name = env("CODEX_GIT_NAME");
  if (!env("CODEX_GIT_EMAIL").empty()) o.git_email = env("CODEX_GIT_EMAIL");
  o.access_token_minutes = count("CODEX_ACCESS_TOKEN_MINUTES", o.access_token_minutes);
  o.refresh_token_days = count("CODEX_REFRESH_TOKEN_DAYS", o.refresh_token_days);
  for (auto root : Split(env("CODEX_WORKSPACE_ROOTS"), ':')) {
    if (!root.empty()) o.workspace_roots.emplace_back(root);
  }
  return o;
}

Result<Codex> Codex::Open(Options options) {
  if (options.data_dir.empty()) {
    return Status::InvalidArgument("invalid_data_dir", "No data directory given");
  }
  std::error_code ec;
  std::string dir = std::filesystem::absolute(options.data_dir, ec).lexically_normal().string();
  if (ec) return Status::IoError("data directory " + options.data_dir + ": " + ec.message());
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  Status made = fs::EnsureDir(dir);
  if (!made.ok()) return made;
  auto ctx = std::make_unique<detail::Context>();
  ctx->data_dir = fs::RealPath(dir);
  if (ctx->data_dir.empty()) return Status::IoError("data directory " + dir + " does not resolve");
  ctx->clock = options.clock ? options.clock : [] { return std::chrono::system_clock::now(); };
  ctx->options = std::move(options);
  auto system = storage::SystemStore::Open(ctx->data_dir + "/codex_system.db");
  if (!system.ok()) return system.status();
  ctx->system = std::move(*system);
  ctx->watch = std::make_unique<detail::WatchEngine>(ctx.get());
  ctx->process_id = std::to_string(::getpid()) + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  return Codex(std::move(ctx));
}

Codex::Codex(std::unique_ptr<detail::Context> ctx)
    : ctx_(std::move(ctx)),
      users_(ctx_.get()),
      workspaces_(ctx_.get()),
      notebooks_(ctx_.get()),
      files_(ctx_.get()),
      folders_(ctx_.get()),
      tags_(ctx_.get()),
      search_(ctx_.get()),
      queries_(ctx_.get()),
      events_(ctx_.get()),
      auth_(ctx_.get()),
      tasks_(ctx_.get()),
      plugins_(ctx_.get()),
      watcher_(ctx_.get()) {}

Codex::Codex(Codex&& other) noexcept = default;
Codex& Codex::operator=(Codex&& other) noexcept {
  if (this == &other) return *this;
  if (ctx_) {  // the worker and the watcher must not outlive the context they use
    ctx_->watch->Stop();
    tasks_.StopWorker();
  }
  ctx_ = std::move(other.ctx_);
  users_ = std::move(other.users_);
  workspaces_ = std::move(other.workspaces_);
  notebooks_ = std::move(other.notebooks_);
  files_ = std::move(other.files_);
  folders_ = std::move(other.folders_);
  tags_ = std::move(other.tags_);
  search_ = std::move(other.search_);
  queries_ = std::move(other.queries_);
  events_ = std::move(other.events_);
  auth_ = std::move(other.auth_);
  tasks_ = std::move(other.tasks_);
  plugins_ = std::move(other.plugins_);
  watcher_ = std::move(other.watcher_);
  return *this;
}
Codex::~Codex() = default;

const std::string& Codex::data_dir() const noexcept { return ctx_->data_dir; }

const Options& Codex::options() const noexcept { return ctx_->options; }

Status Codex::HealthCheck() { return ctx_->system->Ping(); }

Result<std::optional<std::string>> Codex::GetSetting(std::string_view key) {
  return ctx_->system->GetSetting(key);
}

Status Codex::SetSetting(std::string_view key, std::string_view value) {
  return ctx_->system->SetSetting(key, value);
}

}  // namespace codex
