// teiten::config::detail::YamlReader — the strict walker both loaders share.
//
// It owns reading one file into YAML nodes and checking each value against
// its Kind; the loaders own the tables (which keys each section has, their
// defaults and ranges) and the rules that span keys. Errors are collected,
// not thrown, so one run reports every problem; only an unreadable file or
// a YAML syntax error ends the run early (yaml-cpp stops at the first).
// Positions come from key nodes, and from value nodes only when the value
// has text of its own: yaml-cpp gives an empty value the mark of whatever
// follows it. Internal to common/config; never logs.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/base/prefix.h"
#include "common/base/units.h"
#include "common/config/config_error.h"
#include "common/config/key_info.h"
#include "common/config/sensor_config.h"  // SourceMarks

namespace teiten::config::detail {

/// How a value is written and checked.
enum class Kind {
  text,        ///< any scalar, may be empty
  name,        ///< non-empty, no white space (user, group)
  interface,   ///< 1..15 characters, no '/' or white space
  host,        ///< DNS name or IP address (is_valid_host)
  path,        ///< non-empty; relative resolves against the config file's directory
  bpf,         ///< a BPF expression libpcap compiles; empty means none
  flag,        ///< true or false
  count,       ///< whole number in [min, max]
  size,        ///< bytes: a number, or with KiB, MiB, GiB; in [min, max]
  duration,    ///< a number with a unit; in [min, max] milliseconds
  zone,        ///< IANA time zone known to tzdata
  level,       ///< log level
  sensor_id,   ///< is_valid_sensor_id
  address,     ///< host:port or [ipv6]:port
  addresses,   ///< one address, or a non-empty list of them (in order of preference)
  prefixes,    ///< list of addresses or prefixes
  sensor_ids,  ///< non-empty list of unique sensor ids
  number,      ///< decimal number (not quoted) in [min, max]
  node,        ///< any YAML value, kept for the loader's own rules (composite values)
};

inline constexpr int64_t unbounded = std::numeric_limits<int64_t>::max();
// Units for the range columns of the tables: durations in milliseconds,
// sizes in bytes.
inline constexpr int64_t millisecond = 1, second = 1000, minute = 60 * second, hour = 60 * minute,
                         day = 24 * hour;
inline constexpr int64_t KiB = 1 << 10, MiB = 1 << 20, GiB = int64_t{1} << 30;

/// One key's rule. The default is YAML text, read exactly like a written
/// value, so a default cannot break a rule the file must follow; empty means
/// the key has none (the field stays empty: "", 0, false).
struct Spec {
  Kind kind;
  std::string_view default_yaml = {};
  int64_t min = 0;
  int64_t max = unbounded;
  bool required = false;  ///< a present section must name it
};

using Value = std::variant<std::string, bool, uint64_t, base::Duration, std::vector<base::Prefix>,
                           std::vector<std::string>, double, YAML::Node>;

/// Where a value's problem is reported: its own mark when it has text,
/// else its key's.
YAML::Mark value_mark(const YAML::Node& value, const YAML::Mark& key_mark);
/// "a map", "a list", "nothing", "'text'" — for "expected X, found Y".
std::string describe_node(const YAML::Node& node);
/// A range bound as written in a file: "1s", "1MiB", "68".
std::string bound_text(Kind kind, int64_t value);
/// "68..65535", "1d or more", "" for kinds without a range.
std::string range_text(const Spec& spec);
KeyInfo describe_key(std::string path, const Spec& spec, Reload reload = Reload::unset);
std::string join_names(std::span<const std::string_view> names);

class YamlReader {
 public:
  /// Reads and parses `file`. Throws ConfigErrors when it cannot be read
  /// (one positionless error naming the OS reason) or is not valid YAML
  /// (the first syntax error, located).
  explicit YamlReader(std::string file);
  /// Parses `text` as if it were the file `name` (a document built from
  /// command-line flags); relative paths resolve against `dir`.
  YamlReader(std::string name, const std::string& text, std::filesystem::path dir);

  const YAML::Node& root() const { return root_; }
  SourceMarks& marks() { return marks_; }

  using KeyVisitor = std::function<void(const std::string& path, std::string_view name,
                                        const YAML::Node& key, const YAML::Node& value)>;
  /// Visits each key of `map` (the value at `path`, "" for the document) in
  /// file order and records its position. Unknown, duplicate and non-name
  /// keys are reported here and not visited.
  void walk_map(const std::string& path, const YAML::Node& map,
                std::span<const std::string_view> allowed, const KeyVisitor& visit);

  /// Reads `value`, written after the key at `key_mark`, as `spec` says;
  /// nullopt, with the error recorded, when it does not fit.
  std::optional<Value> read(const std::string& path, const Spec& spec, const YAML::Node& value,
                            const YAML::Mark& key_mark);
  /// The key's default read from its YAML text; std::logic_error when the
  /// table's default breaks the table's own rule (a bug, caught by tests).
  Value read_default(const std::string& path, const Spec& spec);

  /// Records "PATH: message" at `at`.
  void error(const std::string& path, const YAML::Mark& at, const std::string& message);
  /// For rules spanning keys: at the value of `path` when written, else
  /// where SourceMarks::error_at puts it.
  void error_at_value(const std::string& path, const std::string& message);
  /// True when an error was recorded for `path` (so rules spanning keys do
  /// not pile a second error on a value already reported).
  bool failed(const std::string& path) const { return failed_.contains(path); }

  /// Throws ConfigErrors with every error in file order; returns when none.
  void throw_if_errors();

 private:
  std::optional<Value> convert(const std::string& path, const Spec& spec, const YAML::Node& value,
                               const YAML::Mark& at, bool record);
  std::optional<Value> convert_scalar(const std::string& path, const Spec& spec,
                                      const YAML::Node& value, const YAML::Mark& at);
  std::optional<Value> read_prefixes(const std::string& path, const YAML::Node& value,
                                     const YAML::Mark& at, bool record);
  std::optional<Value> read_sensor_ids(const std::string& path, const YAML::Node& value,
                                       const YAML::Mark& at, bool record);
  std::optional<Value> read_addresses(const std::string& path, const YAML::Node& value,
                                      const YAML::Mark& at, bool record);
  using ItemVisitor = std::function<bool(const std::string& item_path, const std::string& text,
                                         const YAML::Mark& at)>;
  /// Visits the scalar items of a list value, reporting a value that is not
  /// a list and items that are not scalars; false when anything was wrong.
  bool for_each_item(const std::string& path, Kind kind, const YAML::Node& value,
                     const YAML::Mark& at, bool record_marks, const ItemVisitor& visit);
  std::optional<Value> read_number(const std::string& path, const Spec& spec,
                                   const std::string& text, bool quoted, const YAML::Mark& at);
  std::optional<Value> read_decimal(const std::string& path, const Spec& spec,
                                    const std::string& text, bool quoted, const YAML::Mark& at);
  void parse(const std::string& text);
  std::string resolve(const std::string& path) const;
  void record(const std::string& path, const YAML::Mark& at);

  std::string file_;
  std::filesystem::path dir_;
  YAML::Node root_;
  SourceMarks marks_;
  std::map<std::string, YAML::Mark> value_marks_;
  std::set<std::string> failed_;
  std::vector<ConfigError> errors_;
};

}  // namespace teiten::config::detail
