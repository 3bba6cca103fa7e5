// The Beast transport of codexd: listener, one HTTP session per connection, WebSocket sessions.
// Beast stays inside server.cpp; nothing else includes it.
#pragma once

#include <codex/codex.hpp>
#include <codex/http.hpp>
#include <cstdint>
#include <string>

namespace codexd {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8000;
  int io_threads = 2;
  int blocking_threads = 4;  // writes and slow calls run here, never on I/O threads
};

// Serves until SIGINT/SIGTERM, then stops accepting, finishes in-flight requests and closes
// WebSockets with 1001. `on_listening(port)` runs once the socket listens. Returns 0, or 1 when
// the address cannot be bound.
int Serve(codex::Codex& codex, codex::http::Api& api, const ServerOptions& options,
          const std::function<void(unsigned short)>& on_listening);

// Open WebSocket connections (for /health and /metrics).
std::int64_t WebSocketCount();

}  // namespace codexd
