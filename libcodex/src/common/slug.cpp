#include "common/slug.hpp"

#include <sys/random.h>

#include "common/strings.hpp"

namespace codex {

std::string Slugify(std::string_view name, std::string_view fallback) {
  std::string lowered = ToLowerUtf8(name);
  std::string out;
  bool pending_dash = false;
  std::size_t i = 0;
  while (i < lowered.size()) {
    std::size_t start = i;
    char32_t cp = DecodeUtf8(lowered, &i);
    if (IsSpace(cp) || cp == '-') {
      pending_dash = true;
      continue;
    }
    if (!(IsLetter(cp) || IsNumber(cp) || cp == '_')) continue;  // deleted, no separator
    if (pending_dash && !out.empty()) out.push_back('-');
    pending_dash = false;
    out.append(lowered, start, i - start);
  }
  if (out.empty()) return std::string(fallback);
  if (IsAllDigits(out)) return out + "-" + std::string(fallback);
  return out;
}

std::string SnippetSlug(std::string_view title) {
  std::string kept;
  std::size_t i = 0;
  while (i < title.size()) {
    std::size_t start = i;
    char32_t cp = DecodeUtf8(title, &i);
    if (IsLetter(cp) || IsNumber(cp) || cp == ' ' || cp == '-' || cp == '_') {
      kept.append(title.substr(start, i - start));
    }
  }
  std::string trimmed(Trim(kept));
  for (char& c : trimmed) {
    if (c == ' ') c = '-';
  }
  return ToLowerUtf8(trimmed);
}

std::string SlugSuffix() {
  unsigned char bytes[4];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n > 0) got += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "-";
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string UniquePathCandidate(std::string_view path, int n) {
  std::size_t slash = path.rfind('/');
  std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash + 1);
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::size_t dot = base.rfind('.');
  std::string_view stem = base;
  std::string_view ext;
  if (dot != std::string_view::npos && dot != 0 && dot != base.size() - 1) {
    stem = base.substr(0, dot);
    ext = base.substr(dot);
  }
  return std::string(dir) + std::string(stem) + "-" + std::to_string(n) + std::string(ext);
}

}  // namespace codex
