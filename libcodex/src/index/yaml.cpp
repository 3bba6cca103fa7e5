#include "index/yaml.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <istream>
#include <new>
#include <streambuf>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/number.hpp"
#include "common/strings.hpp"
#include "index/yaml_scalar.hpp"

namespace codex::index {
namespace {

using yaml_detail::ClassifyPlain;
using yaml_detail::KeyText;
using yaml_detail::PlainKind;

// Hostile-input limits. Nodes copied by alias expansion (billion laughs), nesting depth (also
// through aliases), and entries per mapping (JsonObject lookups are linear).
constexpr std::size_t kMaxAliasNodes = 100'000;
constexpr std::size_t kMaxAnchorNodes = 1'000'000;
constexpr std::size_t kMaxDepth = 256;
constexpr std::size_t kMaxMapEntries = 10'000;

constexpr std::string_view kStdTagPrefix = "tag:yaml.org,2002:";

// Reads a string_view through std::istream without copying it.
class ViewBuf final : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

// Thrown from the event handler to abort the parse; caught in ParseYaml.
struct BuildError {
  YAML::Mark mark;
  std::string message;
};

// Size of a finished value: nodes (for the alias budget) and height (for the depth limit).
struct Shape {
  std::size_t nodes = 1;
  std::size_t height = 1;
};

// Builds Json from yaml-cpp parse events: §6.3 scalar resolution, tags, anchors, merge keys.
class Builder final : public YAML::EventHandler {
 public:
  bool has_root() const { return has_root_; }
  Json TakeRoot() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) throw BuildError{mark, "expected a single document in the stream"};
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Add(mark, Json(), Shape{}, anchor, false);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw BuildError{mark, "found a recursive alias"};
    const auto& [value, shape] = it->second;
    alias_nodes_ += shape.nodes;
    if (alias_nodes_ > kMaxAliasNodes) {
      throw BuildError{mark, "alias expansion exceeds the document size limit"};
    }
    if (frames_.size() + shape.height > kMaxDepth) {
      throw BuildError{mark, "nesting exceeds the depth limit"};
    }
    Add(mark, value, shape, YAML::NullAnchor, false);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Json v;
    bool merge_key = false;
    if (tag == "?") {
      PlainKind kind = ClassifyPlain(value);
      if (!yaml_detail::ConstructPlain(kind, value, &v)) {
        throw BuildError{mark, "cannot construct a value from '" + value + "'"};
      }
      merge_key = value == "<<";
    } else if (tag == "!") {
      v = Json(value);
    } else {
      v = TaggedScalar(mark, tag, value);
    }
    Add(mark, std::move(v), Shape{}, anchor, merge_key);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    if (tag != "?" && tag != "!" && tag != StdTag("seq")) {
      throw BuildError{mark, "unsupported tag '" + tag + "' on a sequence"};
    }
    Push(mark, Frame::kSeq, anchor);
  }
  void OnSequenceEnd() override { Pop(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    Frame::Kind kind;
    if (tag == "?" || tag == "!" || tag == StdTag("map")) {
      kind = Frame::kMap;
    } else if (tag == StdTag("set")) {
      kind = Frame::kSet;
    } else {
      throw BuildError{mark, "unsupported tag '" + tag + "' on a mapping"};
    }
    Push(mark, kind, anchor);
  }
  void OnMapEnd() override { Pop(); }

 private:
  struct Frame {
    enum Kind { kSeq, kMap, kSet } kind = kSeq;
    YAML::Mark mark;
    YAML::anchor_t anchor = YAML::NullAnchor;
    Shape shape;
    Json::Array items;                                 // kSeq; kSet: the keys
    std::vector<std::pair<std::string, Json>> pairs;   // kMap: own entries
    std::vector<std::pair<std::string, Json>> merged;  // kMap: entries from << (first)
    std::unordered_set<std::string> set_keys;          // kSet
    bool has_key = false;
    bool key_is_merge = false;
    std::string key;
  };

  static std::string StdTag(std::string_view name) {
    std::string t(kStdTagPrefix);
    t += name;
    return t;
  }

  static Json TaggedScalar(const YAML::Mark& mark, const std::string& tag,
                           const std::string& value) {
    std::string_view t = tag;
    if (t.substr(0, kStdTagPrefix.size()) != kStdTagPrefix) {
      throw BuildError{mark, "unsupported tag '" + tag + "'"};
    }
    std::string_view name = t.substr(kStdTagPrefix.size());
    Json v;
    bool ok = false;
    if (name == "str") {
      v = Json(value);
      ok = true;
    } else if (name == "null") {
      ok = true;
    } else if (name == "int") {
      ok = yaml_detail::ConstructTaggedInt(value, &v);
    } else if (name == "float") {
      ok = yaml_detail::ConstructTaggedFloat(value, &v);
    } else if (name == "bool") {
      ok = yaml_detail::ConstructTaggedBool(value, &v);
    } else if (name == "timestamp") {
      ok = yaml_detail::ConstructTaggedTimestamp(value, &v);
    } else if (name == "binary") {
      std::string b64;
      ok = yaml_detail::CanonicalBase64(value, &b64);
      v = Json(std::move(b64));
    } else {
      throw BuildError{mark, "unsupported tag '" + tag + "'"};
    }
    if (!ok) throw BuildError{mark, "cannot construct " + tag + " from '" + value + "'"};
    return v;
  }

  void Push(const YAML::Mark& mark, Frame::Kind kind, YAML::anchor_t anchor) {
    if (frames_.size() >= kMaxDepth) throw BuildError{mark, "nesting exceeds the depth limit"};
    Frame f;
    f.kind = kind;
    f.mark = mark;
    f.anchor = anchor;
    frames_.push_back(std::move(f));
  }

  void Pop() {
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    Json value;
    switch (f.kind) {
      case Frame::kSeq:
      case Frame::kSet:
        value = Json(std::move(f.items));
        break;
      case Frame::kMap: {
        Json::Object obj;
        for (auto& [k, v] : f.merged) obj.set(std::move(k), std::move(v));
        for (auto& [k, v] : f.pairs) obj.set(std::move(k), std::move(v));
        value = Json(std::move(obj));
        break;
      }
    }
    Add(f.mark, std::move(value), f.shape, f.anchor, false);
  }

  // A finished value: the document root, a sequence item, a mapping key or a mapping value.
  void Add(const YAML::Mark& mark, Json value, Shape shape, YAML::anchor_t anchor, bool merge_key) {
    if (anchor != YAML::NullAnchor) {
      anchor_nodes_ += shape.nodes;
      if (anchor_nodes_ > kMaxAnchorNodes) {
        throw BuildError{mark, "anchored nodes exceed the document size limit"};
      }
      anchors_[anchor] = {value, shape};
    }
    if (frames_.empty()) {
      root_ = std::move(value);
      has_root_ = true;
      return;
    }
    Frame& f = frames_.back();
    f.shape.nodes += shape.nodes;
    f.shape.height = std::max(f.shape.height, shape.height + 1);
    if (f.kind == Frame::kSeq) {
      f.items.push_back(std::move(value));
      return;
    }
    if (!f.has_key) {
      if (value.is_array() || value.is_object()) {
        throw BuildError{mark, "found an unhashable key (a sequence or mapping)"};
      }
      if (f.items.size() + f.pairs.size() + f.merged.size() >= kMaxMapEntries) {
        throw BuildError{mark, "mapping exceeds the entry limit"};
      }
      f.key = KeyText(value);
      f.key_is_merge = merge_key && f.kind == Frame::kMap;
      f.has_key = true;
      if (f.kind == Frame::kSet && f.set_keys.insert(f.key).second) {
        f.items.push_back(std::move(value));
      }
      return;
    }
    f.has_key = false;
    if (f.kind == Frame::kSet) return;
    if (!f.key_is_merge) {
      f.pairs.emplace_back(std::move(f.key), std::move(value));
      return;
    }
    // Merge key (PyYAML flatten_mapping): a mapping, or a sequence of mappings where earlier
    // ones win; the mapping's own keys win over all of them.
    if (value.is_object()) {
      for (auto& [k, v] : value.as_object()) f.merged.emplace_back(k, std::move(v));
    } else if (value.is_array()) {
      auto& list = value.as_array();
      for (const Json& item : list) {
        if (!item.is_object()) {
          throw BuildError{mark, "expected a mapping for merging, but found another node"};
        }
      }
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        for (auto& [k, v] : it->as_object()) f.merged.emplace_back(k, std::move(v));
      }
    } else {
      throw BuildError{mark, "expected a mapping or list of mappings for merging"};
    }
    if (f.merged.size() + f.pairs.size() > kMaxMapEntries) {
      throw BuildError{mark, "mapping exceeds the entry limit"};
    }
  }

  std::vector<Frame> frames_;
  std::unordered_map<YAML::anchor_t, std::pair<Json, Shape>> anchors_;
  std::size_t alias_nodes_ = 0;
  std::size_t anchor_nodes_ = 0;
  int documents_ = 0;
  Json root_;
  bool has_root_ = false;
};

Status YamlError(const YAML::Mark& mark, std::string_view message) {
  std::string text = "line " + std::to_string(mark.line + 1) + ", column " +
                     std::to_string(mark.column + 1) + ": ";
  text += message;
  return Status::InvalidArgument("invalid_yaml", std::move(text));
}

// ---------------------------------------------------------------------------------------------
// Writer (§6.2).

enum class Style { kPlain, kSingle, kDouble, kLiteral };

bool IsIndicator(char c) {
  constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  return kIndicators.find(c) != std::string_view::npos;
}

// Characters written only as escapes in double quotes: C0 controls other than tab and line
// feed, DEL, C1 controls, the Unicode line/paragraph separators, BOM and non-characters.
bool IsSpecial(char32_t cp) {
  if (cp < 0x20) return cp != '\t' && cp != '\n';
  if (cp == 0x7F) return true;
  if (cp >= 0x80 && cp <= 0x9F) return true;
  return cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF ||
         (cp >= 0xD800 && cp <= 0xDFFF);
}

struct Analysis {
  bool special = false;  // needs double quotes (or is invalid UTF-8)
  bool newline = false;
  bool tab = false;
  bool space_before_break = false;
  bool edge_space = false;  // leading or trailing white space (ASCII or Unicode)
};

Analysis Analyse(std::string_view s) {
  Analysis a;
  if (!IsValidUtf8(s)) a.special = true;
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '\n') {
        a.newline = true;
        if (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t')) a.space_before_break = true;
      } else if (c == '\t') {
        a.tab = true;
      } else if (IsSpecial(c)) {
        a.special = true;
      }
      ++i;
      continue;
    }
    if (IsSpecial(DecodeUtf8(s, &i))) a.special = true;
  }
  if (!s.empty()) a.edge_space = Trim(s).size() != s.size();
  return a;
}

bool PlainSafe(std::string_view s, const Analysis& a, bool key) {
  if (s.empty() || a.special || a.newline || a.tab || a.edge_space) return false;
  if (IsIndicator(s[0])) return false;
  if (s.back() == ':') return false;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) {
    return false;
  }
  if (s.substr(0, 3) == "..." || s.substr(0, 3) == "---") return false;
  if (key && s == "<<") return false;
  return ClassifyPlain(s) == PlainKind::kString;
}

// A literal block (`|` or `|-`) can carry the text exactly: something besides line breaks, at
// most one final line break (`|+` is not used: its last line break would depend on what follows),
// and no white space before a line break or at the very end (yaml-cpp and PyYAML disagree there).
bool LiteralSafe(std::string_view s, const Analysis& a) {
  if (a.special || a.space_before_break) return false;
  if (s.back() == ' ' || s.back() == '\t') return false;
  if (s.size() >= 2 && s[s.size() - 1] == '\n' && s[s.size() - 2] == '\n') return false;
  return s.find_first_not_of('\n') != std::string_view::npos;
}

Style ChooseStyle(std::string_view s, bool key) {
  Analysis a = Analyse(s);
  if (a.special) return Style::kDouble;
  if (a.newline) return (!key && LiteralSafe(s, a)) ? Style::kLiteral : Style::kDouble;
  if (PlainSafe(s, a, key)) return Style::kPlain;
  return Style::kSingle;
}

void AppendHex(std::string* out, char prefix, unsigned value, int digits) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('\\');
  out->push_back(prefix);
  for (int d = digits - 1; d >= 0; --d) out->push_back(kHex[(value >> (4 * d)) & 0xF]);
}

void AppendDoubleQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"':
          *out += "\\\"";
          continue;
        case '\\':
          *out += "\\\\";
          continue;
        case '\0':
          *out += "\\0";
          continue;
        case '\a':
          *out += "\\a";
          continue;
        case '\b':
          *out += "\\b";
          continue;
        case '\t':
          *out += "\\t";
          continue;
        case '\n':
          *out += "\\n";
          continue;
        case '\v':
          *out += "\\v";
          continue;
        case '\f':
          *out += "\\f";
          continue;
        case '\r':
          *out += "\\r";
          continue;
        case 0x1B:
          *out += "\\e";
          continue;
        default:
          break;
      }
      if (c < 0x20 || c == 0x7F) {
        AppendHex(out, 'x', c, 2);
      } else {
        out->push_back(static_cast<char>(c));
      }
      continue;
    }
    std::size_t start = i;
    char32_t cp = DecodeUtf8(s, &i);
    if (cp == 0xFFFD && i == start + 1) {
      out->push_back(static_cast<char>(c));  // invalid byte: passed through as is
    } else if (cp == 0x2028) {
      *out += "\\L";
    } else if (cp == 0x2029) {
      *out += "\\P";
    } else if (IsSpecial(cp)) {
      if (cp <= 0xFF) {
        AppendHex(out, 'x', cp, 2);
      } else {
        AppendHex(out, 'u', cp, 4);
      }
    } else {
      out->append(s.substr(start, i - start));
    }
  }
  out->push_back('"');
}

void AppendSingleQuoted(std::string_view s, std::string* out) {
  out->push_back('\'');
  for (char c : s) {
    if (c == '\'') out->push_back('\'');
    out->push_back(c);
  }
  out->push_back('\'');
}

// Starts a new output line at `indent`.
void NewLine(std::string* out, int indent) {
  if (!out->empty()) out->push_back('\n');
  out->append(static_cast<std::size_t>(indent), ' ');
}

// `|` or `|-` and the lines at `indent`; the caller's next line break (or ParseYaml's implied
// final one) ends the last line.
void AppendLiteral(std::string_view s, int indent, std::string* out) {
  bool clip = s.back() == '\n';
  out->push_back('|');
  // The first non-empty line fixes the indentation; say it when that line starts with a space.
  std::size_t first = s.find_first_not_of('\n');
  if (s[first] == ' ') out->push_back('2');
  if (!clip) out->push_back('-');
  std::string_view body = clip ? s.substr(0, s.size() - 1) : s;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = body.find('\n', start);
    std::string_view line = body.substr(start, nl == std::string_view::npos ? nl : nl - start);
    out->push_back('\n');
    if (!line.empty()) {
      out->append(static_cast<std::size_t>(indent), ' ');
      out->append(line);
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
}

void AppendString(std::string_view s, bool key, int literal_indent, std::string* out) {
  switch (ChooseStyle(s, key)) {
    case Style::kPlain:
      out->append(s);
      return;
    case Style::kSingle:
      AppendSingleQuoted(s, out);
      return;
    case Style::kDouble:
      AppendDoubleQuoted(s, out);
      return;
    case Style::kLiteral:
      AppendLiteral(s, literal_indent, out);
      return;
  }
}

std::string FloatText(double d) {
  std::string t = FormatDouble(d);
  if (t == "nan") return ".nan";
  if (t == "inf") return ".inf";
  if (t == "-inf") return "-.inf";
  // YAML 1.1 floats need a '.': 1e+20 → 1.0e+20.
  if (t.find('.') == std::string::npos) {
    std::size_t e = t.find('e');
    t.insert(e == std::string::npos ? t.size() : e, ".0");
  }
  return t;
}

bool IsBlockCollection(const Json& v) {
  return (v.is_object() && !v.as_object().empty()) || (v.is_array() && !v.as_array().empty());
}

// A scalar or an empty collection, written after "key: " or "- ".
void AppendInline(const Json& v, int literal_indent, std::string* out) {
  switch (v.type()) {
    case Json::Type::kNull:
      *out += "null";
      return;
    case Json::Type::kBool:
      *out += v.as_bool() ? "true" : "false";
      return;
    case Json::Type::kInt:
      *out += FormatInt(v.as_int());
      return;
    case Json::Type::kDouble:
      *out += FloatText(v.as_double());
      return;
    case Json::Type::kString:
      AppendString(v.as_string(), false, literal_indent, out);
      return;
    case Json::Type::kArray:
      *out += "[]";
      return;
    case Json::Type::kObject:
      *out += "{}";
      return;
  }
}

void EmitSequence(const Json::Array& items, int indent, bool inline_first, std::string* out);

// Implicit keys are limited to 1024 characters; longer ones use the explicit "? key" form.
constexpr std::size_t kMaxImplicitKey = 1000;

void EmitMapping(const Json::Object& object, int indent, bool inline_first, std::string* out) {
  std::vector<const Json::Object::value_type*> entries;
  entries.reserve(object.size());
  for (const auto& entry : object) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  bool first = true;
  for (const auto* entry : entries) {
    if (!(first && inline_first)) NewLine(out, indent);
    first = false;
    std::string key;
    AppendString(entry->first, true, 0, &key);
    if (key.size() > kMaxImplicitKey) {
      *out += "? ";
      *out += key;
      NewLine(out, indent);
    } else {
      *out += key;
    }
    const Json& value = entry->second;
    if (!IsBlockCollection(value)) {
      *out += ": ";
      AppendInline(value, indent + 2, out);
    } else if (value.is_object()) {
      *out += ':';
      EmitMapping(value.as_object(), indent + 2, false, out);
    } else {
      *out += ':';
      EmitSequence(value.as_array(), indent, false, out);
    }
  }
}

void EmitSequence(const Json::Array& items, int indent, bool inline_first, std::string* out) {
  bool first = true;
  for (const Json& item : items) {
    if (!(first && inline_first)) NewLine(out, indent);
    first = false;
    *out += "- ";
    if (!IsBlockCollection(item)) {
      AppendInline(item, indent + 2, out);
    } else if (item.is_object()) {
      EmitMapping(item.as_object(), indent + 2, true, out);
    } else {
      EmitSequence(item.as_array(), indent + 2, true, out);
    }
  }
}

}  // namespace

Result<Json> ParseYaml(std::string_view text) {
  Json flat;
  if (yaml_detail::ParseFlatMapping(text, &flat)) return flat;
  return yaml_detail::ParseWithYamlCpp(text);
}

namespace yaml_detail {

Result<Json> ParseWithYamlCpp(std::string_view text) {
  // A final line break lets a literal block at the very end keep its clipped line break.
  std::string owned;
  if (!text.empty() && text.back() != '\n') {
    owned.reserve(text.size() + 1);
    owned.append(text);
    owned.push_back('\n');
    text = owned;
  }
  try {
    ViewBuf buf(text);
    std::istream in(&buf);
    YAML::Parser parser(in);
    Builder builder;
    while (parser.HandleNextDocument(builder)) {
    }
    if (!builder.has_root()) return Json();
    return builder.TakeRoot();
  } catch (const BuildError& e) {
    return YamlError(e.mark, e.message);
  } catch (const YAML::Exception& e) {
    return YamlError(e.mark, e.msg);
  } catch (const std::bad_alloc&) {
    return Status::InvalidArgument("invalid_yaml", "document too large");
  } catch (const std::exception& e) {
    return Status::InvalidArgument("invalid_yaml", e.what());
  }
}

}  // namespace yaml_detail

Json ResolvePlainScalar(std::string_view text) {
  Json out;
  if (!yaml_detail::ConstructPlain(ClassifyPlain(text), text, &out)) return Json(text);
  return out;
}

std::string EmitYaml(const Json::Object& object) {
  if (object.empty()) return "{}";
  std::string out;
  EmitMapping(object, 0, false, &out);
  return out;
}

}  // namespace codex::index
