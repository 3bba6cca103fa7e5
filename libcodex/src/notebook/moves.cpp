#include "notebook/moves.hpp"

#include "common/strings.hpp"
#include "index/content_type.hpp"

namespace codex::notebook {
namespace {

// The (from, to) file pairs of one move: the file itself, or every indexed file under a directory.
Result<std::vector<std::pair<std::string, std::string>>> FilePairs(detail::NotebookHandle& nb,
                                                                   const PathMove& move) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!move.dir) {
    pairs.emplace_back(move.from, move.to);
    return pairs;
  }
  auto rows = nb.store().RowsUnder(move.from);
  if (!rows.ok()) return rows.status();
  for (const auto& [id, path] : *rows) {
    pairs.emplace_back(path, move.to + path.substr(move.from.size()));
  }
  return pairs;
}

}  // namespace

storage::FileMove MoveTo(std::int64_t id, const std::string& path, const std::string& now) {
  storage::FileMove mv;
  mv.id = id;
  mv.path = path;
  mv.filename = BaseName(path);
  mv.content_type = index::ContentTypeFor(mv.filename, "");
  mv.updated_at = now;
  return mv;
}

Result<std::vector<Change>> MoveRows(detail::NotebookHandle& nb, const std::vector<PathMove>& moves,
                                     const std::string& now, std::vector<std::string>* touched) {
  std::vector<Change> changes;
  for (const auto& move : moves) {
    auto pairs = FilePairs(nb, move);
    if (!pairs.ok()) return pairs.status();
    Status written = nb.store().Write([&](storage::NotebookWriter& w) -> Status {
      for (const auto& [from, to] : *pairs) {
        touched->push_back(from);
        touched->push_back(to);
        auto row = w.GetByPath(from);
        if (!row || w.GetByPath(to)) continue;
        w.Move(MoveTo(row->id, to, now));
        changes.push_back({ChangeKind::kMoved, row->id, to, from, false, false});
      }
      return Status::Ok();
    });
    if (!written.ok()) return written;
  }
  return changes;
}

}  // namespace codex::notebook
