// Snapshots (keyproj/snapshot.h): pack -> open gives the same ledger and the same
// reports; a truncated, corrupted, foreign, newer or crafted file is a clear error.
#include "keyproj/snapshot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "keyproj/csv_loader.h"
#include "keyproj/generator.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/internal/ledger_compare.h"
#include "keyproj/report.h"
#include "keyproj/report_request.h"
#include "snapshot/format.h"
#include "snapshot/hash.h"
#include "snapshot/validate.h"

namespace keyproj {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;
namespace sn = ::keyproj::snapshot;

const fs::path kExamples = fs::path(KEYPROJ_SOURCE_DIR) / "examples" / "data";

// A file in this process's scratch folder, removed when the process ends.
fs::path Scratch(const std::string& name) {
  static const struct Dir {
    fs::path path = fs::temp_directory_path() / ("keyproj_snapshot_test_" + std::to_string(::getpid()));
    Dir() { fs::create_directories(path); }
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } dir;
  return dir.path / name;
}

std::string Bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void Put(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Every format's rendering of a report grouped several ways (the region names too).
std::string Reports(const Ledger& ledger, std::shared_ptr<const RegionNames> regions) {
  ReportRequest request;
  request.groupings = {{Dimension::kCategory}, {Dimension::kCounty}, {Dimension::kStage}, {}};
  request.regions = std::move(regions);
  absl::StatusOr<Report> report = MakeReport(ledger, request);
  EXPECT_TRUE(report.ok()) << report.status();
  if (!report.ok()) return "";
  std::string out;
  for (ReportFormat f : {ReportFormat::kJson, ReportFormat::kText, ReportFormat::kCsv, ReportFormat::kMarkdown}) {
    absl::StatusOr<std::string> r = RenderReport(ledger, *report, f, {});
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok()) out += *r;
  }
  return out;
}

TEST(Snapshot, SampleLedgerRoundTrips) {
  Diagnostics diagnostics;
  absl::StatusOr<Ledger> loaded = LoadCsvLedger(kExamples, {}, &diagnostics);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  absl::StatusOr<RegionNames> regions = LoadRegionNames(kExamples, Encoding::kAuto, &diagnostics);
  ASSERT_TRUE(regions.ok());
  ASSERT_GT(regions->size(), 0u);
  const fs::path file = Scratch("sample.kpl");
  ASSERT_TRUE(WriteSnapshot(*loaded, &*regions, file).ok());
  EXPECT_TRUE(IsSnapshot(file));
  EXPECT_FALSE(IsSnapshot(kExamples));

  absl::StatusOr<Snapshot> opened = OpenSnapshot(file);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(internal::DescribeLedgerDifference(*loaded, opened->ledger), "");
  EXPECT_EQ(opened->regions->size(), regions->size());
  for (const auto& [code, name] : regions->all()) EXPECT_EQ(opened->regions->Find(code), name);
  EXPECT_THAT(opened->written_by, ::testing::MatchesRegex("[0-9]+\\.[0-9]+\\.[0-9]+.*"));
  auto shared = std::make_shared<const RegionNames>(*std::move(regions));
  EXPECT_EQ(Reports(*loaded, shared), Reports(opened->ledger, opened->regions));
  // Text lookups go through the lazily built index.
  for (uint32_t p = 0; p < loaded->size(); p += 97) EXPECT_EQ(opened->ledger.FindProject(loaded->code(p)), p);
  EXPECT_EQ(opened->ledger.FindProject("no such code"), std::nullopt);

  // The same bytes from the same ledger; a moved ledger still reads the file.
  const fs::path again = Scratch("sample2.kpl");
  ASSERT_TRUE(WriteSnapshot(opened->ledger, opened->regions.get(), again).ok());
  EXPECT_EQ(Bytes(file), Bytes(again));
  Ledger moved = std::move(opened->ledger);
  EXPECT_EQ(internal::DescribeLedgerDifference(*loaded, moved), "");
  // OpenLedger takes either.
  absl::StatusOr<Ledger> by_path = OpenLedger(file, {}, &diagnostics);
  ASSERT_TRUE(by_path.ok());
  EXPECT_EQ(internal::DescribeLedgerDifference(*loaded, *by_path), "");
  absl::StatusOr<Ledger> folder = OpenLedger(kExamples, {}, &diagnostics);
  ASSERT_TRUE(folder.ok());
  EXPECT_EQ(folder->size(), loaded->size());
}

// Generated ledgers: funding in USD, extra columns, approvals, problems, bases.
TEST(Snapshot, GeneratedLedgersRoundTrip) {
  for (uint64_t seed : {1, 2, 3}) {
    GeneratorOptions options;
    options.projects = 700 + 300 * seed;
    options.seed = seed;
    absl::StatusOr<Ledger> generated = GenerateLedger(options);
    ASSERT_TRUE(generated.ok()) << generated.status();
    ASSERT_FALSE(internal::Columns(*generated).funding.original_row.empty());
    ASSERT_FALSE(generated->extras(Table::kProjects).empty());
    const fs::path file = Scratch("generated.kpl");
    ASSERT_TRUE(WriteSnapshot(*generated, nullptr, file).ok());
    absl::StatusOr<Snapshot> opened = OpenSnapshot(file);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(internal::DescribeLedgerDifference(*generated, opened->ledger), "") << "seed " << seed;
    EXPECT_TRUE(opened->regions->empty());
    EXPECT_EQ(Reports(*generated, nullptr), Reports(opened->ledger, nullptr)) << "seed " << seed;
  }
}

// A snapshot's funding was converted when it was packed: opening it with the same
// rate (however written) or a rate of a currency it has no rows in is fine; another
// rate for its currency is an error, not a figure silently at the packed rate.
TEST(Snapshot, ARateGivenAtOpenMustBeThePackedOne) {
  GeneratorOptions options;
  options.projects = 600;
  options.usd_rate = "7.1";
  absl::StatusOr<Ledger> generated = GenerateLedger(options);
  ASSERT_TRUE(generated.ok()) << generated.status();
  const fs::path file = Scratch("usd.kpl");
  ASSERT_TRUE(WriteSnapshot(*generated, nullptr, file).ok());
  auto open = [&](std::vector<std::pair<std::string, std::string>> fx) {
    LoadOptions o;
    o.fx_rates = std::move(fx);
    Diagnostics diagnostics;
    return OpenLedger(file, o, &diagnostics).status();
  };
  EXPECT_TRUE(open({}).ok());
  EXPECT_TRUE(open({{"USD", "7.1"}}).ok());
  EXPECT_TRUE(open({{"USD", "7.100"}}).ok());
  EXPECT_TRUE(open({{"EUR", "7.9"}}).ok());
  const absl::Status other = open({{"USD", "7.2"}});
  EXPECT_EQ(other.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(other.message()), HasSubstr("the snapshot was packed with another exchange rate"));
  EXPECT_THAT(std::string(other.message()), HasSubstr("at USD=7.2 it would be"));
  EXPECT_EQ(open({{"USD", "abc"}}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckConvertedAt(*generated, {{"USD", "7.1"}}), absl::OkStatus());
}

TEST(Snapshot, EmptyLedgerRoundTrips) {
  absl::StatusOr<Ledger> empty = LedgerBuilder().Build();
  ASSERT_TRUE(empty.ok()) << empty.status();
  const fs::path file = Scratch("empty.kpl");
  ASSERT_TRUE(WriteSnapshot(*empty, nullptr, file).ok());
  absl::StatusOr<Snapshot> opened = OpenSnapshot(file);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->ledger.size(), 0u);
}

// ---- hostile files ----------------------------------------------------------------

class HostileSnapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    GeneratorOptions options;
    options.projects = 300;
    absl::StatusOr<Ledger> ledger = GenerateLedger(options);
    ASSERT_TRUE(ledger.ok());
    RegionNames regions;
    regions.Add(61, "陕西省");
    ASSERT_TRUE(WriteSnapshot(*ledger, &regions, good_).ok());
    bytes_ = Bytes(good_);
    std::memcpy(&header_, bytes_.data(), sizeof(header_));
    table_.resize(header_.section_count);
    std::memcpy(table_.data(), bytes_.data() + sizeof(header_), table_.size() * sizeof(sn::SectionEntry));
  }
  // The error of opening `bytes`.
  std::string Open(const std::string& bytes) {
    Put(bad_, bytes);
    absl::StatusOr<Snapshot> s = OpenSnapshot(bad_);
    EXPECT_FALSE(s.ok()) << "opened a bad file";
    return s.ok() ? "" : std::string(s.status().message());
  }
  // `bytes_` with section `id`'s element `index` (of T) set to `value`, and every
  // checksum made valid again: what a crafted file would be.
  template <typename T>
  std::string Crafted(uint32_t id, uint64_t index, T value) {
    std::string b = bytes_;
    std::vector<sn::SectionEntry> table = table_;
    for (sn::SectionEntry& e : table) {
      if (e.id != id) continue;
      std::memcpy(b.data() + e.offset + index * sizeof(T), &value, sizeof(T));
      e.checksum = sn::Xxh64(b.data() + e.offset, e.length);
    }
    sn::Header h = header_;
    h.checksum = sn::HeaderChecksum(h, table.data());
    std::memcpy(b.data(), &h, sizeof(h));
    std::memcpy(b.data() + sizeof(h), table.data(), table.size() * sizeof(sn::SectionEntry));
    return b;
  }
  template <typename T>
  T Element(uint32_t id, uint64_t index) {
    for (const sn::SectionEntry& e : table_) {
      if (e.id == id) {
        T v;
        std::memcpy(&v, bytes_.data() + e.offset + index * sizeof(T), sizeof(T));
        return v;
      }
    }
    ADD_FAILURE() << "no section " << id;
    return T{};
  }

  fs::path good_ = Scratch("good.kpl");
  fs::path bad_ = Scratch("bad.kpl");
  std::string bytes_;
  sn::Header header_;
  std::vector<sn::SectionEntry> table_;
};

TEST_F(HostileSnapshot, TruncatedAtEverySectionBoundary) {
  std::vector<uint64_t> cuts = {0, 4, 8, 63, 64, 64 + 48, sizeof(sn::Header) + table_.size() * 48};
  for (const sn::SectionEntry& e : table_) {
    cuts.push_back(e.offset);
    if (e.length > 1) cuts.push_back(e.offset + e.length / 2);
  }
  cuts.push_back(bytes_.size() - 1);
  for (uint64_t cut : cuts) {
    const std::string message = Open(bytes_.substr(0, cut));
    EXPECT_THAT(message, HasSubstr(bad_.string())) << cut;
    if (cut >= sizeof(sn::kMagic)) {
      EXPECT_THAT(message, HasSubstr("truncated")) << cut;
    }
  }
}

TEST_F(HostileSnapshot, FlippedBytesAreCaughtByTheChecksums) {
  // A byte of the header, of the table and of every section (with padding left alone).
  std::vector<uint64_t> at = {9, 24, 40, 64 + 8, 64 + 48 * 3 + 16};
  for (const sn::SectionEntry& e : table_) {
    if (e.length > 0) at.push_back(e.offset + e.length / 3);
  }
  for (uint64_t i : at) {
    std::string b = bytes_;
    b[i] = static_cast<char>(b[i] ^ 0x10);
    const std::string message = Open(b);
    EXPECT_THAT(message, HasSubstr(bad_.string())) << i;
    EXPECT_TRUE(message.find("checksum") != std::string::npos || message.find("header") != std::string::npos ||
                message.find("format") != std::string::npos || message.find("trailing") != std::string::npos ||
                message.find("truncated") != std::string::npos)
        << i << ": " << message;
  }
}

TEST_F(HostileSnapshot, ForeignFileIsNotASnapshot) {
  EXPECT_THAT(Open("code,name\n1,x\n"), HasSubstr("not a keyproj snapshot"));
  std::string b = bytes_;
  b[1] = 'X';
  EXPECT_THAT(Open(b), HasSubstr("not a keyproj snapshot"));
  EXPECT_THAT(Open(""), HasSubstr("not a keyproj snapshot"));
}

TEST_F(HostileSnapshot, NewerMajorIsRefusedByName) {
  sn::Header h = header_;
  h.format_major = sn::kFormatMajor + 1;
  h.format_minor = 0;
  std::string b = bytes_;
  std::memcpy(b.data(), &h, sizeof(h));
  Put(bad_, b);
  absl::StatusOr<Snapshot> s = OpenSnapshot(bad_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.status().message(), HasSubstr("newer than this keyproj"));
  EXPECT_THAT(s.status().message(), HasSubstr("format 2.0"));
}

TEST_F(HostileSnapshot, BigEndianIsNamed) {
  sn::Header h = header_;
  h.byte_order = 0x04030201;
  std::string b = bytes_;
  std::memcpy(b.data(), &h, sizeof(h));
  EXPECT_THAT(Open(b), HasSubstr("big-endian"));
}

// Crafted files: every checksum valid, a value out of range. Each must be refused
// naming the section, never read out of bounds (the ASan preset runs this too).
TEST_F(HostileSnapshot, CraftedOffsetsAndIdsAreRefused) {
  const uint32_t n = 300;
  // slot_begin: a run past the slots.
  EXPECT_THAT(Open(Crafted<uint64_t>(40, 5, uint64_t{1} << 40)), HasSubstr("monthly.slot_begin"));
  // tag_begin's last entry beyond tag_ids.
  EXPECT_THAT(Open(Crafted<uint32_t>(28, n, 1u << 30)), HasSubstr("projects.tag_begin"));
  // A name id past the string pool.
  EXPECT_THAT(Open(Crafted<uint32_t>(2, 7, 1u << 31)), HasSubstr("projects.name"));
  // A running-totals block pointing past the totals.
  internal::TotalsBlock block = Element<internal::TotalsBlock>(42, 0);
  block.offset += uint64_t{1} << 33;
  EXPECT_THAT(Open(Crafted(42, 0, block)), HasSubstr("monthly.total_blocks"));
  // A funding row of another project.
  EXPECT_THAT(Open(Crafted<uint32_t>(60, 0, n + 5)), HasSubstr("funding.project"));
  // An enum out of its vocabulary, a date out of range, a problem kind bit.
  EXPECT_THAT(Open(Crafted<uint8_t>(8, 3, 200)), HasSubstr("projects.stage"));
  EXPECT_THAT(Open(Crafted<int32_t>(18, 3, 2000000000)), HasSubstr("projects.started_on"));
  EXPECT_THAT(Open(Crafted<uint8_t>(47, 0, 0x80)), HasSubstr("monthly.problems"));
  // A string pool offset out of order; a code that names another project.
  EXPECT_THAT(Open(Crafted<uint64_t>(202, 3, ~uint64_t{0})), HasSubstr("strings.offsets"));
  EXPECT_THAT(Open(Crafted<uint32_t>(1, 0, Element<uint32_t>(1, 1))), HasSubstr("projects.code"));
  EXPECT_THAT(Open(Crafted<uint32_t>(204, 1, n + 1)), HasSubstr("does not name this project"));
  // Approvals of a project that does not exist; a row_begin that goes backwards.
  EXPECT_THAT(Open(Crafted<uint32_t>(117, 2, 0)), HasSubstr("approvals.row_begin"));
  // An error names the byte offset.
  EXPECT_THAT(Open(Crafted<uint32_t>(2, 7, 1u << 31)), HasSubstr("(byte "));
}

TEST_F(HostileSnapshot, CraftedSectionTableIsRefused) {
  auto with_entry = [&](size_t i, auto change) {
    std::vector<sn::SectionEntry> table = table_;
    change(table[i]);
    sn::Header h = header_;
    h.checksum = sn::HeaderChecksum(h, table.data());
    std::string b = bytes_;
    std::memcpy(b.data(), &h, sizeof(h));
    std::memcpy(b.data() + sizeof(h), table.data(), table.size() * sizeof(sn::SectionEntry));
    return b;
  };
  EXPECT_THAT(Open(with_entry(3, [](sn::SectionEntry& e) { e.offset += 8; })), HasSubstr("not a multiple of 64"));
  EXPECT_THAT(Open(with_entry(3, [](sn::SectionEntry& e) { e.count += 1; })), HasSubstr("is not"));
  EXPECT_THAT(Open(with_entry(3, [&](sn::SectionEntry& e) { e.offset = 0; })), HasSubstr("overlaps"));
  EXPECT_THAT(Open(with_entry(5, [&](sn::SectionEntry& e) { e.offset = uint64_t{1} << 50; })),
              HasSubstr("past the end"));
  EXPECT_THAT(Open(with_entry(4, [&](sn::SectionEntry& e) { e.id = table_[3].id; })), HasSubstr("second section"));
  EXPECT_THAT(Open(with_entry(0, [&](sn::SectionEntry& e) { e.id = 9999; })), HasSubstr("projects.code (id 1) is missing"));
  EXPECT_THAT(Open(with_entry(0, [&](sn::SectionEntry& e) {
                e.element_size = 2;
                e.count *= 2;
              })),
              HasSubstr("element size 2, expected 4"));
}

// The bureau layouts of the files a ledger was read from (docs/ledger-loading.md)
// travel in section 252 (format 1.1); a 1.0 file, without it, opens with none; a
// crafted one is refused by name.
TEST_F(HostileSnapshot, LayoutsRoundTripAndAreOptional) {
  const std::vector<CsvInput> files = {
      {"projects.csv",
       "2009年襄城区重点项目台账,,,\n,,,单位：元\n序号,项目代码,项目名称,总投资\n1,A1,甲,100.50\n2,A2,乙,9.50\n"
       "合计,,,110.00\n填报单位：襄城区发改局,,填报人：张三,\n"},
      {"plans.csv", "项目代码,年度,计划投资（亿元）\nA1,2024,0.01\n"}};
  Diagnostics diagnostics;
  absl::StatusOr<Ledger> loaded = LoadCsvLedger(std::span<const CsvInput>(files), {}, &diagnostics);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->layouts().size(), 2u);
  const fs::path file = Scratch("layouts.kpl");
  ASSERT_TRUE(WriteSnapshot(*loaded, nullptr, file).ok());
  absl::StatusOr<Snapshot> opened = OpenSnapshot(file);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_TRUE(opened->ledger.layouts() == loaded->layouts());
  EXPECT_EQ(opened->ledger.layouts()[0].totals.size(), 1u);
  EXPECT_EQ(opened->ledger.layouts()[1].unit_headers, std::vector<std::string>{"计划投资（亿元）"});

  // The fixture's ledger (generated, no layouts): an empty section; renamed to an id
  // this reader does not know (what a 1.0 file is to it: no section 252), it opens.
  size_t layouts = table_.size();
  for (size_t i = 0; i < table_.size(); ++i) {
    if (table_[i].id == 252) layouts = i;
  }
  ASSERT_LT(layouts, table_.size());
  std::vector<sn::SectionEntry> table = table_;
  table[layouts].id = 9999;
  sn::Header h = header_;
  h.format_minor = 0;
  h.checksum = sn::HeaderChecksum(h, table.data());
  std::string b = bytes_;
  std::memcpy(b.data(), &h, sizeof(h));
  std::memcpy(b.data() + sizeof(h), table.data(), table.size() * sizeof(sn::SectionEntry));
  Put(bad_, b);
  absl::StatusOr<Snapshot> old = OpenSnapshot(bad_);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_TRUE(old->ledger.layouts().empty());
  // A count of layouts the section does not hold.
  EXPECT_THAT(Open(Crafted<uint32_t>(252, 0, 5)), HasSubstr("layouts"));
}

TEST(SnapshotHash, IsXxh64) {
  // Published XXH64 values (seed 0).
  EXPECT_EQ(sn::Xxh64("", 0), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(sn::Xxh64("abc", 3), 0x44BC2CF5AD770999ULL);
  const std::string s = "Nobody inspects the spammish repetition";
  EXPECT_EQ(sn::Xxh64(s.data(), s.size()), 0xFBCEA83C8A378BF1ULL);
}

TEST(Snapshot, MissingFileAndFolderAreNamed) {
  absl::StatusOr<Snapshot> s = OpenSnapshot(Scratch("none.kpl"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(s.status().message(), HasSubstr("none.kpl"));
  s = OpenSnapshot(kExamples);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("not a file"));
}

}  // namespace
}  // namespace keyproj
