// Propagation helpers for Status and Result<T>.
#pragma once

#include "codex/status.hpp"

#define CODEX_CONCAT_INNER_(a, b) a##b
#define CODEX_CONCAT_(a, b) CODEX_CONCAT_INNER_(a, b)

// Returns the Status of `expr` (a Status or a Result) from the enclosing function when not ok.
#define CODEX_RETURN_IF_ERROR(expr)                       \
  do {                                                    \
    auto codex_status_ = ::codex::detail::ToStatus(expr); \
    if (!codex_status_.ok()) return codex_status_;        \
  } while (0)

// `lhs = value of expr` when ok, else returns its Status. `lhs` may declare a variable.
#define CODEX_ASSIGN_OR_RETURN(lhs, expr) \
  CODEX_ASSIGN_OR_RETURN_IMPL_(CODEX_CONCAT_(codex_result_, __LINE__), lhs, expr)
#define CODEX_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()

namespace codex::detail {
inline Status ToStatus(Status s) { return s; }
template <class T>
Status ToStatus(const Result<T>& r) {
  return r.status();
}
}  // namespace codex::detail
