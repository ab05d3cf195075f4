#include "daemon/report/sentences.h"

#include <cmath>

namespace teiten::report_cli {
namespace {

using report::FindingType;

// Change of the per-sensor-per-day accesses: within +-5% reads as "about
// the same" (a sensor's daily volume wanders that much from month to month).
constexpr double kSteady = 5.0;

std::string join(const std::vector<std::string>& items, Lang lang) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += lang == Lang::ja ? "や" : (i + 1 == items.size() ? " and " : ", ");
    out += items[i];
  }
  return out;
}

}  // namespace

Headline headline(const report::Report& r, Lang lang) {
  Headline h;
  auto month = month_name(r.month, lang);
  auto sensors = std::to_string(r.sensor_names.size());
  bool ja = lang == Lang::ja;
  if (ja) {
    h.summary = month + "の期待しない（一方的な）アクセスの総数は" + sensors + "観測点で" +
                grouped(r.probe.accesses) + "件、延べ発信元数※は" + grouped(r.probe.sources) +
                "箇所ありました。平均すると、1観測点につき1日あたり" +
                whole(r.per_sensor_day_sources) + "の発信元から" +
                whole(r.per_sensor_day_accesses) + "件のアクセスがあったこととなります（図1-1参照）。";
  } else {
    h.summary = "In " + month + ", the " + sensors + " sensor" +
                (r.sensor_names.size() == 1 ? "" : "s") + " received " +
                grouped(r.probe.accesses) + " unsolicited accesses from " +
                grouped(r.probe.sources) +
                " summed sources*. On average, each sensor received " +
                whole(r.per_sensor_day_accesses) + " accesses from " +
                whole(r.per_sensor_day_sources) + " sources per day (Figure 1-1).";
  }
  if (!r.coverage_complete()) {
    auto observed = grouped(r.sensor_days_observed), possible = grouped(r.sensor_days_possible);
    h.coverage =
        ja ? "ただし、この月に観測できたのは" + possible + "観測点日のうち" + observed +
                 "観測点日でした（第6章参照）。上の平均は観測できた観測点日で割った値で、全観測点日で割ると1観測点1日あたり" +
                 whole(r.nominal_sources) + "の発信元から" + whole(r.nominal_accesses) + "件となります。"
           : "Coverage was incomplete: the sensors observed " + observed + " of " + possible +
                 " sensor-days this month (section 6). The averages above divide by the "
                 "sensor-days observed; divided by all " +
                 possible + " they are " + whole(r.nominal_accesses) + " accesses from " +
                 whole(r.nominal_sources) + " sources.";
  }
  if (r.previous && r.previous->per_sensor_day_accesses > 0) {
    double change = (r.per_sensor_day_accesses - r.previous->per_sensor_day_accesses) /
                    r.previous->per_sensor_day_accesses * 100.0;
    auto prev = short_month(r.previous->month, lang), now = short_month(r.month, lang);
    auto amount = signed_percent(change);
    if (ja) {
      h.change = month_name(r.months.front().month, lang) + "～" + month + "の各月の1観測点・1日あたりの平均アクセス数と平均発信元数を図1-1に示します。" +
                 now + "の期待しない（一方的な）アクセスは、" + prev + "と比べて" +
                 (std::fabs(change) < kSteady ? "ほぼ同じ水準でした"
                  : change > 0               ? "増加しました"
                                             : "減少しました") +
                 "（1観測点1日あたりのアクセス数 " + amount + "）。";
    } else {
      h.change = "Figure 1-1 shows the accesses and sources per sensor per day for each month. "
                 "Compared with " +
                 prev + ", accesses per sensor per day in " + now + " " +
                 (std::fabs(change) < kSteady ? "stayed about the same"
                  : change > 0               ? "increased"
                                             : "decreased") +
                 " (" + amount + ").";
    }
  }
  std::vector<std::string> entries;
  for (const auto& f : r.findings)
    if (f.type == FindingType::new_entry) entries.push_back(f.label);
  if (r.previous) {
    auto prev = short_month(r.previous->month, lang), now = short_month(r.month, lang);
    if (ja)
      h.entries = prev + "と" + now + "の宛先（ポート種類）別アクセス数の比較を図1-2に示します。" +
                  (entries.empty() ? "上位10位の顔ぶれに前月からの変化はありませんでした。"
                                   : "これをみると、前月は上位に挙がっていなかった" +
                                         join(entries, lang) + "へのアクセスが上位にランクされました。");
    else
      h.entries = "Figure 1-2 compares the accesses by destination port type in " + prev +
                  " and " + now + ". " +
                  (entries.empty() ? "The top ten are the same port types as last month."
                                   : join(entries, lang) +
                                         (entries.size() == 1 ? " entered" : " entered") +
                                         " the top ten, where " +
                                         (entries.size() == 1 ? "it was" : "they were") +
                                         " not last month.");
  }
  return h;
}

std::string finding_sentence(const report::Finding& f, const report::Report& r,
                             const geo::CountryNames& names, const std::string& figure,
                             Lang lang) {
  bool ja = lang == Lang::ja;
  auto fig = ja ? "（図" + figure + "参照）" : " (Figure " + figure + ")";
  switch (f.type) {
    case FindingType::surge: {
      auto country = f.top_country.empty() ? std::string()
                                            : names.name(f.top_country, geo_language(lang));
      if (ja)
        return f.label + "は、" + short_day(f.start, lang) + "から" + std::to_string(f.sensors) +
               "観測点で発信元数が急増しました。" + short_day(f.start, lang) + "の延べ発信元数は" +
               grouped(f.start_sources) + "で、直前" + std::to_string(f.baseline_days) +
               "日間（中央値" + decimal(f.baseline_median, 1) + "、平均" +
               decimal(f.baseline_mean, 1) + "）を大きく上回り、" +
               (f.end > f.start ? short_day(f.end, lang) + "まで続きました。" : "1日だけでした。") +
               "ピークは" + short_day(f.peak_day, lang) + "の" + grouped(f.peak_sources) + "です。" +
               (country.empty()              ? ""
                : f.top_country == "ZZ" ? "開始日の発信元の多くは地域不明でした。"
                                        : "開始日の発信元は主に" + country + "でした。") +
               fig;
      return "Sources of " + f.label + " surged from " + short_day(f.start, lang) + " at " +
             std::to_string(f.sensors) + " sensor" + (f.sensors == 1 ? "" : "s") + ": " +
             grouped(f.start_sources) + " summed sources that day, far above the " +
             std::to_string(f.baseline_days) + " days before (median " +
             decimal(f.baseline_median, 1) + ", mean " + decimal(f.baseline_mean, 1) + "). " +
             (f.end > f.start ? "It lasted until " + short_day(f.end, lang) + ", peaking at "
                              : "It lasted one day, at ") +
             grouped(f.peak_sources) + " on " + short_day(f.peak_day, lang) + "." +
             (country.empty()              ? ""
              : f.top_country == "ZZ" ? " On the first day most sources had no known country."
                                      : " On the first day most sources were in " + country + ".") +
             fig;
    }
    case FindingType::single_sensor:
      if (ja)
        return f.label + "へのアクセス" + grouped(f.accesses) + "件のうち" +
               (f.sensor_accesses == f.accesses ? "すべて"
                                                : grouped(f.sensor_accesses) + "件（" +
                                                      percent(f.share) + "）") +
               "が1つの観測点（" + f.sensor +
               "）で観測されました。インターネット全体ではなく、その観測点のアドレスに向けられたアクセスと考えられます。" +
               fig;
      return (f.sensor_accesses == f.accesses
                  ? "All " + grouped(f.accesses) + " accesses to " + f.label
                  : grouped(f.sensor_accesses) + " of the " + grouped(f.accesses) +
                        " accesses to " + f.label + " (" + percent(f.share) + ")") +
             " reached one sensor, " + f.sensor +
             ": they were aimed at that sensor's address rather than at the whole Internet." + fig;
    case FindingType::new_entry: {
      auto before = f.prev_rank ? (ja ? "前月は" + std::to_string(*f.prev_rank) + "位"
                                      : "ranked " + std::to_string(*f.prev_rank) + " last month")
                                : (ja ? "前月は観測されていません" : "not seen last month");
      if (ja)
        return f.label + "がアクセス数の上位" + std::to_string(r.rules.top) + "に新たに入り、" +
               std::to_string(f.rank) + "位でした（" + before + "）。" + fig;
      return f.label + " entered the top " + std::to_string(r.rules.top) +
             " by accesses at rank " + std::to_string(f.rank) + " (" + before + ")." + fig;
    }
  }
  return "";
}

}  // namespace teiten::report_cli
