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
  // Whether `segments` (a decoded path split on '/') match.
  bool Matches(const std::vector<std::string_view>& segments) const;
  // The parameters of matching `segments` (precondition: Matches), in order.
  void Bind(const std::vector<std::string_view>& segments,
            std::vector<std::pair<std::string, std::string>>* params) const;
  // Segments before and after the rest parameter; a path needs at least this many.
  std::size_t fixed_segments() const { return head_.size() + tail_.size(); }
  bool has_rest() const { return !rest_.empty(); }
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

// The patterns of a route table, indexed by segment count so that a path is tried only against
// the patterns that can have its length. Immutable after construction: thread-safe.
class Router {
 public:
  // `patterns[i]` is route i's pattern; the same text may serve several routes (verbs).
  explicit Router(const std::vector<std::string_view>& patterns);
  // The routes (table indexes, in table order) of the best-matching pattern: literal segments
  // beat parameters, then the pattern earlier in the table wins. nullptr when none matches. The
  // vector lives as long as the Router.
  const std::vector<std::size_t>* Candidates(const std::vector<std::string_view>& segments) const;
  const Pattern& pattern(std::size_t route) const { return patterns_[of_route_[route]]; }

 private:
  std::vector<Pattern> patterns_;                  // distinct texts, in order of first use
  std::vector<std::vector<std::size_t>> routes_;   // per pattern: its routes
  std::vector<std::size_t> of_route_;              // route → pattern
  std::vector<std::vector<std::size_t>> by_size_;  // [min(segments, size - 1)] → patterns
};

// Splits a decoded path ("/a/b/") into segments ("a", "b"); one trailing slash is ignored.
std::vector<std::string_view> SplitPath(std::string_view path);

}  // namespace codex::http
