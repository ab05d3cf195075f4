// Fuzz target: the pcapng reader (common/capture/pcapng_reader.h), which
// reads every pcapng file `--read` is given, against libpcap reading the
// same bytes.
//
// Input: the bytes of one file (handed to both as an in-memory file).
// Properties, for any bytes:
// - nothing crashes, leaks or reads out of bounds (the sanitizers), and no
//   length field makes the reader allocate more than kMaxBlock;
// - the reader ends in `end` or in `error` with a message, and keeps
//   answering `error` after one;
// - where libpcap reads the file whole, the reader reads it whole too, and
//   where libpcap stops part way, the reader delivers at least as many
//   packets: it is never stricter than libpcap, except where libpcap reads
//   the file otherwise (below);
// - every packet both deliver is the same: captured and wire lengths,
//   bytes, whole seconds and microseconds.
// Where libpcap differs on purpose, the comparison is left out: the first
// Section Header Block, which libpcap checks less (not its trailer); further
// Section Header Blocks before the first interface, which libpcap skips as
// unknown blocks unchecked (found by this target: a bad byte-order magic); link types whose bytes libpcap rewrites (byte-swapped
// pseudo-headers, USB lengths); times past the int64 limits (the reader
// saturates, libpcap wraps) and microseconds of binary resolutions finer
// than 2^-44 (libpcap's product overflows).
#include <pcap/pcap.h>

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "common/capture/pcapng_reader.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace teiten;

struct Seen {
  uint32_t caplen = 0, wirelen = 0;
  std::vector<uint8_t> data;
  int64_t seconds = 0;
  uint32_t micros = 0;
  bool bytes_comparable = true;
  bool seconds_comparable = true;
  bool micros_comparable = true;
};

struct Run {
  std::vector<Seen> packets;
  std::string error;
  bool otherwise = false;  // libpcap reads this file otherwise (see above)
};

bool rewritten_by_libpcap(int link_type) {
  switch (link_type) {
    case 113:  // LINUX_SLL
    case 117:  // PFLOG
    case 189:  // USB_LINUX
    case 220:  // USB_LINUX_MMAPPED
    case 239:  // NFLOG
    case 276:  // LINUX_SLL2
      return true;
    default:
      return false;
  }
}

Run with_reader(const std::string& path) {
  Run run;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) fuzz::broken("cannot open the memory file");
  capture::PcapngReader reader(f);
  reader.on_interface([&run, &reader](uint64_t section, uint32_t, const capture::PcapngInterface&) {
    if (section > 0 && reader.interfaces_seen() == 1) run.otherwise = true;
  });
  capture::PcapngPacket p;
  for (;;) {
    auto next = reader.next(p);
    if (next == capture::PcapngReader::Next::end) break;
    if (next == capture::PcapngReader::Next::error) {
      run.error = reader.error();
      if (run.error.empty()) fuzz::broken("an error without a message");
      if (reader.next(p) != capture::PcapngReader::Next::error)
        fuzz::broken("the reader went on after an error");
      if (run.error.find(" at byte 0:") != std::string::npos) run.otherwise = true;
      if (reader.interfaces_seen() == 0 && run.error.find("section header block") != std::string::npos)
        run.otherwise = true;
      break;
    }
    if (p.caplen > capture::PcapngReader::kMaxBlock) fuzz::broken("a packet longer than a block");
    if (p.nanoseconds >= 1'000'000'000) fuzz::broken("a fraction of a second of a second or more");
    const capture::PcapngInterface& in = reader.interfaces().at(p.interface);
    Seen s{p.caplen, p.wirelen, std::vector<uint8_t>(p.data, p.data + p.caplen), p.seconds,
           p.nanoseconds / 1000};
    s.bytes_comparable = !rewritten_by_libpcap(p.link_type);
    s.seconds_comparable = p.seconds != std::numeric_limits<int64_t>::max() &&
                           p.seconds != std::numeric_limits<int64_t>::min();
    bool binary = (in.units_per_second & (in.units_per_second - 1)) == 0 && in.units_per_second > 1;
    s.micros_comparable = !binary || in.units_per_second <= (uint64_t{1} << 44);
    run.packets.push_back(std::move(s));
  }
  std::fclose(f);
  return run;
}

Run with_libpcap(const std::string& path, bool& opened) {
  Run run;
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, err);
  opened = p != nullptr;
  if (!p) {
    run.error = err;
    return run;
  }
  pcap_pkthdr* h = nullptr;
  const u_char* d = nullptr;
  int r = 0;
  while ((r = pcap_next_ex(p, &h, &d)) == 1)
    run.packets.push_back({h->caplen, h->len, std::vector<uint8_t>(d, d + h->caplen),
                           static_cast<int64_t>(h->ts.tv_sec), static_cast<uint32_t>(h->ts.tv_usec)});
  if (r != PCAP_ERROR_BREAK) run.error = pcap_geterr(p);
  pcap_close(p);
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Only what --read hands the reader: files that start like pcapng.
  if (size < 4 || !capture::is_pcapng_magic(data)) return 0;
  fuzz::MemoryFile file(fuzz::bytes_of(data, size), "pcapng");
  Run ours = with_reader(file.path());
  bool opened = false;
  Run lib = with_libpcap(file.path(), opened);
  if (ours.otherwise) return 0;

  if (opened && lib.error.empty() && !ours.error.empty())
    fuzz::broken("libpcap reads the file whole, the reader stops: " + ours.error);
  if (ours.packets.size() < lib.packets.size())
    fuzz::broken("libpcap reads " + std::to_string(lib.packets.size()) + " packets, the reader " +
                 std::to_string(ours.packets.size()) + ": " + ours.error);
  if (opened && lib.error.empty() && ours.packets.size() != lib.packets.size())
    fuzz::broken("the reader reads more packets than libpcap, which read the file whole");
  for (size_t i = 0; i < lib.packets.size(); ++i) {
    const Seen& a = ours.packets[i];
    const Seen& b = lib.packets[i];
    std::string at = "packet " + std::to_string(i + 1) + ": ";
    if (a.caplen != b.caplen || a.wirelen != b.wirelen) fuzz::broken(at + "lengths differ");
    if (a.bytes_comparable && a.data != b.data) fuzz::broken(at + "bytes differ");
    if (a.seconds_comparable && a.seconds != b.seconds)
      fuzz::broken(at + "seconds differ: " + std::to_string(a.seconds) + " vs libpcap " +
                   std::to_string(b.seconds));
    if (a.seconds_comparable && a.micros_comparable && a.micros != b.micros)
      fuzz::broken(at + "microseconds differ: " + std::to_string(a.micros) + " vs libpcap " +
                   std::to_string(b.micros));
  }
  return 0;
}
