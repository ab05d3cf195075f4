#include "daemon/synth/profile.h"

#include <charconv>

namespace teiten::synth {
namespace {

bool is_probe_icmp(Proto proto, uint16_t type) {
  if (proto == Proto::icmp) return type == 8 || type == 13 || type == 15 || type == 17;
  return proto == Proto::icmpv6 && type == 128;
}

}  // namespace

std::optional<PortType> parse_port_type(const std::string& text, std::string& why) {
  const auto slash = text.find('/');
  why = "'" + text + "' is not a port type (PORT/tcp, PORT/udp, TYPE/icmp or TYPE/icmpv6)";
  if (slash == std::string::npos) return std::nullopt;
  const std::string proto_text = text.substr(slash + 1);
  PortType p;
  if (proto_text == "tcp")
    p.proto = Proto::tcp;
  else if (proto_text == "udp")
    p.proto = Proto::udp;
  else if (proto_text == "icmp")
    p.proto = Proto::icmp;
  else if (proto_text == "icmpv6")
    p.proto = Proto::icmpv6;
  else
    return std::nullopt;
  unsigned value = 0;
  const char* end = text.data() + slash;
  auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || stop != end) return std::nullopt;
  const bool icmp = p.proto == Proto::icmp || p.proto == Proto::icmpv6;
  if (value > (icmp ? 255u : 65535u)) {
    why = "'" + text + "': " + (icmp ? "an ICMP type is 0..255" : "a port is 0..65535");
    return std::nullopt;
  }
  p.port = static_cast<uint16_t>(value);
  if (icmp && !is_probe_icmp(p.proto, p.port)) {
    why = "'" + text +
          "' is never an access (ICMP probes are types 8, 13, 15 and 17; ICMPv6 type 128)";
    return std::nullopt;
  }
  return p;
}

std::string port_type_text(PortType p) {
  return std::to_string(p.port) + "/" + std::string(proto_name(p.proto));
}

std::string_view event_type_name(EventType t) {
  switch (t) {
    case EventType::onset:
      return "onset";
    case EventType::surge:
      return "surge";
    case EventType::rise:
      return "rise";
  }
  return "?";
}

size_t Profile::sensor_index(const std::string& id) const {
  for (size_t i = 0; i < sensors.size(); ++i)
    if (sensors[i].id == id) return i;
  return sensors.size();
}

}  // namespace teiten::synth
