#include "query/evaluate.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/glob.hpp"
#include "common/number.hpp"
#include "common/strings.hpp"

namespace codex::query {
namespace {

constexpr std::string_view kPropertiesPrefix = "properties.";
constexpr std::string_view kUndefined = "undefined";

// ---------------------------------------------------------------------------------------------
// Values

bool IsScalar(const Json& v) { return !v.is_array() && !v.is_object(); }

// Exact numeric order of two JSON numbers (long double holds every int64 and double exactly).
int CompareNumbers(const Json& a, const Json& b) {
  if (a.is_int() && b.is_int()) {
    return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
  }
  long double x = a.is_int() ? static_cast<long double>(a.as_int()) : a.as_double();
  long double y = b.is_int() ? static_cast<long double>(b.as_int()) : b.as_double();
  return x < y ? -1 : x > y ? 1 : 0;
}

// std::string compares bytes as unsigned char, which is code-point order for UTF-8.
int CompareText(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

bool Truthy(const Json& v) {
  switch (v.type()) {
    case Json::Type::kNull:
      return false;
    case Json::Type::kBool:
      return v.as_bool();
    case Json::Type::kInt:
      return v.as_int() != 0;
    case Json::Type::kDouble:
      return v.as_double() != 0;
    case Json::Type::kString:
      return !v.as_string().empty();
    case Json::Type::kArray:
      return !v.as_array().empty();
    case Json::Type::kObject:
      return !v.as_object().empty();
  }
  return false;
}

// `value` (nullptr = missing) equals the operand `x`: null matches missing or null; an array
// property matches a scalar operand when any element does.
bool EqualsOperand(const Json& x, const Json* value) {
  if (value == nullptr) return x.is_null();
  if (*value == x) return true;
  if (value->is_array() && IsScalar(x)) {
    for (const Json& item : value->as_array()) {
      if (item == x) return true;
    }
  }
  return false;
}

// Order condition: both numbers or both strings, else no match. `pred` takes the sign of
// (property value <=> x) and says whether the operator holds.
template <class Pred>
bool OrderedMatch(const Json& x, const Json* value, Pred pred) {
  if (value == nullptr) return false;
  auto one = [&](const Json& v) {
    if (v.is_number() && x.is_number()) return pred(CompareNumbers(v, x));
    if (v.is_string() && x.is_string()) return pred(CompareText(v.as_string(), x.as_string()));
    return false;
  };
  if (value->is_array() && IsScalar(x)) {
    return std::any_of(value->as_array().begin(), value->as_array().end(), one);
  }
  return one(*value);
}

bool HasOperatorKey(const Json& condition) {
  for (const auto& item : condition.as_object()) {
    if (!item.first.empty() && item.first[0] == '$') return true;
  }
  return false;
}

// §13.2. Conditions were validated by ParseViewQuery; unknown operators do not occur here.
bool MatchCondition(const Json& condition, const Json* value) {
  if (condition.is_array()) {
    for (const Json& x : condition.as_array()) {
      if (EqualsOperand(x, value)) return true;
    }
    return false;
  }
  if (!condition.is_object() || !HasOperatorKey(condition)) {
    if (condition.is_object()) return value != nullptr && *value == condition;
    return EqualsOperand(condition, value);
  }
  for (const auto& [op, x] : condition.as_object()) {
    bool ok = true;
    if (op == "$gt") {
      ok = OrderedMatch(x, value, [](int c) { return c > 0; });
    } else if (op == "$gte") {
      ok = OrderedMatch(x, value, [](int c) { return c >= 0; });
    } else if (op == "$lt") {
      ok = OrderedMatch(x, value, [](int c) { return c < 0; });
    } else if (op == "$lte") {
      ok = OrderedMatch(x, value, [](int c) { return c <= 0; });
    } else if (op == "$ne") {
      ok = !EqualsOperand(x, value);
    } else if (op == "$in") {
      if (x.is_array()) {
        ok = std::any_of(x.as_array().begin(), x.as_array().end(),
                         [&](const Json& item) { return EqualsOperand(item, value); });
      } else {
        ok = EqualsOperand(x, value);
      }
    } else if (op == "$exists") {
      bool present = value != nullptr && !value->is_null();
      ok = present == Truthy(x);
    } else {
      ok = false;
    }
    if (!ok) return false;
  }
  return true;
}

const Json* Property(const FileMeta& file, std::string_view key) {
  return file.properties.find(key);
}

// ---------------------------------------------------------------------------------------------
// Text

// Full case folding where it differs from simple lower-casing (Unicode CaseFolding.txt, status
// C/F entries outside the simple lower mapping), for the scripts users meet in notes.
std::string_view SpecialFold(char32_t cp) {
  switch (cp) {
    case 0x00B5:
      return "\u03BC";
    case 0x00DF:
      return "ss";
    case 0x0130:
      return "i\u0307";
    case 0x0149:
      return "\u02BCn";
    case 0x017F:
      return "s";
    case 0x01F0:
      return "j\u030C";
    case 0x0345:
      return "\u03B9";
    case 0x0390:
      return "\u03B9\u0308\u0301";
    case 0x03B0:
      return "\u03C5\u0308\u0301";
    case 0x03C2:
      return "\u03C3";
    case 0x03D0:
      return "\u03B2";
    case 0x03D1:
      return "\u03B8";
    case 0x03D5:
      return "\u03C6";
    case 0x03D6:
      return "\u03C0";
    case 0x03F0:
      return "\u03BA";
    case 0x03F1:
      return "\u03C1";
    case 0x03F5:
      return "\u03B5";
    case 0x0587:
      return "\u0565\u0582";
    case 0x1E96:
      return "h\u0331";
    case 0x1E97:
      return "t\u0308";
    case 0x1E98:
      return "w\u030A";
    case 0x1E99:
      return "y\u030A";
    case 0x1E9A:
      return "a\u02BE";
    case 0x1E9B:
      return "\u1E61";
    case 0x1E9E:
      return "ss";
    case 0x1FBE:
      return "\u03B9";
    case 0xFB00:
      return "ff";
    case 0xFB01:
      return "fi";
    case 0xFB02:
      return "fl";
    case 0xFB03:
      return "ffi";
    case 0xFB04:
      return "ffl";
    case 0xFB05:
      return "st";
    case 0xFB06:
      return "st";
    case 0xFB13:
      return "\u0574\u0576";
    case 0xFB14:
      return "\u0574\u0565";
    case 0xFB15:
      return "\u0574\u056B";
    case 0xFB16:
      return "\u057E\u0576";
    case 0xFB17:
      return "\u0574\u056D";
    default:
      return {};
  }
}

// Unicode case folding (simple lower-casing plus the special cases above).
std::string FoldCase(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c));
      ++i;
      continue;
    }
    char32_t cp = DecodeUtf8(s, &i);
    std::string_view special = SpecialFold(cp);
    if (special.empty()) {
      cp = ToLower(cp);
      special = SpecialFold(cp);
    }
    if (!special.empty()) {
      out += special;
    } else if (cp >= 0xAB70 && cp <= 0xABBF) {
      AppendUtf8(&out, cp - 0xAB70 + 0x13A0);  // Cherokee folds to upper case
    } else if (cp >= 0x13F8 && cp <= 0x13FD) {
      AppendUtf8(&out, cp - 8);
    } else {
      AppendUtf8(&out, cp);
    }
  }
  return out;
}

bool ContainsFolded(const std::optional<std::string>& field, std::string_view folded_needle) {
  if (!field) return false;
  const std::string& text = *field;
  if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; })) {
    // ASCII folds to ASCII lower case: search in place, without a folded copy.
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    return std::search(text.begin(), text.end(), folded_needle.begin(), folded_needle.end(),
                       [&](char h, char n) { return lower(h) == n; }) != text.end();
  }
  return FoldCase(text).find(folded_needle) != std::string::npos;
}

bool HasTag(const FileMeta& file, const std::string& lower_tag) {
  for (const std::string& tag : file.tags) {
    if (tag == lower_tag) return true;
    // Tags are stored lower-cased (§6.5); compare lower-cased anyway for rows that are not.
    bool maybe_upper = std::any_of(tag.begin(), tag.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
    });
    if (maybe_upper && ToLowerUtf8(tag) == lower_tag) return true;
  }
  return false;
}

template <class T>
bool Contains(const std::vector<T>& list, const T& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// ---------------------------------------------------------------------------------------------
// Fields (sort and group)

enum class Column {
  kId,
  kNotebookId,
  kPath,
  kFilename,
  kTitle,
  kDescription,
  kContentType,
  kFileType,
  kSize,
  kHash,
  kCreatedAt,
  kUpdatedAt,
  kFileModifiedAt,
};

std::optional<Column> ColumnByName(std::string_view name) {
  static constexpr std::pair<std::string_view, Column> kColumns[] = {
      {"id", Column::kId},
      {"notebook_id", Column::kNotebookId},
      {"path", Column::kPath},
      {"filename", Column::kFilename},
      {"title", Column::kTitle},
      {"description", Column::kDescription},
      {"content_type", Column::kContentType},
      {"file_type", Column::kFileType},
      {"size", Column::kSize},
      {"hash", Column::kHash},
      {"created_at", Column::kCreatedAt},
      {"updated_at", Column::kUpdatedAt},
      {"file_modified_at", Column::kFileModifiedAt},
  };
  for (const auto& [column_name, column] : kColumns) {
    if (column_name == name) return column;
  }
  return std::nullopt;
}

// A column value: an integer, a text, or null (nullopt optional columns).
struct ColumnValue {
  bool is_null = false;
  bool is_int = false;
  std::int64_t i = 0;
  std::string_view s;
};

ColumnValue GetColumn(const FileMeta& f, Column column) {
  auto text = [](std::string_view s) { return ColumnValue{false, false, 0, s}; };
  auto optional_text = [](const std::optional<std::string>& s) {
    return s ? ColumnValue{false, false, 0, *s} : ColumnValue{true, false, 0, {}};
  };
  auto integer = [](std::int64_t i) { return ColumnValue{false, true, i, {}}; };
  switch (column) {
    case Column::kId:
      return integer(f.id);
    case Column::kNotebookId:
      return integer(f.notebook_id);
    case Column::kPath:
      return text(f.path);
    case Column::kFilename:
      return text(f.filename);
    case Column::kTitle:
      return optional_text(f.title);
    case Column::kDescription:
      return optional_text(f.description);
    case Column::kContentType:
      return text(f.content_type);
    case Column::kFileType:
      return optional_text(f.file_type);
    case Column::kSize:
      return integer(f.size);
    case Column::kHash:
      return text(f.hash);
    case Column::kCreatedAt:
      return text(f.created_at);
    case Column::kUpdatedAt:
      return text(f.updated_at);
    case Column::kFileModifiedAt:
      return text(f.file_modified_at);
  }
  return ColumnValue{true, false, 0, {}};
}

// Value classes of §13.3, in order; null sorts last in both directions.
enum Rank : std::uint8_t { kNumber = 0, kString = 1, kBool = 2, kComposite = 3, kNull = 4 };

// One file's sort value and tie-breakers, copied out of FileMeta so that comparisons stay in
// this compact array.
struct SortKey {
  std::int64_t notebook_id = 0;
  std::int64_t id = 0;
  std::string_view path;
  std::string_view s;  // strings, composites (compact JSON)
  std::int64_t i = 0;  // numbers (when is_int), booleans (0/1)
  double d = 0;        // numbers (when !is_int)
  std::uint32_t index = 0;
  Rank rank = kNull;
  bool is_int = true;
};

int CompareSortValues(const SortKey& a, const SortKey& b) {
  if (a.rank != b.rank) return a.rank < b.rank ? -1 : 1;
  switch (a.rank) {
    case kNumber: {
      if (a.is_int && b.is_int) return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
      long double x = a.is_int ? static_cast<long double>(a.i) : a.d;
      long double y = b.is_int ? static_cast<long double>(b.i) : b.d;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case kString:
    case kComposite:
      return CompareText(a.s, b.s);
    case kBool:
      return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
    case kNull:
      return 0;
  }
  return 0;
}

void SetJsonKey(const Json* v, SortKey* key, std::vector<std::string>* composites) {
  if (v == nullptr) return;
  switch (v->type()) {
    case Json::Type::kNull:
      return;
    case Json::Type::kBool:
      key->rank = kBool;
      key->i = v->as_bool() ? 1 : 0;
      return;
    case Json::Type::kInt:
      key->rank = kNumber;
      key->i = v->as_int();
      return;
    case Json::Type::kDouble:
      key->rank = kNumber;
      key->is_int = false;
      key->d = v->as_double();
      return;
    case Json::Type::kString:
      key->rank = kString;
      key->s = v->as_string();
      return;
    case Json::Type::kArray:
    case Json::Type::kObject:
      key->rank = kComposite;
      composites->push_back(v->Dump());
      key->s = composites->back();  // stable: `composites` is reserved for every file
      return;
  }
}

// Moves files[n] to position n of the order given by `keys` (keys[n].index = source), in place.
void ApplyOrder(const std::vector<SortKey>& keys, std::vector<FileMeta>* files) {
  const std::size_t n = keys.size();
  std::vector<bool> placed(n, false);
  for (std::size_t start = 0; start < n; ++start) {
    if (placed[start] || keys[start].index == start) continue;
    // Rotate the cycle start ← keys[start].index ← … back to start.
    FileMeta held = std::move((*files)[start]);
    std::size_t to = start;
    while (true) {
      placed[to] = true;
      std::size_t from = keys[to].index;
      if (from == start) break;
      (*files)[to] = std::move((*files)[from]);
      to = from;
    }
    (*files)[to] = std::move(held);
  }
}

}  // namespace

bool Matches(const ViewQuery& q, const FileMeta& f) {
  if (!q.content_types.empty() && !Contains(q.content_types, f.content_type)) return false;
  if (!q.file_types.empty() && (!f.file_type || !Contains(q.file_types, *f.file_type))) {
    return false;
  }
  if (q.created_after && f.created_at < *q.created_after) return false;
  if (q.created_before && f.created_at > *q.created_before) return false;
  if (q.modified_after && f.file_modified_at < *q.modified_after) return false;
  if (q.modified_before && f.file_modified_at > *q.modified_before) return false;
  for (const std::string& tag : q.tags) {
    if (!HasTag(f, tag)) return false;
  }
  if (!q.tags_any.empty() && std::none_of(q.tags_any.begin(), q.tags_any.end(),
                                          [&](const std::string& tag) { return HasTag(f, tag); })) {
    return false;
  }
  if (!q.paths.empty() && std::none_of(q.paths.begin(), q.paths.end(), [&](const std::string& p) {
        return GlobMatch(p, f.path);
      })) {
    return false;
  }
  for (const std::string& key : q.properties_exists) {
    const Json* v = Property(f, key);
    if (v == nullptr || v->is_null()) return false;
  }
  for (const auto& [key, condition] : q.properties) {
    if (!MatchCondition(condition, Property(f, key))) return false;
  }
  if (q.date_property && (q.date_after || q.date_before)) {
    const Json* v = Property(f, *q.date_property);
    if (v == nullptr || !v->is_string()) return false;
    if (q.date_after && CompareText(v->as_string(), *q.date_after) < 0) return false;
    if (q.date_before && CompareText(v->as_string(), *q.date_before) > 0) return false;
  }
  if (q.content_search) {
    std::string needle = FoldCase(*q.content_search);
    if (!ContainsFolded(f.title, needle) && !ContainsFolded(f.description, needle)) return false;
  }
  return true;
}

void SortFiles(const ViewQuery& q, std::vector<FileMeta>* files) {
  std::string_view field = q.sort_field;
  std::optional<Column> column;
  std::optional<std::string_view> property;
  if (field.substr(0, kPropertiesPrefix.size()) == kPropertiesPrefix) {
    property = field.substr(kPropertiesPrefix.size());
  } else {
    column = ColumnByName(field);
  }

  std::vector<std::string> composites;
  if (property) composites.reserve(files->size());
  std::vector<SortKey> keys(files->size());
  for (std::size_t n = 0; n < files->size(); ++n) {
    const FileMeta& f = (*files)[n];
    SortKey& key = keys[n];
    key.notebook_id = f.notebook_id;
    key.id = f.id;
    key.path = f.path;
    key.index = static_cast<std::uint32_t>(n);
    if (property) {
      SetJsonKey(Property(f, *property), &key, &composites);
    } else if (column) {
      ColumnValue v = GetColumn(f, *column);
      if (v.is_null) continue;
      if (v.is_int) {
        key.rank = kNumber;
        key.i = v.i;
      } else {
        key.rank = kString;
        key.s = v.s;
      }
    }
  }

  if (!property && !column) {
    auto before = [](const SortKey& a, const SortKey& b) {
      if (a.notebook_id != b.notebook_id) return a.notebook_id < b.notebook_id;
      return a.id < b.id;
    };
    // Rows usually arrive in this order already (notebooks by id, rows by id).
    if (std::is_sorted(keys.begin(), keys.end(), before)) return;
    std::sort(keys.begin(), keys.end(), before);
  } else {
    const bool desc = q.sort_desc;
    std::sort(keys.begin(), keys.end(), [desc](const SortKey& a, const SortKey& b) {
      int c;
      if (a.rank == kNull || b.rank == kNull) {
        c = a.rank == b.rank ? 0 : (a.rank == kNull ? 1 : -1);  // null last either way
      } else {
        c = CompareSortValues(a, b);
        if (desc) c = -c;
      }
      if (c != 0) return c < 0;
      if (a.notebook_id != b.notebook_id) return a.notebook_id < b.notebook_id;
      int p = a.path.compare(b.path);
      if (p != 0) return p < 0;
      return a.id < b.id;
    });
  }
  ApplyOrder(keys, files);
}

std::string GroupKey(const FileMeta& file, const std::string& group_by) {
  std::string_view field = group_by;
  if (field.substr(0, kPropertiesPrefix.size()) == kPropertiesPrefix) {
    const Json* v = Property(file, field.substr(kPropertiesPrefix.size()));
    if (v == nullptr || v->is_null()) return std::string(kUndefined);
    if (v->is_string()) return v->as_string();
    return v->Dump();  // numbers (shortest form), true/false, compact arrays and objects
  }
  std::optional<Column> column = ColumnByName(field);
  if (!column) return std::string(kUndefined);
  ColumnValue v = GetColumn(file, *column);
  if (v.is_null) return std::string(kUndefined);
  if (v.is_int) return FormatInt(v.i);
  if (v.s.empty()) return std::string(kUndefined);
  return std::string(v.s);
}

QueryResult Assemble(const ViewQuery& q, std::vector<FileMeta> sorted) {
  QueryResult result;
  result.total = static_cast<std::int64_t>(sorted.size());
  result.limit = q.limit;
  result.offset = q.offset;
  const auto offset = static_cast<std::size_t>(std::max<std::int64_t>(q.offset, 0));
  const auto limit = static_cast<std::size_t>(std::max<std::int64_t>(q.limit, 0));

  if (!q.group_by) {
    std::size_t begin = std::min(offset, sorted.size());
    std::size_t end = begin + std::min(limit, sorted.size() - begin);
    result.files.reserve(end - begin);
    for (std::size_t n = begin; n < end; ++n) result.files.push_back(std::move(sorted[n]));
    return result;
  }

  result.grouped = true;
  std::unordered_map<std::string, std::size_t> index;  // key → position in result.groups
  std::vector<std::size_t> seen;                       // members seen per group
  for (FileMeta& file : sorted) {
    std::string key = GroupKey(file, *q.group_by);
    auto [it, inserted] = index.try_emplace(key, result.groups.size());
    if (inserted) {
      result.groups.emplace_back(std::move(key), std::vector<FileMeta>{});
      seen.push_back(0);
    }
    std::size_t g = it->second;
    std::size_t position = seen[g]++;
    if (position >= offset && position - offset < limit) {
      result.groups[g].second.push_back(std::move(file));
    }
  }
  return result;
}

}  // namespace codex::query
