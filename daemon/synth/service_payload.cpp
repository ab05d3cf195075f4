#include "daemon/synth/service_payload.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace teiten::synth {
namespace {

using namespace std::string_view_literals;

// DNS: the first two bytes (the transaction id) are overwritten per packet.
constexpr auto kDnsVersionBind =  // query version.bind TXT CH, recursion desired
    "\0\0\x01\0\0\x01\0\0\0\0\0\0\x07version\x04"
    "bind\0\0\x10\0\x03"sv;
constexpr auto kDnsAnyResponse =  // response to "isc.org ANY" with no answers kept
    "\0\0\x81\x80\0\x01\0\0\0\0\0\0\x03isc\x03org\0\0\xff\0\x01"sv;
constexpr auto kMdnsServices =  // _services._dns-sd._udp.local PTR
    "\0\0\0\0\0\x01\0\0\0\0\0\0\x09_services\x07_dns-sd\x04_udp\x05local\0\0\x0c\0\x01"sv;
constexpr auto kNbnsStatus =  // NBSTAT query for "*", as nbtscan sends
    "\0\0\0\0\0\x01\0\0\0\0\0\0\x20"
    "CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\0\0\x21\0\x01"sv;
constexpr auto kSnmpSysDescr =  // v1 get-request, community public, sysDescr.0
    "\x30\x29\x02\x01\x00\x04\x06public\xa0\x1c\x02\x04\0\0\0\0\x02\x01\x00\x02\x01\x00"
    "\x30\x0e\x30\x0c\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x05\x00"sv;
constexpr auto kSsdpSearch =
    "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
    "ST: ssdp:all\r\n\r\n"sv;
constexpr auto kTftpRead = "\0\x01/x\0netascii\0"sv;
constexpr auto kMssqlPing = "\x02"sv;
// IKEv1 main mode header alone (28 bytes, length field 28); the initiator
// cookie's first two bytes vary per packet.
constexpr auto kIkeHeader =
    "\0\0\x5a\x11\x3c\x77\x90\x0e\0\0\0\0\0\0\0\0\x01\x10\x02\0\0\0\0\0\0\0\0\x1c"sv;

size_t put(std::string_view bytes, uint16_t id, bool stamp_id, uint8_t* out, size_t cap) {
  const size_t n = std::min(cap, bytes.size());
  std::memcpy(out, bytes.data(), n);
  if (stamp_id && n >= 2) {
    out[0] = static_cast<uint8_t>(id >> 8);
    out[1] = static_cast<uint8_t>(id);
  }
  return n;
}

}  // namespace

size_t write_service_payload(uint16_t sport, uint16_t dport, uint16_t id, uint8_t* out,
                             size_t cap) {
  if (sport == 53 && dport >= 1024) return put(kDnsAnyResponse, id, true, out, cap);
  switch (dport) {
    case 53:
      return put(kDnsVersionBind, id, true, out, cap);
    case 123: {  // NTP v4 client request: 48 bytes, mostly zero
      const size_t n = std::min<size_t>(cap, 48);
      std::memset(out, 0, n);
      if (n) out[0] = 0x23;
      return n;
    }
    case 137:
      return put(kNbnsStatus, id, true, out, cap);
    case 161: {
      const size_t n = put(kSnmpSysDescr, id, false, out, cap);
      if (n >= 21)
        out[19] = static_cast<uint8_t>(id >> 8), out[20] = static_cast<uint8_t>(id);  // request-id
      return n;
    }
    case 500:
      return put(kIkeHeader, id, true, out, cap);
    case 1434:
      return put(kMssqlPing, id, false, out, cap);
    case 1900:
      return put(kSsdpSearch, id, false, out, cap);
    case 5353:
      return put(kMdnsServices, id, false, out, cap);
    case 69:
      return put(kTftpRead, id, false, out, cap);
    default:
      return 0;
  }
}

}  // namespace teiten::synth
