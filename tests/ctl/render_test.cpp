#include "daemon/ctl/render.h"

#include <catch2/catch.hpp>

using teiten::teitenctl::render_arguments;
using teiten::teitenctl::render_inline;
using teiten::teitenctl::render_scalar;
using teiten::teitenctl::render_table;
using Json = nlohmann::ordered_json;

TEST_CASE("scalars show as operators read them, numbers with every digit", "[ctl][render]") {
  CHECK(render_scalar(nullptr) == "-");
  CHECK(render_scalar(true) == "yes");
  CHECK(render_scalar(false) == "no");
  CHECK(render_scalar("eth0") == "eth0");
  CHECK(render_scalar(18446744073709551615ULL) == "18446744073709551615");
  CHECK(render_scalar(-42) == "-42");
  CHECK(render_scalar(0.25) == "0.25");
}

TEST_CASE("arrays of scalars are comma-separated and empty containers are '-'", "[ctl][render]") {
  CHECK(render_inline(Json::parse("[22, 23, 445]")) == "22, 23, 445");
  CHECK(render_inline(Json::parse(R"(["a", null, true])")) == "a, -, yes");
  CHECK(render_inline(Json::array()) == "-");
  CHECK(render_inline(Json::object()) == "-");
  CHECK(render_inline(Json::parse(R"([{"a": 1}])")) == R"([{"a":1}])");
}

TEST_CASE("a table aligns columns, right-aligns numbers and shows missing cells as '-'",
          "[ctl][render]") {
  auto rows = Json::parse(R"([{"port": 22, "proto": "tcp", "count": 1234},
                              {"port": 445, "proto": "udp"}])");
  CHECK(render_table(rows) ==
        "port  proto  count\n"
        "  22  tcp     1234\n"
        " 445  udp        -\n");
}

TEST_CASE("table columns are the union of keys in first-seen order", "[ctl][render]") {
  auto rows = Json::parse(R"([{"b": "x"}, {"a": 1, "b": "longer"}, {"c": null}])");
  CHECK(render_table(rows, 2) ==
        "  b       a  c\n"
        "  x       -  -\n"
        "  longer  1  -\n"
        "  -       -  -\n");
}

TEST_CASE("a column with any non-number is left-aligned", "[ctl][render]") {
  auto rows = Json::parse(R"([{"v": 1000}, {"v": "n/a"}, {"v": [1, 2]}])");
  CHECK(render_table(rows) ==
        "v\n"
        "1000\n"
        "n/a\n"
        "1, 2\n");
}

TEST_CASE("objects are key: value blocks in the daemon's key order, nested ones indented",
          "[ctl][render]") {
  auto args = Json::parse(R"({"sensor": "s01", "capture": {"interface": "eth0", "drops": 0},
                              "up": true, "note": null, "ports": [22, 23], "tags": []})");
  CHECK(render_arguments(args) ==
        "sensor: s01\n"
        "capture:\n"
        "  interface: eth0\n"
        "  drops:     0\n"
        "up:     yes\n"
        "note:   -\n"
        "ports:  22, 23\n"
        "tags:   -\n");
}

TEST_CASE("an array of objects under a key is rendered as an indented table", "[ctl][render]") {
  auto args = Json::parse(R"({"day": "2024-05-01", "top": [{"src": "192.0.2.1", "accesses": 5},
                                                          {"src": "2001:db8::7", "accesses": 12}]})");
  CHECK(render_arguments(args) ==
        "day: 2024-05-01\n"
        "top:\n"
        "  src          accesses\n"
        "  192.0.2.1           5\n"
        "  2001:db8::7        12\n");
}

TEST_CASE("a multi-line value lines up under its first line", "[ctl][render]") {
  auto args = Json::parse(R"({"errors": "a.yaml:1:2: bad\na.yaml:3:4: worse", "n": 2})");
  CHECK(render_arguments(args) ==
        "errors: a.yaml:1:2: bad\n"
        "        a.yaml:3:4: worse\n"
        "n:      2\n");
}

TEST_CASE("a mixed array is one item per line", "[ctl][render]") {
  auto args = Json::parse(R"({"items": [1, {"a": 2}, [3, 4]]})");
  CHECK(render_arguments(args) ==
        "items:\n"
        "  - 1\n"
        "  - {\"a\":2}\n"
        "  - 3, 4\n");
}

TEST_CASE("empty arguments render as nothing", "[ctl][render]") {
  CHECK(render_arguments(Json::object()).empty());
}

TEST_CASE("whole seconds under _s and _seconds keys read as spans, other numbers do not",
          "[ctl][render]") {
  using teiten::teitenctl::render_field;
  CHECK(render_field("lag_s", 515925045) == "16y");
  CHECK(render_field("uptime_seconds", 200) == "3m");
  CHECK(render_field("age_s", 12) == "12s");
  CHECK(render_field("last_flush_seconds", 0.25) == "0.25");  // a fraction keeps its digits
  CHECK(render_field("rows", 515925045) == "515925045");
  CHECK(render_field("lag_s", nullptr) == "-");
  auto rows =
      Json::parse(R"([{"sensor": "s01", "lag_s": 515925045}, {"sensor": "s02", "lag_s": 12}])");
  CHECK(render_table(rows) ==
        "sensor  lag_s\n"
        "s01       16y\n"
        "s02       12s\n");
}

TEST_CASE("a table wider than the width wraps its text last column under itself",
          "[ctl][render]") {
  auto rows = Json::parse(R"J([
    {"name": "config-reload", "help": "load the configuration file again (a bad one keeps the running one)"},
    {"name": "version", "help": "software and library versions"}])J");
  std::string out = render_table(rows, 2, 40);
CHECK(out ==
      "  name           help\n"
      "  config-reload  load the configuration\n"
      "                 file again (a bad one\n"
      "                 keeps the running one)\n"
      "  version        software and library\n"
      "                 versions\n");
// Without a width (a pipe), whole lines.
CHECK(render_table(rows, 2).find("(a bad one keeps the running one)\n") != std::string::npos);
}
