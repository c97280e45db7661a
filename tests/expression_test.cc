#include "keyproj/expression.h"

#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "keyproj/internal/rational.h"
#include "keyproj/internal/text.h"

namespace keyproj {

namespace {

using ::keyproj::internal::Cat;
using ::testing::ElementsAre;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int64_t kWan = kFenPerWan;

// Evaluates an expression that has no terms.
Value Constant(std::string_view text) {
  absl::StatusOr<Expression> e = Expression::Parse(text);
  EXPECT_TRUE(e.ok()) << text << ": " << e.status();
  if (!e.ok()) return Value();
  EXPECT_TRUE(e->terms().empty()) << text;
  absl::StatusOr<Value> v = e->Evaluate({});
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : Value();
}

std::string ParseError(std::string_view text) {
  absl::StatusOr<Expression> e = Expression::Parse(text);
  EXPECT_FALSE(e.ok()) << text << " parsed as " << (e.ok() ? e->ToString() : "");
  if (e.ok()) return "";
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(e.status().message());
}

Value Eval(std::string_view text, std::vector<Value> values) {
  absl::StatusOr<Expression> e = Expression::Parse(text);
  EXPECT_TRUE(e.ok()) << text << ": " << e.status();
  if (!e.ok()) return Value();
  absl::StatusOr<Value> v = e->Evaluate(values);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : Value();
}

// ---- arithmetic -------------------------------------------------------------------

TEST(ExpressionArithmetic, PrecedenceOfProductsOverSums) {
  EXPECT_EQ(Constant("1 + 2 * 3"), Value::Integer(7));
  EXPECT_EQ(Constant("(1 + 2) * 3"), Value::Integer(9));
  EXPECT_EQ(Constant("2 * 3 - 4 / 2"), Value::Integer(4));
  EXPECT_EQ(Constant("10 - 2 * 3 + 1"), Value::Integer(5));
}

TEST(ExpressionArithmetic, LeftAssociativity) {
  EXPECT_EQ(Constant("8 - 3 - 2"), Value::Integer(3));   // not 8 - (3 - 2) = 7
  EXPECT_EQ(Constant("16 / 4 / 2"), Value::Integer(2));  // not 16 / (4 / 2) = 8
  EXPECT_EQ(Constant("2 * 3 / 4"), Value::Ratio(3, 2));
  ASSERT_TRUE(Expression::Parse("8 - 3 - 2").ok());
  EXPECT_EQ(Expression::Parse("8 - 3 - 2")->ToString(), "((8 - 3) - 2)");
  EXPECT_EQ(Expression::Parse("1 + 2 * 3")->ToString(), "(1 + (2 * 3))");
}

TEST(ExpressionArithmetic, UnaryMinus) {
  EXPECT_EQ(Constant("-2 * 3"), Value::Integer(-6));
  EXPECT_EQ(Constant("2 - -3"), Value::Integer(5));
  EXPECT_EQ(Constant("--2"), Value::Integer(2));
  EXPECT_EQ(Constant("-(1 + 2)"), Value::Integer(-3));
  EXPECT_EQ(Constant("1 - 4"), Value::Integer(-3));
}

TEST(ExpressionArithmetic, ExactRationalsReduced) {
  const Value v = Constant("1/3 + 1/6");
  EXPECT_EQ(v, Value::Ratio(1, 2));
  EXPECT_EQ(v.num(), 1);  // reduced by the gcd
  EXPECT_EQ(v.den(), 2);
  EXPECT_EQ(Constant("0.1 + 0.2"), Value::Ratio(3, 10));  // no binary float
  EXPECT_EQ(Constant("1/3 * 3"), Value::Integer(1));
  EXPECT_EQ(Constant("2/3 - 2/3").num(), 0);
}

TEST(ExpressionArithmetic, NumbersAndPercents) {
  EXPECT_EQ(Constant("100"), Value::Integer(100));
  EXPECT_EQ(Constant("0.5"), Value::Ratio(1, 2));
  EXPECT_EQ(Constant(".25"), Value::Ratio(1, 4));
  EXPECT_EQ(Constant("95%"), Value::Ratio(19, 20));
  EXPECT_EQ(Constant("12.5 %"), Value::Ratio(1, 8));
  EXPECT_EQ(Constant("1_000"), Value::Integer(1000));
}

TEST(ExpressionArithmetic, DivisionByZeroIsNotApplicable) {
  EXPECT_FALSE(Constant("1 / 0").applicable());
  EXPECT_FALSE(Constant("1 / (2 - 2)").applicable());
  EXPECT_FALSE(Constant("0 * (1 / 0) + 5").applicable());  // NA propagates through everything
  EXPECT_TRUE(Constant("0 / 5").applicable());
  EXPECT_EQ(Constant("0 / 5"), Value::Integer(0));
  EXPECT_FALSE(Eval("projects / signed", {Value::Integer(10), Value::Integer(0)}).applicable());
}

TEST(ExpressionArithmetic, NotApplicableOperand) {
  // start_rate is NA (no projects): anything built on it is NA, even 0 * it.
  EXPECT_FALSE(Eval("0 * start_rate", {Value()}).applicable());
  EXPECT_FALSE(Eval("-start_rate", {Value()}).applicable());
  EXPECT_FALSE(Eval("projects + start_rate", {Value::Integer(3), Value()}).applicable());
}

TEST(ExpressionArithmetic, IntermediatesDoNotOverflowButResultsMustFit) {
  // 10^30 分 = 10^24 万元: its square (10^48) is past int128, but x * x / x is fine.
  int128 big = 1;
  for (int i = 0; i < 30; ++i) big *= 10;
  int128 big_wan = big / kWan;
  EXPECT_EQ(Eval("investment_ytd * investment_ytd / investment_ytd", {Value::Integer(big)}), Value::Integer(big_wan));
  absl::StatusOr<Expression> e = Expression::Parse("investment_ytd * investment_ytd");
  ASSERT_TRUE(e.ok());
  const Value in[] = {Value::Integer(big)};
  absl::StatusOr<Value> v = e->Evaluate(in);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), absl::StatusCode::kOutOfRange);
}

TEST(ExpressionArithmetic, WrongNumberOfValues) {
  absl::StatusOr<Expression> e = Expression::Parse("projects / started");
  ASSERT_TRUE(e.ok());
  const Value one[] = {Value::Integer(1)};
  absl::StatusOr<Value> v = e->Evaluate(one);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
}

// ---- terms ------------------------------------------------------------------------

TEST(ExpressionTerms, IndustryShare) {
  absl::StatusOr<Expression> e = Expression::Parse("investment_ytd[category=industry] / investment_ytd");
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->terms().size(), 2u);
  const ExpressionTerm& a = e->terms()[0];
  EXPECT_EQ(a.indicator.id, "investment_ytd");
  ASSERT_NE(a.indicator.def, nullptr);
  EXPECT_EQ(a.indicator.def->id, "investment_ytd");
  ASSERT_TRUE(a.filter.has_value());
  EXPECT_THAT(a.filter->categories, ElementsAre(Category::kIndustry));
  EXPECT_EQ(a.text, "investment_ytd[category=industry]");
  EXPECT_FALSE(e->terms()[1].filter.has_value());
  EXPECT_EQ(e->terms()[1].text, "investment_ytd");
  // 产业 55% of 320亿元 (the city report): 176亿 / 320亿.
  const Value in[] = {Value::Integer(int128{1'760'000} * kWan), Value::Integer(int128{3'200'000} * kWan)};
  absl::StatusOr<Value> v = e->Evaluate(in);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, Value::Ratio(11, 20));
  EXPECT_EQ(DisplayValue(*v, Unit::kRate, 1), "55.0%");
}

TEST(ExpressionTerms, MoneyIsInWanInsideExpressions) {
  // investment_ytd 600万元 (600e6 分) - 500 = 100 (万元).
  EXPECT_EQ(Eval("investment_ytd - 500", {Value::Integer(600 * kWan)}), Value::Integer(100));
  // Counts and rates are as they are.
  EXPECT_EQ(Eval("projects - 5", {Value::Integer(7)}), Value::Integer(2));
  EXPECT_EQ(Eval("performance_rate - 95%", {Value::Ratio(9, 10)}), Value::Ratio(-1, 20));
}

TEST(ExpressionTerms, SameTermOnceAndFiltersNormalised) {
  absl::StatusOr<Expression> e =
      Expression::Parse("investment_ytd[region=6104, industrial=1] - investment_ytd[industrial=是,region=6104] + "
                        "investment_ytd");
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->terms().size(), 2u);
  EXPECT_EQ(e->terms()[0].text, "investment_ytd[region=6104,industrial=1]");
  EXPECT_EQ(Eval("projects[category=urban|industry] - projects[category=industry|urban]", {Value::Integer(4)}),
            Value::Integer(0));
}

TEST(ExpressionTerms, SignedStartRateExample) {
  absl::StatusOr<Expression> e = Expression::Parse("(signed_started + 0) / signed");
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->terms().size(), 2u);
  EXPECT_EQ(e->terms()[0].indicator.id, "signed_started");
  EXPECT_EQ(e->terms()[1].indicator.id, "signed");
  // 207 of 236 signed projects started.
  const Value in[] = {Value::Integer(207), Value::Integer(236)};
  EXPECT_EQ(DisplayValue(*e->Evaluate(in), Unit::kRate, 1), "87.7%");
}

TEST(ExpressionTerms, DottedIds) {
  absl::StatusOr<Expression> e = Expression::Parse("support_approved.special_bond / support_approved");
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->terms().size(), 2u);
  EXPECT_EQ(e->terms()[0].indicator.id, "support_approved.special_bond");
  EXPECT_NE(e->terms()[0].indicator.key, 0);
  EXPECT_THAT(ParseError("support_approved.bank_loan"), HasSubstr("column 1: "));
}

TEST(ExpressionTerms, FullWidthPunctuation) {
  EXPECT_EQ(Eval("（projects＋1）×2", {Value::Integer(4)}), Value::Integer(10));
  absl::StatusOr<Expression> e = Expression::Parse("projects［category＝产业，region＝6104］");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->terms()[0].text, "projects[category=industry,region=6104]");
}

// ---- filters ----------------------------------------------------------------------

TEST(ExpressionFilter, EveryKey) {
  absl::StatusOr<Filter> f = ParseFilter(
      "category=industry|urban, level=provincial, build_type=new, region=6104|610402, department=发改局, "
      "leader=\"张 三\", tag=新动能, attracted=是, sector=secondary, industrial=0, size>=500, size<1亿, code=A1|B2");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(f->categories, ElementsAre(Category::kIndustry, Category::kUrban));
  EXPECT_THAT(f->levels, ElementsAre(Level::kProvincial));
  EXPECT_EQ(f->build_type, BuildType::kNew);
  EXPECT_THAT(f->region_prefixes, ElementsAre("6104", "610402"));
  EXPECT_THAT(f->departments, ElementsAre("发改局"));
  EXPECT_THAT(f->leaders, ElementsAre("张 三"));
  EXPECT_THAT(f->tags, ElementsAre("新动能"));
  EXPECT_EQ(f->attracted, true);
  EXPECT_EQ(f->sector, Sector::kSecondary);
  EXPECT_EQ(f->industrial, false);
  EXPECT_EQ(f->min_total_investment, 500 * kWan);
  EXPECT_EQ(f->max_total_investment, kFenPerYi);
  EXPECT_THAT(f->codes, ElementsAre("A1", "B2"));
  EXPECT_EQ(FilterText(*f),
            "category=industry|urban,level=provincial,build_type=new,region=6104|610402,department=发改局,"
            "leader=\"张 三\",tag=新动能,attracted=1,sector=secondary,industrial=0,size>=500,size<10000,code=A1|B2");
  // The canonical text parses back to the same filter.
  absl::StatusOr<Filter> again = ParseFilter(FilterText(*f));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(FilterText(*again), FilterText(*f));
}

// Every wrong condition of a filter at once, each at its column: a value that is
// none of its key's, a key that is none, a key given twice, a size that is no amount;
// a syntax error ends the reading, after those before it. The same in a custom
// expression's bracketed filter.
TEST(ExpressionFilter, EveryWrongConditionIsListed) {
  absl::StatusOr<Filter> f =
      ParseFilter("region=6104,category=bogus|urban,stage=x|y,category=culture_tourism,size>=lots,level=provincial");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(std::string(f.status().message()),
              AllOf(StartsWith("4 problems:\n  column 22: 'bogus' is not a category"),
                    HasSubstr("\n  column 34: unknown filter key 'stage'"),
                    HasSubstr("\n  column 44: filter key 'category' given twice"),
                    HasSubstr("\n  column 75: expected a total investment in 万元")));
  f = ParseFilter("category=bogus,level=");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(std::string(f.status().message()),
              AllOf(StartsWith("2 problems:\n  column 10: 'bogus' is not a category"),
                    HasSubstr("\n  column 22: expected a value for 'level'")));
  EXPECT_THAT(ParseError("projects[category=bogus,stage=y] + 1"),
              AllOf(StartsWith("2 problems:\n  column 19: 'bogus' is not a category"),
                    HasSubstr("\n  column 25: unknown filter key 'stage'")));
}

TEST(ExpressionFilter, LabelsAndFlags) {
  absl::StatusOr<Filter> f = ParseFilter("category=产业, level=省级, attracted=0, industrial=yes, size≥1.5亿");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_THAT(f->categories, ElementsAre(Category::kIndustry));
  EXPECT_THAT(f->levels, ElementsAre(Level::kProvincial));
  EXPECT_EQ(f->attracted, false);
  EXPECT_EQ(f->industrial, true);
  EXPECT_EQ(f->min_total_investment, 15'000 * kWan);
}

// What two black-box users typed first: the grouping's name of the divisions as the
// filter's key, and an indicator by the Chinese label its column prints (the column
// keeps the id); a near id is suggested.
TEST(ExpressionFilter, CountyAndCityAreRegionAndLabelsNameIndicators) {
  absl::StatusOr<Filter> county = ParseFilter("county=610402|6104");
  absl::StatusOr<Filter> city = ParseFilter("city=6104");
  ASSERT_TRUE(county.ok() && city.ok());
  EXPECT_THAT(county->region_prefixes, ElementsAre("6104", "610402"));
  EXPECT_THAT(city->region_prefixes, ElementsAre("6104"));
  absl::StatusOr<IndicatorRef> rate = FindIndicator("开工率");
  ASSERT_TRUE(rate.ok()) << rate.status();
  EXPECT_EQ(rate->id, "start_rate");
  EXPECT_EQ(rate->def->id, "start_rate");
  EXPECT_THAT(FindIndicator("start_rat").status().message(),
              ::testing::HasSubstr("unknown indicator 'start_rat' (did you mean start_rate"));
  EXPECT_EQ(FindIndicator("开工").status().message(), "unknown indicator '开工'");
}

TEST(ExpressionFilter, Errors) {
  auto err = [](std::string_view text) {
    absl::StatusOr<Filter> f = ParseFilter(text);
    EXPECT_FALSE(f.ok()) << text;
    return f.ok() ? std::string() : std::string(f.status().message());
  };
  EXPECT_THAT(err("category=industry, category=urban"), HasSubstr("column 20: filter key 'category' given twice"));
  EXPECT_THAT(err("build_type=new|continuing"), HasSubstr("'build_type' takes one value"));
  EXPECT_THAT(err("region=61a"), HasSubstr("column 8: expected a region code or prefix of 2, 4 or 6 digits"));
  EXPECT_THAT(err("region=123"), HasSubstr("column 8:"));
  EXPECT_THAT(err("attracted=maybe"), HasSubstr("column 11: expected 1, 0, 是 or 否"));
  EXPECT_THAT(err("size=5"), HasSubstr("column 5: expected '>=' or '<' after 'size'"));
  EXPECT_THAT(err("size>=-5"), HasSubstr("column 7: expected a total investment"));
  EXPECT_THAT(err("size>=1, size>=2"), HasSubstr("given twice"));
  EXPECT_THAT(err("department="), HasSubstr("column 12: expected a value for 'department', found end of text"));
  EXPECT_THAT(err("leader=\"张三"), HasSubstr("column 8: expected a closing '\"'"));
  EXPECT_THAT(err("sector=quaternary"), HasSubstr("'quaternary' is not a sector"));
}

// ---- parse errors: position and what was expected ---------------------------------

TEST(ExpressionErrors, PositionsAndExpectations) {
  EXPECT_EQ(ParseError(""), "column 1: expected an expression, found end of text");
  EXPECT_EQ(ParseError("   "), "column 4: expected an expression, found end of text");
  EXPECT_EQ(ParseError("investment_ytd /"),
            "column 17: expected a number, an indicator id or '(', found end of text");
  EXPECT_EQ(ParseError("(projects + 1"), "column 14: expected ')' to close the '(' of column 1, found end of text");
  EXPECT_EQ(ParseError("projects 1"), "column 10: expected an operator (+ - * /) or the end, found '1'");
  EXPECT_EQ(ParseError("projects * * 2"), "column 12: expected a number, an indicator id or '(', found '*'");
  EXPECT_EQ(ParseError("1 + )"), "column 5: expected a number, an indicator id or '(', found ')'");
  EXPECT_THAT(ParseError("1.2.3"), HasSubstr("column 1: expected a number, found '1.2.3'"));
  EXPECT_THAT(ParseError("projects % 2"), HasSubstr("column 10: expected an operator"));
}

TEST(ExpressionErrors, UnknownIds) {
  EXPECT_THAT(ParseError("foo + 1"), HasSubstr("column 1: unknown indicator 'foo' (expected a catalogue id)"));
  EXPECT_THAT(ParseError("projects + investment_ytdd"), HasSubstr("column 12: unknown indicator 'investment_ytdd'"));
}

TEST(ExpressionErrors, FilterErrorsInsideExpressions) {
  EXPECT_EQ(ParseError("projects[colour=red]"),
            "column 10: unknown filter key 'colour' (expected one of category, level, build_type, region, department, "
            "leader, tag, attracted, sector, industrial, size, code)");
  EXPECT_THAT(ParseError("projects[category=steel]"), HasSubstr("column 19: 'steel' is not a category"));
  EXPECT_THAT(ParseError("projects[category industry]"), HasSubstr("column 19: expected '=' after 'category'"));
  EXPECT_THAT(ParseError("projects[category=industry"), HasSubstr("column 27: expected ',' or ']', found end of text"));
  EXPECT_THAT(ParseError("projects[]"), HasSubstr("column 10: expected a filter key"));
}

TEST(ExpressionErrors, ColumnsCountCharactersNotBytes) {
  // 发改局 is 3 characters (9 bytes): the error after it is at column 27, not 33.
  EXPECT_EQ(ParseError("projects[department=发改局] +"),
            "column 27: expected a number, an indicator id or '(', found end of text");
  EXPECT_THAT(ParseError("projects[department=发改局] 项目"), HasSubstr("column 26: expected an operator"));
}

TEST(ExpressionErrors, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '(');
  deep += "1";
  EXPECT_THAT(ParseError(deep), HasSubstr("nest deeper than"));
  std::string minus(5000, '-');
  minus += "1";
  EXPECT_THAT(ParseError(minus), HasSubstr("nest deeper than"));
  EXPECT_THAT(ParseError("projects\xff"), HasSubstr("column 9: invalid UTF-8"));
}

// ---- custom indicator sets ---------------------------------------------------------

CustomIndicator Custom(std::string id, std::string expr, Unit unit = Unit::kMultiple) {
  return CustomIndicator{std::move(id), "", unit, 2, std::move(expr)};
}

TEST(CustomIndicators, ReferencesAreFlattenedInAnyOrder) {
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile({
      Custom("industry_share", "industry_ytd / investment_ytd", Unit::kRate),  // uses one defined below
      Custom("industry_ytd", "investment_ytd[category=industry]", Unit::kMoney),
  });
  ASSERT_TRUE(set.ok()) << set.status();
  const CustomIndicatorSet::Compiled* share = set->Find("industry_share");
  ASSERT_NE(share, nullptr);
  ASSERT_EQ(share->expression.terms().size(), 2u);
  EXPECT_EQ(share->expression.terms()[0].text, "investment_ytd[category=industry]");
  EXPECT_EQ(share->expression.terms()[1].text, "investment_ytd");
  EXPECT_EQ(share->expression.ToString(), "(investment_ytd[category=industry] / investment_ytd)");
  EXPECT_EQ(share->def.label, "industry_share");  // defaults to the id
  // The set computes two distinct terms for both indicators.
  ASSERT_EQ(set->terms().size(), 2u);
  const Value values[] = {Value::Integer(int128{1'760'000} * kWan), Value::Integer(int128{3'200'000} * kWan)};
  absl::StatusOr<Value> v = set->Evaluate(static_cast<size_t>(set->IndexOf("industry_share")), values);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, Value::Ratio(11, 20));
  // A money custom comes back in 分 like every money value.
  absl::StatusOr<Value> m = set->Evaluate(static_cast<size_t>(set->IndexOf("industry_ytd")), values);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(*m, Value::Integer(int128{1'760'000} * kWan));
  EXPECT_EQ(DisplayValue(*m, Unit::kMoney, 1, MoneyUnit::kYi), "176.0");
}

TEST(CustomIndicators, DiamondReferencesShareTerms) {
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile({
      Custom("a", "projects[level=provincial]"),
      Custom("b", "a * 2"),
      Custom("c", "a + b - projects"),
  });
  ASSERT_TRUE(set.ok()) << set.status();
  const CustomIndicatorSet::Compiled* c = set->Find("c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->expression.terms().size(), 2u);
  EXPECT_EQ(c->expression.ToString(), "((projects[level=provincial] + (projects[level=provincial] * 2)) - projects)");
  ASSERT_EQ(set->terms().size(), 2u);
  // set terms: projects[level=provincial] = 5, projects = 9  ->  c = 5 + 10 - 9 = 6.
  const Value values[] = {Value::Integer(5), Value::Integer(9)};
  EXPECT_EQ(*set->Evaluate(2, values), Value::Integer(6));
  EXPECT_EQ(*set->Evaluate(1, values), Value::Integer(10));
}

TEST(CustomIndicators, CyclesAreNamed) {
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile({
      Custom("a", "b + 1"),
      Custom("b", "c * 2"),
      Custom("c", "a / projects"),
  });
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().message(), "custom indicators form a cycle: a -> b -> c -> a");
  absl::StatusOr<CustomIndicatorSet> self = CustomIndicatorSet::Compile({Custom("x", "projects + x")});
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.status().message(), "custom indicators form a cycle: x -> x");
  // A cycle not through the first indicator: ok -> p -> q -> p.
  absl::StatusOr<CustomIndicatorSet> tail =
      CustomIndicatorSet::Compile({Custom("ok", "p"), Custom("p", "q"), Custom("q", "p + 1")});
  ASSERT_FALSE(tail.ok());
  EXPECT_EQ(tail.status().message(), "custom indicators form a cycle: p -> q -> p");
}

TEST(CustomIndicators, Errors) {
  auto err = [](std::vector<CustomIndicator> defs) {
    absl::StatusOr<CustomIndicatorSet> s = CustomIndicatorSet::Compile(std::move(defs));
    EXPECT_FALSE(s.ok());
    return s.ok() ? std::string() : std::string(s.status().message());
  };
  EXPECT_EQ(err({Custom("my_share", "investment_ytd / zzz")}),
            "custom indicator 'my_share': column 18: unknown indicator 'zzz' (expected a catalogue id or a custom "
            "indicator of the set)");
  EXPECT_THAT(err({Custom("a", "projects"), Custom("b", "a[category=industry]")}),
              HasSubstr("custom indicator 'b': column 2: a filter applies to catalogue ids only"));
  EXPECT_THAT(err({Custom("a", "1"), Custom("a", "2")}), HasSubstr("'a' is defined twice"));
  EXPECT_THAT(err({Custom("projects", "1")}), HasSubstr("has the id of a catalogue indicator"));
  EXPECT_THAT(err({Custom("1abc", "1")}), HasSubstr("an id is letters"));
  EXPECT_THAT(err({Custom("a.b", "1")}), HasSubstr("an id is letters"));
  EXPECT_THAT(err({Custom("a", "(1")}), HasSubstr("custom indicator 'a': column 3: expected ')'"));
}

TEST(CustomIndicators, IndexOfAmongThousands) {
  // A report template makes a custom indicator of every placeholder; IndexOf and the
  // set's terms are looked up by id and text, not searched (tests/cli_fuzz found the
  // search quadratic). Ids in definition order are not sorted: c9 comes before c10.
  std::vector<CustomIndicator> defs;
  constexpr int kCount = 3000;
  for (int i = kCount - 1; i >= 0; --i) {
    defs.push_back(Custom(Cat("c", i), Cat("projects[size>=", i % 1000, "] + ", i)));
  }
  absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(std::move(defs));
  ASSERT_TRUE(set.ok()) << set.status();
  for (int i = 0; i < kCount; ++i) {
    const int index = set->IndexOf(Cat("c", i));
    ASSERT_EQ(index, kCount - 1 - i) << i;
    EXPECT_EQ(set->Find(Cat("c", i)), &set->indicators()[static_cast<size_t>(index)]);
  }
  EXPECT_EQ(set->IndexOf("c"), -1);
  EXPECT_EQ(set->IndexOf("c3000"), -1);
  EXPECT_EQ(set->IndexOf(""), -1);
  EXPECT_EQ(set->Find("nope"), nullptr);
  // 1000 distinct filtered terms, each once.
  ASSERT_EQ(set->terms().size(), 1000u);
  EXPECT_EQ(set->terms()[0].text, "projects[size>=999]");
  const CustomIndicatorSet::Compiled& c0 = set->indicators()[kCount - 1];
  ASSERT_EQ(c0.set_terms.size(), 1u);
  EXPECT_EQ(set->terms()[static_cast<size_t>(c0.set_terms[0])].text, "projects[size>=0]");
  EXPECT_EQ(CustomIndicatorSet().IndexOf("a"), -1);  // an empty set
}

TEST(CustomIndicators, StartedLateFromPerformance) {
  // performance_due * (1 - performance_rate) = projects due that did not start on time.
  absl::StatusOr<CustomIndicatorSet> set =
      CustomIndicatorSet::Compile({Custom("started_late", "performance_due * (1 - performance_rate)", Unit::kCount)});
  ASSERT_TRUE(set.ok()) << set.status();
  const Value values[] = {Value::Integer(40), Value::Ratio(37, 40)};
  EXPECT_EQ(*set->Evaluate(0, values), Value::Integer(3));
  const Value none[] = {Value::Integer(0), Value()};
  EXPECT_FALSE(set->Evaluate(0, none)->applicable());
  EXPECT_FALSE(set->Evaluate(0, std::span<const Value>(values, 1)).ok());
}

TEST(Units, ParseAndIds) {
  EXPECT_EQ(*ParseUnit("rate"), Unit::kRate);
  EXPECT_EQ(*ParseUnit("万元"), Unit::kMoney);
  EXPECT_EQ(*ParseUnit("Count"), Unit::kCount);
  EXPECT_EQ(*ParseUnit("百分点"), Unit::kPoints);
  EXPECT_FALSE(ParseUnit("furlongs").ok());
  // Every name the unit table of expression.h gives.
  const std::pair<std::string_view, Unit> names[] = {
      {"个", Unit::kCount},       {"项", Unit::kCount},     {"项目数", Unit::kCount},  {"亿元", Unit::kMoney},
      {"金额", Unit::kMoney},     {"%", Unit::kRate},       {"Percent", Unit::kRate},  {"比率", Unit::kRate},
      {"PP", Unit::kPoints},      {"个百分点", Unit::kPoints}, {"倍", Unit::kMultiple}, {"ratio", Unit::kMultiple},
      {"number", Unit::kMultiple}, {" 月 ", Unit::kMonths}, {"个月", Unit::kMonths},   {"month", Unit::kMonths}};
  for (const auto& [name, unit] : names) EXPECT_EQ(*ParseUnit(name), unit) << name;
  for (Unit u : {Unit::kCount, Unit::kMoney, Unit::kRate, Unit::kPoints, Unit::kMultiple, Unit::kMonths}) {
    EXPECT_EQ(*ParseUnit(UnitId(u)), u);
  }
  EXPECT_EQ(DefaultPlaces(Unit::kRate), 1);
  EXPECT_EQ(DefaultPlaces(Unit::kCount), 0);
}

// GoogleTest prints a Value through PrintTo of value.h (found by ADL).
TEST(ValuePrinting, DecimalAndExactFraction) {
  EXPECT_EQ(testing::PrintToString(Value::Ratio(3, 2)), "1.500000 (3/2)");
  EXPECT_EQ(testing::PrintToString(Value::Ratio(-1, 3)), "-0.333333 (-1/3)");
  EXPECT_EQ(testing::PrintToString(Value::Integer(7)), "7.000000 (7/1)");
  EXPECT_EQ(testing::PrintToString(Value()), "n/a");
}

// internal::rational::Wide, the one widening of int128 (rationals use cpp_int, Value
// int256_t): exact at the extremes, and Narrow undoes it.
TEST(Rational, WideIsExactAndNarrowUndoesIt) {
  using internal::rational::Int;
  using internal::rational::Narrow;
  using internal::rational::Wide;
  using boost::multiprecision::int256_t;
  const int128 max = std::numeric_limits<int128>::max();
  const int128 samples[] = {0, 1, -1, 42, -1234567890123, int128{1} << 64, -(int128{1} << 64), max, -max,
                            std::numeric_limits<int128>::min()};
  for (int128 v : samples) {
    EXPECT_EQ(Wide(v).str(), Int128ToString(v));
    EXPECT_EQ(Wide<int256_t>(v).str(), Int128ToString(v));
    if (v != std::numeric_limits<int128>::min()) {
      EXPECT_EQ(Narrow(Wide(v)), v) << Int128ToString(v);
    }
  }
  EXPECT_EQ(Narrow(Wide(max) + 1), std::nullopt);
  EXPECT_EQ(Narrow(Wide(std::numeric_limits<int128>::min())), std::nullopt);
  EXPECT_EQ(Wide(max) * Wide(max), Int(Wide<int256_t>(max) * Wide<int256_t>(max)));
}

}  // namespace
}  // namespace keyproj
