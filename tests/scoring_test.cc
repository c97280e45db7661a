#include "keyproj/scoring.h"
#include "keyproj/internal/rational.h"

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/internal/text.h"
#include "keyproj/targets.h"

namespace keyproj {

namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::keyproj::internal::Cat;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Groups "A", "B", ... plus the whole-scope row (last), grouped by department.
Result MakeResult(const std::vector<std::string>& ids, const std::vector<std::vector<Value>>& rows) {
  Result r;
  r.group_by = {Dimension::kDepartment};
  for (const std::string& id : ids) {
    absl::StatusOr<IndicatorRef> ref = FindIndicator(id);
    r.indicators.push_back(ref.ok() ? *ref : IndicatorRef{nullptr, 0, id});
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const bool total = i + 1 == rows.size();
    r.rows.push_back(ResultRow{total ? std::vector<std::string>{} : std::vector<std::string>{std::string(1, 'A' + i)},
                               rows[i],
                               {}});
  }
  return r;
}

ScoringScheme County() {
  const std::string text = ReadFile(std::string(KEYPROJ_SOURCE_DIR) + "/examples/scoring/county.toml");
  EXPECT_FALSE(text.empty());
  absl::StatusOr<ScoringScheme> s = ParseScoringScheme(text);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : ScoringScheme();
}

ScoringScheme Parse(std::string_view text) {
  absl::StatusOr<ScoringScheme> s = ParseScoringScheme(text);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : ScoringScheme();
}

std::string SchemeError(std::string_view text) {
  absl::StatusOr<ScoringScheme> s = ParseScoringScheme(text);
  EXPECT_FALSE(s.ok()) << text;
  return s.ok() ? std::string() : std::string(s.status().message());
}

const Value kNA;
Value I(int64_t v) { return Value::Integer(v); }
Value R(int64_t n, int64_t d) { return Value::Ratio(n, d); }

// ---- the example scheme ------------------------------------------------------------------

TEST(ScoringScheme, CountyExampleParses) {
  const ScoringScheme s = County();
  EXPECT_EQ(s.name, "county");
  EXPECT_EQ(s.group_by, Dimension::kDepartment);
  EXPECT_EQ(s.places, 2);
  ASSERT_EQ(s.rules.size(), 5u);
  EXPECT_THAT(SchemeIndicatorIds(s),
              ElementsAre("plan_completion", "started_ytd", "yoy_growth", "late_reports", "started_late"));
  const ScoringRule& plan = s.rules[0];
  EXPECT_EQ(plan.id, "plan");
  EXPECT_EQ(plan.method, RuleMethod::kTiers);
  ASSERT_EQ(plan.tiers.size(), 3u);
  EXPECT_EQ(plan.tiers[0].threshold, I(1));
  EXPECT_EQ(plan.tiers[0].points, I(40));
  EXPECT_EQ(plan.tiers[1].threshold, R(4, 5));
  EXPECT_EQ(plan.tiers[2].points, I(20));
  const ScoringRule& starts = s.rules[1];
  EXPECT_EQ(starts.method, RuleMethod::kProportional);
  EXPECT_EQ(starts.target, I(10));
  EXPECT_EQ(starts.weight, I(20));
  EXPECT_EQ(starts.bonus_rate, R(1, 2));
  EXPECT_EQ(starts.max, I(25));
  EXPECT_EQ(s.rules[2].method, RuleMethod::kEfficacy);
  EXPECT_EQ(s.rules[2].base, I(24));
  EXPECT_EQ(s.rules[2].span, I(16));
  EXPECT_EQ(s.rules[3].method, RuleMethod::kDeduction);
  EXPECT_EQ(s.rules[3].max_deduction, I(10));
  EXPECT_EQ(s.rules[4].label, "未按约定开工扣分");
  EXPECT_EQ(s.rules[4].unit, Unit::kCount);
  ASSERT_EQ(s.indicators.size(), 1u);
  EXPECT_EQ(s.indicators[0].id, "started_late");
}

TEST(ScoringScheme, CountyScoresByHand) {
  const ScoringScheme s = County();
  // columns: plan_completion, started_ytd, yoy_growth, late_reports, started_late
  const Result result = MakeResult({"plan_completion", "started_ytd", "yoy_growth", "late_reports", "started_late"},
                                   {
                                       {R(105, 100), I(12), R(15, 100), I(0), I(0)},  // A
                                       {R(85, 100), I(10), R(6, 100), I(2), I(1)},    // B
                                       {R(40, 100), I(5), R(-5, 100), I(12), kNA},    // C
                                       {kNA, I(30), R(15, 100), I(0), I(0)},          // D
                                       {R(80, 100), I(57), R(50, 100), I(14), I(3)},  // whole scope: not scored
                                   });
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(s, result);
  ASSERT_TRUE(scores.ok()) << scores.status();
  ASSERT_EQ(scores->size(), 4u);
  // A: 40 + (20 + 0.2 x 20 x 0.5 = 22) + 40 (the max growth) - 0 - 0 = 102
  // B: 30 + 20 + (24 + 16 x 0.11 / 0.20 = 32.8) - 2 - 2 = 78.8
  // D: 0 (no plan: not applicable) + 25 (capped) + 40 = 65
  // C: 0 + 10 + 24 (the min growth) - 10 (capped) - 0 (n/a) = 24
  const auto& g = *scores;
  EXPECT_EQ(g[0].group, std::vector<std::string>{"A"});
  EXPECT_EQ(g[0].total, I(102));
  EXPECT_EQ(g[0].rank, 1);
  EXPECT_EQ(g[0].row, 0u);
  EXPECT_EQ(g[0].rules[1].points, I(22));
  EXPECT_EQ(g[1].group, std::vector<std::string>{"B"});
  EXPECT_EQ(g[1].total, R(788, 10));
  EXPECT_EQ(FormatPoints(g[1].total, s.places), "78.80");
  EXPECT_EQ(g[1].rules[2].points, R(328, 10));
  EXPECT_EQ(g[1].rules[3].points, I(-2));
  EXPECT_EQ(g[1].rules[4].points, I(-2));
  EXPECT_EQ(g[1].rules[2].input, R(6, 100));
  EXPECT_EQ(g[1].rank, 2);
  EXPECT_EQ(g[2].group, std::vector<std::string>{"D"});
  EXPECT_EQ(g[2].total, I(65));
  EXPECT_EQ(g[2].rules[0].points, I(0));
  EXPECT_FALSE(g[2].rules[0].input.applicable());
  EXPECT_EQ(g[2].rules[1].points, I(25));
  EXPECT_EQ(g[2].rank, 3);
  EXPECT_EQ(g[3].group, std::vector<std::string>{"C"});
  EXPECT_EQ(g[3].total, I(24));
  EXPECT_EQ(g[3].rules[3].points, I(-10));
  EXPECT_EQ(g[3].rules[4].points, I(0));
  EXPECT_EQ(g[3].rank, 4);
}

// ---- methods -------------------------------------------------------------------------------

TEST(ScoringMethods, TiesShareARank) {
  const ScoringScheme s = Parse(
      "[[rule]]\nindicator = \"plan_completion\"\nmethod = \"tiers\"\n"
      "tiers = [\">= 100%: 40\", \">= 80%: 30\", \">= 50%: 20\"]\n");
  const Result result =
      MakeResult({"plan_completion"}, {{I(1)}, {R(9, 10)}, {R(12, 10)}, {R(1, 2)}, {R(49, 100)}, {I(1)}});
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(s, result);
  ASSERT_TRUE(scores.ok()) << scores.status();
  ASSERT_EQ(scores->size(), 5u);
  std::vector<size_t> rows;
  std::vector<int> ranks;
  std::vector<std::string> totals;
  for (const GroupScore& g : *scores) {
    rows.push_back(g.row);
    ranks.push_back(g.rank);
    totals.push_back(FormatPoints(g.total, 0));
  }
  EXPECT_THAT(rows, ElementsAre(0u, 2u, 1u, 3u, 4u));  // ties keep the row order
  EXPECT_THAT(ranks, ElementsAre(1, 1, 3, 4, 5));
  EXPECT_THAT(totals, ElementsAre("40", "40", "30", "20", "0"));  // 100% is ">= 100%"; 49% is below every tier
}

TEST(ScoringMethods, AtMostTiersInOrder) {
  const ScoringScheme s = Parse(
      "[[rule]]\nindicator = \"late_reports\"\nmethod = \"tiers\"\n"
      "tiers = [\"<= 0: 10\", \"<= 2: 6\", \"<= 5: 3\"]\notherwise = -5\n");
  const Result result = MakeResult({"late_reports"}, {{I(0)}, {I(2)}, {I(3)}, {I(9)}, {I(14)}});
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(s, result);
  ASSERT_TRUE(scores.ok());
  std::vector<std::string> totals;
  for (const GroupScore& g : *scores) totals.push_back(FormatPoints(g.total, 0));
  EXPECT_THAT(totals, ElementsAre("10", "6", "3", "-5"));
}

// The first tier that holds gives the points, so one after a tier of the same bound
// with a threshold no stricter can never apply: written lowest first, every group
// would get the lowest points. Refused at the tier, every such tier listed.
TEST(ScoringScheme, ATierThatCanNeverApplyIsRefused) {
  const std::string head = "[[rule]]\nindicator = \"start_rate\"\nmethod = \"tiers\"\n";
  const std::string err = SchemeError(head + "tiers = [\">= 50%: 10\", \">= 75%: 20\", \">= 50%: 5\"]\n");
  EXPECT_THAT(err, HasSubstr("2 problems:"));
  EXPECT_THAT(err, HasSubstr("line 4, column 24: rule 'start_rate': the tier \">= 75%: 20\" is never reached: "
                             "\">= 50%: 10\" before it holds for every value it would"));
  EXPECT_THAT(err, HasSubstr("line 4, column 38: rule 'start_rate': the tier \">= 50%: 5\" is never reached"));
  EXPECT_THAT(err, HasSubstr("write them from the strictest threshold down"));
  // "<=" tiers: the strictest is the lowest; after a ">=" tier a "<=" one is reachable.
  EXPECT_THAT(SchemeError(head + "tiers = [\"<= 20%: 2\", \"<= 10%: 1\"]\n"),
              HasSubstr("the tier \"<= 10%: 1\" is never reached"));
  Parse(head + "tiers = [\">= 80%: 10\", \">= 50%: 5\", \"<= 10%: -5\", \"<= 20%: -2\"]\n");
  // A scheme built in code is checked the same way.
  ScoringScheme s;
  ScoringRule r;
  r.id = "x";
  r.indicator = "projects";
  r.method = RuleMethod::kTiers;
  r.tiers = {Tier{Bound::kAtLeast, I(5), I(1)}, Tier{Bound::kAtLeast, I(10), I(2)}};
  s.rules.push_back(r);
  EXPECT_THAT(ValidateScheme(s).message(), HasSubstr("tier 2 is never reached: tier 1 before it"));
  std::swap(s.rules[0].tiers[0], s.rules[0].tiers[1]);
  EXPECT_TRUE(ValidateScheme(s).ok());
}

TEST(ScoringMethods, ProportionalCappedAtWeightWithoutBonus) {
  const ScoringScheme s =
      Parse("[[rule]]\nindicator = \"signed_start_rate\"\nmethod = \"proportional\"\ntarget = \"50%\"\nweight = 15\n");
  EXPECT_EQ(s.rules[0].target, R(1, 2));
  const Result result =
      MakeResult({"signed_start_rate"}, {{R(3, 4)}, {R(1, 4)}, {R(1, 3)}, {I(0)}, {kNA}, {R(1, 2)}});
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(s, result);
  ASSERT_TRUE(scores.ok());
  ASSERT_EQ(scores->size(), 5u);
  // 75% / 50% > 1 -> 15 (capped); 25% -> 7.5; 1/3 -> 2/3 x 15 = 10; 0 -> 0; n/a -> 0.
  EXPECT_EQ((*scores)[0].total, I(15));
  EXPECT_EQ((*scores)[1].total, I(10));
  EXPECT_EQ((*scores)[1].row, 2u);
  EXPECT_EQ((*scores)[2].total, R(15, 2));
  EXPECT_EQ((*scores)[3].total, I(0));
  EXPECT_EQ((*scores)[4].total, I(0));
  EXPECT_EQ((*scores)[3].rank, 4);
  EXPECT_EQ((*scores)[4].rank, 4);
}

TEST(ScoringMethods, ProportionalNeverNegative) {
  const ScoringScheme s =
      Parse("[[rule]]\nindicator = \"yoy_growth\"\nmethod = \"proportional\"\ntarget = \"10%\"\nweight = 10\n");
  const Result result = MakeResult({"yoy_growth"}, {{R(-5, 100)}, {R(5, 100)}, {I(0)}});
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(s, result);
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ((*scores)[0].total, I(5));
  EXPECT_EQ((*scores)[1].total, I(0));
}

TEST(ScoringMethods, EfficacyStandardAndEdgeCases) {
  // 60 + 40 x (x - min) / (max - min): 1281, 729, 1005 -> 100, 60, 80.
  const ScoringScheme s = Parse("[[rule]]\nindicator = \"reserve\"\nmethod = \"efficacy\"\n");
  absl::StatusOr<std::vector<GroupScore>> scores =
      ScoreGroups(s, MakeResult({"reserve"}, {{I(1281)}, {I(729)}, {I(1005)}, {I(3015)}}));
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ((*scores)[0].total, I(100));
  EXPECT_EQ((*scores)[1].total, I(80));
  EXPECT_EQ((*scores)[2].total, I(60));
  // All equal: everyone gets base + span.
  scores = ScoreGroups(s, MakeResult({"reserve"}, {{I(7)}, {I(7)}, {I(14)}}));
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ((*scores)[0].total, I(100));
  EXPECT_EQ((*scores)[1].total, I(100));
  EXPECT_EQ((*scores)[1].rank, 1);
  // Lower is better, and a not-applicable group is left out of min and max.
  const ScoringScheme low = Parse(
      "[[rule]]\nindicator = \"stalled\"\nmethod = \"efficacy\"\nlower_is_better = true\nnot_applicable = 50\n");
  scores = ScoreGroups(low, MakeResult({"stalled"}, {{I(0)}, {I(5)}, {kNA}, {I(10)}, {I(99)}}));
  ASSERT_TRUE(scores.ok());
  ASSERT_EQ(scores->size(), 4u);
  EXPECT_EQ((*scores)[0].total, I(100));
  EXPECT_EQ((*scores)[1].total, I(80));
  EXPECT_EQ((*scores)[2].total, I(60));
  EXPECT_EQ((*scores)[3].total, I(50));
  EXPECT_EQ((*scores)[3].row, 2u);
}

// An efficacy rule over rates (同比增长 of real ledgers: amounts over amounts): the
// exact points, base + span * (v - lo) / (hi - lo), have a denominator near the
// product of the rates' and do not fit 128 bits. They are scored all the same, every
// figure shown to 12 places as the exact value rounds half-up, and ranked by the
// exact totals (the sample ledger's yoy_growth by county once failed with "the exact
// result ... does not fit a 128-bit fraction").
TEST(ScoringMethods, EfficacyOverRatesWithLargeDenominators) {
  namespace rat = internal::rational;
  const ScoringScheme s = Parse("[[rule]]\nindicator = \"yoy_growth\"\nmethod = \"efficacy\"\n");
  const std::vector<Value> rates = {R(123456789012347, 999999999999989), R(-98765432109877, 777777777777781),
                                    R(555555555555557, 333333333333331), R(31415926535897, 27182818284587)};
  absl::StatusOr<std::vector<GroupScore>> scores =
      ScoreGroups(s, MakeResult({"yoy_growth"}, {{rates[0]}, {rates[1]}, {rates[2]}, {rates[3]}, {I(0)}}));
  ASSERT_TRUE(scores.ok()) << scores.status();
  ASSERT_EQ(scores->size(), 4u);
  const rat::Q lo = rat::FromValue(rates[1]), hi = rat::FromValue(rates[2]);
  // Half-up at 12 places of the exact fraction, by integer arithmetic of its own.
  auto shown = [](const rat::Q& q) {
    const rat::Int scaled = boost::multiprecision::pow(rat::Int(10), 12);
    const rat::Int a = abs(q.num) * scaled * 2 + q.den;
    const rat::Int r = a / (q.den * 2);
    std::string digits = r.str();
    if (digits.size() < 13) digits.insert(0, 13 - digits.size(), '0');
    return std::string(q.num < 0 && r != 0 ? "-" : "") + digits.substr(0, digits.size() - 12) + "." + digits.substr(digits.size() - 12);
  };
  int exact_too_big = 0;
  for (const GroupScore& g : *scores) {
    const rat::Q v = rat::FromValue(rates[g.row]);
    const rat::Q exact = rat::Add(rat::FromInt(60), rat::Mul(rat::FromInt(40), *rat::Div(rat::Sub(v, lo), rat::Sub(hi, lo))));
    exact_too_big += !rat::ToValue(exact).ok();
    EXPECT_EQ(g.total.Decimal(12), shown(exact)) << g.row;
    EXPECT_EQ(g.rules[0].points.Decimal(12), shown(exact)) << g.row;
  }
  EXPECT_GE(exact_too_big, 1);  // the case this is about
  EXPECT_EQ((*scores)[0].row, 2u);  // best first: 100 points
  EXPECT_EQ((*scores)[0].total, I(100));
  EXPECT_EQ((*scores)[3].row, 1u);
  EXPECT_EQ((*scores)[3].total, I(60));
  EXPECT_EQ((*scores)[1].row, 3u);  // 1.1557 before 0.1235
}

TEST(ScoringMethods, DeductionsWithoutCap) {
  const ScoringScheme s = Parse("[[rule]]\nindicator = \"late_reports\"\nmethod = \"deduction\"\nper = 0.5\n");
  absl::StatusOr<std::vector<GroupScore>> scores =
      ScoreGroups(s, MakeResult({"late_reports"}, {{I(7)}, {I(0)}, {I(-3)}, {I(7)}}));
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ((*scores)[0].total, I(0));
  EXPECT_EQ((*scores)[1].total, I(0));  // a negative value deducts nothing
  EXPECT_EQ((*scores)[2].total, R(-7, 2));
  EXPECT_EQ(FormatPoints((*scores)[2].total, 0), "-4");  // half away from zero
  EXPECT_EQ((*scores)[2].rank, 3);
}

TEST(ScoringMethods, UngroupedResultScoresItsOneRow) {
  const ScoringScheme s = Parse("[[rule]]\nindicator = \"late_reports\"\nmethod = \"deduction\"\nper = 1\n");
  Result r = MakeResult({"late_reports"}, {{I(3)}});
  r.group_by.clear();
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(s, r);
  ASSERT_TRUE(scores.ok());
  ASSERT_EQ(scores->size(), 1u);
  EXPECT_EQ((*scores)[0].total, I(-3));
  EXPECT_EQ((*scores)[0].rank, 1);
}

TEST(ScoringMethods, MissingColumn) {
  const ScoringScheme s = Parse("[[rule]]\nindicator = \"late_reports\"\nmethod = \"deduction\"\nper = 1\n");
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(s, MakeResult({"projects"}, {{I(1)}, {I(1)}}));
  ASSERT_FALSE(scores.ok());
  EXPECT_EQ(scores.status().code(), absl::StatusCode::kNotFound);
}

TEST(ScoringMethods, FormatPoints) {
  EXPECT_EQ(FormatPoints(R(17, 2), 1), "8.5");
  EXPECT_EQ(FormatPoints(R(2, 3), 2), "0.67");
  EXPECT_EQ(FormatPoints(R(1, 8), 2), "0.13");  // 0.125 half-up
  EXPECT_EQ(FormatPoints(I(102), 2), "102.00");
  EXPECT_EQ(FormatPoints(kNA, 2), "—");
}

// ---- errors ---------------------------------------------------------------------------------

TEST(ScoringScheme, Errors) {
  const std::string head = "[[rule]]\nindicator = \"plan_completion\"\n";
  EXPECT_THAT(SchemeError(head + "method = \"linear\"\n"), HasSubstr("line 3, column 10: unknown method 'linear'"));
  EXPECT_THAT(SchemeError(head), HasSubstr("line 1, column 1: the rule needs a method"));
  EXPECT_THAT(SchemeError(head + "method = \"tiers\"\n"), HasSubstr("line 1, column 1: rule 'plan_completion': a tiers rule needs tiers"));
  EXPECT_THAT(SchemeError(head + "method = \"tiers\"\ntiers = [\">= 100% 40\"]\n"),
              HasSubstr("line 4, column 10: expected a tier \"bound value: points\""));
  EXPECT_THAT(SchemeError(head + "method = \"tiers\"\ntiers = [\">= 100: 40\"]\n"),
              HasSubstr("line 4, column 10: tier \">= 100: 40\": a rate needs a percent sign"));
  EXPECT_THAT(SchemeError(head + "method = \"tiers\"\ntiers = [\">= 100%: many\"]\n"),
              HasSubstr("expected the points after ':'"));
  EXPECT_THAT(SchemeError(head + "method = \"tiers\"\ntiers = [\">= 100%: 40\"]\nper = 1\n"),
              HasSubstr("line 5, column 1: unknown key 'per' in a tiers [[rule]]"));
  EXPECT_THAT(SchemeError(head + "method = \"proportional\"\nweight = 10\n"), HasSubstr("needs a target"));
  EXPECT_THAT(SchemeError(head + "method = \"proportional\"\ntarget = \"100%\"\n"), HasSubstr("needs 'weight'"));
  EXPECT_THAT(SchemeError(head + "method = \"proportional\"\ntarget = \"100%\"\nweight = 10\nmax = 12\n"),
              HasSubstr("line 6, column 7: rule 'plan_completion': max is for a rule with a bonus_rate"));
  EXPECT_THAT(SchemeError(head + "method = \"proportional\"\ntarget = \"100%\"\nweight = 10\nbonus_rate = 1\n"),
              HasSubstr("a bonus_rate needs a max"));
  EXPECT_THAT(SchemeError(head + "method = \"proportional\"\ntarget = \"0%\"\nweight = 10\n"),
              HasSubstr("the target must be positive"));
  EXPECT_THAT(SchemeError(head + "method = \"deduction\"\nper = 0\n"), HasSubstr("per must be positive"));
  EXPECT_THAT(SchemeError(head + "method = \"deduction\"\nper = \"x\"\n"),
              HasSubstr("line 4, column 7: expected a number for 'per'"));
  EXPECT_THAT(SchemeError(head + "method = \"efficacy\"\n" + head + "method = \"efficacy\"\n"),
              HasSubstr("line 5, column 13: rule 'plan_completion': the id is used by an earlier rule"));
  EXPECT_THAT(SchemeError("[[rule]]\nindicator = \"plan\"\nmethod = \"efficacy\"\n"),
              HasSubstr("line 2, column 13: unknown indicator 'plan'"));
  EXPECT_THAT(SchemeError("group_by = \"planet\"\n" + head + "method = \"efficacy\"\n"),
              HasSubstr("line 1, column 12: unknown group-by dimension 'planet'"));
  EXPECT_THAT(SchemeError("places = 20\n" + head + "method = \"efficacy\"\n"), HasSubstr("line 1, column 10"));
  EXPECT_THAT(SchemeError("name = \"x\"\n"), HasSubstr("expected [[rule]] tables"));
  EXPECT_THAT(SchemeError("rules = 1\n"), HasSubstr("unknown key 'rules' in a scoring scheme"));
}

// Every problem of a rule at once, each at its value (a weight at the weight), not
// only the rule's first: a bureau's draft with several slips is told them in one run.
TEST(ScoringScheme, EveryProblemOfARuleIsListedAtItsValue) {
  EXPECT_EQ(SchemeError("[[rule]]\nid = \"p\"\nindicator = \"plan_completion\"\nmethod = \"proportional\"\n"
                        "target = \"0%\"\nweight = -5\nbonus_rate = -1\nmax = \"lots\"\nnot_applicable = \"x\"\n"
                        "lable = \"计划完成率\"\n"
                        "[[rule]]\nindicator = \"started_ytd\"\nmethod = \"tiers\"\n"
                        "tiers = [\">= 10: 5\", \"10: 5\", \">= 5: x\"]\notherwise = \"none\"\n"
                        "[[rule]]\nindicator = \"late_reports\"\nmethod = \"deduction\"\nmax = 0\n"
                        "[[rule]]\nid = \"p\"\nindicator = \"start_rate\"\nmethod = \"efficacy\"\n"),
            "12 problems:\n"
            "  line 10, column 1: unknown key 'lable' in a proportional [[rule]] (expected id, label, indicator, method, "
            "not_applicable, target, weight, bonus_rate, max)\n"
            "  line 9, column 18: expected a number for 'not_applicable'\n"
            "  line 5, column 10: rule 'p': the target must be positive\n"
            "  line 6, column 10: rule 'p': weight must be positive\n"
            "  line 7, column 14: rule 'p': bonus_rate must not be negative\n"
            "  line 8, column 7: expected a number for 'max'\n"
            "  line 14, column 22: tier \"10: 5\": expected '>=' or '<=' before the value, found '10'\n"
            "  line 14, column 31: tier \">= 5: x\": expected the points after ':', found 'x'\n"
            "  line 15, column 13: expected a number for 'otherwise'\n"
            "  line 16, column 1: rule 'late_reports': a deduction rule needs 'per'\n"
            "  line 19, column 7: rule 'late_reports': max must be positive\n"
            // the first rule's id: told now, though that rule has problems of its own
            "  line 21, column 6: rule 'p': the id is used by an earlier rule (give each rule of the same indicator its "
            "own id)");
}

// Every problem of a scheme at once, each at its rule; a rule with one is left out
// and the next is still read.
TEST(ScoringScheme, EveryProblemIsListed) {
  EXPECT_EQ(SchemeError("group_by = \"planet\"\n"
                        "[[rule]]\nid = \"a\"\nindicator = \"plan_completion\"\nmethod = \"linear\"\n"
                        "[[rule]]\nid = \"b\"\nindicator = \"plan\"\nmethod = \"efficacy\"\n"
                        "[[rule]]\nid = \"c\"\nindicator = \"started_ytd\"\nmethod = \"deduction\"\nper = 0\n"
                        "[[rule]]\nid = \"d\"\nindicator = \"started_ytd\"\nmethod = \"efficacy\"\n"),
            "4 problems:\n"
            "  line 1, column 12: unknown group-by dimension 'planet' (known: category, level, build_type, province, "
            "city, county, department, leader, attracted, sector, industrial, stage, size_band, tag)\n"
            "  line 5, column 10: unknown method 'linear' (expected tiers, proportional, efficacy or deduction)\n"
            "  line 8, column 13: unknown indicator 'plan' (expected a catalogue id or a custom indicator of "
            "[indicators])\n"
            "  line 14, column 7: rule 'c': per must be positive");
}

TEST(ScoringScheme, NumbersAreExact) {
  // As doubles, 0.1, 22.5 and 0.3 would be binary approximations (0.1 is
  // 3602879701896397 / 2^55); read from their text they are exact.
  const ScoringScheme s = Parse(
      "[[rule]]\nindicator = \"late_reports\"\nmethod = \"deduction\"\nper = 0.1\nmax = 22.5\n"
      "not_applicable = -0.3\n"
      "[[rule]]\nindicator = \"started_ytd\"\nmethod = \"proportional\"\ntarget = 10\nweight = 1_000.000_001\n"
      "bonus_rate = 0.1\nmax = 123456789.123456789\n");
  ASSERT_EQ(s.rules.size(), 2u);
  EXPECT_EQ(s.rules[0].per, R(1, 10));
  EXPECT_EQ(s.rules[0].max_deduction, R(45, 2));
  EXPECT_EQ(s.rules[0].not_applicable, R(-3, 10));
  EXPECT_EQ(s.rules[1].weight, R(1'000'000'001, 1'000'000));
  EXPECT_EQ(s.rules[1].bonus_rate, R(1, 10));
  EXPECT_EQ(s.rules[1].max, Value::Ratio(123'456'789'123'456'789, 1'000'000'000));
  // Three late reports at 0.1 each: exactly -0.3, as a spreadsheet shows it.
  absl::StatusOr<std::vector<GroupScore>> scores =
      ScoreGroups(s, MakeResult({"late_reports", "started_ytd"}, {{I(3), I(10)}, {I(3), I(10)}}));
  ASSERT_TRUE(scores.ok()) << scores.status();
  EXPECT_EQ((*scores)[0].rules[0].points, R(-3, 10));
}

TEST(ScoringScheme, AllOfTomlReadsTheSame) {
  // Rules as an inline array of tables, a dotted key, a multi-line literal label.
  const ScoringScheme s = Parse(
      "rule = [\n"
      "  { indicator = \"late_reports\", method = \"deduction\", per = 1 },\n"
      "  { indicator = \"plan_completion\", method = \"tiers\", tiers = [\">= 100%: 40\"], label = '''计划\n完成''' },\n"
      "]\n"
      "indicators.late.expression = \"late_reports * 2\"\n");
  ASSERT_EQ(s.rules.size(), 2u);
  EXPECT_EQ(s.rules[0].method, RuleMethod::kDeduction);
  EXPECT_EQ(s.rules[1].label, "计划\n完成");
  ASSERT_EQ(s.indicators.size(), 1u);
  EXPECT_EQ(s.indicators[0].id, "late");

  // The example with CRLF line ends and a byte order mark.
  const std::string text = ReadFile(std::string(KEYPROJ_SOURCE_DIR) + "/examples/scoring/county.toml");
  std::string crlf = "\xEF\xBB\xBF";
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const ScoringScheme windows = Parse(crlf);
  const ScoringScheme unix_scheme = County();
  ASSERT_EQ(windows.rules.size(), unix_scheme.rules.size());
  for (size_t i = 0; i < windows.rules.size(); ++i) {
    EXPECT_EQ(windows.rules[i].id, unix_scheme.rules[i].id);
    EXPECT_EQ(windows.rules[i].label, unix_scheme.rules[i].label);
  }
  EXPECT_EQ(windows.rules[1].bonus_rate, R(1, 2));
}

TEST(ScoringScheme, ErrorsKeepTheirPlace) {
  // A syntax error: toml++'s, with keyproj's hint for an unquoted word.
  EXPECT_THAT(SchemeError("[[rule]]\nindicator = late_reports\n"),
              AllOf(StartsWith("line 2, column "), HasSubstr("(a string needs quotes: \"late_reports\")")));
  // Semantic errors after Chinese text count characters; a rule of an inline array
  // is placed at its '{'.
  EXPECT_THAT(SchemeError("title = \"考核\"; \n"), StartsWith("line 1, column 13: "));
  EXPECT_THAT(SchemeError("rule = [{ label = \"扣分\", indicator = \"late_reports\", method = \"deduction\", per = \"x\" }]\n"),
              HasSubstr("line 1, column 81: expected a number for 'per'"));
  EXPECT_THAT(SchemeError("rule = [{ indicator = \"late_reports\" }]\n"),
              HasSubstr("line 1, column 9: the rule needs a method"));
  EXPECT_THAT(SchemeError("[[rule]]\nindicator = \"late_reports\"\nmethod = \"deduction\"\nper = 1e1\n"),
              HasSubstr("line 4, column 7: exponents are not supported"));
}

TEST(ScoringScheme, ValidateSchemeBuiltInCode) {
  ScoringScheme s;
  EXPECT_FALSE(ValidateScheme(s).ok());
  ScoringRule r;
  r.id = "x";
  r.indicator = "projects";
  r.method = RuleMethod::kTiers;
  s.rules.push_back(r);
  EXPECT_THAT(ValidateScheme(s).message(), HasSubstr("at least one tier"));
  s.rules[0].tiers.push_back(Tier{Bound::kAtLeast, I(10), I(5)});
  EXPECT_TRUE(ValidateScheme(s).ok());
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(s, MakeResult({"projects"}, {{I(12)}, {I(9)}, {I(21)}}));
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ((*scores)[0].total, I(5));
  EXPECT_EQ((*scores)[1].total, I(0));
}

TEST(ScoringScheme, MethodIds) {
  EXPECT_EQ(RuleMethodId(RuleMethod::kEfficacy), "efficacy");
  EXPECT_EQ(RuleMethodId(RuleMethod::kDeduction), "deduction");
}

// ---- scoring against each group's own target (target = "tasks") -------------------------

constexpr std::string_view kOwnTargetScheme = R"(name = "funds"
group_by = "department"
[[rule]]
id = "tiers"
indicator = "funds_arrived_ytd"
method = "tiers"
target = "tasks"                  # 完成率 = actual / the department's own task
tiers = [">= 150%: 20", ">= 120%: 15", ">= 100%: 10", ">= 80%: 6"]
not_applicable = 1
[[rule]]
id = "bonus"
indicator = "funds_arrived_ytd"
method = "proportional"
target = "tasks"
weight = 10
bonus_rate = 0.5                  # the part above 100% at half rate (超额部分)
max = 15
)";

Value Wan(int64_t wan) { return Value::Integer(static_cast<int128>(wan) * kFenPerWan); }

// A 150万 of 100万 (150%), B 180万 of 200万 (90%), C 50万 of 50万 (100%), D 40万 and no
// task of its own.
Result FourDepartmentsFunds() {
  return MakeResult({"funds_arrived_ytd"}, {{Wan(150)}, {Wan(180)}, {Wan(50)}, {Wan(40)}, {Wan(420)}});
}

TargetSet FundsTasks(std::string_view value_for_all) {
  absl::StatusOr<TargetSet> set = ParseTargetSet(
      Cat(value_for_all.empty() ? "" : Cat("[targets]\nfunds_arrived_ytd = \"", value_for_all, "\"\n"),
          "[tasks]\ngroup_by = \"department\"\n[tasks.funds_arrived_ytd]\nA = \">= 100\"\nB = \">= 200\"\nC = \">= 50\"\n"));
  EXPECT_TRUE(set.ok()) << set.status();
  return set.ok() ? *std::move(set) : TargetSet();
}

TEST(ScoringOwnTargets, CompletionRateTiersAndBonusAboveTheTask) {
  const ScoringScheme scheme = Parse(kOwnTargetScheme);
  ASSERT_EQ(scheme.rules.size(), 2u);
  EXPECT_TRUE(scheme.rules[0].own_target);
  EXPECT_EQ(scheme.rules[0].unit, Unit::kRate);  // tiers read as percents
  EXPECT_TRUE(scheme.rules[0].tiers[0].threshold == R(3, 2));
  EXPECT_THAT(SchemeIndicatorIds(scheme), ElementsAre("funds_arrived_ytd"));
  const Result result = FourDepartmentsFunds();

  // No value for all: D has no target and scores not_applicable (1 and 0).
  const TargetSet tasks = FundsTasks("");
  absl::StatusOr<std::vector<GroupScore>> scores = ScoreGroups(scheme, result, &tasks);
  ASSERT_TRUE(scores.ok()) << scores.status();
  // By hand: A 150% -> tier 20, bonus 10 + (1.5 - 1) x 10 x 0.5 = 12.5, total 32.5;
  // C 100% -> 10 + 10 = 20; B 90% -> 6 + 9 = 15; D -> 1 + 0 = 1.
  ASSERT_EQ(scores->size(), 4u);
  EXPECT_THAT((*scores)[0].group, ElementsAre("A"));
  EXPECT_TRUE((*scores)[0].rules[0].input == R(3, 2));
  EXPECT_TRUE((*scores)[0].rules[0].points == I(20));
  EXPECT_TRUE((*scores)[0].rules[1].points == R(25, 2));
  EXPECT_TRUE((*scores)[0].total == R(65, 2));
  EXPECT_THAT((*scores)[1].group, ElementsAre("C"));
  EXPECT_TRUE((*scores)[1].total == I(20));
  EXPECT_THAT((*scores)[2].group, ElementsAre("B"));
  EXPECT_TRUE((*scores)[2].rules[0].input == R(9, 10));
  EXPECT_TRUE((*scores)[2].rules[0].points == I(6));
  EXPECT_TRUE((*scores)[2].rules[1].points == I(9));
  EXPECT_THAT((*scores)[3].group, ElementsAre("D"));
  EXPECT_FALSE((*scores)[3].rules[0].input.applicable());
  EXPECT_TRUE((*scores)[3].total == I(1));
  EXPECT_EQ((*scores)[3].rank, 4);

  // A value for all (80万) is D's target: 50%, no tier, 5 proportional points.
  const TargetSet with_all = FundsTasks(">= 80");
  scores = ScoreGroups(scheme, result, &with_all);
  ASSERT_TRUE(scores.ok()) << scores.status();
  EXPECT_THAT((*scores)[3].group, ElementsAre("D"));
  EXPECT_TRUE((*scores)[3].rules[0].input == R(1, 2));
  EXPECT_TRUE((*scores)[3].total == I(5));

  // The bonus stops at max: A at 300% would be 10 + 2 x 10 x 0.5 = 20, capped at 15.
  const Result far = MakeResult({"funds_arrived_ytd"}, {{Wan(300)}, {Wan(180)}, {Wan(50)}, {Wan(40)}, {Wan(570)}});
  scores = ScoreGroups(scheme, far, &tasks);
  ASSERT_TRUE(scores.ok()) << scores.status();
  EXPECT_TRUE((*scores)[0].rules[1].points == I(15));
}

TEST(ScoringOwnTargets, NeedATargetSetWithTheIndicatorAndTheGrouping) {
  const ScoringScheme scheme = Parse(kOwnTargetScheme);
  const Result result = FourDepartmentsFunds();
  absl::StatusOr<std::vector<GroupScore>> none = ScoreGroups(scheme, result);
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.status().message(), HasSubstr("give the scoring a target set"));
  absl::StatusOr<TargetSet> other = ParseTargetSet("[targets]\nstarted_ytd = \">= 5\"\n");
  ASSERT_TRUE(other.ok());
  absl::StatusOr<std::vector<GroupScore>> missing = ScoreGroups(scheme, result, &*other);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("no target for 'funds_arrived_ytd'"));
  Result by_county = result;
  by_county.group_by = {Dimension::kCounty};
  const TargetSet tasks = FundsTasks("");
  EXPECT_THAT(ScoreGroups(scheme, by_county, &tasks).status().message(), HasSubstr("breaks its targets down by department"));
  EXPECT_THAT(SchemeError("[[rule]]\nindicator = \"plan_completion\"\nmethod = \"tiers\"\ntarget = \"95%\"\n"
                          "tiers = [\">= 100%: 1\"]\n"),
              AllOf(StartsWith("line 4"), HasSubstr("target = \"tasks\" only")));
}

}  // namespace
}  // namespace keyproj
