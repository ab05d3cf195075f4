#include "daemon/synth/fleet_scenario.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "daemon/synth/capture_file.h"
#include "daemon/synth/local_calendar.h"
#include "daemon/synth/sensor_traffic.h"

namespace teiten::synth {
namespace {

constexpr const char* kBlocks[] = {"192.0.2.", "198.51.100.", "203.0.113."};
constexpr uint32_t kMaxSensors = 200;
constexpr uint32_t kTrunkSensor = 2;  // s03

base::IpAddress parse(const std::string& text) {
  return *base::IpAddress::parse(text);
}

void write_fleet_yaml(const std::string& path, const std::vector<FleetSensor>& sensors,
                      const SynthOptions& o, const std::string& zone) {
  YAML::Emitter y;
  y << YAML::Comment(
      "teiten-synth fleet: the ground truth of each sNN.pcap assumes a sensor config with\n"
      "sensor.id = id, sensor.timezone = timezone, capture.observed = observed and\n"
      "capture.ignore_sources = ignore_sources. Frames that must not count: to `neighbors`,\n"
      "from the sensor's own addresses, from ignore_sources, and ARP.");
  y << YAML::BeginMap;
  y << YAML::Key << "month" << YAML::Value << o.month;
  y << YAML::Key << "timezone" << YAML::Value << zone;
  y << YAML::Key << "seed" << YAML::Value << o.seed;
  y << YAML::Key << "scale" << YAML::Value << o.scale;
  y << YAML::Key << "sensors" << YAML::Value << YAML::BeginSeq;
  for (const auto& s : sensors) {
    const SensorView view = s.view();
    y << YAML::BeginMap;
    y << YAML::Key << "id" << YAML::Value << s.id;
    y << YAML::Key << "address" << YAML::Value << s.address.to_string();
    y << YAML::Key << "address6" << YAML::Value << s.address6.to_string();
    y << YAML::Key << "observed" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& n : view.observed) y << n.to_string();
    y << YAML::EndSeq;
    y << YAML::Key << "ignore_sources" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& n : view.ignore_sources) y << n.to_string();
    y << YAML::EndSeq;
    y << YAML::Key << "neighbors" << YAML::Value << YAML::Flow << YAML::BeginSeq
      << s.neighbor.to_string() << s.neighbor6.to_string() << YAML::EndSeq;
    y << YAML::Key << "vlan" << YAML::Value << s.vlan;
    y << YAML::Key << "pcap" << YAML::Value << s.id + ".pcap";
    y << YAML::Key << "truth" << YAML::Value << s.id + ".truth.csv";
    y << YAML::Key << "summary" << YAML::Value << s.id + ".summary.json";
    y << YAML::EndMap;
  }
  y << YAML::EndSeq << YAML::EndMap;
  std::ofstream out(path, std::ios::binary);
  out << y.c_str() << '\n';
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

SensorView FleetSensor::view() const {
  return SensorView{{Net{address, 32}, Net{address6, 128}}, {management}};
}

std::vector<FleetSensor> fleet_sensors(uint32_t count) {
  if (count < 1 || count > kMaxSensors) throw std::runtime_error("--sensors must be in 1..200");
  std::vector<FleetSensor> out;
  for (uint32_t i = 0; i < count; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "s%02u", i + 1);
    const std::string block = kBlocks[i % 3];
    FleetSensor s;
    s.id = id;
    s.address = parse(block + std::to_string(10 + i));
    s.neighbor = parse(block + "250");
    s.router = parse(block + "1");
    s.address6 = parse("2001:db8:0:" + std::to_string(i + 1) + "::10");
    s.neighbor6 = parse("2001:db8:0:" + std::to_string(i + 1) + "::250");
    s.management = Net{base::IpAddress::v4(10u << 24 | (i + 1) << 16), 16};
    s.vlan = i == kTrunkSensor ? static_cast<uint16_t>(200 + i + 1) : 0;
    out.push_back(std::move(s));
  }
  return out;
}

nlohmann::ordered_json run_fleet(const SynthOptions& o) {
  // A sensor's month is held in memory to be sorted: scale 100 is ~1.5M packets.
  if (!(o.scale > 0 && o.scale <= 100)) throw std::runtime_error("--scale must be in (0, 100]");
  const std::string zone = o.timezone.empty() ? "Asia/Tokyo" : o.timezone;
  const LocalCalendar calendar(zone);
  FleetMonth month;
  month.first_day = parse_month_option(o.month);
  month.days = static_cast<uint32_t>(next_month(month.first_day) - month.first_day);
  month.start = calendar.day_start(month.first_day);
  month.end = calendar.day_start(next_month(month.first_day));

  const std::vector<FleetSensor> sensors = fleet_sensors(o.sensors);
  make_output_dir(o.out_dir);
  const ScannerPools pools = make_scanner_pools(o.seed, o.scale);

  nlohmann::ordered_json fleet;
  fleet["scenario"] = "fleet";
  fleet["month"] = o.month;
  fleet["timezone"] = zone;
  fleet["seed"] = o.seed;
  fleet["scale"] = o.scale;
  fleet["days"] = month.days;
  uint64_t accesses = 0, sources = 0, probes = 0, probe_sources = 0;
  for (uint32_t i = 0; i < sensors.size(); ++i) {
    const FleetSensor& sensor = sensors[i];
    SensorTraffic traffic(sensor, i, o.sensors, o.seed, o.scale, pools, calendar, month);
    const std::vector<PacketSpec> specs = traffic.generate();
    CaptureFile file(o.out_dir, sensor.id, sensor.view(), zone, o.truth);
    for (const PacketSpec& s : specs) file.add(s);
    const nlohmann::ordered_json summary = file.finish({{"scenario", "fleet"},
                                                        {"sensor", sensor.id},
                                                        {"month", o.month},
                                                        {"seed", o.seed},
                                                        {"scale", o.scale}});
    for (const char* kind : {"probe", "backscatter", "other"}) {
      accesses += summary["accesses"][kind].get<uint64_t>();
      sources += summary["rows"][kind].get<uint64_t>();
    }
    probes += summary["accesses"]["probe"].get<uint64_t>();
    probe_sources += summary["rows"]["probe"].get<uint64_t>();
    fleet["sensors"].push_back({{"id", sensor.id},
                                {"packets_written", summary["packets_written"]},
                                {"packets_counted", summary["packets_counted"]},
                                {"accesses", summary["accesses"]},
                                {"summed_sources", summary["rows"]},
                                {"distinct_rows", summary["distinct_rows"]}});
  }
  const double sensor_days = static_cast<double>(sensors.size()) * month.days;
  fleet["totals"] = {{"accesses", accesses},
                     {"summed_sources", sources},
                     {"probe_accesses", probes},
                     {"probe_summed_sources", probe_sources}};
  fleet["per_sensor_per_day"] = {
      {"accesses", static_cast<double>(accesses) / sensor_days},
      {"sources", static_cast<double>(sources) / sensor_days},
      {"probe_accesses", static_cast<double>(probes) / sensor_days},
      {"probe_sources", static_cast<double>(probe_sources) / sensor_days}};
  write_json(o.out_dir + "/fleet.summary.json", fleet);
  write_fleet_yaml(o.out_dir + "/fleet.yaml", sensors, o, zone);
  return fleet;
}

}  // namespace teiten::synth
