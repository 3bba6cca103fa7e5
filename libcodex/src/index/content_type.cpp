#include "index/content_type.hpp"

#include <cstring>

namespace codex::index {
namespace {

struct ExtensionType {
  std::string_view extension;
  std::string_view type;
};

// SEMANTICS §5.4, built in (the host's MIME database is never consulted).
constexpr ExtensionType kExtensionTypes[] = {
    {"txt", "text/plain"},
    {"text", "text/plain"},
    {"log", "text/plain"},
    {"ini", "text/plain"},
    {"cfg", "text/plain"},
    {"conf", "text/plain"},
    {"toml", "text/plain"},
    {"yaml", "text/plain"},
    {"yml", "text/plain"},
    {"csv", "text/csv"},
    {"tsv", "text/tab-separated-values"},
    {"json", "application/json"},
    {"html", "text/html"},
    {"htm", "text/html"},
    {"css", "text/css"},
    {"js", "text/javascript"},
    {"mjs", "text/javascript"},
    {"ts", "text/x-typescript"},
    {"xml", "application/xml"},
    {"xsd", "application/xml"},
    {"py", "text/x-python"},
    {"r", "text/x-r"},
    {"c", "text/x-c"},
    {"h", "text/x-c"},
    {"cpp", "text/x-c++"},
    {"cc", "text/x-c++"},
    {"cxx", "text/x-c++"},
    {"hpp", "text/x-c++"},
    {"hh", "text/x-c++"},
    {"java", "text/x-java"},
    {"rs", "text/x-rust"},
    {"go", "text/x-go"},
    {"sh", "application/x-sh"},
    {"bash", "application/x-sh"},
    {"tex", "application/x-tex"},
    {"bib", "text/x-bibtex"},
    {"ipynb", "application/x-ipynb+json"},
    {"rtf", "application/rtf"},
    {"pdf", "application/pdf"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"bmp", "image/bmp"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"webp", "image/webp"},
    {"svg", "image/svg+xml"},
    {"ico", "image/vnd.microsoft.icon"},
    {"heic", "image/heic"},
    {"heif", "image/heif"},
    {"avif", "image/avif"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"tar", "application/x-tar"},
    {"7z", "application/x-7z-compressed"},
    {"rar", "application/vnd.rar"},
    {"mp3", "audio/mpeg"},
    {"wav", "audio/x-wav"},
    {"ogg", "audio/ogg"},
    {"flac", "audio/flac"},
    {"mp4", "video/mp4"},
    {"mov", "video/quicktime"},
    {"avi", "video/x-msvideo"},
    {"webm", "video/webm"},
    {"wmv", "video/x-ms-wmv"},
    {"doc", "application/msword"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xls", "application/vnd.ms-excel"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
    {"eps", "application/postscript"},
    {"ps", "application/postscript"},
    {"h5", "application/x-hdf5"},
    {"hdf5", "application/x-hdf5"},
    {"parquet", "application/vnd.apache.parquet"},
};

constexpr std::size_t kSniffBytes = 8 * 1024;

char LowerAscii(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) noexcept {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != lower[i]) return false;
  }
  return true;
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view lower_suffix) noexcept {
  return s.size() >= lower_suffix.size() &&
         EqualsIgnoreCase(s.substr(s.size() - lower_suffix.size()), lower_suffix);
}

bool StartsWith(std::string_view s, std::string_view prefix) noexcept {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string_view ContentTypeFromName(std::string_view filename) noexcept {
  std::size_t slash = filename.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? filename : filename.substr(slash + 1);
  if (EndsWithIgnoreCase(name, ".cdx")) return "application/x-codex-view";
  if (EndsWithIgnoreCase(name, ".md") || EndsWithIgnoreCase(name, ".markdown")) {
    return "text/markdown";
  }
  if (EqualsIgnoreCase(name, "dockerfile") || EqualsIgnoreCase(name, "makefile") ||
      EqualsIgnoreCase(name, "gnumakefile")) {
    return "text/x-makefile";
  }
  if (EndsWithIgnoreCase(name, ".dockerfile")) return "text/x-dockerfile";
  std::size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos) return {};
  std::string_view extension = name.substr(dot + 1);
  for (const ExtensionType& entry : kExtensionTypes) {
    if (EqualsIgnoreCase(extension, entry.extension)) return entry.type;
  }
  return {};
}

bool LooksBinary(std::string_view bytes) noexcept {
  std::size_t n = bytes.size() < kSniffBytes ? bytes.size() : kSniffBytes;
  return n > 0 && std::memchr(bytes.data(), '\0', n) != nullptr;
}

std::string ContentTypeFor(std::string_view filename, std::string_view head) {
  std::string_view by_name = ContentTypeFromName(filename);
  if (!by_name.empty()) return std::string(by_name);
  return LooksBinary(head) ? "application/octet-stream" : "text/plain";
}

bool IsFrontmatterCapable(std::string_view content_type) noexcept {
  return content_type == "text/markdown" || content_type == "application/x-codex-view";
}

bool IsIndexableText(std::string_view content_type) noexcept {
  return StartsWith(content_type, "text/") || content_type == "application/json" ||
         content_type == "application/xml" || IsFrontmatterCapable(content_type);
}

}  // namespace codex::index
