// The problem list (问题清单): tests/data/problem_list, whose README lists what each of
// its problems shows at 2024-09-30 and the days overdue counted by hand.
#include "keyproj/problem_list.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/csv_loader.h"
#include "keyproj/engine.h"
#include "keyproj/generator.h"

namespace keyproj {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Ledger& Small() {
  static const Ledger* ledger = [] {
    Diagnostics diagnostics;
    absl::StatusOr<Ledger> l =
        LoadCsvLedger(std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "problem_list", LoadOptions{}, &diagnostics);
    EXPECT_TRUE(l.ok()) << l.status();
    return new Ledger(l.ok() ? *std::move(l) : Ledger());
  }();
  return *ledger;
}

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

ProblemList Make(ProblemGrouping by, bool overdue_only = false, Date as_of = D(2024, 9, 30), Filter filter = {}) {
  ProblemListRequest request;
  request.as_of = as_of;
  request.group_by = by;
  request.overdue_only = overdue_only;
  request.filter = std::move(filter);
  absl::StatusOr<ProblemList> list = MakeProblemList(Small(), request);
  EXPECT_TRUE(list.ok()) << list.status();
  return list.ok() ? *std::move(list) : ProblemList();
}

std::vector<std::string> Ids(const ProblemGroup& g) {
  std::vector<std::string> ids;
  for (const ProblemEntry& p : g.problems) ids.push_back(p.id);
  return ids;
}

TEST(ProblemList, ByOwnerTheMostOverdueFirst) {
  const ProblemList list = Make(ProblemGrouping::kOwner);
  EXPECT_EQ(list.total, 7u);  // Q5 resolved, Q8 raised later, Q9's project cancelled
  EXPECT_EQ(list.overdue, 5u);
  ASSERT_EQ(list.groups.size(), 4u);
  // Groups: the most overdue problems first, then the most problems, then the key.
  EXPECT_EQ(list.groups[0].label, "区自然资源局");
  EXPECT_THAT(Ids(list.groups[0]), ElementsAre("Q1", "Q4", "Q10"));
  EXPECT_EQ(list.groups[0].overdue, 3u);
  EXPECT_EQ(list.groups[1].label, "区住建局");
  EXPECT_THAT(Ids(list.groups[1]), ElementsAre("Q6", "Q2"));  // Q6 resolved after the date: open
  EXPECT_EQ(list.groups[2].key, "");
  EXPECT_EQ(list.groups[2].label, "（未填）");
  EXPECT_EQ(list.groups[3].label, "区财政局");
  // Days overdue by hand: 2024-09-30 minus the due date.
  const std::vector<ProblemEntry>& land = list.groups[0].problems;
  EXPECT_EQ(land[0].days_overdue, 92);  // due 2024-06-30: July + August + September
  EXPECT_EQ(land[1].days_overdue, 29);  // due 2024-09-01
  EXPECT_EQ(land[2].days_overdue, 1);   // due 2024-09-29
  EXPECT_EQ(list.groups[1].problems[0].days_overdue, 30);  // due 2024-08-31
  EXPECT_EQ(list.groups[1].problems[1].days_overdue, 10);  // due 2024-09-20
  const ProblemEntry& q3 = list.groups[3].problems[0];
  EXPECT_FALSE(q3.overdue());  // due 2024-10-31
  EXPECT_EQ(q3.code, "P002");
  EXPECT_EQ(q3.name, "高新区新能源电池项目");
  EXPECT_EQ(q3.kind, ProblemKind::kFunds);
  EXPECT_EQ(q3.raised_on, D(2024, 5, 10));
  EXPECT_EQ(q3.due_on, D(2024, 10, 31));
  EXPECT_FALSE(list.groups[2].problems[0].due_on.has_value());  // Q7: no due date, never overdue
}

TEST(ProblemList, OverdueOnlyKindProjectDateAndScope) {
  const ProblemList overdue = Make(ProblemGrouping::kOwner, /*overdue_only=*/true);
  EXPECT_EQ(overdue.total, 5u);
  EXPECT_EQ(overdue.overdue, 5u);
  ASSERT_EQ(overdue.groups.size(), 2u);

  const ProblemList by_kind = Make(ProblemGrouping::kKind);
  ASSERT_EQ(by_kind.groups.size(), 6u);
  EXPECT_EQ(by_kind.groups[0].key, "land");
  EXPECT_EQ(by_kind.groups[0].label, "用地");
  EXPECT_THAT(Ids(by_kind.groups[0]), ElementsAre("Q1", "Q4"));

  const ProblemList by_project = Make(ProblemGrouping::kProject);
  ASSERT_EQ(by_project.groups.size(), 3u);
  EXPECT_EQ(by_project.groups[0].key, "2021-610402-44-01-123456");  // 3 overdue
  EXPECT_EQ(by_project.groups[0].label, "城南污水处理厂（2021-610402-44-01-123456）");
  EXPECT_THAT(Ids(by_project.groups[0]), ElementsAre("Q1", "Q2", "Q10"));

  // At 2024-07-01: Q1 one day overdue; Q2 raised that day and open; Q6, Q7, Q10 not
  // raised yet; Q9's project already cancelled (2024-05-01).
  const ProblemList july = Make(ProblemGrouping::kOwner, false, D(2024, 7, 1));
  EXPECT_EQ(july.total, 4u);  // Q1, Q2, Q3, Q4
  EXPECT_EQ(july.overdue, 1u);
  EXPECT_EQ(july.groups[0].problems[0].id, "Q1");
  EXPECT_EQ(july.groups[0].problems[0].days_overdue, 1);

  // The scope: P002 alone is in 610403.
  Filter f;
  f.region_prefixes = {"610403"};
  const ProblemList p002 = Make(ProblemGrouping::kOwner, false, D(2024, 9, 30), f);
  EXPECT_EQ(p002.total, 2u);  // Q3, Q4
  EXPECT_EQ(p002.overdue, 1u);
}

TEST(ProblemList, CountsAreThoseOfTheIndicators) {
  GeneratorOptions o;
  o.projects = 600;
  o.seed = 11;
  const Ledger ledger = *GenerateLedger(o);
  for (const Date as_of : {D(2024, 3, 31), D(2024, 9, 30)}) {
    Query q;
    q.as_of = as_of;
    q.indicators = {"problems_open", "problems_overdue"};
    absl::StatusOr<Result> r = Evaluate(ledger, q);
    ASSERT_TRUE(r.ok()) << r.status();
    ProblemListRequest request;
    request.as_of = as_of;
    absl::StatusOr<ProblemList> list = MakeProblemList(ledger, request);
    ASSERT_TRUE(list.ok()) << list.status();
    EXPECT_GT(list->overdue, 0u);  // the generator raises problems, some past due
    EXPECT_TRUE(r->rows.back().values[0] == Value::Integer(static_cast<int64_t>(list->total)));
    EXPECT_TRUE(r->rows.back().values[1] == Value::Integer(static_cast<int64_t>(list->overdue)));
    size_t sum = 0;
    for (const ProblemGroup& g : list->groups) {
      sum += g.problems.size();
      for (size_t i = 1; i < g.problems.size(); ++i) {
        EXPECT_GE(g.problems[i - 1].days_overdue, g.problems[i].days_overdue);
      }
    }
    EXPECT_EQ(sum, list->total);
  }
}

TEST(RenderProblemList, EveryFormat) {
  const ProblemList list = Make(ProblemGrouping::kOwner);
  absl::StatusOr<std::string> text = RenderProblemList(list, ReportFormat::kText);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("共有未解决问题7个，其中超期5个。\n一、区自然资源局（3个问题，其中超期3个）\n"
                               "1. 城南污水处理厂（2021-610402-44-01-123456）【用地】用地指标未落实。"
                               "2024年3月20日提出，限2024年6月30日前解决，已超期92天。\n"));
  EXPECT_THAT(*text, HasSubstr("三、（未填）（1个问题）\n"));
  EXPECT_THAT(*text, HasSubstr("【能耗】能耗指标待落实。2024年9月1日提出，未定完成时限。\n"));
  EXPECT_THAT(*text, HasSubstr("【资金】配套资金缺口较大。2024年5月10日提出，限2024年10月31日前解决。\n"));

  absl::StatusOr<std::string> json = RenderProblemList(list, ReportFormat::kJson);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"total\": 7, \"overdue\": 5"));
  EXPECT_THAT(*json, HasSubstr("\"id\": \"Q7\", \"kind\": \"energy\", \"description\": \"能耗指标待落实\", \"owner\": \"\", "
                               "\"raised_on\": \"2024-09-01\", \"due_on\": null, \"days_overdue\": 0}"));
  absl::StatusOr<std::string> csv = RenderProblemList(list, ReportFormat::kCsv);
  ASSERT_TRUE(csv.ok());
  EXPECT_THAT(*csv, HasSubstr("责任单位,序号,项目代码,项目名称,问题类型,问题描述,责任单位,提出时间,完成时限,超期天数\r\n"
                              "区自然资源局,1,2021-610402-44-01-123456,城南污水处理厂,用地,用地指标未落实,区自然资源局,"
                              "2024-03-20,2024-06-30,92\r\n"));
  absl::StatusOr<std::string> md = RenderProblemList(list, ReportFormat::kMarkdown);
  ASSERT_TRUE(md.ok());
  EXPECT_THAT(*md, HasSubstr("#### 二、区住建局（2个问题，其中超期2个）\n\n| 序号 |"));
  EXPECT_FALSE(RenderProblemList(list, ReportFormat::kXlsx).ok());

  const ProblemList overdue = Make(ProblemGrouping::kOwner, true);
  EXPECT_THAT(*RenderProblemList(overdue, ReportFormat::kText), HasSubstr("重点项目超期问题清单（截至2024年9月30日）\n共有超期问题5个。\n"));
}

TEST(WriteProblemListXlsx, AWorkbookOrAnError) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "keyproj_problem_list_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "问题清单.xlsx").string();
  ASSERT_TRUE(WriteProblemListXlsx(Make(ProblemGrouping::kOwner), path).ok());
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  EXPECT_EQ(std::string(magic, 2), "PK");  // a zip: the xlsx container
  const absl::Status bad = WriteProblemListXlsx(Make(ProblemGrouping::kOwner), (dir / "no/such/dir/x.xlsx").string());
  EXPECT_FALSE(bad.ok());
  EXPECT_THAT(bad.message(), HasSubstr("no/such/dir"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace keyproj
