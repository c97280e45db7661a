// keyproj generate: a synthetic county ledger, for demos, tests and benchmarks.
#include <charconv>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/flags.h"
#include "keyproj/csv_writer.h"
#include "keyproj/generator.h"
#include "keyproj/xlsx_ledger.h"

namespace keyproj::cli {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
namespace {

constexpr const char* kHelp =
    "usage: keyproj generate --out DIR [--projects N] [--seed S] [--as-of DATE]\n"
    "                        [--months M] [--usd-rate R|none] [--dense]\n"
    "                        [--chinese-headers] [--encoding utf8|gb18030]\n"
    "                        [--format csv|xlsx] [--plain]\n"
    "\n"
    "Writes a synthetic ledger (3 cities x 8 counties, every category and stage,\n"
    "attracted projects with their intention and production dates, monthly reports,\n"
    "funding, plans, problems, approvals (前期手续)) as CSV files in DIR. The same seed\n"
    "always gives the same ledger.\n"
    "\n"
    "options:\n"
    "  --out DIR            folder to write (created if missing)\n"
    "  --projects N         number of projects (default 1500)\n"
    "  --seed S             random seed (default 1)\n"
    "  --as-of DATE         report date; nothing later is generated (default 2024-09-30)\n"
    "  --months M           months of reports, from January of the year before as-of\n"
    "                       (default 24)\n"
    "  --usd-rate R|none    rate of the funding rows in US dollars (default 7.1; load\n"
    "                       the folder with --fx USD=R); none writes no dollar rows\n"
    "  --dense              every project under way in every month (for benchmarks)\n"
    "  --chinese-headers    write 项目代码, 总投资（万元）, ... as headers\n"
    "  --encoding E         utf8 (default) or gb18030 (what Excel on Chinese Windows saves)\n"
    "  --format F           csv (default): a folder of CSV files; xlsx: --out is one\n"
    "                       workbook (ledger.xlsx), a sheet per table laid out as a bureau\n"
    "                       keeps it (title, 单位：万元, 序号, Chinese headers, 合计, footer)\n"
    "                       and a sheet 行政区划; load it with --data ledger.xlsx\n"
    "  --plain              with --format xlsx: the header in row 1 and the rows, nothing else\n"
    "\n"
    "examples:\n"
    "  keyproj generate --projects 100000 --seed 7 --out /tmp/county\n"
    "  keyproj generate --usd-rate none --out examples/data    (the bundled sample)\n"
    "  keyproj generate --projects 300 --format xlsx --out ledger.xlsx\n"
    "  keyproj report --data ledger.xlsx --fx USD=7.1    (the dollar rows need the rate)\n";

// The last line of a run: what was written and, when it has funding rows in US
// dollars, the --fx every command reading it needs (without it the load fails with
// "currency USD needs an exchange rate").
std::string WrittenLine(const Ledger& ledger, const std::string& out, const GeneratorOptions& options) {
  std::string line = Cat("keyproj generate: ", CountOf(ledger.size(), "project", "projects"), " written to ", out);
  if (!options.usd_rate.empty()) {
    Append(&line, "; it has funding in US dollars: read it with --fx USD=", options.usd_rate,
           " (e.g. keyproj report --data ", out, " --fx USD=", options.usd_rate, ")");
  }
  return line;
}

std::optional<uint64_t> ParseCount(const std::string& s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

int RunGenerate(const std::vector<std::string>& args) {
  absl::StatusOr<Flags> flags =
      Flags::Parse(args, {{"out", true}, {"projects", true}, {"seed", true}, {"as-of", true},
                          {"months", true}, {"usd-rate", true}, {"dense", false},
                          {"chinese-headers", false}, {"encoding", true},
                          {"format", true}, {"plain", false},
                          {"help", false}});
  if (!flags.ok()) {
    std::cerr << "keyproj generate: " << flags.status().message() << "\n" << kHelp;
    return kExitUsage;
  }
  if (flags->Has("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  std::optional<std::string> out = flags->Get("out");
  if (!out) {
    std::cerr << "keyproj generate: --out DIR is required\n";
    return kExitUsage;
  }
  GeneratorOptions options;
  auto count = [&](const char* name, uint64_t* dst) {
    if (std::optional<std::string> v = flags->Get(name)) {
      std::optional<uint64_t> n = ParseCount(*v);
      if (!n) {
        std::cerr << "keyproj generate: --" << name << " " << *v << ": not a whole number\n";
        return false;
      }
      *dst = *n;
    }
    return true;
  };
  uint64_t months = static_cast<uint64_t>(options.months);
  if (!count("projects", &options.projects) || !count("seed", &options.seed) ||
      !count("months", &months)) {
    return kExitUsage;
  }
  if (months < 1 || months > 1200) {
    std::cerr << "keyproj generate: --months " << months << ": expected 1 to 1200\n";
    return kExitUsage;
  }
  options.months = static_cast<int>(months);
  if (std::optional<std::string> d = flags->Get("as-of")) {
    std::optional<Date> as_of = Date::Parse(*d);
    if (!as_of) {
      std::cerr << "keyproj generate: --as-of " << *d << ": not a date (YYYY-MM-DD)\n";
      return kExitUsage;
    }
    options.as_of = *as_of;
  }
  if (std::optional<std::string> r = flags->Get("usd-rate")) options.usd_rate = *r == "none" ? "" : *r;
  options.dense = flags->Has("dense");
  WriteOptions write;
  write.chinese_headers = flags->Has("chinese-headers");
  if (std::optional<std::string> e = flags->Get("encoding")) {
    if (*e == "gb18030") write.encoding = Encoding::kGb18030;
    else if (*e != "utf8") {
      std::cerr << "keyproj generate: --encoding " << *e << ": use utf8 or gb18030\n";
      return kExitUsage;
    }
  }
  const std::string format = flags->Get("format").value_or("csv");
  if (format != "csv" && format != "xlsx") {
    std::cerr << "keyproj generate: --format " << format << ": use csv or xlsx\n";
    return kExitUsage;
  }
  if (format == "csv" && flags->Has("plain")) {
    std::cerr << "keyproj generate: --plain goes with --format xlsx\n";
    return kExitUsage;
  }
  if (format == "xlsx" && (flags->Has("chinese-headers") || flags->Has("encoding"))) {
    std::cerr << "keyproj generate: --chinese-headers and --encoding are for CSV; a workbook has Chinese "
                 "headers and Unicode text\n";
    return kExitUsage;
  }
  if (absl::Status s = ValidateGeneratorOptions(options); !s.ok()) {
    std::cerr << "keyproj generate: " << s.message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<Ledger> ledger = GenerateLedger(options);
  if (!ledger.ok()) {
    std::cerr << "keyproj generate: " << ledger.status().message() << "\n";
    return kExitDataErrors;
  }
  if (format == "xlsx") {
    RegionNames names;
    for (const GeneratedRegion& r : GeneratorRegions()) names.Add(r.code, r.name);
    XlsxLedgerOptions xlsx;
    xlsx.bureau_layout = !flags->Has("plain");
    xlsx.filed_on = options.as_of;
    if (absl::Status s = WriteXlsxLedger(*ledger, &names, *out, xlsx); !s.ok()) {
      std::cerr << "keyproj generate: " << s.message() << "\n";
      return kExitIo;
    }
    std::cerr << WrittenLine(*ledger, *out, options) << "\n";
    return kExitOk;
  }
  if (absl::Status s = WriteCsvLedger(*ledger, *out, write); !s.ok()) {
    std::cerr << "keyproj generate: " << s.message() << "\n";
    return kExitIo;
  }
  // The names of its divisions, for reports grouped by county or city.
  std::string regions = write.chinese_headers ? "行政区划代码,名称" : "region,name";
  const std::string_view eol = write.crlf ? "\r\n" : "\n";
  Append(&regions, eol);
  for (const GeneratedRegion& r : GeneratorRegions()) Append(&regions, r.code, ",", r.name, eol);
  if (write.encoding == Encoding::kGb18030) {
    absl::StatusOr<std::string> gb = Utf8ToGb18030(regions);
    if (!gb.ok()) {
      std::cerr << "keyproj generate: " << Cat(gb.status().message()) << "\n";
      return kExitIo;
    }
    regions = *std::move(gb);
  } else if (write.bom) {
    regions.insert(0, "\xEF\xBB\xBF");
  }
  if (absl::Status s = WriteFileAtomically((std::filesystem::path(*out) / "regions.csv").string(), regions);
      !s.ok()) {
    std::cerr << "keyproj generate: " << Cat(s.message()) << "\n";
    return kExitIo;
  }
  std::cerr << WrittenLine(*ledger, *out, options) << "\n";
  return kExitOk;
}

}  // namespace keyproj::cli
