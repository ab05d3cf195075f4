#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/config/config_error.h"
#include "daemon/synth/month_plan.h"
#include "daemon/synth/profile.h"
#include "tests/synth/profile_fixture.h"

using namespace teiten;
using namespace teiten::synth;

namespace {

std::string docs_file() {
  return std::string(TEITEN_TEST_DATA) + "/../../docs/synth.md";
}

std::vector<std::string> errors_of(const std::string& path) {
  try {
    load_profile(path);
  } catch (const config::ConfigErrors& e) {
    std::vector<std::string> out;
    for (const auto& error : e.errors()) out.push_back(error.to_string());
    return out;
  }
  return {};
}

constexpr const char* kMinimal = R"(profile: {name: minimal}
months: [{month: 2010-07}]
sensors: [{id: s1, address: 192.0.2.1}]
populations: {all: {JP: 1}}
ports: [{port: 445/tcp, sources: 3, population: all}]
)";

}  // namespace

TEST_CASE("the shipped profiles load", "[synth][profile]") {
  const Profile t = load_profile(synth::test::profile_file("talot2-2010"));
  CHECK(t.name == "talot2-2010");
  CHECK(t.timezone == "Asia/Tokyo");
  REQUIRE(t.months.size() == 6);
  CHECK(t.months.front().name == "2010-02");
  CHECK(t.months.back().name == "2010-07");
  CHECK(t.months.back().accesses == 116141u);
  CHECK(t.months.back().sources == 50845u);
  CHECK(t.sensors.size() == 10);
  CHECK(t.sensors[2].link == LinkType::vlan);
  CHECK(t.sensors[2].vlan == 203);
  CHECK(t.events.size() == 3);
  const Profile s = load_profile(synth::test::profile_file("small"));
  CHECK(s.sensors.size() == 9);
  CHECK_FALSE(s.months.front().sources.has_value());
  CHECK(s.sensors[2].absent_days.size() == 2);
}

TEST_CASE("a profile's defaults come from the loader's table", "[synth][profile]") {
  synth::test::TempDir dir;
  const Profile p = load_profile(dir.write("p.yaml", kMinimal));
  CHECK(p.seed == 1);
  CHECK(p.timezone == "UTC");
  CHECK(p.sensors[0].link == LinkType::ethernet);
  REQUIRE(p.ports.size() == 1);
  CHECK(p.ports[0].accesses_per_source == 1);
  CHECK(p.ports[0].repeat == 0.3);
  CHECK(p.ports[0].pool == 100);
  CHECK(p.ports[0].retransmits == 1);
  CHECK(p.ports[0].gap == 20);
  CHECK(p.ports[0].rhythm[0] == 1);
  CHECK(p.background.backscatter == 7);
  CHECK(p.background.management);
}

TEST_CASE("a port type is only what can be an access", "[synth][profile]") {
  std::string why;
  CHECK(parse_port_type("445/tcp", why) == PortType{Proto::tcp, 445});
  CHECK(parse_port_type("8/icmp", why) == PortType{Proto::icmp, 8});
  CHECK(parse_port_type("128/icmpv6", why) == PortType{Proto::icmpv6, 128});
  CHECK_FALSE(parse_port_type("0/icmp", why));
  CHECK_FALSE(parse_port_type("129/icmpv6", why));
  CHECK_FALSE(parse_port_type("47/ip", why));
  CHECK_FALSE(parse_port_type("65536/udp", why));
  CHECK_FALSE(parse_port_type("tcp/445", why));
}

TEST_CASE("a target that cannot be met is an error at the month", "[synth][profile]") {
  synth::test::TempDir dir;
  std::string text = kMinimal;
  text.replace(text.find("{month: 2010-07}"), 16, "{month: 2010-07, accesses: 500, sources: 100}");
  const Profile p = load_profile(dir.write("p.yaml", text));  // accesses_per_source 1
  try {
    plan_month(p, 0, {});
    FAIL("no error");
  } catch (const config::ConfigErrors& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].line == 2);
    CHECK(e.errors()[0].message.find("accesses_per_source 1") != std::string::npos);
  }
}

TEST_CASE("docs/synth.md lists every key of a profile with the loader's default and range",
          "[synth][profile]") {
  std::ifstream in(docs_file());
  std::map<std::string, std::pair<std::string, std::string>> documented;
  const std::regex row(R"(^\| `([a-z_0-9.\[\]]+)` \|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|.*$)");
  bool keys_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("#")) keys_section = line == "### Keys";
    std::smatch m;
    if (keys_section && std::regex_match(line, m, row)) {
      documented[m[1]] = {m[2], m[3]};
    }
  }
  const auto keys = profile_keys();
  for (const auto& k : keys) {
    INFO(k.path);
    REQUIRE(documented.count(k.path) == 1);
    CHECK(documented[k.path].first == (k.default_text.empty() ? "—" : k.default_text));
    CHECK(documented[k.path].second == k.range);
  }
  for (const auto& [path, cells] : documented) {
    INFO(path);
    CHECK(std::any_of(keys.begin(), keys.end(), [&](const auto& k) { return k.path == path; }));
  }
}

TEST_CASE("the plan meets a month's targets exactly and follows the weights",
          "[synth][profile]") {
  const Profile p = load_profile(synth::test::profile_file("talot2-2010"));
  std::vector<MonthPlan> plans;
  for (size_t m = 0; m < p.months.size(); ++m) plans.push_back(plan_month(p, m, plans));
  for (const auto& plan : plans) {
    INFO(p.months[plan.month].name);
    CHECK(plan.total_sources == *p.months[plan.month].sources);
    CHECK(plan.total_accesses == *p.months[plan.month].accesses);
  }
  // s07 was absent on 15 and 16 March: nothing planned there.
  const MonthPlan& march = plans[1];
  uint64_t s07 = 0;
  for (size_t port = 0; port < march.ports; ++port)
    for (uint32_t d : {14u, 15u}) s07 += march.sources[march.cell(port, 6, d)];
  CHECK(s07 == 0);
  // Ping only where there is IPv4, ICMPv6 echo only where there is IPv6 (s04 has none).
  const MonthPlan& july = plans[5];
  const size_t icmpv6 = p.ports.size() - 1;
  REQUIRE(p.ports[icmpv6].type == PortType{Proto::icmpv6, 128});
  for (uint32_t d = 0; d < july.days; ++d) CHECK(july.sources[july.cell(icmpv6, 3, d)] == 0);
}

TEST_CASE("a profile's errors are reported all at once, each at its place", "[synth][profile]") {
  synth::test::TempDir dir;
  std::string text = kMinimal;
  text += "background: {own: lots, other: -1}\n";
  text.replace(text.find("address: 192.0.2.1"), 18, "address: 192.0.2.300");
  const auto errors = errors_of(dir.write("p.yaml", text));
  INFO(errors.size() << ": " << (errors.empty() ? "" : errors[0]));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].find("p.yaml:3:29: sensors[0].address: '192.0.2.300' is not an IPv4 address") !=
        std::string::npos);
  CHECK(errors[1].find(":6:19: background.own: expected a number, found 'lots'") !=
        std::string::npos);
  CHECK(errors[2].find(":6:32: background.other: -1 is out of range") != std::string::npos);
}
