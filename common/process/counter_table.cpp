#include "common/process/counter_table.h"

#include <charconv>
#include <stdexcept>

namespace teiten::process {

std::string_view name(CounterType type) {
  return type == CounterType::gauge ? "gauge" : "counter";
}

std::string CounterValue::text() const {
  if (const auto* u = std::get_if<uint64_t>(&v_)) return std::to_string(*u);
  if (const auto* i = std::get_if<int64_t>(&v_)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v_)) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, *d);  // shortest text that reads back exactly
    return std::string(buf, r.ptr);
  }
  return {};
}

void CounterValue::add(uint64_t n) {
  if (auto* u = std::get_if<uint64_t>(&v_))
    *u += n;
  else if (auto* i = std::get_if<int64_t>(&v_))
    *i += static_cast<int64_t>(n);
  else if (auto* d = std::get_if<double>(&v_))
    *d += static_cast<double>(n);
  else
    v_ = n;
}

CounterValue CounterRows::value(size_t i, std::span<const CounterValue> values) const {
  const auto& row = rows_[i];
  if (row.sum_of.empty()) return i < values.size() ? values[i] : CounterValue();
  CounterValue sum = uint64_t{0};
  for (size_t j = 0; j < rows_.size() && j < values.size(); ++j) {
    if (rows_[j].metric_name() != row.sum_of || rows_[j].label.empty()) continue;
    if (const auto* u = std::get_if<uint64_t>(&values[j].variant())) sum.add(*u);
  }
  return sum;
}

std::vector<std::string> CounterRows::unset_rows(std::span<const CounterValue> values) const {
  std::vector<std::string> out;
  for (size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].sum_of.empty() && (i >= values.size() || !values[i].is_set()))
      out.push_back(rows_[i].name);
  return out;
}

std::string counters_markdown(const std::string& title, const CounterRows& rows) {
  std::string out = "### " + title + "\n\n| name | type | meaning |\n|---|---|---|\n";
  for (const auto& c : rows.rows())
    out += "| `" + c.name + "` | " + std::string(name(c.type)) + " | " + c.row_help() + " |\n";
  return out;
}

void counter_table_error(const std::string& what) {
  throw std::logic_error("counter table: " + what);
}

}  // namespace teiten::process
