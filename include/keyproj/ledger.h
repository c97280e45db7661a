// The Ledger (项目台账): every project of a bureau with its monthly reports, funding,
// plans, problems and comparable bases.
//
// A Ledger is built once by a LedgerBuilder (which validates everything) or loaded
// by LoadCsvLedger, and is read-only afterwards, so any number of threads may read
// it at once without locks. Its figures are read through queries (engine.h); this
// header gives the per-project facts a caller needs to name what a query returns
// (a project's code and name, the months it reported, its running totals).
//
// How the columns are stored is internal (keyproj/internal/ledger_columns.h).
#ifndef KEYPROJ_LEDGER_H_
#define KEYPROJ_LEDGER_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyproj/date.h"
#include "keyproj/enum_table.h"
#include "keyproj/money.h"
#include "keyproj/table_layout.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/string_pool.h"

namespace keyproj {

// A column of an input file that keyproj does not know: kept, never used.
struct ExtraColumn {
  std::string header;
  // Value per stored row of its table (per slot for monthly.csv), ids in strings().
  std::vector<uint32_t> values;
};

// The tables of a ledger. Stored in diagnostics and crosses the C ABI: only ever
// append. Their names (id, label, aliases) also name a workbook's sheets
// (--data ledger.xlsx: ParseEnum<Table>(sheet name), docs/ledger-loading.md).
enum class Table : uint8_t { kProjects, kMonthly, kFunding, kPlans, kProblems, kBaseline, kApprovals };
inline constexpr int kTableCount = 7;

template <>
struct EnumTraits<Table> {
  static std::span<const EnumEntry<Table>> entries() {
    static constexpr EnumEntry<Table> kEntries[] = {
        {Table::kProjects, "projects", "项目基本信息", "项目|项目表|项目台账|重点项目"},
        {Table::kMonthly, "monthly", "月度调度", "月报|月度"},
        {Table::kFunding, "funding", "资金来源", "资金"},
        {Table::kPlans, "plans", "年度计划", "计划"},
        {Table::kProblems, "problems", "问题清单", "问题"},
        {Table::kBaseline, "baseline", "同期基数", "基数|上年基数"},
        {Table::kApprovals, "approvals", "前期手续", "审批手续|手续|审批"},
    };
    return kEntries;
  }
};

// "projects", "monthly", ...: what diagnostics name when the input had no file name.
inline std::string_view TableName(Table t) { return EnumId(t); }

class Ledger;
namespace internal {
struct LedgerColumnsView;
LedgerColumnsView Columns(const Ledger& ledger);
struct SnapshotAccess;  // src/snapshot: writes a ledger's storage, and opens one that views a file
void SetTableLayouts(Ledger& ledger, std::vector<TableLayout> layouts);  // the CSV loader's
}  // namespace internal

class Ledger {
 public:
  Ledger() = default;
  Ledger(Ledger&&) = default;
  Ledger& operator=(Ledger&&) = default;
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  uint32_t size() const { return static_cast<uint32_t>(projects_.code.size()); }

  // The values of the input's unknown columns (kept, never used), per table.
  const std::vector<ExtraColumn>& extras(Table t) const { return extras_[static_cast<int>(t)]; }

  // How each table file that was not a plain CSV table was laid out (a bureau's
  // 台账: title rows, unit row, 合计 rows, footer; keyproj/table_layout.h), in the
  // order the files were read. Empty for plain files and for ledgers not read from
  // files. Provenance only: no figure depends on it.
  const std::vector<TableLayout>& layouts() const { return layouts_; }

  std::string_view code(uint32_t p) const { return codes_.Get(projects_.code[p]); }
  std::string_view name(uint32_t p) const { return strings_.Get(projects_.name[p]); }
  // Project p's 6-digit administrative division code (GB/T 2260); 0 = not known.
  int32_t region(uint32_t p) const { return projects_.region[p]; }
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
  // block * internal::kTotalsBlockSize + i at [i]), or nullptr when they are all 0 (m is
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
  friend internal::LedgerColumnsView internal::Columns(const Ledger& ledger);
  friend struct internal::SnapshotAccess;
  friend void internal::SetTableLayouts(Ledger& ledger, std::vector<TableLayout> layouts);

  const int64_t* Row(const std::vector<int64_t>& cum, uint32_t block, Month m) const {
    const internal::TotalsBlock& b = monthly_.total_blocks[block];
    const int64_t k = std::min<int64_t>(int64_t{m.index()} - b.first_month, int64_t{b.months} - 1);
    if (k < 0) return nullptr;
    return cum.data() + b.offset + static_cast<uint64_t>(k) * internal::TotalsBlockWidth(size(), block);
  }
  int64_t Through(const std::vector<int64_t>& cum, uint32_t p, Month m) const {
    const int64_t* row = Row(cum, p / internal::kTotalsBlockSize, m);
    return row == nullptr ? 0 : row[p % internal::kTotalsBlockSize];
  }

  internal::ProjectColumns projects_;
  internal::MonthlyColumns monthly_;
  internal::FundingColumns funding_;
  internal::PlanColumns plans_;
  internal::ProblemColumns problems_;
  internal::BaselineColumns baseline_;
  internal::ApprovalColumns approvals_;
  std::vector<ExtraColumn> extras_[kTableCount];
  std::vector<TableLayout> layouts_;
  internal::StringPool codes_;                       // project codes; id -> project via code_to_project_
  internal::Column<uint32_t> code_to_project_;  // indexed by codes_ id
  internal::StringPool strings_;
  // What the columns and pools of a ledger opened from a snapshot view (the mapped
  // file); null for a built ledger. (Viewing columns and pools never touch the
  // viewed memory when destroyed or moved, so the order of release does not matter.)
  std::shared_ptr<const void> storage_;
};

namespace internal {
inline void SetTableLayouts(Ledger& ledger, std::vector<TableLayout> layouts) { ledger.layouts_ = std::move(layouts); }

inline LedgerColumnsView Columns(const Ledger& ledger) {
  return {ledger.projects_, ledger.monthly_, ledger.funding_, ledger.plans_,
          ledger.problems_, ledger.baseline_, ledger.approvals_, ledger.strings_};
}
}  // namespace internal

}  // namespace keyproj

#endif  // KEYPROJ_LEDGER_H_
