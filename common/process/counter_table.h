// teiten::process counter tables — every counter a daemon reports is one
// row of its table, and its values are one array indexed by the same enum
// (PowerDNS Recursor's metrics table is the model). `stats`, `status`,
// `metrics`, the metrics textfile and docs/counters.md
// (--counters-markdown) all read those rows, so a counter cannot exist in
// one and be missing from another; a row whose value nobody filled shows
// in unset_rows(), which the daemons' tests check.
//
// A daemon declares `enum class XCounter : size_t { ..., count }`, builds a
// CounterTable<XCounter> once (rows in any order; the constructor refuses a
// table that misses an id or names one twice), and keeps or gathers its
// values in a Counters<XCounter>. Labelled families (malformed.<reason>)
// are rows made by family_rows() from the enum that lists the labels, so a
// new reason is a new row without anyone writing it. Not thread-safe:
// tables are immutable once built, values belong to one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace teiten::process {

enum class CounterType : uint8_t {
  counter,  ///< only grows while the daemon runs
  gauge,    ///< goes up and down
};
std::string_view name(CounterType type);

/// One value: a number, or the reason there is none.
class CounterValue {
 public:
  struct NotApplicable {};  ///< does not apply now (drops while reading files): JSON null
  struct Unsupported {};    ///< the platform cannot measure it: JSON "unsupported"

  /// Unset: nobody filled the row (a bug that unset_rows() reports).
  CounterValue() = default;
  template <class T>
  requires std::is_integral_v<T> CounterValue(
      T v) {  // NOLINT(google-explicit-constructor): values read as numbers
    if constexpr (std::is_signed_v<T>)
      v_ = static_cast<int64_t>(v);
    else
      v_ = static_cast<uint64_t>(v);
  }
  CounterValue(double v) : v_(v) {}  // NOLINT(google-explicit-constructor)
  explicit CounterValue(NotApplicable v) : v_(v) {}
  explicit CounterValue(Unsupported v) : v_(v) {}
  static CounterValue not_applicable() { return CounterValue(NotApplicable{}); }
  static CounterValue unsupported() { return CounterValue(Unsupported{}); }
  /// The value, or not_applicable() when `v` is empty.
  template <class T>
  static CounterValue optional(const std::optional<T>& v) {
    return v ? CounterValue(*v) : not_applicable();
  }

  bool is_set() const { return !std::holds_alternative<std::monostate>(v_); }
  bool is_number() const { return v_.index() >= 3; }
  bool is_unsupported() const { return std::holds_alternative<Unsupported>(v_); }
  /// The number as the exposition writes it ("12", "0.25"); empty when not a number.
  std::string text() const;
  /// uint64, int64 or double; for JSON and sums.
  const auto& variant() const { return v_; }
  /// Adds n to a number (an unset value counts as 0).
  void add(uint64_t n);

 private:
  std::variant<std::monostate, NotApplicable, Unsupported, uint64_t, int64_t, double> v_;
};

/// One row: how `stats` names it, its type and meaning, and how the
/// Prometheus exposition names it.
struct CounterInfo {
  std::string name;  ///< as `stats` shows it: "packets_received", "malformed.snaplen"
  CounterType type = CounterType::counter;
  std::string help;  ///< for a labelled row, the family's help ("malformed packets")
  /// Prometheus family, without the daemon's prefix or "_total"; empty: `name`.
  std::string metric = {};
  /// Rows of a labelled family carry one label ("reason" = "snaplen").
  std::string label = {};
  std::string label_value = {};
  /// Non-empty: this row is the sum of that family's rows; its value is
  /// computed, and the exposition leaves it out (sum() gives it there).
  std::string sum_of = {};

  const std::string& metric_name() const { return metric.empty() ? name : metric; }
  /// The row's own help: `help`, and for a labelled row ", LABEL VALUE".
  std::string row_help() const {
    return label.empty() ? help : help + ", " + label + " " + label_value;
  }
};

/// The rows of one daemon in id order, without the enum; what the
/// renderers (stats, metrics, docs) take.
class CounterRows {
 public:
  CounterRows(std::string metric_prefix, std::vector<CounterInfo> rows)
      : prefix_(std::move(metric_prefix)), rows_(std::move(rows)) {}
  /// "teiten_sensor": every metric name starts with it.
  const std::string& metric_prefix() const { return prefix_; }
  std::span<const CounterInfo> rows() const { return rows_; }
  size_t size() const { return rows_.size(); }
  const CounterInfo& operator[](size_t i) const { return rows_[i]; }
  /// The value of row i: values[i], or for a sum row the sum of its family.
  CounterValue value(size_t i, std::span<const CounterValue> values) const;
  /// Names of the rows (sum rows aside) whose value is unset.
  std::vector<std::string> unset_rows(std::span<const CounterValue> values) const;

 private:
  std::string prefix_;
  std::vector<CounterInfo> rows_;
};

template <class Id>
constexpr size_t counter_count = static_cast<size_t>(Id::count);

template <class Id>
struct CounterRow {
  Id id;
  CounterInfo info;
};

/// The row every daemon has: seconds since it started (a gauge).
template <class Id>
CounterRow<Id> uptime_row(Id id) {
  return {id, {"uptime_seconds", CounterType::gauge, "seconds since the daemon started"}};
}

/// The rows of a labelled family: `count` rows with ids first_id,
/// first_id + 1, ..., the i-th labelled label_of(i) (the enum that lists
/// the labels), named "family.LABEL", all with the family's help.
template <class Id, class LabelOf>
std::vector<CounterRow<Id>> family_rows(Id first_id, size_t count, LabelOf label_of,
                                        std::string_view family, std::string_view label,
                                        std::string_view help) {
  std::vector<CounterRow<Id>> out;
  for (size_t i = 0; i < count; ++i) {
    std::string value(label_of(i));
    out.push_back({static_cast<Id>(static_cast<size_t>(first_id) + i),
                   {std::string(family) + "." + value, CounterType::counter, std::string(help),
                    std::string(family), std::string(label), value}});
  }
  return out;
}

/// A daemon's table, indexed by its enum.
template <class Id>
class CounterTable : public CounterRows {
 public:
  /// Throws std::logic_error naming the id when one has no row or two.
  CounterTable(std::string metric_prefix, std::vector<CounterRow<Id>> rows)
      : CounterRows(std::move(metric_prefix), in_id_order(std::move(rows))) {}
  using CounterRows::operator[];
  const CounterInfo& operator[](Id id) const { return rows()[static_cast<size_t>(id)]; }
  /// The value of row `id` (sums included).
  CounterValue value(Id id, std::span<const CounterValue> values) const {
    return CounterRows::value(static_cast<size_t>(id), values);
  }
  using CounterRows::value;

 private:
  static std::vector<CounterInfo> in_id_order(std::vector<CounterRow<Id>> rows);
};

/// The values of one daemon's counters, indexed by its enum; increments and
/// settings go through here.
template <class Id>
class Counters {
 public:
  Counters() : values_(counter_count<Id>) {}
  /// Every row of type counter (sums aside) at 0; gauges stay unset until set.
  explicit Counters(const CounterTable<Id>& table) : Counters() {
    for (size_t i = 0; i < table.size(); ++i)
      if (table[i].type == CounterType::counter && table[i].sum_of.empty())
        values_[i] = uint64_t{0};
  }
  void add(Id id, uint64_t n = 1) { values_[static_cast<size_t>(id)].add(n); }
  void set(Id id, CounterValue v) { values_[static_cast<size_t>(id)] = v; }
  const CounterValue& operator[](Id id) const { return values_[static_cast<size_t>(id)]; }
  /// A view of the values; not of a temporary's (it would dangle), take() those.
  std::span<const CounterValue> values() const& { return values_; }
  std::span<const CounterValue> values() const&& = delete;
  std::vector<CounterValue> take() && { return std::move(values_); }

 private:
  std::vector<CounterValue> values_;
};

/// A Markdown table of the counters, for docs/counters.md.
std::string counters_markdown(const std::string& title, const CounterRows& rows);

/// Throws std::logic_error("counter table: ...").
[[noreturn]] void counter_table_error(const std::string& what);

template <class Id>
std::vector<CounterInfo> CounterTable<Id>::in_id_order(std::vector<CounterRow<Id>> rows) {
  std::vector<std::optional<CounterInfo>> slots(counter_count<Id>);
  for (auto& r : rows) {
    auto i = static_cast<size_t>(r.id);
    if (i >= slots.size()) counter_table_error("row '" + r.info.name + "' has an id past count");
    if (slots[i])
      counter_table_error("rows '" + slots[i]->name + "' and '" + r.info.name +
                          "' have the same id " + std::to_string(i));
    slots[i] = std::move(r.info);
  }
  std::vector<CounterInfo> out;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (!slots[i]) counter_table_error("id " + std::to_string(i) + " has no row");
    out.push_back(std::move(*slots[i]));
  }
  return out;
}

}  // namespace teiten::process
