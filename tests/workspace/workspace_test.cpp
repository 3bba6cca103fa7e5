// Workspaces: creation rules, addressing, sharing and the role matrix (CONTRACT §4, §9, §10).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>

#include "support/lab.hpp"

using codex::Code;
using codex::Role;
using codex::testing::Lab;
using codex::testing::Must;
namespace sfs = std::filesystem;

TEST_CASE("workspace creation: slugs, collisions and the default directory") {
  Lab lab(false);
  auto& ws = lab.codex().workspaces();
  CHECK(lab.ws.slug == "lab");
  CHECK(lab.ws.role == Role::kOwner);
  CHECK(lab.ws.theme_setting == "cream");
  CHECK(lab.ws.path == lab.codex().data_dir() + "/workspaces/lab");
  CHECK(sfs::is_directory(lab.ws.path + "/.codex"));

  auto again = Must(ws.Create(lab.alice, {"Lab", std::nullopt}));
  CHECK(again.slug.rfind("lab-", 0) == 0);
  CHECK(again.slug.size() == 12);
  CHECK(again.path == lab.codex().data_dir() + "/workspaces/" + again.slug);

  // Another owner's "Lab" lives in its own directory: the slug differs because the dir exists.
  auto bobs = Must(ws.Create(lab.bob, {"Lab", std::nullopt}));
  CHECK(bobs.slug != "lab");
  CHECK(Must(ws.Create(lab.alice, {"2026", std::nullopt})).slug == "2026-workspace");
  CHECK(Must(ws.Create(lab.alice, {"!!!", std::nullopt})).slug == "workspace");

  auto empty = ws.Create(lab.alice, {"", std::nullopt});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().code() == Code::kValidation);
}

TEST_CASE("workspace creation with an explicit path") {
  Lab lab(false);
  auto& ws = lab.codex().workspaces();
  std::string base = lab.tmp().str();
  sfs::create_directories(base + "/projects");
  auto made = Must(ws.Create(lab.alice, {"Mine", base + "/projects/alpha"}));
  CHECK(made.slug == "alpha");
  CHECK(made.path == base + "/projects/alpha");
  CHECK(sfs::is_directory(made.path));

  struct Row {
    const char* name;
    std::string path;
    Code code;
    const char* reason;
  };
  sfs::create_directories(base + "/ro");
  ::chmod((base + "/ro").c_str(), 0555);
  const Row rows[] = {
      {"in use", base + "/projects/alpha", Code::kAlreadyExists, "workspace_path_in_use"},
      {"parent missing", base + "/nope/x", Code::kInvalidArgument, "workspace_parent_missing"},
      {"inside another workspace", base + "/projects/alpha/inner", Code::kPermissionDenied,
       "workspace_path_forbidden"},
      {"inside the data dir workspaces", lab.codex().data_dir() + "/workspaces/x",
       Code::kPermissionDenied, "workspace_path_forbidden"},
      {"relative", "relative/dir", Code::kPermissionDenied, "workspace_path_forbidden"},
      {"root", "/", Code::kPermissionDenied, "workspace_path_forbidden"},
      {"dotdot into data dir", base + "/projects/../data/workspaces/y", Code::kPermissionDenied,
       "workspace_path_forbidden"},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    auto r = ws.Create(lab.alice, {"X", row.path});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == row.code);
    CHECK(r.status().reason() == row.reason);
  }
  if (::geteuid() != 0) {  // root ignores directory permissions
    auto ro = ws.Create(lab.alice, {"X", base + "/ro/sub"});
    CHECK(ro.status().reason() == "workspace_parent_not_writable");
  }
}

TEST_CASE("addressing by id and slug; non-members see nothing") {
  Lab lab(false);
  auto& ws = lab.codex().workspaces();
  CHECK(Must(ws.Get(lab.alice, "lab")).id == lab.ws.id);
  CHECK(Must(ws.Get(lab.alice, std::to_string(lab.ws.id))).slug == "lab");
  for (const auto& ref : {std::string("lab"), std::to_string(lab.ws.id), std::string("999"),
                          std::string("99999999999999999999999")}) {
    auto r = ws.Get(lab.bob, ref);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kNotFound);
    CHECK(r.status().message() == "Workspace not found");
  }
  CHECK(Must(ws.List(lab.bob)).empty());
}

TEST_CASE("sharing: roles, listing, last owner, leaving") {
  Lab lab(false);
  auto& ws = lab.codex().workspaces();
  auto perm = Must(ws.Share(lab.alice, "lab", "bob", Role::kViewer));
  CHECK(perm.username == "bob");
  CHECK(perm.role == Role::kViewer);
  auto bobs = Must(ws.List(lab.bob));
  REQUIRE(bobs.size() == 1);
  CHECK(bobs[0].role == Role::kViewer);
  // A slug is resolved among the caller's workspaces, shared ones included.
  CHECK(Must(ws.Get(lab.bob, "lab")).id == lab.ws.id);

  CHECK(ws.Share(lab.bob, "lab", "carol", Role::kViewer).status().code() ==
        Code::kPermissionDenied);
  CHECK(ws.Share(lab.alice, "lab", "nobody", Role::kViewer).status().reason() == "user_not_found");
  CHECK(ws.Share(lab.alice, "lab", "alice", Role::kEditor).status().reason() == "last_owner");
  CHECK(ws.Unshare(lab.alice, "lab", "alice").reason() == "last_owner");

  // A second owner makes leaving possible; owner_id passes on.
  Must(ws.Share(lab.alice, "lab", "carol", Role::kOwner));
  CODEX_REQUIRE_OK(ws.Unshare(lab.alice, "lab", "alice"));
  auto after = Must(ws.Get(lab.carol, "lab"));
  CHECK(after.owner_id == lab.carol.user_id);
  CHECK(ws.Get(lab.alice, "lab").status().code() == Code::kNotFound);
  // Any member may leave; a viewer may not remove others.
  CHECK(ws.Unshare(lab.bob, "lab", "carol").code() == Code::kPermissionDenied);
  CODEX_REQUIRE_OK(ws.Unshare(lab.bob, "lab", "bob"));
  CHECK(ws.Get(lab.bob, "lab").status().code() == Code::kNotFound);
  auto members = Must(ws.Permissions(lab.carol, "lab"));
  REQUIRE(members.size() == 1);
  CHECK(members[0].username == "carol");
}

TEST_CASE("role matrix: viewer reads, editor writes, owner administers, non-member sees nothing") {
  Lab lab;
  auto& c = lab.codex();
  Must(c.files().Create(lab.alice, lab.ref(), "seed.md", "# Seed\n#tag1 body"));
  Must(c.workspaces().Share(lab.alice, "lab", "bob", Role::kViewer));
  Must(c.workspaces().Share(lab.alice, "lab", "carol", Role::kEditor));
  codex::Principal dave(Must(c.users().Create({"dave", "dave@example.org", "password-d"})).id);

  using Op = std::function<codex::Status(const codex::Principal&)>;
  auto st = [](auto r) { return r.status(); };
  struct Row {
    const char* name;
    Role min_role;
    Op op;
  };
  int counter = 0;
  const Row rows[] = {
      {"get workspace", Role::kViewer, [&](auto& p) { return st(c.workspaces().Get(p, "lab")); }},
      {"list notebooks", Role::kViewer, [&](auto& p) { return st(c.notebooks().List(p, "lab")); }},
      {"list files", Role::kViewer, [&](auto& p) { return st(c.files().List(p, lab.ref())); }},
      {"read file", Role::kViewer,
       [&](auto& p) {
         return st(c.files().ReadText(p, lab.ref(), codex::FileRef::ByPath("seed.md")));
       }},
      {"search", Role::kViewer, [&](auto& p) { return st(c.search().Query(p, "lab", "seed")); }},
      {"tags", Role::kViewer, [&](auto& p) { return st(c.tags().List(p, "lab")); }},
      {"query", Role::kViewer,
       [&](auto& p) { return st(c.queries().Run(p, "lab", codex::Json(codex::Json::Object{}))); }},
      {"members", Role::kViewer, [&](auto& p) { return st(c.workspaces().Permissions(p, "lab")); }},
      {"create file", Role::kEditor,
       [&](auto& p) {
         return st(c.files().Create(p, lab.ref(), "w" + std::to_string(counter++) + ".md", "x"));
       }},
      {"create notebook", Role::kEditor,
       [&](auto& p) {
         return st(c.notebooks().Create(p, "lab", {"Extra", std::nullopt}));
       }},
      {"theme", Role::kEditor,
       [&](auto& p) { return st(c.workspaces().SetTheme(p, "lab", "dark")); }},
      {"index", Role::kEditor, [&](auto& p) { return st(c.notebooks().Index(p, lab.ref())); }},
      {"share", Role::kOwner,
       [&](auto& p) { return st(c.workspaces().Share(p, "lab", "dave", Role::kViewer)); }},
  };
  struct Who {
    const char* name;
    codex::Principal p;
    int level;  // 0 = not a member
  };
  const Who people[] = {{"dave (non-member)", dave, 0},
                        {"bob (viewer)", lab.bob, 1},
                        {"carol (editor)", lab.carol, 2},
                        {"alice (owner)", lab.alice, 3}};
  for (const auto& row : rows) {
    for (const auto& who : people) {
      INFO(row.name << " as " << who.name);
      codex::Status s = row.op(who.p);
      if (who.level == 0) {
        CHECK(s.code() == Code::kNotFound);
      } else if (who.level < static_cast<int>(row.min_role)) {
        CHECK(s.code() == Code::kPermissionDenied);
        CHECK(s.message() == "Insufficient permissions");
      } else {
        CHECK(s.ok());
        if (!s.ok()) WARN(s.ToString());
      }
    }
  }
  // Sharing with dave happened once, by alice; removing is owner-only.
  CHECK(c.workspaces().Unshare(lab.carol, "lab", "dave").code() == Code::kPermissionDenied);
  CODEX_REQUIRE_OK(c.workspaces().Unshare(lab.alice, "lab", "dave"));
}

TEST_CASE("token binding restricts a principal to one workspace or notebook") {
  Lab lab;
  auto& c = lab.codex();
  auto other = Must(c.workspaces().Create(lab.alice, {"Other", std::nullopt}));
  codex::Principal bound = lab.alice;
  bound.workspace_id = lab.ws.id;
  CHECK(c.workspaces().Get(bound, "lab").ok());
  CHECK(c.workspaces().Get(bound, other.slug).status().reason() == "token_restricted");
  CHECK(Must(c.workspaces().List(bound)).size() == 1);
  codex::Principal nb_bound = lab.alice;
  nb_bound.notebook_id = lab.nb.id;
  CHECK(c.workspaces().Get(nb_bound, "lab").ok());
  CHECK(c.files().List(nb_bound, lab.ref()).ok());
  CHECK(c.search().Query(nb_bound, "lab", "x").status().reason() == "token_restricted");
  codex::SearchOptions in_nb;
  in_nb.notebook = "nb";
  CHECK(c.search().Query(nb_bound, "lab", "x", in_nb).ok());
}

TEST_CASE("workspace delete: rows, notebooks and only what Codex created") {
  Lab lab;
  auto& c = lab.codex();
  Must(c.files().Create(lab.alice, lab.ref(), "a.md", "x"));
  std::string dir = lab.ws.path;
  CODEX_REQUIRE_OK(c.workspaces().Delete(lab.alice, "lab"));
  CHECK_FALSE(sfs::exists(dir));
  CHECK(c.workspaces().Get(lab.alice, "lab").status().code() == Code::kNotFound);

  std::string mine = lab.tmp().str() + "/mine";
  auto ws = Must(c.workspaces().Create(lab.alice, {"Mine", mine}));
  Must(c.notebooks().Create(lab.alice, ws.slug, {"Inner", std::nullopt}));
  codex::testing::WriteFile(mine + "/my-own-file.txt", "keep me");
  CODEX_REQUIRE_OK(c.workspaces().Delete(lab.alice, ws.slug));
  CHECK(sfs::exists(mine + "/my-own-file.txt"));
  CHECK_FALSE(sfs::exists(mine + "/inner"));
  CHECK_FALSE(sfs::exists(mine + "/.codex"));
}

TEST_CASE("users: validation, authentication, deletion rules") {
  Lab lab(false);
  auto& users = lab.codex().users();
  CHECK(users.Create({"al", "x@example.org", "password1"}).status().reason() == "string_too_short");
  CHECK(users.Create({"alice", "z@example.org", "password1"}).status().reason() ==
        "username_taken");
  // The domain is normalised (lower-cased), the local part kept.
  CHECK(users.Create({"zed", "alice@EXAMPLE.org", "password1"}).status().reason() == "email_taken");
  CHECK(users.Create({"zed", "ALICE@example.org", "password1"}).ok());
  CHECK(users.Create({"zed2", "not-an-email", "password1"}).status().code() == Code::kValidation);
  CHECK(users.Create({"zed3", "zed3@example.org", "short"}).status().reason() ==
        "string_too_short");
  CHECK(Must(users.Authenticate("alice", "password-a")).id == lab.alice.user_id);
  CHECK(users.Authenticate("alice", "wrong").status().reason() == "login_failed");
  CHECK(users.Authenticate("ghost", "whatever").status().reason() == "login_failed");
  CODEX_REQUIRE_OK(users.SetActive(lab.bob.user_id, false));
  CHECK(users.Authenticate("bob", "password-b").status().reason() == "inactive_user");
  CHECK(users.Delete(lab.alice).reason() == "account_has_workspaces");
  CODEX_REQUIRE_OK(users.Delete(lab.carol));
  CHECK(users.Get(lab.carol.user_id).status().code() == Code::kNotFound);
}
