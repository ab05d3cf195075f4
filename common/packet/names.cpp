#include <array>

#include "common/packet/access.h"

namespace teiten::packet {
namespace {

constexpr std::array<std::string_view, kMalformedReasons> kReasonNames = {"none",
                                                                          "snaplen",
                                                                          "link_truncated",
                                                                          "link_unknown",
                                                                          "ip_version",
                                                                          "ipv4_truncated",
                                                                          "ipv4_ihl",
                                                                          "ipv4_total_length",
                                                                          "ip_length_exceeds_frame",
                                                                          "ipv6_truncated",
                                                                          "ipv6_ext_truncated",
                                                                          "tcp_truncated",
                                                                          "tcp_data_offset",
                                                                          "udp_truncated",
                                                                          "icmp_truncated",
                                                                          "icmpv6_truncated",
                                                                          "timestamp"};

constexpr std::array<std::string_view, 6> kProtoNames = {"", "tcp", "udp", "icmp", "icmpv6", "ip"};
constexpr std::array<std::string_view, 4> kKindNames = {"", "probe", "backscatter", "other"};

}  // namespace

std::string_view name(Malformed reason) {
  return kReasonNames.at(static_cast<size_t>(reason));
}
std::string_view name(Proto proto) {
  return kProtoNames.at(static_cast<size_t>(proto));
}
std::string_view name(Kind kind) {
  return kKindNames.at(static_cast<size_t>(kind));
}

std::optional<Proto> parse_proto(std::string_view text) {
  for (size_t i = 1; i < kProtoNames.size(); ++i)
    if (kProtoNames[i] == text) return static_cast<Proto>(i);
  return std::nullopt;
}

std::optional<Kind> parse_kind(std::string_view text) {
  for (size_t i = 1; i < kKindNames.size(); ++i)
    if (kKindNames[i] == text) return static_cast<Kind>(i);
  return std::nullopt;
}

bool is_truncation(Malformed reason) {
  switch (reason) {
    case Malformed::link_truncated:
    case Malformed::ipv4_truncated:
    case Malformed::ipv6_truncated:
    case Malformed::ipv6_ext_truncated:
    case Malformed::tcp_truncated:
    case Malformed::udp_truncated:
    case Malformed::icmp_truncated:
    case Malformed::icmpv6_truncated:
      return true;
    default:
      return false;
  }
}

}  // namespace teiten::packet
