// The byte layout of a snapshot file (docs/snapshot.md is its description for
// people; this is the one place the code knows it). Little-endian throughout.
#ifndef KEYPROJ_SNAPSHOT_FORMAT_H_
#define KEYPROJ_SNAPSHOT_FORMAT_H_

#include <cstddef>
#include <cstdint>

namespace keyproj::snapshot {

// PNG's trick: a high byte (caught by 7-bit transfers), the name, CR LF (caught by
// newline conversion), ^Z (stops `type` on Windows), LF.
inline constexpr unsigned char kMagic[8] = {0x89, 'K', 'P', 'L', '\r', '\n', 0x1a, '\n'};
// A reader opens every minor version of its major (sections it does not know are
// skipped); a newer major is refused.
inline constexpr uint16_t kFormatMajor = 1;
inline constexpr uint16_t kFormatMinor = 1;  // 1.1: the layouts section (252)
inline constexpr uint32_t kByteOrderMark = 0x01020304;  // reads 0x04030201 when swapped
inline constexpr uint64_t kAlignment = 64;               // of every section
inline constexpr uint32_t kMaxSections = 4096;

// File bytes 0..63.
struct Header {
  unsigned char magic[8];
  uint16_t format_major;
  uint16_t format_minor;
  uint32_t byte_order;      // kByteOrderMark
  uint16_t header_size;     // sizeof(Header)
  uint16_t entry_size;      // sizeof(SectionEntry)
  uint32_t section_count;
  uint64_t table_offset;    // sizeof(Header): the section table follows the header
  uint64_t file_size;       // the whole file
  char written_by[16];      // keyproj version, NUL-padded
  uint64_t checksum;        // XXH64 of bytes 0..55 then of the section table
};
static_assert(sizeof(Header) == 64);

// One per section, in ascending offset.
struct SectionEntry {
  uint32_t id;            // SectionId (access.h)
  uint32_t element_size;  // bytes per element
  uint64_t offset;        // from the start of the file; a multiple of kAlignment
  uint64_t length;        // bytes = count * element_size (zero padding up to the next section)
  uint64_t count;         // elements
  uint64_t checksum;      // XXH64 of the section's `length` bytes
  uint64_t reserved;      // 0
};
static_assert(sizeof(SectionEntry) == 48);

constexpr uint64_t AlignUp(uint64_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

}  // namespace keyproj::snapshot

#endif  // KEYPROJ_SNAPSHOT_FORMAT_H_
