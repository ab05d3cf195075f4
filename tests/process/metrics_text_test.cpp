// The Prometheus exposition of a counter table, and the atomic rewrite of
// the textfile. The real tables are checked with promtool in
// tests/integration/test_metrics.py.
#include "common/process/metrics_text.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/temp_dir.h"

using namespace teiten::process;

namespace {

enum class Id : size_t {
  uptime,
  seen,
  flush_seconds,
  drops,
  by_reason_total,
  by_reason,
  count = by_reason + 3
};

const CounterTable<Id>& table() {
  static const CounterTable<Id> t = [] {
    std::vector<CounterRow<Id>> rows = {
        {Id::uptime, {"uptime_seconds", CounterType::gauge, "seconds since start"}},
        {Id::seen, {"packets_received", CounterType::counter, "frames \"seen\"\\n", "packets"}},
        {Id::flush_seconds, {"last_flush_seconds", CounterType::gauge, "how long"}},
        {Id::drops, {"interface_drops", CounterType::counter, "drops"}},
        {Id::by_reason_total,
         {.name = "refused_total", .help = "all reasons", .sum_of = "refused"}},
    };
    const char* reasons[] = {"a", "b\"c", "d"};
    for (auto& r : family_rows(
             Id::by_reason, 3, [&](size_t i) { return reasons[i]; }, "refused", "reason",
             "refused\nconnections"))
      rows.push_back(std::move(r));
    return CounterTable<Id>("teiten_test", rows);
  }();
  return t;
}

}  // namespace

TEST_CASE("the exposition has HELP and TYPE per metric, _total on counters, labels on families",
          "[process]") {
  Counters<Id> v(table());
  v.set(Id::uptime, int64_t{12});
  v.add(Id::seen, 3);
  v.set(Id::flush_seconds, 0.25);
  v.set(Id::drops, CounterValue::unsupported());
  v.add(Id::by_reason, 2);
  v.add(static_cast<Id>(static_cast<size_t>(Id::by_reason) + 2), 5);
  CHECK(prometheus_text(table(), v.values()) ==
        "# HELP teiten_test_uptime_seconds seconds since start\n"
        "# TYPE teiten_test_uptime_seconds gauge\n"
        "teiten_test_uptime_seconds 12\n"
        "# HELP teiten_test_packets_total frames \"seen\"\\\\n\n"
        "# TYPE teiten_test_packets_total counter\n"
        "teiten_test_packets_total 3\n"
        "# HELP teiten_test_last_flush_seconds how long\n"
        "# TYPE teiten_test_last_flush_seconds gauge\n"
        "teiten_test_last_flush_seconds 0.25\n"
        "# HELP teiten_test_interface_drops_total drops\n"
        "# TYPE teiten_test_interface_drops_total counter\n"
        "# HELP teiten_test_refused_total refused\\nconnections\n"
        "# TYPE teiten_test_refused_total counter\n"
        "teiten_test_refused_total{reason=\"a\"} 2\n"
        "teiten_test_refused_total{reason=\"b\\\"c\"} 0\n"
        "teiten_test_refused_total{reason=\"d\"} 5\n");
}

TEST_CASE("every metric line of the exposition is a valid name, labels and number", "[process]") {
  Counters<Id> v(table());
  v.set(Id::uptime, int64_t{1});
  std::istringstream in(prometheus_text(table(), v.values()));
  static const std::regex sample(
      R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*"\})? [-+0-9.eE]+$)");
  static const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$)");
  int samples = 0;
  for (std::string line; std::getline(in, line);) {
    INFO(line);
    bool ok = std::regex_match(line, sample) || std::regex_match(line, comment);
    CHECK(ok);
    samples += line[0] != '#';
  }
  CHECK(samples == 6);  // uptime, packets, drops, three reasons; the flush time is unset
}

TEST_CASE("the textfile is replaced whole, mode 0644, and leaves no temporary file", "[process]") {
  teiten::test::TempDir dir;
  auto path = dir.file("teiten.prom");
  write_file_atomically(path, "a 1\n");
  write_file_atomically(path, "b 2\n");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "b 2\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);
}

TEST_CASE("a textfile that cannot be written is an error naming the file", "[process]") {
  teiten::test::TempDir dir;
  CHECK_THROWS_WITH(write_file_atomically(dir.file("missing/teiten.prom"), "x 1\n"),
                    Catch::Matchers::Contains("cannot create") &&
                        Catch::Matchers::Contains("missing/.teiten.prom."));
}
