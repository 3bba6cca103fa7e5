// Matching request paths against route patterns (CONTRACT §1.1).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codex::http {

// A compiled pattern: literal and {param} segments, optionally one {rest*} followed by literal
// segments only. "/api/v1/workspaces/{ws}/notebooks/{nb}/files/path/{p*}/text".
class Pattern {
 public:
  explicit Pattern(std::string_view pattern);
  // Binds parameters when `segments` (a decoded path split on '/') match.
  bool Match(const std::vector<std::string_view>& segments,
             std::vector<std::pair<std::string, std::string>>* params) const;
  // Higher is more specific: literal segments beat parameters, earlier segments count more.
  const std::vector<int>& specificity() const { return specificity_; }
  const std::string& text() const { return text_; }
  // Parameter names, in order (for OpenAPI).
  std::vector<std::string> param_names() const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool param = false;
  };
  std::string text_;
  std::vector<Segment> head_;  // before the rest parameter (or all)
  std::string rest_;           // the rest parameter's name, empty when none
  std::vector<Segment> tail_;  // literals after the rest parameter
  std::vector<int> specificity_;
};

// Splits a decoded path ("/a/b/") into segments ("a", "b"); one trailing slash is ignored.
std::vector<std::string_view> SplitPath(std::string_view path);

}  // namespace codex::http
