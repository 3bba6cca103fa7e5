#include "files/template_expand.hpp"

#include <cstdio>

namespace codex::files {
namespace {

void ReplaceAll(std::string* s, std::string_view token, std::string_view value) {
  std::size_t at = 0;
  while ((at = s->find(token, at)) != std::string::npos) {
    s->replace(at, token.size(), value);
    at += value.size();
  }
}

}  // namespace

std::string ExpandTemplate(std::string_view pattern, std::string_view title, TimePoint now) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  LocalDate d = ToLocalDate(now);
  char yyyy[16], yy[8], mm[8], dd[8];
  std::snprintf(yyyy, sizeof yyyy, "%04d", d.year);
  std::snprintf(yy, sizeof yy, "%02d", d.year % 100);
  std::snprintf(mm, sizeof mm, "%02d", d.month);
  std::snprintf(dd, sizeof dd, "%02d", d.day);
  std::string month = kMonths[d.month - 1];
  std::string out(pattern);
  ReplaceAll(&out, "{yyyy}", yyyy);
  ReplaceAll(&out, "{yy}", yy);
  ReplaceAll(&out, "{mm}", mm);
  ReplaceAll(&out, "{dd}", dd);
  ReplaceAll(&out, "{month}", month);
  ReplaceAll(&out, "{mon}", month.substr(0, 3));
  ReplaceAll(&out, "{title}", title);
  return out;
}

}  // namespace codex::files
