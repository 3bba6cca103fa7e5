// The plugin registry, integrations and plugin configuration (CONTRACT §11, §20, §21).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "codex/wire.hpp"
#include "support/lab.hpp"

using codex::Code;
using codex::Integration;
using codex::Json;
using codex::PluginConfigUpdate;
using codex::PluginRegistration;
using codex::Role;
using codex::testing::Lab;
using codex::testing::Must;

namespace {

PluginRegistration Reg(std::string id, std::string version = "1.0.0", std::string type = "view",
                       Json manifest = Json()) {
  return PluginRegistration{id, "Name of " + id, std::move(version), std::move(type),
                            std::move(manifest)};
}

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> out;
  for (const auto& [k, v] : object.as_object()) out.push_back(k);
  return out;
}

Json Obj(Json::Object o) { return Json(std::move(o)); }

Json GithubManifest() {
  return Obj(
      {{"id", "github"},
       {"description", "Issues and pull requests"},
       {"author", "Lab"},
       {"integration", Obj({{"base_url", "https://api.github.com"}, {"auth_method", "token"}})},
       {"properties", Json(Json::Array{Obj({{"name", "access_token"}, {"secure", true}}),
                                       Obj({{"name", "owner"}})})},
       {"endpoints", Json(Json::Array{Obj({{"id", "issue"}, {"method", "GET"}})})}});
}

}  // namespace

TEST_CASE("registry: register, update, list, get, unregister") {
  Lab lab(false);
  auto& plugins = lab.codex().plugins();
  auto first = Must(plugins.Register(Reg("zeta", "1.0.0", "theme", Obj({{"colors", "x"}}))));
  CHECK(first.registered);
  CHECK(!first.updated);
  CHECK(first.message == "Plugin registered");
  Json wire = codex::wire::ToJson(first);
  CHECK(Keys(wire) ==
        std::vector<std::string>{"id", "name", "version", "type", "registered", "message"});
  auto again = Must(plugins.Register(Reg("zeta", "2.0.0", "view")));
  CHECK(again.message == "Plugin updated");
  CHECK(again.updated);
  Must(plugins.Register(Reg("alpha")));

  auto got = Must(plugins.Get("zeta"));
  CHECK(got.version == "2.0.0");
  CHECK(got.type == "view");
  CHECK(got.manifest == Json(Json::Object{}));  // null manifest = {}
  CHECK(got.enabled);
  Json pw = codex::wire::ToJson(got);
  CHECK(Keys(pw) ==
        std::vector<std::string>{"id", "name", "version", "type", "enabled", "manifest"});

  auto all = Must(plugins.List());
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == "alpha");
  CHECK(all[1].id == "zeta");
  Must(plugins.Register(Reg("dark", "1.0.0", "theme")));
  auto themes = Must(plugins.List(std::string_view("theme")));
  REQUIRE(themes.size() == 1);
  CHECK(themes[0].id == "dark");

  auto missing = plugins.Get("nope");
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().reason() == "plugin_not_found");
  CHECK(missing.status().message() == "Plugin not found");
  CODEX_REQUIRE_OK(plugins.Unregister("zeta"));
  CHECK(plugins.Unregister("zeta").reason() == "plugin_not_found");
  CHECK(plugins.Get("zeta").status().reason() == "plugin_not_found");
}

TEST_CASE("registry: validation messages (table of hostile input)") {
  Lab lab(false);
  auto& plugins = lab.codex().plugins();
  struct Case {
    PluginRegistration in;
    std::string message;
  };
  const std::string id_tail = ". Must contain only lowercase letters, numbers, and hyphens.";
  const std::string v_tail = ". Must be in semver format (e.g., 1.0.0).";
  std::vector<Case> cases = {
      {Reg("Bad"), "Invalid plugin ID: Bad" + id_tail},
      {Reg("a_b"), "Invalid plugin ID: a_b" + id_tail},
      {Reg(""), "Invalid plugin ID: " + id_tail},
      {Reg("a b"), "Invalid plugin ID: a b" + id_tail},
      {Reg("../x"), "Invalid plugin ID: ../x" + id_tail},
      {Reg("ü"), "Invalid plugin ID: ü" + id_tail},
      {Reg("integrations"), "Invalid plugin ID: integrations" + id_tail},
      {Reg("ok", "1.0"), "Invalid version: 1.0" + v_tail},
      {Reg("ok", "1.0.0.0"), "Invalid version: 1.0.0.0" + v_tail},
      {Reg("ok", "v1.0.0"), "Invalid version: v1.0.0" + v_tail},
      {Reg("ok", "1..0"), "Invalid version: 1..0" + v_tail},
      {Reg("ok", "1.0.0\n"), "Invalid version: 1.0.0\n" + v_tail},
      {Reg("ok", ""), "Invalid version: " + v_tail},
      {Reg("ok", "1.0.0", "plugin"),
       "Invalid plugin type: plugin. Must be one of: integration, theme, view"},
      {Reg("ok", "1.0.0", "View"),
       "Invalid plugin type: View. Must be one of: integration, theme, view"},
      // id is checked first, then version, then type.
      {Reg("BAD", "x", "y"), "Invalid plugin ID: BAD" + id_tail},
      {Reg("ok", "x", "y"), "Invalid version: x" + v_tail},
  };
  std::vector<PluginRegistration> batch;
  for (const auto& c : cases) {
    INFO(c.in.id << " " << c.in.version << " " << c.in.type);
    auto r = plugins.Register(c.in);
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().reason() == "invalid_plugin");
    CHECK(r.status().message() == c.message);
    batch.push_back(c.in);
  }
  CHECK(plugins.Register(Reg("ok", "1.0.0", "view", Json("text"))).status().code() ==
        Code::kValidation);
  CHECK(Must(plugins.List()).empty());

  // register-batch: per-item answers in request order.
  batch.insert(batch.begin(), Reg("good"));
  batch.push_back(Reg("good", "1.2.3"));
  batch.push_back(Reg("other", "0.0.1", "integration"));
  auto results = Must(plugins.RegisterBatch(batch));
  REQUIRE(results.size() == cases.size() + 3);
  CHECK(results.front().registered);
  CHECK(results.front().message == "Plugin registered");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CHECK(!results[i + 1].registered);
    CHECK(results[i + 1].message == cases[i].message);
  }
  CHECK(results[cases.size() + 1].updated);
  CHECK(results[cases.size() + 1].message == "Plugin updated");
  CHECK(results.back().message == "Plugin registered");
  CHECK(Must(plugins.Get("good")).version == "1.2.3");
}

TEST_CASE("integrations: listing, detail, enable per workspace") {
  Lab lab(false);
  auto& plugins = lab.codex().plugins();
  Must(plugins.Register(Reg("github", "1.0.0", "integration", GithubManifest())));
  Must(plugins.Register(Reg("plain", "1.0.0", "view", Obj({{"views", Json(Json::Array{})}}))));
  Must(plugins.Register(Reg("hollow", "1.0.0", "integration", Obj({{"integration", Obj({})}}))));
  Must(plugins.Register(Reg("weather", "1.0.0", "view", Obj({{"integration", Obj({{"x", 1}})}}))));

  auto all = Must(plugins.Integrations(lab.alice, std::nullopt));
  REQUIRE(all.size() == 2);  // a non-empty integration object, any type
  CHECK(all[0].plugin.id == "github");
  CHECK(all[1].plugin.id == "weather");
  Json listed = codex::wire::ToJson(all[0], false);
  CHECK(Keys(listed) == std::vector<std::string>{"id", "name", "description", "version", "author",
                                                 "api_type", "base_url", "auth_method", "enabled",
                                                 "properties", "blocks", "endpoints"});
  CHECK(*listed.find("description") == Json("Issues and pull requests"));
  CHECK(*listed.find("api_type") == Json("rest"));
  CHECK(*listed.find("base_url") == Json("https://api.github.com"));
  CHECK(*listed.find("auth_method") == Json("token"));
  CHECK(listed.find("properties")->is_null());
  CHECK(listed.find("endpoints")->is_null());
  Json detailed = codex::wire::ToJson(all[0], true);
  CHECK(detailed.find("properties")->as_array().size() == 2);
  CHECK(detailed.find("endpoints")->as_array().size() == 1);
  CHECK(detailed.find("blocks")->is_null());
  Json bare = codex::wire::ToJson(all[1], true);
  CHECK(*bare.find("description") == Json(""));
  CHECK(*bare.find("author") == Json(""));
  CHECK(bare.find("base_url")->is_null());
  CHECK(bare.find("auth_method")->is_null());

  for (auto id : {"plain", "hollow", "nope"}) {
    auto s = plugins.GetIntegration(lab.alice, id, std::nullopt).status();
    CHECK(s.reason() == "integration_not_found");
    CHECK(s.message() == "Integration not found");
  }
  CHECK(plugins.EnableIntegration(lab.alice, "lab", "plain", true).status().reason() ==
        "integration_not_found");

  // Per workspace.
  CHECK(Must(plugins.GetIntegration(lab.alice, "github", std::string_view("lab"))).enabled);
  Integration off = Must(plugins.EnableIntegration(lab.alice, "lab", "github", false));
  CHECK(!off.enabled);
  CHECK(!Must(plugins.GetIntegration(lab.alice, "github", std::string_view("lab"))).enabled);
  CHECK(!Must(plugins.Integrations(lab.alice, std::string_view("lab")))[0].enabled);
  CHECK(Must(plugins.Integrations(lab.alice, std::nullopt))[0].enabled);  // no workspace: true
  auto row = Must(plugins.GetWorkspaceConfig(lab.alice, "lab", "github"));
  CHECK(row.stored);
  CHECK(!row.enabled);
  CHECK(row.config == Json(Json::Object{}));

  // Roles: viewer reads, owner enables; non-members 404.
  CHECK(plugins.Integrations(lab.carol, std::string_view("lab")).status().reason() ==
        "workspace_not_found");
  CHECK(plugins.GetIntegration(lab.carol, "github", std::string_view("lab")).status().reason() ==
        "workspace_not_found");
  CHECK(plugins.EnableIntegration(lab.carol, "lab", "github", true).status().reason() ==
        "workspace_not_found");
  Must(lab.codex().workspaces().Share(lab.alice, "lab", "bob", Role::kEditor));
  CHECK(Must(plugins.Integrations(lab.bob, std::string_view("lab"))).size() == 2);
  auto denied = plugins.EnableIntegration(lab.bob, "lab", "github", true).status();
  CHECK(denied.code() == Code::kPermissionDenied);
  CHECK(denied.reason() == "insufficient_permissions");
}

TEST_CASE("plugin configs: workspace level") {
  Lab lab(false);
  auto& plugins = lab.codex().plugins();
  auto def = Must(plugins.GetWorkspaceConfig(lab.alice, "lab", "anything"));
  CHECK(!def.stored);
  CHECK(def.enabled);
  Json dw = codex::wire::ToJson(def);
  CHECK(Keys(dw) == std::vector<std::string>{"plugin_id", "enabled", "config"});
  CHECK(*dw.find("config") == Json(Json::Object{}));

  PluginConfigUpdate put;
  put.config = Obj({{"units", "metric"}});
  auto created = Must(plugins.PutWorkspaceConfig(lab.alice, "lab", "weather", put));
  CHECK(created.enabled);  // true on create
  CHECK(created.config == Obj({{"units", "metric"}}));
  CHECK(created.created_at == "2026-11-21T00:00:00.000000Z");
  Json cw = codex::wire::ToJson(created);
  CHECK(Keys(cw) ==
        std::vector<std::string>{"plugin_id", "enabled", "config", "created_at", "updated_at"});

  lab.Advance(std::chrono::seconds(30));
  put = {};
  put.enabled = false;
  put.config = Json();  // null: unchanged
  auto changed = Must(plugins.PutWorkspaceConfig(lab.alice, "lab", "weather", put));
  CHECK(!changed.enabled);
  CHECK(changed.config == Obj({{"units", "metric"}}));
  CHECK(changed.created_at == "2026-11-21T00:00:00.000000Z");
  CHECK(changed.updated_at == "2026-11-21T00:00:30.000000Z");
  put = {};
  put.config = Obj({{"units", "si"}});
  auto replaced = Must(plugins.PutWorkspaceConfig(lab.alice, "lab", "weather", put));
  CHECK(!replaced.enabled);  // absent: unchanged
  CHECK(replaced.config == Obj({{"units", "si"}}));

  Must(plugins.PutWorkspaceConfig(lab.alice, "lab", "alpha", {}));
  auto list = Must(plugins.WorkspaceConfigs(lab.alice, "lab"));
  REQUIRE(list.size() == 2);  // one row per (workspace, plugin), ordered by plugin id
  CHECK(list[0].plugin_id == "alpha");
  CHECK(list[0].config == Json(Json::Object{}));
  CHECK(list[1].plugin_id == "weather");

  put = {};
  put.config = Json(Json::Array{});
  CHECK(plugins.PutWorkspaceConfig(lab.alice, "lab", "weather", put).status().reason() ==
        "dict_type");
  CHECK(plugins.PutWorkspaceConfig(lab.alice, "lab", "", {}).status().code() == Code::kValidation);

  // Roles: viewer reads, owner writes; non-members 404.
  Must(lab.codex().workspaces().Share(lab.alice, "lab", "bob", Role::kEditor));
  CHECK(Must(plugins.WorkspaceConfigs(lab.bob, "lab")).size() == 2);
  CHECK(Must(plugins.GetWorkspaceConfig(lab.bob, "lab", "weather")).stored);
  CHECK(plugins.PutWorkspaceConfig(lab.bob, "lab", "weather", {}).status().reason() ==
        "insufficient_permissions");
  CHECK(plugins.DeleteWorkspaceConfig(lab.bob, "lab", "weather").reason() ==
        "insufficient_permissions");
  CHECK(plugins.WorkspaceConfigs(lab.carol, "lab").status().reason() == "workspace_not_found");
  CHECK(plugins.GetWorkspaceConfig(lab.carol, "lab", "weather").status().reason() ==
        "workspace_not_found");

  CODEX_REQUIRE_OK(plugins.DeleteWorkspaceConfig(lab.alice, "lab", "weather"));
  CODEX_REQUIRE_OK(plugins.DeleteWorkspaceConfig(lab.alice, "lab", "weather"));  // nothing: ok
  CHECK(!Must(plugins.GetWorkspaceConfig(lab.alice, "lab", "weather")).stored);
}

TEST_CASE("plugin configs: notebook level, roles") {
  Lab lab;
  auto& plugins = lab.codex().plugins();
  PluginConfigUpdate put;
  put.config = Obj({{"layout", "grid"}});
  Must(lab.codex().workspaces().Share(lab.alice, "lab", "bob", Role::kEditor));
  auto row = Must(plugins.PutNotebookConfig(lab.bob, lab.ref(), "gallery", put));
  CHECK(row.enabled);
  CHECK(Must(plugins.GetNotebookConfig(lab.alice, lab.ref(), "gallery")).config ==
        Obj({{"layout", "grid"}}));
  CHECK(!Must(plugins.GetWorkspaceConfig(lab.alice, "lab", "gallery")).stored);  // not merged
  CHECK(Must(plugins.NotebookConfigs(lab.alice, {"lab", std::to_string(lab.nb.id)})).size() == 1);

  Must(lab.codex().workspaces().Share(lab.alice, "lab", "bob", Role::kViewer));
  CHECK(Must(plugins.NotebookConfigs(lab.bob, lab.ref())).size() == 1);
  CHECK(plugins.PutNotebookConfig(lab.bob, lab.ref(), "gallery", put).status().reason() ==
        "insufficient_permissions");
  CHECK(plugins.DeleteNotebookConfig(lab.bob, lab.ref(), "gallery").reason() ==
        "insufficient_permissions");
  CHECK(plugins.GetNotebookConfig(lab.carol, lab.ref(), "gallery").status().code() ==
        Code::kNotFound);
  CHECK(plugins.GetNotebookConfig(lab.alice, {"lab", "nope"}, "gallery").status().reason() ==
        "notebook_not_found");
  CODEX_REQUIRE_OK(plugins.DeleteNotebookConfig(lab.alice, lab.ref(), "gallery"));
  CODEX_REQUIRE_OK(plugins.DeleteNotebookConfig(lab.alice, lab.ref(), "gallery"));
  CHECK(Must(plugins.NotebookConfigs(lab.alice, lab.ref())).empty());
}

TEST_CASE("plugin configs: secure properties are never stored in plain config") {
  Lab lab;
  auto& plugins = lab.codex().plugins();
  PluginConfigUpdate put;
  put.config = Obj({{"access_token", "ghp_secret"}, {"owner", "octocat"}});
  // Before the plugin is registered nothing is known to be secure.
  CHECK(Must(plugins.PutWorkspaceConfig(lab.alice, "lab", "github", put))
            .config.find("access_token") != nullptr);
  Must(plugins.Register(Reg("github", "1.0.0", "integration", GithubManifest())));
  // Stored earlier: not answered.
  CHECK(Must(plugins.GetWorkspaceConfig(lab.alice, "lab", "github")).config ==
        Obj({{"owner", "octocat"}}));
  CHECK(Must(plugins.WorkspaceConfigs(lab.alice, "lab"))[0].config == Obj({{"owner", "octocat"}}));
  auto ws_row = Must(plugins.PutWorkspaceConfig(lab.alice, "lab", "github", put));
  CHECK(ws_row.config == Obj({{"owner", "octocat"}}));
  auto nb_row = Must(plugins.PutNotebookConfig(lab.alice, lab.ref(), "github", put));
  CHECK(nb_row.config == Obj({{"owner", "octocat"}}));
  CHECK(Must(plugins.GetNotebookConfig(lab.alice, lab.ref(), "github")).config ==
        Obj({{"owner", "octocat"}}));
  // Enabling keeps the (scrubbed) config.
  Must(plugins.EnableIntegration(lab.alice, "lab", "github", true));
  CHECK(Must(plugins.GetWorkspaceConfig(lab.alice, "lab", "github")).config ==
        Obj({{"owner", "octocat"}}));
}
