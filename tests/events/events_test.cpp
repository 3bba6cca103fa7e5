// Change events: one per committed change, to the right subscribers (SEMANTICS §19).
#include <catch2/catch.hpp>
#include <mutex>
#include <vector>

#include "support/lab.hpp"

using codex::Event;
using codex::EventKind;
using codex::testing::Lab;
using codex::testing::Must;
using codex::testing::WriteFile;

namespace {

struct Recorder {
  std::mutex mutex;
  std::vector<Event> events;
  codex::EventCallback callback() {
    return [this](const Event& e) {
      std::lock_guard<std::mutex> lock(mutex);
      events.push_back(e);
    };
  }
  std::vector<Event> Take() {
    std::lock_guard<std::mutex> lock(mutex);
    return std::exchange(events, {});
  }
};

}  // namespace

TEST_CASE("every API write publishes exactly one event with the file id") {
  Lab lab;
  Recorder rec;
  auto sub = Must(lab.codex().events().SubscribeWorkspace(lab.alice, "lab", rec.callback()));
  auto& f = lab.files();
  auto a = Must(f.Create(lab.alice, lab.ref(), "a.md", "# A"));
  auto ev = rec.Take();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kCreated);
  CHECK(ev[0].path == "a.md");
  CHECK(ev[0].file_id == std::optional<std::int64_t>(a.id));
  CHECK(ev[0].notebook_id == lab.nb.id);
  CHECK(ev[0].workspace_id == lab.ws.id);
  CHECK(ev[0].timestamp.size() == 27);

  codex::FileUpdate u;
  u.content = "# A2";
  Must(f.Update(lab.alice, lab.ref(), a.id, u));
  ev = rec.Take();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kModified);

  Must(f.Update(lab.alice, lab.ref(), a.id, u));  // same content: nothing changed
  CHECK(rec.Take().empty());

  Must(f.Move(lab.alice, lab.ref(), a.id, "b.md"));
  ev = rec.Take();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kMoved);
  CHECK(ev[0].path == "b.md");
  CHECK(ev[0].old_path == std::optional<std::string>("a.md"));
  CHECK(ev[0].file_id == std::optional<std::int64_t>(a.id));

  CODEX_REQUIRE_OK(f.Delete(lab.alice, lab.ref(), a.id));
  ev = rec.Take();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kDeleted);

  sub.Cancel();
  Must(f.Create(lab.alice, lab.ref(), "c.md", "x"));
  CHECK(rec.Take().empty());
}

TEST_CASE("scans publish scanned events, or one resync for a bulk change") {
  Lab lab;
  Recorder rec;
  auto sub = Must(lab.codex().events().SubscribeNotebook(lab.alice, lab.nb.id, rec.callback()));
  WriteFile(lab.root() / "x.md", "# X");
  WriteFile(lab.root() / "y.md", "# Y");
  Must(lab.codex().notebooks().Index(lab.alice, lab.ref()));
  auto ev = rec.Take();
  REQUIRE(ev.size() == 2);
  CHECK(ev[0].kind == EventKind::kScanned);
  CHECK(ev[1].kind == EventKind::kScanned);
  for (int i = 0; i < 501; ++i) WriteFile(lab.root() / "bulk" / (std::to_string(i) + ".md"), "x");
  Must(lab.codex().notebooks().Index(lab.alice, lab.ref()));
  ev = rec.Take();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].kind == EventKind::kResync);
  CHECK(ev[0].path.empty());
}

TEST_CASE("subscribers see only what they may: notebook filter, membership") {
  Lab lab;
  auto& c = lab.codex();
  auto other = Must(c.notebooks().Create(lab.alice, "lab", {"Other", std::nullopt}));
  Recorder nb_only;
  auto sub = Must(c.events().SubscribeNotebook(lab.alice, lab.nb.id, nb_only.callback()));
  Must(lab.files().Create(lab.alice, {"lab", other.slug}, "elsewhere.md", "x"));
  CHECK(nb_only.Take().empty());
  Recorder r;
  CHECK(c.events().SubscribeWorkspace(lab.bob, "lab", r.callback()).status().code() ==
        codex::Code::kNotFound);
  CHECK(c.events().SubscribeNotebook(lab.bob, lab.nb.id, r.callback()).status().code() ==
        codex::Code::kNotFound);
  CHECK(c.events().SubscribeNotebook(lab.alice, 999999, r.callback()).status().reason() ==
        "notebook_not_found");
}
