// YamlReader's value half: one scalar or list checked against its Kind.
#include <pcap/pcap.h>

#include <charconv>
#include <cmath>
#include <map>

#include "common/base/day_clock.h"
#include "common/config/value_rules.h"
#include "common/config/yaml_reader.h"

namespace teiten::config::detail {
namespace {

std::string noun(Kind kind) {
  switch (kind) {
    case Kind::text:
      return "a string";
    case Kind::name:
      return "a name";
    case Kind::interface:
      return "an interface name";
    case Kind::host:
      return "a host name or IP address";
    case Kind::path:
      return "a path";
    case Kind::bpf:
      return "a BPF expression";
    case Kind::flag:
      return "true or false";
    case Kind::count:
      return "a whole number";
    case Kind::size:
      return "a size (a number of bytes, or with KiB, MiB, GiB)";
    case Kind::duration:
      return "a duration with a unit (500ms, 60s, 5m, 1h, 1d)";
    case Kind::zone:
      return "an IANA time zone name";
    case Kind::level:
      return "a log level (" + std::string(log_levels_text) + ")";
    case Kind::sensor_id:
      return "a sensor id";
    case Kind::address:
      return "host:port or [ipv6]:port";
    case Kind::addresses:
      return "host:port, or a list of them";
    case Kind::prefixes:
      return "a list of addresses or prefixes";
    case Kind::sensor_ids:
      return "a list of sensor ids";
    case Kind::number:
      return "a number";
    case Kind::node:
      return "a value";
  }
  return "a value";
}

std::string item_noun(Kind list) {
  switch (list) {
    case Kind::prefixes:
      return "an address or prefix";
    case Kind::addresses:
      return "host:port or [ipv6]:port";
    default:
      return "a sensor id";
  }
}

bool has_space(std::string_view s) {
  for (unsigned char c : s)
    if (c <= ' ' || c == 0x7f) return true;
  return false;
}

// Plain scalars carry the non-specific tag "?"; quoted ones "!". A number
// or a flag in quotes is a string in YAML, so strictness refuses it.
bool is_quoted(const YAML::Node& node) {
  return node.Tag() == "!";
}

std::optional<bool> parse_flag(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

// A libpcap expression only compiles against a link type, and the real one
// is known only once the capture is open; accepting what compiles for any
// common link type catches typos without refusing a valid filter.
std::optional<std::string> bpf_problem(const std::string& expression) {
  std::optional<std::string> first_error;
  for (int link : {DLT_EN10MB, DLT_LINUX_SLL, DLT_RAW}) {
    pcap_t* dead = pcap_open_dead(link, 65535);
    if (!dead) return std::nullopt;
    bpf_program program{};
    bool ok = pcap_compile(dead, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0;
    if (ok)
      pcap_freecode(&program);
    else if (!first_error)
      first_error = pcap_geterr(dead);
    pcap_close(dead);
    if (ok) return std::nullopt;
  }
  return first_error;
}

// How a scalar that is not the number asked for reads back to the operator.
std::string found(const std::string& text, bool quoted) {
  return quoted ? "the string \"" + text + "\"" : "'" + text + "'";
}

std::string range_problem(const Spec& spec, const std::string& text) {
  return spec.max == unbounded ? text + " is below the minimum " + bound_text(spec.kind, spec.min)
                               : text + " is out of range " + range_text(spec);
}

std::string sensor_id_problem(const std::string& id) {
  return "'" + id + "' is not a valid sensor id (1 to 64 of A-Z a-z 0-9 . _ -)";
}

// "10.1.2.3/8" fails Prefix::parse for its host bits; say so, with the
// prefix the operator most likely meant.
std::string prefix_problem(const std::string& text) {
  auto slash = text.find('/');
  auto address = base::IpAddress::parse(std::string_view(text).substr(0, slash));
  if (address && slash != std::string::npos) {
    int max_length = address->is_v4() ? 32 : 128;
    int length = -1;
    auto digits = std::string_view(text).substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (ec == std::errc() && end == digits.data() + digits.size() && length >= 0 &&
        length <= max_length) {
      base::Prefix meant{*address, static_cast<uint8_t>(length)};
      for (int bit = length; bit < max_length; ++bit)
        meant.address.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
      return "'" + text + "' has host bits set beyond /" + std::to_string(length) +
             " (did you mean " + meant.to_string() + "?)";
    }
  }
  return "'" + text + "' is not an IP address or prefix";
}

}  // namespace

std::optional<Value> YamlReader::convert(const std::string& path, const Spec& spec,
                                         const YAML::Node& value, const YAML::Mark& at,
                                         bool record) {
  if (spec.kind == Kind::prefixes) return read_prefixes(path, value, at, record);
  if (spec.kind == Kind::sensor_ids) return read_sensor_ids(path, value, at, record);
  if (spec.kind == Kind::addresses) return read_addresses(path, value, at, record);
  if (spec.kind == Kind::node) return value;  // the loader's rules read it
  if (!value.IsDefined() || !value.IsScalar()) {
    error(path, at, "expected " + noun(spec.kind) + ", found " + describe_node(value));
    return std::nullopt;
  }
  return convert_scalar(path, spec, value, at);
}

std::optional<Value> YamlReader::convert_scalar(const std::string& path, const Spec& spec,
                                                const YAML::Node& value, const YAML::Mark& at) {
  const std::string& text = value.Scalar();
  auto bad = [&](const std::string& message) -> std::optional<Value> {
    error(path, at, message);
    return std::nullopt;
  };
  switch (spec.kind) {
    case Kind::text:
      return text;
    case Kind::name:
      if (text.empty() || has_space(text))
        return bad("expected a name without white space, found '" + text + "'");
      return text;
    case Kind::interface:
      if (text.empty() || text.size() > 15 || has_space(text) || text.find('/') != text.npos)
        return bad("'" + text +
                   "' is not an interface name (1 to 15 characters, no '/' or spaces)");
      return text;
    case Kind::host:
      if (!is_valid_host(text)) return bad("'" + text + "' is not a host name or IP address");
      return text;
    case Kind::path:
      if (text.empty()) return bad("expected a path, found an empty string");
      return resolve(text);
    case Kind::bpf:
      if (auto problem = text.empty() ? std::nullopt : bpf_problem(text))
        return bad("invalid BPF expression '" + text + "': " + *problem);
      return text;
    case Kind::flag: {
      auto flag = is_quoted(value) ? std::nullopt : parse_flag(text);
      if (!flag)
        return bad("expected true or false, found " +
                   (is_quoted(value) ? "the string \"" + text + "\"" : describe_node(value)));
      return *flag;
    }
    case Kind::count:
    case Kind::size:
    case Kind::duration:
      return read_number(path, spec, text, is_quoted(value), at);
    case Kind::zone:
      if (!base::is_known_zone(text)) return bad("unknown time zone '" + text + "'");
      return text;
    case Kind::level:
      if (!is_log_level(text))
        return bad("unknown log level '" + text + "' (expected one of " +
                   std::string(log_levels_text) + ")");
      return text;
    case Kind::sensor_id:
      if (!is_valid_sensor_id(text)) return bad(sensor_id_problem(text));
      return text;
    case Kind::address: {
      std::string why;
      if (!parse_host_port(text, why)) return bad("'" + text + "' " + why);
      return text;
    }
    case Kind::number:
      return read_decimal(path, spec, text, is_quoted(value), at);
    case Kind::prefixes:
    case Kind::sensor_ids:
    case Kind::addresses:
    case Kind::node:
      break;  // read before
  }
  return bad("expected " + noun(spec.kind));
}

// Counts, sizes and durations share one range rule. A negative number or
// one too big for 64 bits is reported as out of range, not as unreadable,
// because its form is right and only its size is wrong.
std::optional<Value> YamlReader::read_number(const std::string& path, const Spec& spec,
                                             const std::string& text, bool quoted,
                                             const YAML::Mark& at) {
  auto parse = [&](std::string_view t) -> std::optional<uint64_t> {
    if (spec.kind == Kind::duration) {
      auto d = base::parse_duration(t);
      return d ? std::optional<uint64_t>(static_cast<uint64_t>(d->count())) : std::nullopt;
    }
    if (spec.kind == Kind::size) return base::parse_size(t);
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
    return n;
  };
  // Same text with its digits replaced by "1": tells an overflow ("99999999999999999999d")
  // from text that is not a number at all.
  auto well_formed = [&](std::string_view t) {
    size_t digits = 0;
    while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
    return digits > 0 && parse("1" + std::string(t.substr(digits))).has_value();
  };
  // A quoted count is a string in YAML, refused as such; sizes and durations
  // are strings with a unit anyway.
  const bool refused = spec.kind == Kind::count && quoted;
  std::string_view body = text;
  const bool negative = body.starts_with('-');
  if (negative) body.remove_prefix(1);
  const auto n = refused ? std::nullopt : parse(body);
  if (!n && (refused || !well_formed(body))) {
    error(path, at, "expected " + noun(spec.kind) + ", found " + found(text, quoted));
    return std::nullopt;
  }
  if (negative || !n || *n < static_cast<uint64_t>(spec.min) ||
      *n > static_cast<uint64_t>(spec.max)) {
    error(path, at, range_problem(spec, text));
    return std::nullopt;
  }
  if (spec.kind == Kind::duration) return base::Duration{static_cast<int64_t>(*n)};
  return *n;
}

std::optional<Value> YamlReader::read_decimal(const std::string& path, const Spec& spec,
                                              const std::string& text, bool quoted,
                                              const YAML::Mark& at) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, v);
  // from_chars takes "inf" and "nan", which are no weight or share anyone means.
  if (quoted || ec != std::errc() || stop != end || !std::isfinite(v)) {
    error(path, at, "expected " + noun(spec.kind) + ", found " + found(text, quoted));
    return std::nullopt;
  }
  if (v < static_cast<double>(spec.min) ||
      (spec.max != unbounded && v > static_cast<double>(spec.max))) {
    error(path, at, range_problem(spec, text));
    return std::nullopt;
  }
  return v;
}

bool YamlReader::for_each_item(const std::string& path, Kind kind, const YAML::Node& value,
                               const YAML::Mark& at, bool record_marks, const ItemVisitor& visit) {
  if (!value.IsDefined() || !value.IsSequence()) {
    error(path, at, "expected " + noun(kind) + ", found " + describe_node(value));
    return false;
  }
  bool ok = true;
  size_t index = 0;
  for (const auto& item : value) {
    const std::string item_path = path + "[" + std::to_string(index++) + "]";
    // An empty item has no mark of its own (see value_mark): use the list's.
    const YAML::Mark item_at = value_mark(item, at);
    if (record_marks) record(item_path, item_at);
    if (!item.IsScalar()) {
      error(item_path, item_at, "expected " + item_noun(kind) + ", found " + describe_node(item));
      ok = false;
    } else if (!visit(item_path, item.Scalar(), item_at)) {
      ok = false;
    }
  }
  return ok;
}

std::optional<Value> YamlReader::read_prefixes(const std::string& path, const YAML::Node& value,
                                               const YAML::Mark& at, bool record_marks) {
  std::vector<base::Prefix> out;
  bool ok = for_each_item(
      path, Kind::prefixes, value, at, record_marks,
      [&](const std::string& item_path, const std::string& text, const YAML::Mark& item_at) {
        auto prefix = base::Prefix::parse(text);
        if (!prefix)
          error(item_path, item_at, prefix_problem(text));
        else
          out.push_back(*prefix);
        return prefix.has_value();
      });
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Value> YamlReader::read_sensor_ids(const std::string& path, const YAML::Node& value,
                                                 const YAML::Mark& at, bool record_marks) {
  if (value.IsSequence() && value.size() == 0) {
    error(path, at, "the list is empty; name every sensor allowed to connect");
    return std::nullopt;
  }
  std::vector<std::string> out;
  std::map<std::string, int> first_line;
  bool ok = for_each_item(
      path, Kind::sensor_ids, value, at, record_marks,
      [&](const std::string& item_path, const std::string& id, const YAML::Mark& item_at) {
        if (!is_valid_sensor_id(id)) {
          error(item_path, item_at, sensor_id_problem(id));
          return false;
        }
        if (auto first = first_line.find(id); first != first_line.end()) {
          error(item_path, item_at,
                "duplicate sensor '" + id + "' (first at line " + std::to_string(first->second) +
                    ")");
          return false;
        }
        first_line.emplace(id, item_at.line + 1);
        out.push_back(id);
        return true;
      });
  if (!ok) return std::nullopt;
  return out;
}

// One address as a scalar, or a list of them: several collectors, tried in
// the order written. The same address twice would only retry it, so it is
// refused as a mistake.
std::optional<Value> YamlReader::read_addresses(const std::string& path, const YAML::Node& value,
                                                const YAML::Mark& at, bool record_marks) {
  auto check = [&](const std::string& item_path, const std::string& text,
                   const YAML::Mark& item_at) {
    std::string why;
    if (parse_host_port(text, why)) return true;
    error(item_path, item_at, "'" + text + "' " + why);
    return false;
  };
  if (value.IsDefined() && value.IsScalar()) {
    if (!check(path, value.Scalar(), at)) return std::nullopt;
    return std::vector<std::string>{value.Scalar()};
  }
  if (value.IsSequence() && value.size() == 0) {
    error(path, at, "the list is empty; name at least one address");
    return std::nullopt;
  }
  std::vector<std::string> out;
  std::map<std::string, int> first_line;
  bool ok = for_each_item(
      path, Kind::addresses, value, at, record_marks,
      [&](const std::string& item_path, const std::string& text, const YAML::Mark& item_at) {
        if (!check(item_path, text, item_at)) return false;
        if (auto first = first_line.find(text); first != first_line.end()) {
          error(item_path, item_at,
                "duplicate address '" + text + "' (first at line " +
                    std::to_string(first->second) + ")");
          return false;
        }
        first_line.emplace(text, item_at.line + 1);
        out.push_back(text);
        return true;
      });
  if (!ok) return std::nullopt;
  return out;
}

// Relative to the config file's directory, as the OS would resolve it from
// there: "." parts are dropped for readability, ".." is kept because
// collapsing it lexically is wrong when a directory is a symlink.
std::string YamlReader::resolve(const std::string& path) const {
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  std::filesystem::path out;
  for (const auto& part : dir_ / p)
    if (part != ".") out /= part;
  return out.string();
}

}  // namespace teiten::config::detail
