// teiten::ctl counter JSON — how a daemon's counter table reads in control
// replies: `stats` lists every row with its value, `status` picks rows and
// families. The rows come from common/process/counter_table.h; nothing
// here knows a particular counter.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "common/process/counter_table.h"

namespace teiten::ctl {

/// A number as JSON; not applicable (or unset) is null, unsupported is
/// the string "unsupported".
nlohmann::ordered_json to_json(const process::CounterValue& value);

/// `stats`: {"counters": [{"name", "type", "value", "help"}, ...]} in table order.
nlohmann::ordered_json stats_arguments(const process::CounterRows& rows,
                                       std::span<const process::CounterValue> values);

/// A labelled family as {label value: value}, in table order; with
/// `nonzero_only`, rows whose value is 0 are left out.
nlohmann::ordered_json family_json(const process::CounterRows& rows,
                                   std::span<const process::CounterValue> values,
                                   const std::string& family, bool nonzero_only = false);

}  // namespace teiten::ctl
