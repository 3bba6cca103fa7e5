// Human-readable rendering of wire JSON for terminals (codexctl without --json).
#include <algorithm>

#include "codex/wire.hpp"
#include "common/strings.hpp"

namespace codex::wire {
namespace {

constexpr std::size_t kMaxCell = 60;

std::string Cell(const Json& v) {
  switch (v.type()) {
    case Json::Type::kNull:
      return "-";
    case Json::Type::kString:
      return v.as_string();
    case Json::Type::kBool:
      return v.as_bool() ? "true" : "false";
    case Json::Type::kArray: {
      if (v.as_array().empty()) return "-";
      std::vector<std::string> parts;
      for (const auto& item : v.as_array()) {
        parts.push_back(item.is_object() || item.is_array() ? item.Dump() : Cell(item));
      }
      return Join(parts, ", ");
    }
    case Json::Type::kInt:
    case Json::Type::kDouble:
    case Json::Type::kObject:
      return v.Dump();
  }
  return {};
}

std::string Clip(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  if (Utf8Length(s) <= kMaxCell) return s;
  std::string out;
  std::size_t i = 0, n = 0;
  while (i < s.size() && n < kMaxCell - 1) {
    std::size_t start = i;
    DecodeUtf8(s, &i);
    out.append(s, start, i - start);
    ++n;
  }
  return out + "…";
}

std::string Pad(const std::string& s, std::size_t width) {
  std::size_t len = Utf8Length(s);
  return len >= width ? s : s + std::string(width - len, ' ');
}

}  // namespace

std::string HumanText(const Json& value, const std::vector<std::string>& columns) {
  if (value.is_array()) {
    const auto& rows = value.as_array();
    if (rows.empty()) return "(none)\n";
    std::vector<std::string> cols = columns;
    if (cols.empty() && rows.front().is_object()) {
      for (const auto& [k, v] : rows.front().as_object()) cols.push_back(k);
    }
    if (cols.empty()) {
      std::string out;
      for (const auto& r : rows) out += Cell(r) + "\n";
      return out;
    }
    std::vector<std::vector<std::string>> cells;
    std::vector<std::size_t> width(cols.size());
    for (std::size_t c = 0; c < cols.size(); ++c) width[c] = Utf8Length(cols[c]);
    for (const auto& r : rows) {
      std::vector<std::string> line;
      for (std::size_t c = 0; c < cols.size(); ++c) {
        const Json* v = r.find(cols[c]);
        line.push_back(Clip(v ? Cell(*v) : "-"));
        width[c] = std::max(width[c], Utf8Length(line.back()));
      }
      cells.push_back(std::move(line));
    }
    std::string out;
    auto emit = [&](const std::vector<std::string>& line) {
      std::string text;
      for (std::size_t c = 0; c < line.size(); ++c) {
        text += c + 1 == line.size() ? line[c] : Pad(line[c], width[c]) + "  ";
      }
      out += text + "\n";
    };
    std::vector<std::string> header;
    for (const auto& c : cols) header.push_back(ToLowerAscii(c));
    emit(header);
    for (const auto& line : cells) emit(line);
    return out;
  }
  if (value.is_object()) {
    std::size_t width = 0;
    std::vector<std::pair<std::string, const Json*>> items;
    for (const auto& [k, v] : value.as_object()) {
      if (!columns.empty() && std::find(columns.begin(), columns.end(), k) == columns.end()) {
        continue;
      }
      items.emplace_back(k, &v);
      width = std::max(width, k.size());
    }
    std::string out;
    for (const auto& [k, v] : items) out += Pad(k + ":", width + 1) + " " + Cell(*v) + "\n";
    return out;
  }
  return Cell(value) + "\n";
}

}  // namespace codex::wire
