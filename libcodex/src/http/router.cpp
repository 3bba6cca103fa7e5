#include "http/router.hpp"

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

bool Pattern::Match(const std::vector<std::string_view>& segments,
                    std::vector<std::pair<std::string, std::string>>* params) const {
  std::size_t fixed = head_.size() + tail_.size();
  if (rest_.empty() ? segments.size() != fixed : segments.size() < fixed) return false;
  auto matches = [](const Segment& s, std::string_view value) {
    return s.param ? !value.empty() : s.text == value;
  };
  for (std::size_t i = 0; i < head_.size(); ++i) {
    if (!matches(head_[i], segments[i])) return false;
  }
  std::size_t tail_start = segments.size() - tail_.size();
  for (std::size_t i = 0; i < tail_.size(); ++i) {
    if (!matches(tail_[i], segments[tail_start + i])) return false;
  }
  params->clear();
  for (std::size_t i = 0; i < head_.size(); ++i) {
    if (head_[i].param) params->emplace_back(head_[i].text, std::string(segments[i]));
  }
  if (!rest_.empty()) {
    std::string rest;
    for (std::size_t i = head_.size(); i < tail_start; ++i) {
      if (!rest.empty() || i > head_.size()) rest.push_back('/');
      rest.append(segments[i]);
    }
    params->emplace_back(rest_, std::move(rest));
  }
  return true;
}

std::vector<std::string> Pattern::param_names() const {
  std::vector<std::string> names;
  for (const auto& s : head_) {
    if (s.param) names.push_back(s.text);
  }
  if (!rest_.empty()) names.push_back(rest_);
  return names;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? path.npos : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

}  // namespace codex::http
