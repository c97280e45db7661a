// Fuzz target: every parser of text a user writes besides the ledger -- report
// templates (narrative.h), custom indicator expressions (expression.h), scope
// filters, target sets and scoring schemes (targets.h, scoring.h), regions.csv
// (regions.h) -- and, when a
// template or expression parses, its evaluation over a small real ledger. Must
// never crash, hang or leak, whatever the bytes.
//
// The first byte picks the parser (its value modulo 6); the rest is the text.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "keyproj/csv_loader.h"
#include "keyproj/engine.h"
#include "keyproj/expression.h"
#include "keyproj/narrative.h"
#include "keyproj/regions.h"
#include "keyproj/scoring.h"
#include "keyproj/targets.h"

namespace {

const keyproj::Ledger& SmallLedger() {
  static const keyproj::Ledger* ledger = [] {
    keyproj::Diagnostics diagnostics;
    auto l = keyproj::LoadCsvLedger(std::filesystem::path(KEYPROJ_TESTDATA_DIR) / "report_city",
                                    keyproj::LoadOptions{}, &diagnostics);
    return new keyproj::Ledger(l.ok() ? *std::move(l) : keyproj::Ledger());
  }();
  return *ledger;
}

keyproj::Query BaseQuery() {
  keyproj::Query q;
  q.as_of = *keyproj::Date::FromYmd(2024, 9, 30);
  q.options.threads = 1;
  return q;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int which = data[0] % 6;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (which) {
    case 0: {
      absl::StatusOr<keyproj::NarrativeTemplate> t = keyproj::NarrativeTemplate::Parse(text);
      if (t.ok()) {
        keyproj::Report report;
        (void)t->Render(SmallLedger(), BaseQuery(), report, keyproj::RenderOptions{});
      }
      break;
    }
    case 1: {
      keyproj::CustomIndicator def;
      def.id = "fuzzed";
      def.unit = keyproj::Unit::kMultiple;
      def.expression = std::string(text);
      absl::StatusOr<keyproj::CustomIndicatorSet> set = keyproj::CustomIndicatorSet::Compile({def});
      if (set.ok()) {
        keyproj::Query q = BaseQuery();
        q.custom = std::make_shared<const keyproj::CustomIndicatorSet>(*std::move(set));
        q.indicators = {"fuzzed"};
        q.group_by = {keyproj::Dimension::kCategory};
        (void)keyproj::Evaluate(SmallLedger(), q);
      }
      break;
    }
    case 2: {
      absl::StatusOr<keyproj::Filter> f = keyproj::ParseFilter(text);
      if (f.ok()) {
        keyproj::Query q = BaseQuery();
        q.filter = *f;
        q.indicators = {"projects", "investment_ytd"};
        (void)keyproj::Evaluate(SmallLedger(), q);
        (void)keyproj::FilterText(*f);
      }
      break;
    }
    case 3: (void)keyproj::ParseTargetSet(text); break;
    case 4: (void)keyproj::ParseScoringScheme(text); break;
    case 5: {
      keyproj::Diagnostics diagnostics;
      for (keyproj::Encoding e : {keyproj::Encoding::kAuto, keyproj::Encoding::kUtf8, keyproj::Encoding::kGb18030}) {
        diagnostics.clear();
        const keyproj::RegionNames names = keyproj::ParseRegionNames(text, "regions.csv", e, &diagnostics);
        (void)names.Find("610403");
      }
      break;
    }
  }
  return 0;
}
