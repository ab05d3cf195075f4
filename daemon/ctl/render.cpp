#include "daemon/ctl/render.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "common/base/human_units.h"

namespace teiten::teitenctl {
namespace {

using Json = nlohmann::ordered_json;

std::string compact(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool scalar(const Json& j) {
  return !j.is_structured();
}

bool all_of(const Json& array, bool (*test)(const Json&)) {
  return std::all_of(array.begin(), array.end(), test);
}

bool is_object(const Json& j) {
  return j.is_object();
}

/// Columns are padded by what a terminal shows, not by bytes: UTF-8
/// continuation bytes take no column (East Asian wide characters still take
/// two; tolerable for the rare sensor name written in them).
size_t width(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string pad(size_t n) {
  return std::string(n, ' ');
}

/// A table cell must stay on one line.
std::string one_line(std::string s) {
  for (size_t pos = 0; (pos = s.find('\n', pos)) != std::string::npos; pos += 2)
    s.replace(pos, 1, "\\n");
  return s;
}

/// Writes `value` after a prefix of `column` characters; the lines of a
/// multi-line string after the first line up under the first.
void append_value(std::string& out, const std::string& value, size_t column) {
  size_t start = 0;
  for (size_t nl; (nl = value.find('\n', start)) != std::string::npos; start = nl + 1) {
    out.append(value, start, nl - start);
    out += '\n';
    out += pad(column);
  }
  out.append(value, start, std::string::npos);
  out += '\n';
}

/// `text` cut at spaces into lines of at most `width` columns (a longer
/// word stands alone on its line).
std::vector<std::string> wrap(const std::string& text, size_t columns) {
  std::vector<std::string> lines{""};
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    auto& line = lines.back();
    if (!line.empty() && width(line) + 1 + width(word) > columns)
      lines.push_back(word);
    else
      line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  return lines;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool fits_inline(const Json& value) {
  if (scalar(value) || value.empty()) return true;
  return value.is_array() && all_of(value, scalar);
}

}  // namespace

std::string render_scalar(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "-";
    case Json::value_t::boolean:
      return value.get<bool>() ? "yes" : "no";
    case Json::value_t::string:
      return value.get<std::string>();
    default:
      return compact(value);
  }
}

std::string render_inline(const Json& value) {
  if (scalar(value)) return render_scalar(value);
  if (value.empty()) return "-";
  if (value.is_array() && all_of(value, scalar)) {
    std::string out;
    for (const auto& v : value) out += (out.empty() ? "" : ", ") + render_scalar(v);
    return out;
  }
  return compact(value);
}

std::string render_field(const std::string& key, const Json& value) {
  if (value.is_number_integer() && (ends_with(key, "_s") || ends_with(key, "_seconds")))
    return base::human_span(value.get<int64_t>());
  return render_inline(value);
}

std::string render_table(const Json& rows, size_t indent, size_t max_width) {
  std::vector<std::string> columns;
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    for (const auto& [key, value] : row.items())
      if (std::find(columns.begin(), columns.end(), key) == columns.end()) columns.push_back(key);
  }
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  std::vector<bool> numeric(columns.size(), true);
  std::vector<bool> any(columns.size(), false);
  for (const auto& c : columns) widths.push_back(width(c));
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    auto& line = cells.emplace_back();
    for (size_t i = 0; i < columns.size(); ++i) {
      auto it = row.find(columns[i]);
      bool present = it != row.end() && !it->is_null();
      line.push_back(present ? one_line(render_field(columns[i], *it)) : "-");
      if (present) {
        any[i] = true;
        numeric[i] = numeric[i] && it->is_number();
      }
      widths[i] = std::max(widths[i], width(line.back()));
    }
  }
  if (columns.empty()) return "";
  // A text last column too wide for the terminal wraps under itself, as
  // long as it keeps a useful width (else the terminal wraps the lines).
  size_t last = columns.size() - 1, last_start = indent;
  for (size_t i = 0; i < last; ++i) last_start += widths[i] + 2;
  size_t wrap_at = 0;
  if (max_width > 0 && !(numeric[last] && any[last]) && last_start + widths[last] > max_width &&
      max_width >= last_start + 20) {
    wrap_at = max_width - last_start;
    widths[last] = wrap_at;
  }
  // A column right-aligns when every value it shows is a number, so digits
  // line up; its header moves right with it to sit over them.
  auto write = [&](const std::vector<std::string>& line) {
    std::string out = pad(indent);
    std::vector<std::string> tail{line[last]};
    if (wrap_at > 0) tail = wrap(line[last], wrap_at);
    for (size_t i = 0; i < line.size(); ++i) {
      const std::string& cell = i == last ? tail[0] : line[i];
      size_t gap = widths[i] - std::min(widths[i], width(cell));
      bool right = numeric[i] && any[i];
      if (i > 0) out += "  ";
      if (right) out += pad(gap);
      out += cell;
      if (!right) out += pad(gap);
    }
    out.erase(out.find_last_not_of(' ') + 1);
    out += '\n';
    for (size_t k = 1; k < tail.size(); ++k) out += pad(last_start) + tail[k] + '\n';
    return out;
  };
  std::string out = write(columns);
  for (const auto& line : cells) out += write(line);
  return out;
}

std::string render_arguments(const Json& arguments, size_t indent, size_t max_width) {
  if (!arguments.is_object()) {
    std::string out = pad(indent);
    append_value(out, render_inline(arguments), indent);
    return out;
  }
  // Values of one block start in one column, after the longest inline key.
  size_t key_width = 0;
  for (const auto& [key, value] : arguments.items())
    if (fits_inline(value)) key_width = std::max(key_width, width(key) + 1);

  std::string out;
  for (const auto& [key, value] : arguments.items()) {
    out += pad(indent) + key + ":";
    if (fits_inline(value)) {
      out += pad(key_width - width(key));  // key_width counts the colon
      append_value(out, render_field(key, value), indent + key_width + 1);
    } else if (value.is_object()) {
      out += '\n';
      out += render_arguments(value, indent + 2, max_width);
    } else if (all_of(value, is_object)) {
      out += '\n';
      out += render_table(value, indent + 2, max_width);
    } else {
      // A mixed array: one item per line, each as compact as it can be.
      out += '\n';
      for (const auto& item : value)
        out += pad(indent + 2) + "- " + one_line(render_inline(item)) + '\n';
    }
  }
  return out;
}

}  // namespace teiten::teitenctl
