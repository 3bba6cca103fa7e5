#include "index/content_type.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace {

using codex::index::ContentTypeFor;
using codex::index::ContentTypeFromName;
using codex::index::IsFrontmatterCapable;
using codex::index::IsIndexableText;
using codex::index::LooksBinary;

TEST_CASE("content type rules in order", "[content_type]") {
  struct Row {
    const char* name;
    const char* type;
  };
  const Row rows[] = {
      {"view.cdx", "application/x-codex-view"},
      {"VIEW.CDX", "application/x-codex-view"},
      {"note.md", "text/markdown"},
      {"Note.MD", "text/markdown"},
      {"a.markdown", "text/markdown"},
      {"dir/sub/readme.Markdown", "text/markdown"},
      {"Dockerfile", "text/x-makefile"},
      {"dockerfile", "text/x-makefile"},
      {"Makefile", "text/x-makefile"},
      {"GNUmakefile", "text/x-makefile"},
      {"src/Makefile", "text/x-makefile"},
      {"app.dockerfile", "text/x-dockerfile"},
      {"App.Dockerfile", "text/x-dockerfile"},
      {"a.txt", "text/plain"},
      {"a.text", "text/plain"},
      {"a.log", "text/plain"},
      {"a.ini", "text/plain"},
      {"a.cfg", "text/plain"},
      {"a.conf", "text/plain"},
      {"a.toml", "text/plain"},
      {"a.yaml", "text/plain"},
      {"a.YML", "text/plain"},
      {"a.csv", "text/csv"},
      {"a.tsv", "text/tab-separated-values"},
      {"a.json", "application/json"},
      {"a.html", "text/html"},
      {"a.htm", "text/html"},
      {"a.css", "text/css"},
      {"a.js", "text/javascript"},
      {"a.mjs", "text/javascript"},
      {"a.ts", "text/x-typescript"},
      {"a.xml", "application/xml"},
      {"a.xsd", "application/xml"},
      {"a.py", "text/x-python"},
      {"a.R", "text/x-r"},
      {"a.c", "text/x-c"},
      {"a.h", "text/x-c"},
      {"a.cpp", "text/x-c++"},
      {"a.cc", "text/x-c++"},
      {"a.cxx", "text/x-c++"},
      {"a.hpp", "text/x-c++"},
      {"a.hh", "text/x-c++"},
      {"a.java", "text/x-java"},
      {"a.rs", "text/x-rust"},
      {"a.go", "text/x-go"},
      {"a.sh", "application/x-sh"},
      {"a.bash", "application/x-sh"},
      {"a.tex", "application/x-tex"},
      {"a.bib", "text/x-bibtex"},
      {"a.ipynb", "application/x-ipynb+json"},
      {"a.rtf", "application/rtf"},
      {"a.pdf", "application/pdf"},
      {"a.png", "image/png"},
      {"a.JPG", "image/jpeg"},
      {"a.jpeg", "image/jpeg"},
      {"a.gif", "image/gif"},
      {"a.bmp", "image/bmp"},
      {"a.tif", "image/tiff"},
      {"a.tiff", "image/tiff"},
      {"a.webp", "image/webp"},
      {"a.svg", "image/svg+xml"},
      {"a.ico", "image/vnd.microsoft.icon"},
      {"a.heic", "image/heic"},
      {"a.heif", "image/heif"},
      {"a.avif", "image/avif"},
      {"a.zip", "application/zip"},
      {"a.tar.gz", "application/gzip"},
      {"a.tar", "application/x-tar"},
      {"a.7z", "application/x-7z-compressed"},
      {"a.rar", "application/vnd.rar"},
      {"a.mp3", "audio/mpeg"},
      {"a.wav", "audio/x-wav"},
      {"a.ogg", "audio/ogg"},
      {"a.flac", "audio/flac"},
      {"a.mp4", "video/mp4"},
      {"a.mov", "video/quicktime"},
      {"a.avi", "video/x-msvideo"},
      {"a.webm", "video/webm"},
      {"a.wmv", "video/x-ms-wmv"},
      {"a.doc", "application/msword"},
      {"a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"a.xls", "application/vnd.ms-excel"},
      {"a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"a.ppt", "application/vnd.ms-powerpoint"},
      {"a.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"a.odt", "application/vnd.oasis.opendocument.text"},
      {"a.ods", "application/vnd.oasis.opendocument.spreadsheet"},
      {"a.eps", "application/postscript"},
      {"a.ps", "application/postscript"},
      {"a.h5", "application/x-hdf5"},
      {"a.hdf5", "application/x-hdf5"},
      {"a.parquet", "application/vnd.apache.parquet"},
      {"data.md.json", "application/json"},
      {"a.json.md", "text/markdown"},
      {"noext", ""},
      {"a.unknown", ""},
      {".gitignore", ""},
      {"makefile.txt", "text/plain"},
      {"", ""},
      {"dir.md/file", ""},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    CHECK(ContentTypeFromName(row.name) == row.type);
  }
}

TEST_CASE("content type sniffing", "[content_type]") {
  CHECK(ContentTypeFor("x.bin", "") == "text/plain");
  CHECK(ContentTypeFor("x.bin", "hello") == "text/plain");
  CHECK(ContentTypeFor("x.bin", std::string("he\0llo", 6)) == "application/octet-stream");
  CHECK(ContentTypeFor("x.md", std::string("\0", 1)) == "text/markdown");
  std::string late(8192, 'a');
  late.push_back('\0');
  CHECK_FALSE(LooksBinary(late));
  late[8191] = '\0';
  CHECK(LooksBinary(late));
  CHECK_FALSE(LooksBinary(""));
}

TEST_CASE("frontmatter-capable and indexable types", "[content_type]") {
  CHECK(IsFrontmatterCapable("text/markdown"));
  CHECK(IsFrontmatterCapable("application/x-codex-view"));
  CHECK_FALSE(IsFrontmatterCapable("text/plain"));
  CHECK(IsIndexableText("text/plain"));
  CHECK(IsIndexableText("text/csv"));
  CHECK(IsIndexableText("application/json"));
  CHECK(IsIndexableText("application/xml"));
  CHECK(IsIndexableText("application/x-codex-view"));
  CHECK(IsIndexableText("text/markdown"));
  CHECK_FALSE(IsIndexableText("application/octet-stream"));
  CHECK_FALSE(IsIndexableText("image/png"));
  CHECK_FALSE(IsIndexableText("application/pdf"));
}

}  // namespace
