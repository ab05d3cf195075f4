// teiten::synth day-boundary scenario — a few hundred packets crowded
// around local midnights, for exact day-bucketing tests.
//
// Three local days D0, D1, D2 (two midnights). At each midnight: one source
// sends at 23:59:59.999999 and again at 00:00:00.000000, sixty packets fall
// in the last second before and sixty in the first second after, and one
// scanner's SYN retransmissions straddle it. When the zone's UTC offset
// changes within the three days (DST), the same crowd surrounds that
// instant, which must not split a day. Sixty more packets are spread over
// the days. Default days: the day before the zone's first offset change
// after 2010-03-01 and the two after it (America/New_York: 2010-03-13..15,
// the 23-hour day in the middle); 2010-07-01..03 for a zone without DST.
// Observed: 192.0.2.1 and 2001:db8::1; every packet counts.
#pragma once

#include <nlohmann/json.hpp>

#include "daemon/synth/synth_options.h"

namespace teiten::synth {

/// Writes DIR/day-boundary.* and returns the summary.
nlohmann::ordered_json run_day_boundary(const SynthOptions& options);

}  // namespace teiten::synth
