#include "keyproj/stage.h"

#include <string>

#include "gtest/gtest.h"

namespace keyproj {
namespace {

constexpr Stage kAll[] = {Stage::kConceived, Stage::kReserved,  Stage::kPreliminary,
                          Stage::kSigned,    Stage::kStarted,   Stage::kCompleted,
                          Stage::kOperating, Stage::kSuspended, Stage::kCancelled};

// The legal moves, written out as a table independently of CheckTransition's logic.
bool Legal(Stage from, Stage to, bool attracted) {
  using S = Stage;
  if (to == S::kSigned && !attracted) return false;
  if (from == to) return true;
  switch (from) {
    case S::kConceived: return to != S::kSuspended;  // anything forward, or cancelled
    case S::kReserved:
      return to == S::kPreliminary || to == S::kSigned || to == S::kStarted ||
             to == S::kCompleted || to == S::kOperating || to == S::kCancelled;
    case S::kPreliminary:
      return to == S::kSigned || to == S::kStarted || to == S::kCompleted ||
             to == S::kOperating || to == S::kCancelled;
    case S::kSigned:
      return to == S::kStarted || to == S::kCompleted || to == S::kOperating ||
             to == S::kCancelled;
    case S::kStarted:
      return to == S::kCompleted || to == S::kOperating || to == S::kSuspended ||
             to == S::kCancelled;
    case S::kCompleted: return to == S::kOperating;
    case S::kOperating: return false;
    case S::kSuspended: return to == S::kStarted || to == S::kCancelled;
    case S::kCancelled: return false;
    case S::kUnknown: return true;
  }
  return false;
}

TEST(StageTransition, EveryPairAgreesWithTheTable) {
  int legal = 0, illegal = 0;
  for (bool attracted : {false, true}) {
    for (Stage from : kAll) {
      for (Stage to : kAll) {
        absl::Status s = CheckTransition(from, to, attracted);
        EXPECT_EQ(s.ok(), Legal(from, to, attracted))
            << EnumId(from) << " -> " << EnumId(to) << " attracted=" << attracted << ": " << s;
        (s.ok() ? legal : illegal)++;
        if (!s.ok()) {
          EXPECT_NE(std::string(s.message()).find("illegal stage change"), std::string::npos);
        }
      }
    }
  }
  EXPECT_GT(legal, 40);
  EXPECT_GT(illegal, 60);
}

TEST(StageTransition, Reasons) {
  EXPECT_NE(std::string(CheckTransition(Stage::kStarted, Stage::kPreliminary, false).message())
                .find("backwards"),
            std::string::npos);
  EXPECT_NE(std::string(CheckTransition(Stage::kCompleted, Stage::kCancelled, false).message())
                .find("completed project cannot be cancelled"),
            std::string::npos);
  EXPECT_NE(std::string(CheckTransition(Stage::kReserved, Stage::kSuspended, false).message())
                .find("only a started project"),
            std::string::npos);
  EXPECT_NE(std::string(CheckTransition(Stage::kPreliminary, Stage::kSigned, false).message())
                .find("attracted"),
            std::string::npos);
  EXPECT_TRUE(CheckTransition(Stage::kUnknown, Stage::kStarted, false).ok());
  EXPECT_FALSE(CheckTransition(Stage::kStarted, Stage::kUnknown, false).ok());
}

TEST(StageNames, ParseIdsLabelsAndAliases) {
  EXPECT_EQ(ParseEnum<Stage>("started"), Stage::kStarted);
  EXPECT_EQ(ParseEnum<Stage>("Started"), Stage::kStarted);
  EXPECT_EQ(ParseEnum<Stage>("开工"), Stage::kStarted);
  EXPECT_EQ(ParseEnum<Stage>("在建"), Stage::kStarted);
  EXPECT_EQ(ParseEnum<Stage>("缓建"), Stage::kSuspended);
  EXPECT_EQ(ParseEnum<Stage>("储备"), Stage::kReserved);
  EXPECT_EQ(ParseEnum<Stage>(" 退出 "), Stage::kCancelled);
  EXPECT_FALSE(ParseEnum<Stage>("finished"));
  EXPECT_FALSE(ParseEnum<Stage>(""));
  EXPECT_EQ(EnumLabel(Stage::kOperating), "投产");
}

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

bool Mentions(const std::vector<StageDateProblem>& ps, std::string_view column, std::string_view word) {
  for (const auto& p : ps) {
    if (p.column == column && p.reason.find(word) != std::string::npos) return true;
  }
  return false;
}

TEST(StageDates, ConsistentRowsPass) {
  StageDates d;
  EXPECT_TRUE(CheckStageDates(Stage::kConceived, d, false).empty());
  d.reserved_on = D(2023, 5, 1);
  EXPECT_TRUE(CheckStageDates(Stage::kReserved, d, false).empty());
  EXPECT_TRUE(CheckStageDates(Stage::kPreliminary, d, false).empty());
  d.signed_on = D(2023, 6, 1);
  EXPECT_TRUE(CheckStageDates(Stage::kSigned, d, true).empty());
  d.started_on = D(2023, 9, 1);
  EXPECT_TRUE(CheckStageDates(Stage::kStarted, d, true).empty());
  d.completed_on = D(2024, 6, 30);
  EXPECT_TRUE(CheckStageDates(Stage::kCompleted, d, true).empty());
  EXPECT_TRUE(CheckStageDates(Stage::kOperating, d, true).empty());
  StageDates s{.started_on = D(2024, 1, 10), .suspended_on = D(2024, 8, 1)};
  EXPECT_TRUE(CheckStageDates(Stage::kSuspended, s, false).empty());
  // Started and suspended in the same year, then cancelled.
  s.cancelled_on = D(2024, 11, 1);
  EXPECT_TRUE(CheckStageDates(Stage::kCancelled, s, false).empty());
}

TEST(StageDates, DisagreementsAreReportedWithTheColumn) {
  StageDates none;
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kCompleted, none, false), "started_on", "requires"));
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kCompleted, none, false), "completed_on", "requires"));
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kSuspended, none, false), "suspended_on", "requires"));
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kCancelled, none, false), "cancelled_on", "requires"));
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kSigned, none, false), "stage", "attracted"));

  StageDates started{.started_on = D(2024, 3, 1)};
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kReserved, started, false), "started_on", "is set"));
  StageDates done{.started_on = D(2024, 3, 1), .completed_on = D(2024, 2, 1)};
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kCompleted, done, false), "completed_on", "before"));
  StageDates cancelled_after_done{.started_on = D(2024, 3, 1), .completed_on = D(2024, 9, 1),
                                  .cancelled_on = D(2024, 10, 1)};
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kCancelled, cancelled_after_done, false),
                       "completed_on", "cannot be cancelled"));
  StageDates resumed{.started_on = D(2024, 3, 1), .suspended_on = D(2024, 5, 1)};
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kStarted, resumed, false), "suspended_on", "only while"));
  StageDates signed_not_attracted{.signed_on = D(2024, 3, 1)};
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kPreliminary, signed_not_attracted, false), "signed_on",
                       "not attracted"));
}

TEST(StageDates, DerivedStageIsTheLatestEvent) {
  EXPECT_EQ(StageFromDates({}, false), Stage::kConceived);
  EXPECT_EQ(StageFromDates({.reserved_on = D(2024, 1, 1)}, false), Stage::kReserved);
  EXPECT_EQ(StageFromDates({.signed_on = D(2024, 1, 1)}, true), Stage::kSigned);
  EXPECT_EQ(StageFromDates({.started_on = D(2024, 1, 1)}, false), Stage::kStarted);
  EXPECT_EQ(StageFromDates({.started_on = D(2024, 1, 1), .suspended_on = D(2024, 2, 1)}, false),
            Stage::kSuspended);
  EXPECT_EQ(StageFromDates({.started_on = D(2024, 1, 1), .completed_on = D(2024, 2, 1)}, false),
            Stage::kCompleted);
  EXPECT_EQ(StageFromDates({.cancelled_on = D(2024, 1, 1)}, false), Stage::kCancelled);
  // An intention is a step of the 招商 funnel, not a stage; an operating date is.
  EXPECT_EQ(StageFromDates({.intended_on = D(2024, 1, 1)}, true), Stage::kConceived);
  EXPECT_EQ(StageFromDates({.reserved_on = D(2023, 1, 1), .intended_on = D(2024, 1, 1)}, true), Stage::kReserved);
  EXPECT_EQ(StageFromDates({.started_on = D(2024, 1, 1), .completed_on = D(2024, 6, 1),
                            .operating_on = D(2024, 7, 1)},
                           true),
            Stage::kOperating);
  // Trial production before the acceptance: still operating.
  EXPECT_EQ(StageFromDates({.started_on = D(2024, 1, 1), .completed_on = D(2024, 6, 1),
                            .operating_on = D(2024, 5, 1)},
                           false),
            Stage::kOperating);
  EXPECT_EQ(StageFromDates({.started_on = D(2024, 1, 1), .completed_on = D(2024, 6, 1),
                            .operating_on = D(2024, 7, 1), .cancelled_on = D(2024, 9, 1)},
                           false),
            Stage::kCancelled);
}

// intended_on: attracted projects only, not after signing (the same day is fine: the
// intention and the contract signed at one meeting).
TEST(StageDates, IntendedOnRules) {
  StageDates d{.intended_on = D(2024, 1, 10), .signed_on = D(2024, 3, 1)};
  EXPECT_TRUE(CheckStageDates(Stage::kSigned, d, true).empty());
  d.intended_on = D(2024, 3, 1);
  EXPECT_TRUE(CheckStageDates(Stage::kSigned, d, true).empty());
  d.intended_on = D(2024, 3, 2);
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kSigned, d, true), "signed_on", "is before intended_on 2024-03-02"));
  StageDates unsigned_intention{.intended_on = D(2024, 5, 1)};
  EXPECT_TRUE(CheckStageDates(Stage::kPreliminary, unsigned_intention, true).empty());
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kPreliminary, unsigned_intention, false), "intended_on",
                       "not attracted"));
}

// operating_on: only with stage operating (which still needs completed_on), never
// before the start; before the completion is trial production and allowed.
TEST(StageDates, OperatingOnRules) {
  StageDates d{.started_on = D(2023, 3, 1), .completed_on = D(2024, 5, 31), .operating_on = D(2024, 7, 1)};
  EXPECT_TRUE(CheckStageDates(Stage::kOperating, d, false).empty());
  d.operating_on = D(2024, 4, 15);  // 试生产
  EXPECT_TRUE(CheckStageDates(Stage::kOperating, d, false).empty());
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kCompleted, d, false), "operating_on", "is operating"));
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kStarted, d, false), "operating_on", "is operating"));
  d.operating_on = D(2023, 2, 1);
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kOperating, d, false), "operating_on",
                       "operating_on 2023-02-01 is before started_on 2023-03-01"));
  StageDates no_completion{.started_on = D(2023, 3, 1), .operating_on = D(2024, 7, 1)};
  EXPECT_TRUE(Mentions(CheckStageDates(Stage::kOperating, no_completion, false), "completed_on", "requires"));
  // Without an operating date an operating stage is still fine (legacy ledgers).
  StageDates legacy{.started_on = D(2023, 3, 1), .completed_on = D(2024, 5, 31)};
  EXPECT_TRUE(CheckStageDates(Stage::kOperating, legacy, false).empty());
}

}  // namespace
}  // namespace keyproj
