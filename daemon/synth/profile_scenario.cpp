#include "daemon/synth/profile_scenario.h"

#include <stdexcept>

#include "daemon/synth/background_traffic.h"
#include "daemon/synth/capture_file.h"
#include "daemon/synth/country_networks.h"
#include "daemon/synth/fleet_sources.h"
#include "daemon/synth/local_calendar.h"
#include "daemon/synth/month_plan.h"
#include "daemon/synth/probe_traffic.h"
#include "daemon/synth/profile.h"
#include "daemon/synth/report_truth.h"
#include "daemon/synth/source_geography.h"

namespace teiten::synth {
namespace {

constexpr uint64_t kSensorStream = 4;

SensorView view_of(const ProfileSensor& s) {
  SensorView v;
  if (s.address) v.observed.push_back({*s.address, 32});
  if (s.address6) v.observed.push_back({*s.address6, 128});
  for (const auto& p : s.ignore_sources) v.ignore_sources.push_back({p.address, p.length});
  return v;
}

nlohmann::ordered_json strings(const std::vector<Net>& nets) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& n : nets) out.push_back(n.to_string());
  return out;
}

std::vector<PacketSpec> sensor_month(const Profile& profile, const MonthPlan& plan,
                                     const FleetSources& sources, size_t sensor,
                                     const LocalCalendar& calendar) {
  const ProfileMonth& m = profile.months[plan.month];
  const ProfileSensor& ps = profile.sensors[sensor];
  SensorPackets out(ps, sensor);
  Rng rng(profile.seed, stream_of(kSensorStream, plan.month, sensor));
  ProbeTraffic probes(profile, plan, sources, out, rng);
  BackgroundTraffic background(profile, sources, out, rng);
  for (uint32_t d = 0; d < m.days; ++d) {
    const int32_t day = m.first_day + static_cast<int32_t>(d);
    if (std::binary_search(ps.absent_days.begin(), ps.absent_days.end(), day)) continue;
    const Micros from = calendar.day_start(day) * kSecond;
    const Micros to = calendar.day_start(day + 1) * kSecond;
    out.set_day(from, to);
    probes.day(d, from, to);
    background.day(from, to);
  }
  return out.finish(rng);
}

nlohmann::ordered_json fleet_json(const Profile& profile) {
  nlohmann::ordered_json sensors = nlohmann::ordered_json::array();
  for (const auto& s : profile.sensors) {
    const SensorView v = view_of(s);
    auto absent = nlohmann::ordered_json::array();
    for (int32_t d : s.absent_days) absent.push_back(day_text(d));
    sensors.push_back({{"id", s.id},
                       {"link", link_type_name(s.link)},
                       {"linktype", pcap_linktype(s.link)},
                       {"address", s.address ? s.address->to_string() : ""},
                       {"address6", s.address6 ? s.address6->to_string() : ""},
                       {"observed", strings(v.observed)},
                       {"ignore_sources", strings(v.ignore_sources)},
                       {"absent", absent}});
  }
  return sensors;
}

}  // namespace

nlohmann::ordered_json run_profile(const ProfileOptions& o) {
  Profile profile = load_profile(o.file);
  if (o.seed) profile.seed = *o.seed;
  std::vector<MonthPlan> plans;
  for (size_t m = 0; m < profile.months.size(); ++m) plans.push_back(plan_month(profile, m, plans));
  const geo::LibLocDatabase database;
  const CountryNetworks networks = profile_networks(profile, database);
  const auto locator = geo::open_locator();
  // Scanning hosts sit in routed networks: no source from space without an AS.
  const FleetSources sources(profile, networks, [&locator](const base::IpAddress& a) {
    return locator->lookup(a).asn != 0;
  });

  nlohmann::ordered_json summary;
  summary["profile"] = profile.name;
  summary["file"] = o.file;
  summary["seed"] = profile.seed;
  summary["timezone"] = profile.timezone;
  summary["sensors"] = fleet_json(profile);
  summary["months"] = nlohmann::ordered_json::array();
  if (!o.check_only) make_output_dir(o.out_dir);

  const LocalCalendar calendar(profile.timezone);
  ReportTruth report(profile, place_lookup(*locator));
  for (const MonthPlan& plan : plans) {
    const ProfileMonth& m = profile.months[plan.month];
    nlohmann::ordered_json month = {{"month", m.name},
                                    {"days", m.days},
                                    {"accesses", plan.total_accesses},
                                    {"sources", plan.total_sources}};
    if (!o.check_only) {
      const std::string dir = o.out_dir + "/" + m.name;
      make_output_dir(dir);
      uint64_t accesses = 0, rows = 0;
      auto files = nlohmann::ordered_json::array();
      for (size_t s = 0; s < profile.sensors.size(); ++s) {
        const ProfileSensor& ps = profile.sensors[s];
        const auto specs = sensor_month(profile, plan, sources, s, calendar);
        CaptureFile file(dir, ps.id, view_of(ps), profile.timezone, o.truth,
                         PacketBuilder(ps.link));
        for (const PacketSpec& spec : specs) file.add(spec);
        const auto j = file.finish({{"profile", profile.name},
                                    {"sensor", ps.id},
                                    {"month", m.name},
                                    {"seed", profile.seed},
                                    {"link", link_type_name(ps.link)}});
        report.add(s, file.truth());
        accesses += j["accesses"]["probe"].get<uint64_t>();
        rows += j["rows"]["probe"].get<uint64_t>();
        files.push_back(m.name + "/" + ps.id + ".pcap");
      }
      // The plan is the promise: a generator that misses it is broken.
      if (accesses != plan.total_accesses || rows != plan.total_sources)
        throw std::logic_error("teiten-synth missed its plan for " + m.name + ": " +
                               std::to_string(accesses) + " accesses and " +
                               std::to_string(rows) + " summed sources, planned " +
                               std::to_string(plan.total_accesses) + " and " +
                               std::to_string(plan.total_sources));
      month["files"] = files;
    }
    summary["months"].push_back(month);
  }
  if (!o.check_only) {
    // Written once every month is in: the report of a month looks at the
    // months before it and at the database's whole span.
    for (size_t m = 0; m < profile.months.size(); ++m)
      write_json(o.out_dir + "/" + profile.months[m].name + "/expected-report.json",
                 report.month(m));
    write_json(o.out_dir + "/profile.json", summary);
  }
  return summary;
}

}  // namespace teiten::synth
