#include "search/tokenizer.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <iterator>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace codex::search {
namespace {

// ---- Unicode data of unicode61 (remove_diacritics 1) ----------------------------------------
// Generated from the linked SQLite (3.40.1) by the hidden test "[.generate]" in
// tests/search/tokenizer_test.cpp, which probes every code point through FTS5's own tokenizer;
// "tokenizer matches FTS5 on every code point" checks them. Regenerate after an SQLite upgrade.

struct CodeRange {
  std::uint32_t first;
  std::uint32_t last;
};

// Token characters above U+007F, as [first, last] ranges: unicode61's categories L*, N* and Co,
// plus everything its category table does not cover (category 0 counts as a token character).
// Everything else (and U+FFFD, which invalid UTF-8 decodes to) separates tokens.
// clang-format off
constexpr CodeRange kTokenRanges[] = {
    {0xAA, 0xAA}, {0xB2, 0xB3}, {0xB5, 0xB5}, {0xB9, 0xBA}, {0xBC, 0xBE}, {0xC0, 0xD6},
    {0xD8, 0xF6}, {0xF8, 0x2C1}, {0x2C6, 0x2D1}, {0x2E0, 0x2E4}, {0x2EC, 0x2EC}, {0x2EE, 0x2EE},
    {0x370, 0x374}, {0x376, 0x37D}, {0x37F, 0x383}, {0x386, 0x386}, {0x388, 0x3F5}, {0x3F7, 0x481},
    {0x48A, 0x559}, {0x560, 0x588}, {0x58B, 0x58E}, {0x590, 0x590}, {0x5C8, 0x5F2}, {0x5F5, 0x5FF},
    {0x605, 0x605}, {0x61C, 0x61D}, {0x620, 0x64A}, {0x660, 0x669}, {0x66E, 0x66F}, {0x671, 0x6D3},
    {0x6D5, 0x6D5}, {0x6E5, 0x6E6}, {0x6EE, 0x6FC}, {0x6FF, 0x6FF}, {0x70E, 0x70E}, {0x710, 0x710},
    {0x712, 0x72F}, {0x74B, 0x7A5}, {0x7B1, 0x7EA}, {0x7F4, 0x7F5}, {0x7FA, 0x815}, {0x81A, 0x81A},
    {0x824, 0x824}, {0x828, 0x828}, {0x82E, 0x82F}, {0x83F, 0x858}, {0x85C, 0x85D}, {0x85F, 0x8E3},
    {0x8FF, 0x8FF}, {0x904, 0x939}, {0x93D, 0x93D}, {0x950, 0x950}, {0x958, 0x961}, {0x966, 0x96F},
    {0x971, 0x980}, {0x984, 0x9BB}, {0x9BD, 0x9BD}, {0x9C5, 0x9C6}, {0x9C9, 0x9CA}, {0x9CE, 0x9D6},
    {0x9D8, 0x9E1}, {0x9E4, 0x9F1}, {0x9F4, 0x9F9}, {0x9FC, 0xA00}, {0xA04, 0xA3B}, {0xA3D, 0xA3D},
    {0xA43, 0xA46}, {0xA49, 0xA4A}, {0xA4E, 0xA50}, {0xA52, 0xA6F}, {0xA72, 0xA74}, {0xA76, 0xA80},
    {0xA84, 0xABB}, {0xABD, 0xABD}, {0xAC6, 0xAC6}, {0xACA, 0xACA}, {0xACE, 0xAE1}, {0xAE4, 0xAEF},
    {0xAF2, 0xB00}, {0xB04, 0xB3B}, {0xB3D, 0xB3D}, {0xB45, 0xB46}, {0xB49, 0xB4A}, {0xB4E, 0xB55},
    {0xB58, 0xB61}, {0xB64, 0xB6F}, {0xB71, 0xB81}, {0xB83, 0xBBD}, {0xBC3, 0xBC5}, {0xBC9, 0xBC9},
    {0xBCE, 0xBD6}, {0xBD8, 0xBF2}, {0xBFB, 0xC00}, {0xC04, 0xC3D}, {0xC45, 0xC45}, {0xC49, 0xC49},
    {0xC4E, 0xC54}, {0xC57, 0xC61}, {0xC64, 0xC7E}, {0xC80, 0xC81}, {0xC84, 0xCBB}, {0xCBD, 0xCBD},
    {0xCC5, 0xCC5}, {0xCC9, 0xCC9}, {0xCCE, 0xCD4}, {0xCD7, 0xCE1}, {0xCE4, 0xD01}, {0xD04, 0xD3D},
    {0xD45, 0xD45}, {0xD49, 0xD49}, {0xD4E, 0xD56}, {0xD58, 0xD61}, {0xD64, 0xD78}, {0xD7A, 0xD81},
    {0xD84, 0xDC9}, {0xDCB, 0xDCE}, {0xDD5, 0xDD5}, {0xDD7, 0xDD7}, {0xDE0, 0xDF1}, {0xDF5, 0xE30},
    {0xE32, 0xE33}, {0xE3B, 0xE3E}, {0xE40, 0xE46}, {0xE50, 0xE59}, {0xE5C, 0xEB0}, {0xEB2, 0xEB3},
    {0xEBA, 0xEBA}, {0xEBD, 0xEC7}, {0xECE, 0xF00}, {0xF20, 0xF33}, {0xF40, 0xF70}, {0xF88, 0xF8C},
    {0xF98, 0xF98}, {0xFBD, 0xFBD}, {0xFCD, 0xFCD}, {0xFDB, 0x102A}, {0x103F, 0x1049},
    {0x1050, 0x1055}, {0x105A, 0x105D}, {0x1061, 0x1061}, {0x1065, 0x1066}, {0x106E, 0x1070},
    {0x1075, 0x1081}, {0x108E, 0x108E}, {0x1090, 0x1099}, {0x10A0, 0x10FA}, {0x10FC, 0x135C},
    {0x1369, 0x138F}, {0x139A, 0x13FF}, {0x1401, 0x166C}, {0x166F, 0x167F}, {0x1681, 0x169A},
    {0x169D, 0x16EA}, {0x16EE, 0x1711}, {0x1715, 0x1731}, {0x1737, 0x1751}, {0x1754, 0x1771},
    {0x1774, 0x17B3}, {0x17D7, 0x17D7}, {0x17DC, 0x17DC}, {0x17DE, 0x17FF}, {0x180F, 0x18A8},
    {0x18AA, 0x191F}, {0x192C, 0x192F}, {0x193C, 0x193F}, {0x1941, 0x1943}, {0x1946, 0x19AF},
    {0x19C1, 0x19C7}, {0x19CA, 0x19DD}, {0x1A00, 0x1A16}, {0x1A1C, 0x1A1D}, {0x1A20, 0x1A54},
    {0x1A5F, 0x1A5F}, {0x1A7D, 0x1A7E}, {0x1A80, 0x1A9F}, {0x1AA7, 0x1AA7}, {0x1AAE, 0x1AFF},
    {0x1B05, 0x1B33}, {0x1B45, 0x1B59}, {0x1B7D, 0x1B7F}, {0x1B83, 0x1BA0}, {0x1BAE, 0x1BE5},
    {0x1BF4, 0x1BFB}, {0x1C00, 0x1C23}, {0x1C38, 0x1C3A}, {0x1C40, 0x1C7D}, {0x1C80, 0x1CBF},
    {0x1CC8, 0x1CCF}, {0x1CE9, 0x1CEC}, {0x1CEE, 0x1CF1}, {0x1CF5, 0x1DBF}, {0x1DE7, 0x1DFB},
    {0x1E00, 0x1FBC}, {0x1FBE, 0x1FBE}, {0x1FC2, 0x1FCC}, {0x1FD0, 0x1FDC}, {0x1FE0, 0x1FEC},
    {0x1FF0, 0x1FFC}, {0x1FFF, 0x1FFF}, {0x2065, 0x2069}, {0x2070, 0x2079}, {0x207F, 0x2089},
    {0x208F, 0x209F}, {0x20BA, 0x20CF}, {0x20F1, 0x20FF}, {0x2102, 0x2102}, {0x2107, 0x2107},
    {0x210A, 0x2113}, {0x2115, 0x2115}, {0x2119, 0x211D}, {0x2124, 0x2124}, {0x2126, 0x2126},
    {0x2128, 0x2128}, {0x212A, 0x212D}, {0x212F, 0x2139}, {0x213C, 0x213F}, {0x2145, 0x2149},
    {0x214E, 0x214E}, {0x2150, 0x218F}, {0x23F4, 0x23FF}, {0x2427, 0x243F}, {0x244B, 0x249B},
    {0x24EA, 0x24FF}, {0x2700, 0x2700}, {0x2776, 0x2793}, {0x2B4D, 0x2B4F}, {0x2B5A, 0x2CE4},
    {0x2CEB, 0x2CEE}, {0x2CF2, 0x2CF8}, {0x2CFD, 0x2CFD}, {0x2D00, 0x2D6F}, {0x2D71, 0x2D7E},
    {0x2D80, 0x2DDF}, {0x2E2F, 0x2E2F}, {0x2E3C, 0x2E7F}, {0x2E9A, 0x2E9A}, {0x2EF4, 0x2EFF},
    {0x2FD6, 0x2FEF}, {0x2FFC, 0x2FFF}, {0x3005, 0x3007}, {0x3021, 0x3029}, {0x3031, 0x3035},
    {0x3038, 0x303C}, {0x3040, 0x3098}, {0x309D, 0x309F}, {0x30A1, 0x30FA}, {0x30FC, 0x318F},
    {0x3192, 0x3195}, {0x31A0, 0x31BF}, {0x31E4, 0x31FF}, {0x321F, 0x3229}, {0x3248, 0x324F},
    {0x3251, 0x325F}, {0x3280, 0x3289}, {0x32B1, 0x32BF}, {0x32FF, 0x32FF}, {0x3400, 0x4DBF},
    {0x4E00, 0xA48F}, {0xA4C7, 0xA4FD}, {0xA500, 0xA60C}, {0xA610, 0xA66E}, {0xA67F, 0xA69E},
    {0xA6A0, 0xA6EF}, {0xA6F8, 0xA6FF}, {0xA717, 0xA71F}, {0xA722, 0xA788}, {0xA78B, 0xA801},
    {0xA803, 0xA805}, {0xA807, 0xA80A}, {0xA80C, 0xA822}, {0xA82C, 0xA835}, {0xA83A, 0xA873},
    {0xA878, 0xA87F}, {0xA882, 0xA8B3}, {0xA8C5, 0xA8CD}, {0xA8D0, 0xA8DF}, {0xA8F2, 0xA8F7},
    {0xA8FB, 0xA925}, {0xA930, 0xA946}, {0xA954, 0xA95E}, {0xA960, 0xA97F}, {0xA984, 0xA9B2},
    {0xA9CE, 0xA9DD}, {0xA9E0, 0xAA28}, {0xAA37, 0xAA42}, {0xAA44, 0xAA4B}, {0xAA4E, 0xAA5B},
    {0xAA60, 0xAA76}, {0xAA7A, 0xAA7A}, {0xAA7C, 0xAAAF}, {0xAAB1, 0xAAB1}, {0xAAB5, 0xAAB6},
    {0xAAB9, 0xAABD}, {0xAAC0, 0xAAC0}, {0xAAC2, 0xAADD}, {0xAAE0, 0xAAEA}, {0xAAF2, 0xAAF4},
    {0xAAF7, 0xABE2}, {0xABEE, 0xD7FF}, {0xE000, 0xFB1D}, {0xFB1F, 0xFB28}, {0xFB2A, 0xFBB1},
    {0xFBC2, 0xFD3D}, {0xFD40, 0xFDFB}, {0xFDFE, 0xFDFF}, {0xFE1A, 0xFE1F}, {0xFE27, 0xFE2F},
    {0xFE53, 0xFE53}, {0xFE67, 0xFE67}, {0xFE6C, 0xFEFE}, {0xFF00, 0xFF00}, {0xFF10, 0xFF19},
    {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A}, {0xFF66, 0xFFDF}, {0xFFE7, 0xFFE7}, {0xFFEF, 0xFFF8},
    {0x10000, 0x100FF}, {0x10103, 0x10136}, {0x10140, 0x10178}, {0x1018A, 0x1018F},
    {0x1019C, 0x101CF}, {0x101FE, 0x1039E}, {0x103A0, 0x103CF}, {0x103D1, 0x10856},
    {0x10858, 0x1091E}, {0x10920, 0x1093E}, {0x10940, 0x10A00}, {0x10A04, 0x10A04},
    {0x10A07, 0x10A0B}, {0x10A10, 0x10A37}, {0x10A3B, 0x10A3E}, {0x10A40, 0x10A4F},
    {0x10A59, 0x10A7E}, {0x10A80, 0x10B38}, {0x10B40, 0x10FFF}, {0x11003, 0x11037},
    {0x1104E, 0x1107F}, {0x11083, 0x110AF}, {0x110C2, 0x110FF}, {0x11103, 0x11126},
    {0x11135, 0x1113F}, {0x11144, 0x1117F}, {0x11183, 0x111B2}, {0x111C1, 0x111C4},
    {0x111C9, 0x116AA}, {0x116B8, 0x1246F}, {0x12474, 0x16F50}, {0x16F7F, 0x16F8E},
    {0x16F93, 0x1CFFF}, {0x1D0F6, 0x1D0FF}, {0x1D127, 0x1D128}, {0x1D1DE, 0x1D1FF},
    {0x1D246, 0x1D2FF}, {0x1D357, 0x1D6C0}, {0x1D6C2, 0x1D6DA}, {0x1D6DC, 0x1D6FA},
    {0x1D6FC, 0x1D714}, {0x1D716, 0x1D734}, {0x1D736, 0x1D74E}, {0x1D750, 0x1D76E},
    {0x1D770, 0x1D788}, {0x1D78A, 0x1D7A8}, {0x1D7AA, 0x1D7C2}, {0x1D7C4, 0x1EEEF},
    {0x1EEF2, 0x1EFFF}, {0x1F02C, 0x1F02F}, {0x1F094, 0x1F09F}, {0x1F0AF, 0x1F0B0},
    {0x1F0BF, 0x1F0C0}, {0x1F0D0, 0x1F0D0}, {0x1F0E0, 0x1F10F}, {0x1F12F, 0x1F12F},
    {0x1F16C, 0x1F16F}, {0x1F19B, 0x1F1E5}, {0x1F203, 0x1F20F}, {0x1F23B, 0x1F23F},
    {0x1F249, 0x1F24F}, {0x1F252, 0x1F2FF}, {0x1F321, 0x1F32F}, {0x1F336, 0x1F336},
    {0x1F37D, 0x1F37F}, {0x1F394, 0x1F39F}, {0x1F3C5, 0x1F3C5}, {0x1F3CB, 0x1F3DF},
    {0x1F3F1, 0x1F3FF}, {0x1F43F, 0x1F43F}, {0x1F441, 0x1F441}, {0x1F4F8, 0x1F4F8},
    {0x1F4FD, 0x1F4FF}, {0x1F53E, 0x1F53F}, {0x1F544, 0x1F54F}, {0x1F568, 0x1F5FA},
    {0x1F641, 0x1F644}, {0x1F650, 0x1F67F}, {0x1F6C6, 0x1F6FF}, {0x1F774, 0xE0000},
    {0xE0002, 0xE001F}, {0xE0080, 0xE00FF}, {0xE01F0, 0x10FFFF},
};
// clang-format on

// How a token character folds: case folding, then (remove_diacritics 1) the removal of the
// diacritic of a letter with one diacritic, e.g. U+00C9 'É' → 'e'.
struct FoldRun {
  std::uint32_t first;
  std::uint32_t last;
  std::uint32_t step;  // 1: every code point of [first, last]; 2: first, first + 2, …
  bool to_target;      // `value` is the folded code point (0: the character vanishes) …
  std::int32_t value;  // … or else the difference folded − original
};
// clang-format off
constexpr FoldRun kFoldRuns[] = {
    {0xB5, 0xB5, 1, true, 0x3BC}, {0xC0, 0xC5, 1, true, 0x61}, {0xC6, 0xC6, 1, true, 0xE6},
    {0xC7, 0xC7, 1, true, 0x63}, {0xC8, 0xCB, 1, true, 0x65}, {0xCC, 0xCF, 1, true, 0x69},
    {0xD0, 0xD0, 1, true, 0xF0}, {0xD1, 0xD2, 1, false, -99}, {0xD3, 0xD6, 1, true, 0x6F},
    {0xD8, 0xD8, 1, true, 0xF8}, {0xD9, 0xDC, 1, true, 0x75}, {0xDD, 0xDD, 1, true, 0x79},
    {0xDE, 0xDE, 1, true, 0xFE}, {0xE0, 0xE5, 1, true, 0x61}, {0xE7, 0xE7, 1, true, 0x63},
    {0xE8, 0xEB, 1, true, 0x65}, {0xEC, 0xEF, 1, true, 0x69}, {0xF1, 0xF2, 1, false, -131},
    {0xF3, 0xF6, 1, true, 0x6F}, {0xF9, 0xFC, 1, true, 0x75}, {0xFD, 0xFF, 2, true, 0x79},
    {0x100, 0x105, 1, true, 0x61}, {0x106, 0x10D, 1, true, 0x63}, {0x10E, 0x10F, 1, true, 0x64},
    {0x110, 0x110, 1, true, 0x111}, {0x112, 0x11B, 1, true, 0x65}, {0x11C, 0x123, 1, true, 0x67},
    {0x124, 0x125, 1, true, 0x68}, {0x126, 0x126, 1, true, 0x127}, {0x128, 0x130, 1, true, 0x69},
    {0x132, 0x132, 1, true, 0x133}, {0x134, 0x135, 1, true, 0x6A}, {0x136, 0x137, 1, true, 0x6B},
    {0x139, 0x13E, 1, true, 0x6C}, {0x13F, 0x141, 2, false, 1}, {0x143, 0x148, 1, true, 0x6E},
    {0x14A, 0x14A, 1, true, 0x14B}, {0x14C, 0x151, 1, true, 0x6F}, {0x152, 0x152, 1, true, 0x153},
    {0x154, 0x159, 1, true, 0x72}, {0x15A, 0x161, 1, true, 0x73}, {0x162, 0x165, 1, true, 0x74},
    {0x166, 0x166, 1, true, 0x167}, {0x168, 0x173, 1, true, 0x75}, {0x174, 0x175, 1, true, 0x77},
    {0x176, 0x178, 1, true, 0x79}, {0x179, 0x17E, 1, true, 0x7A}, {0x17F, 0x17F, 1, true, 0x73},
    {0x181, 0x181, 1, true, 0x253}, {0x182, 0x184, 2, false, 1}, {0x186, 0x186, 1, true, 0x254},
    {0x187, 0x187, 1, true, 0x188}, {0x189, 0x18A, 1, false, 205}, {0x18B, 0x18B, 1, true, 0x18C},
    {0x18E, 0x18E, 1, true, 0x1DD}, {0x18F, 0x18F, 1, true, 0x259}, {0x190, 0x190, 1, true, 0x25B},
    {0x191, 0x191, 1, true, 0x192}, {0x193, 0x193, 1, true, 0x260}, {0x194, 0x194, 1, true, 0x263},
    {0x196, 0x196, 1, true, 0x269}, {0x197, 0x197, 1, true, 0x268}, {0x198, 0x198, 1, true, 0x199},
    {0x19C, 0x19C, 1, true, 0x26F}, {0x19D, 0x19D, 1, true, 0x272}, {0x19F, 0x19F, 1, true, 0x275},
    {0x1A0, 0x1A1, 1, true, 0x6F}, {0x1A2, 0x1A4, 2, false, 1}, {0x1A6, 0x1A6, 1, true, 0x280},
    {0x1A7, 0x1A7, 1, true, 0x1A8}, {0x1A9, 0x1A9, 1, true, 0x283}, {0x1AC, 0x1AC, 1, true, 0x1AD},
    {0x1AE, 0x1AE, 1, true, 0x288}, {0x1AF, 0x1B0, 1, true, 0x75}, {0x1B1, 0x1B2, 1, false, 217},
    {0x1B3, 0x1B5, 2, false, 1}, {0x1B7, 0x1B7, 1, true, 0x292}, {0x1B8, 0x1B8, 1, true, 0x1B9},
    {0x1BC, 0x1BC, 1, true, 0x1BD}, {0x1C4, 0x1C5, 1, true, 0x1C6}, {0x1C7, 0x1C8, 1, true, 0x1C9},
    {0x1CA, 0x1CB, 1, true, 0x1CC}, {0x1CD, 0x1CE, 1, true, 0x61}, {0x1CF, 0x1D0, 1, true, 0x69},
    {0x1D1, 0x1D2, 1, true, 0x6F}, {0x1D3, 0x1D4, 1, true, 0x75}, {0x1D5, 0x1DB, 2, false, 1},
    {0x1DE, 0x1E4, 2, false, 1}, {0x1E6, 0x1E7, 1, true, 0x67}, {0x1E8, 0x1E9, 1, true, 0x6B},
    {0x1EA, 0x1EB, 1, true, 0x6F}, {0x1EC, 0x1EE, 2, false, 1}, {0x1F0, 0x1F0, 1, true, 0x6A},
    {0x1F1, 0x1F2, 1, true, 0x1F3}, {0x1F4, 0x1F5, 1, true, 0x67}, {0x1F6, 0x1F6, 1, true, 0x195},
    {0x1F7, 0x1F7, 1, true, 0x1BF}, {0x1F8, 0x1F9, 1, true, 0x6E}, {0x1FA, 0x1FE, 2, false, 1},
    {0x200, 0x203, 1, true, 0x61}, {0x204, 0x207, 1, true, 0x65}, {0x208, 0x20B, 1, true, 0x69},
    {0x20C, 0x20F, 1, true, 0x6F}, {0x210, 0x213, 1, true, 0x72}, {0x214, 0x217, 1, true, 0x75},
    {0x218, 0x219, 1, true, 0x73}, {0x21A, 0x21B, 1, true, 0x74}, {0x21C, 0x21C, 1, true, 0x21D},
    {0x21E, 0x21F, 1, true, 0x68}, {0x220, 0x220, 1, true, 0x19E}, {0x222, 0x224, 2, false, 1},
    {0x226, 0x227, 1, true, 0x61}, {0x228, 0x229, 1, true, 0x65}, {0x22A, 0x22C, 2, false, 1},
    {0x22E, 0x22F, 1, true, 0x6F}, {0x230, 0x230, 1, true, 0x231}, {0x232, 0x233, 1, true, 0x79},
    {0x23A, 0x23A, 1, true, 0x2C65}, {0x23B, 0x23B, 1, true, 0x23C},
    {0x23D, 0x23D, 1, true, 0x19A}, {0x23E, 0x23E, 1, true, 0x2C66},
    {0x241, 0x241, 1, true, 0x242}, {0x243, 0x243, 1, true, 0x180}, {0x244, 0x244, 1, true, 0x289},
    {0x245, 0x245, 1, true, 0x28C}, {0x246, 0x24E, 2, false, 1}, {0x300, 0x304, 1, true, 0x0},
    {0x306, 0x30C, 1, true, 0x0}, {0x30F, 0x311, 2, true, 0x0}, {0x31B, 0x31B, 1, true, 0x0},
    {0x323, 0x328, 1, true, 0x0}, {0x32D, 0x32E, 1, true, 0x0}, {0x330, 0x331, 1, true, 0x0},
    {0x370, 0x372, 2, false, 1}, {0x376, 0x376, 1, true, 0x377}, {0x386, 0x386, 1, true, 0x3AC},
    {0x388, 0x38A, 1, false, 37}, {0x38C, 0x38C, 1, true, 0x3CC}, {0x38E, 0x38F, 1, false, 63},
    {0x391, 0x3A1, 1, false, 32}, {0x3A3, 0x3AB, 1, false, 32}, {0x3C2, 0x3C2, 1, true, 0x3C3},
    {0x3CF, 0x3CF, 1, true, 0x3D7}, {0x3D0, 0x3D0, 1, true, 0x3B2}, {0x3D1, 0x3D1, 1, true, 0x3B8},
    {0x3D5, 0x3D5, 1, true, 0x3C6}, {0x3D6, 0x3D6, 1, true, 0x3C0}, {0x3D8, 0x3EE, 2, false, 1},
    {0x3F0, 0x3F0, 1, true, 0x3BA}, {0x3F1, 0x3F1, 1, true, 0x3C1}, {0x3F4, 0x3F4, 1, true, 0x3B8},
    {0x3F5, 0x3F5, 1, true, 0x3B5}, {0x3F7, 0x3F7, 1, true, 0x3F8}, {0x3F9, 0x3F9, 1, true, 0x3F2},
    {0x3FA, 0x3FA, 1, true, 0x3FB}, {0x3FD, 0x3FF, 1, false, -130}, {0x400, 0x40F, 1, false, 80},
    {0x410, 0x42F, 1, false, 32}, {0x460, 0x480, 2, false, 1}, {0x48A, 0x4BE, 2, false, 1},
    {0x4C0, 0x4C0, 1, true, 0x4CF}, {0x4C1, 0x4CD, 2, false, 1}, {0x4D0, 0x526, 2, false, 1},
    {0x531, 0x556, 1, false, 48}, {0x10A0, 0x10C5, 1, false, 7264},
    {0x10C7, 0x10C7, 1, true, 0x2D27}, {0x10CD, 0x10CD, 1, true, 0x2D2D},
    {0x1E00, 0x1E01, 1, true, 0x61}, {0x1E02, 0x1E07, 1, true, 0x62},
    {0x1E08, 0x1E08, 1, true, 0x1E09}, {0x1E0A, 0x1E13, 1, true, 0x64},
    {0x1E14, 0x1E16, 2, false, 1}, {0x1E18, 0x1E1B, 1, true, 0x65},
    {0x1E1C, 0x1E1C, 1, true, 0x1E1D}, {0x1E1E, 0x1E1F, 1, true, 0x66},
    {0x1E20, 0x1E21, 1, true, 0x67}, {0x1E22, 0x1E2B, 1, true, 0x68},
    {0x1E2C, 0x1E2D, 1, true, 0x69}, {0x1E2E, 0x1E2E, 1, true, 0x1E2F},
    {0x1E30, 0x1E35, 1, true, 0x6B}, {0x1E36, 0x1E37, 1, true, 0x6C},
    {0x1E38, 0x1E38, 1, true, 0x1E39}, {0x1E3A, 0x1E3D, 1, true, 0x6C},
    {0x1E3E, 0x1E43, 1, true, 0x6D}, {0x1E44, 0x1E4B, 1, true, 0x6E},
    {0x1E4C, 0x1E52, 2, false, 1}, {0x1E54, 0x1E57, 1, true, 0x70},
    {0x1E58, 0x1E5B, 1, true, 0x72}, {0x1E5C, 0x1E5C, 1, true, 0x1E5D},
    {0x1E5E, 0x1E5F, 1, true, 0x72}, {0x1E60, 0x1E63, 1, true, 0x73},
    {0x1E64, 0x1E68, 2, false, 1}, {0x1E6A, 0x1E71, 1, true, 0x74},
    {0x1E72, 0x1E77, 1, true, 0x75}, {0x1E78, 0x1E7A, 2, false, 1},
    {0x1E7C, 0x1E7F, 1, true, 0x76}, {0x1E80, 0x1E89, 1, true, 0x77},
    {0x1E8A, 0x1E8D, 1, true, 0x78}, {0x1E8E, 0x1E8F, 1, true, 0x79},
    {0x1E90, 0x1E95, 1, true, 0x7A}, {0x1E96, 0x1E96, 1, true, 0x68},
    {0x1E97, 0x1E97, 1, true, 0x74}, {0x1E98, 0x1E98, 1, true, 0x77},
    {0x1E99, 0x1E99, 1, true, 0x79}, {0x1E9B, 0x1E9B, 1, true, 0x73},
    {0x1E9E, 0x1E9E, 1, true, 0xDF}, {0x1EA0, 0x1EA3, 1, true, 0x61},
    {0x1EA4, 0x1EB6, 2, false, 1}, {0x1EB8, 0x1EBD, 1, true, 0x65}, {0x1EBE, 0x1EC6, 2, false, 1},
    {0x1EC8, 0x1ECB, 1, true, 0x69}, {0x1ECC, 0x1ECF, 1, true, 0x6F},
    {0x1ED0, 0x1EE2, 2, false, 1}, {0x1EE4, 0x1EE7, 1, true, 0x75}, {0x1EE8, 0x1EF0, 2, false, 1},
    {0x1EF2, 0x1EF9, 1, true, 0x79}, {0x1EFA, 0x1EFE, 2, false, 1}, {0x1F08, 0x1F0F, 1, false, -8},
    {0x1F18, 0x1F1D, 1, false, -8}, {0x1F28, 0x1F2F, 1, false, -8}, {0x1F38, 0x1F3F, 1, false, -8},
    {0x1F48, 0x1F4D, 1, false, -8}, {0x1F59, 0x1F5F, 2, false, -8}, {0x1F68, 0x1F6F, 1, false, -8},
    {0x1F88, 0x1F8F, 1, false, -8}, {0x1F98, 0x1F9F, 1, false, -8}, {0x1FA8, 0x1FAF, 1, false, -8},
    {0x1FB8, 0x1FB9, 1, false, -8}, {0x1FBA, 0x1FBB, 1, false, -74},
    {0x1FBC, 0x1FBC, 1, true, 0x1FB3}, {0x1FBE, 0x1FBE, 1, true, 0x3B9},
    {0x1FC8, 0x1FCB, 1, false, -86}, {0x1FCC, 0x1FCC, 1, true, 0x1FC3},
    {0x1FD8, 0x1FD9, 1, false, -8}, {0x1FDA, 0x1FDB, 1, false, -100},
    {0x1FE8, 0x1FE9, 1, false, -8}, {0x1FEA, 0x1FEB, 1, false, -112},
    {0x1FEC, 0x1FEC, 1, true, 0x1FE5}, {0x1FF8, 0x1FF9, 1, false, -128},
    {0x1FFA, 0x1FFB, 1, false, -126}, {0x1FFC, 0x1FFC, 1, true, 0x1FF3},
    {0x2126, 0x2126, 1, true, 0x3C9}, {0x212A, 0x212A, 1, true, 0x6B},
    {0x212B, 0x212B, 1, true, 0x61}, {0x2132, 0x2132, 1, true, 0x214E},
    {0x2160, 0x216F, 1, false, 16}, {0x2183, 0x2183, 1, true, 0x2184},
    {0x2C00, 0x2C2E, 1, false, 48}, {0x2C60, 0x2C60, 1, true, 0x2C61},
    {0x2C62, 0x2C62, 1, true, 0x26B}, {0x2C63, 0x2C63, 1, true, 0x1D7D},
    {0x2C64, 0x2C64, 1, true, 0x27D}, {0x2C67, 0x2C6B, 2, false, 1},
    {0x2C6D, 0x2C6D, 1, true, 0x251}, {0x2C6E, 0x2C6E, 1, true, 0x271},
    {0x2C6F, 0x2C6F, 1, true, 0x250}, {0x2C70, 0x2C70, 1, true, 0x252},
    {0x2C72, 0x2C72, 1, true, 0x2C73}, {0x2C75, 0x2C75, 1, true, 0x2C76},
    {0x2C7E, 0x2C7F, 1, false, -10815}, {0x2C80, 0x2CE2, 2, false, 1},
    {0x2CEB, 0x2CED, 2, false, 1}, {0x2CF2, 0x2CF2, 1, true, 0x2CF3},
    {0xA640, 0xA66C, 2, false, 1}, {0xA680, 0xA696, 2, false, 1}, {0xA722, 0xA72E, 2, false, 1},
    {0xA732, 0xA76E, 2, false, 1}, {0xA779, 0xA77B, 2, false, 1},
    {0xA77D, 0xA77D, 1, true, 0x1D79}, {0xA77E, 0xA786, 2, false, 1},
    {0xA78B, 0xA78B, 1, true, 0xA78C}, {0xA78D, 0xA78D, 1, true, 0x265},
    {0xA790, 0xA792, 2, false, 1}, {0xA7A0, 0xA7A8, 2, false, 1}, {0xA7AA, 0xA7AA, 1, true, 0x266},
    {0xFF21, 0xFF3A, 1, false, 32}, {0x10400, 0x10427, 1, false, 40},
};
// clang-format on

// Combining marks that continue a token (but cannot start one) and vanish when folded:
// bit i stands for U+0300 + i.
constexpr std::uint32_t kFirstDiacritic = 0x300;
constexpr std::uint32_t kLastDiacritic = 0x331;
constexpr std::uint64_t kDiacriticBits = 0x361F808029FDFull;

// ---- unicode61 ----------------------------------------------------------------------------

// ASCII letters and digits; false for bytes 0x80 and above.
constexpr auto kAsciiTokenChar = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = 1;
  for (int c = 'a'; c <= 'z'; ++c) {
    table[static_cast<std::size_t>(c)] = 1;
    table[static_cast<std::size_t>(c - 32)] = 1;
  }
  return table;
}();

bool InTokenRanges(std::uint32_t c) {
  auto it = std::upper_bound(std::begin(kTokenRanges), std::end(kTokenRanges), c,
                             [](std::uint32_t v, const CodeRange& r) { return v < r.first; });
  return it != std::begin(kTokenRanges) && c <= std::prev(it)->last;
}

// kTokenRanges as a bitmap below U+0800 (two-byte UTF-8: Latin, Greek, Cyrillic, …).
constexpr std::uint32_t kBitmapEnd = 0x800;
constexpr auto kTokenBitmap = [] {
  std::array<std::uint64_t, kBitmapEnd / 64> bits{};
  for (const CodeRange& r : kTokenRanges) {
    for (std::uint32_t c = r.first; c <= r.last && c < kBitmapEnd; ++c) {
      bits[c / 64] |= std::uint64_t{1} << (c % 64);
    }
  }
  return bits;
}();

bool IsTokenChar(std::uint32_t c) {  // c >= 0x80
  if (c < kBitmapEnd) return ((kTokenBitmap[c / 64] >> (c % 64)) & 1) != 0;
  if (c > 0x10FFFF) return true;  // only from invalid UTF-8; outside the table: category 0
  return InTokenRanges(c);
}

bool IsDiacritic(std::uint32_t c) {
  return c >= kFirstDiacritic && c <= kLastDiacritic &&
         ((kDiacriticBits >> (c - kFirstDiacritic)) & 1) != 0;
}

std::uint32_t Fold(std::uint32_t c) {  // c >= 0x80
  auto it = std::upper_bound(std::begin(kFoldRuns), std::end(kFoldRuns), c,
                             [](std::uint32_t v, const FoldRun& r) { return v < r.first; });
  if (it == std::begin(kFoldRuns)) return c;
  const FoldRun& run = *std::prev(it);
  if (c > run.last || (c - run.first) % run.step != 0) return c;
  if (run.to_target) return static_cast<std::uint32_t>(run.value);
  return static_cast<std::uint32_t>(static_cast<std::int64_t>(c) + run.value);
}

// SQLite's READ_UTF8: a lead byte takes every continuation byte that follows (no length limit);
// overlong forms, surrogates, U+FFFE and U+FFFF become U+FFFD; a stray continuation byte is the
// code point of the same value.
std::uint32_t ReadUtf8(std::string_view s, std::size_t* pos) {
  std::uint32_t c = static_cast<unsigned char>(s[(*pos)++]);
  if (c < 0xC0) return c;
  if (c < 0xE0) {
    c &= 0x1F;
  } else if (c < 0xF0) {
    c &= 0x0F;
  } else if (c < 0xF8) {
    c &= 0x07;
  } else if (c < 0xFC) {
    c &= 0x03;
  } else if (c < 0xFE) {
    c &= 0x01;
  } else {
    c = 0;
  }
  while (*pos < s.size() && (static_cast<unsigned char>(s[*pos]) & 0xC0) == 0x80) {
    c = (c << 6) + (0x3F & static_cast<unsigned char>(s[(*pos)++]));
  }
  if (c < 0x80 || (c & 0xFFFFF800) == 0xD800 || (c & 0xFFFFFFFE) == 0xFFFE) c = 0xFFFD;
  return c;
}

// SQLite's WRITE_UTF8, which keeps only 21 bits of values above U+10FFFF.
void WriteUtf8(std::uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 + ((c >> 6) & 0x1F)));
    out->push_back(static_cast<char>(0x80 + (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 + ((c >> 12) & 0x0F)));
    out->push_back(static_cast<char>(0x80 + ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 + (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 + ((c >> 18) & 0x07)));
    out->push_back(static_cast<char>(0x80 + ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 + ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 + (c & 0x3F)));
  }
}

void AppendFolded(std::uint32_t c, std::string* out) {
  std::uint32_t folded = Fold(c);
  if (folded != 0) WriteUtf8(folded, out);
}

}  // namespace

namespace unicode61 {

ByteBlock Classify(std::string_view text, std::size_t at) {
  const std::size_t n = std::min<std::size_t>(64, text.size() - at);
  const char* bytes = text.data() + at;
  ByteBlock block;
  block.start = at;
  block.end = at + n;
  std::size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time; bytes of 0x80 and above are negative as int8 and fail every range.
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
    const __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                         _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
    const auto alnum = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(digit, letter)));
    const auto high = static_cast<unsigned>(_mm_movemask_epi8(x));
    block.alnum |= std::uint64_t{alnum} << i;
    block.high |= std::uint64_t{high} << i;
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    // Eight bytes at a time (SWAR): for a byte b < 0x80, (b + 0x80 - lo) has bit 7 set iff
    // b >= lo, and (b + 0x7F - hi) iff b > hi; no carry crosses bytes.
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    constexpr std::uint64_t kGather = 0x0102040810204080ull;  // bit 8k → bit 56 + k
    auto in_range = [](std::uint64_t low7, unsigned lo, unsigned hi) {
      return (low7 + kOnes * (0x80 - lo)) & ~(low7 + kOnes * (0x7F - hi)) & kHigh;
    };
    for (; i + 8 <= n; i += 8) {
      std::uint64_t x;
      std::memcpy(&x, bytes + i, 8);
      const std::uint64_t low7 = x & ~kHigh;
      const std::uint64_t ascii_alnum =
          (in_range(low7, '0', '9') | in_range(low7 | (kOnes * 0x20), 'a', 'z')) & ~x;
      block.alnum |= (((ascii_alnum >> 7) * kGather) >> 56) << i;
      block.high |= ((((x & kHigh) >> 7) * kGather) >> 56) << i;
    }
  }
  for (; i < n; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    block.alnum |= std::uint64_t{kAsciiTokenChar[byte]} << i;
    block.high |= std::uint64_t{static_cast<unsigned>(byte >> 7)} << i;
  }
  return block;
}

bool NonAsciiTokenChar(std::string_view text, std::size_t* pos, bool in_token) {
  const std::uint32_t c = ReadUtf8(text, pos);
  return IsTokenChar(c) || (in_token && IsDiacritic(c));
}

}  // namespace unicode61

void FoldToken(std::string_view token, std::string* out) {
  out->assign(token);
  // ASCII letters and digits fold by OR 0x20. The token ends after a whole character, so
  // decoding within it reads what ForEachUnicode61Token read.
  std::size_t pos = 0;
  while (pos < token.size() && static_cast<unsigned char>(token[pos]) < 0x80) {
    (*out)[pos] = static_cast<char>(token[pos] | 0x20);
    ++pos;
  }
  if (pos == token.size()) return;
  out->resize(pos);
  while (pos < token.size()) {
    const auto byte = static_cast<unsigned char>(token[pos]);
    if (byte < 0x80) {
      out->push_back(static_cast<char>(byte | 0x20));
      ++pos;
    } else {
      AppendFolded(ReadUtf8(token, &pos), out);
    }
  }
}

unsigned char FirstFoldedByte(std::string_view token) {
  if (token.empty()) return 0;
  const auto byte = static_cast<unsigned char>(token[0]);
  if (byte < 0x80) return static_cast<unsigned char>(byte | 0x20);
  std::string folded;
  FoldToken(token, &folded);
  return folded.empty() ? 0 : static_cast<unsigned char>(folded[0]);
}

// ---- porter ---------------------------------------------------------------------------------
// The Porter (1980) stemmer as FTS5's porter tokenizer implements it, byte-wise on the folded
// token. Its particular choices are kept: 'y' is a vowel after a consonant in measures but after
// any first letter in *v*; a rule is tried only when the word is longer than its suffix; within a
// step only the first rule whose suffix matches is considered.
namespace {

constexpr std::size_t kPorterMinBytes = 3;
constexpr std::size_t kPorterMaxBytes = 64;  // FTS5_PORTER_MAX_TOKEN

bool IsVowel(char c, bool y_is_vowel) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || (y_is_vowel && c == 'y');
}

// Length of the leading [C]V…C+ of `w` (one VC of the measure), 0 when there is none.
std::size_t GobbleVc(std::string_view w, bool prev_consonant) {
  bool consonant = prev_consonant;
  std::size_t i = 0;
  for (; i < w.size(); ++i) {
    consonant = !IsVowel(w[i], consonant);
    if (!consonant) break;
  }
  for (++i; i < w.size(); ++i) {
    consonant = !IsVowel(w[i], consonant);
    if (consonant) return i + 1;
  }
  return 0;
}

bool MeasureGt0(std::string_view w) { return GobbleVc(w, false) != 0; }

bool MeasureGt1(std::string_view w) {
  std::size_t n = GobbleVc(w, false);
  return n != 0 && GobbleVc(w.substr(n), true) != 0;
}

bool MeasureEq1(std::string_view w) {
  std::size_t n = GobbleVc(w, false);
  return n != 0 && GobbleVc(w.substr(n), true) == 0;
}

// *o: ends consonant-vowel-consonant, the last not w, x or y.
bool EndsCvc(std::string_view w) {
  char last = w.back();
  if (last == 'w' || last == 'x' || last == 'y') return false;
  unsigned mask = 0;
  bool consonant = false;
  for (char c : w) {
    consonant = !IsVowel(c, consonant);
    mask = (mask << 1) | (consonant ? 1u : 0u);
  }
  return (mask & 7u) == 5u;
}

// *v*: contains a vowel ('y' counts after the first letter).
bool HasVowel(std::string_view w) {
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (IsVowel(w[i], i > 0)) return true;
  }
  return false;
}

bool MeasureGt1EndsSOrT(std::string_view w) {
  return !w.empty() && (w.back() == 's' || w.back() == 't') && MeasureGt1(w);
}

using Condition = bool (*)(std::string_view stem);

struct Rule {
  std::string_view suffix;
  std::string_view replacement;
  Condition condition;  // on the word without the suffix; nullptr: always
};

constexpr Rule kStep1b[] = {
    {"eed", "ee", MeasureGt0},
    {"ed", "", HasVowel},
    {"ing", "", HasVowel},
};

constexpr Rule kStep1b2[] = {
    {"at", "ate", nullptr},
    {"bl", "ble", nullptr},
    {"iz", "ize", nullptr},
};

constexpr Rule kStep2[] = {
    {"ational", "ate", MeasureGt0}, {"tional", "tion", MeasureGt0}, {"enci", "ence", MeasureGt0},
    {"anci", "ance", MeasureGt0},   {"izer", "ize", MeasureGt0},    {"logi", "log", MeasureGt0},
    {"bli", "ble", MeasureGt0},     {"alli", "al", MeasureGt0},     {"entli", "ent", MeasureGt0},
    {"eli", "e", MeasureGt0},       {"ousli", "ous", MeasureGt0},   {"ization", "ize", MeasureGt0},
    {"ation", "ate", MeasureGt0},   {"ator", "ate", MeasureGt0},    {"alism", "al", MeasureGt0},
    {"iveness", "ive", MeasureGt0}, {"fulness", "ful", MeasureGt0}, {"ousness", "ous", MeasureGt0},
    {"aliti", "al", MeasureGt0},    {"iviti", "ive", MeasureGt0},   {"biliti", "ble", MeasureGt0},
};

constexpr Rule kStep3[] = {
    {"ical", "ic", MeasureGt0},  {"ness", "", MeasureGt0}, {"icate", "ic", MeasureGt0},
    {"iciti", "ic", MeasureGt0}, {"ful", "", MeasureGt0},  {"ative", "", MeasureGt0},
    {"alize", "al", MeasureGt0},
};

constexpr Rule kStep4[] = {
    {"al", "", MeasureGt1},   {"ance", "", MeasureGt1}, {"ence", "", MeasureGt1},
    {"er", "", MeasureGt1},   {"ic", "", MeasureGt1},   {"able", "", MeasureGt1},
    {"ible", "", MeasureGt1}, {"ant", "", MeasureGt1},  {"ement", "", MeasureGt1},
    {"ment", "", MeasureGt1}, {"ent", "", MeasureGt1},  {"ion", "", MeasureGt1EndsSOrT},
    {"ou", "", MeasureGt1},   {"ism", "", MeasureGt1},  {"ate", "", MeasureGt1},
    {"iti", "", MeasureGt1},  {"ous", "", MeasureGt1},  {"ive", "", MeasureGt1},
    {"ize", "", MeasureGt1},
};

// The word being stemmed, in place: at most kPorterMaxBytes bytes (step 1b may add an 'e' only
// after removing "ed" or "ing").
class Word {
 public:
  explicit Word(std::string_view w) : size_(w.size()) { std::memcpy(buf_, w.data(), w.size()); }
  std::string_view view() const { return {buf_, size_}; }
  std::size_t size() const { return size_; }
  char back() const { return buf_[size_ - 1]; }
  // The byte `i` from the end (1: the last one), 0 before the start.
  char FromEnd(std::size_t i) const { return i <= size_ ? buf_[size_ - i] : '\0'; }
  std::string_view WithoutLast(std::size_t n) const { return {buf_, size_ - n}; }
  void Resize(std::size_t n) { size_ = n; }
  void Append(std::string_view s) {
    std::memcpy(buf_ + size_, s.data(), s.size());
    size_ += s.size();
  }
  void SetBack(char c) { buf_[size_ - 1] = c; }

 private:
  char buf_[kPorterMaxBytes + 8];
  std::size_t size_;
};

// Bit i of entry b: rule i's suffix ends with byte b. Rules are looked at in order, but only
// those that can match.
template <std::size_t N>
constexpr std::array<std::uint32_t, 256> ByLastByte(const Rule (&rules)[N]) {
  static_assert(N <= 32);
  std::array<std::uint32_t, 256> table{};
  for (std::size_t i = 0; i < N; ++i) {
    table[static_cast<unsigned char>(rules[i].suffix.back())] |= std::uint32_t{1} << i;
  }
  return table;
}

constexpr auto kStep1bByLast = ByLastByte(kStep1b);
constexpr auto kStep1b2ByLast = ByLastByte(kStep1b2);
constexpr auto kStep2ByLast = ByLastByte(kStep2);
constexpr auto kStep3ByLast = ByLastByte(kStep3);
constexpr auto kStep4ByLast = ByLastByte(kStep4);

// Applies the first rule of `rules` whose suffix ends the word (the word longer than the suffix)
// when its condition holds; later rules are not tried. The index of the rule applied, or -1.
template <std::size_t N>
int ApplyFirst(const Rule (&rules)[N], const std::array<std::uint32_t, 256>& by_last, Word* w) {
  const std::string_view word = w->view();
  for (std::uint32_t candidates = by_last[static_cast<unsigned char>(w->back())]; candidates != 0;
       candidates &= candidates - 1) {
    const auto i = static_cast<std::size_t>(std::countr_zero(candidates));
    const Rule& rule = rules[i];
    if (word.size() <= rule.suffix.size() || !word.ends_with(rule.suffix)) continue;
    const std::string_view stem = word.substr(0, word.size() - rule.suffix.size());
    if (rule.condition != nullptr && !rule.condition(stem)) return -1;
    w->Resize(stem.size());
    w->Append(rule.replacement);
    return static_cast<int>(i);
  }
  return -1;
}

void Step1a(Word* w) {
  const std::size_t n = w->size();
  if (w->FromEnd(1) != 's') return;
  if (w->FromEnd(2) == 'e') {
    const bool sses = n > 4 && w->FromEnd(4) == 's' && w->FromEnd(3) == 's';
    const bool ies = n > 3 && w->FromEnd(3) == 'i';
    w->Resize(sses || ies ? n - 2 : n - 1);
  } else if (w->FromEnd(2) != 's') {
    w->Resize(n - 1);
  }
}

void Step1b(Word* w) {
  // Removing "ed" or "ing" (rules 1 and 2, not "eed") leads to the clean-up.
  if (ApplyFirst(kStep1b, kStep1bByLast, w) <= 0) return;
  if (ApplyFirst(kStep1b2, kStep1b2ByLast, w) >= 0) return;
  const char last = w->back();
  if (!IsVowel(last, false) && last != 'l' && last != 's' && last != 'z' && last == w->FromEnd(2)) {
    w->Resize(w->size() - 1);
  } else if (MeasureEq1(w->view()) && EndsCvc(w->view())) {
    w->Append("e");
  }
}

}  // namespace

void PorterStem(std::string_view folded, std::string* out) {
  if (folded.size() < kPorterMinBytes || folded.size() > kPorterMaxBytes) {
    out->assign(folded);
    return;
  }
  Word w(folded);
  Step1a(&w);
  Step1b(&w);
  // Step 1c: y → i after a vowel.
  if (w.back() == 'y' && HasVowel(w.WithoutLast(1))) w.SetBack('i');
  (void)ApplyFirst(kStep2, kStep2ByLast, &w);
  (void)ApplyFirst(kStep3, kStep3ByLast, &w);
  (void)ApplyFirst(kStep4, kStep4ByLast, &w);
  // Step 5a: drop a final e.
  if (w.back() == 'e') {
    const std::string_view stem = w.WithoutLast(1);
    if (MeasureGt1(stem) || (MeasureEq1(stem) && !EndsCvc(stem))) w.Resize(w.size() - 1);
  }
  // Step 5b: -ll → -l.
  if (w.size() > 1 && w.back() == 'l' && w.FromEnd(2) == 'l' && MeasureGt1(w.WithoutLast(1))) {
    w.Resize(w.size() - 1);
  }
  out->assign(w.view());
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::string folded;
  ForEachUnicode61Token(text, [&](std::size_t start, std::size_t end, bool) {
    FoldToken(text.substr(start, end - start), &folded);
    Token token;
    PorterStem(folded, &token.text);
    token.start = start;
    token.end = end;
    tokens.push_back(std::move(token));
  });
  return tokens;
}

}  // namespace codex::search
