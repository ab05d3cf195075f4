// Counter tables: one row per id or no table at all, sums from families,
// values that say why they are missing.
#include "common/process/counter_table.h"

#include <catch2/catch.hpp>

using namespace teiten::process;

namespace {

enum class Colour : size_t { red, green, count };
std::string_view name(Colour c) {
  return c == Colour::red ? "red" : "green";
}

enum class Id : size_t { uptime, seen, seen_total, by_colour, count = by_colour + 2 };

std::vector<CounterRow<Id>> rows() {
  std::vector<CounterRow<Id>> t = {
      {Id::uptime, {"uptime_seconds", CounterType::gauge, "seconds up"}},
      {Id::seen, {"seen", CounterType::counter, "things seen", "things"}},
      {Id::seen_total, {.name = "colour_total", .help = "all colours", .sum_of = "colour"}},
  };
  for (auto& r : family_rows(
           Id::by_colour, 2, [](size_t i) { return name(static_cast<Colour>(i)); }, "colour",
           "shade", "things by colour"))
    t.push_back(std::move(r));
  return t;
}

}  // namespace

TEST_CASE("a counter table puts rows in id order whatever order they are written in", "[process]") {
  auto r = rows();
  std::reverse(r.begin(), r.end());
  CounterTable<Id> table("teiten_test", r);
  REQUIRE(table.size() == 5);
  CHECK(table[Id::uptime].name == "uptime_seconds");
  CHECK(table[Id::seen].metric_name() == "things");
  CHECK(table[3].name == "colour.red");
  CHECK(table[4].name == "colour.green");
  CHECK(table[4].label == "shade");
  CHECK(table[4].label_value == "green");
  CHECK(table[4].row_help() == "things by colour, shade green");
}

TEST_CASE("a counter table with an id missing or named twice is refused", "[process]") {
  auto missing = rows();
  missing.erase(missing.begin() + 1);
  CHECK_THROWS_WITH(CounterTable<Id>("t", missing), "counter table: id 1 has no row");
  auto twice = rows();
  twice.push_back({Id::seen, {"again", CounterType::counter, "again"}});
  CHECK_THROWS_WITH(CounterTable<Id>("t", twice),
                    "counter table: rows 'seen' and 'again' have the same id 1");
}

TEST_CASE("counters start at zero, gauges unset, and unset rows are named", "[process]") {
  CounterTable<Id> table("t", rows());
  Counters<Id> values(table);
  CHECK(table.unset_rows(values.values()) == std::vector<std::string>{"uptime_seconds"});
  values.set(Id::uptime, int64_t{5});
  CHECK(table.unset_rows(values.values()).empty());
  Counters<Id> empty;
  CHECK(table.unset_rows(empty.values()).size() == 4);  // the sum row needs no value
}

TEST_CASE("a sum row adds up its family and ignores rows outside it", "[process]") {
  CounterTable<Id> table("t", rows());
  Counters<Id> values(table);
  values.add(Id::seen, 100);
  values.add(static_cast<Id>(3), 2);
  values.add(static_cast<Id>(4));
  values.add(static_cast<Id>(4));
  CHECK(table.value(Id::seen_total, values.values()).text() == "4");
  CHECK(table.value(Id::seen, values.values()).text() == "100");
}

TEST_CASE("values say why they are missing and print numbers exactly", "[process]") {
  CHECK_FALSE(CounterValue().is_set());
  CHECK(CounterValue::not_applicable().is_set());
  CHECK_FALSE(CounterValue::not_applicable().is_number());
  CHECK(CounterValue::unsupported().is_unsupported());
  CHECK(CounterValue(uint64_t{18446744073709551615u}).text() == "18446744073709551615");
  CHECK(CounterValue(-3).text() == "-3");
  CHECK(CounterValue(0.25).text() == "0.25");
  CHECK(CounterValue::optional(std::optional<int64_t>{}).text().empty());
  CHECK(CounterValue::optional(std::optional<int64_t>{7}).text() == "7");
}

TEST_CASE("the markdown table lists every row with its own help", "[process]") {
  CounterTable<Id> table("t", rows());
  auto md = counters_markdown("teiten-test", table);
  CHECK(md.find("### teiten-test\n") == 0);
  CHECK(md.find("| `colour.green` | counter | things by colour, shade green |\n") !=
        std::string::npos);
  CHECK(md.find("| `uptime_seconds` | gauge | seconds up |\n") != std::string::npos);
}
