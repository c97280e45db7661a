// ColumnLedgerBuilder: a ledger from column arrays equals the one the CSV loader and
// the generator make from the same data, and a bad cell is reported in the CSV
// loader's words, located by table, row and column.
#include "keyproj/column_import.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "../bench/generated_columns.h"
#include "csv/csv_reader.h"
#include "csv/table_rows.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/generator.h"
#include "keyproj/internal/ledger_compare.h"

namespace keyproj {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// A CSV file read into text columns (Arrow utf8), keeping only the columns `keep`
// accepts; `kept` receives the same file without the others, as CSV.
struct TextTable {
  std::vector<std::string> names;
  std::vector<std::string> bytes;
  std::vector<std::vector<int32_t>> offsets;
  size_t rows = 0;
  std::vector<ColumnView> Views() const {
    std::vector<ColumnView> v(names.size());
    for (size_t c = 0; c < names.size(); ++c) {
      v[c].name = names[c];
      v[c].type = ColumnType::kUtf8;
      v[c].values = bytes[c].data();
      v[c].offsets = offsets[c].data();
    }
    return v;
  }
};

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

TextTable ReadTextTable(const std::string& text, Table table, std::string* kept) {
  const std::span<const std::string_view> ids = internal::FieldIds(table);
  internal::CsvReader reader(text);
  TextTable t;
  std::vector<size_t> keep;
  bool header = true;
  while (reader.Next()) {
    const std::span<const std::string_view> f = reader.fields();
    std::string line;
    if (header) {
      for (size_t c = 0; c < f.size(); ++c) {
        if (std::find(ids.begin(), ids.end(), f[c]) == ids.end()) continue;  // an extra column
        keep.push_back(c);
        t.names.emplace_back(f[c]);
      }
      t.bytes.resize(keep.size());
      t.offsets.assign(keep.size(), {0});
      header = false;
    } else {
      for (size_t k = 0; k < keep.size(); ++k) {
        t.bytes[k] += f[keep[k]];
        t.offsets[k].push_back(static_cast<int32_t>(t.bytes[k].size()));
      }
      ++t.rows;
    }
    for (size_t k = 0; k < keep.size(); ++k) line += (k ? "," : "") + CsvField(f[keep[k]]);
    *kept += line + "\n";
  }
  return t;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr Table kOrder[] = {Table::kProjects,  Table::kPlans,    Table::kFunding, Table::kProblems,
                            Table::kApprovals, Table::kBaseline, Table::kMonthly};

// The sample ledger (examples/data) as text columns, in two batches a table, gives
// the ledger the CSV loader makes of the same files (less the unknown column).
TEST(ColumnImport, SampleLedgerAsTextColumnsEqualsCsvLoad) {
  const std::filesystem::path dir = std::filesystem::path(KEYPROJ_SOURCE_DIR) / "examples/data";
  std::vector<CsvInput> csv;
  std::vector<TextTable> tables;
  std::vector<Table> which;
  for (Table t : kOrder) {
    const std::filesystem::path p = dir / CsvFileName(t);
    if (!std::filesystem::exists(p)) continue;
    CsvInput in{CsvFileName(t), ""};
    tables.push_back(ReadTextTable(ReadFile(p), t, &in.bytes));
    which.push_back(t);
    csv.push_back(std::move(in));
  }
  ASSERT_GE(tables.size(), 7u);
  Diagnostics csv_problems;
  absl::StatusOr<Ledger> from_csv = LoadCsvLedger(csv, {}, &csv_problems);
  ASSERT_TRUE(from_csv.ok()) << from_csv.status();
  ASSERT_GT(from_csv->size(), 100u);

  ColumnLedgerBuilder builder;
  for (size_t i = 0; i < tables.size(); ++i) {
    // Two batches: the rows split in the middle (offsets rebased by pointer arithmetic).
    const TextTable& t = tables[i];
    const size_t half = t.rows / 2;
    std::vector<ColumnView> first = t.Views(), second = t.Views();
    for (ColumnView& v : second) v.offsets += half;
    ASSERT_TRUE(builder.AddColumns(which[i], half, first).ok());
    ASSERT_TRUE(builder.AddColumns(which[i], t.rows - half, second).ok());
  }
  Diagnostics problems;
  absl::StatusOr<Ledger> from_columns = builder.Build(&problems);
  ASSERT_TRUE(from_columns.ok()) << from_columns.status();
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(internal::DescribeLedgerDifference(*from_csv, *from_columns), "");
}

// The generator's records as typed columns (int64 分, date32, int32, bool with
// validity bitmaps) give the generator's own ledger.
TEST(ColumnImport, GeneratedLedgerAsTypedColumnsEqualsGenerator) {
  GeneratorOptions o;
  o.projects = 400;
  o.extra_columns = false;
  bench::GeneratedColumns columns;
  ASSERT_TRUE(GenerateRecords(o, columns).ok());
  ASSERT_GT(columns.Rows(Table::kMonthly), 1000u);
  ASSERT_GT(columns.Rows(Table::kFunding), 10u);
  LoadOptions load;
  load.fx_rates = GeneratorBuildOptions(o).fx_rates;
  ColumnLedgerBuilder builder(load);
  for (Table t : bench::GeneratedColumns::kOrder) {
    const std::vector<ColumnView> views = columns.Views(t);
    ASSERT_TRUE(builder.AddColumns(t, columns.Rows(t), views).ok()) << TableName(t);
  }
  Diagnostics problems;
  absl::StatusOr<Ledger> built = builder.Build(&problems);
  ASSERT_TRUE(built.ok()) << built.status();
  absl::StatusOr<Ledger> generated = GenerateLedger(o);
  ASSERT_TRUE(generated.ok());
  EXPECT_EQ(internal::DescribeLedgerDifference(*generated, *built), "");
}

// Bad cells: the CSV loader's reasons, with the row for the line (the CSV's line is
// one more: its header) and the column's position in the call.
TEST(ColumnImport, BadCellsAreReportedAsTheCsvLoaderReportsThem) {
  const std::string projects =
      "code,name,region,total_investment,started_on,stage,attracted\n"
      "P1,One,61040,12.5,2024-01-01,started,1\n"
      "P2,,610402,-3,2024-02-30,nowhere,maybe\n"
      "P3,Three,610402,1.1234567,,,\n"
      "P1,Dup,610402,1,,,\n";
  const std::string monthly =
      "code,month,investment,funds_arrived,problems\n"
      "P3,2024-13,1,,\n"
      "P9,2024-01,1,-2,land;weather\n";
  std::vector<CsvInput> csv = {{"projects.csv", ""}, {"monthly.csv", ""}};
  ColumnLedgerBuilder builder;
  const TextTable p = ReadTextTable(projects, Table::kProjects, &csv[0].bytes);
  const TextTable m = ReadTextTable(monthly, Table::kMonthly, &csv[1].bytes);
  ASSERT_TRUE(builder.AddColumns(Table::kProjects, p.rows, p.Views()).ok());
  ASSERT_TRUE(builder.AddColumns(Table::kMonthly, m.rows, m.Views()).ok());
  Diagnostics from_columns;
  EXPECT_FALSE(builder.Build(&from_columns).ok());
  Diagnostics from_csv;
  EXPECT_FALSE(LoadCsvLedger(csv, {}, &from_csv).ok());
  ASSERT_GE(from_csv.size(), 10u);
  ASSERT_EQ(from_columns.size(), from_csv.size());
  for (size_t i = 0; i < from_csv.size(); ++i) {
    Diagnostic want = from_csv[i];
    if (want.line > 0) --want.line;  // the header line
    // A line named in the reason ("first at line 2") is the row too.
    constexpr std::string_view kFirstAt = "(first at line ";
    if (const size_t at = want.reason.find(kFirstAt); at != std::string::npos) {
      const size_t begin = at + kFirstAt.size(), end = want.reason.find(')', begin);
      want.reason.replace(begin, end - begin, std::to_string(std::stoll(want.reason.substr(begin, end - begin)) - 1));
    }
    EXPECT_EQ(from_columns[i], want) << i << ": " << from_columns[i].ToString() << " vs " << want.ToString();
  }
}

// Typed cells are exact: int64 at any scale, doubles by their shortest decimal,
// date32; and what does not fit is reported, not rounded.
TEST(ColumnImport, TypedCellsAreExact) {
  const char* const codes[] = {"A", "B", "C", "D", "E", "F", "G"};
  const char* const names[] = {"a", "b", "c", "d", "e", "f", "g"};
  const double totals[] = {0.1, 1234.5678, 1e-6, 1e-7, INFINITY, std::nan(""), 92233720368.54775};
  const int64_t contracted[] = {1, 123456789, 0, 0, 0, 0, std::numeric_limits<int64_t>::max()};
  const int32_t started[] = {19723, 19723, 19723, 19723, 19723, 19723, -30000};
  std::vector<ColumnView> cols(5);
  cols[0] = {"code", ColumnType::kCStr, 0, codes};
  cols[1] = {"name", ColumnType::kCStr, 0, names};
  cols[2] = {"total_investment", ColumnType::kDouble, 0, totals};
  cols[3] = {"contracted_investment", ColumnType::kInt64, 8, contracted};
  cols[4] = {"started_on", ColumnType::kDate32, 0, started};
  LoadOptions lenient;
  lenient.lenient = true;
  ColumnLedgerBuilder builder(lenient);
  ASSERT_TRUE(builder.AddColumns(Table::kProjects, 7, cols).ok());
  Diagnostics problems;
  absl::StatusOr<Ledger> ledger = builder.Build(&problems);
  ASSERT_TRUE(ledger.ok());
  std::vector<std::string> texts;
  for (const Diagnostic& d : problems) texts.push_back(d.ToString());
  // Scale 8 is finer than 1 分 unless the last two digits are 0; 1e-7 万元 too; inf is no
  // number; date32 -30000 is before 1900.
  EXPECT_THAT(texts, ::testing::ElementsAre(
                         HasSubstr("projects.csv:1:4: contracted_investment: more than six decimals"),
                         HasSubstr("projects.csv:2:4: contracted_investment: more than six decimals"),
                         // the shortest decimal of 1e-7, not 9.99999999999999954748e-08
                         AllOf(HasSubstr("projects.csv:4:3: total_investment: more than six decimals"),
                               HasSubstr("'0.0000001'")),
                         HasSubstr("projects.csv:5:3: total_investment: double inf is not a number"),
                         HasSubstr("projects.csv:7:4: contracted_investment: more than six decimals"),
                         HasSubstr("projects.csv:7:5: started_on: date32 -30000 is outside 1900-01-01 to 9999-12-31")));
  // C (1e-6 = 1 分) and F (NaN: not known) are in; A, B, D, E, G are out.
  ASSERT_EQ(ledger->size(), 2u);
}

TEST(ColumnImport, DoublesAreReadAsTheirShortestDecimal) {
  const char* const codes[] = {"A", "B", "C"};
  const char* const names[] = {"a", "b", "c"};
  const double totals[] = {0.1 + 0.2, 1e12, 123.456};  // 0.30000000000000004: 17 digits
  std::vector<ColumnView> cols(3);
  cols[0] = {"code", ColumnType::kCStr, 0, codes};
  cols[1] = {"name", ColumnType::kCStr, 0, names};
  cols[2] = {"total_investment", ColumnType::kDouble, 0, totals};
  ColumnLedgerBuilder builder;
  ASSERT_TRUE(builder.AddColumns(Table::kProjects, 3, cols).ok());
  Diagnostics problems;
  EXPECT_FALSE(builder.Build(&problems).ok());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].ToString(), HasSubstr("projects.csv:1:3: total_investment: more than six decimals"));
  EXPECT_THAT(problems[0].reason, HasSubstr("'0.30000000000000004'"));
}

// A utf8 column whose bytes are valid UTF-8 as a whole but whose offsets cut a
// character in two: both halves are bad cells.
TEST(ColumnImport, Utf8CellsAreCheckedCellByCell) {
  const char* const codes[] = {"A", "B", "C"};
  const std::string names = "\xE4\xB8\xAD" "\xE4\xB8" "\xAD";  // 中, then 中 cut in two
  const int32_t offsets[] = {0, 3, 5, 6};
  std::vector<ColumnView> cols(2);
  cols[0] = {"code", ColumnType::kCStr, 0, codes};
  cols[1] = {"name", ColumnType::kUtf8, 0, names.data(), offsets};
  ColumnLedgerBuilder builder;
  ASSERT_TRUE(builder.AddColumns(Table::kProjects, 3, cols).ok());
  Diagnostics problems;
  EXPECT_FALSE(builder.Build(&problems).ok());
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_THAT(problems[0].ToString(), HasSubstr("projects.csv:2:2: name: not valid UTF-8"));
  EXPECT_THAT(problems[1].ToString(), HasSubstr("projects.csv:3:2: name: not valid UTF-8"));
}

TEST(ColumnImport, BatchErrorsAreStatusesAndProblems) {
  const char* const codes[] = {"A", "B"};
  const char* const names[] = {"a", "b"};
  const uint8_t short_bitmap[1] = {3};
  ColumnLedgerBuilder builder;
  std::vector<ColumnView> cols(2);
  cols[0] = {"code", ColumnType::kCStr, 0, codes};
  cols[1] = {"name", ColumnType::kCStr, 0, names, nullptr, short_bitmap, 0};
  absl::Status s = builder.AddColumns(Table::kProjects, 2, cols);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_THAT(s.message(), HasSubstr("projects.csv: name: validity bitmap of 0 bytes is shorter than 2 rows"));
  cols[1].validity_bytes = 1;
  ASSERT_TRUE(builder.AddColumns(Table::kProjects, 2, cols).ok());
  Diagnostics problems;
  EXPECT_FALSE(builder.Build(&problems).ok());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].column, 2);
  EXPECT_TRUE(absl::IsFailedPrecondition(builder.AddColumns(Table::kProjects, 2, cols)));
  EXPECT_TRUE(absl::IsFailedPrecondition(builder.Build().status()));
}

// table_rows.h reads cells by the *Field enums' positions; the names come from
// csv_schema.h. A column added to one and not the other must fail here.
TEST(TableFields, EnumPositionsAreTheSchemasColumns) {
  using internal::FieldIds;
  EXPECT_EQ(FieldIds(Table::kMonthly).size(), static_cast<size_t>(internal::kMFieldCount));
  EXPECT_EQ(FieldIds(Table::kMonthly)[internal::kMInvestment], "investment");
  EXPECT_EQ(FieldIds(Table::kMonthly)[internal::kMReportedOn], "reported_on");
  EXPECT_EQ(FieldIds(Table::kFunding).size(), static_cast<size_t>(internal::kFFieldCount));
  EXPECT_EQ(FieldIds(Table::kFunding)[internal::kFSource], "source");
  EXPECT_EQ(FieldIds(Table::kFunding)[internal::kFCurrency], "currency");
  EXPECT_EQ(FieldIds(Table::kPlans).size(), static_cast<size_t>(internal::kLFieldCount));
  EXPECT_EQ(FieldIds(Table::kPlans)[internal::kLPlanned], "planned");
  EXPECT_EQ(FieldIds(Table::kProblems).size(), static_cast<size_t>(internal::kRFieldCount));
  EXPECT_EQ(FieldIds(Table::kProblems)[internal::kRKind], "kind");
  EXPECT_EQ(FieldIds(Table::kProblems)[internal::kRResolvedOn], "resolved_on");
  EXPECT_EQ(FieldIds(Table::kBaseline).size(), static_cast<size_t>(internal::kBFieldCount));
  EXPECT_EQ(FieldIds(Table::kBaseline)[internal::kBInvestment], "investment");
  EXPECT_EQ(FieldIds(Table::kProjects).size(), internal::ProjectFields().size());
  for (size_t t = 0; t < kTableCount; ++t) {
    EXPECT_EQ(FieldIds(static_cast<Table>(t)).size(), internal::CellKinds(static_cast<Table>(t)).size()) << t;
  }
}

}  // namespace
}  // namespace keyproj
