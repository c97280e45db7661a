// keyproj: the calculation engine of a Development and Reform bureau's key-project
// ledger (重点项目台账). Everything a C++ embedder uses, in one include:
//
//   #include "keyproj/keyproj.h"
//
//   keyproj::Diagnostics problems;
//   absl::StatusOr<keyproj::Ledger> ledger =
//       keyproj::LoadCsvLedger("examples/data", keyproj::LoadOptions{}, &problems);
//   keyproj::ReportRequest request;               // the dashboard, as of the last month
//   request.groupings = {{keyproj::Dimension::kCounty}};
//   absl::StatusOr<keyproj::Report> report = keyproj::MakeReport(*ledger, request);
//
// The headers, by layer (docs/architecture.md):
//   base    money.h date.h stage.h classification.h funding.h problem_kind.h
//           industry.h project_code.h enum_table.h diagnostic.h encoding.h
//   ledger  ledger.h ledger_builder.h regions.h generator.h
//   csv     csv_loader.h csv_writer.h
//   engine  value.h indicators.h query.h engine.h expression.h
//   assess  targets.h scoring.h
//   report  report.h report_request.h report_xlsx.h narrative.h
// Headers under keyproj/internal/ are not part of the API.
#ifndef KEYPROJ_KEYPROJ_H_
#define KEYPROJ_KEYPROJ_H_

#include "keyproj/classification.h"
#include "keyproj/csv_loader.h"
#include "keyproj/csv_writer.h"
#include "keyproj/date.h"
#include "keyproj/diagnostic.h"
#include "keyproj/encoding.h"
#include "keyproj/engine.h"
#include "keyproj/enum_table.h"
#include "keyproj/expression.h"
#include "keyproj/funding.h"
#include "keyproj/generator.h"
#include "keyproj/indicators.h"
#include "keyproj/industry.h"
#include "keyproj/ledger.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/money.h"
#include "keyproj/narrative.h"
#include "keyproj/problem_kind.h"
#include "keyproj/project_code.h"
#include "keyproj/query.h"
#include "keyproj/regions.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"
#include "keyproj/report_xlsx.h"
#include "keyproj/scoring.h"
#include "keyproj/stage.h"
#include "keyproj/targets.h"
#include "keyproj/value.h"
#include "keyproj/problem_list.h"
#include "keyproj/dossier.h"
#include "keyproj/snapshot.h"

#endif  // KEYPROJ_KEYPROJ_H_
