#include "index/image_info.hpp"

#include <cstdint>
#include <string>

namespace codex::index {
namespace {

// Bounds-checked little/big-endian reads over the header bytes.
class Bytes {
 public:
  explicit Bytes(std::string_view b) : b_(b) {}
  std::size_t size() const { return b_.size(); }
  bool Has(std::size_t offset, std::size_t n) const {
    return offset <= b_.size() && n <= b_.size() - offset;
  }
  std::uint8_t U8(std::size_t o) const { return static_cast<std::uint8_t>(b_[o]); }
  std::uint16_t Le16(std::size_t o) const {
    return static_cast<std::uint16_t>(U8(o) | (U8(o + 1) << 8));
  }
  std::uint16_t Be16(std::size_t o) const {
    return static_cast<std::uint16_t>((U8(o) << 8) | U8(o + 1));
  }
  std::uint32_t Le24(std::size_t o) const {
    return static_cast<std::uint32_t>(U8(o)) | (static_cast<std::uint32_t>(U8(o + 1)) << 8) |
           (static_cast<std::uint32_t>(U8(o + 2)) << 16);
  }
  std::uint32_t Le32(std::size_t o) const {
    return Le24(o) | (static_cast<std::uint32_t>(U8(o + 3)) << 24);
  }
  std::uint32_t Be32(std::size_t o) const {
    return (static_cast<std::uint32_t>(Be16(o)) << 16) | Be16(o + 2);
  }
  bool Match(std::size_t o, std::string_view magic) const {
    return Has(o, magic.size()) && b_.substr(o, magic.size()) == magic;
  }

 private:
  std::string_view b_;
};

Json::Object Info(std::int64_t width, std::int64_t height, std::string_view format,
                  std::string_view mode) {
  return Json::Object{{"width", Json(width)},
                      {"height", Json(height)},
                      {"format", Json(format)},
                      {"mode", Json(mode)}};
}

std::optional<Json::Object> Png(const Bytes& b) {
  // Signature, then the IHDR chunk: length, "IHDR", width, height, bit depth, colour type.
  if (!b.Has(8, 18) || !b.Match(12, "IHDR")) return std::nullopt;
  std::uint32_t width = b.Be32(16);
  std::uint32_t height = b.Be32(20);
  std::uint8_t depth = b.U8(24);
  std::string_view mode;
  switch (b.U8(25)) {
    case 0:
      mode = depth == 1 ? "1" : depth == 16 ? "I;16" : "L";
      break;
    case 2:
      mode = "RGB";
      break;
    case 3:
      mode = "P";
      break;
    case 4:
      mode = "LA";
      break;
    case 6:
      mode = "RGBA";
      break;
    default:
      return std::nullopt;
  }
  return Info(width, height, "PNG", mode);
}

bool IsJpegSof(std::uint8_t marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::optional<Json::Object> Jpeg(const Bytes& b) {
  std::size_t pos = 2;
  while (true) {
    // Markers start with 0xFF, possibly padded with more 0xFF fill bytes.
    if (!b.Has(pos, 2) || b.U8(pos) != 0xFF) return std::nullopt;
    while (b.Has(pos + 1, 1) && b.U8(pos + 1) == 0xFF) ++pos;
    if (!b.Has(pos, 2)) return std::nullopt;
    std::uint8_t marker = b.U8(pos + 1);
    pos += 2;
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // end of image / scan: no SOF
    if (!b.Has(pos, 2)) return std::nullopt;
    std::uint16_t length = b.Be16(pos);
    if (length < 2) return std::nullopt;
    if (IsJpegSof(marker)) {
      if (length < 8 || !b.Has(pos, 8)) return std::nullopt;
      std::uint16_t height = b.Be16(pos + 3);
      std::uint16_t width = b.Be16(pos + 5);
      std::string_view mode;
      switch (b.U8(pos + 7)) {
        case 1:
          mode = "L";
          break;
        case 3:
          mode = "RGB";
          break;
        case 4:
          mode = "CMYK";
          break;
        default:
          return std::nullopt;
      }
      return Info(width, height, "JPEG", mode);
    }
    pos += length;
  }
}

std::optional<Json::Object> Gif(const Bytes& b) {
  if (!b.Has(6, 4)) return std::nullopt;
  return Info(b.Le16(6), b.Le16(8), "GIF", "P");
}

std::optional<Json::Object> Bmp(const Bytes& b) {
  if (!b.Has(14, 4)) return std::nullopt;
  std::uint32_t header = b.Le32(14);
  std::int64_t width = 0;
  std::int64_t height = 0;
  std::uint16_t bits = 0;
  std::uint32_t compression = 0;
  if (header == 12) {  // OS/2 BITMAPCOREHEADER
    if (!b.Has(14, 12)) return std::nullopt;
    width = b.Le16(18);
    height = b.Le16(20);
    bits = b.Le16(24);
  } else if (header >= 40) {
    if (!b.Has(14, 20)) return std::nullopt;
    width = static_cast<std::int32_t>(b.Le32(18));
    height = static_cast<std::int32_t>(b.Le32(22));
    bits = b.Le16(28);
    compression = b.Le32(30);
  } else {
    return std::nullopt;
  }
  if (height < 0) height = -height;  // top-down rows
  if (width < 0) return std::nullopt;
  std::string_view mode;
  if (bits == 1) {
    mode = "1";
  } else if (bits == 2 || bits == 4 || bits == 8) {
    mode = "P";
  } else if (bits == 16 || bits == 24) {
    mode = "RGB";
  } else if (bits == 32) {
    // BI_BITFIELDS (3) / BI_ALPHABITFIELDS (6) with a non-zero alpha mask → RGBA.
    mode = "RGB";
    std::size_t alpha_at = 0;
    if (compression == 3 && header >= 56) {
      alpha_at = 14 + 52;
    } else if (compression == 6) {
      alpha_at = header >= 56 ? 14 + 52 : 14 + header + 12;
    }
    if (alpha_at != 0 && b.Has(alpha_at, 4) && b.Le32(alpha_at) != 0) mode = "RGBA";
  } else {
    return std::nullopt;
  }
  return Info(width, height, "BMP", mode);
}

std::optional<Json::Object> Tiff(const Bytes& b) {
  bool little = b.Match(0, "II");
  auto u16 = [&](std::size_t o) { return little ? b.Le16(o) : b.Be16(o); };
  auto u32 = [&](std::size_t o) { return little ? b.Le32(o) : b.Be32(o); };
  if (!b.Has(4, 4)) return std::nullopt;
  std::size_t ifd = u32(4);
  if (!b.Has(ifd, 2)) return std::nullopt;
  std::size_t count = u16(ifd);
  if (!b.Has(ifd + 2, count * 12)) return std::nullopt;
  std::int64_t width = -1;
  std::int64_t height = -1;
  std::uint32_t photometric = 0;
  std::uint32_t samples = 1;
  std::uint32_t bits = 1;
  for (std::size_t k = 0; k < count; ++k) {
    std::size_t e = ifd + 2 + k * 12;
    std::uint16_t tag = u16(e);
    std::uint16_t type = u16(e + 2);
    // SHORT values sit in the first two bytes of the value field, LONG values fill it.
    std::uint32_t value = type == 3 ? u16(e + 8) : type == 4 ? u32(e + 8) : 0;
    if (type != 3 && type != 4) continue;
    switch (tag) {
      case 256:
        width = value;
        break;
      case 257:
        height = value;
        break;
      case 258: {
        std::uint32_t n = u32(e + 4);
        if (type == 3 && n <= 2) {
          bits = value;
        } else {
          std::size_t at = u32(e + 8);
          if (b.Has(at, type == 3 ? 2 : 4)) bits = type == 3 ? u16(at) : u32(at);
        }
        break;
      }
      case 262:
        photometric = value;
        break;
      case 277:
        samples = value;
        break;
      default:
        break;
    }
  }
  if (width < 0 || height < 0) return std::nullopt;
  std::string_view mode;
  switch (photometric) {
    case 0:  // WhiteIsZero
    case 1:  // BlackIsZero
      mode = bits == 1 && samples == 1 ? "1" : samples >= 2 ? "LA" : "L";
      break;
    case 2:
      mode = samples >= 4 ? "RGBA" : "RGB";
      break;
    case 3:
      mode = "P";
      break;
    case 5:
      mode = "CMYK";
      break;
    case 6:  // YCbCr, decoded to RGB
      mode = "RGB";
      break;
    default:
      return std::nullopt;
  }
  return Info(width, height, "TIFF", mode);
}

std::optional<Json::Object> Webp(const Bytes& b) {
  if (!b.Has(12, 8)) return std::nullopt;
  std::size_t data = 20;
  if (b.Match(12, "VP8 ")) {
    // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
    if (!b.Has(data, 10) || b.U8(data + 3) != 0x9D || b.U8(data + 4) != 0x01 ||
        b.U8(data + 5) != 0x2A) {
      return std::nullopt;
    }
    return Info(b.Le16(data + 6) & 0x3FFF, b.Le16(data + 8) & 0x3FFF, "WEBP", "RGB");
  }
  if (b.Match(12, "VP8L")) {
    // Signature 0x2F, then width-1 (14 bits), height-1 (14 bits), alpha_is_used (1 bit).
    if (!b.Has(data, 5) || b.U8(data) != 0x2F) return std::nullopt;
    std::uint32_t bits = b.Le32(data + 1);
    std::int64_t width = (bits & 0x3FFF) + 1;
    std::int64_t height = ((bits >> 14) & 0x3FFF) + 1;
    bool alpha = (bits >> 28) & 1;
    return Info(width, height, "WEBP", alpha ? "RGBA" : "RGB");
  }
  if (b.Match(12, "VP8X")) {
    // Flags (alpha = 0x10), 3 reserved bytes, canvas width-1 and height-1 (24 bits each).
    if (!b.Has(data, 10)) return std::nullopt;
    bool alpha = (b.U8(data) & 0x10) != 0;
    return Info(static_cast<std::int64_t>(b.Le24(data + 4)) + 1,
                static_cast<std::int64_t>(b.Le24(data + 7)) + 1, "WEBP", alpha ? "RGBA" : "RGB");
  }
  return std::nullopt;
}

std::optional<Json::Object> Ico(const Bytes& b) {
  std::size_t count = b.Le16(4);
  if (count == 0 || !b.Has(6, count * 16)) return std::nullopt;
  // The largest entry by area, then by colour depth (as Pillow orders them).
  std::int64_t best_w = 0;
  std::int64_t best_h = 0;
  std::int64_t best_area = -1;
  std::int64_t best_bits = -1;
  for (std::size_t k = 0; k < count; ++k) {
    std::size_t e = 6 + k * 16;
    std::int64_t w = b.U8(e) == 0 ? 256 : b.U8(e);
    std::int64_t h = b.U8(e + 1) == 0 ? 256 : b.U8(e + 1);
    std::int64_t bits = b.Le16(e + 6);
    std::int64_t area = w * h;
    if (area > best_area || (area == best_area && bits > best_bits)) {
      best_w = w;
      best_h = h;
      best_area = area;
      best_bits = bits;
    }
  }
  return Info(best_w, best_h, "ICO", "RGBA");
}

}  // namespace

std::optional<Json::Object> ReadImageInfo(std::string_view bytes) {
  Bytes b(bytes);
  if (b.Match(0, "\x89PNG\r\n\x1a\n")) return Png(b);
  if (b.Match(0, "\xFF\xD8\xFF")) return Jpeg(b);
  if (b.Match(0, "GIF87a") || b.Match(0, "GIF89a")) return Gif(b);
  if (b.Match(0, "BM")) return Bmp(b);
  if (b.Match(0, std::string_view("II*\0", 4)) || b.Match(0, std::string_view("MM\0*", 4))) {
    return Tiff(b);
  }
  if (b.Match(0, "RIFF") && b.Match(8, "WEBP")) return Webp(b);
  if (b.Match(0, std::string_view("\0\0\1\0", 4)) && b.Has(4, 2)) return Ico(b);
  return std::nullopt;
}

}  // namespace codex::index
