#include "index/markdown_scan.hpp"

#include <cstring>

namespace codex::index::md_detail {
namespace {

// A fence opener/closer: up to 3 spaces, then 3+ of '`' or '~'. Sets the run and what follows.
bool ParseFence(std::string_view line, char* ch, std::size_t* len, std::string_view* rest) {
  std::size_t i = 0;
  while (i < line.size() && i < 4 && line[i] == ' ') ++i;
  if (i > 3 || i >= line.size()) return false;
  char c = line[i];
  if (c != '`' && c != '~') return false;
  std::size_t start = i;
  while (i < line.size() && line[i] == c) ++i;
  if (i - start < 3) return false;
  *ch = c;
  *len = i - start;
  *rest = line.substr(i);
  return true;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

bool LineScanner::Next() {
  if (next_ >= text_.size()) return false;
  begin_ = next_;
  const void* nl = std::memchr(text_.data() + begin_, '\n', text_.size() - begin_);
  std::size_t end = nl == nullptr
                        ? text_.size()
                        : static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data());
  line_ = text_.substr(begin_, end - begin_);
  next_ = nl == nullptr ? text_.size() : end + 1;

  char ch = 0;
  std::size_t len = 0;
  std::string_view rest;
  // Cheap pre-check: a fence line starts with a space, '`' or '~'.
  bool maybe_fence = !line_.empty() && (line_[0] == ' ' || line_[0] == '`' || line_[0] == '~');
  if (open_fence_) {
    in_code_ = true;
    if (maybe_fence && ParseFence(line_, &ch, &len, &rest) && ch == fence_char_ &&
        len >= fence_len_ && IsBlank(rest)) {
      open_fence_ = false;
    }
    return true;
  }
  in_code_ = false;
  if (maybe_fence && ParseFence(line_, &ch, &len, &rest) &&
      (ch == '~' || rest.find('`') == std::string_view::npos)) {
    open_fence_ = true;
    in_code_ = true;
    fence_char_ = ch;
    fence_len_ = len;
  }
  return true;
}

}  // namespace codex::index::md_detail
