// The Chinese paragraphs of a monthly report from a template (narrative.h); the
// template language is documented in docs/report-text.md.
//
// Parse splits the text into literal runs, built-in words ({期间}) and placeholders
// ({investment_ytd|亿元}); every placeholder's expression becomes one custom
// indicator (_t0, _t1, ...) of a single CustomIndicatorSet. Render evaluates that set
// in one query at as_of (and, only when a placeholder asks for 上年 or 同比, in one
// more query a year earlier) and formats each value through DisplayValue.
#include "keyproj/narrative.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <utility>

#include "keyproj/dossier.h"
#include "keyproj/encoding.h"
#include "keyproj/engine.h"
#include "keyproj/indicators.h"
#include "keyproj/internal/error_list.h"
#include "keyproj/internal/rational.h"
#include "keyproj/internal/text.h"
#include "keyproj/report_request.h"
#include "keyproj/value.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::TrimAscii;
using ::keyproj::internal::TrimSpaces;

namespace {

enum class Word : uint8_t {
  kPeriod, kMonth, kYear, kAsOf, kScope, kFunnel, kReportPeriod, kQuarter,
  // The lists of a dossier (docs/report-text.md, "Lists of projects"): they take a
  // money unit and places.
  kProjectList, kLagging, kProblemProjects,
};

bool IsListWord(Word w) { return w == Word::kProjectList || w == Word::kLagging || w == Word::kProblemProjects; }

// How a placeholder's number is written.
enum class Style : uint8_t {
  kPlain,     // "262.9", "8.4%"
  kChange,    // 增减: "增长8.4%", "下降3.0%", "持平"
  kSchedule,  // 超低: "超序时进度7个百分点", "低于序时进度3个百分点", "与序时进度持平"
};

// Which value of the expression a placeholder shows.
enum class Period : uint8_t {
  kNow,     // at as_of
  kPrev,    // 上年: at the same date a year earlier
  kGrowth,  // 同比: now / a year earlier - 1
};

}  // namespace

struct NarrativeTemplate::Piece {
  enum Kind : uint8_t { kText, kWord, kValue, kLineIf };
  Kind kind = kText;
  std::string text;          // kText
  Word word = Word::kScope;  // kWord
  // kValue, kLineIf: the placeholder's custom indicator (index in custom_).
  int indicator = -1;
  Period period = Period::kNow;
  Style style = Style::kPlain;
  Unit unit = Unit::kCount;  // the unit of the shown value
  int places = -1;           // -1: the default (see PlacesFor)
  std::optional<MoneyUnit> money_unit;
  // 金额: money written with its unit, 亿元 from 1亿元 up and 万元 below (unless a
  // money unit word fixes it), so that a small county's 38万元 is not "0.0亿元".
  bool amount = false;
  // A plain catalogue id (possibly filtered) shown as it is: its catalogue default
  // places and RenderOptions::places apply.
  const IndicatorDef* def = nullptr;
  // kLineIf: `?!` (emit when zero) instead of `?` (emit when non-zero), and the
  // index of the first piece after the line.
  bool negate = false;
  size_t line_end = 0;
};

namespace {

using Piece = NarrativeTemplate::Piece;

constexpr std::string_view kDefaultText =
    "{期间}，{范围}重点项目完成投资{investment_ytd|金额}，同比{yoy_growth|增减}，"
    "占年度计划的{plan_completion}，{schedule_gap_pp|超低}。\n"
    "\n"
    "{范围}纳入调度的重点项目{projects}个，{期间}新开工{started_ytd}个、竣工{completed_ytd}个，"
    "项目开工率{start_rate}。\n"
    "\n"
    "?{approvals_done_ytd + approvals_pending}前期手续方面，{期间}{范围}共完成立项可研报告批复"
    "{approvals_done_ytd.approval + approvals_done_ytd.feasibility|个}项，拿地即开工项目{land_to_start_ytd}项，"
    "征地拆迁{approvals_done_ytd.land_acquisition}项；具备开工条件项目{ready_to_start}个，"
    "尚有{approvals_pending}项前期手续未办结。\n"
    "?{approvals_done_ytd + approvals_pending}\n"
    "招商引资方面，{招商漏斗}；签约总投资{contracted_investment|金额}，"
    "履约率{performance_rate}；{期间}到位资金{funds_arrived_ytd|金额}，"
    "资金到位率{funds_arrival_rate}。\n"
    "\n"
    "向上争取方面，{年}年共向上申报项目{support_applied_projects}个、申报资金{support_requested|金额}，"
    "争取上级资金支持项目{supported_projects}个，争取资金{support_approved|金额}。\n"
    "?{late_reports + stalled + behind_schedule + overdue_start + blocked_start + signed_not_started + started_without_permit}\n"
    "?{late_reports + stalled + behind_schedule + overdue_start + blocked_start + signed_not_started + started_without_permit}需要关注的问题：\n"
    "?{late_reports}{月份}有{late_reports}个项目未按时报送月报，请相关单位及时报送。\n"
    "?{stalled}有{stalled}个项目停工或连续多月未完成投资，请项目单位加快推进。\n"
    "?{behind_schedule}有{behind_schedule}个项目投资完成进度明显滞后于序时进度，需重点督导。\n"
    "?{overdue_start}有{overdue_start}个项目已过计划开工时间仍未开工，需倒排工期、加快推进。\n"
    "?{blocked_start}有{blocked_start}个项目已到计划开工时间但前期手续尚未办结，需加快审批。\n"
    "?{signed_not_started}有{signed_not_started}个签约项目长期未开工，需跟踪推进落地。\n"
    "?{started_without_permit}有{started_without_permit}个项目未取得施工许可即开工，需督促补办手续。\n";

// The quarter bulletin (季通报; examples/templates/quarter.txt is a copy of it): the
// year so far under the bulletin's name for it ({报告期}: 前三季度), then the quarter
// ({季度}: 三季度) against the same quarter a year earlier -- unless the quarter is
// the year so far (the first quarter), which the first sentence has said already.
constexpr std::string_view kQuarterText =
    "?{investment_ytd - investment_quarter}"
    "{报告期}，{范围}重点项目完成投资{investment_ytd|金额}，同比{yoy_growth|增减}，"
    "占年度计划的{plan_completion}，{schedule_gap_pp|超低}。"
    "其中{季度}完成投资{investment_quarter|金额}，同比{quarter_yoy_growth|增减}。\n"
    "?!{investment_ytd - investment_quarter}"
    "{报告期}，{范围}重点项目完成投资{investment_ytd|金额}，同比{yoy_growth|增减}，"
    "占年度计划的{plan_completion}，{schedule_gap_pp|超低}。\n"
    "\n"
    "?{started_ytd - started_quarter + completed_ytd - completed_quarter}"
    "{范围}纳入调度的重点项目{projects}个，{报告期}新开工{started_ytd}个、竣工{completed_ytd}个，"
    "项目开工率{start_rate}。{季度}新开工{started_quarter}个、竣工{completed_quarter}个、"
    "签约{signed_quarter}个，上年同期分别为{started_quarter_last_year}个、"
    "{completed_quarter_last_year}个、{signed_quarter_last_year}个。\n"
    "?!{started_ytd - started_quarter + completed_ytd - completed_quarter}"
    "{范围}纳入调度的重点项目{projects}个，项目开工率{start_rate}。"
    "{季度}新开工{started_quarter}个、竣工{completed_quarter}个、"
    "签约{signed_quarter}个，上年同期分别为{started_quarter_last_year}个、"
    "{completed_quarter_last_year}个、{signed_quarter_last_year}个。\n"
    "?{plan_next_years}\n"
    "?{plan_next_years}滚动计划方面，{范围}重点项目{年}年以后各年度计划投资{plan_next_years|金额}。\n"
    "?{behind_schedule + stalled + overdue_start}\n"
    "?{behind_schedule + stalled + overdue_start}需要关注的问题：\n"
    "?{behind_schedule}有{behind_schedule}个项目投资完成进度明显滞后于序时进度，需重点督导。\n"
    "?{stalled}有{stalled}个项目停工或连续多月未完成投资，请项目单位加快推进。\n"
    "?{overdue_start}有{overdue_start}个项目已过计划开工时间仍未开工，需倒排工期、加快推进。\n";

// ---- positions ------------------------------------------------------------------

// The line being parsed and the column (1-based, in code points) of a byte offset
// on it, for error messages.
class Positions {
 public:
  explicit Positions(std::string_view text) : text_(text) {}
  void NewLine(size_t line_start) {
    ++line_;
    line_start_ = line_start;
  }
  int Column(size_t offset) const {
    int col = 1;
    for (size_t i = line_start_; i < offset && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;
    }
    return col;
  }
  absl::Status Error(size_t offset, std::string_view what) const {
    return absl::InvalidArgumentError(Cat("line ", line_, ", column ", Column(offset), ": ", what));
  }
  absl::Status ErrorAtColumn(int column, std::string_view what) const {
    return absl::InvalidArgumentError(Cat("line ", line_, ", column ", column, ": ", what));
  }

 private:
  std::string_view text_;
  int line_ = 1;
  size_t line_start_ = 0;
};

bool StartsWith(std::string_view s, size_t at, std::string_view prefix) {
  return s.size() >= at + prefix.size() && s.substr(at, prefix.size()) == prefix;
}

std::optional<Word> FindWord(std::string_view w) {
  if (w == "期间") return Word::kPeriod;
  if (w == "月份") return Word::kMonth;
  if (w == "年") return Word::kYear;
  if (w == "截至") return Word::kAsOf;
  if (w == "范围") return Word::kScope;
  if (w == "招商漏斗") return Word::kFunnel;
  if (w == "报告期") return Word::kReportPeriod;
  if (w == "季度") return Word::kQuarter;
  if (w == "项目清单") return Word::kProjectList;
  if (w == "滞后项目") return Word::kLagging;
  if (w == "问题项目") return Word::kProblemProjects;
  return std::nullopt;
}

constexpr std::string_view kWordList = "期间, 月份, 年, 截至, 范围, 招商漏斗, 报告期, 季度, 项目清单, 滞后项目, 问题项目";
constexpr std::string_view kFormatList =
    "亿元, 万元, 金额, a number of places (0-6), 增减, 超低, 上年, 同比, or a unit: rate (%), money, count (个), "
    "points (百分点), multiple (倍), months (月)";

std::string_view UnitName(Unit u) {
  switch (u) {
    case Unit::kCount: return "a count";
    case Unit::kMoney: return "money";
    case Unit::kRate: return "a rate";
    case Unit::kPoints: return "percentage points";
    case Unit::kMultiple: return "a multiple";
    case Unit::kMonths: return "a number of months";
  }
  return "a value";
}

// One part of a placeholder's body: its text and byte offset in the template.
struct Segment {
  std::string_view text;
  size_t offset = 0;
};

// Splits a placeholder body at '|' (or '｜') outside [...] and "...": the
// expression, then its format words.
std::vector<Segment> SplitBody(std::string_view body, size_t offset) {
  std::vector<Segment> out;
  int depth = 0;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < body.size();) {
    const char c = body[i];
    size_t width = 1;  // of a separator
    bool separator = false;
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (c == '[' || StartsWith(body, i, "［")) ++depth;
      if ((c == ']' || StartsWith(body, i, "］")) && depth > 0) --depth;
      if (depth == 0 && c == '|') separator = true;
      if (depth == 0 && StartsWith(body, i, "｜")) {
        separator = true;
        width = 3;
      }
    }
    if (separator) {
      out.push_back({body.substr(start, i - start), offset + start});
      start = i + width;
    }
    i += separator ? width : 1;
  }
  out.push_back({body.substr(start), offset + start});
  return out;
}

// Leading white space of a segment, so that columns point at its first character.
Segment TrimSegment(Segment s) {
  const std::string_view t = TrimSpaces(s.text);
  if (!t.empty()) s.offset += static_cast<size_t>(t.data() - s.text.data());
  s.text = t;
  return s;
}

// The column an expression error names ("column 17: ..."), and the rest of it.
std::pair<int, std::string_view> SplitColumn(std::string_view message) {
  int column = 0;
  if (StartsWith(message, 0, "column ")) {
    size_t i = 7;
    while (i < message.size() && message[i] >= '0' && message[i] <= '9') {
      column = column * 10 + (message[i] - '0');
      ++i;
    }
    if (StartsWith(message, i, ": ")) return {column, message.substr(i + 2)};
  }
  return {0, message};
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A placeholder's expression and format words, parsed. `condition`: the `?{...}` of a
// conditional line, whose value only has to be zero or not, so needs no unit.
struct Placeholder {
  std::optional<Word> word;
  Piece piece;
  CustomIndicator custom;
};

absl::StatusOr<Placeholder> ParsePlaceholder(const Positions& pos, size_t open, std::string_view body,
                                             bool condition, int index) {
  const std::vector<Segment> parts = SplitBody(body, open + 1);
  const Segment expr = TrimSegment(parts[0]);
  Placeholder out;
  if (expr.text.empty()) {
    return pos.Error(open, "empty placeholder (write '{{' for a literal '{')");
  }
  if (std::optional<Word> w = FindWord(expr.text)) {
    if (condition) return pos.Error(expr.offset, Cat("'", expr.text, "' is a word, not a value to test"));
    if (parts.size() > 1 && !IsListWord(*w)) {
      return pos.Error(parts[1].offset, Cat("the word '", expr.text, "' takes no format words"));
    }
    // A list's money: a unit and places, each at most once.
    for (size_t i = 1; i < parts.size(); ++i) {
      const Segment f = TrimSegment(parts[i]);
      if (const std::optional<MoneyUnit> money = ParseEnum<MoneyUnit>(f.text); money && f.text == EnumLabel(*money)) {
        if (out.piece.money_unit) return pos.Error(f.offset, Cat("a second money unit ('", f.text, "')"));
        out.piece.money_unit = *money;
      } else if (AllDigits(f.text) && f.text.size() == 1 && f.text[0] <= '6') {
        if (out.piece.places >= 0) return pos.Error(f.offset, Cat("a second number of places ('", f.text, "')"));
        out.piece.places = f.text[0] - '0';
      } else {
        return pos.Error(f.offset, Cat("the list '", expr.text, "' takes only a money unit (亿元, 万元) and places (0-6), not '",
                                       f.text, "'"));
      }
    }
    out.word = w;
    return out;
  }

  // The expression, as the custom-indicator language reads it.
  absl::StatusOr<Expression> parsed = Expression::Parse(parts[0].text);
  if (!parsed.ok()) {
    const std::string message(parsed.status().message());
    const auto [column, reason] = SplitColumn(message);
    const int base = pos.Column(parts[0].offset);
    const int at = column > 0 ? base + column - 1 : pos.Column(expr.offset);
    if ((static_cast<unsigned char>(expr.text[0]) & 0x80) != 0 && at == pos.Column(expr.offset)) {
      return pos.ErrorAtColumn(at, Cat("unknown word '", expr.text, "' (the words are ", kWordList,
                                       "; anything else is an indicator expression such as investment_ytd)"));
    }
    return pos.ErrorAtColumn(at, reason);
  }
  Piece& p = out.piece;
  p.kind = condition ? Piece::kLineIf : Piece::kValue;
  p.indicator = index;
  const bool plain = parsed->terms().size() == 1 && parsed->ToString() == parsed->terms()[0].text;
  if (plain) p.def = parsed->terms()[0].indicator.def;

  // Format words.
  std::optional<Unit> unit;  // named by a unit word
  size_t unit_at = 0;
  bool places_seen = false, period_seen = false, style_seen = false, amount_seen = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    const Segment f = TrimSegment(parts[i]);
    const std::string_view w = f.text;
    if (w.empty()) return pos.Error(parts[i].offset, Cat("empty format word (expected ", kFormatList, ")"));
    auto once = [&](bool& seen, std::string_view what) -> absl::Status {
      if (seen) return pos.Error(f.offset, Cat("a second ", what, " ('", w, "')"));
      seen = true;
      return absl::OkStatus();
    };
    absl::Status st;
    if (const std::optional<MoneyUnit> money = ParseEnum<MoneyUnit>(w); money && w == EnumLabel(*money)) {
      if (p.money_unit) return pos.Error(f.offset, Cat("a second money unit ('", w, "')"));
      p.money_unit = *money;
    } else if (AllDigits(w)) {
      if (w.size() > 1 || w[0] > '6') return pos.Error(f.offset, Cat("places must be 0 to 6, not '", w, "'"));
      st = once(places_seen, "number of places");
      p.places = w[0] - '0';
    } else if (w == "金额") {
      st = once(amount_seen, "金额");
      p.amount = true;
    } else if (w == "增减" || w == "超低") {
      st = once(style_seen, "of 增减 and 超低");
      p.style = w == "增减" ? Style::kChange : Style::kSchedule;
    } else if (w == "上年" || w == "同比") {
      st = once(period_seen, "of 上年 and 同比");
      p.period = w == "上年" ? Period::kPrev : Period::kGrowth;
    } else if (absl::StatusOr<Unit> u = ParseUnit(w); u.ok()) {
      if (unit) return pos.Error(f.offset, Cat("a second unit ('", w, "')"));
      unit = *u;
      unit_at = f.offset;
    } else {
      return pos.Error(f.offset, Cat("unknown format word '", w, "' (expected ", kFormatList, ")"));
    }
    if (!st.ok()) return st;
  }

  // The unit of the expression's value.
  // Errors below are at the expression (pos.Error counts the column only then: a
  // line of thousands of placeholders made counting each one quadratic).
  Unit value_unit;
  if (plain) {
    value_unit = p.def->unit;
    if (unit && *unit != value_unit) {
      return pos.Error(unit_at, Cat("'", parsed->terms()[0].indicator.id, "' is ", UnitName(value_unit), ", not ",
                                    UnitName(*unit)));
    }
  } else if (unit) {
    value_unit = *unit;
  } else if ((p.money_unit || p.amount) && p.period != Period::kGrowth) {
    value_unit = Unit::kMoney;
  } else if (condition || p.period == Period::kGrowth) {
    value_unit = Unit::kMultiple;  // only its sign, or a ratio of two of it, is used
  } else if (p.style == Style::kChange) {
    value_unit = Unit::kRate;  // a growth: "同比{a / b - 1|增减}"
  } else if (p.style == Style::kSchedule) {
    value_unit = Unit::kPoints;
  } else {
    return pos.Error(
        expr.offset, Cat("'", expr.text,
                      "' is a calculation: name its unit with a format word (rate or %, money or 亿元/万元, count "
                      "or 个, points, multiple, months)"));
  }
  p.unit = p.period == Period::kGrowth ? Unit::kRate : value_unit;
  if (p.period == Period::kGrowth) p.def = nullptr;  // a growth is not the indicator itself

  if (!condition) {
    if ((p.money_unit || p.amount) && p.unit != Unit::kMoney) {
      return pos.Error(expr.offset, Cat("'", expr.text, "' ", p.period == Period::kGrowth ? "with 同比 " : "",
                                             "is ", UnitName(p.unit), ": ", p.amount ? "金额 applies" : "亿元 and 万元 apply",
                                             " to money"));
    }
    if (p.style == Style::kSchedule && p.unit != Unit::kPoints) {
      return pos.Error(expr.offset, Cat("'", expr.text, "' is ", UnitName(p.unit),
                                             ": 超低 applies to percentage points (schedule_gap_pp)"));
    }
  }
  out.custom = CustomIndicator{Cat("_t", index), std::string(expr.text), value_unit, 2, std::string(parts[0].text)};
  return out;
}

// ---- values -----------------------------------------------------------------------

bool MulOk(int128 a, int128 b, int128* out) { return !__builtin_mul_overflow(a, b, out); }

// now / before - 1, exactly; not applicable when either is, when before is zero or
// when the exact result does not fit.
Value Growth(const Value& now, const Value& before) {
  if (!now.applicable() || !before.applicable() || before.sign() == 0) return Value();
  int128 ad, bc, den, num;
  if (!MulOk(now.num(), before.den(), &ad) || !MulOk(before.num(), now.den(), &bc) ||
      !MulOk(now.den(), before.num(), &den) || __builtin_sub_overflow(ad, bc, &num)) {
    return Value();
  }
  return Value::Ratio(num, den);
}

Value Abs(const Value& v) {
  if (!v.applicable() || v.num() >= 0) return v;
  if (v.num() == std::numeric_limits<int128>::min()) return Value();
  return Value::Ratio(-v.num(), v.den());
}

int PlacesFor(const Piece& p, MoneyUnit money_unit, const RenderOptions& options) {
  if (p.places >= 0) return p.places;
  // A caller's --places applies to a catalogue figure shown as it is.
  const std::string_view id = p.def != nullptr && p.period == Period::kNow ? p.def->id : std::string_view();
  return DisplayPlaces(id, p.unit, p.def != nullptr ? p.def->places : DefaultPlaces(p.unit), money_unit, options);
}

// The money unit a piece shows `v` in: its own word's, else for 金额 亿元 from 1亿元 up
// and 万元 below -- by the figure as 万元 would show it, so that 9999.996万元 is
// 1.0亿元, not "10000.00万元" -- else the caller's.
MoneyUnit MoneyUnitFor(const Piece& p, const Value& v, const RenderOptions& options) {
  if (p.money_unit) return *p.money_unit;
  if (!p.amount) return options.money_unit;
  if (!v.applicable()) return MoneyUnit::kWan;
  const std::string wan = DisplayValue(Abs(v), Unit::kMoney, PlacesFor(p, MoneyUnit::kWan, options), MoneyUnit::kWan);
  const size_t whole = std::min(wan.find('.'), wan.size());  // digits before the point
  return whole > 4 ? MoneyUnit::kYi : MoneyUnit::kWan;
}

std::string Show(const Piece& p, const Value& v, const RenderOptions& options) {
  const MoneyUnit money_unit = MoneyUnitFor(p, v, options);
  const int places = PlacesFor(p, money_unit, options);
  // 金额 writes the unit after the figure; nothing after "—" or 持平.
  const std::string_view unit_text = p.amount && v.applicable() ? EnumLabel(money_unit) : std::string_view();
  if (p.style == Style::kPlain) return Cat(DisplayValue(v, p.unit, places, money_unit), unit_text);
  if (!v.applicable()) return "—";
  const std::string size = Cat(DisplayValue(Abs(v), p.unit, places, money_unit), unit_text);
  const bool zero = size == Cat(DisplayValue(Value::Integer(0), p.unit, places, money_unit), unit_text);
  if (p.style == Style::kSchedule) {
    if (zero) return "与序时进度持平";
    return Cat(v.sign() > 0 ? "超序时进度" : "低于序时进度", size, "个百分点");
  }
  if (zero) return "持平";
  const bool up = v.sign() > 0;
  switch (p.unit) {
    case Unit::kRate: return Cat(up ? "增长" : "下降", size);
    case Unit::kPoints: return Cat(up ? "提高" : "降低", size);
    default: return Cat(up ? "增加" : "减少", size);
  }
}

// The same date a year earlier (29 February becomes 28 February).
Date YearEarlier(Date d) {
  const YearMonthDay ymd = d.ymd();
  for (int day = ymd.day; day >= 1; --day) {
    if (std::optional<Date> e = Date::FromYmd(ymd.year - 1, ymd.month, day)) return *e;
  }
  return d;
}

// "7-9月份", or "7月份" for one month.
std::string MonthsText(int first, int last) {
  return first == last ? Cat(first, "月份") : Cat(first, "-", last, "月份");
}

// As_of is the last day of March, June, September or December: a bulletin's date.
bool IsQuarterEnd(Date as_of) {
  const Month m = Month::Of(as_of);
  return m.month() % 3 == 0 && as_of == m.last_day();
}

// {报告期}: the year so far as a quarter bulletin names it at a quarter's end, else the
// months as {期间} does (docs/report-text.md, "Periods").
std::string ReportPeriodText(Date as_of) {
  static constexpr std::string_view kNames[] = {"一季度", "上半年", "前三季度", "全年"};
  const int month = as_of.ymd().month;
  return IsQuarterEnd(as_of) ? std::string(kNames[month / 3 - 1]) : MonthsText(1, month);
}

// {季度}: the quarter holding as_of -- its name when as_of is its last day, else its
// months so far, which are what the quarter figures cover (7-8月份 on 31 August).
std::string QuarterWordText(Date as_of) {
  static constexpr std::string_view kNames[] = {"一季度", "二季度", "三季度", "四季度"};
  const int month = as_of.ymd().month, first = (month - 1) / 3 * 3 + 1;
  return IsQuarterEnd(as_of) ? std::string(kNames[month / 3 - 1]) : MonthsText(first, month);
}

std::string WordText(Word w, Date as_of, const Report& report) {
  const YearMonthDay ymd = as_of.ymd();
  switch (w) {
    case Word::kPeriod: return MonthsText(1, ymd.month);
    case Word::kMonth: return Cat(ymd.month, "月份");
    case Word::kYear: return Cat(ymd.year);
    case Word::kAsOf: return ChineseDate(as_of);
    case Word::kScope: return report.scope_name;
    case Word::kFunnel: break;  // FunnelSentence: it needs the ledger
    case Word::kReportPeriod: return ReportPeriodText(as_of);
    case Word::kQuarter: return QuarterWordText(as_of);
    case Word::kProjectList:
    case Word::kLagging:
    case Word::kProblemProjects: break;  // ListText: they need the evaluated lists
  }
  return {};
}

// {招商漏斗}: one row of the funnel (FunnelSteps) as a bureau writes it:
// "意向项目40个，签约32个（转化率80.0%），开工20个（转化率62.5%），竣工…，投产…"; a
// conversion over zero is left out. The whole scope's is the last row; a dossier
// group's, its own.
std::string FunnelSentence(const ReportTable& funnel, size_t row, const RenderOptions& options) {
  const Result& r = funnel.result;
  std::string out;
  for (const FunnelStep& step : FunnelSteps()) {
    const int stage = r.column(step.stage);
    if (stage < 0) continue;
    internal::Append(&out, out.empty() ? "" : "，", step.word, DisplayCell(r, row, static_cast<size_t>(stage), options),
                     "个");
    const int conversion = step.conversion.empty() ? -1 : r.column(step.conversion);
    if (conversion >= 0 && r.rows[row].values[static_cast<size_t>(conversion)].applicable()) {
      internal::Append(&out, "（转化率", DisplayCell(r, row, static_cast<size_t>(conversion), options), "）");
    }
  }
  return out;
}

// ---- the lists of a dossier ({项目清单}, {滞后项目}, {问题项目}) ------------------------

// The catalogue lists behind the list words (docs/indicators.md).
constexpr std::string_view kProjectListId = "project_list";
constexpr std::string_view kLaggingId = "behind_schedule";
constexpr std::string_view kScheduleId = "schedule";
constexpr std::string_view kProblemsId = "problems_open";

// Money of a list in the unit the word asks for (else the caller's), with its unit
// word: "3.00亿元" is 3.0 in 亿元 rounded half-up for display only (DisplayValue).
std::string ListMoney(int64_t fen, const Piece& p, const RenderOptions& options) {
  const MoneyUnit unit = p.money_unit.value_or(options.money_unit);
  const int places = p.places >= 0 ? p.places : DisplayPlaces("", Unit::kMoney, 2, unit, options);
  return Cat(DisplayValue(Value::Integer(fen), Unit::kMoney, places, unit), EnumLabel(unit));
}

// A project's own plan_completion at as_of: its investment in the year up to as_of
// over its plan for the year (what plan_completion is for a group of one); not
// applicable without a plan.
Value OwnCompletion(const Ledger& ledger, uint32_t p, Date as_of, int64_t* plan_out, int64_t* ytd_out) {
  const Periods periods = Periods::For(as_of);
  const int64_t plan = ledger.Plan(p, periods.year);
  const int64_t ytd = ledger.Investment(p, periods.ytd);
  *plan_out = plan;
  *ytd_out = ytd;
  if (plan == kNoMoney || plan <= 0) return Value();
  return Value::Ratio(ytd, plan);
}

std::string Rate(const Value& v, const RenderOptions& options) {
  return DisplayValue(v, Unit::kRate, DisplayPlaces("plan_completion", Unit::kRate, 1, options.money_unit, options),
                      options.money_unit);
}

// The items of a list as lines: "（1）…" in text, "- …" in Markdown; "无" when empty.
std::string ListLines(const std::vector<std::string>& items, ListStyle style) {
  if (items.empty()) return "无";
  std::string out;
  for (size_t k = 0; k < items.size(); ++k) {
    if (k > 0) out += "\n";
    if (style == ListStyle::kBullets) {
      internal::Append(&out, "- ", items[k]);
    } else {
      internal::Append(&out, "（", k + 1, "）", items[k]);
    }
  }
  return out;
}

// The projects a catalogue list gives row `row` of `r`; none when the column is absent.
const std::vector<uint32_t>& ListedProjects(const Result& r, size_t row, std::string_view id) {
  static const std::vector<uint32_t> kNone;
  const int col = r.column(id);
  return col < 0 ? kNone : r.rows[row].projects[static_cast<size_t>(col)];
}

// The text of a list word for row `row` of the evaluated result.
std::string ListText(const Piece& piece, const Ledger& ledger, const Result& r, size_t row, Date as_of,
                     const RenderOptions& options, ListStyle style) {
  std::vector<std::string> items;
  switch (piece.word) {
    case Word::kProjectList:
      // 名称：年度计划3.00亿元，累计完成1.20亿元，完成率40.0%
      for (uint32_t p : ListedProjects(r, row, kProjectListId)) {
        int64_t plan = 0, ytd = 0;
        const Value completion = OwnCompletion(ledger, p, as_of, &plan, &ytd);
        items.push_back(Cat(ledger.name(p), "：年度计划",
                            plan == kNoMoney ? std::string("未填报") : ListMoney(plan, piece, options), "，累计完成",
                            ListMoney(ytd, piece, options), "，完成率", Rate(completion, options)));
      }
      break;
    case Word::kLagging: {
      // 名称：年度计划…，累计完成…，完成率16.0%，序时进度41.7% (behind_schedule's projects:
      // more than its margin below 序时进度)
      const int schedule = r.column(kScheduleId);
      const Value due = schedule < 0 ? Value() : r.rows[row].values[static_cast<size_t>(schedule)];
      for (uint32_t p : ListedProjects(r, row, kLaggingId)) {
        int64_t plan = 0, ytd = 0;
        const Value completion = OwnCompletion(ledger, p, as_of, &plan, &ytd);
        items.push_back(Cat(ledger.name(p), "：年度计划", ListMoney(plan, piece, options), "，累计完成",
                            ListMoney(ytd, piece, options), "，完成率", Rate(completion, options), "，序时进度",
                            Rate(due, options)));
      }
      break;
    }
    case Word::kProblemProjects: {
      // 名称：用地指标未落实（土地，责任单位：区自然资源局，时限：2024年6月30日，已超期92天）；…
      const internal::ProblemColumns& q = internal::Columns(ledger).problems;
      const int32_t d = as_of.days();
      // problems.csv's rows are in file order: one pass puts each open row with its
      // listed project (the list is sorted), rather than a pass per project.
      const auto& listed = ListedProjects(r, row, kProblemsId);
      std::vector<std::vector<size_t>> rows_of(listed.size());
      for (size_t i = 0; i < q.project.size(); ++i) {
        const auto at = std::lower_bound(listed.begin(), listed.end(), q.project[i]);
        if (at == listed.end() || *at != q.project[i] || !internal::ProblemOpenOn(q, i, d)) continue;
        rows_of[static_cast<size_t>(at - listed.begin())].push_back(i);
      }
      for (size_t k = 0; k < listed.size(); ++k) {
        std::string line = Cat(ledger.name(listed[k]), "：");
        bool first = true;
        for (size_t i : rows_of[k]) {
          const std::string_view description = ledger.text(q.description[i]);
          const std::string_view owner = ledger.text(q.owner[i]);
          internal::Append(&line, first ? "" : "；", description.empty() ? EnumLabel(q.kind[i]) : description, "（",
                           EnumLabel(q.kind[i]));
          if (!owner.empty()) internal::Append(&line, "，责任单位：", owner);
          if (q.due[i] != kNoDay) {
            internal::Append(&line, "，时限：", ChineseDate(Date::FromDays(q.due[i])));
            if (q.due[i] < d) internal::Append(&line, "，已超期", d - q.due[i], "天");
          }
          line += "）";
          first = false;
        }
        items.push_back(std::move(line));
      }
      break;
    }
    default: break;
  }
  return ListLines(items, style);
}

}  // namespace

// ---- NarrativeTemplate ----------------------------------------------------------------

NarrativeTemplate::NarrativeTemplate() = default;
NarrativeTemplate::~NarrativeTemplate() = default;
NarrativeTemplate::NarrativeTemplate(NarrativeTemplate&&) noexcept = default;
NarrativeTemplate& NarrativeTemplate::operator=(NarrativeTemplate&&) noexcept = default;

std::string_view NarrativeTemplate::DefaultText() { return kDefaultText; }

std::string_view NarrativeTemplate::QuarterText() { return kQuarterText; }

std::optional<std::string_view> NarrativeTemplate::BuiltInText(std::string_view name) {
  if (name == "monthly") return kDefaultText;
  if (name == "quarter") return kQuarterText;
  if (name == "leader") return LeaderDossierText();
  return std::nullopt;
}

absl::StatusOr<NarrativeTemplate> NarrativeTemplate::Parse(std::string_view text) {
  return internal::NoThrow("reading the report template", [&]() -> absl::StatusOr<NarrativeTemplate> {
    if (StartsWith(text, 0, "\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM from Notepad
    // A template is UTF-8 text: other bytes would reach the report as they are, or fail
    // its GB18030 encoding with an offset that names neither the template nor the line.
    if (const size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
      Positions at(text);
      for (size_t nl = text.find('\n'); nl < bad; nl = text.find('\n', nl + 1)) at.NewLine(nl + 1);
      return at.Error(bad, "not UTF-8 text (save the template as UTF-8)");
    }
    NarrativeTemplate t;
    internal::ErrorList problems;  // all of them, not the first
    std::vector<CustomIndicator> customs;
    std::vector<bool> now, prev;  // per custom indicator: needed at as_of / a year earlier
    Positions pos(text);
    std::string literal;
    std::optional<size_t> open_line;  // the kLineIf piece of the current line
    auto flush = [&] {
      if (literal.empty()) return;
      Piece p;
      p.kind = Piece::kText;
      p.text = std::move(literal);
      literal.clear();
      t.pieces_.push_back(std::move(p));
    };
    // A placeholder whose '{' is at `open`; returns the offset to read on from: after
    // its '}', or -- a problem kept -- where the reading can go on.
    auto placeholder = [&](size_t open, bool condition, bool negate) -> size_t {
      size_t close = open + 1;
      bool quoted = false;
      for (; close < text.size(); ++close) {
        const char c = text[close];
        if (c == '\n' || c == '\r') break;
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == '}' || c == '{')) break;
      }
      if (close >= text.size() || text[close] != '}') {
        if (close < text.size() && text[close] == '{') {
          problems.Ok(pos.Error(close, "'{' inside a placeholder (is a '}' missing?)"));
        } else {
          problems.Ok(pos.Error(open, "'{' is not closed on its line (write '{{' for a literal '{')"));
        }
        // Read on at the next line: what follows on this one is the same typo's.
        return std::min(text.size(), text.find('\n', close));
      }
      const int index = static_cast<int>(customs.size());
      absl::StatusOr<Placeholder> ph = ParsePlaceholder(pos, open, text.substr(open + 1, close - open - 1), condition, index);
      if (!problems.Ok(ph.status())) return close + 1;
      flush();
      if (ph->word) {
        Piece p = std::move(ph->piece);  // a list's money unit and places
        p.kind = Piece::kWord;
        p.word = *ph->word;
        t.pieces_.push_back(std::move(p));
      } else {
        ph->piece.negate = negate;
        if (condition) open_line = t.pieces_.size();
        now.push_back(ph->piece.period != Period::kPrev);
        prev.push_back(ph->piece.period != Period::kNow);
        t.pieces_.push_back(std::move(ph->piece));
        customs.push_back(std::move(ph->custom));
      }
      return close + 1;
    };
    auto end_line = [&] {
      flush();
      if (open_line) t.pieces_[*open_line].line_end = t.pieces_.size();
      open_line.reset();
    };

    bool line_start = true;
    size_t i = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (line_start && c == '?' && (StartsWith(text, i + 1, "{") || StartsWith(text, i + 1, "!{")) &&
          !StartsWith(text, i + 1, "{{")) {
        const bool negate = text[i + 1] == '!';
        i = placeholder(i + (negate ? 2 : 1), /*condition=*/true, negate);
        line_start = false;
        continue;
      }
      line_start = false;
      if (c == '\n') {
        literal.push_back(c);
        end_line();
        ++i;
        pos.NewLine(i);
        line_start = true;
        continue;
      }
      if (c == '{' || c == '}') {
        if (i + 1 < text.size() && text[i + 1] == c) {
          literal.push_back(c);
          i += 2;
          continue;
        }
        if (c == '}') {
          problems.Ok(pos.Error(i, "'}' without a '{' (write '}}' for a literal '}')"));
          ++i;
          continue;
        }
        i = placeholder(i, /*condition=*/false, false);
        continue;
      }
      literal.push_back(c);
      ++i;
    }
    end_line();
    if (!problems.empty()) return problems.status();

    if (!customs.empty()) {
      absl::StatusOr<CustomIndicatorSet> set = CustomIndicatorSet::Compile(std::move(customs));
      if (!set.ok()) return set.status();
      t.custom_ = std::make_shared<const CustomIndicatorSet>(*std::move(set));
      for (size_t k = 0; k < now.size(); ++k) {
        if (now[k]) t.now_ids_.push_back(Cat("_t", k));
        if (prev[k]) t.prev_ids_.push_back(Cat("_t", k));
      }
    }
    return t;
  });
}

absl::StatusOr<std::string> NarrativeTemplate::Render(const Ledger& ledger, const Query& base, const Report& report,
                                                      const RenderOptions& options) const {
  return internal::NoThrow("writing the report text", [&]() -> absl::StatusOr<std::string> {
    absl::StatusOr<std::vector<GroupText>> rows =
        RenderRows(ledger, base, std::nullopt, report, options, ListStyle::kLines, nullptr);
    if (!rows.ok()) return rows.status();
    return std::move(rows->front().text);
  });
}

absl::StatusOr<std::vector<GroupText>> NarrativeTemplate::RenderGroups(
    const Ledger& ledger, const Query& base, Dimension by, const Report& report, const RenderOptions& options,
    ListStyle style, const std::function<std::string(std::string_view key)>& scope_name) const {
  return internal::NoThrow("writing the dossiers", [&]() -> absl::StatusOr<std::vector<GroupText>> {
    return RenderRows(ledger, base, by, report, options, style, &scope_name);
  });
}

absl::StatusOr<std::vector<GroupText>> NarrativeTemplate::RenderRows(
    const Ledger& ledger, const Query& base, std::optional<Dimension> by, const Report& report,
    const RenderOptions& options, ListStyle style,
    const std::function<std::string(std::string_view key)>* scope_name) const {
  const size_t n = custom_ == nullptr ? 0 : custom_->indicators().size();
  // The catalogue lists the list words show (and, for groups, project_list: which
  // groups have projects), evaluated in the same pass as the placeholders.
  std::vector<std::string> lists;
  bool funnel = false;
  auto want = [&](std::string_view id) {
    if (std::find(lists.begin(), lists.end(), id) == lists.end()) lists.emplace_back(id);
  };
  // Which groups have projects; for the whole scope, whether it has any (when the
  // template states a figure: words alone need no query).
  if (by || !now_ids_.empty() || !prev_ids_.empty()) want(kProjectListId);
  for (const Piece& p : pieces_) {
    if (p.kind != Piece::kWord) continue;
    if (p.word == Word::kProjectList) want(kProjectListId);
    if (p.word == Word::kLagging) {
      want(kLaggingId);
      want(kScheduleId);
    }
    if (p.word == Word::kProblemProjects) want(kProblemsId);
    funnel |= p.word == Word::kFunnel;
  }

  // One query at as_of (and one a year earlier for 上年 and 同比), grouped by `by`.
  auto evaluate = [&](Date as_of, const std::vector<std::string>& ids,
                      const std::vector<std::string>& more) -> absl::StatusOr<std::optional<Result>> {
    if (ids.empty() && more.empty()) return std::optional<Result>();
    Query q;
    q.as_of = as_of;
    q.filter = base.filter;
    q.options = base.options;
    if (by) q.group_by = {*by};
    q.indicators = ids;
    q.indicators.insert(q.indicators.end(), more.begin(), more.end());
    q.custom = custom_;
    absl::StatusOr<Result> r = Evaluate(ledger, q);
    if (!r.ok()) return r.status();
    return std::optional<Result>(*std::move(r));
  };
  absl::StatusOr<std::optional<Result>> now_result = evaluate(base.as_of, now_ids_, lists);
  if (!now_result.ok()) return now_result.status();
  absl::StatusOr<std::optional<Result>> prev_result = evaluate(YearEarlier(base.as_of), prev_ids_, {});
  if (!prev_result.ok()) return prev_result.status();
  // The rows to write: the whole scope, or every group with projects (in the grouped
  // result's order: ascending key, as the table grouped by `by` orders them).
  std::vector<size_t> rows;
  if (!by) {
    // A scope with no project (a filter that matches none): every figure would be 0
    // or n/a, and the template's sentences would state them ("完成投资0.00万元，同比—").
    if (*now_result) {
      const Result& r = **now_result;
      const int count = r.column(kProjectListId);
      if (count >= 0 && r.rows.back().values[static_cast<size_t>(count)].sign() == 0) {
        return std::vector<GroupText>{GroupText{"", 0, "没有符合条件的项目。\n"}};
      }
    }
    rows.push_back(*now_result ? (*now_result)->rows.size() - 1 : 0);
  } else {
    const Result& r = **now_result;
    const int count = r.column(kProjectListId);
    for (size_t k = 0; k + 1 < r.rows.size(); ++k) {
      if (r.rows[k].values[static_cast<size_t>(count)].sign() > 0) rows.push_back(k);
    }
  }

  // {招商漏斗}: the report's funnel (whole scope) or one of the groups, once.
  std::optional<ReportTable> own_funnel;
  if (funnel && (by || !report.funnel)) {
    absl::StatusOr<ReportTable> f =
        MakeFunnel(ledger, base, by ? std::vector<Dimension>{*by} : std::vector<Dimension>{});
    if (!f.ok()) return f.status();
    own_funnel = *std::move(f);
  }
  const ReportTable* funnel_table = own_funnel ? &*own_funnel : report.funnel ? &*report.funnel : nullptr;

  std::vector<GroupText> out;
  for (const size_t row : rows) {
    GroupText g;
    std::vector<Value> now(n), prev(n);
    auto fill = [&](const std::optional<Result>& r, size_t at, const std::vector<std::string>& ids,
                    std::vector<Value>& values) {
      if (!r) return;
      for (size_t c = 0; c < ids.size(); ++c) {
        values[static_cast<size_t>(custom_->IndexOf(ids[c]))] = r->rows[at].values[c];
      }
    };
    // The same group's row in another result (a year earlier, the funnel); nullopt
    // when it has none.
    auto same_group = [&](const Result& other) -> std::optional<size_t> {
      if (!by) return other.rows.size() - 1;
      for (size_t k = 0; k + 1 < other.rows.size(); ++k) {
        if (other.rows[k].group == (*now_result)->rows[row].group) return k;
      }
      return std::nullopt;
    };
    fill(*now_result, row, now_ids_, now);
    if (*prev_result) {
      if (std::optional<size_t> at = same_group(**prev_result)) fill(*prev_result, *at, prev_ids_, prev);
    }
    if (by) {
      const Result& r = **now_result;
      g.key = r.rows[row].group[0];
      g.projects = static_cast<int64_t>(ListedProjects(r, row, kProjectListId).size());
    }

    auto value_of = [&](const Piece& p) {
      const auto k = static_cast<size_t>(p.indicator);
      switch (p.period) {
        case Period::kNow: return now[k];
        case Period::kPrev: return prev[k];
        case Period::kGrowth: return Growth(now[k], prev[k]);
      }
      return Value();
    };

    std::string& text = g.text;
    std::optional<std::string> funnel_text;
    for (size_t i = 0; i < pieces_.size(); ++i) {
      const Piece& p = pieces_[i];
      switch (p.kind) {
        case Piece::kText: text += p.text; break;
        case Piece::kWord:
          if (p.word == Word::kFunnel) {
            if (!funnel_text) {
              const std::optional<size_t> at = same_group(funnel_table->result);
              funnel_text = at ? FunnelSentence(*funnel_table, *at, options) : std::string("无");
            }
            text += *funnel_text;
            break;
          }
          if (IsListWord(p.word)) {
            text += ListText(p, ledger, **now_result, row, base.as_of, options, style);
            break;
          }
          if (p.word == Word::kScope && scope_name != nullptr) {
            text += (*scope_name)(g.key);
            break;
          }
          text += WordText(p.word, base.as_of, report);
          break;
        case Piece::kValue: text += Show(p, value_of(p), options); break;
        case Piece::kLineIf: {
          const Value v = value_of(p);
          const bool emit = v.applicable() && (p.negate ? v.sign() == 0 : v.sign() != 0);
          if (!emit) i = p.line_end - 1;  // the loop's ++i lands on line_end
          break;
        }
      }
    }
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace keyproj
