// load_profile(): the profile's tables (one row per key, with its default
// and range) and the rules that span keys. The file is read through
// common/config's YamlReader and section tables, so a profile fails the way
// a daemon's configuration does: every error, located, at once.
#include <algorithm>
#include <set>

#include "common/config/section_table.h"
#include "daemon/synth/local_calendar.h"
#include "daemon/synth/profile.h"
#include "daemon/synth/profile_values.h"

namespace teiten::synth {
namespace {

using namespace config::detail;
using Kind = config::detail::Kind;  // not synth::Kind (probe, backscatter, other)

// The file as written; the rules turn it into a Profile.
struct RawProfile {
  std::string name;
  uint64_t seed = 0;
  std::string timezone;
  double ipv6_share = 0;
  YAML::Node rhythm;
};
struct RawMonth {
  std::string month;
  uint64_t accesses = 0, sources = 0;
};
struct RawSensor {
  std::string id, link, address, address6;
  uint32_t vlan = 0;
  std::vector<base::Prefix> ignore_sources;
  YAML::Node absent;
};
struct RawPort {
  YAML::Node port;
  double sources = 0, accesses_per_source = 0, repeat = 0;
  std::string population, payload;
  uint32_t pool = 0, regulars = 0, retransmits = 0, payload_length = 0;
  base::Duration gap{0};
  bool fragmented = false;
  YAML::Node sensors, months, rhythm;
};
struct RawEvent {
  std::string type, port, start, end;
  YAML::Node sensors, sources;
  double factor = 0;
};
struct RawDocument {
  RawProfile profile;
  YAML::Node months, sensors, populations, ports, events;
  Background background;
  std::string file;
  config::SourceMarks marks;
};

constexpr int64_t kMaxRate = 1'000'000;  // per sensor-day: far beyond any darknet

const Key<RawProfile> profile_keys[] = {
    {"name", &RawProfile::name, {.kind = Kind::name, .required = true}},
    {"seed", &RawProfile::seed, {Kind::count, "1"}},
    {"timezone", &RawProfile::timezone, {Kind::zone, "UTC"}},
    {"ipv6_share", &RawProfile::ipv6_share, {Kind::number, "0", 0, 1}},
    {"rhythm", &RawProfile::rhythm, {Kind::node}},
};

const Key<RawMonth> month_keys[] = {
    {"month", &RawMonth::month, {.kind = Kind::name, .required = true}},
    {"accesses", &RawMonth::accesses, {Kind::count, {}, 1}},
    {"sources", &RawMonth::sources, {Kind::count, {}, 1}},
};

const Key<RawSensor> sensor_keys[] = {
    {"id", &RawSensor::id, {.kind = Kind::sensor_id, .required = true}},
    {"link", &RawSensor::link, {Kind::name, "ethernet"}},
    {"address", &RawSensor::address, {Kind::name}},
    {"address6", &RawSensor::address6, {Kind::name}},
    {"vlan", &RawSensor::vlan, {Kind::count, {}, 1, 4094}},
    {"ignore_sources", &RawSensor::ignore_sources, {Kind::prefixes, "[]"}},
    {"absent", &RawSensor::absent, {Kind::node}},
};

const Key<RawPort> port_keys[] = {
    {"port", &RawPort::port, {.kind = Kind::node, .required = true}},
    {"sources", &RawPort::sources, {.kind = Kind::number, .max = kMaxRate, .required = true}},
    {"accesses_per_source", &RawPort::accesses_per_source, {Kind::number, "1", 1, 1000}},
    {"population", &RawPort::population, {.kind = Kind::name, .required = true}},
    {"repeat", &RawPort::repeat, {Kind::number, "0.3", 0, 1}},
    {"pool", &RawPort::pool, {Kind::count, "100", 1, 1'000'000}},
    {"regulars", &RawPort::regulars, {Kind::count, "0", 0, 1000}},
    {"retransmits", &RawPort::retransmits, {Kind::count, "1", 0, 2}},
    {"gap", &RawPort::gap, {Kind::duration, "20s", 1 * millisecond, 1 * hour}},
    {"payload", &RawPort::payload, {Kind::name, "zeros"}},
    {"payload_length", &RawPort::payload_length, {Kind::count, "0", 0, 200}},
    {"fragmented", &RawPort::fragmented, {Kind::flag, "false"}},
    {"sensors", &RawPort::sensors, {Kind::node}},
    {"months", &RawPort::months, {Kind::node}},
    {"rhythm", &RawPort::rhythm, {Kind::node}},
};

const Key<RawEvent> event_keys[] = {
    {"type", &RawEvent::type, {.kind = Kind::name, .required = true}},
    {"port", &RawEvent::port, {.kind = Kind::name, .required = true}},
    {"start", &RawEvent::start, {.kind = Kind::name, .required = true}},
    {"end", &RawEvent::end, {Kind::name}},
    {"sensors", &RawEvent::sensors, {Kind::node}},
    {"sources", &RawEvent::sources, {Kind::node}},
    {"factor", &RawEvent::factor, {Kind::number, {}, 0, 1000}},
};

const Key<Background> background_keys[] = {
    {"backscatter", &Background::backscatter, {Kind::number, "7", 0, kMaxRate}},
    {"other", &Background::other, {Kind::number, "2.6", 0, kMaxRate}},
    {"neighbors", &Background::neighbors, {Kind::number, "5", 0, kMaxRate}},
    {"own", &Background::own, {Kind::number, "1.5", 0, kMaxRate}},
    {"malformed", &Background::malformed, {Kind::number, "0.5", 0, kMaxRate}},
    {"management", &Background::management, {Kind::flag, "true"}},
    {"non_ip", &Background::non_ip, {Kind::flag, "true"}},
};

const std::vector<Section<RawDocument>>& sections() {
  static const std::vector<Section<RawDocument>> all = {
      map_section("profile", &RawDocument::profile, profile_keys, true),
      value_section<RawDocument>("months", &RawDocument::months,
                                 {.kind = Kind::node, .required = true}),
      value_section<RawDocument>("sensors", &RawDocument::sensors,
                                 {.kind = Kind::node, .required = true}),
      value_section<RawDocument>("populations", &RawDocument::populations,
                                 {.kind = Kind::node, .required = true}),
      value_section<RawDocument>("ports", &RawDocument::ports,
                                 {.kind = Kind::node, .required = true}),
      value_section<RawDocument>("events", &RawDocument::events, {Kind::node}),
      map_section("background", &RawDocument::background, background_keys),
  };
  return all;
}

/// Turns the written document into a Profile, reporting what does not fit.
class Rules {
 public:
  Rules(YamlReader& r, Profile& out) : r_(r), v_(r), out_(out) {}

  void apply(const RawDocument& doc) {
    profile(doc.profile);
    months(doc.months);
    sensors(doc.sensors);
    populations(doc.populations);
    ports(doc.ports);
    events(doc.events);
    out_.background = doc.background;
    for (const auto& [section, node] : {std::pair{"months", &doc.months}, {"sensors", &doc.sensors},
                                        {"ports", &doc.ports}})
      if (node->IsSequence() && node->size() == 0)
        r_.error_at_value(section, "the list is empty: a profile needs at least one");
  }

 private:
  bool written(const std::string& path) const { return r_.marks().positions.contains(path); }

  void profile(const RawProfile& p) {
    out_.name = p.name;
    out_.seed = p.seed;
    out_.timezone = p.timezone;
    out_.ipv6_share = p.ipv6_share;
    out_.rhythm.fill(1);
    if (p.rhythm.IsDefined() && !p.rhythm.IsNull())
      if (auto rhythm = v_.rhythm("profile.rhythm", p.rhythm)) out_.rhythm = *rhythm;
  }

  void months(const YAML::Node& list) {
    std::map<int32_t, int> seen;
    v_.each_map("months", list, std::span<const Key<RawMonth>>(month_keys),
                [&](const std::string& path, const RawMonth& m, const YAML::Node&) {
                  const bool a = written(path + ".accesses"), s = written(path + ".sources");
                  if (a != s)
                    r_.error_at_value(path + (a ? ".accesses" : ".sources"),
                                      "a target names both accesses and sources");
                  else if (a && m.accesses < m.sources)
                    r_.error_at_value(path + ".accesses",
                                      "fewer accesses (" + std::to_string(m.accesses) +
                                          ") than summed sources (" + std::to_string(m.sources) +
                                          "): each source makes at least one access");
                  if (r_.failed(path + ".month")) return;
                  const auto first = v_.month(path + ".month", m.month);
                  if (!first) return;
                  if (auto dup = seen.find(*first); dup != seen.end()) {
                    r_.error_at_value(path + ".month",
                                      "month " + m.month + " is listed twice (first at line " +
                                          std::to_string(dup->second) + ")");
                    return;
                  }
                  if (!out_.months.empty() && next_month(out_.months.back().first_day) != *first) {
                    r_.error_at_value(path + ".month", "months must follow one another: " +
                                                          m.month + " does not follow " +
                                                          out_.months.back().name);
                    return;
                  }
                  seen.emplace(*first, v_.line(path + ".month"));
                  ProfileMonth pm;
                  pm.first_day = *first;
                  pm.days = static_cast<uint32_t>(next_month(*first) - *first);
                  pm.name = m.month;
                  if (a && s) pm.accesses = m.accesses, pm.sources = m.sources;
                  out_.months.push_back(std::move(pm));
                });
  }

  void sensors(const YAML::Node& list) {
    std::map<std::string, int> seen;
    v_.each_map("sensors", list, std::span<const Key<RawSensor>>(sensor_keys),
                [&](const std::string& path, const RawSensor& s, const YAML::Node&) {
                  ProfileSensor ps;
                  ps.id = s.id;
                  if (!r_.failed(path + ".id") && !s.id.empty()) {
                    if (auto dup = seen.find(s.id); dup != seen.end())
                      r_.error_at_value(path + ".id", "sensor '" + s.id +
                                                          "' is listed twice (first at line " +
                                                          std::to_string(dup->second) + ")");
                    seen.emplace(s.id, v_.line(path + ".id"));
                  }
                  sensor_link(path, s, ps);
                  ps.ignore_sources = s.ignore_sources;
                  if (s.absent.IsDefined() && !s.absent.IsNull())
                    ps.absent_days = v_.days(path + ".absent", s.absent, out_.months);
                  out_.sensors.push_back(std::move(ps));
                });
  }

  void sensor_link(const std::string& path, const RawSensor& s, ProfileSensor& ps) {
    if (!s.address.empty()) ps.address = v_.address(path + ".address", s.address, base::Family::v4);
    if (!s.address6.empty())
      ps.address6 = v_.address(path + ".address6", s.address6, base::Family::v6);
    if (!written(path + ".address") && !written(path + ".address6"))
      r_.error_at_value(path, "a sensor needs an address, an address6 or both");
    if (r_.failed(path + ".link")) return;
    const auto link = parse_link_type(s.link);
    if (!link) {
      r_.error_at_value(path + ".link",
                        "unknown link type '" + s.link + "' (one of " + link_type_names() + ")");
      return;
    }
    ps.link = *link;
    const bool trunk = *link == LinkType::vlan || *link == LinkType::qinq;
    if (trunk && !written(path + ".vlan"))
      r_.error_at_value(path + ".link", "a " + s.link + " link needs a vlan id (vlan: 1..4094)");
    if (!trunk && written(path + ".vlan"))
      r_.error_at_value(path + ".vlan", "only vlan and qinq links carry a vlan id");
    ps.vlan = static_cast<uint16_t>(s.vlan);
    if (*link == LinkType::ipv4 && written(path + ".address6"))
      r_.error_at_value(path + ".address6", "an ipv4 link carries no IPv6");
    if (*link == LinkType::ipv6 && written(path + ".address"))
      r_.error_at_value(path + ".address", "an ipv6 link carries no IPv4");
  }

  void populations(const YAML::Node& map) {
    v_.each_entry("populations", map, [&](const std::string& path, const std::string& name,
                                          const YAML::Node&, const YAML::Node& value) {
      declared_populations_.insert(name);
      if (auto mix = v_.country_mix(path, value)) out_.populations.emplace(name, std::move(*mix));
    });
  }

  void ports(const YAML::Node& list) {
    std::map<PortType, int> seen;
    v_.each_map("ports", list, std::span<const Key<RawPort>>(port_keys),
                [&](const std::string& path, const RawPort& raw, const YAML::Node&) {
                  ProfilePort base = port_settings(path, raw);
                  for (const auto& [type, line] : v_.port_types(path + ".port", raw.port)) {
                    if (auto dup = seen.find(type); dup != seen.end()) {
                      r_.error_at_value(path + ".port", port_type_text(type) +
                                                            " is described twice (first at line " +
                                                            std::to_string(dup->second) + ")");
                      continue;
                    }
                    seen.emplace(type, line);
                    ProfilePort p = base;
                    p.type = type;
                    if (p.fragmented && type.proto != Proto::udp)
                      r_.error_at_value(path + ".fragmented",
                                        "only udp datagrams are sent fragmented here");
                    out_.ports.push_back(std::move(p));
                  }
                });
  }

  ProfilePort port_settings(const std::string& path, const RawPort& raw) {
    ProfilePort p;
    p.sources = raw.sources;
    p.accesses_per_source = raw.accesses_per_source;
    p.population = raw.population;
    if (!raw.population.empty() && !r_.failed("populations") &&
        !declared_populations_.contains(raw.population))
      r_.error_at_value(path + ".population", "unknown population '" + raw.population +
                                                  "' (populations: " + population_names() + ")");
    p.repeat = raw.repeat;
    p.pool = raw.pool;
    p.regulars = raw.regulars;
    p.retransmits = raw.retransmits;
    p.gap = static_cast<double>(raw.gap.count()) / 1000.0;
    if (auto payload = parse_payload(raw.payload))
      p.payload = *payload;
    else
      r_.error_at_value(path + ".payload", "unknown payload '" + raw.payload + "' (one of " +
                                               std::string(payload_names) + ")");
    p.payload_length = static_cast<uint16_t>(raw.payload_length);
    p.fragmented = raw.fragmented;
    if (raw.sensors.IsDefined() && !raw.sensors.IsNull())
      p.sensor_factor = v_.factors(path + ".sensors", raw.sensors, sensor_ids());
    std::vector<std::string_view> month_names;
    for (const auto& m : out_.months) month_names.push_back(m.name);
    if (raw.months.IsDefined() && !raw.months.IsNull())
      for (const auto& [name, f] : v_.factors(path + ".months", raw.months, month_names))
        for (const auto& m : out_.months)
          if (m.name == name) p.month_factor[m.first_day] = f;
    p.rhythm = out_.rhythm;
    if (raw.rhythm.IsDefined() && !raw.rhythm.IsNull())
      if (auto rhythm = v_.rhythm(path + ".rhythm", raw.rhythm)) p.rhythm = *rhythm;
    return p;
  }

  std::string population_names() const {
    std::string out;
    for (const auto& name : declared_populations_) out += (out.empty() ? "" : ", ") + name;
    return out;
  }

  /// The ids of the sensors read so far, each once (for factor maps).
  std::vector<std::string_view> sensor_ids() const {
    std::vector<std::string_view> ids;
    for (const auto& s : out_.sensors)
      if (!s.id.empty() && std::find(ids.begin(), ids.end(), s.id) == ids.end())
        ids.push_back(s.id);
    return ids;
  }

  void events(const YAML::Node& list) {
    if (!list.IsDefined() || list.IsNull()) return;
    v_.each_map("events", list, std::span<const Key<RawEvent>>(event_keys),
                [&](const std::string& path, const RawEvent& raw, const YAML::Node&) {
                  if (auto e = event(path, raw)) out_.events.push_back(std::move(*e));
                });
  }

  std::optional<ProfileEvent> event(const std::string& path, const RawEvent& raw);

  YamlReader& r_;
  ProfileValues v_;
  Profile& out_;
  std::set<std::string> declared_populations_;  ///< valid or not: no second error for them
};

std::optional<ProfileEvent> Rules::event(const std::string& path, const RawEvent& raw) {
  ProfileEvent e;
  bool ok = !r_.failed(path + ".type");
  if (raw.type == "onset") {
    e.type = EventType::onset;
  } else if (raw.type == "surge") {
    e.type = EventType::surge;
  } else if (raw.type == "rise") {
    e.type = EventType::rise;
  } else if (ok) {
    r_.error_at_value(path + ".type",
                      "unknown event type '" + raw.type + "' (one of onset, surge, rise)");
    ok = false;
  }

  std::string why;
  if (auto type = r_.failed(path + ".port") ? std::nullopt : parse_port_type(raw.port, why)) {
    const auto it = std::find_if(out_.ports.begin(), out_.ports.end(),
                                 [&](const ProfilePort& p) { return p.type == *type; });
    if (it == out_.ports.end())
      r_.error_at_value(path + ".port", port_type_text(*type) + " is not among the ports"), ok = false;
    else
      e.port = static_cast<size_t>(it - out_.ports.begin());
  } else {
    if (!r_.failed(path + ".port")) r_.error_at_value(path + ".port", why);
    ok = false;
  }
  if (auto day = r_.failed(path + ".start") ? std::nullopt
                                            : v_.day_in(path + ".start", raw.start, out_.months))
    e.start = *day;
  else
    ok = false;
  if (written(path + ".end")) {
    auto end = v_.day_in(path + ".end", raw.end, out_.months);
    if (end && *end < e.start)
      r_.error_at_value(path + ".end", "ends before it starts (" + raw.start + ")"), ok = false;
    e.end = end;
    ok = ok && end;
  }
  if (raw.sensors.IsDefined() && !raw.sensors.IsNull()) {
    auto ids = v_.sensor_list(path + ".sensors", raw.sensors, out_);
    if (ids)
      e.sensors = std::move(*ids);
    else
      ok = false;
  } else {
    for (size_t i = 0; i < out_.sensors.size(); ++i) e.sensors.push_back(i);
  }
  if (r_.failed(path + ".type")) return std::nullopt;

  // Each type reads its own magnitude; a key meant for another type is a mistake.
  const bool has_sources = written(path + ".sources"), has_factor = written(path + ".factor");
  switch (e.type) {
    case EventType::onset:
      if (has_factor) r_.error_at_value(path + ".factor", "an onset adds `sources`, not a factor");
      if (!has_sources)
        r_.error_at_value(path, "an onset needs `sources` (more sources per sensor-day)");
      else if (auto n = v_.number(path + ".sources", raw.sources, 0, kMaxRate))
        e.sources = *n;
      break;
    case EventType::surge:
      if (has_factor) r_.error_at_value(path + ".factor", "a surge adds `sources`, not a factor");
      if (e.sensors.size() != 1 && !r_.failed(path + ".sensors"))
        r_.error_at_value(written(path + ".sensors") ? path + ".sensors" : path,
                          "a surge happens at exactly one sensor (sensors: [ID])");
      if (e.end)
        r_.error_at_value(path + ".end", "a surge lasts as many days as its `sources` list");
      if (!has_sources)
        r_.error_at_value(path, "a surge needs `sources`: a list of sources per day");
      else if (auto daily = v_.number_list(path + ".sources", raw.sources, kMaxRate))
        e.daily = std::move(*daily);
      break;
    case EventType::rise:
      if (has_sources)
        r_.error_at_value(path + ".sources", "a rise multiplies by `factor`, it adds no sources");
      if (!has_factor)
        r_.error_at_value(path, "a rise needs `factor`");
      else
        e.factor = raw.factor;
      break;
  }
  if (e.type == EventType::surge && !e.daily.empty() && !out_.months.empty()) {
    const int32_t last = e.start + static_cast<int32_t>(e.daily.size()) - 1;
    const int32_t end = next_month(out_.months.back().first_day) - 1;
    if (last > end)
      r_.error_at_value(path + ".sources", "the surge runs past the last month (" +
                                               day_text(last) + ")");
    e.end = last;
  }
  if (!ok || r_.failed(path + ".sources") || r_.failed(path + ".factor")) return std::nullopt;
  return e;
}

}  // namespace

std::vector<config::KeyInfo> profile_keys() {
  std::vector<config::KeyInfo> out;
  for (auto& k : describe_sections<RawDocument>(sections())) {
    out.push_back(k);
    // A list of maps: its items' keys follow it, as "months[].month".
    auto items = [&](const auto& keys) {
      for (const auto& row : keys)
        out.push_back(describe_key(k.path + "[]." + std::string(row.name), row.spec));
    };
    if (k.path == "months") items(month_keys);
    if (k.path == "sensors") items(sensor_keys);
    if (k.path == "ports") items(port_keys);
    if (k.path == "events") items(event_keys);
  }
  return out;
}

Profile load_profile(const std::string& path) {
  Profile out;
  RawDocument doc = load_document<RawDocument>(
      YamlReader(path), sections(), [&](YamlReader& r, RawDocument& d) { Rules(r, out).apply(d); });
  out.file = path;
  out.marks = std::move(doc.marks);
  return out;
}

}  // namespace teiten::synth
