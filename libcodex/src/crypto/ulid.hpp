// ULIDs: sortable unique ids (JWT jti, request ids).
#pragma once

#include <string>
#include <string_view>

#include "common/time.hpp"

namespace codex::crypto {

// 26 characters of Crockford base32 (upper case): 48 bits of Unix milliseconds of `now`
// (clamped at 0), then 80 bits from the OS CSPRNG. Not monotonic within one millisecond.
// Thread-safe.
std::string NewUlid(TimePoint now);

// True when `text` has the shape NewUlid produces: 26 Crockford base32 characters (upper case),
// the first one at most '7' (the value fits 128 bits).
bool IsUlid(std::string_view text) noexcept;

}  // namespace codex::crypto
