#include "keyproj/targets.h"

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "assess/toml_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace keyproj {

namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int64_t kWan = kFenPerWan;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- the TOML reader (toml++) -----------------------------------------------------------

std::string TomlError(std::string_view text) {
  absl::StatusOr<toml::Node> doc = toml::Parse(text);
  EXPECT_FALSE(doc.ok()) << text;
  return doc.ok() ? std::string() : std::string(doc.status().message());
}

TEST(TomlFile, ValuesTablesAndArrays) {
  absl::StatusOr<toml::Node> doc = toml::Parse(
      "\xEF\xBB\xBF# a comment\n"
      "name = \"1116\"   # trailing comment\n"
      "lit = 'C:\\path'\n"
      "esc = \"a\\\"b\\u4e2d\\t\"\n"
      "n = -1_000.50\n"
      "yes = true\n"
      "\"support_approved.central_budget\" = \">= 5亿元\"\n"
      "arr = [\n"
      "  1, 2,  # comment inside\n"
      "  \"x\",\n"
      "]\n"
      "inl = { a = 1, b = \"two\" }\n"
      "[a.b]\n"
      "c = 3\n"
      "[[rule]]\n"
      "id = \"r1\"\n"
      "[[rule]]\n"
      "id = \"r2\"\r\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->Find("name")->text, "1116");
  EXPECT_EQ(doc->Find("name")->line, 2);
  EXPECT_EQ(doc->Find("name")->column, 8);
  EXPECT_EQ(doc->Find("name")->key_column, 1);
  EXPECT_EQ(doc->Find("lit")->text, "C:\\path");
  EXPECT_EQ(doc->Find("esc")->text, "a\"b中\t");
  EXPECT_EQ(doc->Find("n")->kind, toml::Node::kNumber);
  EXPECT_EQ(doc->Find("n")->text, "-1000.50");
  EXPECT_TRUE(doc->Find("yes")->boolean);
  EXPECT_EQ(doc->Find("support_approved.central_budget")->text, ">= 5亿元");
  ASSERT_EQ(doc->Find("arr")->items.size(), 3u);
  EXPECT_EQ(doc->Find("arr")->items[2].text, "x");
  EXPECT_EQ(doc->Find("inl")->Find("b")->text, "two");
  EXPECT_TRUE(doc->Find("inl")->inline_table);
  EXPECT_EQ(doc->Find("a")->Find("b")->Find("c")->text, "3");
  const toml::Node* rules = doc->Find("rule");
  ASSERT_NE(rules, nullptr);
  ASSERT_TRUE(rules->array_of_tables);
  ASSERT_EQ(rules->items.size(), 2u);
  EXPECT_EQ(rules->items[1].Find("id")->text, "r2");
  EXPECT_EQ(rules->items[1].line, 17);
  // Members in file order (toml++ keeps them sorted by key).
  std::vector<std::string> keys;
  for (const auto& [key, value] : doc->members) keys.push_back(key);
  EXPECT_THAT(keys, ElementsAre("name", "lit", "esc", "n", "yes", "support_approved.central_budget", "arr", "inl",
                                "a", "rule"));
  // A table made by a [header] is placed at the header, key included.
  EXPECT_EQ(doc->Find("a")->Find("b")->KeyWhere(), "line 13, column 1");
  EXPECT_EQ(rules->KeyWhere(), "line 15, column 1");
}

TEST(TomlFile, DottedKeysMultiLineStringsAndInlineArraysOfTables) {
  absl::StatusOr<toml::Node> doc = toml::Parse(
      "a.b.c = 1\n"
      "a . d = \"x\"\n"
      "s = \"\"\"\n"
      "第一行\n"
      "second \\\n"
      "   line\"\"\"\n"
      "l = '''C:\\raw\n"
      "两行'''\n"
      "after = 2\n"
      "points = [{ x = 1 }, { x = 2.5 }]\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  const toml::Node* a = doc->Find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->dotted_key);
  EXPECT_EQ(a->Find("b")->Find("c")->text, "1");
  EXPECT_EQ(a->Find("b")->Find("c")->KeyWhere(), "line 1, column 5");
  EXPECT_EQ(a->Find("d")->text, "x");
  EXPECT_EQ(a->Find("d")->Where(), "line 2, column 9");
  // A newline right after """ is dropped; a line-ending backslash joins the lines.
  EXPECT_EQ(doc->Find("s")->text, "第一行\nsecond line");
  EXPECT_EQ(doc->Find("l")->text, "C:\\raw\n两行");
  EXPECT_EQ(doc->Find("after")->line, 9);  // the strings' lines are counted
  const toml::Node* points = doc->Find("points");
  ASSERT_EQ(points->items.size(), 2u);
  EXPECT_EQ(points->items[1].Find("x")->text, "2.5");
  EXPECT_FALSE(points->items[0].dotted_key);
}

TEST(TomlFile, NumbersAreTheirText) {
  // Read as doubles, 0.1 and 12345678.90123456789 would lose digits; the text keeps
  // them (spec::NumberOf reads it exactly).
  absl::StatusOr<toml::Node> doc =
      toml::Parse("a = 0.1\nb = +22.50\nc = 12_345_678.901_234_567_89\nd = -0\ne = [1.10, 2]\n");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->Find("a")->text, "0.1");
  EXPECT_EQ(doc->Find("b")->text, "+22.50");
  EXPECT_EQ(doc->Find("c")->text, "12345678.90123456789");
  EXPECT_EQ(doc->Find("d")->text, "-0");
  EXPECT_EQ(doc->Find("e")->items[0].text, "1.10");
  EXPECT_EQ(doc->Find("e")->items[1].text, "2");
}

TEST(TomlFile, ErrorsHaveLineAndColumn) {
  // Syntax errors are toml++'s, at its position.
  EXPECT_THAT(TomlError("a = 1\nb 2\n"), AllOf(StartsWith("line 2, column 3: "), HasSubstr("expected '='")));
  EXPECT_THAT(TomlError("a = 1\na = 2\n"),
              AllOf(StartsWith("line 2, column 5: "), HasSubstr("cannot redefine existing integer 'a'")));
  EXPECT_THAT(TomlError("x = \"abc\n"), StartsWith("line 1, column 9: "));
  EXPECT_THAT(TomlError("[t]\n[t]\n"), AllOf(StartsWith("line 2, column 1: "), HasSubstr("'t'")));
  EXPECT_THAT(TomlError("a = 1 2\n"), StartsWith("line 1, column 7: "));
  EXPECT_THAT(TomlError("a = [1, 2\nb = 3\n"), AllOf(StartsWith("line 2, column 1: "), HasSubstr("']'")));
  EXPECT_THAT(TomlError("a = { b = 1\n"), AllOf(StartsWith("line 1, column 12: "), HasSubstr("'}'")));
  EXPECT_THAT(TomlError("x = \"\\q\"\n"), AllOf(StartsWith("line 1, column 7: "), HasSubstr("escape")));
  EXPECT_THAT(TomlError("[[a]]\n[a]\n"), StartsWith("line 2, column 1: "));
  EXPECT_THAT(TomlError("a = \"\xFF\"\n"), StartsWith("line 1, column 6: not UTF-8"));
  // An unquoted word gets a hint, whatever toml++ took it for.
  EXPECT_THAT(TomlError("x = industry\n"), HasSubstr("(a string needs quotes: \"industry\")"));
  EXPECT_THAT(TomlError("group_by = department\n"),
              AllOf(StartsWith("line 1, column 12: "), HasSubstr("(a string needs quotes: \"department\")")));
  // What keyproj refuses, at the value.
  EXPECT_THAT(TomlError("x = 1e5\n"), HasSubstr("line 1, column 5: exponents are not supported"));
  EXPECT_THAT(TomlError("d = 2024-01-01\n"), HasSubstr("line 1, column 5: dates and times are not supported"));
  EXPECT_THAT(TomlError("t = [07:30:00]\n"), HasSubstr("line 1, column 6: dates and times are not supported"));
  EXPECT_THAT(TomlError("x = -inf\n"), HasSubstr("line 1, column 5: inf and nan are not supported"));
  EXPECT_THAT(TomlError("x = nan\n"), HasSubstr("inf and nan are not supported"));
  EXPECT_THAT(TomlError("x = 0x1F\n"), HasSubstr("line 1, column 5: hexadecimal, octal and binary"));
  // Columns count characters: "储备" is 2 characters (6 bytes).
  EXPECT_THAT(TomlError("name = \"储备\" x\n"), StartsWith("line 1, column 13: "));
  EXPECT_THAT(TomlError("\"名称\" = 1e3\n"), HasSubstr("line 1, column 8: exponents"));
  // A UTF-8 byte order mark is not a column; CRLF ends a line once.
  EXPECT_THAT(TomlError("\xEF\xBB\xBF" "a = 1 2\n"), StartsWith("line 1, column 7: "));
  EXPECT_THAT(TomlError("\xEF\xBB\xBF" "x = 1e5\n"), HasSubstr("line 1, column 5: exponents"));
  EXPECT_THAT(TomlError("a = 1\r\nb = 2 3\r\n"), StartsWith("line 2, column 7: "));
  EXPECT_THAT(TomlError("a = 1\r\nb = 1e3\r\n"), HasSubstr("line 2, column 5: exponents"));
  // Depth: values nested deeper than keyproj reads, and keys of thousands of parts,
  // which would overflow the stack inside toml++.
  const std::string deep = "a = " + std::string(200, '[') + std::string(200, ']') + "\n";
  EXPECT_THAT(TomlError(deep), HasSubstr("line 1, column 69: values nest deeper than 64 levels"));
  std::string long_key = "a";
  for (int i = 0; i < 20'000; ++i) long_key += ".a";
  EXPECT_THAT(TomlError(long_key + " = 1\n"), HasSubstr("line 1, column 8194: more than 4096 '.'"));
  EXPECT_THAT(TomlError("[" + long_key + "]\n"), HasSubstr("line 1, column 8195: more than 4096 '.'"));
}

// Characters a Chinese input method types where TOML wants ASCII are named with their
// place; and toml++ 3.3 is never asked whether U+00A1..U+0499 or U+FBA6..U+FEFE is
// whitespace (its table reaches __builtin_unreachable there; found by the fuzz run).
TEST(TomlFile, CharactersOutsideStringsAreNamed) {
  EXPECT_THAT(TomlError("a\xE3\x80\x80= 1\n"),
              HasSubstr("line 1, column 2: character '\xE3\x80\x80' (U+3000, a full-width space) outside a quoted string"));
  EXPECT_THAT(TomlError("name = \xE2\x80\x9C\xE5\x8E\xBF\xE2\x80\x9D\n"), HasSubstr("line 1, column 8: character '\xE2\x80\x9C' (U+201C)"));
  EXPECT_THAT(TomlError("a = 1\nb = 2\xC2\xA0\n"), HasSubstr("line 2, column 6: character '\xC2\xA0' (U+00A0, a no-break space)"));
  EXPECT_THAT(TomlError("x = 1 \xC2\xB7\n"), HasSubstr("line 1, column 7: character '\xC2\xB7' (U+00B7)"));
  EXPECT_THAT(TomlError("[t\xC3\xA9]\n"), HasSubstr("line 1, column 3: character"));
  EXPECT_THAT(TomlError("x = \"a\" # c\na\xEF\xB9\x90 = 1\n"), HasSubstr("line 2, column 2: character"));
  EXPECT_THAT(TomlError("x = \"\"\"a\\\xC2\xB7\"\"\"\n"), HasSubstr("line 1, column 10: '\\' followed by"));
  EXPECT_THAT(TomlError("x = \"\"\"a \\\n   \xC2\xB7" "b\"\"\"\n"),
              HasSubstr("line 2, column 4: character '\xC2\xB7' (U+00B7) right after a line-ending backslash"));
  EXPECT_THAT(TomlError("x = 1 # \xFF\n"), HasSubstr("line 1, column 9: not UTF-8"));
}

TEST(TomlFile, NonAsciiInStringsAndCommentsReads) {
  const std::string text =
      "# \xC2\xB7 comment \xC3\xA9 \xE3\x80\x80\n"
      "a = \"\xC2\xB7\xE5\x8E\xBF\xC3\x97\"\n"
      "b = '\xC2\xB7 \\ lit'\n"
      "c = \"\"\"\n\xC2\xB7 one \\\"\xC2\xB7\\\n  \xE5\x8E\xBF\"\"\"\n"
      "d = \'\'\'\xC2\xB7\'\'\'\'\n"
      "\"\xE9\xA1\xB9\xC2\xB7\" = 1\n";
  absl::StatusOr<toml::Node> doc = toml::Parse(text);
  ASSERT_TRUE(doc.ok()) << doc.status();
  ASSERT_EQ(doc->members.size(), 5u);
  EXPECT_EQ(doc->members[0].second.text, "\xC2\xB7\xE5\x8E\xBF\xC3\x97");
  EXPECT_EQ(doc->members[1].second.text, "\xC2\xB7 \\ lit");
  EXPECT_EQ(doc->members[2].second.text, "\xC2\xB7 one \"\xC2\xB7\xE5\x8E\xBF");
  EXPECT_EQ(doc->members[3].second.text, "\xC2\xB7'");
  EXPECT_EQ(doc->members[4].first, "\xE9\xA1\xB9\xC2\xB7");
}

// ---- quantities -----------------------------------------------------------------------

TEST(TargetQuantity, UnitsAsBureausWriteThem) {
  EXPECT_EQ(*ParseQuantity("1000", Unit::kCount), Value::Integer(1000));
  EXPECT_EQ(*ParseQuantity("1,000个", Unit::kCount), Value::Integer(1000));
  EXPECT_EQ(*ParseQuantity("95%", Unit::kRate), Value::Ratio(19, 20));
  EXPECT_EQ(*ParseQuantity("-5 %", Unit::kRate), Value::Ratio(-1, 20));
  EXPECT_EQ(*ParseQuantity("45.5%", Unit::kRate), Value::Ratio(91, 200));
  EXPECT_EQ(*ParseQuantity("300亿元", Unit::kMoney), Value::Integer(int128{300} * kFenPerYi));
  EXPECT_EQ(*ParseQuantity("1.5亿", Unit::kMoney), Value::Integer(int128{15'000} * kWan));
  EXPECT_EQ(*ParseQuantity("2500万元", Unit::kMoney), Value::Integer(int128{2'500} * kWan));
  EXPECT_EQ(*ParseQuantity("2500", Unit::kMoney), Value::Integer(int128{2'500} * kWan));
  EXPECT_EQ(*ParseQuantity("5个百分点", Unit::kPoints), Value::Integer(5));
  EXPECT_EQ(*ParseQuantity("3倍", Unit::kMultiple), Value::Integer(3));
  EXPECT_EQ(*ParseQuantity("3个月", Unit::kMonths), Value::Integer(3));
}

TEST(TargetQuantity, Errors) {
  absl::StatusOr<Value> v = ParseQuantity("95", Unit::kRate);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("a rate needs a percent sign"));
  v = ParseQuantity("95%", Unit::kCount);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("expected a count"));
  v = ParseQuantity("300美元", Unit::kMoney);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("expected an amount in 万元 or 亿元"));
  EXPECT_FALSE(ParseQuantity("lots", Unit::kCount).ok());
  EXPECT_FALSE(ParseQuantity("", Unit::kCount).ok());
}

TEST(TargetQuantity, Bounds) {
  absl::StatusOr<BoundedQuantity> q = ParseBoundedQuantity(">= 95%", Unit::kRate);
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->bound, Bound::kAtLeast);
  EXPECT_EQ(q->value, Value::Ratio(19, 20));
  q = ParseBoundedQuantity("≤5", Unit::kCount);
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->bound, Bound::kAtMost);
  EXPECT_EQ(q->value, Value::Integer(5));
  EXPECT_EQ(ParseBoundedQuantity("≥ 600", Unit::kCount)->bound, Bound::kAtLeast);
  EXPECT_EQ(ParseBoundedQuantity("<= 5", Unit::kCount)->bound, Bound::kAtMost);
  EXPECT_THAT(ParseBoundedQuantity("95%", Unit::kRate).status().message(), HasSubstr("expected '>=' or '<='"));
}

TEST(TargetQuantity, TextRoundTrips) {
  EXPECT_EQ(QuantityText(Value::Integer(int128{300} * kFenPerYi), Unit::kMoney), "300亿元");
  EXPECT_EQ(QuantityText(Value::Integer(int128{2'500} * kWan), Unit::kMoney), "2500万元");
  EXPECT_EQ(QuantityText(Value::Ratio(91, 200), Unit::kRate), "45.5%");
  EXPECT_EQ(QuantityText(Value::Integer(1000), Unit::kCount), "1000");
  for (std::string_view text : {"300亿元", "2500.5万元", "45.5%", "-5%"}) {
    const Unit unit = text.back() == '%' ? Unit::kRate : Unit::kMoney;
    EXPECT_EQ(QuantityText(*ParseQuantity(text, unit), unit), text);
  }
}

// ---- target sets ------------------------------------------------------------------------

TargetSet Example1116() {
  const std::string text = ReadFile(std::string(KEYPROJ_SOURCE_DIR) + "/examples/targets/1116.toml");
  EXPECT_FALSE(text.empty());
  absl::StatusOr<TargetSet> set = ParseTargetSet(text);
  EXPECT_TRUE(set.ok()) << set.status();
  return set.ok() ? *std::move(set) : TargetSet();
}

const Target* FindTarget(const TargetSet& set, std::string_view id) {
  for (const Target& t : set.targets) {
    if (t.indicator == id) return &t;
  }
  return nullptr;
}

TEST(TargetSetFile, The1116Example) {
  const TargetSet set = Example1116();
  EXPECT_EQ(set.name, "1116");
  EXPECT_EQ(set.title, "2025年“1116”目标任务");
  EXPECT_THAT(TargetIndicatorIds(set),
              ElementsAre("reserve", "supported_projects", "signed_ytd", "started_ytd", "performance_rate",
                          "signed_start_rate", "funds_arrival_rate", "funds_arrived_ytd", "projects_over_1yi",
                          "yoy_growth"));
  const Target* reserve = FindTarget(set, "reserve");
  ASSERT_NE(reserve, nullptr);
  EXPECT_EQ(reserve->bound, Bound::kAtLeast);
  EXPECT_EQ(reserve->value, Value::Integer(1000));
  EXPECT_EQ(reserve->label, "储备项目");
  EXPECT_EQ(reserve->unit, Unit::kCount);
  EXPECT_TRUE(reserve->paced);
  const Target* perf = FindTarget(set, "performance_rate");
  ASSERT_NE(perf, nullptr);
  EXPECT_EQ(perf->value, Value::Ratio(95, 100));
  EXPECT_EQ(perf->label, "履约率");  // the catalogue's label
  EXPECT_FALSE(perf->paced);         // a rate that does not build up through the year
  const Target* funds = FindTarget(set, "funds_arrived_ytd");
  ASSERT_NE(funds, nullptr);
  EXPECT_EQ(funds->value, Value::Integer(int128{300} * kFenPerYi));
  EXPECT_TRUE(funds->paced);
  const Target* big = FindTarget(set, "projects_over_1yi");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->unit, Unit::kCount);
  EXPECT_EQ(big->label, "亿元以上项目数");
  ASSERT_EQ(set.indicators.size(), 1u);
  EXPECT_EQ(set.indicators[0].expression, "projects[size>=1亿]");
  ASSERT_TRUE(set.schedule.has_value());
  EXPECT_EQ(set.schedule->mode, ScheduleMode::kCurve);
  EXPECT_EQ(set.schedule->curve[0], 40'000);
  EXPECT_EQ(set.schedule->curve[8], 850'000);  // 85% by the end of September
  EXPECT_EQ(set.schedule->curve[11], 1'000'000);
  QueryOptions options;
  ApplySchedule(set, &options);
  EXPECT_EQ(options.schedule, ScheduleMode::kCurve);
  EXPECT_EQ(options.curve[8], 850'000);
  Query q;
  q.indicators = {"reserve"};
  q.options = options;
  EXPECT_TRUE(ValidateQuery(q).ok()) << ValidateQuery(q);
}

std::string SetError(std::string_view text, std::vector<CustomIndicator> known = {}) {
  absl::StatusOr<TargetSet> set = ParseTargetSet(text, known);
  EXPECT_FALSE(set.ok()) << text;
  return set.ok() ? std::string() : std::string(set.status().message());
}

TEST(TargetSetFile, Errors) {
  EXPECT_THAT(SetError("[targets]\nreserv = \">= 1000\"\n"),
              HasSubstr("line 2, column 1: unknown indicator 'reserv'"));
  EXPECT_THAT(SetError("[targets]\nreserve = \">= lots\"\n"),
              HasSubstr("line 2, column 11: target 'reserve': expected a count"));
  EXPECT_THAT(SetError("[targets]\nperformance_rate = \">= 95\"\n"),
              HasSubstr("line 2, column 20: target 'performance_rate': a rate needs a percent sign"));
  EXPECT_THAT(SetError("[targets]\nreserve = 1000\n"), HasSubstr("line 2, column 11: expected a bound and a value"));
  EXPECT_THAT(SetError("[targets]\nreserve = \"1000\"\n"), HasSubstr("expected '>=' or '<='"));
  EXPECT_THAT(SetError("nmae = \"x\"\n[targets]\nreserve = \">= 1\"\n"),
              HasSubstr("line 1, column 1: unknown key 'nmae' in a target set"));
  EXPECT_THAT(SetError("[targets]\nreserve = { target = \">= 1\", pacde = true }\n"),
              HasSubstr("line 2, column 30: unknown key 'pacde'"));
  EXPECT_THAT(SetError("[targets]\nlate_reports = { target = \"<= 5\", paced = true }\n"),
              HasSubstr("only a >= target can be paced"));
  EXPECT_THAT(SetError("name = \"x\"\n"), HasSubstr("expected a [targets] table"));
  EXPECT_THAT(SetError("[targets]\n"), HasSubstr("at least one target"));
}

// A file's problems are listed all at once, each at its place, in the order found:
// a bureau fixing a target file should not need a run per typo.
TEST(TargetSetFile, EveryProblemIsListed) {
  EXPECT_EQ(SetError("nmae = \"x\"\n"
                     "[targets]\n"
                     "reserv = \">= 1000\"\n"
                     "started_ytd = \">= lots\"\n"
                     "plan_completion = { target = \">= 75%\", lable = \"完成率\" }\n"
                     "start_rate = \">= 90%\"\n"
                     "[tasks]\n"
                     "group_by = \"county\"\n"
                     "[tasks.investment_ytd]\n"
                     "\"秦都区\" = \">= 120亿元\"\n"
                     "\"杨陵区\" = \">= sixty\"\n"
                     "\"渭城区\" = \"<= 100亿元\"\n"),
            "6 problems:\n"
            "  line 1, column 1: unknown key 'nmae' in a target set (expected name, title, schedule, indicators, "
            "targets, tasks)\n"
            "  line 3, column 1: unknown indicator 'reserv' (did you mean reserve?) (expected a catalogue id or a custom indicator of "
            "[indicators])\n"
            "  line 4, column 15: target 'started_ytd': expected a count, e.g. 600, found 'lots'\n"
            "  line 5, column 40: unknown key 'lable' in the target 'plan_completion' (expected target, label, paced, "
            "places)\n"
            "  line 11, column 9: task 'investment_ytd' of '杨陵区': expected an amount in 万元 or 亿元, e.g. 300亿元, "
            "found 'sixty'\n"
            "  line 12, column 9: task 'investment_ytd' of '渭城区': the bound <= differs from >= of the first group "
            "(one indicator has one bound)");
  // A custom indicator that does not compile ends the reading: every target naming
  // it would seem to name nothing.
  EXPECT_EQ(SetError("[indicators]\nratio = \"projects / \"\n[targets]\nratio = \">= 1\"\nreserv = \">= 1\"\n"),
            SetError("[indicators]\nratio = \"projects / \"\n[targets]\n"));
}

TEST(TargetSetFile, AllOfTomlReadsTheSame) {
  // Dotted keys (a target's table and a custom indicator written key by key), a
  // multi-line title, and the example with CRLF line ends and a byte order mark.
  absl::StatusOr<TargetSet> set = ParseTargetSet(
      "title = \"\"\"\n2025年\n目标任务\"\"\"\n"
      "indicators.big.unit = \"count\"\n"
      "indicators.big.expression = '''projects[size>=1亿]'''\n"
      "[targets]\n"
      "reserve.target = \">= 1000\"\n"
      "reserve.label = \"储备\"\n"
      "big = \">= 100\"\n"
      "\"support_approved.central_budget\" = \">= 5亿元\"\n");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->title, "2025年\n目标任务");
  ASSERT_EQ(set->indicators.size(), 1u);
  EXPECT_EQ(set->indicators[0].unit, Unit::kCount);
  ASSERT_EQ(set->targets.size(), 3u);
  EXPECT_EQ(set->targets[0].indicator, "reserve");
  EXPECT_EQ(set->targets[0].label, "储备");
  EXPECT_EQ(set->targets[0].line, 7);
  EXPECT_EQ(set->targets[1].unit, Unit::kCount);
  EXPECT_EQ(set->targets[2].indicator, "support_approved.central_budget");
  EXPECT_EQ(set->targets[2].value, Value::Integer(int128{5} * kFenPerYi));

  const std::string text = ReadFile(std::string(KEYPROJ_SOURCE_DIR) + "/examples/targets/1116.toml");
  std::string crlf = "\xEF\xBB\xBF";
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  absl::StatusOr<TargetSet> windows = ParseTargetSet(crlf);
  ASSERT_TRUE(windows.ok()) << windows.status();
  const TargetSet unix_set = Example1116();
  ASSERT_EQ(windows->targets.size(), unix_set.targets.size());
  for (size_t i = 0; i < unix_set.targets.size(); ++i) {
    EXPECT_EQ(windows->targets[i].indicator, unix_set.targets[i].indicator);
    EXPECT_EQ(windows->targets[i].value, unix_set.targets[i].value);
    EXPECT_EQ(windows->targets[i].line, unix_set.targets[i].line);
  }
  EXPECT_EQ(windows->schedule->curve, unix_set.schedule->curve);
  // Errors in such a file keep their place.
  EXPECT_THAT(SetError("\xEF\xBB\xBF[targets]\r\nreserve = 1000\r\n"), HasSubstr("line 2, column 11: expected a bound"));
}

TEST(TargetSetFile, ErrorsCountCharactersAndHintDottedIds) {
  // "储备项目" is 4 characters: the target's value starts at column 38.
  EXPECT_THAT(SetError("[targets]\nreserve = { label = \"储备项目\", target = \">= lots\" }\n"),
              HasSubstr("line 2, column 38: target 'reserve': expected a count"));
  EXPECT_THAT(SetError("[targets]\n\"储备\" = \">= 1\"\n"), HasSubstr("line 2, column 1: unknown indicator '储备'"));
  EXPECT_THAT(SetError("title = '''\n多行\n标题'''\n[targets]\nreserve = \">= 多\"\n"),
              HasSubstr("line 5, column 11: target 'reserve'"));
  // Unquoted, a dotted indicator id is a table in TOML.
  EXPECT_THAT(SetError("[targets]\nsupport_approved.central_budget = \">= 5亿元\"\n"),
              HasSubstr("line 2, column 1: the dotted key support_approved.central_budget is a table in TOML: "
                        "write an indicator id with a '.' in quotes (\"support_approved.central_budget\" = ...)"));
  EXPECT_THAT(SetError("[targets]\nreserve.taget = \">= 1\"\n"), HasSubstr("the dotted key reserve.taget"));
  EXPECT_THAT(SetError("[targets]\nreserve.target = \">= 1\"\nreserve.pacde = true\n"),
              HasSubstr("line 3, column 9: unknown key 'pacde' in the target 'reserve'"));
  // A syntax error through the target set: toml++'s, with keyproj's hint.
  EXPECT_THAT(SetError("[schedule]\nmode = curve\n"),
              AllOf(StartsWith("line 2, column "), HasSubstr("(a string needs quotes: \"curve\")")));
}

TEST(TargetSetFile, ScheduleErrors) {
  const std::string t = "[targets]\nreserve = \">= 1\"\n";
  EXPECT_THAT(SetError("[schedule]\ncurve = [10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99]\n" + t),
              HasSubstr("line 2, column 54: the curve must reach 100 by December"));
  EXPECT_THAT(SetError("[schedule]\ncurve = [10, 20, 30, 40, 50, 60, 70, 80, 90, 85, 99, 100]\n" + t),
              HasSubstr("the curve falls in month 10"));
  EXPECT_THAT(SetError("[schedule]\ncurve = [10, 20]\n" + t), HasSubstr("expected curve = [12 cumulative percents"));
  EXPECT_THAT(SetError("[schedule]\nmode = \"curve\"\n" + t), HasSubstr("needs curve"));
  EXPECT_THAT(SetError("[schedule]\nmode = \"weeks\"\n" + t), HasSubstr("unknown schedule mode 'weeks'"));
  EXPECT_THAT(SetError("[schedule]\nmode = \"months\"\ncurve = [1]\n" + t), HasSubstr("a curve is only for"));
  absl::StatusOr<TargetSet> ok = ParseTargetSet("[schedule]\nmode = \"days\"\n" + t);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->schedule->mode, ScheduleMode::kDays);
  ok = ParseTargetSet("[schedule]\ncurve = [\"8.5%\", 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 100]\n" + t);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->schedule->curve[0], 85'000);
}

TEST(TargetSetFile, CustomIndicators) {
  // An error in a file's custom indicator is placed at its expression.
  EXPECT_THAT(SetError("[indicators.x]\nexpression = \"projects +\"\n[targets]\nx = \">= 1\"\n"),
              HasSubstr("line 2, column 14: custom indicator 'x': column 11: expected a number"));
  EXPECT_THAT(SetError("[indicators]\na = \"b\"\nb = \"a + 1\"\n[targets]\na = \">= 1\"\n"),
              HasSubstr("line 2, column 5: custom indicators form a cycle: a -> b -> a"));
  EXPECT_THAT(SetError("[indicators.x]\nunit = \"furlongs\"\nexpression = \"1\"\n[targets]\nx = \">= 1\"\n"),
              HasSubstr("line 2, column 8: unknown unit 'furlongs'"));
  // Both forms of [indicators]: a table per indicator, and id = "expression".
  absl::StatusOr<TargetSet> both = ParseTargetSet(
      "[indicators.big]\nunit = \"count\"\nexpression = \"projects[size>=1亿]\"\n"
      "[indicators]\nshare_ind = \"investment_ytd[category=industry] / investment_ytd\"\n"
      "[targets]\nbig = \">= 100\"\nshare_ind = \">= 0.5\"\n");
  ASSERT_TRUE(both.ok()) << both.status();
  ASSERT_EQ(both->indicators.size(), 2u);
  EXPECT_EQ(both->indicators[1].id, "share_ind");
  EXPECT_EQ(both->indicators[1].unit, Unit::kMultiple);
  EXPECT_EQ(both->targets[1].value, Value::Ratio(1, 2));
  EXPECT_EQ(both->targets[0].places, 0);
  // A custom indicator defined elsewhere (e.g. on the command line).
  absl::StatusOr<TargetSet> set = ParseTargetSet(
      "[targets]\nindustry_share = \">= 55%\"\n",
      std::vector<CustomIndicator>{{"industry_share", "产业投资占比", Unit::kRate, 1,
                                    "investment_ytd[category=industry] / investment_ytd"}});
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->targets.size(), 1u);
  EXPECT_EQ(set->targets[0].unit, Unit::kRate);
  EXPECT_EQ(set->targets[0].value, Value::Ratio(11, 20));
  EXPECT_EQ(set->targets[0].label, "产业投资占比");
  EXPECT_TRUE(set->indicators.empty());  // only the file's own
}

// ---- evaluation ----------------------------------------------------------------------------

// A result with one group row ("甲") and the whole-scope row, columns as given.
Result MakeResult(const std::vector<std::string>& ids, const std::vector<Value>& group,
                  const std::vector<Value>& total) {
  Result r;
  r.group_by = {Dimension::kDepartment};
  for (const std::string& id : ids) {
    absl::StatusOr<IndicatorRef> ref = FindIndicator(id);
    r.indicators.push_back(ref.ok() ? *ref : IndicatorRef{nullptr, 0, id});  // custom: no def
  }
  r.rows.push_back(ResultRow{{"甲"}, group, {}});
  r.rows.push_back(ResultRow{{}, total, {}});
  return r;
}

TEST(TargetEvaluation, CountyAtEndOfOctober) {
  const TargetSet set = Example1116();
  const std::vector<std::string> ids = {"reserve", "supported_projects", "signed_ytd", "started_ytd",
                                        "performance_rate", "signed_start_rate", "funds_arrival_rate",
                                        "funds_arrived_ytd", "projects_over_1yi", "yoy_growth", "schedule"};
  const std::vector<Value> total = {
      Value::Integer(1281),                            // reserve: met
      Value::Integer(85),                              // supported: 85% >= 10/12 -> on_track
      Value::Integer(80),                              // signed: 80% < 10/12 -> behind
      Value::Integer(600),                             // started: exactly the target -> met
      Value::Ratio(93, 100),                           // 履约率 93% < 95%: behind (rates not paced)
      Value::Ratio(207, 236),                          // 87.7% >= 50%: met
      Value(),                                         // no contracted investment: n/a
      Value::Integer(int128{2'595'000} * kWan),        // 259.5亿 of 300亿: 86.5% -> on_track
      Value::Integer(100),                             // met
      Value::Ratio(84, 1000),                          // 8.4% < 10%: behind
      Value::Ratio(10, 12),                            // months schedule at the end of October
  };
  const Result result = MakeResult(ids, total, total);
  absl::StatusOr<std::vector<TargetStatus>> st = EvaluateTargets(set, result, 1, Value::Ratio(10, 12));
  ASSERT_TRUE(st.ok()) << st.status();
  ASSERT_EQ(st->size(), 10u);
  const auto& s = *st;
  EXPECT_EQ(s[0].state, TargetState::kMet);
  EXPECT_EQ(s[0].progress, Value::Ratio(1281, 1000));
  EXPECT_EQ(s[0].gap, Value::Integer(-281));
  EXPECT_EQ(s[1].state, TargetState::kOnTrack);
  EXPECT_EQ(s[1].gap, Value::Integer(15));
  EXPECT_EQ(s[2].state, TargetState::kBehind);
  EXPECT_EQ(s[2].progress, Value::Ratio(4, 5));
  EXPECT_EQ(s[3].state, TargetState::kMet);
  EXPECT_EQ(s[3].gap, Value::Integer(0));
  EXPECT_EQ(s[4].state, TargetState::kBehind);
  EXPECT_EQ(s[4].gap, Value::Integer(2));  // 2 percentage points
  EXPECT_EQ(s[4].gap_unit, Unit::kPoints);
  EXPECT_EQ(DisplayValue(s[4].progress, Unit::kRate, 1), "97.9%");
  EXPECT_EQ(s[5].state, TargetState::kMet);
  EXPECT_EQ(s[6].state, TargetState::kNotApplicable);
  EXPECT_FALSE(s[6].progress.applicable());
  EXPECT_FALSE(s[6].gap.applicable());
  EXPECT_EQ(s[7].state, TargetState::kOnTrack);
  EXPECT_EQ(s[7].gap_unit, Unit::kMoney);
  EXPECT_EQ(DisplayValue(s[7].gap, Unit::kMoney, 1, MoneyUnit::kYi), "40.5");
  EXPECT_EQ(DisplayValue(s[7].progress, Unit::kRate, 1), "86.5%");
  EXPECT_EQ(s[8].state, TargetState::kMet);
  EXPECT_EQ(s[9].state, TargetState::kBehind);
  EXPECT_EQ(s[9].progress, Value::Ratio(84, 100));
  EXPECT_EQ(DisplayValue(s[9].gap, Unit::kPoints, 1), "1.6");
  EXPECT_EQ(s[9].target.label, "固定资产投资增长");

  // With the province's curve (92% by the end of October) the paced ones fall behind.
  absl::StatusOr<std::vector<TargetStatus>> curve = EvaluateTargets(set, result, 1, Value::Ratio(92, 100));
  ASSERT_TRUE(curve.ok());
  EXPECT_EQ((*curve)[1].state, TargetState::kBehind);
  EXPECT_EQ((*curve)[7].state, TargetState::kBehind);
  EXPECT_EQ((*curve)[0].state, TargetState::kMet);
  // Without a schedule nothing is on track.
  absl::StatusOr<std::vector<TargetStatus>> none = EvaluateTargets(set, result, 1, Value());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)[1].state, TargetState::kBehind);
}

TEST(TargetEvaluation, AtMostTargetsAndGroupRows) {
  absl::StatusOr<TargetSet> set =
      ParseTargetSet("[targets]\nlate_reports = \"<= 5\"\nyoy_growth = \">= 0%\"\nstalled = \"<= 0\"\n");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_FALSE(set->targets[0].paced);
  const Result result = MakeResult({"yoy_growth", "late_reports", "stalled"},
                                   {Value::Ratio(-3, 100), Value::Integer(7), Value::Integer(0)},
                                   {Value::Ratio(5, 100), Value::Integer(5), Value::Integer(2)});
  absl::StatusOr<std::vector<TargetStatus>> group = EvaluateTargets(*set, result, 0, Value::Ratio(1, 2));
  ASSERT_TRUE(group.ok()) << group.status();
  EXPECT_EQ((*group)[0].state, TargetState::kBehind);  // 7 > 5
  EXPECT_EQ((*group)[0].gap, Value::Integer(2));       // over the cap by 2
  EXPECT_EQ((*group)[1].state, TargetState::kBehind);  // -3% < 0%
  EXPECT_FALSE((*group)[1].progress.applicable());     // progress towards 0% is meaningless
  EXPECT_EQ((*group)[1].gap, Value::Integer(3));       // 3 points short
  EXPECT_EQ((*group)[2].state, TargetState::kMet);
  absl::StatusOr<std::vector<TargetStatus>> total = EvaluateTargets(*set, result, 1, Value::Ratio(1, 2));
  ASSERT_TRUE(total.ok());
  EXPECT_EQ((*total)[0].state, TargetState::kMet);  // 5 <= 5
  EXPECT_EQ((*total)[0].gap, Value::Integer(0));
  EXPECT_EQ((*total)[1].state, TargetState::kMet);
  EXPECT_EQ((*total)[2].state, TargetState::kBehind);
}

TEST(TargetEvaluation, Errors) {
  absl::StatusOr<TargetSet> set = ParseTargetSet("[targets]\nreserve = \">= 10\"\n");
  ASSERT_TRUE(set.ok());
  const Result result = MakeResult({"projects"}, {Value::Integer(1)}, {Value::Integer(1)});
  absl::StatusOr<std::vector<TargetStatus>> st = EvaluateTargets(*set, result, 0, Value());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(st.status().message(), HasSubstr("'reserve'"));
  const Result ok = MakeResult({"reserve"}, {Value::Integer(1)}, {Value::Integer(1)});
  EXPECT_EQ(EvaluateTargets(*set, ok, 2, Value()).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(TargetEvaluation, StateNames) {
  EXPECT_EQ(TargetStateId(TargetState::kOnTrack), "on_track");
  EXPECT_EQ(TargetStateLabel(TargetState::kBehind), "滞后");
  EXPECT_EQ(BoundText(Bound::kAtMost), "<=");
}

// ---- targets per group (任务分解, [tasks]) ------------------------------------------

constexpr std::string_view kTasks = R"(name = "tasks"
[targets]
plan_completion = ">= 75%"
[tasks]
group_by = "department"
[tasks.started_ytd]
"甲" = ">= 10"
"乙" = ">= 30"
[tasks.plan_completion]
"乙" = ">= 90%"
[tasks.start_rate]
"甲" = ">= 50%"
)";

TEST(TargetSetFile, TasksGiveGroupsTheirOwnValues) {
  absl::StatusOr<TargetSet> set = ParseTargetSet(kTasks);
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_TRUE(set->tasks_group_by.has_value());
  EXPECT_EQ(*set->tasks_group_by, Dimension::kDepartment);
  // [targets] first, then the indicators only [tasks] names, in file order.
  ASSERT_EQ(set->targets.size(), 3u);
  const Target& plan = set->targets[0];
  EXPECT_EQ(plan.indicator, "plan_completion");
  EXPECT_TRUE(plan.value == Value::Ratio(3, 4));
  ASSERT_EQ(plan.groups.size(), 1u);
  EXPECT_EQ(plan.groups[0].key, "乙");
  EXPECT_TRUE(plan.groups[0].value == Value::Ratio(9, 10));
  EXPECT_EQ(plan.groups[0].line, 10);
  const Target& started = set->targets[1];
  EXPECT_EQ(started.indicator, "started_ytd");
  EXPECT_FALSE(started.value.applicable());  // no value for all
  EXPECT_TRUE(started.paced);                // a >= count: paced as in [targets]
  ASSERT_EQ(started.groups.size(), 2u);
  EXPECT_TRUE(started.groups[1].value == Value::Integer(30));
  EXPECT_EQ(started.groups[1].line, 8);
  EXPECT_FALSE(set->targets[2].paced);  // a rate
  EXPECT_THAT(TargetIndicatorIds(*set), ElementsAre("plan_completion", "started_ytd", "start_rate"));
  // A file of tasks alone is a target set too.
  EXPECT_TRUE(ParseTargetSet("[tasks]\ngroup_by = \"county\"\n[tasks.started_ytd]\n\"610402\" = \">= 5\"\n").ok());
}

TEST(TargetSetFile, TaskErrorsNameTheirPlace) {
  auto error = [](std::string_view text) {
    absl::StatusOr<TargetSet> set = ParseTargetSet(text);
    EXPECT_FALSE(set.ok()) << text;
    return set.ok() ? std::string() : std::string(set.status().message());
  };
  EXPECT_THAT(error("[tasks]\n[tasks.started_ytd]\n\"甲\" = \">= 1\"\n"), HasSubstr("needs group_by"));
  EXPECT_THAT(error("[tasks]\ngroup_by = \"colour\"\n[tasks.started_ytd]\n\"甲\" = \">= 1\"\n"),
              AllOf(StartsWith("line 2, column 12"), HasSubstr("unknown group-by dimension 'colour'")));
  EXPECT_THAT(error("[tasks]\ngroup_by = \"county\"\n"), HasSubstr("breaks no indicator down"));
  EXPECT_THAT(error("[tasks]\ngroup_by = \"county\"\n[tasks.startd]\n\"甲\" = \">= 1\"\n"),
              AllOf(StartsWith("line 3"), HasSubstr("'startd'")));
  EXPECT_THAT(error("[tasks]\ngroup_by = \"county\"\n[tasks.started_ytd]\n\"甲\" = 5\n"),
              AllOf(StartsWith("line 4, column 7"), HasSubstr("as a string")));
  EXPECT_THAT(error("[tasks]\ngroup_by = \"county\"\n[tasks.start_rate]\n\"甲\" = \">= 50\"\n"),
              AllOf(StartsWith("line 4"), HasSubstr("percent sign")));
  EXPECT_THAT(error("[targets]\nlate_reports = \"<= 5\"\n[tasks]\ngroup_by = \"county\"\n[tasks.late_reports]\n"
                    "\"甲\" = \">= 1\"\n"),
              AllOf(StartsWith("line 6"), HasSubstr("the bound >= differs from <= of its target in [targets]")));
  EXPECT_THAT(error("[tasks]\ngroup_by = \"county\"\n[tasks.started_ytd]\n\"甲\" = \">= 1\"\n\"乙\" = \"<= 1\"\n"),
              AllOf(StartsWith("line 5"), HasSubstr("of the first group")));
  EXPECT_THAT(error("[tasks]\ngroup_by = \"county\"\nstarted_ytd = \">= 1\"\n"), HasSubstr("[tasks.started_ytd] table"));
}

// Three departments and the whole scope, grouped by department.
Result ThreeDepartments() {
  Result r;
  r.group_by = {Dimension::kDepartment};
  for (const char* id : {"plan_completion", "started_ytd", "start_rate"}) r.indicators.push_back(*FindIndicator(id));
  r.rows.push_back(ResultRow{{"丙"}, {Value::Ratio(80, 100), Value::Integer(4), Value::Ratio(1, 2)}, {}});
  r.rows.push_back(ResultRow{{"甲"}, {Value::Ratio(70, 100), Value::Integer(8), Value::Ratio(2, 5)}, {}});
  r.rows.push_back(ResultRow{{"乙"}, {Value::Ratio(85, 100), Value::Integer(30), Value::Ratio(3, 5)}, {}});
  r.rows.push_back(ResultRow{{}, {Value::Ratio(78, 100), Value::Integer(42), Value::Ratio(1, 2)}, {}});
  return r;
}

TEST(TargetEvaluation, EachGroupAgainstItsOwnTargetElseTheValueForAllElseNone) {
  absl::StatusOr<TargetSet> set = ParseTargetSet(kTasks);
  ASSERT_TRUE(set.ok()) << set.status();
  const Result result = ThreeDepartments();
  using Source = TargetStatus::Source;
  const Value schedule = Value::Ratio(3, 4);

  // 丙: no own value anywhere. plan_completion falls back to 75% (80% met); started_ytd
  // and start_rate have none: not applicable ("—"), never behind.
  absl::StatusOr<std::vector<TargetStatus>> bing = EvaluateTargets(*set, result, 0, schedule);
  ASSERT_TRUE(bing.ok()) << bing.status();
  EXPECT_EQ((*bing)[0].source, Source::kAll);
  EXPECT_EQ((*bing)[0].state, TargetState::kMet);
  EXPECT_EQ((*bing)[1].source, Source::kNone);
  EXPECT_EQ((*bing)[1].state, TargetState::kNotApplicable);
  EXPECT_FALSE((*bing)[1].target.value.applicable());
  EXPECT_FALSE((*bing)[1].progress.applicable());
  EXPECT_EQ((*bing)[2].state, TargetState::kNotApplicable);

  // 甲: plan 70% < 75%, gap 5 points, but 占年度计划 builds up through the year:
  // progress 70/75 = 93% >= 75%, on track; started 8 of its own 10: 80% >= 75% on
  // track, gap 2; start_rate 40% < its own 50%: behind (this rate is not paced), gap 10.
  absl::StatusOr<std::vector<TargetStatus>> jia = EvaluateTargets(*set, result, 1, schedule);
  ASSERT_TRUE(jia.ok()) << jia.status();
  EXPECT_EQ((*jia)[0].state, TargetState::kOnTrack);
  EXPECT_TRUE((*jia)[0].gap == Value::Integer(5));
  EXPECT_EQ((*jia)[1].source, Source::kGroup);
  EXPECT_TRUE((*jia)[1].target.value == Value::Integer(10));
  EXPECT_TRUE((*jia)[1].progress == Value::Ratio(4, 5));
  EXPECT_TRUE((*jia)[1].gap == Value::Integer(2));
  EXPECT_EQ((*jia)[1].state, TargetState::kOnTrack);
  EXPECT_EQ((*jia)[2].state, TargetState::kBehind);
  EXPECT_TRUE((*jia)[2].gap == Value::Integer(10));

  // 乙: its own 90% (85% not met although above the 75% for all; 85/90 = 94% of it
  // >= 75%: on track); started 30 of 30 met.
  absl::StatusOr<std::vector<TargetStatus>> yi = EvaluateTargets(*set, result, 2, schedule);
  ASSERT_TRUE(yi.ok()) << yi.status();
  EXPECT_EQ((*yi)[0].source, Source::kGroup);
  EXPECT_TRUE((*yi)[0].target.value == Value::Ratio(9, 10));
  EXPECT_EQ((*yi)[0].state, TargetState::kOnTrack);
  // Not paced by the file: behind.
  absl::StatusOr<TargetSet> unpaced = ParseTargetSet(
      "[targets]\nplan_completion = { target = \">= 75%\", paced = false }\n");
  ASSERT_TRUE(unpaced.ok()) << unpaced.status();
  absl::StatusOr<std::vector<TargetStatus>> jia2 = EvaluateTargets(*unpaced, result, 1, schedule);
  ASSERT_TRUE(jia2.ok()) << jia2.status();
  EXPECT_EQ((*jia2)[0].state, TargetState::kBehind);
  EXPECT_EQ((*yi)[1].state, TargetState::kMet);
  EXPECT_TRUE((*yi)[1].gap == Value::Integer(0));

  // The whole scope: the value for all (75%); started_ytd, a count with no value for
  // all: 丙 has no task of its own, so the tasks of 甲 and 乙 (10 + 30) are not the
  // whole's task -- against all three's 42 they would read as met: none; start_rate,
  // a rate, does not add up: none.
  absl::StatusOr<std::vector<TargetStatus>> all = EvaluateTargets(*set, result, 3, schedule);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ((*all)[0].source, Source::kAll);
  EXPECT_EQ((*all)[0].state, TargetState::kMet);
  EXPECT_EQ((*all)[1].source, Source::kNone);
  EXPECT_EQ((*all)[1].state, TargetState::kNotApplicable);
  EXPECT_FALSE((*all)[1].target.value.applicable());
  EXPECT_EQ((*all)[2].source, Source::kNone);
  EXPECT_EQ((*all)[2].state, TargetState::kNotApplicable);

  // The groups the result has, each with its own value (丙 left out, by a filter say):
  // the whole scope's target is their sum, 10 + 30 = 40 (42 met, gap -2).
  Result tasked = result;
  tasked.rows.erase(tasked.rows.begin());
  absl::StatusOr<std::vector<TargetStatus>> sum = EvaluateTargets(*set, tasked, 2, schedule);
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ((*sum)[1].source, Source::kGroupsSum);
  EXPECT_TRUE((*sum)[1].target.value == Value::Integer(40));
  EXPECT_TRUE((*sum)[1].gap == Value::Integer(-2));
  EXPECT_EQ((*sum)[1].state, TargetState::kMet);
  // Only the groups the result has: without 乙, 10.
  tasked.rows.erase(tasked.rows.begin() + 1);
  absl::StatusOr<std::vector<TargetStatus>> part = EvaluateTargets(*set, tasked, 1, schedule);
  ASSERT_TRUE(part.ok()) << part.status();
  EXPECT_EQ((*part)[1].source, Source::kGroupsSum);
  EXPECT_TRUE((*part)[1].target.value == Value::Integer(10));
}

TEST(TargetEvaluation, TasksApplyToTheirGroupingOnly) {
  absl::StatusOr<TargetSet> set = ParseTargetSet(kTasks);
  ASSERT_TRUE(set.ok()) << set.status();
  Result result = ThreeDepartments();
  result.group_by = {Dimension::kCounty};
  absl::StatusOr<std::vector<TargetStatus>> st = EvaluateTargets(*set, result, 0, Value());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(st.status().message(), HasSubstr("breaks its targets down by department"));
  EXPECT_THAT(st.status().message(), HasSubstr("not county"));
}

}  // namespace
}  // namespace keyproj
