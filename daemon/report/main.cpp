// teiten-report: the monthly observation report (docs/report.md). Parses
// flags and hands over to run(); exit codes are in report_run.h.
#include <CLI/CLI.hpp>
#include <iostream>

#include "daemon/report/commentary.h"
#include "daemon/report/report_run.h"

int main(int argc, char** argv) {
  using namespace teiten::report_cli;
  Options o;
  std::string lang = "ja";
  o.ports = default_ports_file();
  auto& r = o.rules;
  CLI::App app{"teiten-report: the monthly report of a teiten fleet (or of one sensor)",
               "teiten-report"};
  app.add_option("--db", o.db, "collector or sensor database (opened read-only)")->required();
  app.add_option("--month", o.month, "the month, YYYY-MM")->required();
  app.add_option("--out", o.out, "folder to write into (created)")->required();
  app.add_option("--lang", lang, "page language: ja, en or both")
      ->check(CLI::IsMember({"ja", "en", "both"}))
      ->capture_default_str();
  app.add_option("--geo", o.geo, "MMDB file(s) for country and AS (default: libloc's database)")
      ->check(CLI::ExistingFile);
  app.add_option("--ports", o.ports, "port commentary")->check(CLI::ExistingFile)->capture_default_str();
  auto* rules = "Findings and figures (docs/report.md)";
  app.add_option("--top", r.top, "port types and countries drawn one by one")
      ->check(CLI::Range(1, 30))->capture_default_str()->group(rules);
  app.add_option("--surge-window", r.surge_window, "days before a day that form its baseline")
      ->check(CLI::Range(1, 366))->capture_default_str()->group(rules);
  app.add_option("--surge-iqr", r.surge_iqr, "surge: median + this x IQR")
      ->check(CLI::NonNegativeNumber)->capture_default_str()->group(rules);
  app.add_option("--surge-sd", r.surge_sd, "surge: mean + this x standard deviation")
      ->check(CLI::NonNegativeNumber)->capture_default_str()->group(rules);
  app.add_option("--surge-min-sources", r.surge_min_sources, "surge: at least this many sources")
      ->capture_default_str()->group(rules);
  app.add_option("--surge-min-baseline", r.surge_min_baseline,
                 "surge: test a day only with this many baseline days")
      ->check(CLI::Range(1, 366))->capture_default_str()->group(rules);
  app.add_option("--single-min-accesses", r.single_min_accesses,
                 "single_sensor: at least this many accesses in the month")
      ->capture_default_str()->group(rules);
  app.add_option("--single-min-share", r.single_min_share,
                 "single_sensor: at least this share at one sensor")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str()->group(rules);
  app.add_option("--partial-coverage", r.partial_coverage,
                 "a sensor-day observed for less than this share of 24 h is partial")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str()->group(rules);
  app.add_option("--top-asns", r.top_asns, "rows of the AS table")
      ->check(CLI::Range(1, 1000))->capture_default_str()->group(rules);
  app.footer(
      "Writes DIR/report.json, DIR/report.html (and report.en.html with --lang both),\n"
      "and DIR/figures/ (CSV, gnuplot scripts, SVG, PNG).\n"
      "Exit status: 0 written, 1 runtime error (database unreadable, gnuplot missing),\n"
      "2 bad arguments, 5 no data for that month (nothing written).\n");
  app.set_version_flag("--version", "teiten-report " TEITEN_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "teiten-report: " << e.what() << " (try --help)\n";
    return kBadArguments;
  }
  if (lang == "both")
    o.langs = {Lang::ja, Lang::en};
  else
    o.langs = {lang == "ja" ? Lang::ja : Lang::en};
  return run(o, std::cerr);
}
