#include "crypto/crypto.hpp"

#include <sodium.h>

#include <cstdlib>
#include <mutex>

namespace codex::crypto {
namespace {

void EnsureInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no CSPRNG: nothing secure can run
  });
}

}  // namespace

struct Sha256::State {
  crypto_hash_sha256_state st;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  EnsureInit();
  crypto_hash_sha256_init(&state_->st);
}

Sha256::~Sha256() = default;

void Sha256::Update(std::string_view bytes) {
  crypto_hash_sha256_update(&state_->st, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
}

std::string Sha256::FinishHex() {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_->st, out);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string Sha256Hex(std::string_view bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.FinishHex();
}

std::string RandomBytes(std::size_t n) {
  EnsureInit();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string RandomHex(std::size_t n) { return HexEncode(RandomBytes(n)); }

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    out.push_back(kHex[u >> 4]);
    out.push_back(kHex[u & 15]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]);
    int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  EnsureInit();
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  EnsureInit();
  std::string clean(text);
  while (!clean.empty() && clean.back() == '=') clean.pop_back();
  bool url = clean.find_first_of("-_") != std::string::npos;
  int variant =
      url ? sodium_base64_VARIANT_URLSAFE_NO_PADDING : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  std::string out(clean.size() * 3 / 4 + 3, '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), clean.data(),
                        clean.size(), nullptr, &len, nullptr, variant) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace codex::crypto
