// Typed request inputs with the validation errors of CONTRACT §2.2. A field is named
// "<loc root>/<name>" so the error body gets loc [root, name].
#include <climits>

#include "codex/http.hpp"
#include "common/strings.hpp"
#include "common/validate.hpp"

namespace codex::http {
namespace {

Status Invalid(const char* type, const std::string& field, const char* msg) {
  return Status::Validation(type, field, msg);
}

Status WithRoot(Status s, const char* root) {
  if (s.ok() || s.code() != Code::kValidation) return s;
  return Status::Validation(s.reason(), std::string(root) + "/" + s.field(), s.message());
}

Result<std::int64_t> ParseIntText(std::string_view text, const std::string& field) {
  std::string_view t = Trim(text);
  bool negative = !t.empty() && t.front() == '-';
  if (negative || (!t.empty() && t.front() == '+')) t.remove_prefix(1);
  std::int64_t v = 0;
  if (!ParseInt64(t, &v)) {
    return Invalid("int_parsing", field,
                   "Input should be a valid integer, unable to parse string as an integer");
  }
  return negative ? -v : v;
}

}  // namespace

Result<Json::Object> Call::BodyObject(bool optional) const {
  if (optional && Trim(request.body).empty()) return Json::Object{};
  auto body = JsonBody();
  if (!body.ok()) return WithRoot(body.status(), "body");
  if (!body->is_object()) return Invalid("dict_type", "body", "Input should be a valid dictionary");
  return std::move(body->as_object());
}

Result<std::int64_t> Call::IntParam(std::string_view name) const {
  return ParseIntText(Param(name), "path/" + std::string(name));
}

Result<std::int64_t> Call::IntQuery(std::string_view name, std::int64_t fallback, std::int64_t min,
                                    std::int64_t max) const {
  auto text = Query(name);
  if (!text) return fallback;
  std::string field = "query/" + std::string(name);
  auto v = ParseIntText(*text, field);
  if (!v.ok()) return v;
  Status range = CheckRange(*v, min, max, field);
  if (!range.ok()) return range;
  return v;
}

Result<std::optional<std::int64_t>> Call::OptIntQuery(std::string_view name) const {
  auto text = Query(name);
  if (!text) return std::optional<std::int64_t>();
  auto v = ParseIntText(*text, "query/" + std::string(name));
  if (!v.ok()) return v.status();
  return std::optional<std::int64_t>(*v);
}

Result<std::string> Call::RequiredQuery(std::string_view name) const {
  auto text = Query(name);
  if (!text) return Invalid("missing", "query/" + std::string(name), "Field required");
  return std::string(*text);
}

std::optional<std::vector<std::string>> Call::ListQuery(std::string_view name) const {
  auto text = Query(name);
  if (!text) return std::nullopt;
  std::vector<std::string> out;
  for (auto item : Split(*text, ',')) {
    if (!Trim(item).empty()) out.emplace_back(Trim(item));
  }
  return out;
}

}  // namespace codex::http
