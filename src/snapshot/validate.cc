#include "snapshot/validate.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <atomic>
#include <functional>
#include <limits>
#include <system_error>
#include <thread>

#include "absl/strings/str_cat.h"
#include "keyproj/approval.h"
#include "keyproj/classification.h"
#include "keyproj/date.h"
#include "keyproj/internal/civil_days.h"
#include "keyproj/enum_table.h"
#include "keyproj/funding.h"
#include "keyproj/industry.h"
#include "keyproj/internal/ledger_columns.h"
#include "keyproj/internal/text.h"
#include "keyproj/problem_kind.h"
#include "keyproj/project_code.h"
#include "keyproj/stage.h"
#include "snapshot/access.h"
#include "snapshot/hash.h"

namespace keyproj::snapshot {

namespace {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Column;

// Reads a T at `at` of `bytes` (unaligned), advancing `at`; false past the end.
template <typename T>
bool Take(std::span<const char> bytes, uint64_t* at, T* out) {
  if (bytes.size() - *at < sizeof(T) || *at > bytes.size()) return false;
  std::memcpy(out, bytes.data() + *at, sizeof(T));
  *at += sizeof(T);
  return true;
}

}  // namespace

uint64_t HeaderChecksum(const Header& header, const SectionEntry* table) {
  const uint64_t seed = Xxh64(&header, offsetof(Header, checksum));
  return Xxh64(table, uint64_t{header.section_count} * sizeof(SectionEntry), seed);
}

absl::StatusOr<CheckedFile> CheckedFile::Open(const std::filesystem::path& path) {
  CheckedFile f;
  f.path_ = path.string();
  absl::StatusOr<internal::FileBytes> bytes = internal::ReadFileBytes(f.path_);
  if (!bytes.ok()) return bytes.status();
  f.bytes_ = std::make_shared<internal::FileBytes>(*std::move(bytes));
  const std::string_view all = f.bytes_->bytes();
  const std::string& p = f.path_;
  if (all.size() < sizeof(kMagic) || std::memcmp(all.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::InvalidArgumentError(
        Cat(p, ": not a keyproj snapshot (it does not start with the snapshot magic number \\x89KPL\\r\\n\\x1a\\n; "
               "a ledger folder is given as the folder)"));
  }
  if (all.size() < sizeof(Header)) {
    return absl::DataLossError(Cat(p, ": truncated: ", all.size(), " bytes, shorter than the ", sizeof(Header),
                                   "-byte snapshot header"));
  }
  Header h;
  std::memcpy(&h, all.data(), sizeof(h));
  if (h.byte_order != kByteOrderMark) {
    return absl::DataLossError(Cat(p, ": byte-order mark at offset 12 is 0x", absl::StrCat(absl::Hex(h.byte_order)),
                                   h.byte_order == 0x04030201 ? " (written on a big-endian machine)" : "",
                                   "; snapshots are little-endian (0x01020304)"));
  }
  f.written_by_.assign(h.written_by, strnlen(h.written_by, sizeof(h.written_by)));
  if (h.format_major > kFormatMajor) {
    return absl::FailedPreconditionError(
        Cat(p, ": snapshot format ", h.format_major, ".", h.format_minor, " (written by keyproj ", f.written_by_,
            ") is newer than this keyproj (", KEYPROJ_VERSION, ") reads (", kFormatMajor,
            ".x): open it with a newer keyproj, or pack the ledger folder again with this one"));
  }
  if (h.format_major < kFormatMajor) {
    return absl::FailedPreconditionError(Cat(p, ": snapshot format ", h.format_major, ".", h.format_minor,
                                             " is older than any this keyproj reads; pack the ledger folder again"));
  }
  if (h.header_size != sizeof(Header) || h.entry_size != sizeof(SectionEntry) || h.table_offset != sizeof(Header)) {
    return absl::DataLossError(Cat(p, ": header at offset 16: header size ", h.header_size, ", entry size ",
                                   h.entry_size, ", table offset ", h.table_offset, " (expected ", sizeof(Header),
                                   ", ", sizeof(SectionEntry), ", ", sizeof(Header), ")"));
  }
  if (h.file_size != all.size()) {
    return absl::DataLossError(Cat(p, ": ", h.file_size > all.size() ? "truncated" : "has trailing bytes", ": ",
                                   all.size(), " bytes, the header (offset 32) says ", h.file_size));
  }
  if (h.section_count > kMaxSections ||
      sizeof(Header) + uint64_t{h.section_count} * sizeof(SectionEntry) > all.size()) {
    return absl::DataLossError(Cat(p, ": header at offset 20: ", h.section_count,
                                   " sections do not fit the file (", all.size(), " bytes)"));
  }
  std::vector<SectionEntry> table(h.section_count);
  if (!table.empty()) std::memcpy(table.data(), all.data() + sizeof(Header), table.size() * sizeof(SectionEntry));
  if (HeaderChecksum(h, table.data()) != h.checksum) {
    return absl::DataLossError(
        Cat(p, ": corrupted: the checksum of the header and section table (offset 56) does not match"));
  }
  uint64_t end = sizeof(Header) + table.size() * sizeof(SectionEntry);
  for (size_t i = 0; i < table.size(); ++i) {
    const SectionEntry& e = table[i];
    const uint64_t at = sizeof(Header) + i * sizeof(SectionEntry);
    auto bad = [&](std::string_view what) {
      return absl::DataLossError(Cat(p, ": section table entry ", i, " (offset ", at, ", section id ", e.id,
                                     "): ", what));
    };
    if (e.element_size == 0 || e.element_size > 64) return bad(Cat("element size ", e.element_size));
    if (e.count > std::numeric_limits<uint64_t>::max() / e.element_size || e.count * e.element_size != e.length) {
      return bad(Cat("length ", e.length, " is not ", e.count, " elements of ", e.element_size, " bytes"));
    }
    if (e.offset % kAlignment != 0) return bad(Cat("offset ", e.offset, " is not a multiple of ", kAlignment));
    if (e.offset < end) return bad(Cat("offset ", e.offset, " overlaps what precedes it (up to ", end, ")"));
    if (e.offset > all.size() || e.length > all.size() - e.offset) {
      return bad(Cat("bytes ", e.offset, "..", e.offset + e.length, " are past the end of the file (", all.size(),
                     " bytes): truncated"));
    }
    if (!f.sections_.emplace(e.id, e).second) return bad("a second section with this id");
    end = e.offset + e.length;
  }
  return f;
}

absl::Status CheckedFile::Verify(const SectionEntry& e) const {
  if (Xxh64(bytes_->bytes().data() + e.offset, e.length) == e.checksum) return absl::OkStatus();
  std::string name = Cat("id ", e.id);
  for (const auto& [n, id] : ids_) {
    if (id == e.id) name = n;
  }
  return absl::DataLossError(
      Cat(path_, ": corrupted: the checksum of section ", name, " (bytes ", e.offset, "..", e.offset + e.length,
          ") does not match"));
}

absl::Status CheckedFile::VerifyAll(const std::function<absl::Status()>& meanwhile) const {
  // Hashing is most of an open (~10 GB/s a core): up to 3 helper threads take the
  // sections, biggest first, while this thread runs `meanwhile` (the structural
  // checks) and then takes sections too.
  std::vector<const SectionEntry*> order;
  uint64_t total = 0;
  for (const auto& [id, e] : sections_) {
    order.push_back(&e);
    total += e.length;
  }
  std::sort(order.begin(), order.end(), [](const SectionEntry* a, const SectionEntry* b) {
    return a->length != b->length ? a->length > b->length : a->id < b->id;
  });
  const unsigned helpers =
      total < (uint64_t{32} << 20) ? 0 : std::clamp(std::thread::hardware_concurrency(), 1u, 4u) - 1;
  std::vector<uint64_t> hashes(order.size());
  std::atomic<size_t> next{0};
  const char* base = bytes_->bytes().data();
  auto hash = [&] {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < order.size();) {
      hashes[i] = Xxh64(base + order[i]->offset, order[i]->length);
    }
  };
  std::vector<std::thread> workers;
  struct Join {  // also when `meanwhile` throws (NoThrow turns it into a Status)
    std::vector<std::thread>& threads;
    ~Join() {
      for (std::thread& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } join{workers};
  workers.reserve(helpers);
  for (unsigned t = 0; t < helpers; ++t) {
    try {
      workers.emplace_back(hash);
    } catch (const std::system_error&) {
      break;  // no thread to be had: this one hashes the rest
    }
  }
  const absl::Status checked = meanwhile ? meanwhile() : absl::OkStatus();
  hash();
  for (std::thread& w : workers) w.join();
  // A bad checksum is the error (a corrupted file fails the structural checks
  // too, but "corrupted" is what happened); the first bad section in file order.
  const SectionEntry* bad = nullptr;
  for (size_t i = 0; i < order.size(); ++i) {
    if (hashes[i] != order[i]->checksum && (bad == nullptr || order[i]->offset < bad->offset)) bad = order[i];
  }
  return bad != nullptr ? Verify(*bad) : checked;
}

absl::StatusOr<const SectionEntry*> CheckedFile::Find(uint32_t id, std::string_view name,
                                                      uint64_t element_size) const {
  ids_.try_emplace(std::string(name), id);
  auto it = sections_.find(id);
  if (it == sections_.end()) {
    return absl::DataLossError(Cat(path_, ": section ", name, " (id ", id, ") is missing"));
  }
  if (it->second.element_size != element_size) {
    return absl::DataLossError(Cat(path_, ": section ", name, " at offset ", it->second.offset, ": element size ",
                                   it->second.element_size, ", expected ", element_size));
  }
  return &it->second;
}

absl::Status CheckedFile::Corrupt(std::string_view section, uint64_t index, uint64_t element_size,
                                  std::string_view what) const {
  auto id = ids_.find(std::string(section));
  const uint64_t offset = id == ids_.end() ? 0 : sections_.at(id->second).offset;
  return absl::DataLossError(Cat(path_, ": section ", section, " at offset ", offset, ": entry ", index, " (byte ",
                                 offset + index * element_size, "): ", what));
}

absl::Status CheckedFile::CheckPool(uint32_t offsets_id, std::span<const uint64_t> offsets, uint64_t blob_size) const {
  const std::string name = offsets_id == internal::kCodesOffsets ? "codes.offsets" : "strings.offsets";
  if (offsets.size() < 2 || offsets.size() - 1 > std::numeric_limits<uint32_t>::max()) {
    return Corrupt(name, 0, 8, Cat(offsets.size(), " offsets: a pool has the empty string and at most 2^32-1"));
  }
  if (offsets[0] != 0 || offsets[1] != 0) return Corrupt(name, 0, 8, "string 0 must be the empty string");
  for (size_t i = 1; i < offsets.size(); ++i) {
    if (offsets[i] < offsets[i - 1]) return Corrupt(name, i, 8, Cat(offsets[i], " is below the one before it"));
  }
  if (offsets.back() != blob_size) {
    return Corrupt(name, offsets.size() - 1, 8, Cat("ends at ", offsets.back(), ", the blob has ", blob_size, " bytes"));
  }
  return absl::OkStatus();
}

absl::Status CheckedFile::ReadExtras(std::span<const char> bytes,
                                     std::vector<ExtraColumn> (*extras)[kTableCount]) const {
  uint64_t at = 0;
  uint32_t count = 0;
  auto bad = [&](std::string_view what) { return Corrupt("extras", at, 1, what); };
  if (!Take(bytes, &at, &count)) return bad("truncated");
  for (uint32_t c = 0; c < count; ++c) {
    uint32_t table = 0, header_size = 0;
    uint64_t values = 0;
    if (!Take(bytes, &at, &table) || !Take(bytes, &at, &header_size)) return bad("truncated");
    if (table >= kTableCount) return bad(Cat("table ", table, " is not a table"));
    if (header_size > bytes.size() - at) return bad("truncated");
    ExtraColumn column;
    column.header.assign(bytes.data() + at, header_size);
    at += header_size;
    if (!Take(bytes, &at, &values)) return bad("truncated");
    if (values > (bytes.size() - at) / sizeof(uint32_t)) return bad("truncated");
    column.values.resize(values);
    if (values != 0) std::memcpy(column.values.data(), bytes.data() + at, values * sizeof(uint32_t));
    at += values * sizeof(uint32_t);
    (*extras)[table].push_back(std::move(column));
  }
  if (at != bytes.size()) return bad("trailing bytes");
  return absl::OkStatus();
}

absl::Status CheckedFile::ReadLayouts(std::vector<TableLayout>* layouts) const {
  if (!sections_.contains(internal::kLayouts)) return absl::OkStatus();
  absl::StatusOr<std::span<const char>> section = Elements<char>(internal::kLayouts, "layouts");
  if (!section.ok()) return section.status();
  const std::span<const char> bytes = *section;
  uint64_t at = 0;
  auto bad = [&](std::string_view what) { return Corrupt("layouts", at, 1, what); };
  bool ok = true;
  auto text = [&](std::string* out) {
    uint32_t size = 0;
    if (!ok || !Take(bytes, &at, &size) || size > bytes.size() - at) {
      ok = false;
      return;
    }
    out->assign(bytes.data() + at, size);
    at += size;
  };
  auto num = [&](auto* out) { ok = ok && Take(bytes, &at, out); };
  auto lines = [&](std::vector<LayoutLine>* out) {
    uint32_t n = 0;
    num(&n);
    for (uint32_t i = 0; ok && i < n; ++i) {
      LayoutLine& l = out->emplace_back();
      num(&l.line);
      text(&l.text);
    }
  };
  uint32_t count = 0;
  num(&count);
  for (uint32_t i = 0; ok && i < count; ++i) {
    TableLayout& l = layouts->emplace_back();
    uint8_t table = 0;
    num(&table);
    if (ok && table >= kTableCount) return bad(Cat("table ", table, " is not a table"));
    l.table = static_cast<Table>(table);
    text(&l.file);
    int32_t header_rows = 0, serial = 0;
    num(&l.header_line);
    num(&header_rows);
    if (ok && (header_rows < 1 || header_rows > 2)) return bad(Cat("a header of ", header_rows, " rows"));
    l.header_rows = header_rows;
    lines(&l.notes);
    text(&l.unit);
    num(&l.unit_line);
    uint32_t n = 0;
    num(&n);
    for (uint32_t k = 0; ok && k < n; ++k) text(&l.unit_headers.emplace_back());
    num(&serial);
    l.serial_column = serial;
    n = 0;
    num(&n);
    for (uint32_t k = 0; ok && k < n; ++k) {
      LayoutTotal& t = l.totals.emplace_back();
      uint8_t checked = 0, agrees = 0;
      num(&t.line);
      text(&t.word);
      num(&checked);
      num(&agrees);
      if (ok && (checked > 1 || agrees > 1)) return bad("a total's flags are not 0 or 1");
      t.checked = checked != 0;
      t.agrees = agrees != 0;
    }
    lines(&l.sections);
    lines(&l.footers);
  }
  if (!ok) return bad("truncated");
  if (at != bytes.size()) return bad("trailing bytes");
  return absl::OkStatus();
}

absl::StatusOr<RegionNames> CheckedFile::ReadRegions() const {
  absl::StatusOr<std::span<const char>> bytes = Elements<char>(internal::kRegions, "regions");
  if (!bytes.ok()) return bytes.status();
  if (absl::Status s = Verify(sections_.at(internal::kRegions)); !s.ok()) return s;
  RegionNames names;
  uint64_t at = 0;
  uint32_t count = 0;
  auto bad = [&](std::string_view what) { return Corrupt("regions", at, 1, what); };
  if (!Take(*bytes, &at, &count)) return bad("truncated");
  for (uint32_t i = 0; i < count; ++i) {
    int32_t code = 0;
    uint32_t size = 0;
    if (!Take(*bytes, &at, &code) || !Take(*bytes, &at, &size) || size > bytes->size() - at) return bad("truncated");
    const std::string name(bytes->data() + at, size);
    if (!RegionNames::ParseCode(std::to_string(code)) || name.empty()) {
      return bad(Cat("region ", code, " '", name, "': not a 2-, 4- or 6-digit code with a name"));
    }
    if (!names.Add(code, name)) return bad(Cat("region ", code, " is named twice"));
    at += size;
  }
  if (at != bytes->size()) return bad("trailing bytes");
  return names;
}

// ---- the ledger -------------------------------------------------------------------

namespace {

// What a LedgerBuilder could have built: the checks of ValidateLedger.
class LedgerChecker {
 public:
  LedgerChecker(const CheckedFile& file, const Ledger& ledger)
      : file_(file),
        c_(internal::Columns(ledger)),
        n_(ledger.size()),
        strings_(c_.strings.size()),
        // The years a Date holds (Date::FromYmd).
        min_day_(internal::civil::DaysFromCivil(1900, 1, 1)),
        max_day_(internal::civil::DaysFromCivil(9999, 12, 31)),
        min_month_(Month::FromYm(1900, 1).index()),
        max_month_(Month::FromYm(9999, 12).index()) {}

  absl::Status Error() const { return status_; }

  // Column `name` has `size` entries.
  template <typename T>
  void Size(std::string_view name, const Column<T>& c, uint64_t size) {
    if (ok() && c.size() != size) Fail(name, 0, sizeof(T), Cat(c.size(), " entries, expected ", size));
  }
  // A run index over `runs` projects: runs + 1 entries from 0, never decreasing, the
  // last `total`.
  template <typename T>
  void Runs(std::string_view name, const Column<T>& c, uint64_t runs, uint64_t total) {
    if (!ok()) return;
    if (c.size() != runs + 1) return Fail(name, 0, sizeof(T), Cat(c.size(), " entries, expected ", runs + 1));
    if (c[0] != 0) return Fail(name, 0, sizeof(T), Cat(c[0], ": the first run must start at 0"));
    for (uint64_t i = 1; i <= runs; ++i) {
      if (c[i] < c[i - 1]) return Fail(name, i, sizeof(T), Cat(c[i], " is below the one before it"));
    }
    if (c[runs] != total) return Fail(name, runs, sizeof(T), Cat("ends at ", c[runs], ", expected ", total));
  }
  // The rows of a table sorted by project: row i belongs to project[i], and
  // row_begin says where each project's rows are.
  // (Rows sorted by project, and each run starting and ending with its own
  // project, is the same and vectorises.)
  void Owners(std::string_view name, const Column<uint32_t>& project, const Column<uint32_t>& row_begin) {
    if (!ok() || row_begin.empty()) return;
    uint32_t unsorted = 0;
    const uint32_t* d = project.data();
    for (size_t i = 1, n = project.size(); i < n; ++i) unsorted |= static_cast<uint32_t>(d[i] < d[i - 1]);
    bool good = unsorted == 0;
    for (uint32_t p = 0; good && p < n_; ++p) {
      const uint32_t b = row_begin[p], e = row_begin[p + 1];
      good = b == e || (d[b] == p && d[e - 1] == p);
    }
    if (good) return;
    for (uint32_t p = 0; p < n_; ++p) {
      for (uint32_t i = row_begin[p]; i < row_begin[p + 1]; ++i) {
        if (project[i] != p) return Fail(name, i, 4, Cat("project ", project[i], " in the rows of project ", p));
      }
    }
  }
  // Ids into strings().
  void Texts(std::string_view name, const Column<uint32_t>& c) {
    if (!ok() || Max(c) < strings_) return;
    for (size_t i = 0; i < c.size(); ++i) {
      if (c[i] >= strings_) return Fail(name, i, 4, Cat("string id ", c[i], " (the pool has ", strings_, ")"));
    }
  }
  void Below(std::string_view name, const Column<uint32_t>& c, uint64_t limit) {
    if (!ok() || Max(c) < limit) return;
    for (size_t i = 0; i < c.size(); ++i) {
      if (c[i] >= limit) return Fail(name, i, 4, Cat(c[i], " is out of range (below ", limit, ")"));
    }
  }
  // The checks below first pass over a column in a loop the compiler vectorises
  // (the whole validation of 10^6 projects must fit the open's budget), and look for
  // the first bad entry only when there is one.
  template <typename T>
  static uint64_t Max(const Column<T>& c) {
    T m = 0;
    const T* d = c.data();
    for (size_t i = 0, n = c.size(); i < n; ++i) m = d[i] > m ? d[i] : m;
    return m;
  }
  void Days(std::string_view name, const Column<int32_t>& c) {
    if (!ok()) return;
    const uint32_t span = static_cast<uint32_t>(max_day_) - static_cast<uint32_t>(min_day_);
    const auto first = static_cast<uint32_t>(min_day_);
    uint32_t bad = 0;
    const int32_t* d = c.data();
    for (size_t i = 0, n = c.size(); i < n; ++i) {
      bad |= static_cast<uint32_t>(d[i] != kNoDay) & static_cast<uint32_t>(static_cast<uint32_t>(d[i]) - first > span);
    }
    if (bad == 0) return;
    for (size_t i = 0; i < c.size(); ++i) {
      if (c[i] != kNoDay && (c[i] < min_day_ || c[i] > max_day_)) {
        return Fail(name, i, 4, Cat("day number ", c[i], " is outside the years 1900..9999"));
      }
    }
  }
  void Months(std::string_view name, const Column<int32_t>& c) {
    if (!ok()) return;
    for (size_t i = 0; i < c.size(); ++i) {
      if (!MonthOk(c[i])) return Fail(name, i, 4, Cat("month index ", c[i], " is outside the years 1900..9999"));
    }
  }
  // Values of an enum: 0 (not known) or one of its vocabulary.
  template <typename E>
  void Enum(std::string_view name, const Column<E>& c) {
    static const std::array<bool, 256> known = [] {
      std::array<bool, 256> k{};
      k[0] = true;
      for (const EnumEntry<E>& e : EnumTraits<E>::entries()) k[static_cast<uint8_t>(e.value)] = true;
      return k;
    }();
    // Vocabularies are 0..top without gaps: then the largest value says it all.
    static const int top = [] {
      int t = 0;
      while (t + 1 < 256 && known[t + 1]) ++t;
      for (int v = t + 1; v < 256; ++v) {
        if (known[v]) return -1;  // a gap: look every value up
      }
      return t;
    }();
    if (!ok()) return;
    if (top >= 0) {
      uint8_t m = 0;
      const auto* d = reinterpret_cast<const uint8_t*>(c.data());
      for (size_t i = 0, n = c.size(); i < n; ++i) m = d[i] > m ? d[i] : m;
      if (m <= top) return;
    }
    for (size_t i = 0; i < c.size(); ++i) {
      if (!known[static_cast<uint8_t>(c[i])]) {
        return Fail(name, i, 1, Cat("value ", static_cast<int>(c[i]), " is not in its vocabulary"));
      }
    }
  }
  // Values of a small enum or bit set: at most `max` (for bits: no bit above it).
  template <typename T>
  void AtMost(std::string_view name, const Column<T>& c, unsigned max, bool bits = false) {
    if (!ok()) return;
    {
      unsigned any = 0, most = 0;
      const T* d = c.data();
      for (size_t i = 0, n = c.size(); i < n; ++i) {
        any |= static_cast<unsigned>(d[i]);
        most = static_cast<unsigned>(d[i]) > most ? static_cast<unsigned>(d[i]) : most;
      }
      if (bits ? (any & ~max) == 0 : most <= max) return;
    }
    for (size_t i = 0; i < c.size(); ++i) {
      const auto v = static_cast<unsigned>(c[i]);
      if (bits ? (v & ~max) != 0 : v > max) return Fail(name, i, sizeof(T), Cat("value ", v, " is out of range"));
    }
  }
  void Industries(std::string_view name, const Column<IndustryCode>& c) {
    if (!ok()) return;
    static constexpr uint16_t kDetailLimit[] = {1, 10, 100, 1000};
    for (size_t i = 0; i < c.size(); ++i) {
      const IndustryCode& x = c[i];
      const bool good =
          x.section == 0
              ? x.division == 0 && x.detail == 0 && x.detail_digits == 0
              : x.section >= 'A' && x.section <= 'T' &&
                    (x.division == 0 ? x.detail == 0 && x.detail_digits == 0
                                     : SectionOfDivision(x.division) == x.section && x.detail_digits <= 3 &&
                                           x.detail < kDetailLimit[x.detail_digits]);
      if (!good) return Fail(name, i, sizeof(IndustryCode), "not an industry code (GB/T 4754)");
    }
  }
  bool MonthOk(int64_t m) const { return m >= min_month_ && m <= max_month_; }
  bool ok() const { return status_.ok(); }
  void Fail(std::string_view name, uint64_t index, uint64_t element_size, std::string_view what) {
    status_ = file_.Corrupt(name, index, element_size, what);
  }

  const CheckedFile& file_;
  const internal::LedgerColumnsView c_;
  const uint32_t n_;
  const uint64_t strings_;
  const int32_t min_day_, max_day_, min_month_, max_month_;
  absl::Status status_;
};

}  // namespace

absl::Status ValidateLedger(const CheckedFile& file, const Ledger& ledger) {
  LedgerChecker k(file, ledger);
  const internal::LedgerColumnsView& c = k.c_;
  const uint32_t n = ledger.size();

  // Projects.
  const internal::ProjectColumns& p = c.projects;
  internal::SnapshotAccess::ForEachColumn(ledger, [&](uint32_t id, const char* name, const auto& column) {
    if (id >= 1 && id <= internal::kLastPerProjectColumn) k.Size(name, column, n);
  });
  const internal::StringPool& codes = internal::SnapshotAccess::codes(ledger);
  const Column<uint32_t>& code_to_project = internal::SnapshotAccess::code_to_project(ledger);
  // (An empty ledger interned no code.)
  if (!(n == 0 && code_to_project.empty())) k.Size("code_to_project", code_to_project, codes.size());
  if (k.ok()) {
    for (uint32_t i = 0; i < n; ++i) {
      if (p.code[i] == 0 || p.code[i] >= codes.size() || code_to_project[p.code[i]] != i) {
        k.Fail("projects.code", i, 4, Cat("code id ", p.code[i], " does not name this project"));
        break;
      }
    }
    for (uint32_t id = 1; k.ok() && id < code_to_project.size(); ++id) {
      const uint32_t q = code_to_project[id];
      if (q >= n || p.code[q] != id) k.Fail("code_to_project", id, 4, Cat("project ", q, " has not code ", id));
    }
  }
  k.Texts("projects.name", p.name);
  k.Texts("projects.investor", p.investor);
  k.Texts("projects.leader", p.leader);
  k.Texts("projects.department", p.department);
  k.Runs("projects.tag_begin", p.tag_begin, n, p.tag_ids.size());
  k.Texts("projects.tag_ids", p.tag_ids);
  if (k.ok()) {
    for (uint32_t i = 0; i < n; ++i) {
      if (p.region[i] < 0 || p.region[i] > 999999) {
        k.Fail("projects.region", i, 4, Cat(p.region[i], " is not a 6-digit division code"));
        break;
      }
      if (p.code_year[i] < 0 || p.code_year[i] > 9999) {
        k.Fail("projects.code_year", i, 2, Cat(p.code_year[i], " is not a year"));
        break;
      }
    }
  }
  k.Industries("projects.industry", p.industry);
  k.Enum("projects.category", p.category);
  k.Enum("projects.level", p.level);
  k.Enum("projects.build_type", p.build_type);
  k.Enum("projects.stage", p.stage);
  k.AtMost("projects.attracted", p.attracted, static_cast<unsigned>(Attracted::kYes));
  k.AtMost("projects.code_form", p.code_form, static_cast<unsigned>(ProjectCodeForm::kUnified));
  for (auto [name, column] : {std::pair{"projects.planned_start", &p.planned_start},
                              {"projects.planned_completion", &p.planned_completion},
                              {"projects.reserved_on", &p.reserved_on},
                              {"projects.signed_on", &p.signed_on},
                              {"projects.started_on", &p.started_on},
                              {"projects.completed_on", &p.completed_on},
                              {"projects.suspended_on", &p.suspended_on},
                              {"projects.cancelled_on", &p.cancelled_on},
                              {"projects.start_due", &p.start_due},
                              {"projects.intended_on", &p.intended_on},
                              {"projects.operating_on", &p.operating_on}}) {
    k.Days(name, *column);
  }

  // Monthly slots and running totals.
  const internal::MonthlyColumns& m = c.monthly;
  const uint64_t slots = m.reported_on.size();
  k.Runs("monthly.slot_begin", m.slot_begin, n, slots);
  k.Size("monthly.first_month", m.first_month, n);
  k.Size("monthly.progress", m.progress, slots);
  k.Size("monthly.problems", m.problems, slots);
  k.Size("monthly.flags", m.flags, slots);
  if (k.ok()) {
    for (uint32_t i = 0; i < n; ++i) {
      const uint64_t run = m.slot_begin[i + 1] - m.slot_begin[i];
      if (run != 0 && !(k.MonthOk(m.first_month[i]) && k.MonthOk(int64_t{m.first_month[i]} + int64_t(run) - 1))) {
        k.Fail("monthly.first_month", i, 4, Cat("month index ", m.first_month[i], " and ", run,
                                               " months are outside the years 1900..9999"));
        break;
      }
    }
  }
  k.Days("monthly.reported_on", m.reported_on);
  k.Texts("monthly.progress", m.progress);
  k.AtMost("monthly.problems", m.problems, (1u << kProblemKindCount) - 1, true);
  k.AtMost("monthly.flags", m.flags, internal::kHasRow | internal::kInvestmentKnown | internal::kFundsKnown, true);
  const uint64_t blocks = (uint64_t{n} + internal::kTotalsBlockSize - 1) / internal::kTotalsBlockSize;
  k.Size("monthly.total_blocks", m.total_blocks, blocks);
  k.Size("monthly.cum_funds", m.cum_funds, m.cum_investment.size());
  if (k.ok()) {
    for (uint32_t b = 0; b < blocks; ++b) {
      const internal::TotalsBlock& t = m.total_blocks[b];
      const uint64_t width = internal::TotalsBlockWidth(n, b);
      const uint64_t size = m.cum_investment.size();
      if (t.months < 0 || (t.months > 0 && !(k.MonthOk(t.first_month) && k.MonthOk(int64_t{t.first_month} + t.months))) ||
          t.offset > size || uint64_t(t.months) * width > size - t.offset) {
        k.Fail("monthly.total_blocks", b, sizeof(internal::TotalsBlock),
               Cat("block of months ", t.first_month, " + ", t.months, " at ", t.offset,
                   " is outside the running totals (", size, ")"));
        break;
      }
    }
  }

  // Funding.
  const internal::FundingColumns& f = c.funding;
  const uint64_t funding = f.project.size();
  k.Size("funding.year", f.year, funding);
  k.Size("funding.source", f.source, funding);
  k.Size("funding.requested", f.requested, funding);
  k.Size("funding.approved", f.approved, funding);
  k.Size("funding.arrived", f.arrived, funding);
  k.Size("funding.currency", f.currency, funding);
  k.Runs("funding.row_begin", f.row_begin, n, funding);
  k.Owners("funding.project", f.project, f.row_begin);
  k.Below("funding.project", f.project, n);
  k.Enum("funding.source", f.source);
  k.Texts("funding.currency", f.currency);
  const uint64_t originals = f.original_row.size();
  k.Size("funding.original_requested", f.original_requested, originals);
  k.Size("funding.original_approved", f.original_approved, originals);
  k.Size("funding.original_arrived", f.original_arrived, originals);
  k.Below("funding.original_row", f.original_row, funding);
  if (k.ok()) {
    for (size_t i = 1; i < originals; ++i) {
      if (f.original_row[i] <= f.original_row[i - 1]) {
        k.Fail("funding.original_row", i, 4, "rows must ascend");
        break;
      }
    }
  }

  // Plans.
  const internal::PlanColumns& pl = c.plans;
  k.Size("plans.year", pl.year, pl.project.size());
  k.Size("plans.planned", pl.planned, pl.project.size());
  k.Runs("plans.row_begin", pl.row_begin, n, pl.project.size());
  k.Owners("plans.project", pl.project, pl.row_begin);
  k.Below("plans.project", pl.project, n);

  // Problems.
  const internal::ProblemColumns& q = c.problems;
  const uint64_t problems = q.project.size();
  k.Size("problems.id", q.id, problems);
  k.Size("problems.description", q.description, problems);
  k.Size("problems.owner", q.owner, problems);
  k.Size("problems.kind", q.kind, problems);
  k.Size("problems.raised_on", q.raised_on, problems);
  k.Size("problems.due", q.due, problems);
  k.Size("problems.resolved_on", q.resolved_on, problems);
  k.Below("problems.project", q.project, n);
  k.Texts("problems.id", q.id);
  k.Texts("problems.description", q.description);
  k.Texts("problems.owner", q.owner);
  k.Enum("problems.kind", q.kind);
  k.Days("problems.raised_on", q.raised_on);
  k.Days("problems.due", q.due);
  k.Days("problems.resolved_on", q.resolved_on);

  // Baseline.
  const internal::BaselineColumns& bl = c.baseline;
  k.Size("baseline.dimension", bl.dimension, bl.month.size());
  k.Size("baseline.key", bl.key, bl.month.size());
  k.Size("baseline.investment", bl.investment, bl.month.size());
  k.Months("baseline.month", bl.month);
  k.Texts("baseline.dimension", bl.dimension);
  k.Texts("baseline.key", bl.key);

  // Approvals.
  const internal::ApprovalColumns& a = c.approvals;
  const uint64_t approvals = a.project.size();
  k.Size("approvals.item", a.item, approvals);
  k.Size("approvals.required", a.required, approvals);
  k.Size("approvals.planned_on", a.planned_on, approvals);
  k.Size("approvals.done_on", a.done_on, approvals);
  k.Size("approvals.authority", a.authority, approvals);
  k.Size("approvals.document_no", a.document_no, approvals);
  k.Runs("approvals.row_begin", a.row_begin, n, approvals);
  k.Owners("approvals.project", a.project, a.row_begin);
  k.Below("approvals.project", a.project, n);
  k.Enum("approvals.item", a.item);
  k.AtMost("approvals.required", a.required, 1);
  k.Days("approvals.planned_on", a.planned_on);
  k.Days("approvals.done_on", a.done_on);
  k.Texts("approvals.authority", a.authority);
  k.Texts("approvals.document_no", a.document_no);

  // The extra columns: a value per stored row of their table.
  const uint64_t rows[kTableCount] = {n, slots, funding, pl.project.size(), problems, bl.month.size(), approvals};
  for (int t = 0; k.ok() && t < kTableCount; ++t) {
    for (const ExtraColumn& e : ledger.extras(static_cast<Table>(t))) {
      if (e.values.size() != rows[t]) {
        k.Fail("extras", 0, 1, Cat("column '", e.header, "' of ", TableName(static_cast<Table>(t)), " has ",
                                   e.values.size(), " values for ", rows[t], " rows"));
        break;
      }
      for (size_t i = 0; i < e.values.size(); ++i) {
        if (e.values[i] >= k.strings_) {
          k.Fail("extras", 0, 1, Cat("column '", e.header, "' value ", i, ": string id ", e.values[i], " out of range"));
          break;
        }
      }
      if (!k.ok()) break;
    }
  }
  return k.Error();
}

}  // namespace keyproj::snapshot
