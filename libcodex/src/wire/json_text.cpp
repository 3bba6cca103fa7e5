// Json text: parsing through Boost.JSON (strict, depth-limited), writing by hand so that the
// output is byte-exact (key order kept, UTF-8 unescaped, Python-style numbers).
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/stream_parser.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "codex/json.hpp"
#include "common/number.hpp"

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

void WriteString(std::string* out, const std::string& s) {
  out->push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
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
      default:
        if (u < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", u);
          *out += buf;
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void WriteNumber(std::string* out, const Json& v) {
  if (v.is_int()) {
    *out += FormatInt(v.as_int());
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
      WriteString(out, v.as_string());
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
        WriteString(out, key);
        *out += indent >= 0 ? ": " : ":";
        Write(out, value, indent, level + 1);
      }
      if (indent >= 0) newline(level);
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

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
  Write(&out, *this, -1, 0);
  return out;
}

std::string Json::DumpPretty() const {
  std::string out;
  Write(&out, *this, 2, 0);
  return out;
}

}  // namespace codex
