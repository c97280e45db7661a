#include "keyproj/date.h"

#include "boost/date_time/gregorian/gregorian.hpp"
#include "gtest/gtest.h"

namespace keyproj {
namespace {

TEST(Date, DayNumbersMatchBoost) {
  const boost::gregorian::date epoch(1970, 1, 1);
  for (int y : {1900, 1970, 1999, 2000, 2020, 2024, 2100}) {
    for (int m = 1; m <= 12; ++m) {
      std::optional<Date> d = Date::FromYmd(y, m, 28);
      ASSERT_TRUE(d);
      const boost::gregorian::date b(static_cast<unsigned short>(y), static_cast<unsigned short>(m), 28);
      EXPECT_EQ(d->days(), (b - epoch).days());
      EXPECT_EQ(d->ymd().year, y);
      EXPECT_EQ(d->ymd().month, m);
      EXPECT_EQ(d->ymd().day, 28);
    }
  }
  EXPECT_EQ(Date::FromYmd(1970, 1, 1)->days(), 0);
  EXPECT_EQ(Date::FromYmd(1969, 12, 31)->days(), -1);
}

// keyproj's one calendar (internal::civil in date.h) against Boost.Date_Time, day by
// day over two whole 400-year cycles around the years a ledger holds.
TEST(Date, EveryDayMatchesBoost) {
  const boost::gregorian::date epoch(1970, 1, 1);
  for (boost::gregorian::date b(1600, 1, 1); b < boost::gregorian::date(2401, 1, 1); b += boost::gregorian::days(1)) {
    const int32_t days = static_cast<int32_t>((b - epoch).days());
    const YearMonthDay v = internal::civil::CivilFromDays(days);
    const int y = b.year(), m = b.month(), d = b.day();
    ASSERT_TRUE(v.year == y && v.month == m && v.day == d) << days;
    ASSERT_EQ(internal::civil::DaysFromCivil(y, m, d), days);
    ASSERT_EQ(internal::civil::DaysInMonth(y, m), static_cast<int>(b.end_of_month().day()));
    if (y >= 1900) {
      ASSERT_EQ(Date::FromYmd(y, m, d)->days(), days);
    }
  }
}

TEST(Date, CalendarValidity) {
  EXPECT_TRUE(Date::FromYmd(2024, 2, 29));
  EXPECT_FALSE(Date::FromYmd(2023, 2, 29));
  EXPECT_FALSE(Date::FromYmd(1900, 2, 29));
  EXPECT_TRUE(Date::FromYmd(2000, 2, 29));
  EXPECT_FALSE(Date::FromYmd(2024, 4, 31));
  EXPECT_FALSE(Date::FromYmd(2024, 13, 1));
  EXPECT_FALSE(Date::FromYmd(2024, 0, 1));
  EXPECT_FALSE(Date::FromYmd(2024, 1, 0));
}

TEST(Date, ParsesTheLedgerForms) {
  const Date want = *Date::FromYmd(2024, 3, 5);
  EXPECT_EQ(Date::Parse("2024-03-05"), want);
  EXPECT_EQ(Date::Parse("2024/03/05"), want);
  EXPECT_EQ(Date::Parse("2024/3/5"), want);  // what Excel writes
  EXPECT_EQ(Date::Parse("2024-3-5"), want);
  EXPECT_EQ(Date::Parse("2024年3月5日"), want);
  EXPECT_EQ(Date::Parse("2024年03月05日"), want);
  EXPECT_EQ(Date::Parse(" 2024-03-05 "), want);
  EXPECT_EQ(Date::Parse("2024-12-31")->ToString(), "2024-12-31");
  // As documents and other systems write dates, and as Excel/WPS export a date-time
  // cell: the time must be midnight, or it is not taken for a day.
  EXPECT_EQ(Date::Parse("2024.3.5"), want);
  EXPECT_EQ(Date::Parse("2024.03.05"), want);
  EXPECT_EQ(Date::Parse("20240305"), want);
  EXPECT_EQ(Date::Parse("2024-03-05 00:00:00"), want);
  EXPECT_EQ(Date::Parse("2024/3/5 0:00"), want);
  EXPECT_EQ(Date::Parse("2024-03-05T00:00:00"), want);
  EXPECT_EQ(Date::Parse("2024-03-05T00:00:00.000"), want);
  EXPECT_EQ(Date::Parse("20240305 00:00:00"), want);
  EXPECT_EQ(Date::Parse("2024年3月5日 00:00"), want);
}

TEST(Date, RejectsOtherShapes) {
  for (std::string_view bad : {"", "2024", "2024-03", "2024-3-5-1", "24-03-05", "2024.03.05.",
                               "2024-03/05", "2024年3月5", "2024年3月", "2024-02-30", "20240230",
                               "2024-003-05", "abcd-03-05", "2024-03-05 12:00", "2024-03-05 00:00:01",
                               "2024-03-05T00:0", "2024-03-05 00:00:", "2024-03-05 00:00:00.",
                               "2024-03-05x", "2024030", "202403051", "2024-03-05  00:00", "2024.03",
                               "202403"}) {
    EXPECT_FALSE(Date::Parse(bad)) << bad;
  }
}

TEST(Month, ParsesAndPrints) {
  EXPECT_EQ(Month::Parse("2024-09"), Month::FromYm(2024, 9));
  EXPECT_EQ(Month::Parse("2024/9"), Month::FromYm(2024, 9));
  EXPECT_EQ(Month::Parse("2024年9月"), Month::FromYm(2024, 9));
  // Excel turns "2024-09" into a date on the 1st.
  EXPECT_EQ(Month::Parse("2024/9/1"), Month::FromYm(2024, 9));
  EXPECT_FALSE(Month::Parse("2024/9/2"));
  EXPECT_EQ(Month::Parse("202409"), Month::FromYm(2024, 9));
  EXPECT_EQ(Month::Parse("2024-09-01 00:00:00"), Month::FromYm(2024, 9));  // Excel's 1st, exported
  EXPECT_EQ(Month::Parse("2024.9.1"), Month::FromYm(2024, 9));
  // Not "2024.9" or "2024.10": saved from a number cell, October is "2024.1".
  EXPECT_FALSE(Month::Parse("2024.9"));
  EXPECT_FALSE(Month::Parse("2024.1"));
  EXPECT_FALSE(Month::Parse("2024-13"));
  EXPECT_FALSE(Month::Parse("2024-00"));
  EXPECT_FALSE(Month::Parse("2024"));
  EXPECT_EQ(Month::FromYm(2024, 9).ToString(), "2024-09");
  EXPECT_EQ(Month::FromYm(2024, 1) - 1, Month::FromYm(2023, 12));
  EXPECT_EQ(Month::FromYm(2024, 3) - Month::FromYm(2023, 3), 12);
  EXPECT_EQ(Month::FromYm(2024, 2).last_day(), *Date::FromYmd(2024, 2, 29));
  EXPECT_EQ(Month::FromYm(2023, 2).last_day(), *Date::FromYmd(2023, 2, 28));
  EXPECT_EQ(Month::Of(*Date::FromYmd(2024, 10, 31)), Month::FromYm(2024, 10));
}

TEST(Periods, OfAnAsOfDate) {
  Periods p = Periods::For(*Date::FromYmd(2024, 9, 30));
  EXPECT_EQ(p.month, Month::FromYm(2024, 9));
  EXPECT_EQ(p.year, 2024);
  EXPECT_EQ(p.ytd.first, Month::FromYm(2024, 1));
  EXPECT_EQ(p.ytd.last, Month::FromYm(2024, 9));
  EXPECT_EQ(p.ytd.size(), 9);
  EXPECT_EQ(p.prev_ytd.first, Month::FromYm(2023, 1));
  EXPECT_EQ(p.prev_ytd.last, Month::FromYm(2023, 9));
  EXPECT_EQ(p.quarter.first, Month::FromYm(2024, 7));
  EXPECT_EQ(p.quarter.last, Month::FromYm(2024, 9));

  // Mid-month as_of takes that whole month.
  Periods mid = Periods::For(*Date::FromYmd(2024, 11, 15));
  EXPECT_EQ(mid.month, Month::FromYm(2024, 11));
  EXPECT_EQ(mid.quarter.first, Month::FromYm(2024, 10));
  EXPECT_EQ(mid.quarter.last, Month::FromYm(2024, 11));

  Periods jan = Periods::For(*Date::FromYmd(2025, 1, 31));
  EXPECT_EQ(jan.ytd.size(), 1);
  EXPECT_EQ(jan.prev_ytd.first, Month::FromYm(2024, 1));
}

TEST(Date, WholeMonths) {
  auto D = [](int y, int m, int d) { return *Date::FromYmd(y, m, d); };
  EXPECT_EQ(WholeMonths(D(2024, 1, 31), D(2024, 2, 29)), 0);  // month end: not a whole month yet
  EXPECT_EQ(WholeMonths(D(2024, 1, 31), D(2024, 3, 1)), 1);
  EXPECT_EQ(WholeMonths(D(2024, 2, 29), D(2024, 3, 29)), 1);
  EXPECT_EQ(WholeMonths(D(2024, 2, 29), D(2024, 3, 28)), 0);
  EXPECT_EQ(WholeMonths(D(2024, 3, 15), D(2024, 3, 15)), 0);
  EXPECT_EQ(WholeMonths(D(2023, 3, 15), D(2024, 3, 15)), 12);
  EXPECT_EQ(WholeMonths(D(2023, 3, 15), D(2024, 3, 14)), 11);
  EXPECT_EQ(WholeMonths(D(2023, 12, 31), D(2024, 12, 31)), 12);
  EXPECT_EQ(WholeMonths(D(2024, 3, 1), D(2024, 1, 31)), -1);  // backwards: minus the forward count
  EXPECT_EQ(MonthsBefore(D(2024, 3, 31), 1), D(2024, 2, 29));
  EXPECT_EQ(MonthsBefore(D(2024, 3, 1), 1), D(2024, 2, 1));
  EXPECT_EQ(MonthsBefore(D(2024, 3, 15), 0), D(2024, 3, 15));
  EXPECT_EQ(MonthsBefore(D(2024, 1, 10), 24), D(2022, 1, 10));
}

// MonthsBefore(to, n) is the last day n whole months before `to`, for every pair of
// days over two years of `to` and every n the engine uses.
TEST(Date, MonthsBeforeAgreesWithWholeMonths) {
  for (int32_t to = Date::FromYmd(2023, 1, 1)->days(); to <= Date::FromYmd(2024, 12, 31)->days(); to += 3) {
    for (int n : {0, 1, 6, 12, 24, 120}) {
      const Date last = MonthsBefore(Date::FromDays(to), n);
      EXPECT_GE(WholeMonths(last, Date::FromDays(to)), n) << Date::FromDays(to).ToString() << " n " << n;
      if (n > 0) {  // (n = 0: `to` itself; a later day is not counted back to)
        EXPECT_LT(WholeMonths(Date::FromDays(last.days() + 1), Date::FromDays(to)), n)
            << Date::FromDays(to).ToString() << " n " << n;
      }
    }
    for (int32_t from = to - 800; from <= to; from += 7) {
      const int months = WholeMonths(Date::FromDays(from), Date::FromDays(to));
      EXPECT_LE(from, MonthsBefore(Date::FromDays(to), months).days());
      EXPECT_GT(from, MonthsBefore(Date::FromDays(to), months + 1).days());
    }
  }
}

}  // namespace
}  // namespace keyproj
