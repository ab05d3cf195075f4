#include "daemon/synth/pcap_writer.h"

#include <pcap/pcap.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "tests/synth/synth_test_support.h"

using namespace teiten::synth;

TEST_CASE("libpcap reads back what the pcap writer wrote, record by record", "[synth]") {
  test::TempDir dir;
  const std::string path = dir.file("w.pcap");
  std::vector<std::vector<uint8_t>> frames;
  {
    PcapWriter w(path);
    for (uint8_t i = 0; i < 200; ++i) {
      std::vector<uint8_t> f(60u + i, i);
      w.write(1278601199 + i, 999'999u - i, f.data(), f.size());
      frames.push_back(f);
    }
    CHECK(w.packets() == 200);
    w.close();
    CHECK(w.bytes() == test::slurp(path).size());
  }
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* pc = pcap_open_offline(path.c_str(), err);
  REQUIRE(pc);
  CHECK(pcap_datalink(pc) == DLT_EN10MB);
  CHECK(pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_MICRO);
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  size_t n = 0;
  while (pcap_next_ex(pc, &h, &data) == 1) {
    REQUIRE(n < frames.size());
    CHECK(h->ts.tv_sec == 1278601199 + static_cast<long>(n));
    CHECK(h->ts.tv_usec == 999'999 - static_cast<long>(n));
    CHECK(h->caplen == frames[n].size());
    CHECK(h->len == frames[n].size());
    CHECK(std::memcmp(data, frames[n].data(), h->caplen) == 0);
    ++n;
  }
  CHECK(n == 200);
  pcap_close(pc);
}

TEST_CASE("the pcap writer reports a file it cannot create", "[synth]") {
  CHECK_THROWS_WITH(PcapWriter("/nonexistent-dir/x.pcap"),
                    Catch::Contains("/nonexistent-dir/x.pcap"));
}
