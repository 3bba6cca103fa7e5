// E-mail address validation and normalisation (CONTRACT §7.1).
#pragma once

#include <string>
#include <string_view>

#include "codex/status.hpp"

namespace codex::auth {

// The normalised address (domain lower-cased, local part kept). Errors: kValidation
// "value_error", field "email", message "value is not a valid email address: <reason>".
Result<std::string> ValidateEmail(std::string_view email);

}  // namespace codex::auth
