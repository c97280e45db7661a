// LoadCsvLedger: folders and in-memory files, headers, encodings, cells, errors.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "csv/loader_parts.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/classification.h"
#include "keyproj/csv_loader.h"
#include "keyproj/csv_writer.h"
#include "keyproj/expression.h"
#include "keyproj/generator.h"
#include "keyproj/internal/ledger_compare.h"
#include "keyproj/internal/text.h"

namespace keyproj {

using ::keyproj::internal::kHasRow;
using ::keyproj::internal::kInvestmentKnown;
using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::DescribeLedgerDifference;
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::filesystem::path kData = KEYPROJ_TESTDATA_DIR;
constexpr std::string_view kNational = "2021-610402-44-01-123456";

std::string Day(int32_t d) { return d == kNoDay ? "-" : Date::FromDays(d).ToString(); }
std::string Fen(int64_t f) { return f == kNoMoney ? "-" : Money::FromFen(f).ToWanString(); }

// Everything a ledger holds except its extra columns, as text: two ledgers with the
// same dump hold the same data.
std::string Dump(const Ledger& l) {
  std::string out;
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  for (uint32_t p = 0; p < l.size(); ++p) {
    Append(&out, "project ", l.code(p), "|", l.name(p), "|", c.region[p], "|", c.industry[p].ToString(), "|",
           EnumId(c.category[p]), "|", EnumId(c.level[p]), "|", EnumId(c.build_type[p]), "|", EnumId(c.stage[p]),
           "|", static_cast<int>(c.attracted[p]), "|", static_cast<int>(c.code_form[p]), "|", c.code_year[p], "|",
           Fen(c.total_investment[p]), "|", Fen(c.contracted_investment[p]), "|", Day(c.planned_start[p]), "|",
           Day(c.planned_completion[p]), "|", Day(c.reserved_on[p]), "|", Day(c.signed_on[p]), "|",
           Day(c.started_on[p]), "|", Day(c.completed_on[p]), "|", Day(c.suspended_on[p]), "|",
           Day(c.cancelled_on[p]), "|", Day(c.start_due[p]), "|", Day(c.intended_on[p]), "|",
           Day(c.operating_on[p]), "|", l.text(c.investor[p]), "|",
           l.text(c.leader[p]), "|", l.text(c.department[p]), "| tags");
    for (uint32_t t = c.tag_begin[p]; t < c.tag_begin[p + 1]; ++t) Append(&out, " ", l.text(c.tag_ids[t]));
    out += "\n";
    const internal::MonthlyColumns& m = keyproj::internal::Columns(l).monthly;
    for (uint64_t s = m.slot_begin[p]; s < m.slot_begin[p + 1]; ++s) {
      const Month month = Month::FromIndex(m.first_month[p] + static_cast<int32_t>(s - m.slot_begin[p]));
      Append(&out, "  month ", month.ToString(), " cum ", Fen(l.InvestmentThrough(p, month)), " funds ",
             Fen(l.FundsThrough(p, month)), " reported ", Day(m.reported_on[s]),
             " problems ", static_cast<int>(m.problems[s]), " flags ", static_cast<int>(m.flags[s]), " progress [",
             l.text(m.progress[s]), "]\n");
    }
    const internal::PlanColumns& pl = keyproj::internal::Columns(l).plans;
    for (uint32_t i = pl.row_begin[p]; i < pl.row_begin[p + 1]; ++i) {
      Append(&out, "  plan ", pl.year[i], " ", Fen(pl.planned[i]), "\n");
    }
    const internal::FundingColumns& f = keyproj::internal::Columns(l).funding;
    for (uint32_t i = f.row_begin[p]; i < f.row_begin[p + 1]; ++i) {
      Append(&out, "  funding ", f.year[i], " ", EnumId(f.source[i]), " ", Fen(f.requested[i]), " ",
             Fen(f.approved[i]), " ", Fen(f.arrived[i]), " ", l.text(f.currency[i]), "\n");
    }
    const internal::ApprovalColumns& ap = keyproj::internal::Columns(l).approvals;
    for (uint32_t i = ap.row_begin[p]; i < ap.row_begin[p + 1]; ++i) {
      Append(&out, "  approval ", EnumId(ap.item[i]), " required ", static_cast<int>(ap.required[i]), " planned ",
             Day(ap.planned_on[i]), " done ", Day(ap.done_on[i]), " [", l.text(ap.authority[i]), "] [",
             l.text(ap.document_no[i]), "]\n");
    }
  }
  const internal::ProblemColumns& pr = keyproj::internal::Columns(l).problems;
  for (size_t i = 0; i < pr.project.size(); ++i) {
    Append(&out, "problem ", l.code(pr.project[i]), " ", l.text(pr.id[i]), " ", EnumId(pr.kind[i]), " ",
           l.text(pr.description[i]), " ", l.text(pr.owner[i]), " ", Day(pr.raised_on[i]), " ", Day(pr.due[i]), " ",
           Day(pr.resolved_on[i]), "\n");
  }
  const internal::BaselineColumns& b = keyproj::internal::Columns(l).baseline;
  for (size_t i = 0; i < b.month.size(); ++i) {
    Append(&out, "baseline ", Month::FromIndex(b.month[i]).ToString(), " ", l.text(b.dimension[i]), " ",
           l.text(b.key[i]), " ", Fen(b.investment[i]), "\n");
  }
  return out;
}

std::string DumpExtras(const Ledger& l, Table t) {
  std::string out;
  for (const ExtraColumn& e : l.extras(t)) {
    Append(&out, "[", e.header, "]");
    for (uint32_t v : e.values) Append(&out, " <", l.text(v), ">");
    out += "\n";
  }
  return out;
}

std::string ToString(const Diagnostics& ds) {
  std::string out;
  for (const Diagnostic& d : ds) Append(&out, d.ToString(), "\n");
  return out;
}

// file, line, column, field
using Where = std::tuple<std::string, int64_t, int, std::string>;
std::vector<Where> Places(const Diagnostics& ds) {
  std::vector<Where> out;
  for (const Diagnostic& d : ds) out.emplace_back(d.file, d.line, d.column, d.field);
  return out;
}

absl::StatusOr<Ledger> LoadDir(const std::string& name, Diagnostics* diags, LoadOptions options = {}) {
  return LoadCsvLedger(kData / name, options, diags);
}

absl::StatusOr<Ledger> LoadMem(std::vector<CsvInput> files, Diagnostics* diags, LoadOptions options = {}) {
  return LoadCsvLedger(std::span<const CsvInput>(files), options, diags);
}

uint32_t P(const Ledger& l, std::string_view code) {
  std::optional<uint32_t> p = l.FindProject(code);
  EXPECT_TRUE(p.has_value()) << code;
  return p.value_or(0);
}

// ---------------------------------------------------------------------------
// Whole folders
// ---------------------------------------------------------------------------

TEST(CsvLoader, EnglishHeaders) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadDir("english", &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << "\n" << ToString(diags);
  EXPECT_THAT(diags, IsEmpty());
  const Ledger& l = *ledger;
  ASSERT_EQ(l.size(), 3u);
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;

  const uint32_t a = P(l, kNational);
  EXPECT_EQ(l.name(a), "城南污水处理厂");
  EXPECT_EQ(c.region[a], 610402);
  EXPECT_EQ(c.industry[a].ToString(), "D46");
  EXPECT_EQ(c.category[a], Category::kEcology);
  EXPECT_EQ(c.level[a], Level::kMunicipal);
  EXPECT_EQ(c.build_type[a], BuildType::kNew);
  EXPECT_EQ(c.stage[a], Stage::kStarted);
  EXPECT_EQ(c.attracted[a], Attracted::kNo);
  EXPECT_EQ(c.code_form[a], ProjectCodeForm::kUnified);
  EXPECT_EQ(c.total_investment[a], 12'345'670'000);  // "12,345.67" 万元 in 分
  EXPECT_EQ(c.contracted_investment[a], kNoMoney);   // empty: not known, not zero
  EXPECT_EQ(Day(c.started_on[a]), "2024-03-15");
  EXPECT_EQ(c.completed_on[a], kNoDay);
  EXPECT_EQ(l.text(c.department[a]), "区水务局");
  ASSERT_EQ(c.tag_begin[a + 1] - c.tag_begin[a], 2u);
  EXPECT_EQ(l.text(c.tag_ids[c.tag_begin[a]]), "民生");
  EXPECT_EQ(l.text(c.tag_ids[c.tag_begin[a] + 1]), "环保");
  EXPECT_EQ(l.Plan(a, 2024), 3000 * kFenPerWan);
  EXPECT_EQ(l.Plan(a, 2025), 5000 * kFenPerWan);

  const uint32_t b = P(l, "P002");
  EXPECT_EQ(c.attracted[b], Attracted::kYes);
  EXPECT_EQ(c.stage[b], Stage::kSigned);
  EXPECT_EQ(Day(c.signed_on[b]), "2024-02-20");
  EXPECT_EQ(c.code_form[b], ProjectCodeForm::kLocal);

  // Monthly: a correction month is negative; the multi-line progress text is kept.
  EXPECT_EQ(l.InvestmentThrough(a, Month::FromYm(2024, 3)), 500 * kFenPerWan);
  EXPECT_EQ(l.InvestmentThrough(a, Month::FromYm(2024, 4)), 479'500'000);  // 500 - 20.5
  const std::optional<uint64_t> slot = l.slot(a, Month::FromYm(2024, 3));
  ASSERT_TRUE(slot.has_value());
  EXPECT_EQ(l.text(keyproj::internal::Columns(l).monthly.progress[*slot]), "主体结构施工，完成土方5000㎥\n• 管网铺设30%");
  EXPECT_EQ(keyproj::internal::Columns(l).monthly.problems[*slot], ProblemBit(ProblemKind::kLand));
  EXPECT_EQ(Day(keyproj::internal::Columns(l).monthly.reported_on[*slot]), "2024-04-05");
  EXPECT_EQ(l.FundsThrough(b, Month::FromYm(2024, 4)), 1'500'250'000);
  const std::optional<uint64_t> p3 = l.slot(P(l, "P003"), Month::FromYm(2024, 1));
  ASSERT_TRUE(p3.has_value());
  EXPECT_EQ(keyproj::internal::Columns(l).monthly.reported_on[*p3], kNoDay);
  EXPECT_EQ(keyproj::internal::Columns(l).monthly.flags[*p3], kHasRow | kInvestmentKnown);  // funds cell empty

  ASSERT_EQ(keyproj::internal::Columns(l).funding.project.size(), 2u);
  ASSERT_EQ(keyproj::internal::Columns(l).problems.project.size(), 1u);
  EXPECT_EQ(l.text(keyproj::internal::Columns(l).problems.description[0]), "用地指标未落实");
  ASSERT_EQ(keyproj::internal::Columns(l).baseline.month.size(), 2u);
  EXPECT_EQ(keyproj::internal::Columns(l).baseline.investment[1], 4000 * kFenPerWan);

  // approvals.csv: rows by project, then item (other twice, in file order), whatever
  // the file's order; an empty required cell is required.
  const internal::ApprovalColumns& ap = keyproj::internal::Columns(l).approvals;
  ASSERT_EQ(ap.project.size(), 8u);
  ASSERT_EQ(ap.row_begin.size(), 4u);
  EXPECT_EQ(ap.row_begin[a + 1] - ap.row_begin[a], 3u);
  const uint32_t ra = ap.row_begin[a];
  EXPECT_EQ(ap.item[ra], ApprovalItem::kApproval);
  EXPECT_EQ(ap.item[ra + 1], ApprovalItem::kFeasibility);  // line 4, before line 3's permit
  EXPECT_EQ(ap.required[ra + 1], 1);
  EXPECT_EQ(Day(ap.planned_on[ra + 1]), "2024-01-15");
  EXPECT_EQ(Day(ap.done_on[ra + 1]), "2024-01-10");
  EXPECT_EQ(ap.item[ra + 2], ApprovalItem::kConstructionPermit);
  EXPECT_EQ(l.text(ap.authority[ra + 2]), "秦都区住房和城乡建设局");
  EXPECT_EQ(l.text(ap.document_no[ra + 2]), "610402202403200101");
  const uint32_t rb = ap.row_begin[b];
  ASSERT_EQ(ap.row_begin[b + 1] - rb, 4u);
  EXPECT_EQ(ap.item[rb], ApprovalItem::kLand);
  EXPECT_EQ(ap.done_on[rb], kNoDay);  // pending
  EXPECT_EQ(ap.item[rb + 1], ApprovalItem::kSafety);
  EXPECT_EQ(ap.required[rb + 1], 0);
  EXPECT_EQ(ap.planned_on[rb + 1], kNoDay);
  EXPECT_EQ(ap.authority[rb + 1], 0u);
  EXPECT_EQ(ap.item[rb + 2], ApprovalItem::kOther);
  EXPECT_EQ(l.text(ap.document_no[rb + 2]), "咸水保函〔2024〕7号, 水土保持");
  EXPECT_EQ(ap.item[rb + 3], ApprovalItem::kOther);
  EXPECT_EQ(l.text(ap.authority[rb + 3]), "咸阳市人民防空办公室");
  for (uint32_t i = 0; i < ap.project.size(); ++i) {
    EXPECT_EQ(ap.project[i], i < ap.row_begin[1] ? 0u : i < ap.row_begin[2] ? 1u : 2u) << i;
  }
}

// load -> write -> load gives the same ledger, approvals.csv (with an extra column),
// intended_on and operating_on included; with English and with Chinese headers.
TEST(CsvLoader, ApprovalsAndFunnelDatesRoundTrip) {
  std::vector<CsvInput> files = {
      {"projects.csv",
       "code,name,reserved_on,attracted,intended_on,signed_on,started_on,completed_on,operating_on,stage\n"
       "A1,甲,2023-01-10,1,2023-02-01,2023-03-01,2023-04-01,2024-05-31,2024-04-15,operating\n"
       "A2,乙,,1,2024-02-01,,,,,\n"
       "A3,丙,,0,,,2024-01-05,,,\n"},
      {"approvals.csv",
       "code,item,required,planned_on,done_on,authority,document_no,经办人\n"
       "A1,construction_permit,1,2023-03-20,2023-03-25,市住建局,610402202303250101,张三\n"
       "A1,approval,,,2023-01-20,市发改委,\"咸发改审批〔2023〕1号, 备案\",\n"
       "A3,other,0,2024-06-30,,\"水利局\",,李四\n"
       "A3,other,1,,2024-01-01,人防办,,\n"}};
  Diagnostics diags;
  absl::StatusOr<Ledger> first = LoadMem(files, &diags);
  ASSERT_TRUE(first.ok()) << first.status() << ToString(diags);
  ASSERT_EQ(keyproj::internal::Columns(*first).approvals.project.size(), 4u);
  ASSERT_EQ(first->extras(Table::kApprovals).size(), 1u);
  for (bool chinese : {false, true}) {
    WriteOptions w;
    w.chinese_headers = chinese;
    absl::StatusOr<std::vector<CsvInput>> written = WriteCsvLedgerToMemory(*first, w);
    ASSERT_TRUE(written.ok()) << written.status();
    bool has_approvals = false;
    for (const CsvInput& f : *written) has_approvals |= f.name == "approvals.csv";
    EXPECT_TRUE(has_approvals);
    absl::StatusOr<Ledger> second = LoadMem(*written, &diags);
    ASSERT_TRUE(second.ok()) << second.status() << ToString(diags);
    EXPECT_EQ(DescribeLedgerDifference(*first, *second), "") << (chinese ? "chinese" : "english");
    EXPECT_EQ(Dump(*second), Dump(*first));
    EXPECT_EQ(DumpExtras(*second, Table::kApprovals), DumpExtras(*first, Table::kApprovals));
  }
  // The folders' approvals too.
  for (const char* folder : {"english", "chinese_headers", "gb18030_chinese_headers"}) {
    absl::StatusOr<Ledger> loaded = LoadDir(folder, &diags);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    absl::StatusOr<std::vector<CsvInput>> written = WriteCsvLedgerToMemory(*loaded);
    ASSERT_TRUE(written.ok()) << written.status();
    absl::StatusOr<Ledger> again = LoadMem(*written, &diags);
    ASSERT_TRUE(again.ok()) << again.status() << ToString(diags);
    EXPECT_EQ(DescribeLedgerDifference(*loaded, *again), "") << folder;
  }
}

// intended_on (意向时间) and operating_on (投产时间) under their English and Chinese
// headers and aliases; an operating date with no stage cell makes the stage.
TEST(CsvLoader, IntendedAndOperatingDates) {
  for (std::string_view header :
       {"code,name,attracted,signed_on,started_on,completed_on,stage,intended_on,operating_on",
        "项目代码,项目名称,招商引资项目,签约时间,开工时间,竣工时间,项目阶段,意向时间,投产时间",
        "项目代码,项目名称,招商引资项目,签约时间,开工时间,竣工时间,项目阶段,签订意向时间,建成投产时间"}) {
    Diagnostics diags;
    absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv", Cat(header, "\n",
                                                                  "A1,甲,1,2024-03-01,,,,2023-12-20,\n",
                                                                  "A2,乙,1,2023-01-05,2023-03-01,2024-05-31,,,2024-07-01\n",
                                                                  "A3,丙,1,,,,,2024-02-01,\n",
                                                                  "A4,丁,1,2023-01-05,2023-03-01,2024-05-31,operating,,2024-04-15\n")}},
                                            &diags);
    ASSERT_TRUE(ledger.ok()) << header << "\n" << ledger.status() << ToString(diags);
    const internal::ProjectColumns& c = keyproj::internal::Columns(*ledger).projects;
    const uint32_t a1 = P(*ledger, "A1"), a2 = P(*ledger, "A2"), a3 = P(*ledger, "A3"), a4 = P(*ledger, "A4");
    EXPECT_EQ(Day(c.intended_on[a1]), "2023-12-20");
    EXPECT_EQ(c.stage[a1], Stage::kSigned);  // an intention is not a stage
    EXPECT_EQ(c.operating_on[a1], kNoDay);
    EXPECT_EQ(Day(c.operating_on[a2]), "2024-07-01");
    EXPECT_EQ(c.stage[a2], Stage::kOperating);  // derived from the operating date
    EXPECT_EQ(Day(c.intended_on[a3]), "2024-02-01");
    EXPECT_EQ(c.signed_on[a3], kNoDay);
    EXPECT_EQ(Day(c.operating_on[a4]), "2024-04-15");  // trial production before the acceptance
    EXPECT_EQ(c.stage[a4], Stage::kOperating);
  }
}

// Every rule of intended_on and operating_on, with its place.
TEST(CsvLoader, IntendedAndOperatingErrors) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv",
        "code,name,attracted,signed_on,started_on,completed_on,stage,intended_on,operating_on\n"
        "B1,甲,0,,,,,2024-01-01,\n"                                    // intended, not attracted
        "B2,乙,1,2024-03-01,,,,2024-03-02,\n"                          // intended after signing
        "B3,丙,1,2023-01-05,2023-03-01,2024-05-31,completed,,2024-07-01\n"  // operating, stage completed
        "B4,丁,1,2023-01-05,2023-03-01,2024-05-31,,,2023-02-01\n"      // operating before the start
        "B5,戊,1,2023-01-05,2023-03-01,,operating,,2024-07-01\n"       // operating, no completion
        "B6,己,1,2023-01-05,2023-03-01,2024-05-31,,,2024-13-01\n"}},   // not a date
      &diags);
  EXPECT_FALSE(ledger.ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 2, 8, "intended_on"},
                                               {"projects.csv", 3, 4, "signed_on"},  // the later date
                                               {"projects.csv", 4, 9, "operating_on"},
                                               {"projects.csv", 5, 9, "operating_on"},
                                               {"projects.csv", 6, 6, "completed_on"},
                                               {"projects.csv", 7, 9, "operating_on"}}))
      << ToString(diags);
  ASSERT_EQ(diags.size(), 6u);
  EXPECT_THAT(diags[0].reason, HasSubstr("intended_on is set but the project is not attracted"));
  EXPECT_THAT(diags[1].reason, HasSubstr("signed_on 2024-03-01 is before intended_on 2024-03-02"));
  EXPECT_THAT(diags[2].reason, HasSubstr("a project with an operating date is operating"));
  EXPECT_THAT(diags[3].reason, HasSubstr("operating_on 2023-02-01 is before started_on 2023-03-01"));
  EXPECT_THAT(diags[5].reason, HasSubstr("not a date"));
}

// approvals.csv's errors, each with file:line:column and why: an unknown project, an
// unknown item, a date that is none, a required cell that is not yes/no, a second row
// for an item, a done_on before the project's reserved_on, a row with no item.
std::vector<CsvInput> BadApprovals() {
  return {{"projects.csv", "code,name,reserved_on\nA1,甲,2024-01-10\nA2,乙,\n"},
          {"approvals.csv",
           "code,item,required,planned_on,done_on,authority,document_no\n"
           "A1,approval,1,,2024-02-01,市发改委,\n"   // 2: good
           "NOPE,land,1,,,,\n"                       // 3: unknown project
           "A1,permit,1,,,,\n"                       // 4: unknown item
           "A1,eia,1,2024-02-30,,,\n"                // 5: bad date
           "A1,energy,maybe,,,,\n"                   // 6: bad required cell
           "A1,立项,1,,2024-03-01,,\n"               // 7: second approval row (by its label)
           "A1,land,1,,2023-12-31,,\n"               // 8: done before reserved_on
           "A1,,1,,,,\n"                             // 9: no item
           "A2,land,否,2024-06-30,2023-01-01,,\n"}};  // 10: good (A2 has no reserved_on)
}

TEST(CsvLoader, ApprovalErrorsHaveTheirPlaces) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(BadApprovals(), &diags);
  EXPECT_FALSE(ledger.ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"approvals.csv", 3, 1, "code"},
                                               {"approvals.csv", 4, 2, "item"},
                                               {"approvals.csv", 5, 4, "planned_on"},
                                               {"approvals.csv", 6, 3, "required"},
                                               {"approvals.csv", 7, 2, "item"},
                                               {"approvals.csv", 8, 5, "done_on"},
                                               {"approvals.csv", 9, 2, "item"}}))
      << ToString(diags);
  ASSERT_EQ(diags.size(), 7u);
  EXPECT_THAT(diags[0].reason, HasSubstr("unknown project code 'NOPE'"));
  EXPECT_THAT(diags[1].reason, HasSubstr("unknown approval item 'permit'"));
  EXPECT_THAT(diags[1].reason, HasSubstr("construction_permit (施工许可)"));  // the accepted words
  EXPECT_THAT(diags[2].reason, HasSubstr("not a date"));
  EXPECT_THAT(diags[3].reason, HasSubstr("not a yes/no value"));
  EXPECT_EQ(diags[4].reason, "a second row for item approval of project 'A1' (first at line 2)");
  EXPECT_EQ(diags[5].reason, "done_on 2023-12-31 is before the project's reserved_on 2024-01-10");
  EXPECT_EQ(diags[6].reason, "required: the cell is empty");
}

TEST(CsvLoader, ApprovalErrorsLenientLeaveTheBadRowsOut) {
  LoadOptions lenient;
  lenient.lenient = true;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(BadApprovals(), &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(diags.size(), 7u) << ToString(diags);  // the same, reported
  const internal::ApprovalColumns& ap = keyproj::internal::Columns(*ledger).approvals;
  ASSERT_EQ(ap.project.size(), 2u);  // lines 2 and 10
  EXPECT_EQ(ledger->code(ap.project[0]), "A1");
  EXPECT_EQ(ap.item[0], ApprovalItem::kApproval);
  EXPECT_EQ(Day(ap.done_on[0]), "2024-02-01");
  EXPECT_EQ(ledger->code(ap.project[1]), "A2");
  EXPECT_EQ(ap.item[1], ApprovalItem::kLand);
  EXPECT_EQ(ap.required[1], 0);
  EXPECT_EQ(Day(ap.planned_on[1]), "2024-06-30");
}

// A national code refused for its small letters is the capital one the other files
// write: their rows are the rejected project's (one diagnostic), not an "unknown
// project code" each (a black-box tester's find).
TEST(CsvLoader, ACodeRefusedForSmallLettersTakesItsCapitalRowsWithIt) {
  LoadOptions lenient;
  lenient.lenient = true;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "code,name\n2024-610403-05-01-5yc1ju,甲\nA2,乙\n"},
               {"monthly.csv", "code,month,investment\n2024-610403-05-01-5YC1JU,2024-01,1\nA2,2024-01,2\n"}},
              &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 2, 1, "code"}, {"monthly.csv", 2, 1, "code"}}))
      << ToString(diags);
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_THAT(diags[1].reason, HasSubstr("the project was rejected (projects.csv:2)"));
  EXPECT_EQ(ledger->size(), 1u);
}

// The rows of a rejected project are one diagnostic that lists their lines, as in
// the other tables; strict, the project's own error says it.
TEST(CsvLoader, RejectedProjectTakesItsApprovalsWithIt) {
  LoadOptions lenient;
  lenient.lenient = true;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "code,name,total_investment\nA1,甲,x\nA2,乙,5\n"},
               {"approvals.csv", "项目代码,审批事项,办结时间\nA1,立项,2024-01-01\nA2,环评,2024-02-01\nA1,可研,\n"}},
              &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 2, 3, "total_investment"},
                                               {"approvals.csv", 2, 1, "项目代码"}}))  // as headed
      << ToString(diags);
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[1].reason,
            "2 rows of project 'A1' not loaded (lines 2, 4): the project was rejected (projects.csv:2)");
  const internal::ApprovalColumns& ap = keyproj::internal::Columns(*ledger).approvals;
  ASSERT_EQ(ap.project.size(), 1u);
  EXPECT_EQ(ledger->code(ap.project[0]), "A2");
  EXPECT_EQ(ap.item[0], ApprovalItem::kEia);
}

// Items by id, Chinese label and alias; 是/否, 1/0, yes/no; every date form.
TEST(CsvLoader, ApprovalCellValues) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv", "code,name\nA1,甲\n"},
       {"approvals.csv",
        "项目编码,手续事项,是否必须,计划完成时间,批复时间,审批机关,文号\n"
        "A1,可行性研究报告批复,是,2024年1月5日,2024/01/06,市发改委,X1\n"
        "A1,拿地,否,,,,\n"
        "A1,征迁,0,,,,\n"
        "A1,施工许可证,yes,,,,\n"
        "A1,能评,1,,,,\n"
        "A1,初设批复,no,,,,\n"
        "A1,选址意见书,,,,,\n"
        "A1,用地预审意见,,,,,\n"
        "A1,备案,,,,,\n"
        "A1,安全评价,,,,,\n"
        "A1,环境影响评价,,,,,\n"}},
      &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  const internal::ApprovalColumns& ap = keyproj::internal::Columns(*ledger).approvals;
  ASSERT_EQ(ap.project.size(), 11u);
  std::string got;
  for (size_t i = 0; i < ap.project.size(); ++i) {
    Append(&got, EnumId(ap.item[i]), ":", static_cast<int>(ap.required[i]), " ");
  }
  EXPECT_EQ(got,
            "approval:1 feasibility:1 preliminary_design:0 site_selection:1 land_pre_review:1 land:0 "
            "land_acquisition:0 eia:1 safety:1 energy:1 construction_permit:1 ");
  EXPECT_EQ(Day(ap.planned_on[1]), "2024-01-05");
  EXPECT_EQ(Day(ap.done_on[1]), "2024-01-06");
  EXPECT_EQ(ledger->text(ap.authority[1]), "市发改委");
  EXPECT_EQ(ledger->text(ap.document_no[1]), "X1");
}

TEST(CsvLoader, ChineseHeadersShuffledGiveTheSameLedger) {
  Diagnostics de, dc;
  absl::StatusOr<Ledger> english = LoadDir("english", &de);
  absl::StatusOr<Ledger> chinese = LoadDir("chinese_headers", &dc);
  ASSERT_TRUE(english.ok()) << english.status();
  ASSERT_TRUE(chinese.ok()) << chinese.status() << "\n" << ToString(dc);
  EXPECT_THAT(dc, IsEmpty());
  EXPECT_EQ(Dump(*chinese), Dump(*english));
  EXPECT_GT(Dump(*english).size(), 1000u);  // the dump really holds the data
}

TEST(CsvLoader, UnknownColumnIsKept) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadDir("chinese_headers", &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(DumpExtras(*ledger, Table::kProjects), "[备注] <重点督办> <> <跨年续建>\n");
  EXPECT_THAT(ledger->extras(Table::kMonthly), IsEmpty());
}

TEST(CsvLoader, Gb18030FolderByDetectionAndByName) {
  Diagnostics d_utf8, d_auto, d_gb;
  absl::StatusOr<Ledger> utf8 = LoadDir("chinese_headers", &d_utf8);
  absl::StatusOr<Ledger> detected = LoadDir("gb18030_chinese_headers", &d_auto);
  LoadOptions gb;
  gb.encoding = Encoding::kGb18030;
  absl::StatusOr<Ledger> named = LoadDir("gb18030_chinese_headers", &d_gb, gb);
  ASSERT_TRUE(utf8.ok()) << utf8.status();
  ASSERT_TRUE(detected.ok()) << detected.status() << "\n" << ToString(d_auto);
  ASSERT_TRUE(named.ok()) << named.status() << "\n" << ToString(d_gb);
  EXPECT_THAT(d_auto, IsEmpty());
  EXPECT_THAT(d_gb, IsEmpty());
  EXPECT_EQ(Dump(*detected), Dump(*utf8));
  EXPECT_EQ(Dump(*named), Dump(*utf8));
  EXPECT_EQ(DumpExtras(*detected, Table::kProjects), DumpExtras(*utf8, Table::kProjects));
  EXPECT_EQ(DescribeLedgerDifference(*detected, *utf8), "");
  EXPECT_EQ(DescribeLedgerDifference(*named, *utf8), "");
  // The four-byte GB18030 character ㎥ (81 39 E6 38) came through.
  EXPECT_THAT(Dump(*detected), HasSubstr("完成土方5000㎥\n• 管网铺设30%"));
}

TEST(CsvLoader, Gb18030FolderReadAsUtf8IsAnError) {
  LoadOptions options;
  options.encoding = Encoding::kUtf8;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadDir("gb18030_chinese_headers", &diags, options);
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_FALSE(diags.empty());
  // projects.csv: the first byte of 项目名称 (CF EE) is already invalid: line 1, column 1.
  EXPECT_EQ(diags[0].file, "projects.csv");
  EXPECT_EQ(diags[0].line, 1);
  EXPECT_EQ(diags[0].column, 1);
  EXPECT_THAT(diags[0].reason, HasSubstr("not valid UTF-8"));
  EXPECT_THAT(diags[0].reason, HasSubstr("'encoding=gb18030'"));
}

TEST(CsvLoader, MissingFolderIsNotFound) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadDir("no_such_folder", &diags);
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(ledger.status().message(), HasSubstr("no_such_folder"));
}

TEST(CsvLoader, FolderWithoutProjectsIsNotFound) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "keyproj_no_projects";
  std::filesystem::create_directories(dir);
  absl::StatusOr<Ledger> ledger = LoadCsvLedger(dir, {}, nullptr);
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(ledger.status().message(), HasSubstr((dir / "projects.csv").string()));
}

// A bureau names its files in Chinese, as a workbook's sheets: 项目.csv, 月报.csv.
// They load as projects.csv and monthly.csv would; two files for one table are an
// error naming both, not a silent choice.
TEST(CsvLoader, FilesNamedInChineseAreTheirTables) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "keyproj_chinese_file_names";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, std::string_view text) {
    std::ofstream(dir / name, std::ios::binary) << text;
  };
  write("项目.csv", "code,name,started_on\nA1,甲,2024-02-10\n");
  write("月报.csv", "code,month,investment\nA1,2024-03,12\n");
  write("资金来源.csv", "code,year,source,arrived\nA1,2024,专项债,5\n");
  write("说明.csv", "not,a,table\n");  // no table's name: not read
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadCsvLedger(dir, {}, &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  EXPECT_EQ(ledger->size(), 1u);
  EXPECT_EQ(ledger->InvestmentThrough(0, Month::FromYm(2024, 3)), 12 * kFenPerWan);
  EXPECT_EQ(keyproj::internal::Columns(*ledger).funding.project.size(), 1u);

  write("monthly.csv", "code,month,investment\nA1,2024-03,12\n");
  ledger = LoadCsvLedger(dir, {}, &diags);
  EXPECT_FALSE(ledger.ok());
  EXPECT_THAT(ToString(diags), HasSubstr("月报.csv: a second file for monthly.csv (first: monthly.csv); not read"));

  // Without a monthly file, a CSV file of another name is most likely it (a
  // black-box tester's "2024年9月月报.csv" gave every figure 0 and "ok"): a problem
  // naming it, not passed over. regions.csv is its own file.
  std::filesystem::remove(dir / "monthly.csv");
  std::filesystem::rename(dir / "月报.csv", dir / "2024年9月月报.csv");
  write("regions.csv", "code,name\n610402,秦都区\n");
  ledger = LoadCsvLedger(dir, {}, &diags);
  EXPECT_FALSE(ledger.ok());
  ASSERT_EQ(diags.size(), 2u) << ToString(diags);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"2024年9月月报.csv", 0, 0, ""}, {"说明.csv", 0, 0, ""}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("there is no monthly.csv, so every investment figure would be 0"));
  std::filesystem::remove_all(dir);
}

// 日期 for 时间 in a date column's name (开工日期, 计划开工日期), and the common
// names of a plan and a leader (年度投资计划, 责任领导).
TEST(CsvLoader, DateColumnsNamedWithRiQi) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv",
                "项目代码,项目名称,计划开工日期,开工日期,竣工日期,年度投资计划（万元）,计划年度,责任领导\n"
                "A1,甲,2024-01-05,2024-02-10,2024-11-30,300,2024,王某\n"}},
              &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  const internal::ProjectColumns& c = keyproj::internal::Columns(*ledger).projects;
  EXPECT_EQ(Day(c.planned_start[0]), "2024-01-05");
  EXPECT_EQ(Day(c.started_on[0]), "2024-02-10");
  EXPECT_EQ(Day(c.completed_on[0]), "2024-11-30");
  EXPECT_EQ(ledger->Plan(0, 2024), 300 * kFenPerWan);
  EXPECT_EQ(ledger->text(c.leader[0]), "王某");
}

// A base's key is read as the ledger's cells are (产业 = industry, 是 = 1), so that it
// meets its group; a key naming no group of its dimension is an error, and two
// spellings of one key are one base given twice.
TEST(CsvLoader, BaselineKeysAreReadAsTheirDimensionsCells) {
  Diagnostics diags;
  const std::string projects = "code,name\nA1,甲\n";
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv", projects},
       {"baseline.csv",
        "month,dimension,key,investment\n2024-03,category,产业,60\n2024-03,level,Provincial,10\n"
        "2024-03,attracted,是,7\n2024-03,stage,开工,8\n2024-03,region,6104,9\n2024-03,leader,王某,1\n"}},
      &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  const internal::BaselineColumns& b = keyproj::internal::Columns(*ledger).baseline;
  std::vector<std::string> keys;
  for (uint32_t k : b.key) keys.push_back(std::string(ledger->text(k)));
  EXPECT_EQ(keys, (std::vector<std::string>{"industry", "provincial", "1", "started", "6104", "王某"}));

  ledger = LoadMem({{"projects.csv", projects},
                    {"baseline.csv",
                     "month,dimension,key,investment\n2024-03,category,industry,60\n2024-03,category,产业,60\n"
                     "2024-03,category,工厂,1\n2024-03,region,61040,1\n2024-03,attracted,maybe,1\n"}},
                   &diags);
  EXPECT_FALSE(ledger.ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"baseline.csv", 3, 1, "month"},
                                               {"baseline.csv", 4, 3, "key"},
                                               {"baseline.csv", 5, 3, "key"},
                                               {"baseline.csv", 6, 3, "key"}}))
      << ToString(diags);
  EXPECT_THAT(ToString(diags), HasSubstr("duplicate base for 2024-03 category industry (first at line 2)"));
  EXPECT_THAT(ToString(diags), HasSubstr("unknown category '工厂'; accepted: "));
}

// ---------------------------------------------------------------------------
// The many_errors folder: every problem, with its place.
// ---------------------------------------------------------------------------

struct Expected {
  std::string file;
  int64_t line;
  int column;
  std::string field;
  std::string reason_part;
};

const std::vector<Expected>& ManyErrors() {
  static const std::vector<Expected> kExpected = {
      {"projects.csv", 3, 5, "total_investment", "not a decimal number"},
      {"projects.csv", 4, 5, "total_investment", "more than six decimals"},
      {"projects.csv", 5, 6, "started_on", "not a date"},
      {"projects.csv", 6, 3, "category", "unknown category 'factory'; accepted: industry (产业)"},
      {"projects.csv", 7, 4, "stage", "unknown stage 'building'"},
      {"projects.csv", 8, 6, "", "row has 5 fields, header has 8"},
      {"projects.csv", 9, 5, "total_investment", "negative amount not allowed"},
      {"projects.csv", 10, 7, "竣工时间", "stage completed requires completed_on"},
      {"projects.csv", 11, 1, "code", "duplicate project code 'E001' (first at line 2)"},
      {"projects.csv", 12, 3, "category", "unknown category 'bad'"},
      {"projects.csv", 12, 4, "stage", "unknown stage 'unknown'"},
      {"projects.csv", 12, 5, "total_investment", "not a decimal number"},
      {"projects.csv", 12, 6, "started_on", "not a date"},
      {"monthly.csv", 3, 2, "月份", "not a month"},
      {"monthly.csv", 4, 1, "项目代码", "unknown project code 'NOPE'"},
      {"monthly.csv", 6, 2, "月份", "second row for project 'E001' and month 2024-01 (first at line 2)"},
      {"monthly.csv", 7, 4, "funds_arrived", "negative amount not allowed"},
  };
  return kExpected;
}

void ExpectManyErrors(const Diagnostics& diags) {
  const std::vector<Expected>& want = ManyErrors();
  std::vector<Where> want_places;
  for (const Expected& e : want) want_places.emplace_back(e.file, e.line, e.column, e.field);
  ASSERT_EQ(Places(diags), want_places) << ToString(diags);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_THAT(diags[i].reason, HasSubstr(want[i].reason_part)) << diags[i].ToString();
  }
}

TEST(CsvLoader, ManyErrorsStrictReportsAllAndLoadsNothing) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadDir("many_errors", &diags);
  ASSERT_FALSE(ledger.ok());
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ledger.status().message(),
              HasSubstr("17 errors in the ledger; first: projects.csv:3:5: total_investment: "));
  ExpectManyErrors(diags);
}

TEST(CsvLoader, ManyErrorsLenientLoadsTheGoodRows) {
  LoadOptions options;
  options.lenient = true;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadDir("many_errors", &diags, options);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  ExpectManyErrors(diags);
  const Ledger& l = *ledger;
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l.code(0), "E001");
  EXPECT_EQ(l.name(0), "好项目");  // the first E001, not the duplicate
  // 2024-01 (10) and 2024-02 (5); the duplicate 2024-01 and the bad 2024-03 row are out.
  EXPECT_EQ(l.months(0), (MonthRange{Month::FromYm(2024, 1), Month::FromYm(2024, 2)}));
  EXPECT_EQ(l.InvestmentThrough(0, Month::FromYm(2024, 12)), 15 * kFenPerWan);
}

// ---------------------------------------------------------------------------
// In memory: headers
// ---------------------------------------------------------------------------

TEST(CsvLoader, InMemoryNeedsProjects) {
  absl::StatusOr<Ledger> ledger = LoadMem({{"monthly.csv", "code,month\n"}}, nullptr);
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kNotFound);
}

TEST(CsvLoader, ByteOrderMarkIsStripped) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "\xEF\xBB\xBF" "code,name\nA1,甲\n"},
               {"monthly.csv", "\xEF\xBB\xBF项目代码,月份,当月完成投资（万元）\r\nA1,2024-01,5\r\n"}},
              &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  EXPECT_EQ(ledger->code(0), "A1");
  EXPECT_EQ(ledger->InvestmentThrough(0, Month::FromYm(2024, 1)), 5 * kFenPerWan);
}

TEST(CsvLoader, Gb18030WithBomIsStripped) {
  absl::StatusOr<std::string> gb = Utf8ToGb18030("\xEF\xBB\xBF项目代码,项目名称\nA1,甲\n");
  ASSERT_TRUE(gb.ok());
  EXPECT_EQ(gb->substr(0, 4), "\x84\x31\x95\x33");
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv", *gb}}, &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  EXPECT_EQ(ledger->name(0), "甲");
}

TEST(CsvLoader, HeaderForms) {
  // Half-width brackets, full-width, no unit, spaces and ASCII case are all one column.
  for (std::string_view header : {"总投资（万元）", "总投资(万元)", "总投资", " 总投资 ( 万元 ) ", "Total_Investment"}) {
    Diagnostics diags;
    absl::StatusOr<Ledger> ledger =
        LoadMem({{"projects.csv", Cat("code,name,", header, "\nA1,甲,7.5\n")}}, &diags);
    ASSERT_TRUE(ledger.ok()) << header << ": " << ledger.status();
    EXPECT_EQ(keyproj::internal::Columns(*ledger).projects.total_investment[0], 7'500'000) << header;
    EXPECT_THAT(ledger->extras(Table::kProjects), IsEmpty()) << header;
  }
}

TEST(CsvLoader, MoneyUnitInHeaderIsConvertedOtherUnitsRefused) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv", "code,name,总投资（亿元）\nA1,甲,1.2\n"}}, &diags);
  ASSERT_TRUE(ledger.ok()) << ToString(diags);
  EXPECT_EQ(internal::Columns(*ledger).projects.total_investment[0], int64_t{12'000'000'000});
  ledger = LoadMem({{"projects.csv", "code,name,总投资（个）\nA1,甲,1.2\n"}}, &diags);
  EXPECT_FALSE(ledger.ok());
  ASSERT_EQ(diags.size(), 1u) << ToString(diags);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 1, 3, "总投资（个）"}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("read in 万元, not 个"));
}

TEST(CsvLoader, DuplicateHeaderIsAnError) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "code,name,项目名称\nA1,甲,乙\n"}}, &diags);
  EXPECT_FALSE(ledger.ok());
  ASSERT_EQ(diags.size(), 1u) << ToString(diags);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 1, 3, "项目名称"}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("duplicate column: name is already column 2"));

  // Lenient: the first column is used.
  LoadOptions lenient;
  lenient.lenient = true;
  ledger = LoadMem({{"projects.csv", "code,name,项目名称\nA1,甲,乙\n"}}, &diags, lenient);
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ledger->name(0), "甲");
}

TEST(CsvLoader, MissingRequiredColumnsOneDiagnostic) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv", "code,name\nA1,甲\n"}, {"monthly.csv", "notes,investment\nx,1\ny,2\n"}}, &diags);
  EXPECT_FALSE(ledger.ok());
  ASSERT_EQ(diags.size(), 1u) << ToString(diags);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"monthly.csv", 1, 0, ""}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("missing required column code (项目代码), month (月份)"));
}

TEST(CsvLoader, UnreadableProjectsHoldBackDependentRows) {
  // projects.csv has no code column: its rows cannot be read, so the monthly rows are
  // checked cell by cell and then reported once, not as one unknown code each.
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "编号,name\nA1,甲\n"},
               {"monthly.csv", "code,month,investment\nA1,2024-01,1\nA1,2024-02,x\nA1,2024-03,3\n"},
               {"baseline.csv", "month,dimension,investment\n2024-01,all,5\n"}},
              &diags);
  EXPECT_FALSE(ledger.ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 1, 0, ""},
                                               {"monthly.csv", 0, 0, ""},
                                               {"monthly.csv", 3, 3, "investment"}}))
      << ToString(diags);
  EXPECT_THAT(diags[1].reason, HasSubstr("2 rows not loaded: projects.csv could not be read"));
}

TEST(CsvLoader, UnknownAndEmptyHeadersAreExtras) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv", "备注,code,,name\n说明一,A1,x,甲\n,A2,,乙\n"},
       {"monthly.csv", "code,month,investment,填报人\nA1,2024-02,1,张三\nA1,2024-03,2,\n"}},
      &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  EXPECT_EQ(DumpExtras(*ledger, Table::kProjects), "[备注] <说明一> <>\n[] <x> <>\n");
  EXPECT_EQ(DumpExtras(*ledger, Table::kMonthly), "[填报人] <张三> <>\n");
}

// A column that names nothing is kept -- but not a near miss of a column the file
// lacks, nor the columns of a monthly.csv without investment: kept aside, their
// figures would count for nothing without a word (black-box testers' finds: a
// misspelt "investmnet", a "本月完成投资（万元）" header, each gave 0 and "ok").
TEST(CsvLoader, NearMissesAndAMissingFigureAreErrorsAtTheirHeader) {
  const std::string projects = "code,name,total_invesment\nA1,甲,5\n";
  for (const auto& [header, field] : std::vector<std::pair<std::string, std::string>>{
           {"investmnet", "investment"}, {"本月完成投资（万元）", "investment"}, {"当月投资", "investment"},
           {"fund_arrived", "funds_arrived"}}) {
    Diagnostics diags;
    absl::StatusOr<Ledger> ledger =
        LoadMem({{"projects.csv", "code,name\nA1,甲\n"},
                 {"monthly.csv", Cat("code,month,", header, ",备注\nA1,2024-02,1,x\n")}},
                &diags);
    EXPECT_FALSE(ledger.ok()) << header;
    ASSERT_EQ(diags.size(), 1u) << header << ToString(diags);
    EXPECT_EQ(Places(diags), (std::vector<Where>{{"monthly.csv", 1, 3, header}})) << header;
    EXPECT_THAT(diags[0].reason, HasSubstr(Cat("the file has no ", field, " column"))) << header;
  }
  // No investment column, and columns not read: said at the first of them.
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv", "code,name\nA1,甲\n"}, {"monthly.csv", "code,month,,1-9月完成投资,备注\nA1,2024-02,,1,x\n"}},
      &diags);
  EXPECT_FALSE(ledger.ok());
  ASSERT_EQ(diags.size(), 1u) << ToString(diags);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"monthly.csv", 1, 4, "1-9月完成投资"}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("no investment column"));
  EXPECT_THAT(diags[0].reason, HasSubstr("not read: '1-9月完成投资', '备注'"));
  // projects.csv too; lenient keeps the rows, the column as an extra.
  LoadOptions lenient;
  lenient.lenient = true;
  ledger = LoadMem({{"projects.csv", projects}}, &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 1, 3, "total_invesment"}}));
  EXPECT_EQ(ledger->size(), 1u);
  // A column of its own name beside the one it resembles is an extra, as is a column
  // near nothing; and a monthly.csv whose every column is read needs no investment.
  ledger = LoadMem({{"projects.csv", "code,name,names,项目联系人\nA1,甲,x,y\n"},
                    {"monthly.csv", "code,month,progress\nA1,2024-02,x\n"}},
                   &diags);
  ASSERT_TRUE(ledger.ok()) << ToString(diags);
  EXPECT_THAT(diags, IsEmpty());
}

TEST(CsvLoader, EmptyOptionalFileIsLikeNoFile) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "code,name\nA1,甲\n"}, {"funding.csv", ""}}, &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_THAT(diags, IsEmpty());
  ledger = LoadMem({{"projects.csv", ""}}, &diags);
  EXPECT_FALSE(ledger.ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 0, 0, ""}}));
}

TEST(CsvLoader, FileNamesDecideTheTable) {
  Diagnostics diags;
  LoadOptions lenient;
  lenient.lenient = true;
  absl::StatusOr<Ledger> ledger = LoadMem({{"data/Projects.CSV", "code,name\nA1,甲\n"},
                                           {"notes.csv", "a\n"},
                                           {"x/monthly.csv", "code,month,investment\nA1,2024-01,oops\n"}},
                                          &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(ledger->size(), 1u);
  // The names as given are used in diagnostics.
  ASSERT_EQ(diags.size(), 2u) << ToString(diags);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"x/monthly.csv", 2, 3, "investment"}, {"notes.csv", 0, 0, ""}}));
  EXPECT_THAT(diags[1].reason, HasSubstr("not a ledger file"));
}

// ---------------------------------------------------------------------------
// In memory: rows and cells
// ---------------------------------------------------------------------------

TEST(CsvLoader, RowShapes) {
  LoadOptions lenient;
  lenient.lenient = true;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv",
                                            "code,name,total_investment\n"
                                            "A1,甲,1\n"
                                            "\n"
                                            "A2,乙\n"
                                            "A3,丙,3,extra\n"
                                            ",,\n"
                                            " , ,\xE3\x80\x80\n"
                                            "A4,丁,4\n"
                                            ",,,,,\n"}},
                                          &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 4, 3, ""}, {"projects.csv", 5, 4, ""}}));
  EXPECT_EQ(diags[0].reason, "row has 2 fields, header has 3");
  EXPECT_EQ(diags[1].reason, "row has 4 fields, header has 3");
  ASSERT_EQ(ledger->size(), 2u);
  EXPECT_EQ(ledger->code(1), "A4");
}

// A stray quote that makes one row of several lines: the diagnostic names them all, so
// the lines it took in are accounted for.
TEST(CsvLoader, RowOverSeveralLinesNamesThem) {
  LoadOptions lenient;
  lenient.lenient = true;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv",
                                            "code,name,total_investment\n"
                                            "A1,\"甲,1\n"
                                            "A2\",乙,2\n"
                                            "A3,丙,3\n"}},
                                          &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 2, 4, ""}})) << ToString(diags);
  EXPECT_EQ(diags[0].reason,
            "row has 4 fields, header has 3; the row runs over lines 2-3: a quoted field holds line breaks "
            "(a stray quote?)");
  ASSERT_EQ(ledger->size(), 1u);
  EXPECT_EQ(ledger->code(0), "A3");
}

// The same when the row ends in a quoting error: the error is where the tokenizer
// found it (line 5), and names the lines the row took in from its start (line 2),
// which were otherwise lost without a word (a black-box tester's find).
TEST(CsvLoader, QuotingErrorOfARowOverSeveralLinesNamesThem) {
  LoadOptions lenient;
  lenient.lenient = true;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv",
                                            "code,name,total_investment\n"
                                            "A1,\"甲,1\n"
                                            "A2,乙,2\n"
                                            "A3,丙,3\n"
                                            "A4,x\"丁,4\n"
                                            "A5,戊,5\n"}},
                                          &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 5, 2, "name"}})) << ToString(diags);
  EXPECT_THAT(diags[0].reason, HasSubstr("after the closing quote"));
  EXPECT_THAT(diags[0].reason, HasSubstr("; the row runs over lines 2-5: a quoted field holds line breaks"));
  ASSERT_EQ(ledger->size(), 1u);
  EXPECT_EQ(ledger->code(0), "A5");
}

TEST(CsvLoader, UnterminatedQuoteStopsTheFileWithItsPlace) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv", "code,name\nA1,甲\nA2,\"乙\nA3,丙\n"}}, &diags);
  EXPECT_FALSE(ledger.ok());
  ASSERT_EQ(diags.size(), 1u) << ToString(diags);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 3, 2, "name"}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("unterminated quoted field"));
}

TEST(CsvLoader, QuotedMultiLineTextKeptExactlyAndLinesCounted) {
  Diagnostics diags;
  const std::string progress = "第一行，含逗号\n第二行 \"引号\"\r\n第三行";
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv", "code,name\nA1,甲\n"},
       {"monthly.csv", "code,month,investment,progress\n"
                       "A1,2024-01,1,\"第一行，含逗号\n第二行 \"\"引号\"\"\r\n第三行\"\n"
                       "A1,2024-02,bad,x\n"}},
      &diags);
  EXPECT_FALSE(ledger.ok());
  // The bad row starts on physical line 5 (the quoted cell spans lines 2-4).
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"monthly.csv", 5, 3, "investment"}}));

  ledger = LoadMem({{"projects.csv", "code,name\nA1,甲\n"},
                    {"monthly.csv", Cat("code,month,progress\nA1,2024-01,\"  ", "第一行，含逗号\n第二行 \"\"引号\"\"\r\n第三行",
                                        " \"\n")}},
                   &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  EXPECT_EQ(ledger->text(keyproj::internal::Columns(*ledger).monthly.progress[0]), progress);  // trimmed only
}

TEST(CsvLoader, EmptyCellsAreUnknownNeverZero) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "code,name,total_investment,attracted,region,category,planned_start\nA1,甲, , ,,,\n"},
               {"monthly.csv", "code,month,investment,funds_arrived\nA1,2024-01,,\n"}},
              &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  const internal::ProjectColumns& c = keyproj::internal::Columns(*ledger).projects;
  EXPECT_EQ(c.total_investment[0], kNoMoney);
  EXPECT_EQ(c.attracted[0], Attracted::kUnknown);
  EXPECT_EQ(c.region[0], 0);
  EXPECT_EQ(c.category[0], Category::kUnknown);
  EXPECT_EQ(c.planned_start[0], kNoDay);
  EXPECT_EQ(keyproj::internal::Columns(*ledger).monthly.flags[0], kHasRow);  // neither investment nor funds known
}

TEST(CsvLoader, CellValues) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv",
        "code,name,attracted,plan_year,annual_plan,tags,region,industry,level,signed_on,stage\n"
        "A1,甲,Y,2024年,\"1,000\",\xE3\x80\x80" "a ; b；；c ;,\xE3\x80\x80" "610402 ,c3611,国家级,,\n"
        "A2,乙,false,2025,0.000001,,610403,36,County,,\n"
        "A3,丙,是,,,,,R,区,2024年5月6日,signed\n"}},
      &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  const Ledger& l = *ledger;
  const internal::ProjectColumns& c = keyproj::internal::Columns(l).projects;
  EXPECT_EQ(c.attracted[0], Attracted::kYes);
  EXPECT_EQ(c.attracted[1], Attracted::kNo);
  EXPECT_EQ(c.attracted[2], Attracted::kYes);
  EXPECT_EQ(l.Plan(0, 2024), 1000 * kFenPerWan);
  EXPECT_EQ(l.Plan(1, 2025), 1);  // 0.000001 万元 = 1 分
  ASSERT_EQ(c.tag_begin[1] - c.tag_begin[0], 3u);
  EXPECT_EQ(l.text(c.tag_ids[0]), "a");
  EXPECT_EQ(l.text(c.tag_ids[1]), "b");
  EXPECT_EQ(l.text(c.tag_ids[2]), "c");
  EXPECT_EQ(c.region[0], 610402);
  EXPECT_EQ(c.industry[0].ToString(), "C3611");
  EXPECT_EQ(c.industry[1].ToString(), "C36");
  EXPECT_EQ(c.industry[2].ToString(), "R");
  EXPECT_EQ(c.level[0], Level::kNational);
  EXPECT_EQ(c.level[1], Level::kCounty);
  EXPECT_EQ(c.level[2], Level::kCounty);
  EXPECT_EQ(c.stage[2], Stage::kSigned);
  EXPECT_EQ(Day(c.signed_on[2]), "2024-05-06");
}

// The yes/no words (YesNo's table in classification.h): whatever a ledger's
// attracted column accepts, --filter attracted=... and industrial=... accept too,
// with the same meaning. The list holds every spelling the loader accepted before
// the table, so the table cannot lose one.
TEST(CsvLoader, EveryYesNoSpellingIsAlsoAFilterValue) {
  std::vector<std::pair<std::string, bool>> spellings = {
      {"1", true},  {"是", true},  {"yes", true}, {"true", true},   {"y", true},  {"Y", true},
      {"YES", true}, {"True", true}, {"0", false}, {"否", false},   {"no", false}, {"false", false},
      {"n", false}, {"N", false},  {"No", false}, {"FALSE", false},
  };
  for (const EnumEntry<YesNo>& e : EnumTraits<YesNo>::entries()) {
    const bool yes = e.value == YesNo::kYes;
    spellings.emplace_back(std::string(e.id), yes);
    spellings.emplace_back(std::string(e.label), yes);
    for (std::string_view rest = e.aliases; !rest.empty();) {
      const size_t bar = rest.find('|');
      spellings.emplace_back(std::string(rest.substr(0, bar)), yes);
      rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
    }
  }
  std::string projects = "code,name,attracted\n";
  for (size_t i = 0; i < spellings.size(); ++i) Append(&projects, "A", i, ",甲", i, ",", spellings[i].first, "\n");
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv", projects}}, &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  const internal::ProjectColumns& c = keyproj::internal::Columns(*ledger).projects;
  for (size_t i = 0; i < spellings.size(); ++i) {
    const auto& [word, yes] = spellings[i];
    EXPECT_EQ(c.attracted[P(*ledger, Cat("A", i))], yes ? Attracted::kYes : Attracted::kNo) << word;
    // (× in a filter or an expression is the multiplication sign, as ＊ is.)
    if (word == "×") continue;
    for (std::string_view key : {"attracted", "industrial"}) {
      absl::StatusOr<Filter> f = ParseFilter(Cat(key, "=", word));
      ASSERT_TRUE(f.ok()) << key << "=" << word << ": " << f.status();
      EXPECT_EQ(key == "attracted" ? f->attracted : f->industrial, std::optional<bool>(yes)) << key << "=" << word;
    }
  }
  // And what neither accepts.
  for (std::string_view word : {"maybe", "2", "有", "√√", "yes please"}) {
    EXPECT_FALSE(ParseFilter(Cat("attracted=", word)).ok()) << word;
    Diagnostics bad;
    EXPECT_FALSE(LoadMem({{"projects.csv", Cat("code,name,attracted\nA1,甲,", word, "\n")}}, &bad).ok()) << word;
  }
}

// 1 and 0 written as decimals are yes/no too: pandas writes a yes/no column with an
// empty cell (float64) as 1.0 and 0.0. Nothing else numeric is.
TEST(CsvLoader, YesNoAsADecimalOneOrZero) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "code,name,attracted\nA1,甲,1.0\nA2,乙,0.0\nA3,丙,1.\nA4,丁,0.000\nA5,戊,\n"}}, &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  const internal::ProjectColumns& c = keyproj::internal::Columns(*ledger).projects;
  EXPECT_EQ(c.attracted[P(*ledger, "A1")], Attracted::kYes);
  EXPECT_EQ(c.attracted[P(*ledger, "A2")], Attracted::kNo);
  EXPECT_EQ(c.attracted[P(*ledger, "A3")], Attracted::kYes);
  EXPECT_EQ(c.attracted[P(*ledger, "A4")], Attracted::kNo);
  EXPECT_EQ(c.attracted[P(*ledger, "A5")], Attracted::kUnknown);
  for (std::string_view word : {"1.5", "2.0", "0.01", ".0", "1e0", "01.0", "-1.0", "1.0.0"}) {
    Diagnostics bad;
    EXPECT_FALSE(LoadMem({{"projects.csv", Cat("code,name,attracted\nA1,甲,", word, "\n")}}, &bad).ok()) << word;
  }
}

TEST(CsvLoader, BadCellsAllReportedForOneRow) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv",
        "code,name,attracted,plan_year,region,industry,total_investment,annual_plan,tags\n"
        "A1,甲,maybe,24,61040,X12,\"1,23\",-1,ok\n"
        ",,,,,,,,\n"
        "A2,,,1899,6104021,A36,1.0000001,,\n"}},
      &diags);
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 2, 3, "attracted"},
                                               {"projects.csv", 2, 4, "plan_year"},
                                               {"projects.csv", 2, 5, "region"},
                                               {"projects.csv", 2, 6, "industry"},
                                               {"projects.csv", 2, 7, "total_investment"},
                                               {"projects.csv", 2, 8, "annual_plan"},
                                               {"projects.csv", 4, 2, "name"},
                                               {"projects.csv", 4, 4, "plan_year"},
                                               {"projects.csv", 4, 5, "region"},
                                               {"projects.csv", 4, 6, "industry"},
                                               {"projects.csv", 4, 7, "total_investment"}}))
      << ToString(diags);
  EXPECT_THAT(diags[0].reason, HasSubstr("not a yes/no value"));
  EXPECT_THAT(diags[1].reason, HasSubstr("not a year"));
  EXPECT_THAT(diags[2].reason, HasSubstr("6-digit"));
  EXPECT_THAT(diags[3].reason, HasSubstr("GB/T 4754"));
  EXPECT_THAT(diags[4].reason, HasSubstr("thousands separators"));
  EXPECT_THAT(diags[5].reason, HasSubstr("negative amount not allowed here: '-1'"));
  EXPECT_THAT(diags[6].reason, HasSubstr("required"));
  EXPECT_THAT(diags[10].reason, HasSubstr("more than six decimals"));
}

TEST(CsvLoader, MonthlyCells) {
  Diagnostics diags;
  LoadOptions lenient;
  lenient.lenient = true;
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv", "code,name\nA1,甲\n"},
       {"monthly.csv",
        "code,month,investment,funds_arrived,problems,reported_on\n"
        "A1,2024年1月,-3.5,2,用地、资金,2024/02/05\n"
        "A1,2024-02,1,-2,,\n"
        "A1,2024-03,1,,roads,\n"
        "A1,2024-04,1,,,2024-13-01\n"
        "A1,,1,,,\n"
        ",2024-06,1,,,\n"}},
      &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"monthly.csv", 3, 4, "funds_arrived"},
                                               {"monthly.csv", 4, 5, "problems"},
                                               {"monthly.csv", 5, 6, "reported_on"},
                                               {"monthly.csv", 6, 2, "month"},
                                               {"monthly.csv", 7, 1, "code"}}))
      << ToString(diags);
  EXPECT_THAT(diags[1].reason, HasSubstr("unknown problem kind 'roads'; accepted: land (用地)"));
  const Ledger& l = *ledger;
  EXPECT_EQ(l.InvestmentThrough(0, Month::FromYm(2024, 1)), -3'500'000);
  EXPECT_EQ(keyproj::internal::Columns(l).monthly.problems[0], ProblemBit(ProblemKind::kLand) | ProblemBit(ProblemKind::kFunds));
  EXPECT_EQ(Day(keyproj::internal::Columns(l).monthly.reported_on[0]), "2024-02-05");
}

TEST(CsvLoader, OtherTablesCells) {
  Diagnostics diags;
  LoadOptions options;
  options.fx_rates = {{"USD", "7.1"}};
  absl::StatusOr<Ledger> ledger = LoadMem(
      {{"projects.csv", "code,name\nA1,甲\n"},
       {"funding.csv", "code,year,source,arrived,currency\nA1,2024,专项债,100,\nA1,2024,foreign,10,usd\nA1,2023,bank_loan,5,人民币\n"},
       {"plans.csv", "项目代码,年度,计划投资\nA1,2026,1.5\n"},
       {"problems.csv", "code,id,kind,description\nA1,Q9,征迁,\"  拆迁 协调 \"\n"},
       {"baseline.csv", "month,dimension,key,investment\n2024-06,ALL,,10\n"}},
      &diags, options);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  const Ledger& l = *ledger;
  const internal::FundingColumns& f = keyproj::internal::Columns(l).funding;
  ASSERT_EQ(f.project.size(), 3u);  // sorted by year, then source
  EXPECT_EQ(f.source[0], FundingSource::kBankLoan);
  EXPECT_EQ(f.currency[0], 0u);  // 人民币 = CNY
  EXPECT_EQ(f.source[1], FundingSource::kSpecialBond);
  EXPECT_EQ(f.source[2], FundingSource::kForeign);
  EXPECT_EQ(l.text(f.currency[2]), "USD");
  EXPECT_EQ(f.arrived[2], 71 * kFenPerWan);
  EXPECT_EQ(l.Plan(0, 2026), 1'500'000);
  EXPECT_EQ(keyproj::internal::Columns(l).problems.kind[0], ProblemKind::kDemolition);
  EXPECT_EQ(l.text(keyproj::internal::Columns(l).problems.description[0]), "拆迁 协调");
  EXPECT_EQ(l.text(keyproj::internal::Columns(l).baseline.dimension[0]), "all");

  // Required cells of the other tables.
  ledger = LoadMem({{"projects.csv", "code,name\nA1,甲\n"},
                    {"plans.csv", "code,year,planned\nA1,2026,\nA1,,5\n"},
                    {"baseline.csv", "month,dimension,investment\n,all,1\n"}},
                   &diags);
  EXPECT_FALSE(ledger.ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"plans.csv", 2, 3, "planned"},
                                               {"plans.csv", 3, 2, "year"},
                                               {"baseline.csv", 2, 1, "month"}}))
      << ToString(diags);
}

TEST(CsvLoader, InvalidUtf8PlaceWithExplicitEncoding) {
  LoadOptions options;
  options.encoding = Encoding::kUtf8;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "code,name\nA1,\"甲\n\xFF\"\n"}}, &diags, options);
  EXPECT_FALSE(ledger.ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 3, 2, ""}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("not valid UTF-8 (byte 0xFF at byte offset 18)"));

  // Auto-detection: neither UTF-8 nor GB18030.
  ledger = LoadMem({{"projects.csv", "code,name\nA1,\xFF\n"}}, &diags);
  EXPECT_FALSE(ledger.ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 2, 2, ""}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("neither UTF-8"));
}

// A UTF-8 file with a bad byte (a cut character) is UTF-8 all the same: the row holding
// it is reported and left out, the others load as written. Read as GB18030 (which
// these bytes happen to be) every name would have loaded as other characters.
TEST(CsvLoader, Utf8FileWithABadByteReportsThatRowOnly) {
  const std::string projects = "code,name\nA1,中文项目\nA2,名字\xB0" "A\nA3,项目\n";
  LoadOptions lenient;
  lenient.lenient = true;
  for (Encoding encoding : {Encoding::kAuto, Encoding::kUtf8}) {
    lenient.encoding = encoding;
    Diagnostics diags;
    absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv", projects}}, &diags, lenient);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ASSERT_EQ(ledger->size(), 2u) << ToString(diags);
    EXPECT_EQ(ledger->name(P(*ledger, "A1")), "中文项目");
    EXPECT_EQ(ledger->name(P(*ledger, "A3")), "项目");
    EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 3, 2, "name"}})) << ToString(diags);
    EXPECT_THAT(diags[0].reason, HasSubstr("not valid UTF-8 (byte 0xB0 at byte offset 35"));
    EXPECT_THAT(diags[0].reason, HasSubstr("the row was not read"));
  }
  Diagnostics diags;
  EXPECT_FALSE(LoadMem({{"projects.csv", projects}}, &diags).ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 3, 2, "name"}})) << ToString(diags);
}

// A projects row with a bad cell is a rejected project like any other: its rows in
// other files are one diagnostic listing them (not one "unknown project code ... (not
// in projects.csv)" each, which was wrong: the code is there), and a later row with
// its code is a duplicate.
TEST(CsvLoader, ProjectRowWithABadCellTakesItsRowsWithIt) {
  LoadOptions lenient;
  lenient.lenient = true;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger =
      LoadMem({{"projects.csv", "code,name,total_investment\nA1,甲,x\nA2,乙,5\nA1,丙,7\n"},
               {"monthly.csv", "code,month,investment\nA1,2024-01,1\nA2,2024-01,3\nA1,2024-02,2\n"}},
              &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  ASSERT_EQ(ledger->size(), 1u) << ToString(diags);
  EXPECT_EQ(ledger->code(0), "A2");
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 2, 3, "total_investment"},
                                               {"projects.csv", 4, 1, "code"},
                                               {"monthly.csv", 2, 1, "code"}}))
      << ToString(diags);
  EXPECT_THAT(diags[1].reason, HasSubstr("duplicate project code 'A1' (first at line 2)"));
  EXPECT_EQ(diags[2].reason,
            "2 rows of project 'A1' not loaded (lines 2, 4): the project was rejected (projects.csv:2)");
}

TEST(CsvLoader, MonthlyRowsInAnyOrder) {
  // Rows out of project and month order, and a project (A2) with no rows at all.
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv", "code,name\nA1,甲\nA2,乙\nA3,丙\n"},
                                           {"monthly.csv",
                                            "code,month,investment\n"
                                            "A1,2024-03,3\n"
                                            "A3,2024-01,10\n"
                                            "A1,2024-01,1\n"
                                            "A3,2023-12,20\n"
                                            "A1,2024-02,2\n"}},
                                          &diags);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  const Ledger& l = *ledger;
  EXPECT_EQ(l.months(P(l, "A1")), (MonthRange{Month::FromYm(2024, 1), Month::FromYm(2024, 3)}));
  EXPECT_EQ(l.InvestmentThrough(P(l, "A1"), Month::FromYm(2024, 2)), 3 * kFenPerWan);
  EXPECT_EQ(l.InvestmentThrough(P(l, "A1"), Month::FromYm(2024, 3)), 6 * kFenPerWan);
  EXPECT_FALSE(l.months(P(l, "A2")).has_value());
  EXPECT_EQ(l.InvestmentThrough(P(l, "A3"), Month::FromYm(2024, 1)), 30 * kFenPerWan);
  EXPECT_EQ(l.InvestmentThrough(P(l, "A3"), Month::FromYm(2023, 12)), 20 * kFenPerWan);
}

TEST(CsvLoader, DuplicateMonthsCanBeSummed) {
  LoadOptions options;
  options.duplicate_months = DuplicateMonths::kSum;
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem({{"projects.csv", "code,name\nA1,甲\n"},
                                           {"monthly.csv", "code,month,investment\nA1,2024-01,1\nA1,2024-01,2\n"}},
                                          &diags, options);
  ASSERT_TRUE(ledger.ok()) << ledger.status() << ToString(diags);
  EXPECT_EQ(ledger->InvestmentThrough(0, Month::FromYm(2024, 1)), 3 * kFenPerWan);
}

// ---------------------------------------------------------------------------
// The parallel reading (files cut into parts at row boundaries, read on several
// threads, given to the builder in file order) against the sequential one
// (threads = 1): the same ledger, the same diagnostics in the same order, the same
// status -- with parts so small that rows, quoted line breaks, bad bytes and errors
// fall on and around the cuts.
// ---------------------------------------------------------------------------

std::vector<std::string> Lines(const std::string& bytes) {
  std::vector<std::string> lines;
  size_t at = 0;
  for (size_t nl; (nl = bytes.find('\n', at)) != std::string::npos; at = nl + 1) lines.push_back(bytes.substr(at, nl - at));
  lines.push_back(bytes.substr(at));
  return lines;
}

std::vector<CsvInput> ReadFolder(const std::filesystem::path& dir) {
  std::vector<CsvInput> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name == "regions.csv" || e.path().extension() != ".csv") continue;
    std::ifstream in(e.path(), std::ios::binary);
    files.push_back({name, std::string(std::istreambuf_iterator<char>(in), {})});
  }
  std::sort(files.begin(), files.end(), [](const CsvInput& a, const CsvInput& b) { return a.name < b.name; });
  return files;
}

struct LoadResult {
  absl::Status status;
  std::string diagnostics;
  std::optional<Ledger> ledger;
};

LoadResult Sequential(const std::vector<CsvInput>& files, LoadOptions options) {
  options.threads = 1;
  Diagnostics diags;
  absl::StatusOr<Ledger> l = LoadCsvLedger(std::span<const CsvInput>(files), options, &diags);
  LoadResult r{l.status(), ToString(diags), std::nullopt};
  if (l.ok()) r.ledger = *std::move(l);
  return r;
}

// Every part size and thread count gives what the sequential load gives. Returns the
// sequential result (for the caller to check that the case tests something).
LoadResult ExpectPartsLikeSequential(const std::vector<CsvInput>& files, LoadOptions options,
                                     std::vector<size_t> part_sizes = {1, 5, 64, 1000, 1 << 20}) {
  LoadResult want = Sequential(files, options);
  for (const int threads : {1, 2, 4}) {
    for (const size_t part : part_sizes) {
      SCOPED_TRACE(Cat("threads ", threads, ", parts of ", part, " bytes, ", options.lenient ? "lenient" : "strict"));
      options.threads = threads;
      Diagnostics diags;
      absl::StatusOr<Ledger> got =
          internal::LoadCsvLedgerInParts(std::span<const CsvInput>(files), options, part, &diags);
      EXPECT_EQ(got.status(), want.status);
      EXPECT_EQ(ToString(diags), want.diagnostics);
      EXPECT_EQ(got.ok(), want.ledger.has_value());
      if (got.ok() && want.ledger) {
        EXPECT_EQ(DescribeLedgerDifference(*got, *want.ledger), "");
        EXPECT_TRUE(got->layouts() == want.ledger->layouts());
      }
    }
  }
  // And LoadCsvLedger itself with every hardware thread.
  options.threads = 0;
  Diagnostics diags;
  absl::StatusOr<Ledger> got = LoadCsvLedger(std::span<const CsvInput>(files), options, &diags);
  EXPECT_EQ(got.status(), want.status);
  EXPECT_EQ(ToString(diags), want.diagnostics);
  if (got.ok() && want.ledger) {
    EXPECT_EQ(DescribeLedgerDifference(*got, *want.ledger), "");
  }
  return want;
}

// A row with a bad cell is still checked for everything else, so that one run of
// `validate` lists all its problems -- but no check reads the bad cell as empty: a
// start date that is not a date is not also "missing", an attracted cell that is not
// yes/no does not make a signed project "not attracted", a month that is not a month
// is no month for reported_on to precede. Rows of other tables are checked as well.
std::vector<CsvInput> RowsWithBadCellsAndMore() {
  return {{"projects.csv",
           "code,name,total_investment,planned_start,planned_completion,stage,started_on,attracted,signed_on\n"
           // a bad amount, and planned dates the wrong way round and a stage without its date
           "A1,甲,abc,2024-09-01,2023-01-01,started,,0,\n"
           // a bad start date: "started requires started_on" would be a false alarm
           "A2,乙,5,,,started,2024-13-01,0,\n"
           // a bad yes/no: "signed is for attracted projects only" would be a guess
           "A3,丙,5,,,signed,,maybe,2024-03-01\n"
           // a bad amount and a code seen before
           "A2,丁,x,,,conceived,,0,\n"
           "A4,戊,5,,,conceived,,0,\n"},
          {"monthly.csv",
           "code,month,investment,reported_on\n"
           // a bad amount, and an unknown project and reported before its month
           "B9,2024-05,zz,2024-04-01\n"
           // a bad month: reported_on has no month to precede
           "A4,2024-13,1,2024-01-01\n"},
          {"funding.csv",
           "code,year,source,requested\n"
           "A4,20x4,,5\n"},
          {"plans.csv", "code,year,planned\nB9,2024,x\n"},
          {"problems.csv", "code,id,kind,raised_on,due\nA4,,approval,2024-05-01,2024-0x-01\nA4,W1,nope,2024-05-01,2024-04-01\n"},
          {"approvals.csv", "code,item,done_on\nB9,approval,2024-99-01\n"},
          {"baseline.csv", "month,dimension,key,investment\n2024-0x,all,,5\n2024-02,nope,,y\n"}};
}

TEST(CsvLoader, RowWithABadCellHasItsOtherProblemsReported) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(RowsWithBadCellsAndMore(), &diags);
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 2, 3, "total_investment"},
                                               {"projects.csv", 2, 5, "planned_completion"},
                                               {"projects.csv", 2, 7, "started_on"},
                                               {"projects.csv", 3, 7, "started_on"},
                                               {"projects.csv", 4, 8, "attracted"},
                                               {"projects.csv", 5, 1, "code"},
                                               {"projects.csv", 5, 3, "total_investment"},
                                               {"plans.csv", 2, 1, "code"},
                                               {"plans.csv", 2, 3, "planned"},
                                               {"funding.csv", 2, 2, "year"},
                                               {"funding.csv", 2, 3, "source"},
                                               {"problems.csv", 2, 2, "id"},
                                               {"problems.csv", 2, 5, "due"},
                                               {"problems.csv", 3, 3, "kind"},
                                               {"problems.csv", 3, 5, "due"},
                                               {"approvals.csv", 2, 1, "code"},
                                               {"approvals.csv", 2, 3, "done_on"},
                                               {"baseline.csv", 2, 1, "month"},
                                               {"baseline.csv", 3, 2, "dimension"},
                                               {"baseline.csv", 3, 4, "investment"},
                                               {"monthly.csv", 2, 1, "code"},
                                               {"monthly.csv", 2, 3, "investment"},
                                               {"monthly.csv", 2, 4, "reported_on"},
                                               {"monthly.csv", 3, 2, "month"}}))
      << ToString(diags);
  EXPECT_THAT(diags[1].reason, HasSubstr("is before planned_start"));
  EXPECT_EQ(diags[2].reason, "stage started requires started_on");
  EXPECT_THAT(diags[3].reason, HasSubstr("not a date"));
  EXPECT_THAT(diags[5].reason, HasSubstr("duplicate project code 'A2' (first at line 3)"));
  EXPECT_THAT(diags[7].reason, HasSubstr("unknown project code 'B9'"));
  EXPECT_THAT(diags[14].reason, HasSubstr("due 2024-04-01 is before raised_on"));
  EXPECT_THAT(diags[20].reason, HasSubstr("unknown project code 'B9'"));
  EXPECT_THAT(diags[22].reason, HasSubstr("reported_on 2024-04-01 is before the month 2024-05"));
  // Read in parts on several threads, the same.
  ExpectPartsLikeSequential(RowsWithBadCellsAndMore(), LoadOptions{}, {1, 7, 64});
}

// A row left out for a bad cell still counts for the one-row rules: a second row for
// its month (plan year, base) is reported in the same run, whichever of the two is
// the bad one, and wherever the kept row would have gone (a project's first month,
// its next month, a month after other projects' rows). When the first row is the bad
// one, the kept row after it is an error too: lenient mode keeps neither.
std::vector<CsvInput> BadRowsAndTheirSecondRows() {
  return {{"projects.csv", "code,name\nP1,甲\nP2,乙\n"},
          {"monthly.csv",
           "code,month,investment\n"
           "P1,2024-01,abc\n"   // 2: bad, first
           "P1,2024-01,100\n"   // 3: second (P1's first month, its run's first slot)
           "P1,2024-02,10\n"    // 4: kept, first
           "P1,2024-02,xyz\n"   // 5: bad, and second
           "P1,2024-04,bad\n"   // 6: bad, first
           "P2,2024-01,1\n"     // 7
           "P1,2024-04,7\n"     // 8: second, out of order (put aside until Build)
           "P2,2024-02,2x\n"    // 9: bad, first
           "P2,2024-02,3\n"     // 10: second (P2's last month)
           "P2,2024-02,4y\n"},  // 11: bad, and third
          {"plans.csv", "code,year,planned\nP1,2024,abc\nP1,2024,100\nP2,2025,50\nP2,2025,-1\n"},
          {"baseline.csv", "month,dimension,key,investment\n2024-01,all,,abc\n2024-01,all,,100\n2024-02,all,,5\n"}};
}

TEST(CsvLoader, ABadRowStillCountsForTheOneRowRules) {
  Diagnostics diags;
  absl::StatusOr<Ledger> ledger = LoadMem(BadRowsAndTheirSecondRows(), &diags);
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> got;
  for (const Diagnostic& d : diags) {
    if (d.reason.find("second") != std::string::npos || d.reason.find("duplicate") != std::string::npos) {
      got.push_back(d.ToString());
    }
  }
  EXPECT_THAT(got, ElementsAre(
      "plans.csv:3:2: year: second plan row for project 'P1' and year 2024 (first at line 2)",
      "plans.csv:5:2: year: second plan row for project 'P2' and year 2025 (first at line 4)",
      "baseline.csv:3:1: month: duplicate base for 2024-01 all (first at line 2)",
      "monthly.csv:3:2: month: second row for project 'P1' and month 2024-01 (first at line 2); use "
      "'duplicate_months=sum' to add them up",
      "monthly.csv:5:2: month: second row for project 'P1' and month 2024-02 (first at line 4); use "
      "'duplicate_months=sum' to add them up",
      "monthly.csv:8:2: month: second row for project 'P1' and month 2024-04 (first at line 6); use "
      "'duplicate_months=sum' to add them up",
      "monthly.csv:10:2: month: second row for project 'P2' and month 2024-02 (first at line 9); use "
      "'duplicate_months=sum' to add them up",
      "monthly.csv:11:2: month: second row for project 'P2' and month 2024-02 (first at line 9); use "
      "'duplicate_months=sum' to add them up"))
      << ToString(diags);
  EXPECT_EQ(diags.size(), got.size() + 8) << ToString(diags);  // + the 8 bad cells

  LoadOptions lenient;
  lenient.lenient = true;
  ledger = LoadMem(BadRowsAndTheirSecondRows(), &diags, lenient);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  // Of each month, plan year and base with a bad first row, nothing is kept; the
  // runs are cut to the months kept.
  const uint32_t p1 = P(*ledger, "P1"), p2 = P(*ledger, "P2");
  ASSERT_TRUE(ledger->months(p1).has_value());
  EXPECT_EQ(ledger->months(p1)->first, Month::FromYm(2024, 2));
  EXPECT_EQ(ledger->months(p1)->last, Month::FromYm(2024, 2));
  EXPECT_EQ(ledger->InvestmentThrough(p1, Month::FromYm(2024, 12)), Money::FromWan(10).fen());
  ASSERT_TRUE(ledger->months(p2).has_value());
  EXPECT_EQ(ledger->months(p2)->first, Month::FromYm(2024, 1));
  EXPECT_EQ(ledger->months(p2)->last, Month::FromYm(2024, 1));
  EXPECT_EQ(ledger->InvestmentThrough(p2, Month::FromYm(2024, 12)), Money::FromWan(1).fen());
  EXPECT_EQ(internal::Columns(*ledger).plans.project.size(), 1u);  // P2's 2025 from line 4
  EXPECT_EQ(internal::Columns(*ledger).baseline.month.size(), 1u);  // 2024-02

  // With duplicate months summed there is no second row: the bad rows are left out
  // and the kept rows of a month add up.
  LoadOptions sum = lenient;
  sum.duplicate_months = DuplicateMonths::kSum;
  ledger = LoadMem(BadRowsAndTheirSecondRows(), &diags, sum);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(ledger->InvestmentThrough(P(*ledger, "P1"), Month::FromYm(2024, 12)), Money::FromWan(117).fen());
  // Read in parts on several threads, the same.
  ExpectPartsLikeSequential(BadRowsAndTheirSecondRows(), LoadOptions{}, {1, 7, 64});
  ExpectPartsLikeSequential(BadRowsAndTheirSecondRows(), lenient, {1, 7, 64});
}

TEST(CsvLoaderParts, EveryTestFolderReadsTheSame) {
  int folders = 0;
  for (const auto& e : std::filesystem::directory_iterator(kData)) {
    if (!std::filesystem::exists(e.path() / "projects.csv")) continue;
    SCOPED_TRACE(e.path().filename().string());
    const std::vector<CsvInput> files = ReadFolder(e.path());
    for (bool lenient : {false, true}) {
      LoadOptions o;
      o.lenient = lenient;
      o.fx_rates.emplace_back("USD", "7.1");
      ExpectPartsLikeSequential(files, o);
    }
    ++folders;
  }
  EXPECT_GE(folders, 5);
}

// A generated ledger written to CSV, then spoilt every few lines in ways that fall
// on cuts of tiny parts: a cell that does not parse, a row one field too long, a
// quoted field with a line break, a stray '"' inside an unquoted field (which fools
// the quote-parity guess of a cut), blank lines, CRLF, a bad UTF-8 byte, a BOM, and an
// unterminated quote near the end of one file.
std::vector<CsvInput> SpoiltLedger(uint64_t projects, uint64_t seed) {
  GeneratorOptions g;
  g.projects = projects;
  g.seed = seed;
  absl::StatusOr<Ledger> l = GenerateLedger(g);
  EXPECT_TRUE(l.ok()) << l.status();
  absl::StatusOr<std::vector<CsvInput>> written = WriteCsvLedgerToMemory(*l);
  EXPECT_TRUE(written.ok()) << written.status();
  std::vector<CsvInput> files = *std::move(written);
  for (CsvInput& f : files) {
    const std::vector<std::string> lines = Lines(f.bytes);
    std::string out;
    const bool chinese = f.name == "monthly.csv" || f.name == "approvals.csv" || f.name == "projects.csv";
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string line = lines[i];
      if (i > 0 && !line.empty()) {
        if (i % 7 == 1) line += ",extra";
        if (i % 11 == 2) line = "\"multi\nline\"," + line;
        if (i % 13 == 3 && chinese) line.insert(line.size() / 2, "\xFF");
        if (i % 17 == 4) {
          if (size_t two = line.find('2', line.size() / 3); two != std::string::npos) line[two] = 'x';
        }
        if (i % 19 == 5) {
          if (size_t comma = line.find(','); comma != std::string::npos) line.insert(comma, "12\" pipe");
        }
        if (i % 23 == 6) line += "\n\n";
        if (i % 29 == 7) line += "\r";
      }
      Append(&out, line, i + 1 < lines.size() ? "\n" : "");
    }
    if (f.name == "projects.csv") out = "\xEF\xBB\xBF" + out;
    if (f.name == "plans.csv") out += "\"unterminated,2024\n";
    f.bytes = std::move(out);
  }
  return files;
}

TEST(CsvLoaderParts, GeneratedLedgerReadsTheSame) {
  GeneratorOptions g;
  g.projects = 300;
  absl::StatusOr<Ledger> l = GenerateLedger(g);
  ASSERT_TRUE(l.ok()) << l.status();
  absl::StatusOr<std::vector<CsvInput>> files = WriteCsvLedgerToMemory(*l);
  ASSERT_TRUE(files.ok()) << files.status();
  LoadOptions o;
  o.fx_rates.emplace_back("USD", g.usd_rate);
  const LoadResult r = ExpectPartsLikeSequential(*files, o, {1, 97, 4096});
  ASSERT_TRUE(r.ledger.has_value()) << r.status;
  EXPECT_EQ(DescribeLedgerDifference(*r.ledger, *l), "");
}

// The loaders read a file's rows one after another into one record (loader.cc,
// RowRecords) and copy them into records a part before left (ChunkEvents::Copy;
// column_import.cc likewise): a row with empty cells after a row with every cell
// filled must take nothing from it. Each file's rows in the opposite order give the
// same projects and rows.
TEST(CsvLoaderParts, ARowTakesNothingFromTheRowBefore) {
  auto files = [](bool reversed) {
    auto file = [&](std::string name, std::string header, std::string full, std::string sparse) {
      return CsvInput{std::move(name), reversed ? Cat(header, "\n", sparse, "\n", full, "\n")
                                                : Cat(header, "\n", full, "\n", sparse, "\n")};
    };
    return std::vector<CsvInput>{
        file("projects.csv",
             "code,name,region,industry,category,level,build_type,total_investment,planned_start,"
             "planned_completion,stage,reserved_on,started_on,completed_on,suspended_on,cancelled_on,attracted,"
             "investor,signed_on,contracted_investment,start_due,leader,department,tags,intended_on,operating_on,"
             "项目联系人",
             "A1,甲项目,610403,O80,livelihood,municipal,new,57490.00,2024-09-11,2026-07-11,started,2024-01-06,"
             "2024-09-01,,,,1,某集团,2024-01-20,30000,2024-10-01,林卫东,民政局,县域经济;民生,2023-12-01,,何明华",
             "B2,乙项目" + std::string(25, ',')),
        file("monthly.csv", "code,month,investment,funds_arrived,progress,problems,reported_on,备注",
             "A1,2024-09,1970.00,800,施工队伍进场,land,2024-10-11,说明", "B2,2024-09,,,,,,"),
        file("funding.csv", "code,year,source,requested,approved,arrived,currency,备注",
             "A1,2024,local_fiscal,748.00,500,300,USD,说明", "B2,2024,bank_loan,,,,,"),
        file("plans.csv", "code,year,planned,备注", "A1,2024,11390.00,说明", "B2,2025,0,"),
        file("approvals.csv", "code,item,required,planned_on,done_on,authority,document_no,备注",
             "A1,approval,0,2024-01-10,2024-01-31,咸阳市发展和改革委员会,咸发改投资〔2024〕75号,说明",
             "B2,approval,,,,,,"),
    };
  };
  LoadOptions o;
  o.fx_rates.emplace_back("USD", "7.1");
  const LoadResult forward = ExpectPartsLikeSequential(files(false), o, {1, 64, 1 << 20});
  const LoadResult backward = ExpectPartsLikeSequential(files(true), o, {1, 64, 1 << 20});
  ASSERT_TRUE(forward.ledger && backward.ledger) << forward.status << forward.diagnostics << backward.diagnostics;
  // Dump's blocks (a project's line and its rows' lines) by code.
  auto blocks = [](const Ledger& l) {
    std::vector<std::string> out;
    for (const std::string& line : Lines(Dump(l))) {
      if (line.empty()) continue;
      if (line.rfind("project ", 0) == 0 || out.empty()) {
        out.push_back(line);
      } else {
        Append(&out.back(), "\n", line);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(blocks(*forward.ledger), blocks(*backward.ledger));
  for (const Ledger* l : {&*forward.ledger, &*backward.ledger}) {
    ASSERT_EQ(l->extras(Table::kProjects).size(), 1u);
    const ExtraColumn& contact = l->extras(Table::kProjects)[0];
    EXPECT_EQ(l->text(contact.values[P(*l, "A1")]), "何明华");
    EXPECT_EQ(l->text(contact.values[P(*l, "B2")]), "");
    for (Table t : {Table::kMonthly, Table::kFunding, Table::kPlans, Table::kApprovals}) {
      ASSERT_EQ(l->extras(t).size(), 1u) << TableName(t);
      std::vector<std::string> values;
      for (uint32_t v : l->extras(t)[0].values) values.emplace_back(l->text(v));
      std::sort(values.begin(), values.end());
      EXPECT_THAT(values, ElementsAre("", "说明")) << TableName(t);
    }
  }
  // The sparse project has none of the full one's values.
  const std::vector<std::string> b = blocks(*forward.ledger);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_THAT(b[1], ::testing::StartsWith("project B2|乙项目|"));
  EXPECT_THAT(b[1], ::testing::Not(HasSubstr("某集团")));
  EXPECT_THAT(b[1], ::testing::Not(HasSubstr("2024-01-31")));
}

TEST(CsvLoaderParts, ErrorsSpreadThroughTheFilesReportTheSame) {
  const std::vector<CsvInput> files = SpoiltLedger(120, 7);
  for (bool lenient : {false, true}) {
    LoadOptions o;
    o.lenient = lenient;
    o.fx_rates.emplace_back("USD", "7.1");
    const LoadResult r = ExpectPartsLikeSequential(files, o, {1, 3, 50, 700, 8000});
    // The case must hold what it is about: many errors, in every kind of file.
    const std::string& d = r.diagnostics;
    EXPECT_GT(std::count(d.begin(), d.end(), '\n'), 100);
    for (std::string_view want : {"row has", "not valid UTF-8", "unterminated quoted field", "the row runs over lines",
                                  "projects.csv:", "monthly.csv:", "approvals.csv:", "funding.csv:"}) {
      EXPECT_THAT(d, HasSubstr(std::string(want)));
    }
    EXPECT_EQ(r.ledger.has_value(), lenient);
  }
}

// GB18030 input (converted before it is cut), with errors spread through it.
TEST(CsvLoaderParts, Gb18030WithErrorsReadsTheSame) {
  std::vector<CsvInput> files = ReadFolder(kData / "gb18030_chinese_headers");
  for (CsvInput& f : files) {
    std::string out;
    int i = 0;
    for (std::string l : Lines(f.bytes)) {
      if (i > 0 && i % 2 == 0 && !l.empty()) l += ",extra";
      if (i > 0 && i % 3 == 0 && !l.empty()) l = "\"a\nb\"," + l;
      Append(&out, l, "\n");
      ++i;
    }
    f.bytes = std::move(out);
  }
  for (Encoding e : {Encoding::kAuto, Encoding::kGb18030}) {
    LoadOptions o;
    o.encoding = e;
    o.lenient = true;
    const LoadResult r = ExpectPartsLikeSequential(files, o, {1, 2, 17, 300});
    EXPECT_THAT(r.diagnostics, HasSubstr("row has"));
  }
}

// ---------------------------------------------------------------------------
// Bureau layouts (台账): title and unit rows, 序号, two-row headers, 合计 / 小计,
// footers (docs/ledger-loading.md, "Bureau layouts")
// ---------------------------------------------------------------------------

const TableLayout* LayoutOf(const Ledger& l, Table t) {
  for (const TableLayout& x : l.layouts()) {
    if (x.table == t) return &x;
  }
  return nullptr;
}

int64_t TotalInvestment(const Ledger& l, std::string_view code) {
  return internal::Columns(l).projects.total_investment[P(l, code)];
}
int64_t Contracted(const Ledger& l, std::string_view code) {
  return internal::Columns(l).projects.contracted_investment[P(l, code)];
}

TEST(Layout, PlainFileHasNoLayout) {
  Diagnostics diags;
  absl::StatusOr<Ledger> l = LoadMem({{"projects.csv", "项目代码,项目名称,总投资（万元）\nA1,甲,1\n"}}, &diags);
  ASSERT_TRUE(l.ok()) << ToString(diags);
  EXPECT_THAT(l->layouts(), IsEmpty());
}

TEST(Layout, HeaderFoundBelowTitleAndUnitRows) {
  const std::string projects =
      "2009年襄城区重点项目台账,,,\n"
      ",,,单位：万元\n"
      "\n"
      "序号,项目代码,项目名称,总投资\n"
      "1,A1,甲,100.5\n"
      "2,A2,乙,x\n";
  Diagnostics diags;
  absl::StatusOr<Ledger> l = LoadMem({{"projects.csv", projects}}, &diags);
  EXPECT_FALSE(l.ok());
  // A data row keeps its physical line and column.
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 6, 4, "总投资"}})) << ToString(diags);
  LoadOptions lenient;
  lenient.lenient = true;
  l = LoadMem({{"projects.csv", projects}}, &diags, lenient);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 1u);
  EXPECT_EQ(TotalInvestment(*l, "A1"), 100'500'000);
  EXPECT_THAT(DumpExtras(*l, Table::kProjects), IsEmpty());  // 序号 is no extra column
  const TableLayout* layout = LayoutOf(*l, Table::kProjects);
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(layout->file, "projects.csv");
  EXPECT_EQ(layout->header_line, 4);
  EXPECT_EQ(layout->header_rows, 1);
  EXPECT_EQ(layout->notes, (std::vector<LayoutLine>{{1, "2009年襄城区重点项目台账"}, {2, "单位：万元"}}));
  EXPECT_EQ(layout->unit, "万元");
  EXPECT_EQ(layout->unit_line, 2);
  EXPECT_EQ(layout->serial_column, 1);
  EXPECT_THAT(layout->totals, IsEmpty());
}

TEST(Layout, NoHeaderAmongTheLeadingRows) {
  Diagnostics diags;
  // No row names a column: the error is line 1's, as for a plain file.
  EXPECT_FALSE(LoadMem({{"projects.csv", "重点项目台账\n单位：万元\nA1,甲\n"}}, &diags).ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 1, 0, ""}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("missing required column code (项目代码), name (项目名称)"));
  // The row naming the most known columns is the one blamed.
  EXPECT_FALSE(LoadMem({{"projects.csv", "重点项目台账\n单位：万元\n序号,项目名称,总投资\n1,甲,2\n"}}, &diags).ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 3, 0, ""}}));
  EXPECT_THAT(diags[0].reason, HasSubstr("missing required column code (项目代码)"));
  // Only the first 30 rows are looked at.
  std::string late;
  for (int i = 0; i < 30; ++i) late += "说明行\n";
  late += "项目代码,项目名称\nA1,甲\n";
  EXPECT_FALSE(LoadMem({{"projects.csv", late}}, &diags).ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 1, 0, ""}}));
}

TEST(Layout, UnitsConvertedExactly) {
  Diagnostics diags;
  absl::StatusOr<Ledger> l = LoadMem(
      {{"projects.csv",
        "单位：元\n项目代码,项目名称,总投资,签约投资额（亿元）\nA1,甲,123.45,1.23456789\nA2,乙,\"1,000.10\",0.0000000001\n"
        "A3,丙,-0,123456789.0000000001\n"}},
      &diags);
  ASSERT_TRUE(l.ok()) << ToString(diags);
  EXPECT_EQ(TotalInvestment(*l, "A1"), 12'345);
  EXPECT_EQ(Contracted(*l, "A1"), 12'345'678'900);
  EXPECT_EQ(TotalInvestment(*l, "A2"), 100'010);
  EXPECT_EQ(Contracted(*l, "A2"), 1);
  EXPECT_EQ(TotalInvestment(*l, "A3"), 0);
  EXPECT_EQ(Contracted(*l, "A3"), int64_t{1'234'567'890'000'000'001});
  const TableLayout* layout = LayoutOf(*l, Table::kProjects);
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(layout->unit, "元");
  EXPECT_EQ(layout->unit_line, 1);
  EXPECT_EQ(layout->unit_headers, std::vector<std::string>{"签约投资额（亿元）"});

  // The header's own unit wins over the unit row; the unit may close the title.
  l = LoadMem({{"projects.csv", "重点项目表（单位：亿元）\n项目代码,项目名称,总投资（万元）,签约投资额\nA1,甲,3,0.5\n"}},
              &diags);
  ASSERT_TRUE(l.ok()) << ToString(diags);
  EXPECT_EQ(TotalInvestment(*l, "A1"), 3'000'000);
  EXPECT_EQ(Contracted(*l, "A1"), 5'000'000'000);
  // 千元, and a unit row in an otherwise empty row's one cell.
  l = LoadMem({{"plans.csv", ",（单位：千元）,\n项目代码,年度,计划投资\nA1,2024,1.5\n"},
               {"projects.csv", "项目代码,项目名称\nA1,甲\n"}},
              &diags);
  ASSERT_TRUE(l.ok()) << ToString(diags);
  EXPECT_EQ(l->Plan(0, 2024), 150'000);
}

TEST(Layout, ValueFinerThanFenIsRefusedNeverRounded) {
  Diagnostics diags;
  EXPECT_FALSE(LoadMem({{"projects.csv", "单位：元\n项目代码,项目名称,总投资\nA1,甲,1.234\nA2,乙,1.230\n"}}, &diags).ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 3, 3, "总投资"}})) << ToString(diags);
  EXPECT_THAT(diags[0].reason, HasSubstr("finer than 1 分 (元 has at most 2 decimals)"));
  EXPECT_THAT(diags[0].reason, HasSubstr("'1.234'"));
  EXPECT_FALSE(
      LoadMem({{"monthly.csv", "项目代码,月份,当月完成投资（亿元）\nA1,2024-01,0.00000000001\n"},
               {"projects.csv", "项目代码,项目名称\nA1,甲\n"}},
              &diags)
          .ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"monthly.csv", 2, 3, "当月完成投资（亿元）"}})) << ToString(diags);
  EXPECT_THAT(diags[0].reason, HasSubstr("finer than 1 分 (亿元 has at most 10 decimals)"));
  // Other bad figures are named in their unit.
  EXPECT_FALSE(LoadMem({{"projects.csv", "单位：元\n项目代码,项目名称,总投资\nA1,甲,十元\n"}}, &diags).ok());
  EXPECT_THAT(diags[0].reason, HasSubstr("not a decimal number of 元: '十元'"));
}

TEST(Layout, TwoRowHeaderFromMergedCells) {
  const std::string projects =
      "重点项目台账,,,,,,,\n"
      "序号,项目代码,项目名称,投资情况（元）,,资金来源,,备注\n"
      ",,,总投资,签约投资额,中央预算内,专项债券,\n"
      "1,A1,甲,1000000.00,200000.50,50,60,无\n"
      "2,A2,乙,x,,,,\n";
  Diagnostics diags;
  LoadOptions lenient;
  lenient.lenient = true;
  absl::StatusOr<Ledger> l = LoadMem({{"projects.csv", projects}}, &diags, lenient);
  ASSERT_TRUE(l.ok()) << ToString(diags);
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"projects.csv", 5, 4, "总投资（元）"}})) << ToString(diags);
  EXPECT_EQ(TotalInvestment(*l, "A1"), 100'000'000);
  EXPECT_EQ(Contracted(*l, "A1"), 20'000'050);
  EXPECT_EQ(DumpExtras(*l, Table::kProjects), "[资金来源/中央预算内] <50>\n[资金来源/专项债券] <60>\n[备注] <无>\n");
  const TableLayout* layout = LayoutOf(*l, Table::kProjects);
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(layout->header_line, 2);
  EXPECT_EQ(layout->header_rows, 2);
  EXPECT_EQ(layout->notes, (std::vector<LayoutLine>{{1, "重点项目台账"}}));
  EXPECT_THAT(layout->unit, IsEmpty());
  EXPECT_EQ(layout->unit_headers, (std::vector<std::string>{"总投资（元）", "签约投资额（元）"}));

  // Group and child joined name a column first ("计划" over "开工时间" is 计划开工时间,
  // the planned start, not 开工时间, the actual one; "签约" over "时间" is 签约时间),
  // then the child alone (投资情况 over 总投资, above).
  l = LoadMem({{"projects.csv", "项目代码,项目名称,招商引资,计划,,签约,\n,,,开工时间,竣工时间,时间,投资额（万元）\n"
                                "A1,甲,是,2024-03-01,2025-01-01,2023-05-06,12\n"}},
              &diags);
  ASSERT_TRUE(l.ok()) << ToString(diags);
  EXPECT_EQ(Day(internal::Columns(*l).projects.planned_start[0]), "2024-03-01");
  EXPECT_EQ(Day(internal::Columns(*l).projects.planned_completion[0]), "2025-01-01");
  EXPECT_EQ(Day(internal::Columns(*l).projects.started_on[0]), "-");
  EXPECT_EQ(Day(internal::Columns(*l).projects.signed_on[0]), "2023-05-06");
  EXPECT_EQ(Contracted(*l, "A1"), 12'000'000);
}

TEST(Layout, TotalsLeftOutAndChecked) {
  const std::string monthly =
      "项目代码,月份,当月完成投资（万元）,当月到位资金（万元）\n"
      "A1,2024-01,10,5\n"
      "A1,2024-02,20,\n"
      "小计,,30,5\n"
      "A2,2024-01,1.5,1\n"
      "小  计,,1.5,2\n"
      "合计,,31.5,6\n"
      "总计,,,\n";
  Diagnostics diags;
  absl::StatusOr<Ledger> l =
      LoadMem({{"monthly.csv", monthly}, {"projects.csv", "项目代码,项目名称\nA1,甲\nA2,乙\n"}}, &diags);
  EXPECT_FALSE(l.ok());
  EXPECT_EQ(Places(diags), (std::vector<Where>{{"monthly.csv", 6, 4, "当月到位资金（万元）"}})) << ToString(diags);
  EXPECT_EQ(diags[0].reason, "小计 2.00 万元 but the rows above sum to 1.00 万元");
  LoadOptions lenient;
  lenient.lenient = true;
  l = LoadMem({{"monthly.csv", monthly}, {"projects.csv", "项目代码,项目名称\nA1,甲\nA2,乙\n"}}, &diags, lenient);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->InvestmentThrough(P(*l, "A1"), Month::FromYm(2024, 2)), 30'000'000);
  const TableLayout* layout = LayoutOf(*l, Table::kMonthly);
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(layout->totals, (std::vector<LayoutTotal>{{4, "小计", true, true},
                                                      {6, "小计", true, false},
                                                      {7, "合计", true, true},
                                                      {8, "总计", false, true}}));
  // The 合计 in 元 names its unit.
  EXPECT_FALSE(LoadMem({{"projects.csv", "单位：元\n序号,项目代码,项目名称,总投资\n1,A1,甲,1.01\n2,A2,乙,2\n合计,,,3.00\n"}},
                       &diags)
                   .ok());
  EXPECT_EQ(ToString(diags), "projects.csv:5:4: 总投资: 合计 3.00 元 but the rows above sum to 3.01 元\n");
}

TEST(Layout, FootersNotesAndSectionsLeftOut) {
  const std::string projects =
      "序号,项目代码,项目名称,总投资\n"
      "一、续建项目,,,\n"
      "1,A1,甲,10\n"
      "（二）新开工项目,,,\n"
      "2,A2,乙,20\n"
      "合计,,,30\n"
      "其中：中央,,,10\n"
      "注：数据截至2024年底\n"
      "填报单位：襄城区发改局,,填报人：张三\n"
      "审核人: 李四\n";
  Diagnostics diags;
  absl::StatusOr<Ledger> l = LoadMem({{"projects.csv", projects}}, &diags);
  ASSERT_TRUE(l.ok()) << ToString(diags);
  EXPECT_EQ(l->size(), 2u);
  const TableLayout* layout = LayoutOf(*l, Table::kProjects);
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(layout->header_line, 1);
  EXPECT_EQ(layout->sections, (std::vector<LayoutLine>{{2, "一、续建项目"}, {4, "（二）新开工项目"}}));
  EXPECT_EQ(layout->totals, (std::vector<LayoutTotal>{{6, "合计", true, true}, {7, "其中", false, true}}));
  EXPECT_EQ(layout->footers, (std::vector<LayoutLine>{{8, "注：数据截至2024年底"},
                                                      {9, "填报单位：襄城区发改局 填报人：张三"},
                                                      {10, "审核人: 李四"}}));
}

// The quote-aware fields of one CSV record (the generated files' records).
std::vector<std::string> SplitRecord(std::string_view r) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < r.size(); ++i) {
    const char c = r[i];
    if (quoted) {
      if (c == '"' && i + 1 < r.size() && r[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::string JoinRecord(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string& c = cells[i];
    if (i > 0) out += ',';
    if (c.find_first_of(",\"\r\n") == std::string::npos) {
      out += c;
      continue;
    }
    out += '"';
    for (char ch : c) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    out += '"';
  }
  return out;
}

// A generated table file as a bureau keeps it: a title row, a unit row (money in 元
// or 万元), 序号, a 合计 of every money column (off by 1 分 in its first money
// column when `wrong_total`) and a footer.
std::string BureauLayout(const CsvInput& f, bool yuan, bool wrong_total) {
  std::vector<std::string> records;
  {
    std::string record;
    for (const std::string& line : Lines(f.bytes)) {
      if (!record.empty()) record += '\n';
      record += line;
      if (std::count(record.begin(), record.end(), '"') % 2 == 0) {
        if (!record.empty()) records.push_back(record);
        record.clear();
      }
    }
  }
  const std::vector<std::string> header = SplitRecord(records[0]);
  std::vector<size_t> money;
  for (size_t c = 0; c < header.size(); ++c) {
    for (std::string_view m : {"total_investment", "contracted_investment", "annual_plan", "investment",
                               "funds_arrived", "requested", "approved", "arrived", "planned"}) {
      if (header[c] == m) money.push_back(c);
    }
  }
  const int64_t unit = yuan ? 100 : 1'000'000;
  std::vector<int128> sums(money.size());
  std::string out = Cat("2009年襄城区重点项目台账", std::string(header.size(), ','), "\n",
                        std::string(header.size(), ','), yuan ? "单位：元" : "单位：万元", "\n");
  std::vector<std::string> h = header;
  h.insert(h.begin(), "序号");
  Append(&out, JoinRecord(h), "\n");
  for (size_t r = 1; r < records.size(); ++r) {
    std::vector<std::string> cells = SplitRecord(records[r]);
    for (size_t k = 0; k < money.size(); ++k) {
      std::string& cell = cells[money[k]];
      if (cell.empty()) continue;
      absl::StatusOr<Money> m = Money::ParseWan(cell);
      EXPECT_TRUE(m.ok()) << cell;
      sums[k] += m->fen();
      cell = FormatExact(m->fen(), unit, 2);
    }
    cells.insert(cells.begin(), std::to_string(r));
    Append(&out, JoinRecord(cells), "\n");
  }
  std::vector<std::string> total(header.size() + 1);
  total[0] = "合计";
  for (size_t k = 0; k < money.size(); ++k) {
    total[money[k] + 1] = FormatExact(sums[k] + (wrong_total && k == 0 ? 1 : 0), unit, 2);
  }
  Append(&out, JoinRecord(total), "\n", "填报单位：襄城区发展和改革局,,填报人：张三,,审核人：李四\n");
  return out;
}

TEST(CsvLoaderParts, BureauLayoutReadsTheSameAsTheCleanFiles) {
  GeneratorOptions g;
  g.projects = 40;
  absl::StatusOr<Ledger> clean = GenerateLedger(g);
  ASSERT_TRUE(clean.ok()) << clean.status();
  absl::StatusOr<std::vector<CsvInput>> files = WriteCsvLedgerToMemory(*clean);
  ASSERT_TRUE(files.ok()) << files.status();
  for (const bool yuan : {false, true}) {
    for (const Encoding encoding : {Encoding::kUtf8, Encoding::kGb18030}) {
      SCOPED_TRACE(Cat(yuan ? "元" : "万元", ", ", EnumId(encoding)));
      std::vector<CsvInput> laid_out = *files;
      for (CsvInput& f : laid_out) {
        f.bytes = BureauLayout(f, yuan, false);
        if (encoding == Encoding::kGb18030) {
          absl::StatusOr<std::string> gb = Utf8ToGb18030(f.bytes);
          ASSERT_TRUE(gb.ok());
          f.bytes = *gb;
        }
      }
      LoadOptions o;
      o.encoding = encoding;
      o.fx_rates.emplace_back("USD", g.usd_rate);
      const LoadResult r = ExpectPartsLikeSequential(laid_out, o, {1, 97, 4096});
      ASSERT_TRUE(r.ledger.has_value()) << r.status << r.diagnostics;
      EXPECT_EQ(r.diagnostics, "");
      EXPECT_EQ(DescribeLedgerDifference(*r.ledger, *clean), "");
      ASSERT_EQ(r.ledger->layouts().size(), laid_out.size());
      for (const TableLayout& layout : r.ledger->layouts()) {
        SCOPED_TRACE(layout.file);
        EXPECT_EQ(layout.header_line, 3);
        EXPECT_EQ(layout.unit, yuan ? "元" : "万元");
        EXPECT_EQ(layout.serial_column, 1);
        ASSERT_EQ(layout.totals.size(), 1u);
        EXPECT_TRUE(layout.totals[0].agrees);
        EXPECT_EQ(layout.footers.size(), 1u);
      }
    }
  }
}

TEST(CsvLoaderParts, WrongTotalsReportTheSame) {
  GeneratorOptions g;
  g.projects = 30;
  absl::StatusOr<Ledger> clean = GenerateLedger(g);
  ASSERT_TRUE(clean.ok()) << clean.status();
  absl::StatusOr<std::vector<CsvInput>> files = WriteCsvLedgerToMemory(*clean);
  ASSERT_TRUE(files.ok()) << files.status();
  for (CsvInput& f : *files) f.bytes = BureauLayout(f, true, true);
  for (bool lenient : {false, true}) {
    LoadOptions o;
    o.lenient = lenient;
    o.fx_rates.emplace_back("USD", g.usd_rate);
    const LoadResult r = ExpectPartsLikeSequential(*files, o, {1, 50, 700});
    for (std::string_view file : {"projects.csv", "monthly.csv", "plans.csv", "funding.csv"}) {
      EXPECT_THAT(r.diagnostics, HasSubstr(Cat(file, ":")));
    }
    EXPECT_THAT(r.diagnostics, HasSubstr(" 元 but the rows above sum to "));
  }
}

}  // namespace
}  // namespace keyproj
