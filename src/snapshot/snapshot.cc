// Writing and opening snapshots (include/keyproj/snapshot.h; the layout is
// format.h, the column list access.h, the description for people docs/snapshot.md).
#include "keyproj/snapshot.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "keyproj/internal/file_io.h"
#include "keyproj/internal/no_throw.h"
#include "keyproj/internal/text.h"
#include "keyproj/ledger_builder.h"
#include "keyproj/xlsx_ledger.h"
#include "snapshot/access.h"
#include "snapshot/format.h"
#include "snapshot/hash.h"
#include "snapshot/validate.h"

namespace keyproj {

namespace {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Column;
using ::keyproj::internal::SnapshotAccess;
using ::keyproj::internal::StringPool;
namespace fs = std::filesystem;
namespace sn = ::keyproj::snapshot;

static_assert(std::endian::native == std::endian::little,
              "snapshots are little-endian and mapped in place: a big-endian host needs a converting reader");

// ---- writing ----------------------------------------------------------------------

struct PendingSection {
  uint32_t id;
  uint32_t element_size;
  const void* data;
  uint64_t count;
};

// The bytes a column is written as: its own memory, except for element types with
// padding (IndustryCode), written field by field with the padding zeroed so that
// the same ledger always gives the same file.
template <typename T>
const void* ColumnBytes(const Column<T>& column, std::deque<std::string>* owned) {
  if constexpr (std::has_unique_object_representations_v<T>) {
    return column.data();
  } else {
    static_assert(std::is_same_v<T, IndustryCode>, "a padded element type needs its fields written out here");
    std::string& out = owned->emplace_back(column.size() * sizeof(T), '\0');
    for (size_t i = 0; i < column.size(); ++i) {
      char* e = out.data() + i * sizeof(T);
      std::memcpy(e + offsetof(IndustryCode, section), &column[i].section, 1);
      std::memcpy(e + offsetof(IndustryCode, division), &column[i].division, 1);
      std::memcpy(e + offsetof(IndustryCode, detail), &column[i].detail, 2);
      std::memcpy(e + offsetof(IndustryCode, detail_digits), &column[i].detail_digits, 1);
    }
    return out.data();
  }
}

template <typename T>
void AppendPod(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

void AddPool(const StringPool& pool, uint32_t offsets_id, uint32_t blob_id, std::vector<PendingSection>* sections,
             std::deque<std::string>* owned) {
  std::string& offsets = owned->emplace_back();
  std::string& blob = owned->emplace_back();
  offsets.reserve((pool.size() + 1) * sizeof(uint64_t));
  AppendPod<uint64_t>(&offsets, 0);
  for (uint32_t id = 0; id < pool.size(); ++id) {
    blob.append(pool.Get(id));
    AppendPod<uint64_t>(&offsets, blob.size());
  }
  sections->push_back({offsets_id, sizeof(uint64_t), offsets.data(), pool.size() + 1});
  sections->push_back({blob_id, 1, blob.data(), blob.size()});
}

// kExtras: u32 column count, then per column u32 table, u32 header bytes, the
// header, u64 value count, the u32 values.
std::string ExtrasBytes(const Ledger& ledger) {
  std::string out;
  uint32_t count = 0;
  for (int t = 0; t < kTableCount; ++t) count += static_cast<uint32_t>(ledger.extras(static_cast<Table>(t)).size());
  AppendPod(&out, count);
  for (int t = 0; t < kTableCount; ++t) {
    for (const ExtraColumn& c : ledger.extras(static_cast<Table>(t))) {
      AppendPod(&out, static_cast<uint32_t>(t));
      AppendPod(&out, static_cast<uint32_t>(c.header.size()));
      out.append(c.header);
      AppendPod(&out, static_cast<uint64_t>(c.values.size()));
      out.append(reinterpret_cast<const char*>(c.values.data()), c.values.size() * sizeof(uint32_t));
    }
  }
  return out;
}

// kLayouts: u32 count, then per table file (docs/snapshot.md): u8 table, text file,
// i64 header_line, i32 header_rows, lines notes, text unit, i64 unit_line, u32 n and
// n texts unit_headers, i32 serial_column, u32 n and n totals (i64 line, text word,
// u8 checked, u8 agrees), lines sections, lines footers. A text is u32 bytes and the
// bytes; lines are u32 n and n times (i64 line, text).
std::string LayoutBytes(const Ledger& ledger) {
  std::string out;
  auto text = [&](std::string_view s) {
    AppendPod(&out, static_cast<uint32_t>(s.size()));
    out.append(s);
  };
  auto lines = [&](const std::vector<LayoutLine>& ls) {
    AppendPod(&out, static_cast<uint32_t>(ls.size()));
    for (const LayoutLine& l : ls) {
      AppendPod(&out, l.line);
      text(l.text);
    }
  };
  AppendPod(&out, static_cast<uint32_t>(ledger.layouts().size()));
  for (const TableLayout& l : ledger.layouts()) {
    AppendPod(&out, static_cast<uint8_t>(l.table));
    text(l.file);
    AppendPod(&out, l.header_line);
    AppendPod(&out, static_cast<int32_t>(l.header_rows));
    lines(l.notes);
    text(l.unit);
    AppendPod(&out, l.unit_line);
    AppendPod(&out, static_cast<uint32_t>(l.unit_headers.size()));
    for (const std::string& h : l.unit_headers) text(h);
    AppendPod(&out, static_cast<int32_t>(l.serial_column));
    AppendPod(&out, static_cast<uint32_t>(l.totals.size()));
    for (const LayoutTotal& t : l.totals) {
      AppendPod(&out, t.line);
      text(t.word);
      AppendPod(&out, static_cast<uint8_t>(t.checked));
      AppendPod(&out, static_cast<uint8_t>(t.agrees));
    }
    lines(l.sections);
    lines(l.footers);
  }
  return out;
}

// kRegions: u32 count, then per name (ascending code) i32 code, u32 bytes, the name.
std::string RegionBytes(const RegionNames* regions) {
  std::vector<std::pair<int32_t, std::string_view>> names;
  if (regions != nullptr) {
    for (const auto& [code, name] : regions->all()) names.emplace_back(code, name);
  }
  std::sort(names.begin(), names.end());
  std::string out;
  AppendPod(&out, static_cast<uint32_t>(names.size()));
  for (const auto& [code, name] : names) {
    AppendPod(&out, code);
    AppendPod(&out, static_cast<uint32_t>(name.size()));
    out.append(name);
  }
  return out;
}

absl::Status WriteError(const fs::path& path, int error) {
  return absl::UnavailableError(Cat("cannot write ", path.string(), ": ", std::strerror(error)));
}

absl::Status WriteSnapshotImpl(const Ledger& ledger, const RegionNames* regions, const fs::path& path) {
  std::deque<std::string> owned;  // bytes made for the file (a deque: they never move)
  std::vector<PendingSection> sections;
  SnapshotAccess::ForEachColumn(ledger, [&](uint32_t id, const char*, const auto& column) {
    using T = typename std::decay_t<decltype(column)>::value_type;
    sections.push_back({id, sizeof(T), ColumnBytes(column, &owned), column.size()});
  });
  AddPool(SnapshotAccess::codes(ledger), internal::kCodesOffsets, internal::kCodesBlob, &sections, &owned);
  AddPool(SnapshotAccess::strings(ledger), internal::kStringsOffsets, internal::kStringsBlob, &sections, &owned);
  const std::string& extras = owned.emplace_back(ExtrasBytes(ledger));
  sections.push_back({internal::kExtras, 1, extras.data(), extras.size()});
  const std::string& region_bytes = owned.emplace_back(RegionBytes(regions));
  sections.push_back({internal::kRegions, 1, region_bytes.data(), region_bytes.size()});
  const std::string& layout_bytes = owned.emplace_back(LayoutBytes(ledger));
  sections.push_back({internal::kLayouts, 1, layout_bytes.data(), layout_bytes.size()});

  // The layout: header, table, then each section at the next multiple of 64.
  std::vector<sn::SectionEntry> table(sections.size());
  uint64_t offset = sizeof(sn::Header) + sections.size() * sizeof(sn::SectionEntry);
  for (size_t i = 0; i < sections.size(); ++i) {
    const PendingSection& s = sections[i];
    offset = sn::AlignUp(offset);
    const uint64_t length = s.count * s.element_size;
    table[i] = {s.id, s.element_size, offset, length, s.count, sn::Xxh64(s.data, length), 0};
    offset += length;
  }
  sn::Header header{};
  std::memcpy(header.magic, sn::kMagic, sizeof(header.magic));
  header.format_major = sn::kFormatMajor;
  header.format_minor = sn::kFormatMinor;
  header.byte_order = sn::kByteOrderMark;
  header.header_size = sizeof(sn::Header);
  header.entry_size = sizeof(sn::SectionEntry);
  header.section_count = static_cast<uint32_t>(table.size());
  header.table_offset = sizeof(sn::Header);
  header.file_size = offset;
  std::snprintf(header.written_by, sizeof(header.written_by), "%s", KEYPROJ_VERSION);
  header.checksum = sn::HeaderChecksum(header, table.data());

  absl::StatusOr<internal::AtomicOutput> out = internal::AtomicOutput::Begin(path.string());
  if (!out.ok()) return out.status();
  std::FILE* file = std::fopen(out->temp_path().c_str(), "wb");
  if (file == nullptr) return WriteError(path, errno);
  struct Closer {
    std::FILE* f;
    ~Closer() {
      if (f != nullptr) std::fclose(f);
    }
  } closer{file};
  static const char kZeros[sn::kAlignment] = {};
  uint64_t at = 0;
  auto put = [&](const void* data, uint64_t n) {
    if (n != 0 && std::fwrite(data, 1, n, file) != n) return false;
    at += n;
    return true;
  };
  bool ok = put(&header, sizeof(header)) && put(table.data(), table.size() * sizeof(sn::SectionEntry));
  for (size_t i = 0; ok && i < sections.size(); ++i) {
    ok = put(kZeros, table[i].offset - at) && put(sections[i].data, table[i].length);
  }
  if (!ok || std::fflush(file) != 0) return WriteError(path, errno != 0 ? errno : EIO);
  const int closed = std::fclose(std::exchange(closer.f, nullptr));
  if (closed != 0) return WriteError(path, errno);
  return out->Commit();
}

// ---- opening ----------------------------------------------------------------------

absl::StatusOr<Snapshot> OpenSnapshotImpl(const fs::path& path) {
  absl::StatusOr<sn::CheckedFile> file = sn::CheckedFile::Open(path);
  if (!file.ok()) return file.status();
  Snapshot out;
  Ledger& ledger = out.ledger;
  // Adopts every column and pool in place and checks the ledger they make, while
  // the checksums are computed (VerifyAll).
  auto build = [&]() -> absl::Status {
    absl::Status status;
    SnapshotAccess::ForEachColumn(ledger, [&](uint32_t id, const char* name, auto& column) {
      using T = typename std::decay_t<decltype(column)>::value_type;
      if (!status.ok()) return;
      absl::StatusOr<std::span<const T>> elements = file->Elements<T>(id, name);
      if (!elements.ok()) {
        status = elements.status();
        return;
      }
      column.Adopt(elements->data(), elements->size());
    });
    if (!status.ok()) return status;
    for (auto [offsets_id, blob_id, pool] : {std::tuple{internal::kCodesOffsets, internal::kCodesBlob,
                                                        &SnapshotAccess::codes(ledger)},
                                             std::tuple{internal::kStringsOffsets, internal::kStringsBlob,
                                                        &SnapshotAccess::strings(ledger)}}) {
      const char* name = offsets_id == internal::kCodesOffsets ? "codes" : "strings";
      absl::StatusOr<std::span<const uint64_t>> offsets =
          file->Elements<uint64_t>(offsets_id, Cat(name, ".offsets"));
      if (!offsets.ok()) return offsets.status();
      absl::StatusOr<std::span<const char>> blob = file->Elements<char>(blob_id, Cat(name, ".blob"));
      if (!blob.ok()) return blob.status();
      if (absl::Status s = file->CheckPool(offsets_id, *offsets, blob->size()); !s.ok()) return s;
      pool->Adopt(offsets->data(), static_cast<uint32_t>(offsets->size() - 1), blob->data());
    }
    absl::StatusOr<std::span<const char>> extras = file->Elements<char>(internal::kExtras, "extras");
    if (!extras.ok()) return extras.status();
    if (absl::Status s = file->ReadExtras(*extras, &SnapshotAccess::extras(ledger)); !s.ok()) return s;
    if (absl::Status s = file->ReadLayouts(&SnapshotAccess::layouts(ledger)); !s.ok()) return s;
    return sn::ValidateLedger(*file, ledger);
  };
  if (absl::Status s = file->VerifyAll(build); !s.ok()) return s;
  absl::StatusOr<RegionNames> regions = file->ReadRegions();
  if (!regions.ok()) return regions.status();
  out.regions = std::make_shared<const RegionNames>(*std::move(regions));
  out.written_by = file->written_by();
  SnapshotAccess::KeepAlive(ledger, file->Release());
  return out;
}

}  // namespace

absl::Status WriteSnapshot(const Ledger& ledger, const RegionNames* regions, const fs::path& path) {
  return internal::NoThrow("writing the snapshot", [&] { return WriteSnapshotImpl(ledger, regions, path); });
}

absl::StatusOr<Snapshot> OpenSnapshot(const fs::path& path) {
  return internal::NoThrow("opening the snapshot", [&] { return OpenSnapshotImpl(path); });
}

absl::StatusOr<RegionNames> SnapshotRegionNames(const fs::path& path) {
  return internal::NoThrow("reading the snapshot's region names", [&]() -> absl::StatusOr<RegionNames> {
    absl::StatusOr<sn::CheckedFile> file = sn::CheckedFile::Open(path);
    if (!file.ok()) return file.status();
    return file->ReadRegions();
  });
}

bool IsSnapshot(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  unsigned char magic[sizeof(sn::kMagic)] = {};
  const size_t n = std::fread(magic, 1, sizeof(magic), f);
  std::fclose(f);
  return n == sizeof(magic) && std::memcmp(magic, sn::kMagic, sizeof(magic)) == 0;
}

absl::StatusOr<Ledger> OpenLedger(const fs::path& path, const LoadOptions& options, Diagnostics* diagnostics,
                                  std::shared_ptr<const RegionNames>* packed_regions) {
  std::error_code ec;
  if (IsZipFile(path)) {
    // A workbook (--data ledger.xlsx): its region names are its sheet 行政区划's.
    RegionNames names;
    absl::StatusOr<Ledger> ledger = LoadXlsxLedger(path, options, diagnostics, &names);
    if (ledger.ok() && packed_regions != nullptr) {
      *packed_regions = std::make_shared<const RegionNames>(std::move(names));
    }
    return ledger;
  }
  if (fs::is_regular_file(path, ec)) {
    absl::StatusOr<Snapshot> snapshot = OpenSnapshot(path);
    if (!snapshot.ok()) return snapshot.status();
    // Its funding was converted when it was packed: a rate given now must be that one.
    if (absl::Status st = CheckConvertedAt(snapshot->ledger, options.fx_rates); !st.ok()) {
      return absl::InvalidArgumentError(
          Cat(path.string(), ": the snapshot was packed with another exchange rate (", st.message(),
              "); pack the ledger again with the rate, or give none to use the packed one"));
    }
    if (packed_regions != nullptr) *packed_regions = std::move(snapshot->regions);
    return std::move(snapshot->ledger);
  }
  // Nothing there: name what could have been (a path ending .kpl read "ledger folder
  // not found", as if only a folder were looked for).
  if (!fs::exists(path, ec) && !fs::is_symlink(path, ec)) {
    return absl::NotFoundError(
        Cat("not found: ", path.string(), " (neither a ledger folder, nor a .kpl snapshot, nor an .xlsx workbook)"));
  }
  return LoadCsvLedger(path, options, diagnostics);
}

}  // namespace keyproj
