// The Chinese paragraphs of a monthly report (月报), from a template the user can
// replace:
//
//   {期间}，{范围}重点项目完成投资{investment_ytd|亿元|1}亿元，{yoy_growth|增减}……
//
// gives "1-9月份，全市重点项目完成投资262.9亿元，同比增长8.4%……". The template
// language is documented in docs/report-text.md.
#ifndef KEYPROJ_NARRATIVE_H_
#define KEYPROJ_NARRATIVE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "keyproj/expression.h"
#include "keyproj/ledger.h"
#include "keyproj/query.h"
#include "keyproj/report.h"

namespace keyproj {

// A parsed template: its literal text and placeholders, each placeholder's
// expression compiled once.
class NarrativeTemplate {
 public:
  // Errors name the line and column of the bad placeholder and why (an unknown
  // indicator, a bad format word, an unclosed brace).
  static absl::StatusOr<NarrativeTemplate> Parse(std::string_view text);

  // The template keyproj ships (examples/templates/monthly.txt is a copy of it).
  static std::string_view DefaultText();
  // The quarter bulletin (季通报) keyproj ships (examples/templates/quarter.txt is a
  // copy of it): {报告期} and the quarter figures.
  static std::string_view QuarterText();
  // A built-in template by name: "monthly" (DefaultText) or "quarter" (QuarterText);
  // nullopt for any other name.
  static std::optional<std::string_view> BuiltInText(std::string_view name);

  struct Piece;
  ~NarrativeTemplate();
  NarrativeTemplate(NarrativeTemplate&&) noexcept;
  NarrativeTemplate& operator=(NarrativeTemplate&&) noexcept;

  // Evaluates every placeholder in one query over `ledger` with the as_of, scope
  // filter and options of `base` (its group_by and indicators are ignored) and
  // returns the text. Placeholders marked 上年 or 同比 are also evaluated in one
  // more query, at the same date a year earlier.
  absl::StatusOr<std::string> Render(const Ledger& ledger, const Query& base, const Report& report,
                                     const RenderOptions& options) const;

 private:
  NarrativeTemplate();
  std::vector<Piece> pieces_;
  // One custom indicator per placeholder (_t0, _t1, ...), compiled together.
  std::shared_ptr<const CustomIndicatorSet> custom_;
  // The ids evaluated at as_of, and at the same date a year earlier (上年, 同比).
  std::vector<std::string> now_ids_;
  std::vector<std::string> prev_ids_;
};

}  // namespace keyproj

#endif  // KEYPROJ_NARRATIVE_H_
