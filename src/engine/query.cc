#include "keyproj/query.h"

#include <algorithm>

#include "keyproj/internal/rational.h"
#include "keyproj/internal/text.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
using ::keyproj::internal::TrimAscii;

absl::StatusOr<Dimension> ParseDimension(std::string_view text) {
  if (std::optional<Dimension> d = ParseEnum<Dimension>(text)) return *d;
  std::string known;
  for (const EnumEntry<Dimension>& e : EnumTraits<Dimension>::entries()) Append(&known, known.empty() ? "" : ", ", e.id);
  return absl::InvalidArgumentError(Cat("unknown group-by dimension '", TrimAscii(text), "' (known: ", known, ")"));
}

bool GroupsOverlap(std::span<const Dimension> group_by) {
  return std::find(group_by.begin(), group_by.end(), Dimension::kTag) != group_by.end();
}

absl::StatusOr<std::array<int64_t, 12>> ParseScheduleCurve(std::span<const std::string> percents, int* bad_month) {
  namespace q = internal::rational;
  std::array<int64_t, 12> curve{};
  auto fail = [&](int month, std::string reason) {
    if (bad_month != nullptr) *bad_month = month;
    return absl::InvalidArgumentError(std::move(reason));
  };
  if (percents.size() != 12) {
    return fail(percents.size() > 12 ? 12 : -1,
                Cat("expected 12 cumulative percents (January to December), found ", percents.size()));
  }
  int64_t prev = 0;
  for (int m = 0; m < 12; ++m) {
    std::string_view text = TrimAscii(percents[m]);
    if (text.ends_with("%")) text.remove_suffix(1);
    const std::optional<q::Q> percent = q::ParseDecimal(TrimAscii(text));
    if (!percent) {
      return fail(m, Cat("month ", m + 1, ": expected a cumulative percent (e.g. 25 or 25%), found '",
                         TrimAscii(percents[m]), "'"));
    }
    const q::Q millionths = q::Mul(*percent, q::FromInt(10'000));
    if (millionths.den != 1) return fail(m, Cat("month ", m + 1, ": a curve percent has at most 4 decimals"));
    if (millionths.num > 1'000'000) return fail(m, Cat("month ", m + 1, ": a curve percent is at most 100"));
    if (millionths.num < prev) return fail(m, Cat("the curve falls in month ", m + 1, " (a cumulative plan never falls)"));
    prev = static_cast<int64_t>(millionths.num);
    curve[m] = prev;
  }
  if (prev != 1'000'000) return fail(11, "the curve must reach 100 by December");
  return curve;
}

absl::Status ValidateGrouping(std::span<const Dimension> group_by) {
  if (group_by.size() > 4) return absl::InvalidArgumentError("group by at most four dimensions");
  // tag,tag would group the pairs of a project's tags.
  for (size_t i = 0; i < group_by.size(); ++i) {
    if (std::find(group_by.begin(), group_by.begin() + static_cast<std::ptrdiff_t>(i), group_by[i]) ==
        group_by.begin() + static_cast<std::ptrdiff_t>(i)) {
      continue;
    }
    return absl::InvalidArgumentError(
        Cat("group by ", EnumId(group_by[i]), " at most once (it is given twice",
            group_by[i] == Dimension::kTag ? "; a project is already in each of its tags' groups)" : ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateQuery(const Query& q) {
  const QueryOptions& o = q.options;
  if (o.report_deadline_day < 1 || o.report_deadline_day > 31) {
    return absl::InvalidArgumentError(Cat("report deadline day ", o.report_deadline_day, " is not a day of a month"));
  }
  if (o.stalled_months < 1 || o.stalled_months > kMaxStalledMonths) {
    return absl::InvalidArgumentError(Cat("stalled months ", o.stalled_months, " must be 1..", kMaxStalledMonths));
  }
  if (o.land_to_start_days < 0 || o.land_to_start_days > kMaxLandToStartDays) {
    return absl::InvalidArgumentError(
        Cat("land to start days ", o.land_to_start_days, " must be 0..", kMaxLandToStartDays));
  }
  if (o.countdown_days < 1 || o.countdown_days > kMaxCountdownDays) {
    return absl::InvalidArgumentError(Cat("countdown days ", o.countdown_days, " must be 1..", kMaxCountdownDays));
  }
  if (o.signed_months < 1 || o.signed_months > kMaxSignedMonths) {
    return absl::InvalidArgumentError(Cat("signed months ", o.signed_months, " must be 1..", kMaxSignedMonths));
  }
  if (o.behind_centipoints < 0) return absl::InvalidArgumentError("the behind-schedule threshold must not be negative");
  if (o.threads < 0) return absl::InvalidArgumentError("threads must not be negative");
  if (o.min_projects_per_thread < 1) return absl::InvalidArgumentError("min_projects_per_thread must be at least 1");
  for (size_t i = 1; i < o.size_bands.size(); ++i) {
    if (o.size_bands[i] <= o.size_bands[i - 1]) return absl::InvalidArgumentError("size bands must ascend");
  }
  if (o.schedule == ScheduleMode::kCurve) {
    int64_t prev = 0;
    for (int m = 0; m < 12; ++m) {
      if (o.curve[m] < prev) {
        return absl::InvalidArgumentError(Cat("schedule curve falls in month ", m + 1, " (", o.curve[m],
                                              " millionths after ", prev, ")"));
      }
      prev = o.curve[m];
    }
    if (o.curve[11] != 1'000'000) {
      return absl::InvalidArgumentError(
          Cat("schedule curve must reach 100% by December; it ends at ", o.curve[11] / 10000, ".",
              (o.curve[11] % 10000) / 100, "%"));
    }
  }
  if (absl::Status st = ValidateGrouping(q.group_by); !st.ok()) return st;
  if (q.indicators.empty()) return absl::InvalidArgumentError("no indicators requested");
  return absl::OkStatus();
}

}  // namespace keyproj
