#include "daemon/synth/profile_values.h"

#include <algorithm>
#include <map>
#include <set>

#include "daemon/synth/local_calendar.h"

namespace teiten::synth {
namespace {

// A decimal in [min, max], read by common/config like any other number.
config::detail::Spec number_spec(int64_t min, int64_t max) {
  return {config::detail::Kind::number, {}, min, max};
}

bool is_country_code(const std::string& s) {
  return s.size() == 2 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string range_of(const std::vector<ProfileMonth>& months) {
  return day_text(months.front().first_day) + ".." +
         day_text(next_month(months.back().first_day) - 1);
}

}  // namespace

std::optional<Payload> parse_payload(std::string_view name) {
  if (name == "zeros") return Payload::zeros;
  if (name == "ping") return Payload::ping_windows;
  if (name == "sip") return Payload::sip_options;
  if (name == "random") return Payload::random;
  if (name == "service") return Payload::service;
  return std::nullopt;
}

void ProfileValues::remember(const std::string& path, const YAML::Mark& at) {
  if (!at.is_null() && at.line >= 0)
    r_.marks().positions.emplace(path, std::pair{at.line + 1, at.column + 1});
}

int ProfileValues::line(const std::string& path) const {
  const auto& positions = r_.marks().positions;
  const auto it = positions.find(path);
  return it == positions.end() ? 0 : it->second.first;
}

bool ProfileValues::is_list(const std::string& path, const YAML::Node& node, const char* what) {
  if (node.IsSequence()) return true;
  r_.error_at_value(path, std::string("expected ") + what + ", found " +
                              config::detail::describe_node(node));
  return false;
}

void ProfileValues::each_entry(
    const std::string& path, const YAML::Node& map,
    const std::function<void(const std::string&, const std::string&, const YAML::Node&,
                             const YAML::Node&)>& visit) {
  if (!map.IsMap()) {
    r_.error_at_value(path, "expected a map, found " + config::detail::describe_node(map));
    return;
  }
  std::map<std::string, int> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      r_.error(path, key.Mark(), "keys must be plain names, found " +
                                     config::detail::describe_node(key));
      continue;
    }
    const std::string entry = path + "." + key.Scalar();
    if (auto first = seen.find(key.Scalar()); first != seen.end()) {
      r_.error(entry, key.Mark(),
               "duplicate key (first at line " + std::to_string(first->second) + ")");
      continue;
    }
    seen.emplace(key.Scalar(), key.Mark().line + 1);
    remember(entry, key.Mark());
    visit(entry, key.Scalar(), key, it->second);
  }
}

std::optional<int32_t> ProfileValues::month(const std::string& path, const std::string& text) {
  try {
    return parse_month_option(text);
  } catch (const std::exception&) {
    r_.error_at_value(path, "'" + text + "' is not a month (YYYY-MM)");
    return std::nullopt;
  }
}

std::optional<int32_t> ProfileValues::day_in(const std::string& path, const std::string& text,
                                             const std::vector<ProfileMonth>& months) {
  int32_t day = 0;
  try {
    day = parse_day_option(text);
  } catch (const std::exception&) {
    r_.error_at_value(path, "'" + text + "' is not a day (YYYY-MM-DD)");
    return std::nullopt;
  }
  if (months.empty()) return std::nullopt;  // the months' own error says why
  if (day < months.front().first_day || day >= next_month(months.back().first_day)) {
    r_.error_at_value(path, text + " is outside the profile's months (" + range_of(months) + ")");
    return std::nullopt;
  }
  return day;
}

std::vector<int32_t> ProfileValues::days(const std::string& path, const YAML::Node& list,
                                         const std::vector<ProfileMonth>& months) {
  std::set<int32_t> out;
  if (!is_list(path, list, "a list of days (YYYY-MM-DD or FROM..TO)")) return {};
  size_t i = 0;
  for (const auto& item : list) {
    const std::string item_path = path + "[" + std::to_string(i++) + "]";
    if (!item.IsScalar()) {
      r_.error(item_path, item.Mark(), "expected a day or a range FROM..TO, found " +
                                           config::detail::describe_node(item));
      continue;
    }
    remember(item_path, item.Mark());
    const std::string& text = item.Scalar();
    const auto dots = text.find("..");
    const std::string from = text.substr(0, dots);
    const std::string to = dots == std::string::npos ? from : text.substr(dots + 2);
    // Errors go to the item itself: day_in() reports at a recorded value.
    auto at_item = [&](const std::string& t) -> std::optional<int32_t> {
      try {
        const int32_t d = parse_day_option(t);
        if (!months.empty() && d >= months.front().first_day &&
            d < next_month(months.back().first_day))
          return d;
        r_.error(item_path, item.Mark(),
                 t + " is outside the profile's months" +
                     (months.empty() ? std::string() : " (" + range_of(months) + ")"));
      } catch (const std::exception&) {
        r_.error(item_path, item.Mark(), "'" + t + "' is not a day (YYYY-MM-DD)");
      }
      return std::nullopt;
    };
    const auto a = at_item(from);
    const auto b = dots == std::string::npos ? a : at_item(to);
    if (!a || !b) continue;
    if (*b < *a) {
      r_.error(item_path, item.Mark(), "the range " + text + " ends before it starts");
      continue;
    }
    for (int32_t d = *a; d <= *b; ++d) out.insert(d);
  }
  return {out.begin(), out.end()};
}

std::optional<base::IpAddress> ProfileValues::address(const std::string& path,
                                                      const std::string& text,
                                                      base::Family family) {
  const auto a = base::IpAddress::parse(text);
  if (!a || a->family != family) {
    r_.error_at_value(path, "'" + text + "' is not an " +
                                (family == base::Family::v4 ? "IPv4" : "IPv6") + " address");
    return std::nullopt;
  }
  return a;
}

std::optional<CountryMix> ProfileValues::country_mix(const std::string& path,
                                                     const YAML::Node& map) {
  CountryMix mix;
  double total = 0;
  bool ok = map.IsMap();
  each_entry(path, map,
             [&](const std::string& entry, const std::string& code, const YAML::Node& key,
                 const YAML::Node& value) {
               if (!is_country_code(code)) {
                 r_.error(entry, key.Mark(),
                          "'" + code + "' is not a country code (two capital letters, ISO 3166)");
                 ok = false;
                 return;
               }
               if (auto w = r_.read(entry, number_spec(0, 1'000'000), value, key.Mark())) {
                 mix.emplace_back(code, std::get<double>(*w));
                 total += std::get<double>(*w);
               } else {
                 ok = false;
               }
             });
  if (ok && total <= 0) {
    r_.error_at_value(path, "a population needs at least one country with a weight above 0");
    ok = false;
  }
  return ok ? std::optional(std::move(mix)) : std::nullopt;
}

std::vector<std::pair<PortType, int>> ProfileValues::port_types(const std::string& path,
                                                                const YAML::Node& value) {
  std::vector<std::pair<PortType, int>> out;
  auto one = [&](const std::string& item_path, const YAML::Node& item) {
    std::string why;
    if (!item.IsScalar()) {
      r_.error(item_path, item.Mark(),
               "expected a port type, found " + config::detail::describe_node(item));
    } else if (auto p = parse_port_type(item.Scalar(), why)) {
      out.emplace_back(*p, item.Mark().line + 1);
    } else {
      r_.error(item_path, item.Mark(), why);
    }
  };
  if (value.IsSequence()) {
    if (value.size() == 0) r_.error_at_value(path, "the list of port types is empty");
    size_t i = 0;
    for (const auto& item : value) one(path + "[" + std::to_string(i++) + "]", item);
  } else if (value.IsScalar()) {
    one(path, value);
  } else {
    r_.error_at_value(path, "expected a port type or a list of them, found " +
                                config::detail::describe_node(value));
  }
  return out;
}

std::map<std::string, double> ProfileValues::factors(const std::string& path,
                                                     const YAML::Node& map,
                                                     std::span<const std::string_view> allowed) {
  std::map<std::string, double> out;
  if (!map.IsMap()) {
    r_.error_at_value(path, "expected a map of factors, found " +
                                config::detail::describe_node(map));
    return out;
  }
  r_.walk_map(path, map, allowed,
              [&](const std::string& key_path, std::string_view name, const YAML::Node& key,
                  const YAML::Node& value) {
                if (auto v = r_.read(key_path, number_spec(0, 1000), value, key.Mark()))
                  out.emplace(std::string(name), std::get<double>(*v));
              });
  return out;
}

std::optional<std::array<double, 24>> ProfileValues::rhythm(const std::string& path,
                                                            const YAML::Node& list) {
  auto values = number_list(path, list, 1'000'000);
  if (!values) return std::nullopt;
  if (values->size() != 24) {
    r_.error_at_value(path, "a rhythm has 24 weights, one per hour from 00:00; found " +
                                std::to_string(values->size()));
    return std::nullopt;
  }
  std::array<double, 24> out{};
  std::copy(values->begin(), values->end(), out.begin());
  if (std::all_of(out.begin(), out.end(), [](double w) { return w == 0; })) {
    r_.error_at_value(path, "a rhythm needs at least one hour with a weight above 0");
    return std::nullopt;
  }
  return out;
}

std::optional<double> ProfileValues::number(const std::string& path, const YAML::Node& value,
                                            int64_t min, int64_t max) {
  const YAML::Mark at = config::detail::value_mark(value, YAML::Mark::null_mark());
  if (auto v = r_.read(path, number_spec(min, max), value, at))
    return std::get<double>(*v);
  return std::nullopt;
}

bool ProfileValues::each_item(
    const std::string& path, const YAML::Node& list, const char* what,
    const std::function<bool(const std::string&, const YAML::Node&)>& visit) {
  if (!is_list(path, list, what)) return false;
  bool ok = true;
  size_t i = 0;
  for (const auto& item : list) ok = visit(path + "[" + std::to_string(i++) + "]", item) && ok;
  if (ok && list.size() == 0) {
    r_.error_at_value(path, "the list is empty");
    ok = false;
  }
  return ok;
}

std::optional<std::vector<double>> ProfileValues::number_list(const std::string& path,
                                                              const YAML::Node& list,
                                                              int64_t max) {
  std::vector<double> out;
  const bool ok = each_item(path, list, "a list of numbers",
                            [&](const std::string& item_path, const YAML::Node& item) {
                              auto v = r_.read(item_path, number_spec(0, max), item, item.Mark());
                              if (v) out.push_back(std::get<double>(*v));
                              return v.has_value();
                            });
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

std::optional<std::vector<size_t>> ProfileValues::sensor_list(const std::string& path,
                                                              const YAML::Node& list,
                                                              const Profile& profile) {
  std::vector<size_t> out;
  const bool ok = each_item(
      path, list, "a list of sensor ids", [&](const std::string& item_path, const YAML::Node& item) {
        const size_t index =
            item.IsScalar() ? profile.sensor_index(item.Scalar()) : profile.sensors.size();
        if (index == profile.sensors.size()) {
          std::string known;
          std::set<std::string> listed;
          for (const auto& s : profile.sensors)
            if (!s.id.empty() && listed.insert(s.id).second)
              known += (known.empty() ? "" : ", ") + s.id;
          r_.error(item_path, item.Mark(),
                   (item.IsScalar() ? "unknown sensor '" + item.Scalar() + "'"
                                    : "expected a sensor id, found " +
                                          config::detail::describe_node(item)) +
                       " (sensors: " + known + ")");
          return false;
        }
        if (std::find(out.begin(), out.end(), index) != out.end()) {
          r_.error(item_path, item.Mark(), "sensor '" + item.Scalar() + "' is listed twice");
          return false;
        }
        out.push_back(index);
        return true;
      });
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

}  // namespace teiten::synth
