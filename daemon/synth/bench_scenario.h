// teiten::synth bench scenarios — the bench files of docs/performance.md.
//
// Ethernet, 60-byte IPv4 frames (74 for IPv6), times spread evenly over two
// local days. Mix per packet: 68% TCP SYN over 20 port slots (445 x4; 1433,
// 135, 22 x2; ten others x1), 17% UDP over 8 ports, 5% ICMP echo request,
// 4% IPv6 TCP SYN, 2% each SYN-ACK, RST-ACK, ACK. Each packet's source is
// drawn half the time from the busiest 1% of the population and half the
// time from all of it.
//  - telescope: 20k sources per 5M packets, each sticking to 2 TCP ports and
//    1 UDP port (its IPv6 twin to the first TCP port); destinations all over
//    198.18.0.0/16 and 2001:db8:1::/48.
//  - small: 1M sources per 5M packets, ports at random per packet; one
//    destination, 192.0.2.10 and 2001:db8::10.
// The 6% SYN-ACK/RST/ACK come from a separate victim population (1% the
// size, same half/half draw), each victim answering from one service port,
// as backscatter does: a handful of attacked servers, not every scanner.
#pragma once

#include <nlohmann/json.hpp>

#include "daemon/synth/synth_options.h"

namespace teiten::synth {

enum class BenchKind { telescope, small };

/// Writes DIR/bench-telescope.* or DIR/bench-small.* and returns the
/// summary. Throws std::runtime_error on bad options or I/O errors.
nlohmann::ordered_json run_bench(BenchKind kind, const SynthOptions& options);

}  // namespace teiten::synth
