// Test helper: every packet of a capture as the pcapng reader and as
// libpcap deliver it, in one comparable shape.
#pragma once

#include <pcap/pcap.h>

#include <cstdio>
#include <string>
#include <vector>

#include "common/capture/pcapng_reader.h"

namespace teiten::test {

struct Read {
  int link_type = -1;  ///< as libpcap reports it (LINKTYPE_RAW 101 is DLT_RAW 12)
  int64_t seconds = 0;
  uint32_t fraction = 0;  ///< microseconds or nanoseconds, per the read
  uint32_t caplen = 0, wirelen = 0;
  std::vector<uint8_t> data;
  uint32_t interface = 0;
  bool operator==(const Read&) const = default;
};

struct ReadAll {
  std::vector<Read> packets;
  std::string error;  ///< empty: read to the end
};

inline int as_dlt(int link_type) {
  return link_type == 101 ? 12 : link_type;
}

/// The pcapng reader over a stream; nano: fractions in ns, else in µs.
inline ReadAll read_with_reader(FILE* in, bool nano = false) {
  ReadAll out;
  capture::PcapngReader reader(in);
  capture::PcapngPacket p;
  for (;;) {
    auto next = reader.next(p);
    if (next == capture::PcapngReader::Next::end) break;
    if (next == capture::PcapngReader::Next::error) {
      out.error = reader.error();
      if (out.error.empty()) out.error = "(error without a message)";
      break;
    }
    out.packets.push_back({as_dlt(p.link_type), p.seconds, nano ? p.nanoseconds : p.nanoseconds / 1000,
                           p.caplen, p.wirelen, std::vector<uint8_t>(p.data, p.data + p.caplen),
                           p.interface});
  }
  return out;
}

inline ReadAll read_with_reader(const std::string& path, bool nano = false) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {{}, "cannot open " + path};
  ReadAll out = read_with_reader(f, nano);
  std::fclose(f);
  return out;
}

inline ReadAll read_bytes_with_reader(const std::vector<uint8_t>& bytes, bool nano = false) {
  // fmemopen of zero bytes fails; an empty stream is what a zero-length file reads as.
  static uint8_t none = 0;
  FILE* f = bytes.empty() ? fmemopen(&none, 1, "rb") : fmemopen(const_cast<uint8_t*>(bytes.data()), bytes.size(), "rb");
  if (bytes.empty()) std::fgetc(f);
  ReadAll out = read_with_reader(f, nano);
  std::fclose(f);
  return out;
}

/// libpcap's pcap_next_ex over the file; interface numbers are not known (0).
inline ReadAll read_with_libpcap(const std::string& path, bool nano = false) {
  ReadAll out;
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline_with_tstamp_precision(
      path.c_str(), nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, err);
  if (!p) return {{}, err};
  pcap_pkthdr* h = nullptr;
  const u_char* d = nullptr;
  int r = 0;
  while ((r = pcap_next_ex(p, &h, &d)) == 1)
    out.packets.push_back({pcap_datalink(p), static_cast<int64_t>(h->ts.tv_sec),
                           static_cast<uint32_t>(h->ts.tv_usec), h->caplen, h->len,
                           std::vector<uint8_t>(d, d + h->caplen), 0});
  if (r != PCAP_ERROR_BREAK) out.error = pcap_geterr(p);
  pcap_close(p);
  return out;
}

}  // namespace teiten::test
