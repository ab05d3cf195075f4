// The collector's counter table and the ingest bookkeeping that fills it.
#include <catch2/catch.hpp>

#include "daemon/collector/ingest_stats.h"

using namespace teiten::collector;

TEST_CASE("every collector counter row has a value from the start", "[collector]") {
  IngestStats stats;
  auto values = stats.snapshot(12);
  CHECK(collector_counters().unset_rows(values.values()) == std::vector<std::string>{});
  CHECK(values[CollectorCounter::uptime_seconds].text() == "12");
}

TEST_CASE("the refusal family has one row per refusal reason", "[collector]") {
  const auto& table = collector_counters();
  for (size_t i = 0; i < kRefusalReasons; ++i) {
    auto why = static_cast<RefusalReason>(i);
    CHECK(table[refused_counter(why)].name == "refused." + std::string(name(why)));
    CHECK(table[refused_counter(why)].label_value == name(why));
  }
}

TEST_CASE("refusals count under their reason, protocol ones also as protocol errors",
          "[collector]") {
  IngestStats stats;
  stats.refuse(RefusalReason::not_allowlisted, {1, "192.0.2.1:5", "", "s09", "not listed"});
  stats.refuse(RefusalReason::protocol, {2, "192.0.2.1:6", "", "", "bad frame"});
  stats.refuse(RefusalReason::protocol, {3, "192.0.2.1:7", "", "", "bad frame"});
  auto values = stats.snapshot(0);
  const auto& table = collector_counters();
  CHECK(values[refused_counter(RefusalReason::protocol)].text() == "2");
  CHECK(values[CollectorCounter::protocol_errors].text() == "2");
  CHECK(table.value(CollectorCounter::refused_total, values.values()).text() == "3");
  REQUIRE(stats.recent_refusals().size() == 3);
  CHECK(stats.recent_refusals().front().sensor == "s09");
}

TEST_CASE("only the newest fifty refusals are kept", "[collector]") {
  IngestStats stats;
  for (int i = 0; i < 60; ++i) stats.refuse(RefusalReason::overloaded, {i, "", "", "", ""});
  CHECK(stats.recent_refusals().size() == 50);
  CHECK(stats.recent_refusals().front().time == 10);
  CHECK(stats.number(refused_counter(RefusalReason::overloaded)) == 60);
}

TEST_CASE("applied and resent batches count for the fleet and for their sensor", "[collector]") {
  IngestStats stats;
  stats.batch_applied("s01", 40, false, 1000);
  stats.batch_applied("s01", 2, true, 1010);
  stats.batch_duplicate("s01");
  CHECK(stats.number(CollectorCounter::batches_applied) == 2);
  CHECK(stats.number(CollectorCounter::rows_applied) == 42);
  CHECK(stats.number(CollectorCounter::sequence_gaps) == 1);
  CHECK(stats.number(CollectorCounter::batches_duplicate) == 1);
  const auto& s01 = stats.sensors().at("s01");
  CHECK(s01.batches == 2);
  CHECK(s01.rows == 42);
  CHECK(s01.duplicates == 1);
  CHECK(s01.last_batch == 1010);
}
