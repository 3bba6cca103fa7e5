#include <catch2/catch.hpp>
#include <string_view>

#include "index/content_type.hpp"
#include "index/frontmatter.hpp"
#include "index/image_info.hpp"
#include "index/markdown.hpp"
#include "index/tags.hpp"
#include "index/xml_sidecar.hpp"
#include "index/yaml.hpp"

namespace {

using codex::index::ContentTypeFor;
using codex::index::ContentTypeFromName;
using codex::index::ExtractLinks;
using codex::index::FirstHeading;
using codex::index::Frontmatter;
using codex::index::InlineTags;
using codex::index::LeadingBlock;
using codex::index::LooksBinary;
using codex::index::NormalizeTag;
using codex::index::ParseFrontmatter;
using codex::index::ParseYaml;
using codex::index::ReadImageInfo;
using codex::index::ResolvePlainScalar;
using codex::index::WriteFrontmatter;
using codex::index::XmlSidecarToJson;

// A default string_view has a null data pointer; nothing may pass it to memchr and friends.
TEST_CASE("null string views are handled", "[index][hostile]") {
  const std::string_view none;
  CHECK(ContentTypeFromName(none).empty());
  CHECK_FALSE(LooksBinary(none));
  CHECK(ContentTypeFor(none, none) == "text/plain");
  Frontmatter fm = ParseFrontmatter(none);
  CHECK_FALSE(fm.has_block);
  CHECK(fm.body.empty());
  CHECK(LeadingBlock(none).empty());
  CHECK(WriteFrontmatter(none, {}) == "---\n{}\n---");
  auto yaml = ParseYaml(none);
  REQUIRE(yaml.ok());
  CHECK(yaml->is_null());
  CHECK(ResolvePlainScalar(none).is_null());
  CHECK(InlineTags(none).empty());
  CHECK_FALSE(NormalizeTag(none));
  CHECK_FALSE(FirstHeading(none));
  CHECK(ExtractLinks(none).empty());
  CHECK_FALSE(ReadImageInfo(none));
  CHECK_FALSE(XmlSidecarToJson(none));
}

}  // namespace
