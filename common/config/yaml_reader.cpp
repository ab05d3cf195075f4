#include "common/config/yaml_reader.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "common/config/text_file.h"
#include "common/config/value_rules.h"

namespace teiten::config::detail {
namespace {

ConfigError located(const std::string& file, const YAML::Mark& at, std::string message) {
  if (at.is_null() || at.line < 0) return {file, 0, 0, std::move(message)};
  return {file, at.line + 1, at.column + 1, std::move(message)};
}

std::string join_path(const std::string& parent, std::string_view name) {
  return parent.empty() ? std::string(name) : parent + "." + std::string(name);
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// A typo ("snaplenn", "time_zone") is the usual cause of an unknown key, so
// name the closest allowed key when it is close enough to be the intent.
std::string suggestion(std::string_view name, std::span<const std::string_view> allowed) {
  std::string_view best;
  size_t best_distance = 3;
  for (auto candidate : allowed) {
    size_t d = edit_distance(name, candidate);
    if (d < best_distance && d < candidate.size()) {
      best = candidate;
      best_distance = d;
    }
  }
  return best.empty() ? std::string() : "; did you mean '" + std::string(best) + "'?";
}

// A value past this many is refused before any node is built: yaml-cpp
// spends about a kilobyte per node, so a 15 MiB list of 744k entries took
// 890 MB; this bounds loading to tens of MB while leaving room for long
// observed and ignore_sources lists.
constexpr size_t kMaxValues = 65536;

struct TooManyValues {
  YAML::Mark at;
};

// Sees where each document starts and counts values; builds nothing.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { count(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { count(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override {
    count(m);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    count(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    count(m);
  }
  void OnMapEnd() override {}

 private:
  void count(const YAML::Mark& at) {
    if (++values_ > kMaxValues) throw TooManyValues{at};
  }
  size_t values_ = 0;
};

// yaml-cpp 0.7 does not advance past a stray ',' where a document should
// start: Load returns an empty document as if the file were blank, and
// LoadAll loops forever, allocating until memory runs out. So the documents
// are counted here with a bound, and a document starting where the one
// before it started is the parser standing still: a syntax error there.
std::vector<YAML::Mark> document_starts(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts handler;
  while (handler.starts.size() < 3 && parser.HandleNextDocument(handler)) {
    const auto& s = handler.starts;
    if (s.size() >= 2 && s[s.size() - 1].pos == s[s.size() - 2].pos) {
      const auto pos = static_cast<size_t>(s.back().pos);
      throw YAML::ParserException(s.back(), pos < text.size()
                                                ? "unexpected '" + text.substr(pos, 1) + "'"
                                                : std::string("unexpected end of file"));
    }
  }
  return handler.starts;
}

}  // namespace

YAML::Mark value_mark(const YAML::Node& value, const YAML::Mark& key_mark) {
  if (!value.IsDefined() || value.IsNull() || value.Mark().is_null()) return key_mark;
  return value.Mark();
}

std::string describe_node(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "'" + node.Scalar() + "'";
}

std::string join_names(std::span<const std::string_view> names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::string bound_text(Kind kind, int64_t v) {
  switch (kind) {
    case Kind::duration:
      return base::format_duration(base::Duration{v});
    case Kind::size:
      return format_size(static_cast<uint64_t>(v));
    default:
      return std::to_string(v);
  }
}

std::string range_text(const Spec& spec) {
  if (spec.kind != Kind::count && spec.kind != Kind::size && spec.kind != Kind::duration &&
      spec.kind != Kind::number)
    return {};
  if (spec.max == unbounded) return bound_text(spec.kind, spec.min) + " or more";
  return bound_text(spec.kind, spec.min) + ".." + bound_text(spec.kind, spec.max);
}

KeyInfo describe_key(std::string path, const Spec& spec, Reload reload) {
  return {std::move(path), std::string(spec.default_yaml), range_text(spec), spec.required, reload};
}

YamlReader::YamlReader(std::string file) : file_(std::move(file)) {
  marks_.file = file_;
  std::error_code ec;
  auto absolute = std::filesystem::absolute(file_, ec);
  dir_ = (ec ? std::filesystem::path(file_) : absolute).parent_path();

  std::string text, reason;
  if (!read_text_file(file_, text, reason))
    throw ConfigErrors({ConfigError{file_, 0, 0, "cannot read the configuration: " + reason}});
  parse(text);
}

YamlReader::YamlReader(std::string name, const std::string& text, std::filesystem::path dir)
    : file_(std::move(name)), dir_(std::move(dir)) {
  marks_.file = file_;
  parse(text);
}

void YamlReader::parse(const std::string& text) {
  std::vector<YAML::Mark> starts;
  try {
    starts = document_starts(text);
    if (!starts.empty()) root_ = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigErrors({located(file_, e.mark, "YAML syntax error: " + e.msg)});
  } catch (const TooManyValues& e) {
    throw ConfigErrors({located(file_, e.at,
                                "more than " + std::to_string(kMaxValues) +
                                    " values; a configuration this large is a mistake")});
  }
  // A second document would be silently ignored by a reader that takes the
  // first, which is never what the operator meant.
  if (starts.size() > 1)
    error("", starts[1], "only one YAML document is allowed; remove the '---' and what follows");
}

void YamlReader::walk_map(const std::string& path, const YAML::Node& map,
                          std::span<const std::string_view> allowed, const KeyVisitor& visit) {
  const bool top = path.empty();
  std::map<std::string, YAML::Mark> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    const YAML::Mark at = key.Mark().is_null() ? map.Mark() : key.Mark();
    if (!key.IsScalar()) {
      error(path, at,
            std::string(top ? "section names" : "keys") + " must be plain names, found " +
                describe_node(key));
      continue;
    }
    const std::string& name = key.Scalar();
    const std::string key_path = join_path(path, name);
    // yaml-cpp keeps both entries of a repeated key and a lookup sees only
    // the first, so the second would be silently ignored.
    if (auto first = seen.find(name); first != seen.end()) {
      error(key_path, at,
            "duplicate key (first at line " + std::to_string(first->second.line + 1) + ")");
      continue;
    }
    seen.emplace(name, at);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      error(key_path, at,
            std::string(top ? "unknown section" : "unknown key") +
                " (allowed: " + join_names(allowed) + ")" + suggestion(name, allowed));
      continue;
    }
    record(key_path, at);
    visit(key_path, name, key, value);
  }
}

std::optional<Value> YamlReader::read(const std::string& path, const Spec& spec,
                                      const YAML::Node& value, const YAML::Mark& key_mark) {
  const YAML::Mark at = value_mark(value, key_mark);
  value_marks_.emplace(path, at);
  return convert(path, spec, value, at, true);
}

Value YamlReader::read_default(const std::string& path, const Spec& spec) {
  const size_t before = errors_.size();
  std::optional<Value> v;
  try {
    v = convert(path, spec, YAML::Load(std::string(spec.default_yaml)), YAML::Mark::null_mark(),
                false);
  } catch (const YAML::Exception& e) {
    throw std::logic_error("config table: default of " + path + " is not YAML: " + e.what());
  }
  if (!v || errors_.size() != before) {
    std::string why = errors_.size() != before ? errors_.back().message : path;
    errors_.resize(before);
    throw std::logic_error("config table: default breaks its own rule: " + why);
  }
  return std::move(*v);
}

void YamlReader::error(const std::string& path, const YAML::Mark& at, const std::string& message) {
  failed_.insert(path);
  errors_.push_back(located(file_, at, path.empty() ? message : path + ": " + message));
}

void YamlReader::error_at_value(const std::string& path, const std::string& message) {
  if (auto it = value_marks_.find(path); it != value_marks_.end()) {
    error(path, it->second, message);
    return;
  }
  failed_.insert(path);
  errors_.push_back(marks_.error_at(path, message));
}

void YamlReader::record(const std::string& path, const YAML::Mark& at) {
  if (!at.is_null()) marks_.positions.emplace(path, std::pair{at.line + 1, at.column + 1});
}

void YamlReader::throw_if_errors() {
  if (errors_.empty()) return;
  // Walking order is file order except for rules checked after the walk
  // (missing keys, keys that depend on each other); a stable sort by
  // position restores file order without reordering errors at one spot.
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::pair{a.line, a.column} < std::pair{b.line, b.column};
  });
  throw ConfigErrors(std::move(errors_));
}

}  // namespace teiten::config::detail
