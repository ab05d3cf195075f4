// Exit codes of the daemons (README.md, "Exit codes"). Scripts and systemd rely
// on them; never renumber.
#pragma once

namespace teiten::process {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;          ///< runtime error: capture, database, TLS setup
constexpr int kExitConfig = 2;           ///< configuration invalid (-t or at start)
constexpr int kExitUnacknowledged = 3;   ///< --read: batches still wait for the collector
constexpr int kExitInputIncomplete = 4;  ///< --read: some input could not be read fully

}  // namespace teiten::process
