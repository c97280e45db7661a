// The Chinese paragraphs of a monthly report (月报), from a template the user can
// replace:
//
//   {期间}，{范围}重点项目完成投资{investment_ytd|亿元|1}亿元，{yoy_growth|增减}……
//
// gives "1-9月份，全市重点项目完成投资262.9亿元，同比增长8.4%……". The template
// language is documented in docs/report-text.md.
#ifndef KEYPROJ_NARRATIVE_H_
#define KEYPROJ_NARRATIVE_H_

#include <cstdint>
#include <functional>
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

// How the lists of {项目清单}, {滞后项目} and {问题项目} write their items: numbered
// lines "（1）…" (text, workbooks) or Markdown bullets "- …".
enum class ListStyle : uint8_t { kLines, kBullets };

// One group's text (NarrativeTemplate::RenderGroups).
struct GroupText {
  std::string key;        // the group's key, as ResultRow::group gives it ("张三", "610403")
  int64_t projects = 0;   // its projects in scope (not cancelled): project_list's count
  std::string text;
};

// A parsed template: its literal text and placeholders, each placeholder's
// expression compiled once.
class NarrativeTemplate {
 public:
  // Errors name the line and column of the bad placeholder and why (an unknown
  // indicator, a bad format word, an unclosed brace): every one of them, "3
  // problems:" then one an indented line, when there are several.
  static absl::StatusOr<NarrativeTemplate> Parse(std::string_view text);

  // The template keyproj ships (examples/templates/monthly.txt is a copy of it).
  static std::string_view DefaultText();
  // The quarter bulletin (季通报) keyproj ships (examples/templates/quarter.txt is a
  // copy of it): {报告期} and the quarter figures.
  static std::string_view QuarterText();
  // A built-in template by name: "monthly" (DefaultText), "quarter" (QuarterText) or
  // "leader" (the leader dossier, dossier.h LeaderDossierText);
  // nullopt for any other name.
  static std::optional<std::string_view> BuiltInText(std::string_view name);

  struct Piece;
  ~NarrativeTemplate();
  NarrativeTemplate(NarrativeTemplate&&) noexcept;
  NarrativeTemplate& operator=(NarrativeTemplate&&) noexcept;

  // Evaluates every placeholder in one query over `ledger` with the as_of, scope
  // filter and options of `base` (its group_by and indicators are ignored) and
  // returns the text. Placeholders marked 上年 or 同比 are also evaluated in one
  // more query, at the same date a year earlier. The lists ({项目清单}, {滞后项目},
  // {问题项目}) are the whole scope's, as numbered lines.
  absl::StatusOr<std::string> Render(const Ledger& ledger, const Query& base, const Report& report,
                                     const RenderOptions& options) const;

  // The text once per group of `by` (the dossiers of dossier.h): every placeholder
  // evaluated in one query grouped by `by` (so a group's figures are those of its
  // row in a table grouped by `by`: the report's scope AND the group's key), and
  // for 上年 / 同比 in one more; the lists are the group's projects; {范围} is
  // scope_name(key). Groups without projects in scope are left out; the others come
  // in ascending key order, the grouped table's.
  absl::StatusOr<std::vector<GroupText>> RenderGroups(
      const Ledger& ledger, const Query& base, Dimension by, const Report& report, const RenderOptions& options,
      ListStyle style, const std::function<std::string(std::string_view key)>& scope_name) const;

 private:
  // Render (by unset: the whole-scope row alone) and RenderGroups.
  absl::StatusOr<std::vector<GroupText>> RenderRows(
      const Ledger& ledger, const Query& base, std::optional<Dimension> by, const Report& report,
      const RenderOptions& options, ListStyle style,
      const std::function<std::string(std::string_view key)>* scope_name) const;
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
