// Text helpers: UTF-8, Unicode classes (via the C.UTF-8 locale), trimming, escaping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codex {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool IsValidUtf8(std::string_view s) noexcept;
// Decodes the code point at s[*pos] and advances *pos; invalid bytes decode as U+FFFD (one byte).
char32_t DecodeUtf8(std::string_view s, std::size_t* pos) noexcept;
void AppendUtf8(std::string* out, char32_t cp);

// Unicode classes (letters L*, numbers N*, white space) and simple lower-case mapping.
bool IsLetter(char32_t cp) noexcept;
bool IsNumber(char32_t cp) noexcept;
bool IsSpace(char32_t cp) noexcept;
char32_t ToLower(char32_t cp) noexcept;
std::string ToLowerUtf8(std::string_view s);
std::string ToLowerAscii(std::string_view s);

// Strips white space (ASCII and Unicode) at both ends, as Python's str.strip().
std::string_view Trim(std::string_view s) noexcept;
// ASCII digits only, at least one.
bool IsAllDigits(std::string_view s) noexcept;
// Parses a non-negative decimal int64; false on anything else (sign, overflow, empty).
bool ParseInt64(std::string_view s, std::int64_t* out) noexcept;
std::vector<std::string_view> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
// & < > " ' → entities (SEMANTICS §12.4).
std::string HtmlEscape(std::string_view s);

// The last segment of a '/'-separated relative path, and everything before it ("" at the top).
std::string BaseName(std::string_view path);
std::string ParentDir(std::string_view path);
// Number of code points.
std::size_t Utf8Length(std::string_view s) noexcept;

}  // namespace codex
