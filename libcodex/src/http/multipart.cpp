// multipart/form-data (RFC 7578) from a body on disk: parts are streamed to their own files, so
// a 1 GiB upload never sits in memory.
#include <cstdio>
#include <fstream>

#include "codex/http.hpp"
#include "common/strings.hpp"
#include "crypto/crypto.hpp"

namespace codex::http {
namespace {

Status Malformed() { return Status::Validation("missing", "file", "Field required"); }

std::optional<std::string> Boundary(std::string_view content_type) {
  for (auto part : Split(content_type, ';')) {
    part = Trim(part);
    if (ToLowerAscii(part.substr(0, 9)) == "boundary=") {
      std::string_view b = part.substr(9);
      if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
      if (!b.empty() && b.size() <= 200) return std::string(b);
    }
  }
  return std::nullopt;
}

// name="x"; filename="y" from a Content-Disposition value.
std::optional<std::string> Attribute(std::string_view header, std::string_view key) {
  for (auto part : Split(header, ';')) {
    part = Trim(part);
    std::size_t eq = part.find('=');
    if (eq == std::string_view::npos || ToLowerAscii(Trim(part.substr(0, eq))) != key) continue;
    std::string_view v = Trim(part.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    return std::string(v);
  }
  return std::nullopt;
}

}  // namespace

Multipart::Multipart(Multipart&&) noexcept = default;
Multipart& Multipart::operator=(Multipart&&) noexcept = default;

Multipart::~Multipart() {
  for (const auto& p : parts_) {
    if (!p.file_path.empty()) std::remove(p.file_path.c_str());
  }
}

const Part* Multipart::Find(std::string_view name) const {
  for (const auto& p : parts_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Result<Multipart> Multipart::Parse(const std::string& body_file, std::string_view content_type,
                                   const std::string& temp_dir) {
  auto boundary = Boundary(content_type);
  if (!boundary) return Malformed();
  std::ifstream in(body_file, std::ios::binary);
  if (!in) return Status::IoError("cannot read the request body");
  const std::string delimiter = "\r\n--" + *boundary;
  Multipart out;
  // The body starts with "--boundary" (no CRLF before the first delimiter): pretend there was one.
  std::string buf = "\r\n";
  char chunk[1 << 16];
  bool eof = false;
  auto fill = [&] {
    if (eof) return false;
    in.read(chunk, sizeof chunk);
    std::streamsize n = in.gcount();
    if (n <= 0) {
      eof = true;
      return false;
    }
    buf.append(chunk, static_cast<std::size_t>(n));
    return true;
  };
  auto need = [&](std::size_t n) {
    while (buf.size() < n && fill()) {
    }
    return buf.size() >= n;
  };
  // Skip the preamble up to the first delimiter.
  std::size_t at;
  while ((at = buf.find(delimiter)) == std::string::npos) {
    if (!fill()) return Malformed();
  }
  buf.erase(0, at + delimiter.size());
  while (true) {
    if (!need(2)) return Malformed();
    if (buf.compare(0, 2, "--") == 0) break;  // the closing delimiter
    if (buf.compare(0, 2, "\r\n") != 0) return Malformed();
    buf.erase(0, 2);
    std::size_t end_headers;
    while ((end_headers = buf.find("\r\n\r\n")) == std::string::npos) {
      if (buf.size() > 16384 || !fill()) return Malformed();
    }
    Part part;
    for (auto line : Split(std::string_view(buf).substr(0, end_headers), '\n')) {
      line = Trim(line);
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name = ToLowerAscii(Trim(line.substr(0, colon)));
      std::string_view value = Trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        part.name = Attribute(value, "name").value_or("");
        part.filename = Attribute(value, "filename");
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    buf.erase(0, end_headers + 4);
    std::FILE* file = nullptr;
    if (part.filename) {
      part.file_path = temp_dir + "/upload-" + crypto::RandomHex(12);
      file = std::fopen(part.file_path.c_str(), "wb");
      if (file == nullptr) return Status::IoError("cannot stage the upload");
    }
    // Copy until the next delimiter, keeping a tail that could be its beginning.
    bool ok = false;
    while (true) {
      std::size_t hit = buf.find(delimiter);
      std::size_t safe = hit != std::string::npos        ? hit
                         : buf.size() > delimiter.size() ? buf.size() - delimiter.size()
                                                         : 0;
      if (file != nullptr) {
        std::fwrite(buf.data(), 1, safe, file);
      } else if (part.value.size() + safe <= (1 << 20)) {
        part.value.append(buf, 0, safe);
      } else {
        break;  // text fields are small
      }
      buf.erase(0, safe);
      if (hit != std::string::npos) {
        buf.erase(0, delimiter.size());
        ok = true;
        break;
      }
      if (!fill()) break;
    }
    if (file != nullptr && std::fclose(file) != 0) ok = false;
    out.parts_.push_back(std::move(part));
    if (!ok) return Malformed();
  }
  return out;
}

}  // namespace codex::http
