#include "daemon/sensor/read_flags.h"

#include <catch2/catch.hpp>

using namespace teiten;

TEST_CASE("a configless read is named after its one capture file", "[sensor]") {
  CHECK(sensor::sensor_id_for({"/data/s01.pcap"}) == "s01");
  CHECK(sensor::sensor_id_for({"talot-2010-07.pcapng"}) == "talot-2010-07");
  CHECK(sensor::sensor_id_for({"s02.pcap.gz"}) == "s02");
  CHECK(sensor::sensor_id_for({"a.pcap", "b.pcap"}) == "local");  // several: no one name
  CHECK(sensor::sensor_id_for({"-"}) == "local");                 // standard input
  CHECK(sensor::sensor_id_for({"my capture.pcap"}) == "local");   // not a valid id
}

TEST_CASE("flags override the file's keys and forget their positions", "[sensor]") {
  auto c = config::default_read_config("command line", "local");
  CHECK(c.sensor.id == "local");
  CHECK(c.sensor.timezone == "UTC");
  CHECK(c.capture.observed.empty());
  c.marks.positions["sensor.id"] = {1, 10};
  sensor::ReadFlags flags;
  flags.db = "/tmp/out.db";
  flags.id = "s07";
  flags.timezone = "Asia/Tokyo";
  flags.observed = {"192.0.2.0/24", "2001:db8::/32"};
  sensor::apply_read_flags(flags, c);
  CHECK(c.storage.path == "/tmp/out.db");
  CHECK(c.sensor.id == "s07");
  CHECK(c.sensor.timezone == "Asia/Tokyo");
  REQUIRE(c.capture.observed.size() == 2);
  CHECK(c.capture.observed[1].to_string() == "2001:db8::/32");
  CHECK_FALSE(c.marks.positions.contains("sensor.id"));
}

TEST_CASE("a flag value breaking its key's rule is refused on the command line", "[sensor]") {
  auto parse = [](std::vector<std::string> args) {
    CLI::App app;
    std::vector<std::string> files;
    sensor::ReadFlags flags;
    auto* read = app.add_option("--read", files);
    sensor::add_read_flags(app, read, flags);
    std::vector<std::string> argv{"teiten-sensor"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> ptrs;
    for (auto& a : argv) ptrs.push_back(a.data());
    try {
      app.parse(static_cast<int>(ptrs.size()), ptrs.data());
      return std::string();
    } catch (const CLI::ParseError& e) {
      return std::string(e.what());
    }
  };
  CHECK(parse({"--read", "a.pcap", "--db", "o.db", "--id", "s01"}).empty());
  CHECK(parse({"--read", "a.pcap", "--id", "bad id"}).find("not a sensor id") != std::string::npos);
  CHECK(parse({"--read", "a.pcap", "--timezone", "Mars/Olympus"}).find("unknown time zone") !=
        std::string::npos);
  CHECK(parse({"--read", "a.pcap", "--observed", "10.1.2.3/8"}).find("not an address") !=
        std::string::npos);
  CHECK_FALSE(parse({"--db", "o.db"}).empty());  // only with --read
}
