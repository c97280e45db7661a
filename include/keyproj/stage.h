// Project lifecycle stages (项目阶段), the moves between them, and the agreement the
// ledger requires between a project's stage column and its dates.
//
//   conceived 谋划 -> reserved 储备 -> preliminary 前期 -> signed 签约 -> started 开工
//   -> completed 竣工 -> operating 投产
// A stage may be skipped forward (a government-funded project is never signed);
// suspended 停建 is entered from started and left back to started; cancelled 退出 is
// entered from any stage before completed.
#ifndef KEYPROJ_STAGE_H_
#define KEYPROJ_STAGE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "keyproj/internal/text.h"
#include "keyproj/date.h"
#include "keyproj/enum_table.h"

namespace keyproj {

// Stored in ledgers and crosses the C ABI: only ever append.
enum class Stage : uint8_t {
  kUnknown = 0,
  kConceived = 1,
  kReserved = 2,
  kPreliminary = 3,
  kSigned = 4,
  kStarted = 5,
  kCompleted = 6,
  kOperating = 7,
  kSuspended = 8,
  kCancelled = 9,
};

template <>
struct EnumTraits<Stage> {
  static std::span<const EnumEntry<Stage>> entries() {
    static constexpr EnumEntry<Stage> kEntries[] = {
        {Stage::kConceived, "conceived", "谋划", "谋划阶段|策划"},
        {Stage::kReserved, "reserved", "储备入库", "储备|入库"},
        {Stage::kPreliminary, "preliminary", "前期工作", "前期"},
        {Stage::kSigned, "signed", "签约", "已签约"},
        {Stage::kStarted, "started", "开工", "在建|已开工|续建|新开工|施工|建设中|在施"},
        {Stage::kCompleted, "completed", "竣工", "已竣工|完工|建成|已建成"},
        {Stage::kOperating, "operating", "投产", "运营|投产运营|已投产"},
        {Stage::kSuspended, "suspended", "停建", "缓建|停建缓建|停工"},
        {Stage::kCancelled, "cancelled", "退出", "已退出|取消|canceled"},
    };
    return kEntries;
  }
};

// Position on the main chain (conceived = 1 ... operating = 7); 0 off the chain.
constexpr int ChainRank(Stage s) {
  const int v = static_cast<int>(s);
  return v >= 1 && v <= 7 ? v : 0;
}

// Whether a project may move from `from` to `to`. A no-op move is legal; kUnknown
// (no stage yet) may move anywhere. The error says why the move is illegal.
inline absl::Status CheckTransition(Stage from, Stage to, bool attracted) {
  auto illegal = [&](std::string_view why) {
    return absl::FailedPreconditionError(internal::Cat("illegal stage change ", EnumId(from), " -> ",
                                                      EnumId(to), ": ", why));
  };
  if (to == Stage::kUnknown) return illegal("a stage cannot be unset");
  if (to == Stage::kSigned && !attracted) {
    return illegal("only attracted (招商引资) projects are signed");
  }
  if (from == to || from == Stage::kUnknown) return absl::OkStatus();
  if (from == Stage::kCancelled) return illegal("a cancelled project does not come back");
  if (to == Stage::kCancelled) {
    if (from == Stage::kCompleted || from == Stage::kOperating) {
      return illegal("a completed project cannot be cancelled");
    }
    return absl::OkStatus();
  }
  if (from == Stage::kSuspended) {
    return to == Stage::kStarted ? absl::OkStatus()
                                 : illegal("a suspended project resumes (started) or is cancelled");
  }
  if (to == Stage::kSuspended) {
    return from == Stage::kStarted ? absl::OkStatus()
                                   : illegal("only a started project can be suspended");
  }
  if (ChainRank(to) < ChainRank(from)) return illegal("stages do not move backwards");
  return absl::OkStatus();
}

// The dates of a project that decide its stage. Empty = not known.
struct StageDates {
  std::optional<Date> reserved_on;
  std::optional<Date> intended_on;  // 意向 (招商): an intention or framework agreement
  std::optional<Date> signed_on;
  std::optional<Date> started_on;
  std::optional<Date> completed_on;
  std::optional<Date> operating_on;  // 投产
  std::optional<Date> suspended_on;
  std::optional<Date> cancelled_on;
};

// One disagreement between stage and dates: the column to point at and why.
struct StageDateProblem {
  std::string_view column;  // "stage", "started_on", ...
  std::string reason;
};

// Every disagreement between a stage column and the dates (empty when they agree).
inline std::vector<StageDateProblem> CheckStageDates(Stage stage, const StageDates& d,
                                                     bool attracted) {
  std::vector<StageDateProblem> out;
  const std::string_view sid = EnumId(stage);
  auto need = [&](const std::optional<Date>& date, std::string_view column) {
    if (!date) out.push_back({column, internal::Cat("stage ", sid, " requires ", column)});
  };
  auto forbid = [&](const std::optional<Date>& date, std::string_view column, std::string_view why) {
    if (date) out.push_back({column, internal::Cat(column, " is set but stage is ", sid, ": ", why)});
  };
  const bool started_stage = stage == Stage::kStarted || stage == Stage::kCompleted ||
                             stage == Stage::kOperating || stage == Stage::kSuspended;
  const bool completed_stage = stage == Stage::kCompleted || stage == Stage::kOperating;

  if (stage == Stage::kSigned) {
    if (!attracted) out.push_back({"stage", "stage signed is for attracted (招商引资) projects only"});
    need(d.signed_on, "signed_on");
  }
  if (started_stage) need(d.started_on, "started_on");
  if (completed_stage) need(d.completed_on, "completed_on");
  if (stage == Stage::kSuspended) need(d.suspended_on, "suspended_on");
  if (stage == Stage::kCancelled) need(d.cancelled_on, "cancelled_on");

  if (!started_stage && stage != Stage::kCancelled) {
    forbid(d.started_on, "started_on", "a project with a start date is started or later");
  }
  if (!completed_stage) {
    forbid(d.completed_on, "completed_on",
           stage == Stage::kCancelled ? "a completed project cannot be cancelled"
                                      : "a project with a completion date is completed or operating");
  }
  if (stage != Stage::kSuspended && stage != Stage::kCancelled) {
    forbid(d.suspended_on, "suspended_on", "suspended_on is kept only while a project is suspended");
  }
  if (stage != Stage::kCancelled) {
    forbid(d.cancelled_on, "cancelled_on", "a project with a cancellation date is cancelled");
  }
  if (stage != Stage::kOperating) {
    forbid(d.operating_on, "operating_on", "a project with an operating date is operating");
  }
  if (d.signed_on && !attracted) {
    out.push_back({"signed_on", "signed_on is set but the project is not attracted (招商引资)"});
  }
  if (d.intended_on && !attracted) {
    out.push_back({"intended_on", "intended_on is set but the project is not attracted (招商引资)"});
  }

  auto order = [&](const std::optional<Date>& early, std::string_view early_name,
                   const std::optional<Date>& late, std::string_view late_name) {
    if (early && late && *late < *early) {
      out.push_back({late_name, internal::Cat(late_name, " ", late->ToString(), " is before ",
                                             early_name, " ", early->ToString())});
    }
  };
  order(d.started_on, "started_on", d.completed_on, "completed_on");
  order(d.started_on, "started_on", d.suspended_on, "suspended_on");
  order(d.started_on, "started_on", d.cancelled_on, "cancelled_on");
  order(d.suspended_on, "suspended_on", d.cancelled_on, "cancelled_on");
  order(d.reserved_on, "reserved_on", d.cancelled_on, "cancelled_on");
  order(d.intended_on, "intended_on", d.signed_on, "signed_on");
  // Trial production (试生产) may come before the completion acceptance: operating_on
  // is checked against the start only.
  order(d.started_on, "started_on", d.operating_on, "operating_on");
  return out;
}

// The stage the dates imply, for a ledger row whose stage cell is empty: the latest
// event wins (intended_on is a step of the 招商 funnel, not a stage).
inline Stage StageFromDates(const StageDates& d, bool attracted) {
  if (d.cancelled_on) return Stage::kCancelled;
  if (d.operating_on) return Stage::kOperating;
  if (d.completed_on) return Stage::kCompleted;
  if (d.suspended_on) return Stage::kSuspended;
  if (d.started_on) return Stage::kStarted;
  if (d.signed_on && attracted) return Stage::kSigned;
  if (d.reserved_on) return Stage::kReserved;
  return Stage::kConceived;
}

}  // namespace keyproj

#endif  // KEYPROJ_STAGE_H_
