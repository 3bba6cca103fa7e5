#include "search/query_parser.hpp"

#include <cstddef>
#include <optional>

#include "common/errors.hpp"
#include "common/strings.hpp"

namespace codex::search {
namespace {

constexpr std::size_t kMaxTerms = 64;

// Valid UTF-8 without NUL: invalid bytes become U+FFFD, NUL a space (a token separator). FTS5
// then never sees a byte sequence that could end or corrupt one of our quoted strings.
std::string Sanitize(std::string_view q) {
  if (IsValidUtf8(q) && q.find('\0') == std::string_view::npos) return std::string(q);
  std::string out;
  out.reserve(q.size() + 8);
  std::size_t i = 0;
  while (i < q.size()) {
    std::size_t next = i;
    char32_t cp = DecodeUtf8(q, &next);
    if (cp == 0) {
      out.push_back(' ');
    } else if (IsValidUtf8(q.substr(i, next - i))) {
      out.append(q.substr(i, next - i));
    } else {
      AppendUtf8(&out, 0xFFFD);
    }
    i = next;
  }
  return out;
}

// Splits on white space outside double quotes; an unterminated quote runs to the end.
std::vector<std::string_view> Tokenize(std::string_view q) {
  std::vector<std::string_view> tokens;
  bool in_quote = false;
  std::size_t start = std::string_view::npos;
  std::size_t i = 0;
  while (i < q.size()) {
    std::size_t next = i;
    char32_t cp = DecodeUtf8(q, &next);
    if (!in_quote && IsSpace(cp)) {
      if (start != std::string_view::npos) tokens.push_back(q.substr(start, i - start));
      start = std::string_view::npos;
    } else {
      if (start == std::string_view::npos) start = i;
      if (cp == '"') in_quote = !in_quote;
    }
    i = next;
  }
  if (start != std::string_view::npos) tokens.push_back(q.substr(start));
  return tokens;
}

bool HasLetterOrDigit(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t cp = DecodeUtf8(s, &i);
    if (IsLetter(cp) || IsNumber(cp)) return true;
  }
  return false;
}

// `text` as one FTS5 string: inside double quotes, every '"' doubled.
std::string QuoteFts(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// A word, prefix or phrase token → its FTS5 form; nullopt when the token has no letter or digit.
std::optional<std::string> TermToFts(std::string_view token) {
  std::size_t quotes = 0;
  for (char c : token) quotes += c == '"' ? 1 : 0;
  // A trailing '*' outside quotes (even number of quotes) marks a prefix.
  bool prefix = false;
  if (quotes % 2 == 0) {
    while (!token.empty() && token.back() == '*') {
      token.remove_suffix(1);
      prefix = true;
    }
  }
  if (!token.empty() && token.front() == '"') {
    token.remove_prefix(1);
    // Drop the closing quote of a complete phrase; an unterminated one runs to the end.
    if (quotes % 2 == 0 && !token.empty() && token.back() == '"') token.remove_suffix(1);
  }
  if (!HasLetterOrDigit(token)) return std::nullopt;
  std::string fts = QuoteFts(token);
  if (prefix) fts.push_back('*');
  return fts;
}

// The value of a filter token (after "tag:" or "path:"): quotes only group, they are removed.
std::string FilterValue(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c != '"') out.push_back(c);
  }
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string JoinOr(const std::vector<std::string>& items) { return Join(items, " OR "); }

}  // namespace

Result<SearchPlan> ParseSearchQuery(std::string_view q) {
  const std::string text = Sanitize(q);
  SearchPlan plan;
  std::vector<std::vector<std::string>> groups;  // each group: alternatives joined by OR
  std::vector<std::string> exclusions;
  std::size_t terms = 0;
  bool last_positive = false;  // the previous kept token was a positive term
  bool pending_or = false;     // an OR directly after a positive term
  bool pending_not = false;    // a NOT waiting for its term

  for (std::string_view token : Tokenize(text)) {
    if (token == "AND") continue;
    if (token == "OR") {
      pending_or = last_positive;
      continue;
    }
    if (token == "NOT") {
      pending_not = true;
      pending_or = false;
      last_positive = false;
      continue;
    }
    if (!pending_not && (StartsWith(token, "tag:") || StartsWith(token, "path:"))) {
      bool is_tag = token[0] == 't';
      std::string value = FilterValue(token.substr(is_tag ? 4 : 5));
      if (!value.empty()) {
        if (is_tag) {
          plan.tags.push_back(ToLowerUtf8(value));
        } else {
          plan.path_globs.push_back(std::move(value));
        }
      }
      pending_or = false;
      last_positive = false;
      continue;
    }
    bool negative = pending_not;
    std::string_view body = token;
    if (!negative && token.size() > 1 && token[0] == '-') {
      negative = true;
      body.remove_prefix(1);
    }
    std::optional<std::string> fts = TermToFts(body);
    if (!fts) continue;  // dropped tokens are as if absent
    pending_not = false;
    if (terms >= kMaxTerms) {
      pending_or = false;
      last_positive = false;
      continue;
    }
    ++terms;
    if (negative) {
      exclusions.push_back(std::move(*fts));
      pending_or = false;
      last_positive = false;
      continue;
    }
    if (pending_or && !groups.empty()) {
      groups.back().push_back(std::move(*fts));
    } else {
      groups.push_back({std::move(*fts)});
    }
    pending_or = false;
    last_positive = true;
  }

  if (!exclusions.empty()) plan.exclude = JoinOr(exclusions);
  for (const auto& group : groups) {
    if (!plan.match.empty()) plan.match += " AND ";
    plan.match += '(';
    plan.match += JoinOr(group);
    plan.match += ')';
  }
  if (!plan.match.empty() && !exclusions.empty()) {
    plan.match += " NOT (";
    plan.match += plan.exclude;
    plan.match += ')';
  }
  if (plan.match.empty() && !plan.exclude.empty() && !plan.has_filters()) {
    return errors::ValueError("q", "Search query needs at least one term to match");
  }
  return plan;
}

}  // namespace codex::search
