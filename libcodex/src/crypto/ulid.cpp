#include "crypto/ulid.hpp"

#include <sodium.h>

#include <chrono>
#include <cstdint>

#include "crypto/crypto.hpp"

namespace codex::crypto {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

bool IsCrockford(char c) noexcept {
  return (c >= '0' && c <= '9') ||
         (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
}

}  // namespace

std::string NewUlid(TimePoint now) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  auto time = static_cast<std::uint64_t>(ms < 0 ? 0 : ms) & ((std::uint64_t{1} << 48) - 1);
  std::string random = RandomBytes(10);  // initialises libsodium
  // 128 bits = 2 leading zero bits + 48 time bits + 80 random bits, read 5 bits at a time.
  unsigned char bytes[16] = {};
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(time >> (8 * (5 - i)));
  for (int i = 0; i < 10; ++i) bytes[6 + i] = static_cast<unsigned char>(random[i]);
  sodium_memzero(random.data(), random.size());
  std::string out(26, '0');
  // Character k holds bits [5k - 2, 5k + 3) of the 128-bit big-endian value (bit 0 = the top).
  for (int k = 0; k < 26; ++k) {
    int value = 0;
    for (int b = 0; b < 5; ++b) {
      int bit = 5 * k - 2 + b;
      int v = bit < 0 ? 0 : (bytes[bit / 8] >> (7 - bit % 8)) & 1;
      value = value << 1 | v;
    }
    out[k] = kCrockford[value];
  }
  return out;
}

bool IsUlid(std::string_view text) noexcept {
  if (text.size() != 26 || text[0] > '7') return false;
  for (char c : text) {
    if (!IsCrockford(c)) return false;
  }
  return true;
}

}  // namespace codex::crypto
