#include "http/router.hpp"

#include <algorithm>

namespace codex::http {

Pattern::Pattern(std::string_view pattern) : text_(pattern) {
  bool after_rest = false;
  for (auto seg : SplitPath(pattern)) {
    Segment s;
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      std::string_view name = seg.substr(1, seg.size() - 2);
      if (!name.empty() && name.back() == '*') {
        rest_ = std::string(name.substr(0, name.size() - 1));
        after_rest = true;
        specificity_.push_back(0);
        continue;
      }
      s.text = std::string(name);
      s.param = true;
      specificity_.push_back(1);
    } else {
      s.text = std::string(seg);
      specificity_.push_back(2);
    }
    (after_rest ? tail_ : head_).push_back(std::move(s));
  }
}

bool Pattern::Matches(const std::vector<std::string_view>& segments) const {
  std::size_t fixed = fixed_segments();
  if (rest_.empty() ? segments.size() != fixed : segments.size() < fixed) return false;
  auto matches = [](const Segment& s, std::string_view value) {
    return s.param ? !value.empty() : s.text == value;
  };
  std::size_t tail_start = segments.size() - tail_.size();
  for (std::size_t i = 0; i < tail_.size(); ++i) {
    if (!matches(tail_[i], segments[tail_start + i])) return false;
  }
  // Last segments first: the table's patterns share their beginnings ("api", "v1", …).
  for (std::size_t i = head_.size(); i-- > 0;) {
    if (!matches(head_[i], segments[i])) return false;
  }
  return true;
}

void Pattern::Bind(const std::vector<std::string_view>& segments,
                   std::vector<std::pair<std::string, std::string>>* params) const {
  params->clear();
  auto is_param = [](const Segment& s) { return s.param; };
  params->reserve(static_cast<std::size_t>(std::count_if(head_.begin(), head_.end(), is_param)) +
                  (rest_.empty() ? 0 : 1));
  for (std::size_t i = 0; i < head_.size(); ++i) {
    if (head_[i].param) params->emplace_back(head_[i].text, std::string(segments[i]));
  }
  if (!rest_.empty()) {
    std::size_t tail_start = segments.size() - tail_.size();
    std::string rest;
    for (std::size_t i = head_.size(); i < tail_start; ++i) {
      if (!rest.empty() || i > head_.size()) rest.push_back('/');
      rest.append(segments[i]);
    }
    params->emplace_back(rest_, std::move(rest));
  }
}

std::vector<std::string> Pattern::param_names() const {
  std::vector<std::string> names;
  for (const auto& s : head_) {
    if (s.param) names.push_back(s.text);
  }
  if (!rest_.empty()) names.push_back(rest_);
  return names;
}

Router::Router(const std::vector<std::string_view>& patterns) {
  for (std::string_view text : patterns) {
    std::size_t p = 0;
    while (p < patterns_.size() && patterns_[p].text() != text) ++p;
    if (p == patterns_.size()) {
      patterns_.emplace_back(text);
      routes_.emplace_back();
    }
    routes_[p].push_back(of_route_.size());
    of_route_.push_back(p);
  }
  // by_size_[n]: the patterns a path of n segments can match, most specific first (in table
  // order among equals), so the first that matches is the best; the last entry serves every
  // longer path (only rest patterns are left there).
  std::size_t longest = 0;
  for (const auto& pattern : patterns_) longest = std::max(longest, pattern.fixed_segments());
  by_size_.resize(longest + 2);
  for (std::size_t n = 0; n < by_size_.size(); ++n) {
    auto& tried = by_size_[n];
    for (std::size_t p = 0; p < patterns_.size(); ++p) {
      std::size_t fixed = patterns_[p].fixed_segments();
      if (patterns_[p].has_rest() ? n >= fixed : n == fixed) tried.push_back(p);
    }
    std::stable_sort(tried.begin(), tried.end(), [&](std::size_t a, std::size_t b) {
      return patterns_[a].specificity() > patterns_[b].specificity();
    });
  }
}

const std::vector<std::size_t>* Router::Candidates(
    const std::vector<std::string_view>& segments) const {
  for (std::size_t p : by_size_[std::min(segments.size(), by_size_.size() - 1)]) {
    if (patterns_[p].Matches(segments)) return &routes_[p];
  }
  return nullptr;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  out.reserve(static_cast<std::size_t>(std::count(path.begin(), path.end(), '/')) + 1);
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? path.npos : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

}  // namespace codex::http
