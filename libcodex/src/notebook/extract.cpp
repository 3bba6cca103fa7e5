#include "notebook/extract.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "codex/json.hpp"
#include "common/strings.hpp"
#include "common/time.hpp"
#include "crypto/crypto.hpp"
#include "index/content_type.hpp"
#include "index/frontmatter.hpp"
#include "index/image_info.hpp"
#include "index/markdown.hpp"
#include "index/metadata.hpp"
#include "index/tags.hpp"
#include "index/xml_sidecar.hpp"

namespace codex::notebook {
namespace {

constexpr std::size_t kTextLimit = 4u << 20;      // text indexed per file (§12.1)
constexpr std::int64_t kSidecarLimit = 16 << 20;  // bigger sidecars are not read
constexpr std::size_t kChunk = 1u << 16;

std::string Extension(const std::string& name) {
  std::size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return {};
  return ToLowerAscii(name.substr(dot + 1));
}

bool IsImageExtension(const std::string& ext) {
  static const char* kExts[] = {"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "ico"};
  return std::find(std::begin(kExts), std::end(kExts), ext) != std::end(kExts);
}

// Replaces invalid UTF-8 with U+FFFD so the text can go into FTS5.
std::string ValidUtf8(std::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    char32_t cp = DecodeUtf8(s, &i);
    std::string_view piece = s.substr(start, i - start);
    if (cp == 0xFFFD || !IsValidUtf8(piece)) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(piece);
    }
  }
  return out;
}

// Reads a sidecar whole. The problem text is set when it cannot be read.
std::optional<std::string> ReadSidecar(const std::string& root, const std::string& rel,
                                       std::vector<std::string>* problems) {
  auto fd = fs::OpenBeneath(root, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd.ok()) {
    problems->push_back("sidecar " + rel + ": " + fd.status().message());
    return std::nullopt;
  }
  auto text = fs::ReadAll(fd->get(), kSidecarLimit);
  if (!text.ok()) {
    problems->push_back("sidecar " + rel + ": " + text.status().message());
    return std::nullopt;
  }
  return std::move(*text);
}

}  // namespace

std::string StatSig(const fs::Stat& main,
                    const std::vector<std::pair<std::string, fs::Stat>>& sidecars) {
  std::string sig = std::to_string(main.size) + ":" + std::to_string(main.mtime_ns);
  for (const auto& [name, st] : sidecars) {
    sig += ";" + name + ":" + std::to_string(st.size) + ":" + std::to_string(st.mtime_ns);
  }
  return sig;
}

Result<storage::FileRecord> ExtractFile(const std::string& root, const std::string& main,
                                        const index::Sidecars& sidecars, std::int64_t notebook_id,
                                        const std::string& now) {
  auto fd = fs::OpenBeneath(root, main, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd.ok()) return fd.status();
  fs::Stat st = fs::StatFd(fd->get());
  if (!st.is_file) return Status::NotFound("file_not_found", "Not a regular file");

  // One pass: keep the head (text up to the index limit), hash everything.
  crypto::Sha256 hasher;
  std::string head;
  head.reserve(static_cast<std::size_t>(std::min<std::int64_t>(st.size, kTextLimit)));
  std::string buf(kChunk, '\0');
  std::int64_t total = 0;
  while (true) {
    ssize_t n = ::read(fd->get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError("read " + main);
    if (n == 0) break;
    std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
    hasher.Update(chunk);
    if (head.size() < kTextLimit) head.append(chunk.substr(0, kTextLimit - head.size()));
    total += n;
  }

  storage::FileRecord rec;
  FileMeta& m = rec.meta;
  m.notebook_id = notebook_id;
  m.path = main;
  m.filename = BaseName(main);
  m.size = total;
  m.hash = hasher.FinishHex();
  m.content_type = index::ContentTypeFor(m.filename, head);
  bool binary = index::LooksBinary(head);
  rec.binary = binary;
  m.file_modified_at = FormatTimeNs(st.mtime_ns);
  m.created_at = now;
  m.updated_at = now;

  // Metadata sources, later overriding earlier key by key (§6.4).
  Json::Object merged;
  std::string ext = Extension(m.filename);
  if (IsImageExtension(ext)) {
    if (auto info = index::ReadImageInfo(
            std::string_view(head).substr(0, std::min(head.size(), index::kImageHeadBytes)))) {
      index::MergeInto(&merged, *info);
    }
  }
  std::string body;
  bool frontmatter_capable = index::IsFrontmatterCapable(m.content_type);
  bool textual = !binary && index::IsIndexableText(m.content_type);
  if (frontmatter_capable && !binary) {
    index::Frontmatter fm = index::ParseFrontmatter(ValidUtf8(head));
    if (fm.problem) m.problems.push_back("frontmatter: " + *fm.problem);
    index::MergeInto(&merged, fm.metadata);
    body = std::move(fm.body);
  } else if (textual) {
    body = ValidUtf8(head);
  }
  if (sidecars.md) {
    if (auto text = ReadSidecar(root, *sidecars.md, &m.problems)) {
      index::Frontmatter fm = index::ParseFrontmatter(ValidUtf8(*text));
      if (fm.problem) m.problems.push_back("sidecar " + *sidecars.md + ": " + *fm.problem);
      index::MergeInto(&merged, fm.metadata);
    }
  }
  if (sidecars.xml) {
    if (auto text = ReadSidecar(root, *sidecars.xml, &m.problems)) {
      auto obj = index::XmlSidecarToJson(*text);
      if (!obj) {
        m.problems.push_back("sidecar " + *sidecars.xml + ": invalid XML");
      } else if (obj->is_object()) {
        index::MergeInto(&merged, obj->as_object());
      }
    }
  }
  if (sidecars.json) {
    if (auto text = ReadSidecar(root, *sidecars.json, &m.problems)) {
      auto parsed = Json::Parse(*text);
      if (!parsed.ok()) {
        m.problems.push_back("sidecar " + *sidecars.json +
                             ": invalid JSON: " + parsed.status().message());
      } else if (parsed->is_object()) {
        index::MergeInto(&merged, parsed->as_object());
      }
    }
  }
  m.sidecar_path = sidecars.primary();

  // Row fields (§6.4).
  auto title = index::AsText(merged.find("title"));
  if (title && !title->empty()) {
    m.title = std::move(title);
  } else if (m.content_type == "text/markdown") {
    m.title = index::FirstHeading(body);
  }
  m.description = index::AsText(merged.find("description"));
  m.file_type = index::AsText(merged.find("type"));
  std::vector<std::string> inline_tags;
  if (m.content_type == "text/markdown") inline_tags = index::InlineTags(body);
  m.tags = index::MergeTags(index::TagsFromProperty(merged.find("tags")), inline_tags);
  rec.file_created_at = FormatTimeNs(st.birth_ns != 0 ? st.birth_ns : st.mtime_ns);
  if (const Json* created = merged.find("created"); created && created->is_string()) {
    if (auto t = ParseTime(created->as_string())) rec.file_created_at = FormatTime(*t);
  }
  if (m.content_type == "text/markdown") {
    for (auto& link : index::ExtractLinks(body)) {
      rec.links.emplace_back(std::move(link.target),
                             link.kind == index::Link::Kind::kWiki ? "wiki" : "markdown");
    }
  }
  if (!merged.empty()) m.properties = Json(std::move(merged));

  // Full-text document (§12.1).
  rec.fts_title = m.title.value_or(m.filename);
  if (textual || frontmatter_capable) {
    rec.fts_content = m.description ? *m.description + "\n" + body : std::move(body);
  } else if (m.description) {
    rec.fts_content = *m.description;
  }
  rec.fts_tags = Join(m.tags, " ");

  std::vector<std::pair<std::string, fs::Stat>> side_stats;
  for (const auto& s : sidecars.all()) side_stats.emplace_back(s, fs::StatBeneath(root, s));
  rec.stat_sig = StatSig(st, side_stats);
  return rec;
}

bool SameIndexedState(const FileMeta& a, const FileMeta& b) {
  return a.path == b.path && a.hash == b.hash && a.size == b.size &&
         a.content_type == b.content_type && a.title == b.title && a.description == b.description &&
         a.file_type == b.file_type && a.properties == b.properties && a.tags == b.tags &&
         a.sidecar_path == b.sidecar_path && a.file_modified_at == b.file_modified_at &&
         a.problems == b.problems;
}

}  // namespace codex::notebook
