// Test helper: runs geo_oracle.py (python3-location, gettext, ipaddress) and
// returns its output as rows of tab- or space-separated fields.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace teiten::test {

using Row = std::vector<std::string>;

inline std::string shell_quote(const std::string& s) {
  return "'" + s + "'";
}

/// Output of `geo_oracle.py args...` (stdin from `input` when given), split
/// into rows on '\n' and fields on `separator`. Exit 3 means python3-location
/// is missing: a failure as root (CI installs it), a skip (77) otherwise.
inline std::vector<Row> geo_oracle(const std::vector<std::string>& args,
                                   const std::string& input = "", char separator = '\t') {
  std::string command = shell_quote(TEITEN_GEO_PYTHON) + " " + shell_quote(TEITEN_GEO_ORACLE);
  for (const auto& a : args) command += " " + shell_quote(a);
  if (!input.empty()) command += " < " + shell_quote(input);
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == 3 && geteuid() != 0) {
    std::cerr << "python3-location is missing: skipping (as root this fails)\n";
    std::exit(77);
  }
  INFO("command: " << command);
  REQUIRE(code == 0);
  std::vector<Row> rows;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    Row row;
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, separator);) row.push_back(f);
    if (!line.empty() && line.back() == separator) row.emplace_back();
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace teiten::test
