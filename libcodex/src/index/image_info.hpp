// Image dimensions from file headers (SEMANTICS §6.7), no full decode.
#pragma once

#include <optional>
#include <string_view>

#include "codex/json.hpp"

namespace codex::index {

// {"width", "height", "format", "mode"} for PNG, JPEG, GIF, BMP, TIFF, WEBP and ICO, recognised
// by magic bytes; nullopt when unrecognised, unreadable or truncated. `bytes` is the start of the
// file (the caller passes up to kImageHeadBytes).
std::optional<Json::Object> ReadImageInfo(std::string_view bytes);
inline constexpr std::size_t kImageHeadBytes = 1 << 20;

}  // namespace codex::index
