// Errors as values: Status and Result<T>. No exception crosses the public API.
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace codex {

// The one error table (DESIGN §4). Each front-end renders it in one switch:
// HTTP status (codexd), exit code (codexctl), C error code (bindings/c).
enum class Code : int {
  kOk = 0,
  kInvalidArgument,     // 400: bad input the caller can fix (bad path, bad link)
  kValidation,          // 422: a field failed validation; field() names it
  kUnauthenticated,     // 401: no or bad credentials
  kPermissionDenied,    // 403: authenticated, but role, scope or path guard says no
  kNotFound,            // 404: missing, or not visible to this principal
  kAlreadyExists,       // 400 in the wire contract: name or path taken
  kConflict,            // 409: state forbids it (last owner, account owns workspaces)
  kFailedPrecondition,  // 412: If-Match mismatch
  kOutOfRange,          // 416: a byte range outside the file
  kTooLarge,            // 413: size limit
  kResourceExhausted,   // 429: rate limit
  kUnavailable,         // 503: busy database, data written by a newer Codex
  kIoError,             // 500: the filesystem failed
  kCorruption,          // 500: a database or repository is damaged
  kInternal,            // 500: a bug
};

// Stable lower-case name of a code ("not_found"), for logs and the C API.
std::string_view CodeName(Code code) noexcept;
// The sysexits(3) status of a command that failed with `code` (codexctl; DESIGN §4): 0 ok,
// 65 bad input, 66 not found, 69 unavailable, 70 internal, 73 exists/conflict, 74 I/O,
// 75 limit, 77 permission. 64 (usage) is the command line's own.
int ExitStatus(Code code) noexcept;

// A success, or a code with a contract reason and a human message. Immutable and cheap to copy.
class [[nodiscard]] Status {
 public:
  Status() noexcept = default;

  static Status Ok() noexcept { return {}; }
  // `reason` is the stable snake_case code of the wire contract ("file_not_found"); `message` is
  // the exact human text the contract gives ("File not found").
  static Status Make(Code code, std::string reason, std::string message, std::string field = {});
  static Status InvalidArgument(std::string reason, std::string message);
  static Status PermissionDenied(std::string reason, std::string message);
  static Status NotFound(std::string reason, std::string message);
  static Status AlreadyExists(std::string reason, std::string message);
  static Status Conflict(std::string reason, std::string message);
  static Status Unavailable(std::string reason, std::string message);
  static Status IoError(std::string message);
  static Status Corruption(std::string message);
  static Status Internal(std::string message);
  // 422. `type` is the validation type of CONTRACT §2.2 ("value_error", "datetime_parsing", …);
  // `field` the offending input ("q", "sort"); `message` the text after "Value error, ".
  static Status Validation(std::string type, std::string field, std::string message);

  bool ok() const noexcept { return rep_ == nullptr; }
  Code code() const noexcept { return rep_ ? rep_->code : Code::kOk; }
  const std::string& reason() const noexcept { return rep_ ? rep_->reason : Empty(); }
  const std::string& message() const noexcept { return rep_ ? rep_->message : Empty(); }
  const std::string& field() const noexcept { return rep_ ? rep_->field : Empty(); }
  // "ok", or "<reason>: <message>".
  std::string ToString() const;

 private:
  struct Rep {
    Code code;
    std::string reason;
    std::string message;
    std::string field;
  };
  static const std::string& Empty() noexcept;
  std::shared_ptr<const Rep> rep_;
};

// A value or an error Status (never an ok Status).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::in_place_index<1>, std::move(status)) {  // NOLINT
    assert(!std::get<1>(v_).ok() && "Result built from an ok Status");
  }

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  // The error, or an ok Status when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<1>(v_); }

  // Precondition for the accessors: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace codex
