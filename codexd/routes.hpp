// The route table of the Codex v1 API (routes.cpp): a library, so tests can dispatch requests
// without sockets.
#pragma once

#include <codex/codex.hpp>
#include <codex/http.hpp>
#include <vector>

namespace codexd {

std::vector<codex::http::Route> Routes();

}  // namespace codexd
