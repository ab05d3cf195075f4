// teiten::config::detail section tables — how a loader describes its file:
// one table of Key rows per section (name, field, kind, default, range,
// reload rule), and one list of Sections naming the top-level entries. The
// generic readers here walk those tables, so adding a key is adding a row;
// the same rows produce the KeyInfo list the docs and tests check, and
// decide what a reload applies (compare_sections). A default lives only in
// its row: the config structs restate none. Internal to common/config;
// never logs.
#pragma once

#include <functional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "common/config/key_info.h"
#include "common/config/yaml_reader.h"

namespace teiten::config::detail {

/// The field of section S a key fills.
template <class S>
using Field = std::variant<std::string S::*, bool S::*, uint32_t S::*, uint64_t S::*,
                           base::Duration S::*, std::vector<base::Prefix> S::*,
                           std::vector<std::string> S::*, double S::*, YAML::Node S::*>;

/// One row of a section table.
template <class S>
struct Key {
  std::string_view name;
  Field<S> field;
  Spec spec;
  /// Unset only in documents no daemon reloads (teiten-synth's profiles);
  /// tests refuse an unset rule in the daemons' files.
  Reload reload = Reload::unset;
};

/// Whether the field differs between two configurations; a hot change is
/// copied into `next`.
template <class S>
bool compare_field(const S& running, const S& fresh, const Field<S>& field, Reload reload,
                   S* next) {
  return std::visit(
      [&](auto member) {
        if (running.*member == fresh.*member) return false;
        if (next && reload == Reload::hot) (*next).*member = fresh.*member;
        return true;
      },
      field);
}

/// Stores a read value into its field; the tables pair kinds and field
/// types, and a mismatch throws std::bad_variant_access (tests read every key).
template <class S>
void assign(S& out, const Field<S>& field, Value&& value) {
  std::visit(
      [&](auto member) {
        auto& target = out.*member;
        using T = std::remove_reference_t<decltype(target)>;
        if constexpr (std::is_same_v<T, uint32_t>)
          target = static_cast<uint32_t>(std::get<uint64_t>(value));  // ranges keep it in 32 bits
        else
          target = std::get<T>(std::move(value));
      },
      field);
}

/// Reads one map section through its table; `node` is null when the
/// section is absent (defaults apply, required keys are not asked for).
template <class S>
void read_section(YamlReader& r, const std::string& section, const YAML::Node* node,
                  const YAML::Mark& key_mark, std::span<const Key<S>> keys, S& out) {
  std::vector<std::string_view> names;
  for (const auto& k : keys) names.push_back(k.name);
  std::set<std::string_view> seen;
  bool present = node != nullptr;
  if (present && node->IsMap()) {
    r.walk_map(section, *node, names,
               [&](const std::string& path, std::string_view name, const YAML::Node& key,
                   const YAML::Node& value) {
                 for (const auto& k : keys) {
                   if (k.name != name) continue;
                   seen.insert(k.name);
                   if (auto v = r.read(path, k.spec, value, key.Mark()))
                     assign(out, k.field, std::move(*v));
                 }
               });
  } else if (present && !node->IsNull()) {  // an empty section reads as an empty map
    r.error(
        section, value_mark(*node, key_mark),
        "expected a map with the keys " + join_names(names) + ", found " + describe_node(*node));
    present = false;  // its keys were never written; do not also call them missing
  }
  for (const auto& k : keys) {
    if (seen.contains(k.name)) continue;
    auto path = section + "." + std::string(k.name);
    if (present && k.spec.required)
      r.error(path, key_mark, "required key is missing");
    else if (!k.spec.default_yaml.empty())
      assign(out, k.field, r.read_default(path, k.spec));
  }
}

/// One top-level entry of a config file: a map section read through its
/// table, or a single value (the collector's `sensors` list).
template <class Config>
struct Section {
  std::string_view name;
  bool required = false;
  /// `value` is null when the file does not have the section.
  std::function<void(YamlReader&, const YAML::Node* value, const YAML::Mark& key_mark, Config&)>
      read;
  std::function<void(std::vector<KeyInfo>&)> describe;
  /// Appends the keys whose values differ between `running` and `fresh`;
  /// copies the hot ones into `next` when given.
  std::function<void(const Config& running, const Config& fresh, Config* next,
                     std::vector<KeyChange>&)>
      compare;
};

template <class Config, class S, size_t N>
Section<Config> map_section(std::string_view name, S Config::*member, const Key<S> (&keys)[N],
                            bool required = false) {
  std::span<const Key<S>> table(keys);
  return {
      name, required,
      [=](YamlReader& r, const YAML::Node* value, const YAML::Mark& key_mark, Config& c) {
        read_section(r, std::string(name), value, key_mark, table, c.*member);
      },
      [=](std::vector<KeyInfo>& out) {
        for (const auto& k : table)
          out.push_back(
              describe_key(std::string(name) + "." + std::string(k.name), k.spec, k.reload));
      },
      [=](const Config& running, const Config& fresh, Config* next, std::vector<KeyChange>& out) {
        for (const auto& k : table)
          if (compare_field(running.*member, fresh.*member, k.field, k.reload,
                            next ? &(next->*member) : nullptr))
            out.push_back({std::string(name) + "." + std::string(k.name), k.reload});
      }};
}

template <class Config>
Section<Config> value_section(std::string_view name, Field<Config> field, Spec spec,
                              Reload reload = Reload::unset) {
  return {
      name, spec.required,
      [=](YamlReader& r, const YAML::Node* value, const YAML::Mark& key_mark, Config& c) {
        std::string path(name);
        if (value) {
          if (auto v = r.read(path, spec, *value, key_mark)) assign(c, field, std::move(*v));
        } else if (!spec.default_yaml.empty()) {
          assign(c, field, r.read_default(path, spec));
        }
      },
      [=](std::vector<KeyInfo>& out) {
        out.push_back(describe_key(std::string(name), spec, reload));
      },
      [=](const Config& running, const Config& fresh, Config* next, std::vector<KeyChange>& out) {
        if (compare_field(running, fresh, field, reload, next))
          out.push_back({std::string(name), reload});
      }};
}

/// Reads the whole document: the root must be a map of the given sections.
template <class Config>
void read_document(YamlReader& r, std::span<const Section<Config>> sections, Config& config) {
  std::vector<std::string_view> names;
  for (const auto& s : sections) names.push_back(s.name);
  const YAML::Node& root = r.root();
  std::set<std::string_view> present;
  if (!root.IsDefined() || root.IsNull()) {
    r.error("", YAML::Mark::null_mark(),
            "holds no settings (expected a map with the sections " + join_names(names) + ")");
  } else if (!root.IsMap()) {
    r.error(
        "", root.Mark(),
        "expected a map with the sections " + join_names(names) + ", found " + describe_node(root));
  } else {
    r.walk_map("", root, names,
               [&](const std::string&, std::string_view name, const YAML::Node& key,
                   const YAML::Node& value) {
                 for (const auto& s : sections) {
                   if (s.name != name) continue;
                   present.insert(s.name);
                   s.read(r, &value, key.Mark(), config);
                 }
               });
  }
  for (const auto& s : sections) {
    if (present.contains(s.name)) continue;
    // YAML::Mark() is the file's start: every error reads FILE:LINE:COLUMN.
    if (s.required && root.IsMap())
      r.error(std::string(s.name), YAML::Mark(), "required section is missing");
    s.read(r, nullptr, YAML::Mark::null_mark(), config);
  }
}

/// Loads the reader's document into a Config: the sections, then `rules` for what spans
/// keys, then every error at once.
template <class Config, class Rules>
Config load_document(YamlReader reader, std::span<const Section<Config>> sections, Rules&& rules) {
  Config config;
  config.file = reader.marks().file;
  read_document(reader, sections, config);
  rules(reader, config);
  reader.throw_if_errors();
  config.marks = std::move(reader.marks());
  return config;
}

// Sections both daemons have with the same keys; one table each, shared.
// Privileges are dropped once, at start.
template <class Process>
inline const Key<Process> process_keys[] = {
    {"user", &Process::user, {Kind::name}, Reload::restart},
    {"group", &Process::group, {Kind::name}, Reload::restart},
};

// Optional; the next write after a reload goes to the new path.
template <class Metrics>
inline const Key<Metrics> metrics_keys[] = {
    {"textfile", &Metrics::textfile, {Kind::path}, Reload::hot},
};

template <class Log>
inline const Key<Log> log_keys[] = {
    {"level", &Log::level, {Kind::level, "info"}, Reload::hot},
};

template <class Config>
std::vector<KeyInfo> describe_sections(std::span<const Section<Config>> sections) {
  std::vector<KeyInfo> out;
  for (const auto& s : sections) s.describe(out);
  return out;
}

/// Every key whose value differs, in table order, with its rule; when
/// `next` is given (a copy of `running`), the hot ones are copied into it
/// from `fresh`, and so are the file name and the key positions.
template <class Config>
std::vector<KeyChange> compare_sections(std::span<const Section<Config>> sections,
                                        const Config& running, const Config& fresh, Config* next) {
  std::vector<KeyChange> out;
  for (const auto& s : sections) s.compare(running, fresh, next, out);
  if (next) {
    next->file = fresh.file;
    next->marks = fresh.marks;
  }
  return out;
}

/// `running` with the hot keys of `fresh`: what a reload runs with.
template <class Config>
Config with_hot_keys_of(std::span<const Section<Config>> sections, const Config& running,
                        const Config& fresh) {
  Config next = running;
  compare_sections(sections, running, fresh, &next);
  return next;
}

}  // namespace teiten::config::detail
