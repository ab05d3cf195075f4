#include "daemon/report/charts.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace teiten::report_cli {
namespace {

// Tableau 10, then grey for "other": distinct in print and for most forms
// of colour blindness.
constexpr std::array<const char*, 10> kPalette = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                                  "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                                  "#9c755f", "#17becf"};
constexpr const char* kOtherColour = "#bab0ac";

std::string colour(const std::vector<std::string>& keys, size_t i) {
  if (keys[i] == report::kOtherKey) return kOtherColour;
  return kPalette[i % kPalette.size()];
}

// gnuplot single-quoted strings take everything literally but the quote.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string number(double v) {
  std::ostringstream o;
  o.precision(10);
  o << v;
  return o.str();
}

const std::string& pick(const AxisText& a, Lang lang, bool x) {
  return x ? (lang == Lang::ja ? a.x_ja : a.x_en) : (lang == Lang::ja ? a.y_ja : a.y_en);
}

// Settings every figure shares.
std::string preamble(const AxisText& axes, Lang lang) {
  // Fixed margins, so figures one above the other share their plot area
  // whatever the length of their legends.
  return "reset\n"
         "set datafile separator ','\n"
         "set lmargin at screen 0.08\nset rmargin at screen 0.74\n"
         "set border 3 lc rgb '#555555'\n"
         "set tics nomirror textcolor rgb '#333333'\n"
         "set grid ytics lc rgb '#dddddd' lt 1\n"
         "set key at screen 0.755, graph 1 left top vertical Left reverse noenhanced samplen 1.5 spacing 1.1\n"
         "set style fill solid 0.9 border rgb '#ffffff'\n"
         "set xlabel " +
         quote(pick(axes, lang, true)) + "\nset ylabel " + quote(pick(axes, lang, false)) +
         "\nset yrange [0:*]\nset format y '%.0f'\n"
         // Days of the month on the x axis: every other one, so 31 fit.
         // (gnuplot reads "09" as a bad octal number: compare strings instead.)
         "day_of(s) = substr(s, 9, 9) eq '0' ? substr(s, 10, 10) : substr(s, 9, 10)\n"
         "day_label(i, s) = (int(i) % 2 == 0) ? day_of(s) : ''\n";
}

// A CSV: a header row (`first`, then one name per column) and one row per
// label, its cells from cell(row, column).
std::string csv_table(const std::string& first, const std::vector<std::string>& columns,
                      const std::vector<std::string>& labels,
                      const std::function<std::string(size_t, size_t)>& cell) {
  std::string text = first;
  for (const auto& c : columns) text += "," + csv_field(c);
  text += "\n";
  for (size_t r = 0; r < labels.size(); ++r) {
    text += csv_field(labels[r]);
    for (size_t c = 0; c < columns.size(); ++c) text += "," + cell(r, c);
    text += "\n";
  }
  return text;
}

std::vector<std::string> day_labels(const std::vector<base::Day>& days) {
  std::vector<std::string> out;
  for (auto d : days) out.push_back(base::format_day(d));
  return out;
}

std::vector<std::string> english(const std::vector<std::pair<std::string, std::string>>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(n.second);
  return out;
}

// One plot command over the CSV: one clause per series, each reading the
// file past its header ("using ... title ... lc ...").
std::string plot(const std::string& csv, const std::vector<std::string>& clauses) {
  std::string gp = "plot ";
  for (size_t i = 0; i < clauses.size(); ++i)
    gp += (i ? ", \\\n     '' " : quote(csv) + " ") + "skip 1 " + clauses[i];
  return gp + "\n";
}

}  // namespace

ChartWriter::ChartWriter(std::filesystem::path dir, std::vector<Lang> langs)
    : dir_(std::move(dir)), langs_(std::move(langs)) {
  std::filesystem::create_directories(dir_);
}

std::string ChartWriter::svg(const std::string& id, Lang lang) {
  return "figures/" + id + "." + code(lang) + ".svg";
}
std::string ChartWriter::png(const std::string& id, Lang lang) {
  return "figures/" + id + "." + code(lang) + ".png";
}
std::string ChartWriter::csv(const std::string& id) {
  return "figures/" + id + ".csv";
}

void ChartWriter::write_csv(const std::string& id, const std::string& text) const {
  std::ofstream out(dir_ / (id + ".csv"), std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + (dir_ / (id + ".csv")).string());
}

void ChartWriter::write_scripts(const std::string& id,
                                const std::function<std::string(Lang)>& body, bool compact) const {
  const char* svg_size = compact ? "960,330" : "960,440";
  const char* png_size = compact ? "1600,550" : "1600,733";
  for (Lang lang : langs_) {
    auto base = id + "." + code(lang);
    std::string text = "# " + base +
                       ": drawn from " + id +
                       ".csv by teiten-report; run `gnuplot " + base + ".gp` here to redraw.\n" +
                       "set terminal svg size " + svg_size +
                       " fixed noenhanced font 'Noto Sans CJK JP,13' background rgb 'white'\n"
                       "set output " +
                       quote(base + ".svg") + "\n" + body(lang) +
                       "set terminal pngcairo size " + png_size +
                       " noenhanced font 'Noto Sans CJK JP,20' background rgb 'white'\n"
                       "set output " +
                       quote(base + ".png") + "\nreplot\nunset output\n";
    std::ofstream out(dir_ / (base + ".gp"), std::ios::binary);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + (dir_ / (base + ".gp")).string());
    scripts_.push_back(base + ".gp");
  }
}

void ChartWriter::stacked_days(const std::string& id, const report::DaySeries& s,
                               const KeyName& name, const AxisText& axes, bool compact) {
  write_csv(id, csv_table("day", s.keys, day_labels(s.days), [&](size_t d, size_t k) {
              return std::to_string(s.values[k][d]);
            }));
  write_scripts(id, [&](Lang lang) {
    std::string gp = preamble(axes, lang) +
                     "set style data histograms\nset style histogram rowstacked\n"
                     "set boxwidth 0.75 relative\nset xtics scale 0\n";
    std::vector<std::string> clauses;
    for (size_t i = 0; i < s.keys.size(); ++i)
      clauses.push_back("using " + std::to_string(i + 2) +
                        (i ? "" : ":xtic(day_label($0, strcol(1)))") + " title " +
                        quote(name(s.keys[i], lang)) + " lc rgb " + quote(colour(s.keys, i)));
    return gp + plot(id + ".csv", clauses);
  }, compact);
}

void ChartWriter::clustered(const std::string& id, const std::vector<std::string>& categories,
                            const std::vector<std::pair<std::string, std::string>>& series_names,
                            const std::vector<std::vector<double>>& columns,
                            const KeyName& category_name, const AxisText& axes) {
  write_csv(id, csv_table("category", english(series_names), categories,
                          [&](size_t r, size_t c) { return number(columns[c][r]); }));
  // The legend needs the categories' names per language: a second column
  // set would change the CSV, so the names go in as xtic labels by row.
  write_scripts(id, [&](Lang lang) {
    std::string gp = preamble(axes, lang) +
                     "set style data histograms\nset style histogram clustered gap 1\n"
                     "set boxwidth 0.9 relative\nset xtics scale 0 rotate by -30 left\n";
    gp += "set xtics (";
    for (size_t r = 0; r < categories.size(); ++r)
      gp += (r ? ", " : "") + quote(category_name(categories[r], lang)) + " " + std::to_string(r);
    gp += ")\n";
    std::vector<std::string> clauses;
    for (size_t i = 0; i < columns.size(); ++i)
      clauses.push_back("using " + std::to_string(i + 2) + " title " +
                        quote(lang == Lang::ja ? series_names[i].first : series_names[i].second) +
                        " lc rgb " + quote(kPalette[i % kPalette.size()]));
    return gp + plot(id + ".csv", clauses);
  });
}

void ChartWriter::shares(const std::string& id, const std::vector<report::Share>& shares,
                         const KeyName& name, const AxisText& axes) {
  std::string text = "key,value,share\n";
  std::vector<std::string> keys;
  for (const auto& s : shares) {
    text += csv_field(s.key) + "," + std::to_string(s.value) + "," + number(s.share) + "\n";
    keys.push_back(s.key);
  }
  write_csv(id, text);
  write_scripts(id, [&](Lang lang) {
    std::string gp = preamble(axes, lang) +
                     "unset key\nset rmargin at screen 0.97\nset boxwidth 0.7\n"
                     "set xtics scale 0 rotate by -30 left\n"
                     "set format y '%.0f%%'\nset offsets 0, 0, graph 0.08, 0\n";
    gp += "set xtics (";
    for (size_t r = 0; r < keys.size(); ++r)
      gp += (r ? ", " : "") + quote(name(keys[r], lang)) + " " + std::to_string(r);
    gp += ")\nset xrange [-0.6:" + std::to_string(keys.size()) + "-0.4]\n";
    // `lc rgb variable` takes the colour as a number: 0xRRGGBB in decimal.
    gp += "colours = '";
    for (size_t r = 0; r < keys.size(); ++r)
      gp += (r ? " " : "") + std::to_string(std::stoul(colour(keys, r).substr(1), nullptr, 16));
    gp += "'\nplot " + quote(id + ".csv") +
          " skip 1 using 0:($3*100):(word(colours, int($0)+1)+0) with boxes"
          " lc rgb variable, \\\n     '' skip 1 using 0:($3*100):(sprintf('%.1f%%', $3*100))"
          " with labels offset 0,0.8 textcolor rgb '#333333'\n";
    return gp;
  });
}

void ChartWriter::trend(const std::string& id, const report::TrendSeries& t, const KeyName& name,
                        const AxisText& axes) {
  std::vector<std::string> months;
  for (const auto& m : t.months) months.push_back(m.to_string());
  write_csv(id, csv_table("month", t.keys, months, [&](size_t m, size_t k) {
              return number(t.shares[k][m] * 100.0);
            }));
  write_scripts(id, [&](Lang lang) {
    std::string gp = preamble(axes, lang) +
                     "set style data histograms\nset style histogram rowstacked\n"
                     "set boxwidth 0.6 relative\nset xtics scale 0\nset yrange [0:100]\n"
                     "set format y '%.0f%%'\n";
    std::vector<std::string> clauses;
    for (size_t i = 0; i < t.keys.size(); ++i)
      clauses.push_back("using " + std::to_string(i + 2) + (i ? "" : ":xtic(1)") + " title " +
                        quote(name(t.keys[i], lang)) + " lc rgb " + quote(colour(t.keys, i)));
    return gp + plot(id + ".csv", clauses);
  });
}

void ChartWriter::lines(const std::string& id, const std::vector<base::Day>& days,
                        const std::vector<std::pair<std::string, std::string>>& series_names,
                        const std::vector<std::vector<uint64_t>>& columns, const AxisText& axes) {
  write_csv(id, csv_table("day", english(series_names), day_labels(days),
                          [&](size_t d, size_t c) { return std::to_string(columns[c][d]); }));
  write_scripts(id, [&](Lang lang) {
    std::string gp = preamble(axes, lang) + "set xtics scale 0\n";
    std::vector<std::string> clauses;
    for (size_t i = 0; i < columns.size(); ++i)
      clauses.push_back("using 0:" + std::to_string(i + 2) +
                        (i ? "" : ":xtic(day_label($0, strcol(1)))") + " with linespoints lc rgb " +
                        quote(kPalette[i % kPalette.size()]) + " pt 7 ps 0.6 lw 2 title " +
                        quote(lang == Lang::ja ? series_names[i].first : series_names[i].second));
    return gp + plot(id + ".csv", clauses);
  });
}

void ChartWriter::render() const {
  if (scripts_.empty()) return;
  // gnuplot draws one figure at a time: one process per core (at most
  // four), each over every n-th script, to draw ~100 figures in seconds.
  size_t n = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  n = std::min(n, scripts_.size());
  struct Job {
    pid_t pid;
    std::filesystem::path log;
  };
  std::vector<Job> jobs;
  for (size_t j = 0; j < n; ++j) {
    auto log = std::filesystem::absolute(dir_ / ("gnuplot." + std::to_string(j) + ".log"));
    std::vector<std::string> args{"gnuplot"};
    for (size_t i = j; i < scripts_.size(); i += n) args.push_back(scripts_[i]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("cannot start gnuplot: fork failed");
    if (pid == 0) {
      if (chdir(dir_.c_str()) != 0) _exit(126);
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
      }
      execvp("gnuplot", argv.data());
      _exit(127);
    }
    jobs.push_back({pid, log});
  }
  std::string failures;
  bool missing = false;
  for (const auto& job : jobs) {
    int status = 0;
    while (waitpid(job.pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::ifstream in(job.log);
    std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(job.log);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) missing = true;
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failures += output;
  }
  if (missing) throw std::runtime_error("cannot run gnuplot: is it installed? (Debian: gnuplot-nox)");
  if (!failures.empty()) throw std::runtime_error("gnuplot failed drawing the figures:\n" + failures);
}

}  // namespace teiten::report_cli
