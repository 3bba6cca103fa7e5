// Tasks (CONTRACT §19) and the background worker (SEMANTICS §14).
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "codex/wire.hpp"
#include "support/lab.hpp"
#include "vcs/repository.hpp"

using codex::Code;
using codex::Json;
using codex::Role;
using codex::Task;
using codex::TaskCreate;
using codex::TaskUpdate;
using codex::testing::Lab;
using codex::testing::Must;
using codex::testing::WriteFile;

namespace {

// Polls the task until `done` holds (the worker runs on its own thread).
Task WaitFor(Lab& lab, std::int64_t id, const std::function<bool(const Task&)>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (true) {
    Task t = Must(lab.codex().tasks().Get(lab.alice, id));
    if (done(t)) return t;
    INFO("task " << id << " status " << t.status);
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Task WaitFinished(Lab& lab, std::int64_t id) {
  return WaitFor(lab, id,
                 [](const Task& t) { return t.status == "completed" || t.status == "failed"; });
}

TaskCreate Job(std::string type, std::int64_t notebook_id, std::string title = "job") {
  TaskCreate c;
  c.title = std::move(title);
  c.type = std::move(type);
  c.input_data = Json(Json::Object{{"notebook_id", notebook_id}});
  return c;
}

TaskCreate Record(std::string title) {
  TaskCreate c;
  c.title = std::move(title);
  return c;
}

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> out;
  for (const auto& [k, v] : object.as_object()) out.push_back(k);
  return out;
}

// Holds the worker inside a job: an event subscriber that blocks until opened. Declared before
// the Lab, so that it outlives the worker.
class Gate {
 public:
  ~Gate() { Open(); }
  codex::EventCallback Callback() {
    return [this](const codex::Event&) {
      std::unique_lock<std::mutex> lock(mutex_);
      entered_ = true;
      cv_.notify_all();
      cv_.wait(lock, [this] { return open_; });
    };
  }
  void WaitEntered() {
    std::unique_lock<std::mutex> lock(mutex_);
    REQUIRE(cv_.wait_for(lock, std::chrono::seconds(60), [this] { return entered_; }));
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool open_ = false;
};

}  // namespace

TEST_CASE("tasks: role matrix, non-members see 404") {
  Lab lab;
  auto& tasks = lab.codex().tasks();
  const std::int64_t ws = lab.ws.id;
  Task t = Must(tasks.Create(lab.alice, ws, Record("Write report")));
  CHECK(t.status == "pending");
  CHECK(t.workspace_id == ws);
  CHECK(t.created_at == "2026-11-21T00:00:00.000000Z");

  SECTION("non-member") {
    CHECK(tasks.List(lab.carol, ws).status().reason() == "workspace_not_found");
    CHECK(tasks.Create(lab.carol, ws, Record("x")).status().reason() == "workspace_not_found");
    for (auto s :
         {tasks.Get(lab.carol, t.id).status(), tasks.Update(lab.carol, t.id, TaskUpdate{}).status(),
          tasks.Delete(lab.carol, t.id)}) {
      CHECK(s.code() == Code::kNotFound);
      CHECK(s.reason() == "task_not_found");
      CHECK(s.message() == "Task not found");
    }
  }
  SECTION("unknown ids") {
    for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{999}}) {
      CHECK(tasks.List(lab.alice, bad).status().reason() == "workspace_not_found");
      CHECK(tasks.Create(lab.alice, bad, Record("x")).status().reason() == "workspace_not_found");
    }
    CHECK(tasks.Get(lab.alice, 999).status().reason() == "task_not_found");
    CHECK(tasks.Delete(lab.alice, -3).reason() == "task_not_found");
  }
  SECTION("viewer reads, writes are 403") {
    Must(lab.codex().workspaces().Share(lab.alice, "lab", "bob", Role::kViewer));
    CHECK(Must(tasks.List(lab.bob, ws)).size() == 1);
    CHECK(Must(tasks.Get(lab.bob, t.id)).title == "Write report");
    TaskUpdate u;
    u.title = "mine";
    for (auto s : {tasks.Create(lab.bob, ws, Record("x")).status(),
                   tasks.Update(lab.bob, t.id, u).status(), tasks.Delete(lab.bob, t.id)}) {
      CHECK(s.code() == Code::kPermissionDenied);
      CHECK(s.reason() == "insufficient_permissions");
    }
  }
  SECTION("editor writes") {
    Must(lab.codex().workspaces().Share(lab.alice, "lab", "bob", Role::kEditor));
    Task b = Must(tasks.Create(lab.bob, ws, Record("bob's")));
    TaskUpdate u;
    u.title = "renamed";
    CHECK(Must(tasks.Update(lab.bob, t.id, u)).title == "renamed");
    CODEX_REQUIRE_OK(tasks.Delete(lab.bob, b.id));
    CHECK(tasks.Get(lab.alice, b.id).status().reason() == "task_not_found");
  }
  SECTION("a token bound to another workspace") {
    codex::Principal bound = lab.alice;
    bound.workspace_id = ws + 100;
    CHECK(tasks.List(bound, ws).status().reason() == "token_restricted");
    CHECK(tasks.Get(bound, t.id).status().reason() == "token_restricted");
  }
}

TEST_CASE("tasks: validation") {
  Lab lab;
  auto& tasks = lab.codex().tasks();
  const std::int64_t ws = lab.ws.id;
  auto field_of = [](const codex::Status& s) {
    return s.code() == Code::kValidation ? s.reason() + ":" + s.field() : s.ToString();
  };
  CHECK(field_of(tasks.Create(lab.alice, ws, Record("")).status()) == "string_too_short:title");
  CHECK(field_of(tasks.Create(lab.alice, ws, Record(std::string(501, 'a'))).status()) ==
        "string_too_long:title");
  std::string accents;
  for (int i = 0; i < 500; ++i) accents += "é";  // 500 characters, 1000 bytes
  CHECK(Must(tasks.Create(lab.alice, ws, Record(accents))).title == accents);

  TaskCreate long_type = Record("t");
  long_type.type = std::string(101, 't');
  CHECK(field_of(tasks.Create(lab.alice, ws, long_type).status()) == "string_too_long:type");
  long_type.type = std::string(100, 't');
  CODEX_REQUIRE_OK(tasks.Create(lab.alice, ws, long_type));

  TaskCreate bad_input = Record("t");
  bad_input.input_data = Json(Json::Array{Json(1)});
  CHECK(field_of(tasks.Create(lab.alice, ws, bad_input).status()) == "dict_type:input_data");

  // A queued job's notebook must be in the workspace.
  CHECK(tasks.Create(lab.alice, ws, Job("indexing", 999)).status().reason() ==
        "notebook_not_found");
  Must(lab.codex().workspaces().Create(lab.carol, {"Other", std::nullopt}));
  auto foreign = Must(lab.codex().notebooks().Create(lab.carol, "other", {"Theirs", std::nullopt}));
  CHECK(tasks.Create(lab.alice, ws, Job("sync", foreign.id)).status().reason() ==
        "notebook_not_found");
  // Not a job (notebook_id is no integer, or another type): a plain record.
  TaskCreate text_id = Record("t");
  text_id.type = "indexing";
  text_id.input_data = Json(Json::Object{{"notebook_id", "1"}});
  CODEX_REQUIRE_OK(tasks.Create(lab.alice, ws, text_id));
  CODEX_REQUIRE_OK(tasks.Create(lab.alice, ws, Job("agent_execution", foreign.id)));

  Task t = Must(tasks.Create(lab.alice, ws, Record("t")));
  TaskUpdate u;
  u.title = "";
  CHECK(field_of(tasks.Update(lab.alice, t.id, u).status()) == "string_too_short:title");
  u = {};
  u.output_data = Json("text");
  CHECK(field_of(tasks.Update(lab.alice, t.id, u).status()) == "dict_type:output_data");
  // 404 before 422: an unknown task with a bad body.
  CHECK(tasks.Update(lab.alice, 999, u).status().reason() == "task_not_found");
}

TEST_CASE("tasks: status effects, filters, wire shape") {
  Lab lab;
  auto& tasks = lab.codex().tasks();
  const std::int64_t ws = lab.ws.id;
  TaskCreate c = Record("Measure");
  c.description = "three samples";
  c.type = "agent_execution";
  c.input_data = Json(Json::Object{{"k", 1}});
  Task t = Must(tasks.Create(lab.alice, ws, c));
  Task other = Must(tasks.Create(lab.alice, ws, Record("Other")));

  Json wire = codex::wire::ToJson(t);
  CHECK(Keys(wire) == std::vector<std::string>{"id", "workspace_id", "title", "description",
                                               "status", "assigned_to", "created_at", "updated_at",
                                               "completed_at", "type", "input_data", "output_data",
                                               "error", "started_at"});
  CHECK(*wire.find("output_data") == Json());
  CHECK(*wire.find("input_data") == Json(Json::Object{{"k", 1}}));

  lab.Advance(std::chrono::seconds(60));
  TaskUpdate u;
  u.status = "in_progress";
  u.assigned_to = "bob";
  Task started = Must(tasks.Update(lab.alice, t.id, u));
  CHECK(started.status == "in_progress");
  CHECK(started.started_at == std::optional<std::string>("2026-11-21T00:01:00.000000Z"));
  CHECK(started.updated_at == "2026-11-21T00:01:00.000000Z");
  CHECK(started.assigned_to == std::optional<std::string>("bob"));
  CHECK(!started.completed_at);

  lab.Advance(std::chrono::seconds(60));
  u = {};
  u.status = "running";  // started_at stays
  u.assigned_to = "";    // ignored
  Task running = Must(tasks.Update(lab.alice, t.id, u));
  CHECK(running.started_at == started.started_at);
  CHECK(running.assigned_to == std::optional<std::string>("bob"));

  lab.Advance(std::chrono::seconds(60));
  u = {};
  u.status = "completed";
  u.output_data = Json(Json::Object{{"rows", 3}});
  Task done = Must(tasks.Update(lab.alice, t.id, u));
  CHECK(done.completed_at == std::optional<std::string>("2026-11-21T00:03:00.000000Z"));
  CHECK(done.output_data == Json(Json::Object{{"rows", 3}}));

  lab.Advance(std::chrono::seconds(60));
  u = {};
  u.status = "failed";  // completed_at is set every time
  u.error = "bad sample";
  Task failed = Must(tasks.Update(lab.alice, t.id, u));
  CHECK(failed.completed_at == std::optional<std::string>("2026-11-21T00:04:00.000000Z"));
  CHECK(failed.error == std::optional<std::string>("bad sample"));
  CHECK(failed.output_data == Json(Json::Object{{"rows", 3}}));

  lab.Advance(std::chrono::seconds(60));
  u = {};
  u.status = "";           // ignored, but updated_at still moves
  u.output_data = Json();  // null: unchanged
  u.description = "new text";
  Task same = Must(tasks.Update(lab.alice, t.id, u));
  CHECK(same.status == "failed");
  CHECK(same.updated_at == "2026-11-21T00:05:00.000000Z");
  CHECK(same.completed_at == failed.completed_at);
  CHECK(same.output_data == Json(Json::Object{{"rows", 3}}));
  CHECK(same.description == std::optional<std::string>("new text"));

  u = {};
  u.status = "on hold";  // free text, stored as is
  CHECK(Must(tasks.Update(lab.alice, other.id, u)).status == "on hold");
  CHECK(Must(tasks.Get(lab.alice, t.id)).description == std::optional<std::string>("new text"));

  auto all = Must(tasks.List(lab.alice, ws));
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == t.id);
  CHECK(all[1].id == other.id);
  CHECK(Must(tasks.List(lab.alice, ws, {std::string("on hold"), std::nullopt})).size() == 1);
  CHECK(Must(tasks.List(lab.alice, ws, {std::nullopt, std::string("agent_execution")})).at(0).id ==
        t.id);
  CHECK(Must(tasks.List(lab.alice, ws, {std::string("failed"), std::string("x")})).empty());

  CODEX_REQUIRE_OK(tasks.Delete(lab.alice, t.id));
  CHECK(tasks.Get(lab.alice, t.id).status().reason() == "task_not_found");
  CHECK(tasks.Delete(lab.alice, t.id).reason() == "task_not_found");
}

TEST_CASE("worker: indexing re-extracts every file and removes stale rows") {
  Lab lab;
  auto& tasks = lab.codex().tasks();
  auto kept = Must(lab.files().Create(lab.alice, lab.ref(), "kept.md", "# Kept\n#alpha"));
  Must(lab.files().Create(lab.alice, lab.ref(), "gone.md", "# Gone"));
  std::filesystem::remove(lab.root() / "gone.md");
  WriteFile(lab.root() / "new.md", "---\ntags: [beta]\n---\n# New");
  Task t = Must(tasks.Create(lab.alice, lab.ws.id, Job("indexing", lab.nb.id)));
  CODEX_REQUIRE_OK(tasks.StartWorker());
  CODEX_REQUIRE_OK(tasks.StartWorker());  // a second start does nothing
  Task done = WaitFinished(lab, t.id);
  INFO(done.error.value_or(""));
  REQUIRE(done.status == "completed");
  CHECK(done.started_at == std::optional<std::string>("2026-11-21T00:00:00.000000Z"));
  CHECK(done.completed_at == std::optional<std::string>("2026-11-21T00:00:00.000000Z"));
  CHECK(!done.error);
  CHECK(Keys(done.output_data) ==
        std::vector<std::string>{"notebook_id", "files_indexed", "files_removed", "duration_ms"});
  CHECK(*done.output_data.find("notebook_id") == Json(lab.nb.id));
  CHECK(*done.output_data.find("files_indexed") == Json(2));
  CHECK(*done.output_data.find("files_removed") == Json(1));
  CHECK(done.output_data.find("duration_ms")->is_int());

  auto list = Must(lab.files().List(lab.alice, lab.ref()));
  REQUIRE(list.total == 2);
  CHECK(list.files[0].id == kept.id);  // the id is kept
  CHECK(list.files[1].path == "new.md");
  CHECK(list.files[1].tags == std::vector<std::string>{"beta"});
  // Indexing does not commit.
  auto repo = Must(codex::vcs::Repository::OpenOrInit(lab.root().string(), {"t", "t@x"}));
  CHECK(Must(repo->History("new.md", 5)).empty());
}

TEST_CASE("worker: sync commits pending changes; other tasks stay records") {
  Lab lab;
  auto& tasks = lab.codex().tasks();
  WriteFile(lab.root() / "data" / "run.md", "# Run");
  Task record = Must(tasks.Create(lab.alice, lab.ws.id, Job("agent_execution", lab.nb.id)));
  Task sync = Must(tasks.Create(lab.alice, lab.ws.id, Job("sync", lab.nb.id)));
  CODEX_REQUIRE_OK(tasks.StartWorker());
  Task done = WaitFinished(lab, sync.id);
  INFO(done.error.value_or(""));
  REQUIRE(done.status == "completed");
  CHECK(Keys(done.output_data) == std::vector<std::string>{"notebook_id", "files_indexed",
                                                           "files_removed", "commit",
                                                           "duration_ms"});
  CHECK(*done.output_data.find("files_indexed") == Json(1));
  const Json* sha = done.output_data.find("commit");
  REQUIRE(sha->is_string());
  auto repo = Must(codex::vcs::Repository::OpenOrInit(lab.root().string(), {"t", "t@x"}));
  auto history = Must(repo->History("data/run.md", 5));
  REQUIRE(history.size() == 1);
  CHECK(history[0].message.rfind("Batch update: 1 changes", 0) == 0);

  // Nothing left to commit: commit is null. A task created while the worker waits wakes it.
  Task again = Must(tasks.Create(lab.alice, lab.ws.id, Job("sync", lab.nb.id)));
  Task second = WaitFinished(lab, again.id);
  REQUIRE(second.status == "completed");
  CHECK(*second.output_data.find("commit") == Json());
  CHECK(*second.output_data.find("files_indexed") == Json(0));
  CHECK(Must(tasks.Get(lab.alice, record.id)).status == "pending");
  tasks.StopWorker();
}

TEST_CASE("worker: a notebook that is gone fails the task") {
  Lab lab;
  auto& tasks = lab.codex().tasks();
  Task t = Must(tasks.Create(lab.alice, lab.ws.id, Job("indexing", lab.nb.id)));
  CODEX_REQUIRE_OK(lab.codex().notebooks().Delete(lab.alice, lab.ref()));
  CODEX_REQUIRE_OK(tasks.StartWorker());
  Task done = WaitFinished(lab, t.id);
  CHECK(done.status == "failed");
  CHECK(done.error == std::optional<std::string>("Notebook not found"));
  CHECK(done.completed_at == std::optional<std::string>("2026-11-21T00:00:00.000000Z"));
  CHECK(done.output_data.is_null());
}

TEST_CASE("worker: tasks left running are failed at start") {
  Lab lab;
  auto& tasks = lab.codex().tasks();
  Task t = Must(tasks.Create(lab.alice, lab.ws.id, Record("left over")));
  TaskUpdate u;
  u.status = "running";
  Must(tasks.Update(lab.alice, t.id, u));
  lab.Advance(std::chrono::seconds(5));
  CODEX_REQUIRE_OK(tasks.StartWorker());
  Task failed = Must(tasks.Get(lab.alice, t.id));
  CHECK(failed.status == "failed");
  CHECK(failed.error == std::optional<std::string>("Interrupted by daemon restart"));
  CHECK(failed.completed_at == std::optional<std::string>("2026-11-21T00:00:05.000000Z"));
  tasks.StopWorker();
}

TEST_CASE("worker: a running task cannot be deleted or re-statused; one job at a time") {
  Gate gate;
  Lab lab;
  auto& tasks = lab.codex().tasks();
  auto sub = Must(lab.codex().events().SubscribeNotebook(lab.alice, lab.nb.id, gate.Callback()));
  WriteFile(lab.root() / "a.md", "# A");
  Task first = Must(tasks.Create(lab.alice, lab.ws.id, Job("sync", lab.nb.id, "first")));
  Task second = Must(tasks.Create(lab.alice, lab.ws.id, Job("indexing", lab.nb.id, "second")));
  CODEX_REQUIRE_OK(tasks.StartWorker());
  gate.WaitEntered();  // the worker is inside the first job, publishing its events

  Task running = Must(tasks.Get(lab.alice, first.id));
  CHECK(running.status == "running");
  CHECK(running.started_at.has_value());
  CHECK(Must(tasks.Get(lab.alice, second.id)).status == "pending");
  auto conflict = tasks.Delete(lab.alice, first.id);
  CHECK(conflict.code() == Code::kConflict);
  CHECK(conflict.reason() == "task_running");
  CHECK(conflict.message() == "Task is running");
  TaskUpdate u;
  u.status = "cancelled";
  CHECK(tasks.Update(lab.alice, first.id, u).status().reason() == "task_running");
  u = {};
  u.title = "renamed while running";  // not a status change
  CHECK(Must(tasks.Update(lab.alice, first.id, u)).title == "renamed while running");
  // Another task is free to change.
  u = {};
  u.status = "cancelled";
  CHECK(Must(tasks.Update(lab.alice, second.id, u)).status == "cancelled");

  gate.Open();
  Task done = WaitFinished(lab, first.id);
  CHECK(done.status == "completed");
  CHECK(done.title == "renamed while running");
  tasks.StopWorker();
  CHECK(Must(tasks.Get(lab.alice, second.id)).status == "cancelled");  // never picked up
  CODEX_REQUIRE_OK(tasks.Delete(lab.alice, first.id));
}

TEST_CASE("worker: stop marks a job that outlasts the timeout failed") {
  Gate gate;
  Lab lab;
  auto& tasks = lab.codex().tasks();
  auto sub = Must(lab.codex().events().SubscribeNotebook(lab.alice, lab.nb.id, gate.Callback()));
  WriteFile(lab.root() / "a.md", "# A");
  Task t = Must(tasks.Create(lab.alice, lab.ws.id, Job("sync", lab.nb.id)));
  CODEX_REQUIRE_OK(tasks.StartWorker());
  gate.WaitEntered();
  std::thread stopper([&tasks] { tasks.StopWorker(std::chrono::seconds(1)); });
  Task failed = WaitFor(lab, t.id, [](const Task& x) { return x.status == "failed"; });
  CHECK(failed.error == std::optional<std::string>("Interrupted by daemon shutdown"));
  CHECK(failed.completed_at.has_value());
  gate.Open();  // the job ends; its result is discarded
  stopper.join();
  Task after = Must(tasks.Get(lab.alice, t.id));
  CHECK(after.status == "failed");
  CHECK(after.output_data.is_null());
  // The worker can be started again; nothing is left running.
  CODEX_REQUIRE_OK(tasks.StartWorker());
  CHECK(Must(tasks.Get(lab.alice, t.id)).error ==
        std::optional<std::string>("Interrupted by daemon shutdown"));
  tasks.StopWorker();
}
