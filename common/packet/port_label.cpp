#include "common/packet/port_label.h"

#include <array>
#include <string_view>
#include <utility>

namespace teiten::packet {
namespace {

// IANA protocol numbers a darknet sees without ports. TCP and UDP appear
// under proto ip only as non-first fragments (no port to read).
constexpr std::array<std::pair<uint16_t, std::string_view>, 14> kProtocolNames = {{
    {1, "ICMP (fragment)"},
    {2, "IGMP"},
    {4, "IP-in-IP"},
    {6, "TCP (fragment)"},
    {17, "UDP (fragment)"},
    {41, "IPv6-in-IPv4"},
    {47, "GRE"},
    {50, "ESP"},
    {51, "AH"},
    {58, "ICMPv6 (fragment)"},
    {103, "PIM"},
    {112, "VRRP"},
    {132, "SCTP"},
    {136, "UDP-Lite"},
}};

}  // namespace

std::string port_label(Proto proto, uint16_t port) {
  switch (proto) {
    case Proto::tcp:
    case Proto::udp:
      return std::to_string(port) + "/" + std::string(name(proto));
    case Proto::icmp:
      return port == 8 ? "Ping (ICMP)" : "ICMP type " + std::to_string(port);
    case Proto::icmpv6:
      return port == 128 ? "Ping (ICMPv6)" : "ICMPv6 type " + std::to_string(port);
    case Proto::ip:
      break;
  }
  for (const auto& [number, text] : kProtocolNames)
    if (number == port) return std::string(text);
  return "IP protocol " + std::to_string(port);
}

}  // namespace teiten::packet
