// The project-field table (internal/project_fields.h): every row loads, writes and
// loads back. A new row is covered here without a line of this file changing.
#include "keyproj/internal/project_fields.h"

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv/csv_schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/csv_writer.h"
#include "keyproj/internal/civil_days.h"
#include "keyproj/internal/ledger_compare.h"
#include "keyproj/internal/text.h"

namespace keyproj {
namespace {

using ::keyproj::internal::Cat;
using ::keyproj::internal::DescribeLedgerDifference;
using ::keyproj::internal::FieldKind;
using ::keyproj::internal::FieldRule;
using ::keyproj::internal::ProjectField;
using ::keyproj::internal::ProjectFields;
using ::testing::HasSubstr;

using Cells = std::vector<std::pair<std::string, std::string>>;  // header -> cell

void Set(Cells& cells, std::string_view id, std::string value) {
  for (auto& [header, cell] : cells) {
    if (header == id) {
      cell = std::move(value);
      return;
    }
  }
  cells.emplace_back(std::string(id), std::move(value));
}

// A value of a field's kind, as a bureau's spreadsheet may write it (Chinese forms
// where there are any, text that needs quoting), unlike what an empty cell gives.
std::string Sample(const ProjectField& f) {
  switch (f.kind) {
    case FieldKind::kCode: return "LOCAL-9";
    case FieldKind::kText: return Cat(f.id, " 样例, \"引号\"");
    case FieldKind::kRegion: return "610402";
    case FieldKind::kIndustry: return "C36";
    case FieldKind::kEnum: {
      // A stage that needs no dates and is not the one the dates give (conceived).
      if (f.rule == FieldRule::kDerivedFromDates) return "前期工作";
      std::string label;
      internal::ProjectEnums::Visit(f, [&]<typename E>(E ProjectRecord::*, auto) {
        label = std::string(EnumTraits<E>::entries().back().label);
      });
      return label;
    }
    case FieldKind::kYesNo: return "是";
    case FieldKind::kMoney: return "12345.678901";
    case FieldKind::kYear: return "2024年";
    case FieldKind::kDate: return "2024年6月30日";
    case FieldKind::kTags: return "新动能；支柱性产业; 重点";
  }
  return "";
}

// The fields a field needs beside it to make a valid row: a stage date needs a start
// (completed, suspended), an attracted project (signed, intended) and, operating, a
// completion.
Cells Companions(const ProjectField& f) {
  Cells cells = {{"code", "T-1"}, {"name", "样例项目"}};
  if (f.rule == FieldRule::kStageDate) {
    Set(cells, "attracted", "1");
    Set(cells, "started_on", "2024-03-15");
  }
  if (f.id == "operating_on") Set(cells, "completed_on", "2024-05-31");
  return cells;
}

std::string Csv(const Cells& cells) {
  std::string header, row;
  for (const auto& [h, cell] : cells) {
    if (!header.empty()) {
      header += ',';
      row += ',';
    }
    header += h;
    AppendCsvField(&row, cell);
  }
  return Cat(header, "\n", row, "\n");
}

absl::StatusOr<Ledger> Load(std::vector<CsvInput> files) {
  Diagnostics diagnostics;
  absl::StatusOr<Ledger> l = LoadCsvLedger(files, LoadOptions(), &diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.front().ToString();
  return l;
}

TEST(ProjectFields, EveryFieldRoundTrips) {
  for (const ProjectField& f : ProjectFields()) {
    SCOPED_TRACE(f.id);
    // A row without the field (a required one with another value), and with it.
    Cells without = Companions(f);
    if (!f.required) std::erase_if(without, [&](const auto& cell) { return cell.first == f.id; });
    Cells with = Companions(f);
    Set(with, f.id, Sample(f));
    if (f.rule == FieldRule::kPlanShorthand) {  // a plan is an amount and its year
      for (const ProjectField& g : ProjectFields()) {
        if (g.rule == FieldRule::kPlanShorthand) Set(with, g.id, Sample(g));
      }
    }

    absl::StatusOr<Ledger> base = Load({{"projects.csv", Csv(without)}});
    absl::StatusOr<Ledger> loaded = Load({{"projects.csv", Csv(with)}});
    ASSERT_TRUE(base.ok()) << base.status();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    // The cell was read into the field.
    EXPECT_THAT(DescribeLedgerDifference(*base, *loaded),
                HasSubstr(f.stored() ? Cat(": ", f.id, ": ") : std::string("plan rows: 0 vs 1")));

    for (bool chinese : {false, true}) {
      SCOPED_TRACE(chinese ? "Chinese headers" : "English headers");
      WriteOptions options;
      options.chinese_headers = chinese;
      absl::StatusOr<std::vector<CsvInput>> written = WriteCsvLedgerToMemory(*loaded, options);
      ASSERT_TRUE(written.ok()) << written.status();
      absl::StatusOr<Ledger> again = Load(*std::move(written));
      ASSERT_TRUE(again.ok()) << again.status();
      EXPECT_EQ(DescribeLedgerDifference(*loaded, *again), "");
    }
  }
}

TEST(ProjectFields, IdsAndHeadersAreUnique) {
  std::set<std::string_view> ids, chinese;
  for (const ProjectField& f : ProjectFields()) {
    EXPECT_TRUE(ids.insert(f.id).second) << f.id;
    EXPECT_TRUE(chinese.insert(f.chinese).second) << f.chinese;
    EXPECT_EQ(internal::FindProjectField(f.id), static_cast<size_t>(&f - ProjectFields().data()));
  }
  // projects.csv's schema is the table.
  const std::span<const CsvColumn> columns = CsvColumns(Table::kProjects);
  ASSERT_EQ(columns.size(), ProjectFields().size());
  for (size_t i = 0; i < columns.size(); ++i) {
    EXPECT_EQ(columns[i].id, ProjectFields()[i].id);
    EXPECT_EQ(columns[i].chinese, ProjectFields()[i].chinese);
    EXPECT_EQ(columns[i].required, ProjectFields()[i].required);
  }
}

// StageDatesOf reads every stage date the field table names, each from its column
// into its member, and keeps only what `keep` keeps.
TEST(ProjectFields, StageDatesOfReadsEveryStageDate) {
  int32_t day = internal::civil::DaysFromCivil(2024, 1, 1);
  for (const ProjectField& f : ProjectFields()) {
    if (f.rule != FieldRule::kStageDate) continue;
    SCOPED_TRACE(std::string(f.id));
    internal::ProjectColumns c;
    for (const ProjectField& g : ProjectFields()) {
      if (g.rule == FieldRule::kStageDate) (c.*internal::ColumnMemberAs<int32_t>(g)).push_back(kNoDay);
    }
    (c.*internal::ColumnMemberAs<int32_t>(f))[0] = ++day;
    const auto member = std::get<std::optional<Date> StageDates::*>(f.record);
    const StageDates all = internal::StageDatesOf(c, 0, [](int32_t) { return true; });
    EXPECT_EQ(all.*member, Date::FromDays(day));
    int known = 0;
    for (const ProjectField& g : ProjectFields()) {
      if (g.rule == FieldRule::kStageDate) known += (all.*std::get<std::optional<Date> StageDates::*>(g.record)).has_value();
    }
    EXPECT_EQ(known, 1);
    EXPECT_FALSE((internal::StageDatesOf(c, 0, [&](int32_t v) { return v < day; }).*member).has_value());
  }
}

}  // namespace
}  // namespace keyproj
