#include "daemon/report/report_run.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "common/geo/country_names.h"
#include "common/geo/locator.h"
#include "common/pgstore/pg_report_source.h"
#include "common/process/progress_line.h"
#include "common/report/report_builder.h"
#include "common/report/report_json.h"
#include "common/store/sqlite_report_source.h"
#include "common/store/store_error.h"
#include "daemon/report/charts.h"
#include "daemon/report/commentary.h"
#include "daemon/report/page.h"
#include "daemon/report/report_figures.h"

namespace teiten::report_cli {
namespace {

namespace fs = std::filesystem;

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    auto end = dirs.find(':', start);
    auto dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty() && access((fs::path(dir) / program).c_str(), X_OK) == 0) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

// --db names an SQLite file, or a PostgreSQL database (docs/postgresql.md).
std::unique_ptr<store::ReportSource> open_source(const std::string& db) {
  if (pgstore::is_postgres_location(db))
    return pgstore::open_pg_report_source({db, "", "teiten-report"});
  return store::open_sqlite_report_source(db);
}

// What messages may show of --db: a connection string only as its
// description, in case it holds a password after all.
std::string shown(const std::string& db) {
  return pgstore::is_postgres_location(db) ? pgstore::describe({db}) : db;
}

}  // namespace

int run(const Options& o, std::ostream& err) {
  auto month = report::Month::parse(o.month);
  if (!month) {
    err << "teiten-report: --month must be YYYY-MM (1970-01 .. 2149-12), not '" << o.month << "'\n";
    return kBadArguments;
  }
  try {
    // Everything that can fail before a file is written fails here.
    auto source = open_source(o.db);
    geo::LocatorOptions geo_options;
    geo_options.mmdb_paths = o.geo;
    auto locator = geo::open_locator(geo_options);
    auto names = geo::CountryNames::load();
    auto commentary = load_commentary(o.ports);
    if (!on_path("gnuplot"))
      throw std::runtime_error("gnuplot is not installed (Debian: apt-get install gnuplot-nox)");

    // On a terminal, the step under way and its time (the month's read and
    // gnuplot take seconds each on a large fleet).
    process::ProgressTicker progress;
    progress.step("reading " + o.month + " from " + fs::path(o.db).filename().string());
    report::Report rep;
    try {
      rep = report::build_report(*source, *locator, *month, o.rules);
    } catch (const report::NoData& e) {
      progress.clear();
      err << "teiten-report: " << e.what() << "; nothing written\n";
      return kNoData;
    }
    source.reset();  // ends the read transaction: the snapshot is no longer needed

    fs::path out(o.out);
    fs::create_directories(out / "figures");
    write_file(out / "report.json", report::to_json(rep).dump(1) + "\n");
    ChartWriter charts(out / "figures", o.langs);
    draw_figures(rep, names, charts);
    progress.step("drawing the figures with gnuplot");
    charts.render();
    progress.step("writing the pages");
    std::string pages;
    for (Lang lang : o.langs) {
      std::string name = lang == o.langs.front() ? "report.html" : "report." + code(lang) + ".html";
      write_file(out / name, render_page(page_view(rep, names, commentary, lang), lang));
      pages += ", " + name;
    }
    char took[32];
    std::snprintf(took, sizeof took, "%.1fs", progress.elapsed());
    progress.finish("wrote " + out.string() + "/ (report.json" + pages + ", figures/) in " + took);
    return kWritten;
  } catch (const store::StoreError& e) {
    err << "teiten-report: cannot read " << shown(o.db) << " as a teiten database: " << e.what()
        << '\n';
  } catch (const std::exception& e) {
    err << "teiten-report: " << e.what() << '\n';
  }
  return kRuntimeError;
}

}  // namespace teiten::report_cli
