#include "daemon/report/language.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace teiten::report_cli {
namespace {

constexpr std::array<const char*, 12> kEnglishMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::string group_digits(const std::string& digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string code(Lang lang) {
  return lang == Lang::ja ? "ja" : "en";
}

geo::Language geo_language(Lang lang) {
  return lang == Lang::ja ? geo::Language::ja : geo::Language::en;
}

std::string grouped(uint64_t value) {
  return group_digits(std::to_string(value));
}

std::string decimal(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value));
  std::string text = buf;
  auto dot = text.find('.');
  std::string out = group_digits(text.substr(0, dot));
  if (dot != std::string::npos) out += text.substr(dot);
  return (value < 0 && out.find_first_not_of("0.,") != std::string::npos ? "-" : "") + out;
}

std::string whole(double value) {
  return decimal(std::round(value), 0);
}

std::string percent(double share) {
  return decimal(share * 100.0, 1) + "%";
}

std::string signed_percent(double change) {
  return (change >= 0 ? "+" : "") + decimal(change, 1) + "%";
}

std::string month_name(report::Month m, Lang lang) {
  if (lang == Lang::ja) return std::to_string(m.year) + "年" + std::to_string(m.month) + "月";
  return std::string(kEnglishMonths[static_cast<size_t>(m.month - 1)]) + " " +
         std::to_string(m.year);
}

std::string short_month(report::Month m, Lang lang) {
  if (lang == Lang::ja) return std::to_string(m.month) + "月";
  return kEnglishMonths[static_cast<size_t>(m.month - 1)];
}

std::string day_name(base::Day day, Lang lang) {
  auto text = base::format_day(day);
  int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)),
      d = std::stoi(text.substr(8, 2));
  if (lang == Lang::ja)
    return std::to_string(y) + "年" + std::to_string(m) + "月" + std::to_string(d) + "日";
  return std::to_string(d) + " " + kEnglishMonths[static_cast<size_t>(m - 1)] + " " +
         std::to_string(y);
}

std::string short_day(base::Day day, Lang lang) {
  auto text = base::format_day(day);
  int m = std::stoi(text.substr(5, 2)), d = std::stoi(text.substr(8, 2));
  if (lang == Lang::ja) return std::to_string(m) + "月" + std::to_string(d) + "日";
  return std::to_string(d) + " " + kEnglishMonths[static_cast<size_t>(m - 1)];
}

}  // namespace teiten::report_cli
