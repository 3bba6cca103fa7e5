// Dynamic views: typed filters over file metadata, sorted and grouped across notebooks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codex/files.hpp"
#include "codex/json.hpp"
#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
}

struct QueryResult {
  std::vector<FileMeta> files;  // the page (empty when grouped)
  bool grouped = false;
  std::vector<std::pair<std::string, std::vector<FileMeta>>>
      groups;  // in order of first appearance
  std::int64_t total = 0;
  std::int64_t limit = 0;
  std::int64_t offset = 0;
};

// Thread-safe; viewer.
class Queries {
 public:
  // `view` is the ViewQuery object of CONTRACT §18. Errors: kValidation (bad types, unknown
  // operator "Unknown property operator: $x", bad times "datetime_parsing");
  // kNotFound "workspace_path_missing".
  Result<QueryResult> Run(const Principal& who, std::string_view ws, const Json& view);

 private:
  friend class Codex;
  explicit Queries(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
