// The embedded SQL migrations (schema/<db>/NNNN_what.sql), in order.
#pragma once

#include <vector>

namespace codex::storage {

struct Migration {
  const char* name;  // file name, e.g. "0001_initial.sql"
  const char* sql;
};

const std::vector<Migration>& system_migrations();
const std::vector<Migration>& notebook_migrations();

}  // namespace codex::storage
