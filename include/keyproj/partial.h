// Partials that travel: a report's exact partial aggregates for one shard of the
// projects, as bytes (a .kpp file, docs/scale-out.md), and the report of the union
// of shards from their partials -- without any shard's ledger.
//
//   // map step, on each shard's machine
//   absl::StatusOr<std::string> part = keyproj::MakePartial(shard_ledger, request);
//   // reduce step, anywhere, in any order
//   absl::StatusOr<keyproj::MergedReport> merged = keyproj::MergePartials(
//       {{"north.kpp", north}, {"south.kpp", south}});
//   keyproj::RenderReport(merged->ledger, merged->report, keyproj::ReportFormat::kJson, {});
//
// The merged report equals MakeReport on the union ledger value for value (project
// lists sorted by project code). What cannot merge exactly is refused when the
// partial is made, with the reason (docs/scale-out.md lists it).
#ifndef KEYPROJ_PARTIAL_H_
#define KEYPROJ_PARTIAL_H_

#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "keyproj/ledger.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"

namespace keyproj {

// The partial of `request` over `ledger` (one shard). The request's as_of is
// resolved on the shard when unset (DefaultAsOf), so shards without a common --as-of
// may disagree and be refused at the merge. Errors (InvalidArgument, naming the
// setting): what MakeReport refuses; a request that cannot merge exactly (a target
// set, a scoring scheme, a filter by project code).
absl::StatusOr<std::string> MakePartial(const Ledger& ledger, const ReportRequest& request);

// One partial to merge: its bytes and the name errors call it by (a file name).
struct PartialInput {
  std::string_view name;
  std::string_view bytes;
};

// A report merged from partials, and the ledger its project lists are numbered in:
// the listed projects alone (code and name), sorted by code. Render it as any
// report: RenderReport(merged.ledger, merged.report, ...), WriteXlsx with
// RenderOptions::charts false. The report text (ReportFormat::kText) and dossiers
// read the whole ledger and are refused.
struct MergedReport {
  Ledger ledger;
  Report report;
};

// The report of the union of the partials' shards (at least one). Errors name the
// file(s): a corrupt, truncated or foreign file; another format version; partials
// of different requests (naming the first setting that differs); shards sharing a
// project (naming one shared code).
absl::StatusOr<MergedReport> MergePartials(std::span<const PartialInput> partials);

// The partial of the union of the partials' shards: one partial that merges with
// others as theirs would (a tree reduce: combine within a province, merge at the
// centre). Errors: those of MergePartials.
absl::StatusOr<std::string> CombinePartials(std::span<const PartialInput> partials);

// Whether a merged report can be written in `format` with `options`: not the report
// text (kText evaluates its own queries on the whole ledger), no dossiers (they read
// every project), and an xlsx workbook only without charts (they read every month of
// the whole ledger). InvalidArgument says which and why.
absl::Status MergedRenderable(ReportFormat format, const RenderOptions& options);

// RenderReport for a merged report, after MergedRenderable.
absl::StatusOr<std::string> RenderMerged(const MergedReport& merged, ReportFormat format,
                                         const RenderOptions& options);

// The first line of every partial file ("keyproj-partial\t2"). Version 2: a row's base
// is "ytd,quarter" (the quarter's comparable base travels too).
inline constexpr std::string_view kPartialMagic = "keyproj-partial";
inline constexpr int kPartialFormatVersion = 2;

}  // namespace keyproj

#endif  // KEYPROJ_PARTIAL_H_
