#include "index/xml_sidecar.hpp"

#include <exception>
#include <pugixml.hpp>
#include <string>

#include "common/strings.hpp"

namespace codex::index {
namespace {

// Hostile-input limits: nesting (the conversion recurses) and keys per element (JsonObject
// lookups are linear).
constexpr int kMaxDepth = 256;
constexpr std::size_t kMaxKeys = 2'000;

struct TooLarge {};

// ElementTree's element.text: the character data before the first child element.
std::string LeadingText(const pugi::xml_node& element) {
  std::string text;
  for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling()) {
    pugi::xml_node_type type = child.type();
    if (type == pugi::node_element) break;
    if (type == pugi::node_pcdata || type == pugi::node_cdata) text += child.value();
  }
  return text;
}

Json ElementToJson(const pugi::xml_node& element, int depth) {
  if (depth > kMaxDepth) throw TooLarge{};
  Json::Object object;
  for (pugi::xml_attribute attr = element.first_attribute(); attr; attr = attr.next_attribute()) {
    object.set(attr.name(), Json(attr.value()));
  }
  for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    Json value = ElementToJson(child, depth + 1);
    std::string_view name = child.name();
    if (Json* existing = object.find(name)) {
      if (!existing->is_array()) {
        Json::Array list;
        list.push_back(std::move(*existing));
        *existing = Json(std::move(list));
      }
      existing->as_array().push_back(std::move(value));
      continue;
    }
    if (object.size() >= kMaxKeys) throw TooLarge{};
    object.set(std::string(name), std::move(value));
  }
  std::string text = LeadingText(element);
  std::string_view stripped = Trim(text);
  if (!stripped.empty()) {
    if (object.empty()) return Json(stripped);
    object.set("_text", Json(stripped));
  }
  return Json(std::move(object));
}

}  // namespace

std::optional<Json> XmlSidecarToJson(std::string_view xml) {
  try {
    pugi::xml_document doc;
    // parse_default: no DTD processing, only the predefined and numeric entities.
    pugi::xml_parse_result parsed =
        doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_auto);
    if (!parsed) return std::nullopt;
    pugi::xml_node root = doc.document_element();
    if (!root) return std::nullopt;
    return ElementToJson(root, 0);
  } catch (const TooLarge&) {
    return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace codex::index
