// The counting thread (daemon/sensor/counting_thread.h): a capture file read
// through the pipeline with rows added on a second thread commits exactly
// what one thread commits — the same rows, the same day stats and
// malformed counters — also across day boundaries and with a small
// storage.max_rows_in_memory that makes the capture wait for the store.
// Labelled `threads`: the TSan run covers the hand-over.
#include "daemon/sensor/counting_thread.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "common/store/database.h"
#include "common/store/sensor_store.h"
#include "daemon/sensor/capture_pipeline.h"
#include "daemon/sensor/offline_reader.h"
#include "support/frame_builder.h"
#include "support/temp_dir.h"

using namespace teiten;
using namespace teiten::test;

namespace {

constexpr uint32_t kObserved = 0xC000020A;  // 192.0.2.10
const int64_t kStart = 1278547200;          // 2010-07-08 00:00:00 UTC

// 120,000 frames over three days: IPv4 SYNs and UDP from a few thousand
// sources (rows repeat, so adds both insert and bump), IPv6 SYNs, ICMP,
// truncated frames (malformed) and frames to other hosts (ignored).
std::string write_capture(const TempDir& dir) {
  std::string path = dir / "mix.pcap";
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  pcap_dumper_t* out = pcap_dump_open(dead, path.c_str());
  REQUIRE(out != nullptr);
  uint64_t x = 88172645463325252ull;
  auto next = [&x] {  // xorshift64: a fixed, repeatable sequence
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const Bytes src6 = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x99});
  const Bytes dst6 = ip6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10});
  constexpr int kFrames = 120'000;
  for (int i = 0; i < kFrames; ++i) {
    uint64_t r = next();
    auto src = static_cast<uint32_t>(0x0A000000 + (r >> 40) % 4000);
    auto port = static_cast<uint16_t>(1 + (r >> 20) % 50);
    Bytes frame;
    switch (r % 16) {
      case 0:
        frame = ether(0x0800, ipv4(src, kObserved, 17, udp(5000, port)));
        break;
      case 1: {
        Bytes s = src6;
        s[15] = static_cast<uint8_t>(r >> 8);
        frame = ether(0x86DD, ipv6(s, dst6, 6, tcp(40000, port, SYN)));
        break;
      }
      case 2:
        frame = ether(0x0800, ipv4(src, kObserved, 1, icmp(8)));
        break;
      case 3:  // cut short of what its IP header claims: malformed
        frame = ether(0x0800, ipv4(src, kObserved, 6, tcp(40000, port, SYN)));
        frame.resize(14 + 20 + 6);
        break;
      case 4:  // to someone else: not observed
        frame = ether(0x0800, ipv4(src, kObserved + 1, 6, tcp(40000, port, SYN)));
        break;
      default:
        frame = ether(0x0800, ipv4(src, kObserved, 6, tcp(40000, port, SYN)));
    }
    pcap_pkthdr h{};
    int64_t t = kStart + int64_t{i} * 3 * 86400 / kFrames;  // days 0, 1 and 2
    h.ts.tv_sec = static_cast<time_t>(t);
    h.ts.tv_usec = static_cast<suseconds_t>(i % 1000000);
    h.caplen = h.len = static_cast<bpf_u_int32>(frame.size());
    pcap_dump(reinterpret_cast<u_char*>(out), &h, frame.data());
  }
  pcap_dump_close(out);
  pcap_close(dead);
  return path;
}

struct Outcome {
  std::string tally, day_stats, day_counters;
  uint64_t packets = 0;
  uint64_t peak_rows = 0;
  uint64_t flushes = 0;
};

std::string dump(store::Database& db, const std::string& select) {
  auto st = db.prepare("SELECT coalesce(group_concat(line, ';'), '') FROM (" + select + ")");
  REQUIRE(st.step());
  return st.column_text(0);
}

Outcome read_through_pipeline(const TempDir& dir, const std::string& capture, const std::string& db,
                              bool counting_thread, size_t max_rows) {
  auto rules = std::make_shared<tally::CountingRules>();
  rules->observed.add(base::Prefix::parse("192.0.2.10/32").value());
  rules->observed.add(base::Prefix::parse("2001:db8::10/128").value());
  Outcome o;
  {
    sensor::StoreWorker store(std::make_unique<store::SensorStore>(dir / db, "s01", "UTC"), 2);
    sensor::CaptureControl control;
    control.set_max_rows(max_rows);
    tally::PacketCounter counter(DLT_EN10MB, "UTC", rules);
    sensor::CapturePipeline pipeline(counter, control, store, counting_thread);
    auto read = sensor::read_capture_file(capture, pipeline);
    REQUIRE(read.complete);
    o.packets = read.packets;
    pipeline.flush();
    store.drain();
    o.peak_rows = pipeline.peak_rows_in_memory();
    o.flushes = store.stats().flushes;
    CHECK(store.stats().rows_in_flight == 0);
  }
  store::Database d(dir / db, true);
  o.tally = dump(d,
                 "SELECT k || ',' || quote(src) || ',' || accesses || ',' || first_seen || ',' "
                 "|| last_seen AS line FROM tally ORDER BY k, src");
  o.day_stats = dump(d,
                     "SELECT day || ',' || packets || ',' || first_packet || ',' || last_packet "
                     "AS line FROM day_stats ORDER BY day");
  o.day_counters = dump(
      d, "SELECT day || ',' || name || ',' || value AS line FROM day_counters ORDER BY day, name");
  return o;
}

}  // namespace

TEST_CASE("rows added on the counting thread are the rows one thread counts", "[sensor][threads]") {
  TempDir dir;
  std::string capture = write_capture(dir);
  auto one = read_through_pipeline(dir, capture, "one.db", false, 4'000'000);
  auto two = read_through_pipeline(dir, capture, "two.db", true, 4'000'000);
  CHECK(one.packets == 120'000);
  CHECK(two.packets == 120'000);
  // Not vacuous: thousands of rows over three days, malformed and ignored counted.
  CHECK(std::count(one.tally.begin(), one.tally.end(), ';') > 5000);
  CHECK(std::count(one.day_stats.begin(), one.day_stats.end(), ';') == 2);
  CHECK(one.day_counters.find(",malformed.") != std::string::npos);
  CHECK(one.day_counters.find("ignored.not_observed") != std::string::npos);
  CHECK(two.tally == one.tally);
  CHECK(two.day_stats == one.day_stats);
  CHECK(two.day_counters == one.day_counters);
}

TEST_CASE("with the counting thread the rows held stay within a small max_rows_in_memory",
          "[sensor][threads]") {
  TempDir dir;
  std::string capture = write_capture(dir);
  auto one = read_through_pipeline(dir, capture, "one.db", false, 4'000'000);
  constexpr size_t kMax = 2000;  // far below the rows: many flushes and waits for the store
  auto two = read_through_pipeline(dir, capture, "small.db", true, kMax);
  CHECK(two.peak_rows <= kMax);
  CHECK(two.flushes > 10);
  CHECK(two.tally == one.tally);
  CHECK(two.day_stats == one.day_stats);
  CHECK(two.day_counters == one.day_counters);
}

TEST_CASE("records pushed without a full batch reach the table at quiesce", "[sensor][threads]") {
  auto rules = std::make_shared<tally::CountingRules>();
  rules->observe_all = true;
  tally::PacketCounter counter(DLT_EN10MB, "UTC", rules);
  {
    sensor::CountingThread counting(counter);
    // More than a batch of IPv4 and of IPv6, fewer than a ring: batches
    // fill, hand over and one is left partly filled.
    uint8_t six[16] = {0x20, 0x01, 0x0d, 0xb8};
    for (uint32_t i = 0; i < 3 * sensor::CountingThread::Batch::kV4 + 7; ++i) {
      tally::CountedAccess a{};
      a.day = 14800;
      a.proto_kind = tally::pack_proto_kind(packet::Proto::tcp, packet::Kind::probe);
      a.port = 445;
      a.ts = 1278720000 + i;
      a.src4 = i % 1000;
      counting.push(a);
      if (i % 9 == 0) {
        six[15] = static_cast<uint8_t>(i);
        a.v6 = true;
        a.src6 = six;
        counting.push(a);
      }
    }
    CHECK(counting.rows_upper_bound() >= 1000);
    counting.quiesce();
    // Exact once quiesced: 1000 IPv4 sources and 172 IPv6 ones (every ninth push).
    CHECK(counter.delta().rows.v4().size() == 1000);
    CHECK(counter.delta().rows.v6().size() == 172);
    CHECK(counting.rows_upper_bound() == 1172);
    auto taken = counter.take();
    counting.refresh();
    CHECK(counting.rows_upper_bound() == 0);
    CHECK(taken.rows.rows() == 1172);
  }
}
