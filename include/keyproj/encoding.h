// Text encodings of the files bureaus exchange: UTF-8 (with or without BOM) and
// GB18030 (which contains GBK and GB2312), the encoding Excel on a Chinese Windows
// saves CSV in. Loaders read either; writers can produce either.
#ifndef KEYPROJ_ENCODING_H_
#define KEYPROJ_ENCODING_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "keyproj/enum_table.h"

namespace keyproj {

// Crosses the C ABI: only ever append.
enum class Encoding : uint8_t {
  kAuto = 0,     // UTF-8 when valid, else GB18030 (same content either way: no diagnostic)
  kUtf8 = 1,     // invalid UTF-8 is an error with its line and column
  kGb18030 = 2,  // also reads GBK/GB2312, which it contains
};


template <>
struct EnumTraits<Encoding> {
  static std::span<const EnumEntry<Encoding>> entries() {
    static constexpr EnumEntry<Encoding> kEntries[] = {
        {Encoding::kAuto, "auto", "自动", ""},
        {Encoding::kUtf8, "utf8", "UTF-8", "utf-8"},
        {Encoding::kGb18030, "gb18030", "GB18030", "gbk|gb2312"},
    };
    return kEntries;
  }
};

// Converts GB18030 bytes to UTF-8 (glibc iconv). Error: the byte offset of the
// first sequence that is not GB18030.
absl::StatusOr<std::string> Gb18030ToUtf8(std::string_view bytes);
absl::StatusOr<std::string> Utf8ToGb18030(std::string_view utf8);

// Offset of the first byte that is not part of valid UTF-8, or npos.
size_t FindInvalidUtf8(std::string_view bytes);

}  // namespace keyproj

#endif  // KEYPROJ_ENCODING_H_
