// Hashing, randomness and encodings (libsodium).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace codex::crypto {

// Incremental SHA-256. Not thread-safe; one per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view bytes);
  // Lower-case hex digest; the object must not be updated afterwards.
  std::string FinishHex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string Sha256Hex(std::string_view bytes);
// Bytes from the OS CSPRNG.
std::string RandomBytes(std::size_t n);
// n random bytes as 2n lower-case hex characters.
std::string RandomHex(std::size_t n);
std::string HexEncode(std::string_view bytes);
// nullopt unless `hex` is an even-length hex string.
std::optional<std::string> HexDecode(std::string_view hex);
// base64url without padding.
std::string Base64UrlEncode(std::string_view bytes);
// Standard or URL-safe alphabet, padding optional; nullopt when invalid.
std::optional<std::string> Base64Decode(std::string_view text);
bool ConstantTimeEqual(std::string_view a, std::string_view b) noexcept;

}  // namespace codex::crypto
