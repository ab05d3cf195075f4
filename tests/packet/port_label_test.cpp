#include "common/packet/port_label.h"

#include <catch2/catch.hpp>

using teiten::packet::port_label;
using teiten::packet::Proto;

TEST_CASE("tcp and udp port types are labelled PORT/PROTO", "[packet][label]") {
  CHECK(port_label(Proto::tcp, 445) == "445/tcp");
  CHECK(port_label(Proto::udp, 5060) == "5060/udp");
  CHECK(port_label(Proto::tcp, 0) == "0/tcp");
  CHECK(port_label(Proto::udp, 65535) == "65535/udp");
}

TEST_CASE("icmp echo request is Ping, other icmp types are numbered", "[packet][label]") {
  CHECK(port_label(Proto::icmp, 8) == "Ping (ICMP)");
  CHECK(port_label(Proto::icmp, 13) == "ICMP type 13");
  CHECK(port_label(Proto::icmpv6, 128) == "Ping (ICMPv6)");
  CHECK(port_label(Proto::icmpv6, 1) == "ICMPv6 type 1");
}

TEST_CASE("other ip protocols are named, or numbered when unnamed", "[packet][label]") {
  CHECK(port_label(Proto::ip, 47) == "GRE");
  CHECK(port_label(Proto::ip, 6) == "TCP (fragment)");
  CHECK(port_label(Proto::ip, 253) == "IP protocol 253");
}
