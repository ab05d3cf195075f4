// teiten::synth::ProfileValues — the profile's composite values (lists of
// maps, maps of factors, day lists, rhythms, port types), read through
// common/config's YamlReader so that their errors are located and
// collected like every other key's. Internal to the profile loader.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/section_table.h"
#include "daemon/synth/profile.h"

namespace teiten::synth {

inline constexpr std::string_view payload_names = "zeros, ping, sip, random, service";
std::optional<Payload> parse_payload(std::string_view name);

class ProfileValues {
 public:
  explicit ProfileValues(config::detail::YamlReader& r) : r_(r) {}

  /// Reads each item of a list of maps through `keys` ("PATH[i]" paths)
  /// and hands it to `visit`; reports a value that is not a list.
  template <class S, class Visit>
  void each_map(const std::string& path, const YAML::Node& list,
                std::span<const config::detail::Key<S>> keys, Visit&& visit) {
    if (!is_list(path, list, "a list of maps")) return;
    size_t i = 0;
    for (const auto& item : list) {
      const std::string item_path = path + "[" + std::to_string(i++) + "]";
      S value{};
      remember(item_path, item.Mark());
      config::detail::read_section(r_, item_path, &item, item.Mark(), keys, value);
      visit(item_path, value, item);
    }
  }
  /// Visits each entry of a map whose keys are free names ("PATH.KEY").
  void each_entry(const std::string& path, const YAML::Node& map,
                  const std::function<void(const std::string& path, const std::string& name,
                                           const YAML::Node& key, const YAML::Node& value)>&
                      visit);

  /// 1-based line where `path` was written; 0 when it was not.
  int line(const std::string& path) const;

  std::optional<int32_t> month(const std::string& path, const std::string& text);
  /// A day "YYYY-MM-DD" inside one of the months.
  std::optional<int32_t> day_in(const std::string& path, const std::string& text,
                                const std::vector<ProfileMonth>& months);
  /// A list of days and ranges "FROM..TO", each inside the months; sorted, unique.
  std::vector<int32_t> days(const std::string& path, const YAML::Node& list,
                            const std::vector<ProfileMonth>& months);
  std::optional<base::IpAddress> address(const std::string& path, const std::string& text,
                                         base::Family family);
  std::optional<CountryMix> country_mix(const std::string& path, const YAML::Node& map);
  /// One port type or a list of them, with the line each was written on.
  std::vector<std::pair<PortType, int>> port_types(const std::string& path,
                                                   const YAML::Node& value);
  /// A map from the allowed names to factors (>= 0).
  std::map<std::string, double> factors(const std::string& path, const YAML::Node& map,
                                        std::span<const std::string_view> allowed);
  std::optional<std::array<double, 24>> rhythm(const std::string& path, const YAML::Node& list);
  std::optional<double> number(const std::string& path, const YAML::Node& value, int64_t min,
                               int64_t max);
  std::optional<std::vector<double>> number_list(const std::string& path, const YAML::Node& list,
                                                 int64_t max);
  /// Sensor ids, each known and listed once, as indexes into profile.sensors.
  std::optional<std::vector<size_t>> sensor_list(const std::string& path, const YAML::Node& list,
                                                 const Profile& profile);

 private:
  /// Visits each item of a list ("PATH[i]"); false when the value is not a
  /// list, is empty, or a visit returned false (having said why).
  bool each_item(const std::string& path, const YAML::Node& list, const char* what,
                 const std::function<bool(const std::string& item_path, const YAML::Node& item)>&
                     visit);
  bool is_list(const std::string& path, const YAML::Node& node, const char* what);
  void remember(const std::string& path, const YAML::Mark& at);

  config::detail::YamlReader& r_;
};

}  // namespace teiten::synth
