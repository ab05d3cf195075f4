// Splits the sensor's per-packet cost into phases over one capture file:
//   floor   libpcap only, one byte read per packet (docs/performance.md)
//   decode  + link/IP/transport decoding
//   count   + the counting rules, day bucketing and the tally (no database)
// Prints seconds per phase; scripts/bench and profiling sessions use it to
// see where the time beyond the floor goes.
#include <pcap/pcap.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/packet/decoder.h"
#include "common/tally/packet_counter.h"

namespace {

struct Key {
  uint16_t day, port;
  uint8_t pk;
  uint32_t src, ts;
};

struct Run {
  std::vector<Key> keys;
  teiten::packet::Decoder decoder{1};
  teiten::packet::Decoded decoded;
  std::unique_ptr<teiten::tally::PacketCounter> counter;
  uint64_t sink = 0;
};

void floor_cb(u_char* user, const pcap_pkthdr*, const u_char* data) {
  reinterpret_cast<Run*>(user)->sink += data[0];
}
void decode_cb(u_char* user, const pcap_pkthdr* h, const u_char* data) {
  auto* r = reinterpret_cast<Run*>(user);
  r->decoder.decode(data, h->caplen, h->len, r->decoded);
  r->sink += r->decoded.port;
}
void keys_cb(u_char* user, const pcap_pkthdr* h, const u_char* data) {
  auto* r = reinterpret_cast<Run*>(user);
  r->decoder.decode(data, h->caplen, h->len, r->decoded);
  if (r->decoded.status == teiten::packet::Status::access && !r->decoded.v6)
    r->keys.push_back({static_cast<uint16_t>(h->ts.tv_sec / 86400), r->decoded.port,
                       teiten::tally::pack_proto_kind(r->decoded.proto, r->decoded.kind),
                       r->decoded.src4, static_cast<uint32_t>(h->ts.tv_sec)});
}
void count_cb(u_char* user, const pcap_pkthdr* h, const u_char* data) {
  reinterpret_cast<Run*>(user)->counter->count(h->ts.tv_sec, data, h->caplen, h->len);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: teiten-bench-phases floor|decode|count FILE\n");
    return 2;
  }
  std::string mode = argv[1];
  pcap_handler cb = mode == "floor"    ? floor_cb
                    : mode == "decode" ? decode_cb
                    : mode == "tally"  ? keys_cb
                                       : count_cb;
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(argv[2], errbuf);
  if (!p) {
    std::fprintf(stderr, "%s\n", errbuf);
    return 1;
  }
  Run run;
  run.decoder = teiten::packet::Decoder(pcap_datalink(p));
  auto rules = std::make_shared<teiten::tally::CountingRules>();
  rules->observe_all = true;
  run.counter = std::make_unique<teiten::tally::PacketCounter>(pcap_datalink(p), "UTC", rules);
  auto t0 = std::chrono::steady_clock::now();
  while (pcap_dispatch(p, -1, cb, reinterpret_cast<u_char*>(&run)) > 0) {
  }
  auto t1 = std::chrono::steady_clock::now();
  if (mode == "tally") {
    // Time only the table: the keys were decoded above.
    teiten::tally::Tally tally;
    t0 = std::chrono::steady_clock::now();
    for (const auto& k : run.keys) tally.add_v4(k.day, k.pk, k.port, k.src, k.ts);
    t1 = std::chrono::steady_clock::now();
    run.sink = tally.rows();
  }
  std::printf("%s %.3f s rows=%zu sink=%llu\n", mode.c_str(),
              std::chrono::duration<double>(t1 - t0).count(), run.counter->delta().rows.rows(),
              static_cast<unsigned long long>(run.sink));
  pcap_close(p);
  return 0;
}
