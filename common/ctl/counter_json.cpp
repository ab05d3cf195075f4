#include "common/ctl/counter_json.h"

namespace teiten::ctl {

nlohmann::ordered_json to_json(const process::CounterValue& value) {
  if (value.is_unsupported()) return "unsupported";
  return std::visit(
      [](const auto& v) -> nlohmann::ordered_json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_arithmetic_v<T>)
          return v;
        else
          return nullptr;
      },
      value.variant());
}

nlohmann::ordered_json stats_arguments(const process::CounterRows& rows,
                                       std::span<const process::CounterValue> values) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (size_t i = 0; i < rows.size(); ++i)
    list.push_back({{"name", rows[i].name},
                    {"type", name(rows[i].type)},
                    {"value", to_json(rows.value(i, values))},
                    {"help", rows[i].row_help()}});
  return {{"counters", std::move(list)}};
}

nlohmann::ordered_json family_json(const process::CounterRows& rows,
                                   std::span<const process::CounterValue> values,
                                   const std::string& family, bool nonzero_only) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].label.empty() || rows[i].metric_name() != family) continue;
    auto v = rows.value(i, values);
    if (nonzero_only && v.text() == "0") continue;
    out[rows[i].label_value] = to_json(v);
  }
  return out;
}

}  // namespace teiten::ctl
