// teiten-report's figures: each is a CSV file with the series behind it and,
// per language, a gnuplot script that draws it from that CSV into an SVG
// (shown on the page) and a PNG (for slides). render() runs one gnuplot
// process over every script. Labels and legends come in the page's
// language; Japanese is set in Noto Sans CJK (Debian's fonts-noto-cjk).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/report/report_data.h"
#include "daemon/report/language.h"

namespace teiten::report_cli {

/// A series key (port label, country code, sensor name, "other") as a
/// legend shows it in a language.
using KeyName = std::function<std::string(const std::string& key, Lang lang)>;

/// Words that differ by language: the axis labels of one figure.
struct AxisText {
  std::string x_ja, x_en, y_ja, y_en;
};

class ChartWriter {
 public:
  /// Figures go to `dir` (created); one script per language in `langs`.
  ChartWriter(std::filesystem::path dir, std::vector<Lang> langs);

  /// Daily values stacked by key (figures 2-1, 2-2, 2-5, 2-7, 1-3).
  /// compact: a lower figure, for the findings' pairs of charts.
  void stacked_days(const std::string& id, const report::DaySeries& series, const KeyName& name,
                    const AxisText& axes, bool compact = false);
  /// Bars side by side: rows are categories, columns the series.
  void clustered(const std::string& id, const std::vector<std::string>& categories,
                 const std::vector<std::pair<std::string, std::string>>& series_names,
                 const std::vector<std::vector<double>>& columns, const KeyName& category_name,
                 const AxisText& axes);
  /// Shares as bars labelled with percentages (figures 2-3, 2-4, 2-6, 2-8).
  void shares(const std::string& id, const std::vector<report::Share>& shares, const KeyName& name,
              const AxisText& axes);
  /// Monthly shares as 100% stacked bars (figures 3-1 .. 3-4).
  void trend(const std::string& id, const report::TrendSeries& trend, const KeyName& name,
             const AxisText& axes);
  /// Daily lines (backscatter and other).
  void lines(const std::string& id, const std::vector<base::Day>& days,
             const std::vector<std::pair<std::string, std::string>>& series_names,
             const std::vector<std::vector<uint64_t>>& columns, const AxisText& axes);

  /// Runs gnuplot over every script. Throws std::runtime_error when gnuplot
  /// cannot be run or fails.
  void render() const;

  /// "figures/2-1.ja.svg": paths relative to the report's folder.
  static std::string svg(const std::string& id, Lang lang);
  static std::string png(const std::string& id, Lang lang);
  static std::string csv(const std::string& id);

 private:
  void write_csv(const std::string& id, const std::string& text) const;
  void write_scripts(const std::string& id, const std::function<std::string(Lang)>& body,
                     bool compact = false) const;

  std::filesystem::path dir_;
  std::vector<Lang> langs_;
  mutable std::vector<std::string> scripts_;
};

}  // namespace teiten::report_cli
