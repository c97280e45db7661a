// Fuzz target: the snapshot reader (OpenSnapshot, SnapshotRegionNames) must never
// crash, hang or read out of bounds, whatever the file holds -- and a file it opens
// must read without fault.
//
// Two files per input:
//  1. the input as it is (mostly caught by the magic, the checksums, the table);
//  2. a small valid snapshot (built once) patched by the input and then given valid
//     checksums again -- a crafted file, which only the structural checks stand
//     between and the engine. The input is read as patches of 5 bytes: a
//     little-endian u32 offset (modulo the file size) and the byte to put there; a
//     first byte 'T' truncates the file at the first patch's offset instead.
// The seed corpus tests/fuzz/corpus/snapshot/ holds a small valid snapshot and
// patch lists.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "keyproj/generator.h"
#include "keyproj/ledger.h"
#include "keyproj/report_request.h"
#include "keyproj/snapshot.h"
#include "snapshot/format.h"
#include "snapshot/hash.h"
#include "snapshot/validate.h"

namespace {

namespace sn = ::keyproj::snapshot;

std::string TempPath() {
  return (std::filesystem::temp_directory_path() / ("keyproj_snapshot_fuzz_" + std::to_string(::getpid()) + ".kpl"))
      .string();
}

void Put(const std::string& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
  std::fclose(f);
}

const std::string& ValidSnapshot() {
  static const std::string bytes = [] {
    keyproj::GeneratorOptions options;
    options.projects = 12;
    absl::StatusOr<keyproj::Ledger> ledger = keyproj::GenerateLedger(options);
    if (!ledger.ok()) std::abort();
    keyproj::RegionNames regions;
    regions.Add(61, "陕西省");
    const std::string path = TempPath();
    if (!keyproj::WriteSnapshot(*ledger, &regions, path).ok()) std::abort();
    std::FILE* f = std::fopen(path.c_str(), "rb");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
    std::fclose(f);
    return out;
  }();
  return bytes;
}

// Recomputes every checksum the (possibly damaged) table allows.
void FixChecksums(std::string& b) {
  if (b.size() < sizeof(sn::Header)) return;
  sn::Header h;
  std::memcpy(&h, b.data(), sizeof(h));
  if (h.section_count > sn::kMaxSections || sizeof(h) + uint64_t{h.section_count} * sizeof(sn::SectionEntry) > b.size()) {
    return;
  }
  std::vector<sn::SectionEntry> table(h.section_count);
  if (table.empty()) return;
  std::memcpy(table.data(), b.data() + sizeof(h), table.size() * sizeof(sn::SectionEntry));
  for (sn::SectionEntry& e : table) {
    if (e.offset <= b.size() && e.length <= b.size() - e.offset) e.checksum = sn::Xxh64(b.data() + e.offset, e.length);
  }
  h.checksum = sn::HeaderChecksum(h, table.data());
  std::memcpy(b.data(), &h, sizeof(h));
  std::memcpy(b.data() + sizeof(h), table.data(), table.size() * sizeof(sn::SectionEntry));
}

// Reads everything a report reads, so that a file the checks let through is
// exercised (ASan would see an out-of-bounds read here).
void Use(const keyproj::Snapshot& s) {
  const keyproj::Ledger& l = s.ledger;
  for (uint32_t p = 0; p < l.size(); ++p) {
    (void)l.code(p);
    (void)l.name(p);
    if (auto m = l.months(p)) (void)l.Investment(p, *m);
    (void)l.FindProject(l.code(p));
  }
  keyproj::ReportRequest request;
  request.groupings = {{keyproj::Dimension::kCounty}, {}};
  request.regions = s.regions;
  (void)keyproj::MakeReport(l, request);
}

void Try(const std::string& bytes) {
  const std::string path = TempPath();
  Put(path, bytes);
  absl::StatusOr<keyproj::Snapshot> s = keyproj::OpenSnapshot(path);
  if (s.ok()) Use(*s);
  (void)keyproj::SnapshotRegionNames(path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Try(std::string(reinterpret_cast<const char*>(data), size));

  std::string b = ValidSnapshot();
  const bool truncate = size > 0 && data[0] == 'T';
  for (size_t i = truncate ? 1 : 0; i + 5 <= size; i += 5) {
    uint32_t at;
    std::memcpy(&at, data + i, 4);
    at %= static_cast<uint32_t>(b.size());
    if (truncate) {
      b.resize(at);
      break;
    }
    b[at] = static_cast<char>(data[i + 4]);
  }
  FixChecksums(b);
  Try(b);
  std::remove(TempPath().c_str());
  return 0;
}
