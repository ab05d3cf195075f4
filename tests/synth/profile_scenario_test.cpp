#include "daemon/synth/profile_scenario.h"

#include <pcap/pcap.h>

#include <catch2/catch.hpp>
#include <set>

#include "common/base/day_clock.h"
#include "tests/synth/profile_fixture.h"

using namespace teiten;
using namespace teiten::synth;
using synth::test::generated;
using synth::test::Rows;

namespace {

std::vector<std::string> sensor_ids(const synth::test::Generated& g) {
  std::vector<std::string> out;
  for (const auto& s : g.summary["sensors"]) out.push_back(s["id"]);
  return out;
}

struct Totals {
  uint64_t accesses = 0, sources = 0;
};

// Probe totals of every sensor's truth for a month, and per port type.
Totals month_totals(const synth::test::Generated& g, const std::string& month,
                    std::map<std::string, Totals>* by_port = nullptr) {
  Totals t;
  for (const auto& id : sensor_ids(g))
    for (const auto& [k, v] : g.truth(month, id)) {
      if (std::get<4>(k) != "probe") continue;
      t.accesses += v.accesses;
      ++t.sources;
      if (by_port) {
        auto& p = (*by_port)[std::to_string(std::get<2>(k)) + "/" + std::get<1>(k)];
        p.accesses += v.accesses;
        ++p.sources;
      }
    }
  return t;
}

// Port types by accesses, ties by sources then name.
std::vector<std::string> ranking(const std::map<std::string, Totals>& by_port) {
  std::vector<std::pair<std::string, Totals>> v(by_port.begin(), by_port.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    if (a.second.accesses != b.second.accesses) return a.second.accesses > b.second.accesses;
    if (a.second.sources != b.second.sources) return a.second.sources > b.second.sources;
    return a.first < b.first;
  });
  std::vector<std::string> out;
  for (const auto& [k, t] : v) out.push_back(k);
  return out;
}

// Day -> summed sources of one port type at one sensor.
std::map<std::string, uint64_t> daily_sources(const Rows& rows, const std::string& proto,
                                              uint32_t port) {
  std::map<std::string, uint64_t> out;
  for (const auto& [k, v] : rows)
    if (std::get<1>(k) == proto && std::get<2>(k) == port && std::get<4>(k) == "probe")
      ++out[std::get<0>(k)];
  return out;
}

uint64_t at(const std::map<std::string, uint64_t>& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

std::string july(int day);

// Summed sources of July's days before `day`, and from `day` on.
std::pair<uint64_t, uint64_t> before_and_from(const std::map<std::string, uint64_t>& daily,
                                              int day) {
  std::pair<uint64_t, uint64_t> out{0, 0};
  for (int d = 1; d <= 31; ++d) (d < day ? out.first : out.second) += at(daily, july(d));
  return out;
}

std::string july(int day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "2010-07-%02d", day);
  return buf;
}

int datalink_of(const std::string& pcap) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(pcap.c_str(), err);
  REQUIRE(p);
  const int link = pcap_datalink(p);
  pcap_close(p);
  return link;
}

}  // namespace

TEST_CASE("the small profile's captures count as their truth says, on every link type",
          "[synth][profile]") {
  const auto& g = generated("small");
  std::set<int> links;
  uint64_t outgoing = 0, malformed = 0, v6_rows = 0;
  for (const std::string month : {"2010-06", "2010-07"})
    for (const auto& s : g.summary["sensors"]) {
      const std::string id = s["id"];
      const std::string pcap = g.path(month, id + ".pcap");
      const auto r = synth::test::recount(pcap, g.view(id), "Europe/Berlin");
      const auto truth = g.truth(month, id);
      INFO(month << " " << id << '\n' << synth::test::describe_difference(truth, r.rows));
      CHECK(r.rows == truth);
      CHECK(r.out_of_order == 0);
      CHECK(r.datalink == datalink_of(pcap));
      links.insert(r.datalink);
      const auto summary = g.sensor_summary(month, id);
      CHECK(summary["packets_written"] == r.packets);
      CHECK(summary["packets_counted"] == r.counted);
      CHECK(summary["not_counted"]["malformed"] == r.undecodable);
      CHECK(summary["not_counted"]["outgoing"] == r.outgoing);
      CHECK(summary["not_counted"]["own_address"] == r.own);
      CHECK(summary["not_counted"]["other_destination"] == r.other_destination);
      CHECK(summary["not_counted"]["ignored_source"] == r.ignored);
      CHECK(summary["not_counted"]["non_ip"] == r.non_ip);
      outgoing += r.outgoing;
      malformed += r.undecodable;
      for (const auto& [k, v] : truth) v6_rows += std::get<3>(k).find(':') != std::string::npos;
    }
  // Ethernet, cooked v1 and v2, raw, IPv4, IPv6, BSD and OpenBSD loopback.
  CHECK(links == std::set<int>{1, 113, 276, 12, 228, 229, 0, 108});  // LINKTYPE_RAW reads as DLT_RAW
  CHECK(outgoing > 0);
  CHECK(malformed > 50);
  CHECK(v6_rows > 100);
}

TEST_CASE("the small profile meets July's target exactly and June's plan", "[synth][profile]") {
  const auto& g = generated("small");
  const auto june = month_totals(g, "2010-06"), july_totals = month_totals(g, "2010-07");
  CHECK(july_totals.accesses == 9871);
  CHECK(july_totals.sources == 4219);
  CHECK(g.summary["months"][0]["accesses"] == june.accesses);
  CHECK(g.summary["months"][0]["sources"] == june.sources);
  CHECK(g.summary["months"][1]["accesses"] == 9871);
}

TEST_CASE("the small profile's events happen where and when it says", "[synth][profile]") {
  const auto& g = generated("small");
  // onset: 5060/udp from 10 July at a1, a2 and a9 only.
  for (const auto& id : sensor_ids(g)) {
    const auto daily = daily_sources(g.truth("2010-07", id), "udp", 5060);
    const auto [before, after] = before_and_from(daily, 10);
    INFO(id << " before " << before << " after " << after);
    if (id == "a1" || id == "a2" || id == "a9") {
      CHECK(at(daily, july(10)) >= 5);
      CHECK(after >= 100);
    } else {
      CHECK(after <= 6);
    }
    CHECK(before <= 3);
  }
  // surge: 3389/tcp at a4 from 3 July for three days, most of the month's accesses.
  uint64_t total = 0, at_a4 = 0;
  for (const auto& id : sensor_ids(g))
    for (const auto& [k, v] : g.truth("2010-07", id))
      if (std::get<1>(k) == "tcp" && std::get<2>(k) == 3389 && std::get<4>(k) == "probe") {
        total += v.accesses;
        if (id == "a4") at_a4 += v.accesses;
      }
  CHECK(static_cast<double>(at_a4) / static_cast<double>(total) >= 0.8);
  const auto a4 = daily_sources(g.truth("2010-07", "a4"), "tcp", 3389);
  CHECK(at(a4, july(3)) >= 15);
  CHECK(at(a4, july(4)) > at(a4, july(3)));
  CHECK(at(a4, july(7)) <= 2);
  // rise: 23/tcp six times busier from 15 to 25 July.
  std::map<std::string, uint64_t> fleet;
  for (const auto& id : sensor_ids(g))
    for (const auto& [day, n] : daily_sources(g.truth("2010-07", id), "tcp", 23)) fleet[day] += n;
  uint64_t inside = 0, outside = 0;
  for (int d = 1; d <= 31; ++d) (d >= 15 && d <= 25 ? inside : outside) += at(fleet, july(d));
  CHECK(static_cast<double>(inside) / 11 > 3 * static_cast<double>(outside) / 20);
  // absent: a3 has no packet at all on 20 and 21 July (Berlin days).
  const auto a3 = g.sensor_summary("2010-07", "a3");
  std::set<std::string> days;
  for (const auto& d : a3["days"]) days.insert(d["day"]);
  CHECK(days.count(july(19)) == 1);
  CHECK(days.count(july(20)) == 0);
  CHECK(days.count(july(21)) == 0);
  CHECK(days.count(july(22)) == 1);
}

TEST_CASE("a profile is the same for a seed and differs for another", "[synth][profile]") {
  synth::test::TempDir a, b, c;
  ProfileOptions o;
  o.file = synth::test::profile_file("small");
  o.out_dir = a.path();
  run_profile(o);
  o.out_dir = b.path();
  run_profile(o);
  o.out_dir = c.path();
  o.seed = 8;
  run_profile(o);
  for (const char* f : {"2010-07/a1.pcap", "2010-07/a5.truth.csv", "2010-06/a9.pcap",
                        "2010-07/expected-report.json", "profile.json"})
    CHECK(synth::test::slurp(a.file(f)) == synth::test::slurp(b.file(f)));
  CHECK(synth::test::slurp(a.file("2010-07/a1.pcap")) !=
        synth::test::slurp(c.file("2010-07/a1.pcap")));
}

TEST_CASE("talot2-2010: July 2010 has the reference's totals exactly, June more",
          "[synth][profile][talot2]") {
  const auto& g = generated("talot2-2010");
  std::map<std::string, Totals> july_ports, june_ports;
  const auto jul = month_totals(g, "2010-07", &july_ports);
  const auto jun = month_totals(g, "2010-06", &june_ports);
  CHECK(jul.accesses == 116141);
  CHECK(jul.sources == 50845);
  // 375 accesses from 164 sources per sensor per day, as the reference rounds them.
  CHECK(std::lround(static_cast<double>(jul.accesses) / 310) == 375);
  CHECK(std::lround(static_cast<double>(jul.sources) / 310) == 164);
  CHECK(jun.accesses > jul.accesses);
  CHECK(static_cast<double>(jun.accesses) / 300 > static_cast<double>(jul.accesses) / 310);
  auto top = ranking(july_ports);
  top.resize(10);
  CHECK(top == std::vector<std::string>{"445/tcp", "1433/tcp", "135/tcp", "8/icmp", "139/tcp",
                                        "22/tcp", "23/tcp", "9415/tcp", "5060/udp",
                                        "27649/udp"});
  auto before = ranking(june_ports);
  before.resize(10);
  CHECK(std::count(before.begin(), before.end(), "5060/udp") == 0);
  CHECK(std::count(before.begin(), before.end(), "27649/udp") == 0);
  // Retrying scanners: more accesses than sources.
  CHECK(july_ports["445/tcp"].accesses > 2 * july_ports["445/tcp"].sources);
}

TEST_CASE("talot2-2010: 5060/udp begins on 9 July at several sensors", "[synth][profile][talot2]") {
  const auto& g = generated("talot2-2010");
  int onset_sensors = 0;
  for (const auto& id : sensor_ids(g)) {
    const auto daily = daily_sources(g.truth("2010-07", id), "udp", 5060);
    const auto [before, after] = before_and_from(daily, 9);
    INFO(id << " before=" << before << " after=" << after);
    CHECK(before <= 3);
    if (at(daily, july(9)) >= 5 && after >= 150) ++onset_sensors;
  }
  CHECK(onset_sensors == 6);
}

TEST_CASE("talot2-2010: 27649/udp surges at one sensor in early July", "[synth][profile][talot2]") {
  const auto& g = generated("talot2-2010");
  std::vector<std::string> surging;
  uint64_t total = 0, at_surge = 0;
  for (const auto& id : sensor_ids(g)) {
    uint64_t accesses = 0;
    for (const auto& [k, v] : g.truth("2010-07", id))
      if (std::get<1>(k) == "udp" && std::get<2>(k) == 27649 && std::get<4>(k) == "probe")
        accesses += v.accesses;
    total += accesses;
    const auto daily = daily_sources(g.truth("2010-07", id), "udp", 27649);
    if (at(daily, july(1)) >= 100 && at(daily, july(2)) >= 100) {
      surging.push_back(id);
      at_surge += accesses;
      uint64_t late = 0;
      for (int d = 10; d <= 31; ++d) late += at(daily, july(d));
      CHECK(late <= 10);  // over by mid-month
    }
  }
  REQUIRE(surging == std::vector<std::string>{"s04"});
  CHECK(static_cast<double>(at_surge) / static_cast<double>(total) >= 0.8);
}

TEST_CASE("talot2-2010: July's truth matches an independent recount of every sensor",
          "[synth][profile][talot2]") {
  const auto& g = generated("talot2-2010");
  uint64_t tagged = 0, double_tagged = 0;
  for (const auto& id : sensor_ids(g)) {
    const auto r = synth::test::recount(g.path("2010-07", id + ".pcap"), g.view(id), "Asia/Tokyo");
    const auto truth = g.truth("2010-07", id);
    INFO(id << '\n' << synth::test::describe_difference(truth, r.rows));
    CHECK(r.rows == truth);
    CHECK(r.out_of_order == 0);
    CHECK(r.first_sec >= 1277910000);  // 2010-07-01 00:00 JST
    CHECK(r.last_sec < 1280588400);    // 2010-08-01 00:00 JST
    CHECK(r.other_destination > 0);
    CHECK(r.ignored > 0);
    CHECK(r.own > 0);
    CHECK(r.non_ip > 0);
    if (id == "s03") {
      CHECK(r.vlan_single == r.packets);  // the trunk
    } else {
      tagged += r.vlan_single;
      double_tagged += r.vlan_double;
    }
  }
  CHECK(tagged > 100);
  CHECK(double_tagged > 20);
}

TEST_CASE("talot2-2010: every Tokyo midnight has packets in the second before and after, and "
          "rows that meet there",
          "[synth][profile][talot2]") {
  const auto& g = generated("talot2-2010");
  const auto r = synth::test::recount(g.path("2010-07", "s01.pcap"), g.view("s01"), "Asia/Tokyo");
  for (int64_t m = 1277910000 + 86400; m < 1280588400; m += 86400) {
    const int64_t us = m * 1'000'000;
    INFO("midnight " << m);
    const auto it = std::lower_bound(r.times_us.begin(), r.times_us.end(), us - 1'000'000);
    REQUIRE(it != r.times_us.end());
    CHECK(*it < us);
    const auto after = std::lower_bound(r.times_us.begin(), r.times_us.end(), us);
    REQUIRE(after != r.times_us.end());
    CHECK(*after < us + 1'000'000);
  }
  // A source seen in a day's last second comes back in the next day's first.
  const auto truth = g.truth("2010-07", "s01");
  size_t meeting = 0;
  for (const auto& [k, v] : truth) {
    if ((v.last + 9 * 3600) % 86400 != 86399) continue;  // ends at 23:59:59 JST
    auto next = k;
    std::get<0>(next) = base::format_day(*base::parse_day(std::get<0>(k)) + 1);
    const auto it = truth.find(next);
    meeting += it != truth.end() && (it->second.first + 9 * 3600) % 86400 == 0;
  }
  CHECK(meeting >= 25);
}

TEST_CASE("talot2-2010: 445/tcp comes from persistent worms and one-off sources alike",
          "[synth][profile][talot2]") {
  const auto& g = generated("talot2-2010");
  size_t persistent = 0, one_off = 0, total = 0;
  for (const auto& id : sensor_ids(g)) {
    std::map<std::string, std::set<std::string>> days_by_source;
    for (const auto& [k, v] : g.truth("2010-07", id))
      if (std::get<1>(k) == "tcp" && std::get<2>(k) == 445 && std::get<4>(k) == "probe")
        days_by_source[std::get<3>(k)].insert(std::get<0>(k));
    for (const auto& [src, days] : days_by_source) {
      persistent += days.size() >= 20;
      one_off += days.size() == 1;
      ++total;
    }
  }
  CHECK(persistent >= 30);  // about five per sensor
  CHECK(one_off > total / 2);
}
