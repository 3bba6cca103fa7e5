// lab_report: an instrument pipeline's view of Codex — open a data dir, file a measurement as a
// note, and list what a search finds. Usage: lab_report DATA_DIR
#include <codex/codex.hpp>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: lab_report DATA_DIR\n");
    return 64;
  }
  codex::Options options;
  options.data_dir = argv[1];
  auto codex = codex::Codex::Open(options);
  if (!codex.ok()) {
    std::fprintf(stderr, "open: %s\n", codex.status().ToString().c_str());
    return 1;
  }
  auto user = codex->users().GetByName("instrument");
  if (!user.ok()) user = codex->users().Create({"instrument", "hplc@example.org", "instrument-pw"});
  if (!user.ok()) return 1;
  codex::Principal who(user->id);
  auto ws = codex->workspaces().Get(who, "hplc");
  if (!ws.ok()) ws = codex->workspaces().Create(who, {"HPLC", std::nullopt});
  if (!ws.ok()) return 1;
  if (!codex->notebooks().Get(who, {"hplc", "runs"}).ok()) {
    if (!codex->notebooks().Create(who, "hplc", {"Runs", std::nullopt}).ok()) return 1;
  }
  auto note =
      codex->files().Create(who, {"hplc", "runs"}, "run.md",
                            "---\ninstrument: HPLC-1\ntags: [run]\n---\n# Run\npeak at 4.2 min");
  if (!note.ok()) {
    std::fprintf(stderr, "create: %s\n", note.status().ToString().c_str());
    return 1;
  }
  auto hits = codex->search().Query(who, "hplc", "peak");
  if (!hits.ok()) return 1;
  std::printf("filed %s; search 'peak' finds %lld file(s)\n", note->path.c_str(),
              static_cast<long long>(hits->total));
  return 0;
}
