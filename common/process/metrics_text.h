// teiten::process metrics text — a daemon's counter table in the
// Prometheus text exposition format (version 0.0.4): for the `metrics`
// control command and for the file node_exporter's textfile collector
// reads, so fleets are watched where operators already look without the
// daemons opening a listener. Names are PREFIX_METRIC, with "_total" on
// counters; a labelled family is one metric with its label; sum rows are
// left out (sum() gives them); a value that is not a number is no sample.
#pragma once

#include <span>
#include <string>

#include "common/process/counter_table.h"

namespace teiten::process {

/// The exposition of every row, with one HELP and TYPE line per metric.
std::string prometheus_text(const CounterRows& rows, std::span<const CounterValue> values);

/// Replaces `path` with `text` so a reader sees the old file or the new,
/// never a part: a temporary file in the same directory, then rename().
/// Mode 0644 whatever the umask (node_exporter reads it as its own user).
/// Throws std::system_error naming the step and the file.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace teiten::process
