// The Ledger (项目台账): every project of a bureau with its monthly reports, funding,
// plans, problems and comparable bases, held column by column.
//
// A Ledger is built once by a LedgerBuilder (which validates everything) and is
// read-only afterwards, so any number of threads may read it at once without locks.
//
// Layout (struct of arrays):
// - one vector per project field, indexed by project number 0..size()-1, in the order
//   projects were added; text that repeats (investor, leader, department, tags,
//   progress, ...) is interned once in strings(); dates are day numbers; money is
//   int64 分 (kNoMoney = not known).
// - monthly reports are stored per project as a dense run of months
//   [first_month, first_month + count) (months a project did not report inside its
//   run are slots with no row). Each slot keeps the project's cumulative investment
//   and funds through that month, so any period's sum for a project is one
//   subtraction: year-to-date is O(1).
#ifndef KEYPROJ_LEDGER_H_
#define KEYPROJ_LEDGER_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "keyproj/classification.h"
#include "keyproj/date.h"
#include "keyproj/funding.h"
#include "keyproj/industry.h"
#include "keyproj/money.h"
#include "keyproj/problem_kind.h"
#include "keyproj/project_code.h"
#include "keyproj/stage.h"
#include "keyproj/string_pool.h"

namespace keyproj {

// Storage sentinel for money that is not known (an empty cell).
inline constexpr int64_t kNoMoney = std::numeric_limits<int64_t>::min();

// 招商引资 flag: not known is kept apart from "no".
enum class Attracted : uint8_t { kUnknown = 0, kNo = 1, kYes = 2 };

// Project fields, one vector each, indexed by project number.
struct ProjectColumns {
  std::vector<uint32_t> code;  // StringPool id in Ledger::codes() (unique)
  std::vector<uint32_t> name;  // id in Ledger::strings()
  std::vector<int32_t> region;  // 6-digit division code; 0 = not known
  std::vector<IndustryCode> industry;
  std::vector<Category> category;
  std::vector<Level> level;
  std::vector<BuildType> build_type;
  std::vector<Stage> stage;  // as written, or derived from the dates when the cell was empty
  std::vector<Attracted> attracted;
  std::vector<ProjectCodeForm> code_form;
  std::vector<int16_t> code_year;  // registration year from a national code; 0 otherwise
  std::vector<int64_t> total_investment;       // 分 or kNoMoney
  std::vector<int64_t> contracted_investment;  // 分 or kNoMoney
  // Day numbers or kNoDay.
  std::vector<int32_t> planned_start, planned_completion, reserved_on, signed_on, started_on,
      completed_on, suspended_on, cancelled_on, start_due;
  std::vector<uint32_t> investor, leader, department;  // ids in strings()
  // Tags of project p: tag_ids[tag_begin[p] .. tag_begin[p + 1]), ids in strings().
  std::vector<uint32_t> tag_begin;
  std::vector<uint32_t> tag_ids;
};

// Per-slot flags of a monthly slot.
enum MonthlyFlag : uint8_t {
  kHasRow = 1,           // monthly.csv has a row for this project and month
  kInvestmentKnown = 2,  // its investment cell was not empty
  kFundsKnown = 4,       // its funds_arrived cell was not empty
};

// Running totals are kept for blocks of this many consecutive projects (the last
// block may be shorter); see MonthlyColumns::total_blocks.
inline constexpr uint32_t kTotalsBlockSize = 1024;
// The number of projects in block `block` of a ledger of `projects` projects.
constexpr uint32_t TotalsBlockWidth(uint32_t projects, uint32_t block) {
  return std::min(kTotalsBlockSize, projects - block * kTotalsBlockSize);
}

// The months of one block's running totals: rows first_month .. first_month +
// months - 1, row k of the block's n projects at offset + k * n.
struct TotalsBlock {
  int32_t first_month = 0;  // Month index
  int32_t months = 0;       // 0 when no project of the block has a monthly row
  uint64_t offset = 0;      // into MonthlyColumns::cum_investment and cum_funds
};

struct MonthlyColumns {
  // Project p's slots are slot_begin[p] .. slot_begin[p + 1]; slot i holds month
  // first_month[p] + (i - slot_begin[p]).
  std::vector<uint64_t> slot_begin;  // size() + 1 entries
  std::vector<int32_t> first_month;  // Month index; meaningless for a project with no slots
  // Running totals (分) of investment and of funds arrived through each month,
  // month-major per block of kTotalsBlockSize projects: project p is entry
  // p % kTotalsBlockSize of each row of block p / kTotalsBlockSize. A block's rows
  // cover every month any of its projects reported; before them a total is 0, after
  // them it stays at the last row's. Month-major because a query needs a handful of
  // months of every project, and each is then one contiguous read instead of a walk
  // over every project's months (docs/ledger.md, "The Ledger in memory"). Read them through
  // Ledger::InvestmentThrough, FundsThrough, InvestmentRow and FundsRow.
  std::vector<TotalsBlock> total_blocks;
  std::vector<int64_t> cum_investment;
  std::vector<int64_t> cum_funds;
  // Per slot.
  std::vector<int32_t> reported_on;     // day number or kNoDay
  std::vector<uint32_t> progress;       // id in strings()
  std::vector<ProblemSet> problems;
  std::vector<uint8_t> flags;  // MonthlyFlag bits
};

// funding.csv, sorted by project then year then source. Amounts in 分 (CNY).
struct FundingColumns {
  std::vector<uint32_t> project;
  std::vector<int16_t> year;
  std::vector<FundingSource> source;
  std::vector<int64_t> requested, approved, arrived;  // 分 or kNoMoney
  std::vector<uint32_t> currency;  // id in strings(); 0 = CNY
  // Rows in another currency (currency != 0) keep the amounts as written, in 万 of
  // that currency: original_row lists those rows in ascending order, original_*
  // their amounts (kNoMoney when empty). Sparse, since most ledgers have none; read
  // them through Ledger::FundingOriginal.
  std::vector<uint32_t> original_row;
  std::vector<int64_t> original_requested, original_approved, original_arrived;
  // Project p's rows: row_begin[p] .. row_begin[p + 1].
  std::vector<uint32_t> row_begin;
};

// Planned investment by year (plans.csv, and projects.csv's annual_plan/plan_year).
struct PlanColumns {
  std::vector<uint32_t> project;
  std::vector<int16_t> year;
  std::vector<int64_t> planned;  // 分
  std::vector<uint32_t> row_begin;  // project p's rows, sorted by year
};

// problems.csv.
struct ProblemColumns {
  std::vector<uint32_t> project;
  std::vector<uint32_t> id, description, owner;  // ids in strings()
  std::vector<ProblemKind> kind;
  std::vector<int32_t> raised_on, due, resolved_on;  // day numbers or kNoDay
};

// baseline.csv: comparable prior-year bases.
struct BaselineColumns {
  std::vector<int32_t> month;  // Month index: the base for the ytd through this month
  std::vector<uint32_t> dimension, key;  // ids in strings(); dimension "all" with key ""
  std::vector<int64_t> investment;  // 分
};

// A column of an input file that keyproj does not know: kept, never used.
struct ExtraColumn {
  std::string header;
  // Value per stored row of its table (per slot for monthly.csv), ids in strings().
  std::vector<uint32_t> values;
};

enum class Table : uint8_t { kProjects, kMonthly, kFunding, kPlans, kProblems, kBaseline };
inline constexpr int kTableCount = 6;
constexpr std::string_view TableFileName(Table t) {
  switch (t) {
    case Table::kProjects: return "projects.csv";
    case Table::kMonthly: return "monthly.csv";
    case Table::kFunding: return "funding.csv";
    case Table::kPlans: return "plans.csv";
    case Table::kProblems: return "problems.csv";
    case Table::kBaseline: return "baseline.csv";
  }
  return "";
}

class Ledger {
 public:
  Ledger() = default;
  Ledger(Ledger&&) = default;
  Ledger& operator=(Ledger&&) = default;
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  uint32_t size() const { return static_cast<uint32_t>(projects_.code.size()); }

  const ProjectColumns& projects() const { return projects_; }
  const MonthlyColumns& monthly() const { return monthly_; }
  const FundingColumns& funding() const { return funding_; }
  const PlanColumns& plans() const { return plans_; }
  const ProblemColumns& problems() const { return problems_; }
  const BaselineColumns& baseline() const { return baseline_; }
  const std::vector<ExtraColumn>& extras(Table t) const { return extras_[static_cast<int>(t)]; }
  const StringPool& strings() const { return strings_; }

  std::string_view code(uint32_t p) const { return codes_.Get(projects_.code[p]); }
  std::string_view name(uint32_t p) const { return strings_.Get(projects_.name[p]); }
  std::string_view text(uint32_t id) const { return strings_.Get(id); }
  std::optional<uint32_t> FindProject(std::string_view code) const {
    std::optional<uint32_t> id = codes_.Find(code);
    if (!id || *id == 0) return std::nullopt;
    return code_to_project_[*id];
  }

  // ---- monthly figures, O(1) per project -------------------------------------
  // The months project p reported in: [first, first + count).
  std::optional<MonthRange> months(uint32_t p) const {
    const uint64_t n = monthly_.slot_begin[p + 1] - monthly_.slot_begin[p];
    if (n == 0) return std::nullopt;
    Month first = Month::FromIndex(monthly_.first_month[p]);
    return MonthRange{first, first + static_cast<int>(n - 1)};
  }
  // The slot of project p for month m, if p's run covers m.
  std::optional<uint64_t> slot(uint32_t p, Month m) const {
    const uint64_t b = monthly_.slot_begin[p], e = monthly_.slot_begin[p + 1];
    const int64_t off = static_cast<int64_t>(m.index()) - monthly_.first_month[p];
    if (b == e || off < 0 || static_cast<uint64_t>(off) >= e - b) return std::nullopt;
    return b + static_cast<uint64_t>(off);
  }
  // Investment of project p through month m (all months up to and including m).
  int64_t InvestmentThrough(uint32_t p, Month m) const { return Through(monthly_.cum_investment, p, m); }
  int64_t FundsThrough(uint32_t p, Month m) const { return Through(monthly_.cum_funds, p, m); }
  // The running totals through month m of every project of a block (project
  // block * kTotalsBlockSize + i at [i]), or nullptr when they are all 0 (m is
  // before the block's first month); block < total_block_count(). For passes over
  // all projects: one contiguous read per month.
  uint32_t total_block_count() const { return static_cast<uint32_t>(monthly_.total_blocks.size()); }
  const int64_t* InvestmentRow(uint32_t block, Month m) const { return Row(monthly_.cum_investment, block, m); }
  const int64_t* FundsRow(uint32_t block, Month m) const { return Row(monthly_.cum_funds, block, m); }
  // Project p's own figures for month m (its running total less the month before's).
  int64_t InvestmentIn(uint32_t p, Month m) const { return InvestmentThrough(p, m) - InvestmentThrough(p, m - 1); }
  int64_t FundsIn(uint32_t p, Month m) const { return FundsThrough(p, m) - FundsThrough(p, m - 1); }
  // Investment of project p in the months of r.
  int64_t Investment(uint32_t p, MonthRange r) const {
    return InvestmentThrough(p, r.last) - InvestmentThrough(p, r.first - 1);
  }
  int64_t Funds(uint32_t p, MonthRange r) const {
    return FundsThrough(p, r.last) - FundsThrough(p, r.first - 1);
  }
  // Planned investment of project p for a year, kNoMoney when no plan is known.
  int64_t Plan(uint32_t p, int year) const {
    for (uint32_t i = plans_.row_begin[p]; i < plans_.row_begin[p + 1]; ++i) {
      if (plans_.year[i] == year) return plans_.planned[i];
    }
    return kNoMoney;
  }

  // The amounts of a foreign-currency funding row as written; nullopt for a CNY row.
  struct OriginalAmounts {
    int64_t requested, approved, arrived;  // 分 of that currency, or kNoMoney
  };
  std::optional<OriginalAmounts> FundingOriginal(uint32_t row) const {
    const auto& rows = funding_.original_row;
    auto it = std::lower_bound(rows.begin(), rows.end(), row);
    if (it == rows.end() || *it != row) return std::nullopt;
    const auto i = static_cast<size_t>(it - rows.begin());
    return OriginalAmounts{funding_.original_requested[i], funding_.original_approved[i],
                           funding_.original_arrived[i]};
  }

  // Bytes held by the ledger's columns and pools (capacity, not just size), and the
  // part of it that grows with project-months (the per-slot monthly columns and the
  // running totals).
  size_t memory_bytes() const;
  size_t monthly_memory_bytes() const;

 private:
  friend class LedgerBuilder;

  const int64_t* Row(const std::vector<int64_t>& cum, uint32_t block, Month m) const {
    const TotalsBlock& b = monthly_.total_blocks[block];
    const int64_t k = std::min<int64_t>(int64_t{m.index()} - b.first_month, int64_t{b.months} - 1);
    if (k < 0) return nullptr;
    return cum.data() + b.offset + static_cast<uint64_t>(k) * TotalsBlockWidth(size(), block);
  }
  int64_t Through(const std::vector<int64_t>& cum, uint32_t p, Month m) const {
    const int64_t* row = Row(cum, p / kTotalsBlockSize, m);
    return row == nullptr ? 0 : row[p % kTotalsBlockSize];
  }

  ProjectColumns projects_;
  MonthlyColumns monthly_;
  FundingColumns funding_;
  PlanColumns plans_;
  ProblemColumns problems_;
  BaselineColumns baseline_;
  std::vector<ExtraColumn> extras_[kTableCount];
  StringPool codes_;                       // project codes; id -> project via code_to_project_
  std::vector<uint32_t> code_to_project_;  // indexed by codes_ id
  StringPool strings_;
};

}  // namespace keyproj

#endif  // KEYPROJ_LEDGER_H_
