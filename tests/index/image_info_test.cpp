#include "index/image_info.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "codex/json.hpp"

namespace {

using codex::Json;
using codex::index::ReadImageInfo;

// Little builders for image headers.
struct Bytes {
  std::string s;
  Bytes& Raw(std::string_view v) {
    s.append(v);
    return *this;
  }
  Bytes& U8(unsigned v) {
    s.push_back(static_cast<char>(v & 0xFF));
    return *this;
  }
  Bytes& Be16(unsigned v) { return U8(v >> 8).U8(v); }
  Bytes& Be32(std::uint32_t v) { return Be16(v >> 16).Be16(v & 0xFFFF); }
  Bytes& Le16(unsigned v) { return U8(v).U8(v >> 8); }
  Bytes& Le24(std::uint32_t v) { return U8(v).U8(v >> 8).U8(v >> 16); }
  Bytes& Le32(std::uint32_t v) { return Le16(v & 0xFFFF).Le16(v >> 16); }
  Bytes& Zeros(std::size_t n) {
    s.append(n, '\0');
    return *this;
  }
};

Json::Object Info(std::int64_t w, std::int64_t h, const char* format, const char* mode) {
  return Json::Object{
      {"width", Json(w)}, {"height", Json(h)}, {"format", Json(format)}, {"mode", Json(mode)}};
}

std::string Png(std::uint32_t w, std::uint32_t h, unsigned depth, unsigned colour) {
  return Bytes{}
      .Raw("\x89PNG\r\n\x1a\n")
      .Be32(13)
      .Raw("IHDR")
      .Be32(w)
      .Be32(h)
      .U8(depth)
      .U8(colour)
      .Zeros(3)
      .Be32(0)
      .s;
}

std::string Jpeg(unsigned components, bool exif_first) {
  Bytes b;
  b.U8(0xFF).U8(0xD8);
  b.U8(0xFF).U8(0xE0).Be16(16).Raw("JFIF").Zeros(10);
  if (exif_first) {
    b.U8(0xFF).U8(0xE1).Be16(2 + 6 + 1000).Raw(std::string("Exif\0\0", 6)).Zeros(1000);
    b.U8(0xFF).U8(0xFF);  // fill byte before the next marker
  }
  b.U8(0xFF).U8(0xDB).Be16(4).Zeros(2);  // a quantisation table stub
  b.U8(0xFF).U8(0xC2).Be16(8 + 3 * components).U8(8).Be16(480).Be16(640).U8(components);
  b.Zeros(3 * components);
  b.U8(0xFF).U8(0xDA).Be16(2);
  return b.s;
}

std::string Bmp(std::int32_t w, std::int32_t h, unsigned bits, std::uint32_t header,
                std::uint32_t compression, std::uint32_t alpha_mask) {
  Bytes b;
  b.Raw("BM").Le32(0).Le32(0).Le32(0);
  b.Le32(header).Le32(static_cast<std::uint32_t>(w)).Le32(static_cast<std::uint32_t>(h));
  b.Le16(1).Le16(bits).Le32(compression).Zeros(20);  // up to 40 bytes
  if (header >= 56) b.Le32(0xFF0000).Le32(0xFF00).Le32(0xFF).Le32(alpha_mask);
  if (header > 56) b.Zeros(header - 56);
  return b.s;
}

// One IFD with SHORT/LONG entries, little or big endian.
std::string Tiff(bool little, std::vector<std::vector<std::uint32_t>> entries) {
  Bytes b;
  auto u16 = [&](unsigned v) { little ? b.Le16(v) : b.Be16(v); };
  auto u32 = [&](std::uint32_t v) { little ? b.Le32(v) : b.Be32(v); };
  b.Raw(little ? std::string_view("II*\0", 4) : std::string_view("MM\0*", 4));
  u32(8);
  u16(static_cast<unsigned>(entries.size()));
  for (const auto& e : entries) {  // {tag, type, count, value}
    u16(e[0]);
    u16(e[1]);
    u32(e[2]);
    if (e[1] == 3) {
      u16(e[3]);
      u16(0);
    } else {
      u32(e[3]);
    }
  }
  u32(0);
  return b.s;
}

std::string Riff(std::string_view chunk, const std::string& data) {
  return Bytes{}
      .Raw("RIFF")
      .Le32(static_cast<std::uint32_t>(12 + data.size()))
      .Raw("WEBP")
      .Raw(chunk)
      .Le32(static_cast<std::uint32_t>(data.size()))
      .Raw(data)
      .s;
}

TEST_CASE("PNG", "[image]") {
  CHECK(ReadImageInfo(Png(640, 480, 8, 2)) == Info(640, 480, "PNG", "RGB"));
  CHECK(ReadImageInfo(Png(1, 2, 8, 0)) == Info(1, 2, "PNG", "L"));
  CHECK(ReadImageInfo(Png(1, 2, 1, 0)) == Info(1, 2, "PNG", "1"));
  CHECK(ReadImageInfo(Png(1, 2, 16, 0)) == Info(1, 2, "PNG", "I;16"));
  CHECK(ReadImageInfo(Png(1, 2, 4, 0)) == Info(1, 2, "PNG", "L"));
  CHECK(ReadImageInfo(Png(1, 2, 8, 3)) == Info(1, 2, "PNG", "P"));
  CHECK(ReadImageInfo(Png(1, 2, 8, 4)) == Info(1, 2, "PNG", "LA"));
  CHECK(ReadImageInfo(Png(1, 2, 8, 6)) == Info(1, 2, "PNG", "RGBA"));
  CHECK(ReadImageInfo(Png(4000000000u, 3, 8, 6)) == Info(4000000000LL, 3, "PNG", "RGBA"));
  CHECK_FALSE(ReadImageInfo(Png(1, 2, 8, 5)));
  std::string png = Png(10, 10, 8, 2);
  CHECK_FALSE(ReadImageInfo(png.substr(0, 25)));
  std::string wrong_chunk = png;
  wrong_chunk.replace(12, 4, "IDAT");
  CHECK_FALSE(ReadImageInfo(wrong_chunk));
}

TEST_CASE("JPEG", "[image]") {
  CHECK(ReadImageInfo(Jpeg(3, false)) == Info(640, 480, "JPEG", "RGB"));
  CHECK(ReadImageInfo(Jpeg(3, true)) == Info(640, 480, "JPEG", "RGB"));
  CHECK(ReadImageInfo(Jpeg(1, true)) == Info(640, 480, "JPEG", "L"));
  CHECK(ReadImageInfo(Jpeg(4, false)) == Info(640, 480, "JPEG", "CMYK"));
  CHECK_FALSE(ReadImageInfo(Jpeg(2, false)));
  std::string j = Jpeg(3, true);
  for (std::size_t cut : {3u, 10u, 30u, 500u, 1040u, 1045u}) {
    INFO(cut);
    CHECK_FALSE(ReadImageInfo(j.substr(0, cut)));
  }
  // A scan before any frame header: no dimensions.
  std::string no_sof = Bytes{}.U8(0xFF).U8(0xD8).U8(0xFF).U8(0xDA).Be16(2).Zeros(10).s;
  CHECK_FALSE(ReadImageInfo(no_sof));
  // A zero-length segment cannot loop forever.
  std::string zero_len = Bytes{}.U8(0xFF).U8(0xD8).U8(0xFF).U8(0xE0).Be16(0).Zeros(10).s;
  CHECK_FALSE(ReadImageInfo(zero_len));
}

TEST_CASE("GIF", "[image]") {
  CHECK(ReadImageInfo(Bytes{}.Raw("GIF89a").Le16(320).Le16(200).Zeros(3).s) ==
        Info(320, 200, "GIF", "P"));
  CHECK(ReadImageInfo(Bytes{}.Raw("GIF87a").Le16(1).Le16(1).s) == Info(1, 1, "GIF", "P"));
  CHECK_FALSE(ReadImageInfo("GIF89a\x01"));
}

TEST_CASE("BMP", "[image]") {
  CHECK(ReadImageInfo(Bmp(100, 50, 24, 40, 0, 0)) == Info(100, 50, "BMP", "RGB"));
  CHECK(ReadImageInfo(Bmp(100, -50, 24, 40, 0, 0)) == Info(100, 50, "BMP", "RGB"));
  CHECK(ReadImageInfo(Bmp(8, 8, 1, 40, 0, 0)) == Info(8, 8, "BMP", "1"));
  CHECK(ReadImageInfo(Bmp(8, 8, 4, 40, 0, 0)) == Info(8, 8, "BMP", "P"));
  CHECK(ReadImageInfo(Bmp(8, 8, 8, 40, 0, 0)) == Info(8, 8, "BMP", "P"));
  CHECK(ReadImageInfo(Bmp(8, 8, 32, 40, 0, 0)) == Info(8, 8, "BMP", "RGB"));
  CHECK(ReadImageInfo(Bmp(8, 8, 32, 108, 3, 0xFF000000)) == Info(8, 8, "BMP", "RGBA"));
  CHECK(ReadImageInfo(Bmp(8, 8, 32, 124, 3, 0xFF000000)) == Info(8, 8, "BMP", "RGBA"));
  CHECK(ReadImageInfo(Bmp(8, 8, 32, 108, 3, 0)) == Info(8, 8, "BMP", "RGB"));
  CHECK(ReadImageInfo(Bmp(8, 8, 32, 108, 0, 0xFF000000)) == Info(8, 8, "BMP", "RGB"));
  // OS/2 core header.
  std::string core = Bytes{}.Raw("BM").Zeros(12).Le32(12).Le16(7).Le16(9).Le16(1).Le16(24).s;
  CHECK(ReadImageInfo(core) == Info(7, 9, "BMP", "RGB"));
  CHECK_FALSE(ReadImageInfo(Bmp(8, 8, 0, 40, 0, 0)));
  CHECK_FALSE(ReadImageInfo(Bmp(8, 8, 24, 40, 0, 0).substr(0, 20)));
  CHECK_FALSE(ReadImageInfo("BM"));
}

TEST_CASE("TIFF", "[image]") {
  for (bool little : {true, false}) {
    INFO(little);
    CHECK(ReadImageInfo(
              Tiff(little, {{256, 3, 1, 300}, {257, 4, 1, 200}, {262, 3, 1, 2}, {277, 3, 1, 3}})) ==
          Info(300, 200, "TIFF", "RGB"));
    CHECK(ReadImageInfo(
              Tiff(little, {{256, 4, 1, 70000}, {257, 3, 1, 2}, {262, 3, 1, 2}, {277, 3, 1, 4}})) ==
          Info(70000, 2, "TIFF", "RGBA"));
    CHECK(ReadImageInfo(
              Tiff(little, {{256, 3, 1, 5}, {257, 3, 1, 6}, {258, 3, 1, 1}, {262, 3, 1, 0}})) ==
          Info(5, 6, "TIFF", "1"));
    CHECK(ReadImageInfo(
              Tiff(little, {{256, 3, 1, 5}, {257, 3, 1, 6}, {258, 3, 1, 8}, {262, 3, 1, 1}})) ==
          Info(5, 6, "TIFF", "L"));
    CHECK(ReadImageInfo(
              Tiff(little, {{256, 3, 1, 5}, {257, 3, 1, 6}, {262, 3, 1, 5}, {277, 3, 1, 4}})) ==
          Info(5, 6, "TIFF", "CMYK"));
    // TIFF defaults: photometric 0 (WhiteIsZero), 1 bit per sample.
    CHECK(ReadImageInfo(Tiff(little, {{256, 3, 1, 5}, {257, 3, 1, 6}})) == Info(5, 6, "TIFF", "1"));
    CHECK_FALSE(ReadImageInfo(Tiff(little, {{256, 3, 1, 5}})));
    std::string t = Tiff(little, {{256, 3, 1, 5}, {257, 3, 1, 6}});
    CHECK_FALSE(ReadImageInfo(t.substr(0, 20)));
  }
  // An IFD offset past the end.
  std::string far = Bytes{}.Raw(std::string_view("II*\0", 4)).Le32(0xFFFFFFF0u).s;
  CHECK_FALSE(ReadImageInfo(far));
}

TEST_CASE("WEBP", "[image]") {
  std::string lossy = Bytes{}.U8(0).U8(0).U8(0).U8(0x9D).U8(0x01).U8(0x2A).Le16(400).Le16(300).s;
  CHECK(ReadImageInfo(Riff("VP8 ", lossy)) == Info(400, 300, "WEBP", "RGB"));
  auto vp8l = [](std::uint32_t w, std::uint32_t h, bool alpha) {
    std::uint32_t bits = (w - 1) | ((h - 1) << 14) | (alpha ? 1u << 28 : 0u);
    return Bytes{}.U8(0x2F).Le32(bits).s;
  };
  CHECK(ReadImageInfo(Riff("VP8L", vp8l(16, 9, false))) == Info(16, 9, "WEBP", "RGB"));
  CHECK(ReadImageInfo(Riff("VP8L", vp8l(16384, 1, true))) == Info(16384, 1, "WEBP", "RGBA"));
  std::string vp8x = Bytes{}.U8(0x10).Zeros(3).Le24(1919).Le24(1079).s;
  CHECK(ReadImageInfo(Riff("VP8X", vp8x)) == Info(1920, 1080, "WEBP", "RGBA"));
  vp8x[0] = 0;
  CHECK(ReadImageInfo(Riff("VP8X", vp8x)) == Info(1920, 1080, "WEBP", "RGB"));
  CHECK_FALSE(ReadImageInfo(Riff("VP8 ", lossy.substr(0, 8))));
  CHECK_FALSE(ReadImageInfo(Riff("ABCD", lossy)));
  std::string bad_start = lossy;
  bad_start[3] = 0;
  CHECK_FALSE(ReadImageInfo(Riff("VP8 ", bad_start)));
}

TEST_CASE("ICO", "[image]") {
  auto entry = [](Bytes& b, unsigned w, unsigned h, unsigned bits) {
    b.U8(w).U8(h).U8(0).U8(0).Le16(1).Le16(bits).Le32(0).Le32(0);
  };
  Bytes ico;
  ico.Zeros(2).Le16(1).Le16(3);
  entry(ico, 16, 16, 32);
  entry(ico, 0, 0, 8);  // 256 x 256
  entry(ico, 48, 48, 32);
  CHECK(ReadImageInfo(ico.s) == Info(256, 256, "ICO", "RGBA"));
  Bytes ties;
  ties.Zeros(2).Le16(1).Le16(2);
  entry(ties, 32, 32, 8);
  entry(ties, 32, 32, 32);
  CHECK(ReadImageInfo(ties.s) == Info(32, 32, "ICO", "RGBA"));
  CHECK_FALSE(ReadImageInfo(ico.s.substr(0, 30)));
  CHECK_FALSE(ReadImageInfo(Bytes{}.Zeros(2).Le16(1).Le16(0).s));
  CHECK_FALSE(ReadImageInfo(Bytes{}.Zeros(2).Le16(2).Le16(1).Zeros(16).s));  // cursor
}

TEST_CASE("unrecognised and hostile image headers", "[image][hostile]") {
  CHECK_FALSE(ReadImageInfo(""));
  CHECK_FALSE(ReadImageInfo("hello world"));
  CHECK_FALSE(ReadImageInfo("\x89PNG"));
  CHECK_FALSE(ReadImageInfo("\xFF\xD8"));
  CHECK_FALSE(ReadImageInfo("RIFF\0\0\0\0WEBP"));
  // Every prefix of every valid header is handled without reading past the end.
  std::vector<std::string> images = {
      Png(1, 1, 8, 2), Jpeg(3, true), Bytes{}.Raw("GIF89a").Le16(1).Le16(1).s,
      Bmp(1, 1, 32, 124, 3, 1), Tiff(false, {{256, 3, 1, 1}, {257, 3, 1, 1}, {258, 4, 3, 9999}})};
  for (const std::string& image : images) {
    for (std::size_t n = 0; n <= image.size(); ++n) (void)ReadImageInfo(image.substr(0, n));
  }
  std::string ffs = "\xFF\xD8" + std::string(1 << 16, '\xFF');
  CHECK_FALSE(ReadImageInfo(ffs));
  SUCCEED();
}

}  // namespace
