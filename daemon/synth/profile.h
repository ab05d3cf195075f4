// teiten::synth::Profile — a fleet's traffic as a YAML profile describes it
// (config/synth/*.yaml, documented in docs/synth.md): months with exact
// targets, sensors with their link types and addresses, port types with
// weights, per-sensor and per-month factors and a daily rhythm, source
// populations by country, events, and the background traffic that is not
// an access.
//
// load_profile() reads the file with common/config's strict reader: every
// key belongs to a table, unknown keys are errors, and every error comes
// back at once as ConfigErrors with FILE:LINE:COLUMN (a YAML syntax error
// stops at the first). It knows nothing of geolocation or packets; the
// planner (month_plan.h) and the generator read the plain data here.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/base/prefix.h"
#include "common/config/key_info.h"
#include "common/config/sensor_config.h"  // SourceMarks
#include "daemon/synth/ground_truth.h"    // Proto
#include "daemon/synth/link_type.h"
#include "daemon/synth/packet_spec.h"     // Payload

namespace teiten::synth {

/// A port type that can be an access (probe): tcp or udp port, ICMP echo
/// request, timestamp, information or address mask request, ICMPv6 echo.
struct PortType {
  Proto proto = Proto::tcp;
  uint16_t port = 0;
  auto operator<=>(const PortType&) const = default;
};
/// "445/tcp", "5060/udp", "8/icmp", "128/icmpv6"; nullopt with `why` set
/// for anything else, including ICMP types that are never probes.
std::optional<PortType> parse_port_type(const std::string& text, std::string& why);
/// "445/tcp", "8/icmp": the profile's own notation (not the report's label).
std::string port_type_text(PortType p);

struct ProfileMonth {
  int32_t first_day = 0;  ///< local day number of the 1st
  uint32_t days = 0;
  std::string name;  ///< "2010-07"
  /// Exact fleet totals of accesses (probes) and summed sources; absent:
  /// whatever the weights add up to.
  std::optional<uint64_t> accesses, sources;
};

struct ProfileSensor {
  std::string id;
  LinkType link = LinkType::ethernet;
  std::optional<base::IpAddress> address;   ///< observed IPv4 address
  std::optional<base::IpAddress> address6;  ///< observed IPv6 address
  uint16_t vlan = 0;                        ///< vlan and qinq links: the inner tag
  std::vector<base::Prefix> ignore_sources;
  std::vector<int32_t> absent_days;  ///< sorted local days without any capture
  bool has_family(base::Family f) const {
    return f == base::Family::v4 ? address.has_value() : address6.has_value();
  }
};

/// Relative weights of source countries (ISO 3166 alpha-2 codes).
using CountryMix = std::vector<std::pair<std::string, double>>;

struct ProfilePort {
  // Defaults live in the loader's table (docs/synth.md lists them).
  PortType type;
  double sources = 0;              ///< mean summed sources per sensor-day before the targets
  double accesses_per_source = 1;  ///< mean accesses per (day, sensor, source)
  std::string population;          ///< a key of Profile::populations
  double repeat = 0;               ///< share of sources drawn from the fleet-wide pool
  uint32_t pool = 1;               ///< repeat scanners, fleet-wide
  uint32_t regulars = 0;           ///< per sensor, sources back almost every day
  uint32_t retransmits = 0;        ///< tcp: up to this many SYN retransmissions per attempt
  double gap = 1;                  ///< mean seconds between a source's attempts
  Payload payload = Payload::zeros;
  uint16_t payload_length = 0;
  bool fragmented = false;  ///< udp: each datagram in two fragments (the second is "other")
  std::map<std::string, double> sensor_factor;  ///< by sensor id; absent: 1
  std::map<int32_t, double> month_factor;       ///< by month first day; absent: 1
  std::array<double, 24> rhythm{};              ///< hour-of-day weights (the profile's if unset)
};

enum class EventType : uint8_t {
  onset,  ///< from `start`, `sources` more per day at each listed sensor
  surge,  ///< at one sensor, day by day from `start`: `daily` more sources
  rise,   ///< from `start` (to `end`), the port's baseline times `factor` at the listed sensors
};
std::string_view event_type_name(EventType t);

struct ProfileEvent {
  EventType type = EventType::onset;
  size_t port = 0;              ///< index into Profile::ports
  int32_t start = 0;            ///< local day
  std::optional<int32_t> end;   ///< last local day (inclusive); absent: open
  std::vector<size_t> sensors;  ///< indexes into Profile::sensors; all when not written
  double sources = 0;           ///< onset
  std::vector<double> daily;    ///< surge
  double factor = 1;            ///< rise
  bool active(int32_t day) const { return day >= start && (!end || day <= *end); }
};

/// Traffic that is not an access, per sensor-day (Poisson means), and
/// frames that must not count at all. Defaults live in the loader's table.
struct Background {
  double backscatter = 0;  ///< victim incidents (SYN-ACK, RST, ICMP errors, DNS answers)
  double other = 0;        ///< TCP without SYN, other protocols, other ICMP types
  double neighbors = 0;    ///< probes to addresses next to the sensor's (not observed)
  double own = 0;          ///< the sensor's own packets (outgoing in cooked captures)
  double malformed = 0;    ///< frames with a header cut short or invalid
  bool management = false;  ///< SNMP polls and an SSH login from ignore_sources
  bool non_ip = false;      ///< ARP (on links that carry it)
};

struct Profile {
  std::string file;
  std::string name;
  uint64_t seed = 1;
  std::string timezone = "UTC";
  double ipv6_share = 0;          ///< of tcp/udp sources at sensors with an IPv6 address
  std::array<double, 24> rhythm{};  ///< hour-of-day weights (local time)
  std::vector<ProfileMonth> months;
  std::vector<ProfileSensor> sensors;
  std::map<std::string, CountryMix> populations;
  std::vector<ProfilePort> ports;
  std::vector<ProfileEvent> events;
  Background background;
  config::SourceMarks marks;  ///< where each key was, for errors found later

  size_t sensor_index(const std::string& id) const;  ///< sensors.size() when unknown
};

/// Reads and checks a profile. Throws config::ConfigErrors with every
/// problem found, located.
Profile load_profile(const std::string& path);

/// Every key of a profile with its default and range, from the loader's
/// tables ("profile.seed", "ports[].gap", ...), for docs/synth.md's table.
std::vector<config::KeyInfo> profile_keys();

}  // namespace teiten::synth
