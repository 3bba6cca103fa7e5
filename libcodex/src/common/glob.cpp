#include "common/glob.hpp"

#include <cstddef>

#include "common/strings.hpp"

namespace codex {
namespace {

// Matches one code point `c` against the class starting at pattern[*pos] == '['. On return
// *pos is just past the closing ']'. Returns false in *valid when the class has no closing ']';
// the '[' is then an ordinary character (as Python's fnmatch).
bool MatchClass(std::string_view pattern, std::size_t* pos, char32_t c, bool* valid) noexcept {
  std::size_t i = *pos + 1;
  bool negate = false;
  if (i < pattern.size() && pattern[i] == '!') {
    negate = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  while (i < pattern.size()) {
    if (pattern[i] == ']' && !first) {
      *pos = i + 1;
      *valid = true;
      return matched != negate;
    }
    first = false;
    char32_t lo = DecodeUtf8(pattern, &i);
    char32_t hi = lo;
    // A '-' between two characters makes a range; a '-' before the closing ']' is literal.
    if (i + 1 < pattern.size() && pattern[i] == '-' && pattern[i + 1] != ']') {
      ++i;
      hi = DecodeUtf8(pattern, &i);
    }
    if (lo <= c && c <= hi) matched = true;
  }
  *valid = false;
  return false;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) noexcept {
  std::size_t p = 0;  // position in pattern
  std::size_t s = 0;  // position in path
  // Backtracking point: the pattern just after the last '*', and the path position it covers to.
  std::size_t star_p = std::string_view::npos;
  std::size_t star_s = 0;
  while (s < path.size()) {
    if (p < pattern.size()) {
      char pc = pattern[p];
      if (pc == '*') {
        while (p < pattern.size() && pattern[p] == '*') ++p;
        if (p == pattern.size()) return true;  // a trailing '*' takes everything, '/' included
        star_p = p;
        star_s = s;
        continue;
      }
      std::size_t next_s = s;
      char32_t c = DecodeUtf8(path, &next_s);
      if (pc == '?') {
        ++p;
        s = next_s;
        continue;
      }
      if (pc == '[') {
        std::size_t next_p = p;
        bool valid = false;
        bool ok = MatchClass(pattern, &next_p, c, &valid);
        if (valid) {
          if (ok) {
            p = next_p;
            s = next_s;
            continue;
          }
        } else if (c == '[') {
          ++p;
          s = next_s;
          continue;
        }
      } else {
        // Literal: the same bytes (so two different invalid bytes never compare equal).
        std::size_t next_p = p;
        DecodeUtf8(pattern, &next_p);
        if (pattern.substr(p, next_p - p) == path.substr(s, next_s - s)) {
          p = next_p;
          s = next_s;
          continue;
        }
      }
    }
    // Mismatch: let the last '*' swallow one more code point, or fail.
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    DecodeUtf8(path, &star_s);
    s = star_s;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace codex
