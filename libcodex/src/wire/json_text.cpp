// Json text: parsing through Boost.JSON (strict, depth-limited), writing by hand so that the
// output is byte-exact (key order kept, UTF-8 unescaped, Python-style numbers).
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/stream_parser.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "codex/json.hpp"
#include "common/number.hpp"
#include "wire/json_writer.hpp"

namespace codex {
namespace {

constexpr std::size_t kMaxDepth = 128;

Json FromBoost(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return Json();
    case boost::json::kind::bool_:
      return Json(v.get_bool());
    case boost::json::kind::int64:
      return Json(v.get_int64());
    case boost::json::kind::uint64: {
      std::uint64_t u = v.get_uint64();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) return Json(static_cast<std::int64_t>(u));
      return Json(static_cast<double>(u));
    }
    case boost::json::kind::double_:
      return Json(v.get_double());
    case boost::json::kind::string: {
      const auto& s = v.get_string();
      return Json(std::string(s.data(), s.size()));
    }
    case boost::json::kind::array: {
      Json::Array out;
      out.reserve(v.get_array().size());
      for (const auto& item : v.get_array()) out.push_back(FromBoost(item));
      return Json(std::move(out));
    }
    case boost::json::kind::object: {
      Json::Object out;
      for (const auto& item : v.get_object()) {
        out.set(std::string(item.key()), FromBoost(item.value()));
      }
      return Json(std::move(out));
    }
  }
  return Json();
}

void WriteNumber(std::string* out, const Json& v) {
  if (v.is_int()) {
    wire::AppendInt(out, v.as_int());
    return;
  }
  double d = v.as_double();
  if (!std::isfinite(d)) {
    *out += "null";  // JSON has no NaN or infinity
    return;
  }
  *out += FormatDouble(d);
}

// indent < 0: compact.
void Write(std::string* out, const Json& v, int indent, int level) {
  auto newline = [&](int lvl) {
    out->push_back('\n');
    out->append(static_cast<std::size_t>(indent * lvl), ' ');
  };
  switch (v.type()) {
    case Json::Type::kNull:
      *out += "null";
      return;
    case Json::Type::kBool:
      *out += v.as_bool() ? "true" : "false";
      return;
    case Json::Type::kInt:
    case Json::Type::kDouble:
      WriteNumber(out, v);
      return;
    case Json::Type::kString:
      wire::AppendString(out, v.as_string());
      return;
    case Json::Type::kArray: {
      const auto& a = v.as_array();
      if (a.empty()) {
        *out += "[]";
        return;
      }
      out->push_back('[');
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i > 0) out->push_back(',');
        if (indent >= 0) newline(level + 1);
        Write(out, a[i], indent, level + 1);
      }
      if (indent >= 0) newline(level);
      out->push_back(']');
      return;
    }
    case Json::Type::kObject: {
      const auto& o = v.as_object();
      if (o.empty()) {
        *out += "{}";
        return;
      }
      out->push_back('{');
      bool first = true;
      for (const auto& [key, value] : o) {
        if (!first) out->push_back(',');
        first = false;
        if (indent >= 0) newline(level + 1);
        wire::AppendString(out, key);
        *out += indent >= 0 ? ": " : ":";
        Write(out, value, indent, level + 1);
      }
      if (indent >= 0) newline(level);
      out->push_back('}');
      return;
    }
  }
}

// Whether one of the 8 bytes at `p` must be escaped: below 0x20, '"' or '\\' (a word at a time;
// bytes of multi-byte UTF-8 sequences are >= 0x80 and pass).
bool EscapeInWord(const char* p) {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  std::uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  return (below_space | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\'))) != 0;
}

}  // namespace

namespace wire {

void AppendString(std::string* out, std::string_view text) {
  out->push_back('"');
  const char* p = text.data();
  std::size_t n = text.size(), i = 0;
  std::size_t plain = 0;  // start of the run not yet copied
  while (i < n) {
    if (i + 8 <= n && !EscapeInWord(p + i)) {
      i += 8;
      continue;
    }
    auto u = static_cast<unsigned char>(p[i]);
    if (u >= 0x20 && u != '"' && u != '\\') {
      ++i;
      continue;
    }
    out->append(p + plain, i - plain);
    plain = ++i;
    switch (u) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        char escape[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 0xf]};
        out->append(escape, sizeof escape);
      }
    }
  }
  out->append(p + plain, n - plain);
  out->push_back('"');
}

void AppendInt(std::string* out, std::int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;
  out->append(buf, end);
}

void AppendJson(std::string* out, const Json& value) { Write(out, value, -1, 0); }

void TextWriter::Field(std::string_view key, const std::vector<std::string>& values) {
  Key(key);
  out_->push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out_->push_back(',');
    AppendString(out_, values[i]);
  }
  out_->push_back(']');
}

}  // namespace wire

Result<Json> Json::Parse(std::string_view text) {
  boost::json::monotonic_resource resource;
  boost::json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::json::stream_parser parser(&resource, options);
  boost::system::error_code ec;
  std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    return Status::Make(Code::kInvalidArgument, "json_invalid", ec.message(),
                        std::to_string(consumed));
  }
  return FromBoost(parser.release());
}

std::string Json::Dump() const {
  std::string out;
  wire::AppendJson(&out, *this);
  return out;
}

std::string Json::DumpPretty() const {
  std::string out;
  Write(&out, *this, 2, 0);
  return out;
}

}  // namespace codex
