// The performance floor of docs/performance.md: pcap_open_offline and
// pcap_dispatch over a capture, with a callback that reads one byte of
// each packet. Nothing can count the packets of a file faster than libpcap
// hands them over, so teiten's replay times are quoted as multiples of this.
#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>

namespace {

struct Tally {
  uint64_t packets = 0;
  uint64_t bytes = 0;  // keeps the read from being optimised away
};

void touch(u_char* user, const pcap_pkthdr* /*header*/, const u_char* data) {
  auto* t = reinterpret_cast<Tally*>(user);
  ++t->packets;
  t->bytes += data[0];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: teiten-bench-floor FILE\n");
    return 2;
  }
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(argv[1], errbuf);
  if (!p) {
    std::fprintf(stderr, "teiten-bench-floor: %s\n", errbuf);
    return 1;
  }
  Tally t;
  int n;
  while ((n = pcap_dispatch(p, -1, touch, reinterpret_cast<u_char*>(&t))) > 0) {
  }
  pcap_close(p);
  if (n < 0) return 1;
  std::printf("%llu %llu\n", static_cast<unsigned long long>(t.packets),
              static_cast<unsigned long long>(t.bytes));
  return 0;
}
