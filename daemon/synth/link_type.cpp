#include "daemon/synth/link_type.h"

namespace teiten::synth {
namespace {

struct LinkRow {
  LinkType type;
  std::string_view name;
  uint32_t linktype;  // the pcap file header's value (tcpdump.org/linktypes.html)
};
constexpr LinkRow kLinks[] = {
    {LinkType::ethernet, "ethernet", 1}, {LinkType::vlan, "vlan", 1},
    {LinkType::qinq, "qinq", 1},         {LinkType::sll, "sll", 113},
    {LinkType::sll2, "sll2", 276},       {LinkType::raw, "raw", 101},
    {LinkType::ipv4, "ipv4", 228},       {LinkType::ipv6, "ipv6", 229},
    {LinkType::null, "bsd-loopback", 0}, {LinkType::loop, "openbsd-loopback", 108},
};

const LinkRow& row_of(LinkType t) {
  for (const auto& r : kLinks)
    if (r.type == t) return r;
  return kLinks[0];
}

}  // namespace

std::string_view link_type_name(LinkType t) {
  return row_of(t).name;
}

std::optional<LinkType> parse_link_type(std::string_view name) {
  for (const auto& r : kLinks)
    if (r.name == name) return r.type;
  return std::nullopt;
}

std::string link_type_names() {
  std::string out;
  for (const auto& r : kLinks) out += (out.empty() ? "" : ", ") + std::string(r.name);
  return out;
}

uint32_t pcap_linktype(LinkType t) {
  return row_of(t).linktype;
}

}  // namespace teiten::synth
