#include "common/validate.hpp"

#include "common/strings.hpp"

namespace codex {

Status CheckLength(std::string_view value, std::size_t min, std::size_t max,
                   const std::string& field) {
  std::size_t n = Utf8Length(value);
  if (n < min) {
    return Status::Validation("string_too_short", field,
                              "String should have at least " + std::to_string(min) +
                                  (min == 1 ? " character" : " characters"));
  }
  if (n > max) {
    return Status::Validation("string_too_long", field,
                              "String should have at most " + std::to_string(max) +
                                  (max == 1 ? " character" : " characters"));
  }
  return Status::Ok();
}

Status CheckRange(std::int64_t value, std::int64_t min, std::int64_t max,
                  const std::string& field) {
  if (value < min) {
    return Status::Validation("greater_than_equal", field,
                              "Input should be greater than or equal to " + std::to_string(min));
  }
  if (value > max) {
    return Status::Validation("less_than_equal", field,
                              "Input should be less than or equal to " + std::to_string(max));
  }
  return Status::Ok();
}

}  // namespace codex
