// Line-level markdown scanning shared by tags.cpp and markdown.cpp: fenced code blocks.
// Private to index/.
#pragma once

#include <cstddef>
#include <string_view>

namespace codex::index::md_detail {

// Iterates the lines of a markdown text and tells which are inside fenced code blocks
// (``` or ~~~ fences of 3 or more, indented at most 3 spaces, closed by a fence of the same
// character at least as long; an unclosed fence runs to the end). The fence lines themselves
// count as code. Lines exclude their '\n'; a final line break does not start another line.
class LineScanner {
 public:
  explicit LineScanner(std::string_view text) : text_(text) {}

  // Advances to the next line; false at the end. Offsets are into the text.
  bool Next();
  std::string_view line() const { return line_; }
  std::size_t line_begin() const { return begin_; }
  bool in_code() const { return in_code_; }

 private:
  std::string_view text_;
  std::string_view line_;
  std::size_t begin_ = 0;
  std::size_t next_ = 0;
  bool in_code_ = false;
  bool open_fence_ = false;
  char fence_char_ = 0;
  std::size_t fence_len_ = 0;
};

}  // namespace codex::index::md_detail
