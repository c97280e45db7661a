// keyproj summary: what a ledger holds -- projects by stage, category and region,
// the approvals (前期手续) by item, and the monthly reports by month.
#include <algorithm>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/load.h"
#include "cli/output.h"
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
    "and by county (named from regions.csv or --regions), the approvals (前期手续,\n"
    "approvals.csv) by item with how many are done (办结时间 given) and pending, and\n"
    "the monthly reports by month with their investment.\n"
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
  Progress progress(false, "");
  std::optional<LoadedLedger> loaded = LoadWithRegions("summary", *flags, progress, &code);
  if (!loaded) return code;
  const Ledger& l = loaded->ledger;
  const RegionNames& regions = *loaded->regions;
  std::ostream& out = std::cout;

  const internal::MonthlyColumns& m = internal::Columns(l).monthly;
  uint64_t rows = 0;
  for (uint8_t f : m.flags) rows += (f & kHasRow) != 0;
  out << "台账 " << *flags->Get("data") << ": " << l.size() << " 个项目, " << rows << " 条月度调度, "
      << internal::Columns(l).funding.project.size() << " 条资金来源, " << internal::Columns(l).plans.project.size() << " 条计划, "
      << internal::Columns(l).problems.project.size() << " 个问题, " << internal::Columns(l).baseline.month.size() << " 条可比基数, "
      << internal::Columns(l).approvals.project.size() << " 条前期手续\n\n";

  PrintByEnum("项目阶段", internal::Columns(l).projects.stage, out);
  // The 招商 funnel's dates (projects.csv intended_on, operating_on): how many are given.
  {
    const internal::ProjectColumns& c = internal::Columns(l).projects;
    auto known = [](const std::vector<int32_t>& days) {
      return static_cast<uint64_t>(std::count_if(days.begin(), days.end(), [](int32_t d) { return d != kNoDay; }));
    };
    out << "意向时间: " << known(c.intended_on) << " 个项目, 投产时间: " << known(c.operating_on) << " 个项目\n\n";
  }
  PrintByEnum("项目类别", internal::Columns(l).projects.category, out);

  // approvals.csv by item: rows, done (a 办结时间 is given, whatever its date: the
  // summary has no as_of), pending, and the projects having the item.
  if (const internal::ApprovalColumns& a = internal::Columns(l).approvals; !a.project.empty()) {
    struct ItemTotals {
      uint64_t rows = 0, done = 0, pending = 0, not_required = 0;
    };
    std::map<int, ItemTotals> by_item;
    ItemTotals all;
    for (size_t i = 0; i < a.project.size(); ++i) {
      for (ItemTotals* t : {&by_item[static_cast<int>(a.item[i])], &all}) {
        ++t->rows;
        ++(a.done_on[i] != kNoDay ? t->done : t->pending);
        t->not_required += a.required[i] == 0;
      }
    }
    TextTable t({"审批事项", "id", "事项数", "已办结", "未办结", "非必需"},
                {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight});
    auto row = [&](std::string label, std::string id, const ItemTotals& n) {
      t.AddRow({std::move(label), std::move(id), Count(n.rows), Count(n.done), Count(n.pending), Count(n.not_required)});
    };
    for (const auto& [value, n] : by_item) {
      const auto item = static_cast<ApprovalItem>(value);
      row(std::string(EnumLabel(item)), std::string(EnumId(item)), n);
    }
    uint64_t projects = 0;
    for (size_t p = 0; p < l.size(); ++p) projects += a.row_begin[p + 1] > a.row_begin[p];
    row(Cat("合计 (", projects, " 个项目)"), "-", all);
    out << t.Render() << "\n";
  }

  // Counties (6-digit region codes) in code order, so each city's come together;
  // with their names ("咸阳市 秦都区") when regions.csv (or --regions) gives them.
  {
    std::map<int32_t, uint64_t> by_region;
    for (int32_t r : internal::Columns(l).projects.region) ++by_region[r];
    const bool named = !regions.empty();
    TextTable t(named ? std::vector<std::string>{"行政区划", "名称", "项目数", "占比"}
                      : std::vector<std::string>{"行政区划", "项目数", "占比"},
                named ? std::vector<Align>{Align::kLeft, Align::kLeft, Align::kRight, Align::kRight}
                      : std::vector<Align>{Align::kLeft, Align::kRight, Align::kRight});
    for (const auto& [region, n] : by_region) {
      std::vector<std::string> row{region == 0 ? "(未填)" : std::to_string(region)};
      if (named) {
        // A county regions.csv does not name has no name here: its city's alone would
        // read as the county's.
        const std::string_view county = region == 0 ? "" : regions.Find(region);
        const std::string_view city = county.empty() ? "" : regions.Find(region / 100);
        row.push_back(Cat(city, city.empty() ? "" : " ", county));
      }
      row.push_back(Count(n));
      row.push_back(Share(n, l.size()));
      t.AddRow(std::move(row));
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
