// keyproj summary: what a ledger holds -- projects by stage, category and region,
// and the monthly reports by month.
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/load.h"
#include "keyproj/internal/text_table.h"
#include "keyproj/money.h"
#include "keyproj/internal/text.h"

namespace keyproj::cli {

using ::keyproj::internal::kHasRow;
using ::keyproj::internal::Cat;
using ::keyproj::internal::TextTable;
using ::keyproj::internal::Align;
namespace {

constexpr const char* kHelp =
    "usage: keyproj summary --data DIR [options]\n"
    "\n"
    "Loads a ledger folder and prints what it holds: projects by stage, by category\n"
    "and by county, and the monthly reports by month with their investment.\n"
    "\n"
    "options:\n";
constexpr const char* kExample =
    "\nexample:\n"
    "  keyproj summary --data examples/data\n";

std::string Count(uint64_t n) { return std::to_string(n); }

std::string Share(uint64_t part, uint64_t whole) {
  if (whole == 0) return "-";
  // Percent with one decimal, half-up, in integers.
  const uint64_t tenths = (part * 2000 + whole) / (2 * whole);
  return Cat(tenths / 10, ".", tenths % 10, "%");
}

template <typename E>
void PrintByEnum(const char* title, const std::vector<E>& column, std::ostream& out) {
  std::map<int, uint64_t> counts;
  for (E v : column) ++counts[static_cast<int>(v)];
  TextTable t({title, "id", "项目数", "占比"}, {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight});
  for (const auto& [value, n] : counts) {
    const E e = static_cast<E>(value);
    const std::string_view label = EnumLabel(e);
    t.AddRow({label.empty() ? "(未填)" : std::string(label),
              EnumId(e).empty() ? "-" : std::string(EnumId(e)), Count(n), Share(n, column.size())});
  }
  out << t.Render() << "\n";
}

}  // namespace

int RunSummary(const std::vector<std::string>& args) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, LoadFlagSpecs());
  if (!flags.ok()) {
    std::cerr << "keyproj summary: " << flags.status().message() << "\n" << kHelp << kLoadFlagsHelp;
    return kExitUsage;
  }
  if (flags->Has("help")) {
    std::cout << kHelp << kLoadFlagsHelp << kExample;
    return kExitOk;
  }
  int code = kExitOk;
  std::optional<Ledger> ledger = LoadFromFlags(*flags, &code);
  if (!ledger) return code;
  const Ledger& l = *ledger;
  std::ostream& out = std::cout;

  const internal::MonthlyColumns& m = internal::Columns(l).monthly;
  uint64_t rows = 0;
  for (uint8_t f : m.flags) rows += (f & kHasRow) != 0;
  out << "台账 " << *flags->Get("data") << ": " << l.size() << " 个项目, " << rows << " 条月度调度, "
      << internal::Columns(l).funding.project.size() << " 条资金来源, " << internal::Columns(l).plans.project.size() << " 条计划, "
      << internal::Columns(l).problems.project.size() << " 个问题, " << internal::Columns(l).baseline.month.size() << " 条可比基数\n\n";

  PrintByEnum("项目阶段", internal::Columns(l).projects.stage, out);
  PrintByEnum("项目类别", internal::Columns(l).projects.category, out);

  // Counties (6-digit region codes), grouped under their city.
  {
    std::map<int32_t, uint64_t> by_region;
    for (int32_t r : internal::Columns(l).projects.region) ++by_region[r];
    TextTable t({"行政区划", "项目数", "占比"}, {Align::kLeft, Align::kRight, Align::kRight});
    for (const auto& [region, n] : by_region) {
      t.AddRow({region == 0 ? "(未填)" : std::to_string(region), Count(n), Share(n, l.size())});
    }
    out << t.Render() << "\n";
  }

  // Monthly reports by month: rows, investment and funds (万元, two decimals).
  {
    struct MonthTotals {
      uint64_t rows = 0;
      MoneySum investment, funds;
    };
    std::map<int32_t, MonthTotals> by_month;
    for (uint32_t p = 0; p < l.size(); ++p) {
      for (uint64_t i = m.slot_begin[p]; i < m.slot_begin[p + 1]; ++i) {
        const Month month = Month::FromIndex(m.first_month[p] + static_cast<int32_t>(i - m.slot_begin[p]));
        MonthTotals& t = by_month[month.index()];
        t.investment += l.InvestmentIn(p, month);
        t.funds += l.FundsIn(p, month);
        t.rows += (m.flags[i] & kHasRow) != 0;
      }
    }
    TextTable t({"月份", "报送项目数", "当月完成投资（万元）", "当月到位资金（万元）"},
                {Align::kLeft, Align::kRight, Align::kRight, Align::kRight});
    for (const auto& [month, totals] : by_month) {
      t.AddRow({Month::FromIndex(month).ToString(), Count(totals.rows),
                FormatRounded(totals.investment.fen(), kFenPerWan, 2),
                FormatRounded(totals.funds.fen(), kFenPerWan, 2)});
    }
    out << t.Render();
  }
  return kExitOk;
}

}  // namespace keyproj::cli
