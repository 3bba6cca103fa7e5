#include "codex/status.hpp"

namespace codex {

std::string_view CodeName(Code code) noexcept {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kValidation:
      return "validation_error";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kNotFound:
      return "not_found";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kConflict:
      return "conflict";
    case Code::kFailedPrecondition:
      return "failed_precondition";
    case Code::kOutOfRange:
      return "out_of_range";
    case Code::kTooLarge:
      return "too_large";
    case Code::kResourceExhausted:
      return "resource_exhausted";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kIoError:
      return "io_error";
    case Code::kCorruption:
      return "corruption";
    case Code::kInternal:
      return "internal";
  }
  return "unknown";
}

const std::string& Status::Empty() noexcept {
  static const std::string empty;
  return empty;
}

Status Status::Make(Code code, std::string reason, std::string message, std::string field) {
  if (code == Code::kOk) return {};
  Status s;
  s.rep_ = std::make_shared<const Rep>(
      Rep{code, std::move(reason), std::move(message), std::move(field)});
  return s;
}

Status Status::InvalidArgument(std::string reason, std::string message) {
  return Make(Code::kInvalidArgument, std::move(reason), std::move(message));
}
Status Status::PermissionDenied(std::string reason, std::string message) {
  return Make(Code::kPermissionDenied, std::move(reason), std::move(message));
}
Status Status::NotFound(std::string reason, std::string message) {
  return Make(Code::kNotFound, std::move(reason), std::move(message));
}
Status Status::AlreadyExists(std::string reason, std::string message) {
  return Make(Code::kAlreadyExists, std::move(reason), std::move(message));
}
Status Status::Conflict(std::string reason, std::string message) {
  return Make(Code::kConflict, std::move(reason), std::move(message));
}
Status Status::Unavailable(std::string reason, std::string message) {
  return Make(Code::kUnavailable, std::move(reason), std::move(message));
}
Status Status::IoError(std::string message) {
  return Make(Code::kIoError, "internal_error", std::move(message));
}
Status Status::Corruption(std::string message) {
  return Make(Code::kCorruption, "internal_error", std::move(message));
}
Status Status::Internal(std::string message) {
  return Make(Code::kInternal, "internal_error", std::move(message));
}
Status Status::Validation(std::string type, std::string field, std::string message) {
  return Make(Code::kValidation, std::move(type), std::move(message), std::move(field));
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return rep_->reason + ": " + rep_->message;
}

int ExitStatus(Code code) noexcept {
  switch (code) {
    case Code::kOk:
      return 0;
    case Code::kInvalidArgument:
    case Code::kValidation:
    case Code::kFailedPrecondition:
    case Code::kOutOfRange:
      return 65;
    case Code::kNotFound:
      return 66;
    case Code::kUnavailable:
      return 69;
    case Code::kInternal:
      return 70;
    case Code::kAlreadyExists:
    case Code::kConflict:
      return 73;
    case Code::kIoError:
    case Code::kCorruption:
      return 74;
    case Code::kTooLarge:
    case Code::kResourceExhausted:
      return 75;
    case Code::kUnauthenticated:
    case Code::kPermissionDenied:
      return 77;
  }
  return 70;
}

}  // namespace codex
