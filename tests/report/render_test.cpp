#include <catch2/catch.hpp>
#include <regex>

#include "common/report/report_builder.h"
#include "daemon/report/language.h"
#include "daemon/report/page.h"
#include "daemon/report/sentences.h"
#include "report/fake_source.h"

using namespace teiten;
using namespace teiten::report_cli;

TEST_CASE("numbers are grouped by thousands and rounded half away from zero", "[report][render]") {
  CHECK(grouped(0) == "0");
  CHECK(grouped(999) == "999");
  CHECK(grouped(1000) == "1,000");
  CHECK(grouped(116141) == "116,141");
  CHECK(grouped(1234567) == "1,234,567");
  CHECK(decimal(374.64, 1) == "374.6");
  CHECK(decimal(12345.0, 0) == "12,345");
  CHECK(whole(374.5) == "375");
  CHECK(whole(164.01) == "164");
  CHECK(percent(0.1234) == "12.3%");
  CHECK(signed_percent(-12.34) == "-12.3%");
  CHECK(signed_percent(4.5) == "+4.5%");
}

TEST_CASE("days and months are written as each language writes them", "[report][render]") {
  auto july = *report::Month::parse("2010-07");
  CHECK(month_name(july, Lang::ja) == "2010年7月");
  CHECK(month_name(july, Lang::en) == "July 2010");
  CHECK(short_day(14799, Lang::ja) == "7月9日");
  CHECK(day_name(14799, Lang::en) == "9 July 2010");
}

namespace {

report::Report small_report() {
  test::FakeSource src;
  src.names = {"s01", "s02"};
  src.cover(14761, 14821);
  for (base::Day d = 14761; d <= 14821; ++d)
    for (store::SensorIndex s = 0; s < 2; ++s)
      src.rows.push_back({d, s, packet::Proto::tcp, 445, packet::Kind::probe, "1.0.0.1", 2});
  for (base::Day d = 14799; d <= 14821; ++d)
    for (int i = 0; i < 25; ++i)
      src.rows.push_back({d, 0, packet::Proto::udp, 5060, packet::Kind::probe,
                          "2.0.0." + std::to_string(i), 1});
  test::FakeLocator geo;
  return report::build_report(src, geo, *report::Month::parse("2010-07"), {});
}

}  // namespace

TEST_CASE("the headline reads like the reference's first paragraph", "[report][render]") {
  auto r = small_report();
  auto ja = headline(r, Lang::ja);
  CHECK(ja.summary.find("2010年7月の期待しない（一方的な）アクセスの総数は2観測点で") == 0);
  CHECK(ja.summary.find("延べ発信元数※は") != std::string::npos);
  CHECK(ja.coverage.empty());
  CHECK(ja.change.find("6月と比べて増加しました") != std::string::npos);
  auto en = headline(r, Lang::en);
  CHECK(en.summary.find("In July 2010, the 2 sensors received") == 0);
  CHECK(en.entries.find("5060/udp entered the top ten") != std::string::npos);
}

TEST_CASE("both pages render every section and carry the same numbers", "[report][render]") {
  auto r = small_report();
  auto names = geo::CountryNames::load();
  CommentaryTable commentary;
  commentary[{packet::Proto::tcp, 445}] = {"smb", "SMB の解説", "About SMB"};
  auto ja = render_page(page_view(r, names, commentary, Lang::ja), Lang::ja);
  auto en = render_page(page_view(r, names, commentary, Lang::en), Lang::en);
  for (const auto* page : {&ja, &en}) {
    CHECK(page->find("{{") == std::string::npos);
    CHECK(page->find("figures/2-1.") != std::string::npos);
    CHECK(page->find("figures/1-3-1c.") != std::string::npos);
  }
  CHECK(ja.find("SMB の解説") != std::string::npos);
  CHECK(en.find("About SMB") != std::string::npos);
  CHECK(en.find("No commentary for this port type yet") != std::string::npos);  // 5060/udp
  // The numbers in the tables' numeric cells, in order, are the same.
  auto cells = [](const std::string& html) {
    std::vector<std::string> out;
    std::regex cell(R"(<td class="n">([^<]*)<)");
    std::regex number(R"([0-9][0-9,.]*%?)");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), cell); it != std::sregex_iterator(); ++it) {
      auto text = (*it)[1].str();
      for (auto n = std::sregex_iterator(text.begin(), text.end(), number); n != std::sregex_iterator(); ++n)
        out.push_back(n->str());
    }
    return out;
  };
  CHECK(cells(ja).size() > 50);
  CHECK(cells(ja) == cells(en));
}
