// Test support for teiten-synth: a temporary directory, a test-local
// recount of a pcap, and the truth CSV read back.
//
// The recount is the check on the generator's ground truth, so it shares
// nothing with it: it reads the written bytes through libpcap, decodes
// the link layers teiten-synth writes (Ethernet with 802.1Q/802.1ad tags,
// Linux cooked v1/v2, raw IP, BSD and OpenBSD loopback), IPv4/IPv6
// (extension headers)/TCP/UDP/ICMP itself, classifies by docs/counting.md
// itself, and buckets days with the
// sensor's base::DayClock rather than the generator's LocalCalendar.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/base/prefix.h"
#include "support/temp_dir.h"

namespace teiten::synth::test {

using teiten::test::TempDir;

/// (day, proto, port, src, kind), as in the truth CSV.
using RowKey = std::tuple<std::string, std::string, uint32_t, std::string, std::string>;
struct RowValue {
  uint64_t accesses = 0;
  int64_t first = 0, last = 0;
  bool operator==(const RowValue&) const = default;
};
using Rows = std::map<RowKey, RowValue>;

struct View {
  std::vector<base::Prefix> observed;
  std::vector<base::Prefix> ignore_sources;
};

struct Recount {
  Rows rows;
  uint64_t packets = 0, counted = 0, non_ip = 0, other_destination = 0, ignored = 0, own = 0;
  uint64_t outgoing = 0;     ///< frames a cooked capture marks as sent by the sensor
  uint64_t undecodable = 0, vlan_single = 0, vlan_double = 0, out_of_order = 0;
  uint64_t frames_60 = 0, frames_74 = 0;  ///< frame lengths the benches promise
  int64_t first_sec = 0, last_sec = 0;
  std::vector<int64_t> times_us;  ///< every frame's time, in file order
  std::map<std::string, uint64_t>
      classes;  ///< "syn4", "syn6", "udp", "echo", "synack", "rst", "ack", ...
  int datalink = -1;
};

/// Decodes and counts a pcap as a sensor with `view` in `zone` must.
Recount recount(const std::string& pcap, const View& view, const std::string& zone);
/// Reads a truth CSV (checks the header).
Rows read_truth_csv(const std::string& path);
/// Runs a shell command; returns its exit status and stdout.
std::pair<int, std::string> run(const std::string& command);
/// Whole file as bytes.
std::string slurp(const std::string& path);
std::string describe_difference(const Rows& expected, const Rows& actual);

}  // namespace teiten::synth::test
