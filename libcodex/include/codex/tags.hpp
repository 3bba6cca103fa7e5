// Tags: from frontmatter, sidecars and inline #words, with colours per notebook.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codex/notebooks.hpp"
#include "codex/principal.hpp"
#include "codex/status.hpp"

namespace codex {
namespace detail {
struct Context;
}

struct Tag {
  std::string name;
  std::optional<std::string> color;  // "#rrggbb"
  std::int64_t count = 0;            // files carrying it
};

// Thread-safe.
class Tags {
 public:
  // Viewer. Tags used by at least one file, by name; a workspace total when `notebook` is empty.
  Result<std::vector<Tag>> List(const Principal& who, std::string_view ws,
                                std::optional<std::string_view> notebook = std::nullopt);
  // Editor. `color` "#rrggbb" (stored lower-case) or nullopt to clear.
  // Errors: kNotFound "tag_not_found"; kValidation.
  Result<Tag> SetColor(const Principal& who, NotebookRef nb, std::string_view name,
                       std::optional<std::string_view> color);

 private:
  friend class Codex;
  explicit Tags(detail::Context* ctx) : ctx_(ctx) {}
  detail::Context* ctx_;
};

}  // namespace codex
