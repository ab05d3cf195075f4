#include "common/geo/special_purpose.h"

#include <stdexcept>

namespace teiten::geo {
namespace {

struct Row {
  const char* prefix;
  const char* name;
  const char* reference;
};

// The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, as
// updated by RFC 8190):
//   https://www.iana.org/assignments/iana-ipv4-special-registry/
//   https://www.iana.org/assignments/iana-ipv6-special-registry/
// plus the multicast blocks of the IPv4 and IPv6 address-space registries
//   https://www.iana.org/assignments/ipv4-address-space/
//   https://www.iana.org/assignments/ipv6-address-space/
// A registry entry nested inside another one (0.0.0.0/32 in 0.0.0.0/8,
// 2001::/32 Teredo in 2001::/23, 255.255.255.255/32 in 240.0.0.0/4) is
// covered by the outer row and named there. Blocks the registries mark as
// globally reachable (AS112, AMT, 64:ff9b::/96) are here too: they are
// anycast or translation space, not any one country's.
constexpr Row kTable[] = {
    {"0.0.0.0/8", "\"This network\" (0.0.0.0/32: this host)", "RFC 791"},
    {"10.0.0.0/8", "Private-Use", "RFC 1918"},
    {"100.64.0.0/10", "Shared Address Space", "RFC 6598"},
    {"127.0.0.0/8", "Loopback", "RFC 1122"},
    {"169.254.0.0/16", "Link Local", "RFC 3927"},
    {"172.16.0.0/12", "Private-Use", "RFC 1918"},
    {"192.0.0.0/24", "IETF Protocol Assignments (DS-Lite, PCP/TURN anycast, NAT64 discovery)",
     "RFC 6890"},
    {"192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737"},
    {"192.31.196.0/24", "AS112-v4", "RFC 7535"},
    {"192.52.193.0/24", "AMT", "RFC 7450"},
    {"192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526"},
    {"192.168.0.0/16", "Private-Use", "RFC 1918"},
    {"192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534"},
    {"198.18.0.0/15", "Benchmarking", "RFC 2544"},
    {"198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737"},
    {"203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737"},
    {"224.0.0.0/4", "Multicast (IPv4 address-space registry)", "RFC 5771"},
    {"240.0.0.0/4", "Reserved (255.255.255.255/32: Limited Broadcast)", "RFC 1112, RFC 919"},
    {"::/128", "Unspecified Address", "RFC 4291"},
    {"::1/128", "Loopback Address", "RFC 4291"},
    {"::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291"},
    {"64:ff9b::/96", "IPv4-IPv6 Translation", "RFC 6052"},
    {"64:ff9b:1::/48", "Local-Use IPv4/IPv6 Translation", "RFC 8215"},
    {"100::/64", "Discard-Only Address Block", "RFC 6666"},
    {"100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780"},
    {"2001::/23", "IETF Protocol Assignments (Teredo, benchmarking, AMT, AS112-v6, ORCHIDv2)",
     "RFC 2928"},
    {"2001:db8::/32", "Documentation", "RFC 3849"},
    {"2002::/16", "6to4", "RFC 3056"},
    {"2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534"},
    {"3fff::/20", "Documentation", "RFC 9637"},
    {"5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602"},
    {"fc00::/7", "Unique-Local", "RFC 4193"},
    {"fe80::/10", "Link-Local Unicast", "RFC 4291"},
    {"ff00::/8", "Multicast (IPv6 address-space registry)", "RFC 4291"},
};

struct Compiled {
  std::vector<SpecialBlock> blocks;
  base::PrefixSet set;
};

const Compiled& compiled() {
  static const Compiled c = [] {
    Compiled out;
    for (const auto& row : kTable) {
      auto p = base::Prefix::parse(row.prefix);
      if (!p)
        throw std::logic_error(std::string("special-purpose table: bad prefix ") + row.prefix);
      out.blocks.push_back({*p, row.name, row.reference});
      out.set.add(*p);
    }
    return out;
  }();
  return c;
}

}  // namespace

const std::vector<SpecialBlock>& special_purpose_blocks() {
  return compiled().blocks;
}

bool is_special_purpose(const base::IpAddress& address) {
  return compiled().set.contains(address);
}

}  // namespace teiten::geo
