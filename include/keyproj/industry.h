// Industry codes (国民经济行业分类 GB/T 4754-2017) and the dimensions derived from
// them: sector (三次产业, after the statistics bureau's 三次产业划分规定) and
// industrial (工业 = sections B, C and D).
#ifndef KEYPROJ_INDUSTRY_H_
#define KEYPROJ_INDUSTRY_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "keyproj/enum_table.h"

namespace keyproj {

// A section letter with an optional division (two digits) and finer digits kept as
// written ("C3611" = section C, division 36, detail "11").
struct IndustryCode {
  char section = 0;       // 'A'..'T'; 0 = not known
  uint8_t division = 0;   // 1..97; 0 = section only
  uint16_t detail = 0;    // digits after the division, as a number
  uint8_t detail_digits = 0;

  bool known() const { return section != 0; }
  std::string ToString() const;
  friend bool operator==(const IndustryCode&, const IndustryCode&) = default;
};

enum class Sector : uint8_t {
  kUnknown = 0,
  kPrimary = 1,
  kSecondary = 2,
  kTertiary = 3,
};

template <>
struct EnumTraits<Sector> {
  static std::span<const EnumEntry<Sector>> entries() {
    static constexpr EnumEntry<Sector> kEntries[] = {
        {Sector::kPrimary, "primary", "第一产业", "一产"},
        {Sector::kSecondary, "secondary", "第二产业", "二产"},
        {Sector::kTertiary, "tertiary", "第三产业", "三产"},
    };
    return kEntries;
  }
};

// The section a division belongs to in GB/T 4754-2017, 0 if none.
constexpr char SectionOfDivision(int d) {
  if (d >= 1 && d <= 5) return 'A';
  if (d >= 6 && d <= 12) return 'B';
  if (d >= 13 && d <= 43) return 'C';
  if (d >= 44 && d <= 46) return 'D';
  if (d >= 47 && d <= 50) return 'E';
  if (d >= 51 && d <= 52) return 'F';
  if (d >= 53 && d <= 60) return 'G';
  if (d >= 61 && d <= 62) return 'H';
  if (d >= 63 && d <= 65) return 'I';
  if (d >= 66 && d <= 69) return 'J';
  if (d == 70) return 'K';
  if (d >= 71 && d <= 72) return 'L';
  if (d >= 73 && d <= 75) return 'M';
  if (d >= 76 && d <= 79) return 'N';
  if (d >= 80 && d <= 82) return 'O';
  if (d == 83) return 'P';
  if (d >= 84 && d <= 85) return 'Q';
  if (d >= 86 && d <= 90) return 'R';
  if (d >= 91 && d <= 96) return 'S';
  if (d == 97) return 'T';
  return 0;
}

// Accepts "C", "C36", "C361", "C3611", lower case, and a bare division "36" (the
// section is implied). nullopt for anything else, including a division that is not
// in the section written ("A36").
inline std::optional<IndustryCode> ParseIndustryCode(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text.size() > 5) return std::nullopt;
  IndustryCode code;
  size_t i = 0;
  char first = text[0];
  if (first >= 'a' && first <= 'z') first = static_cast<char>(first - 'a' + 'A');
  if (first >= 'A' && first <= 'Z') {
    code.section = first;
    i = 1;
    if (first > 'T') return std::nullopt;
  }
  const std::string_view digits = text.substr(i);
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (digits.empty()) return code.section ? std::optional(code) : std::nullopt;
  if (digits.size() < 2) return std::nullopt;
  code.division = static_cast<uint8_t>((digits[0] - '0') * 10 + (digits[1] - '0'));
  const char section = SectionOfDivision(code.division);
  if (section == 0 || (code.section != 0 && code.section != section)) return std::nullopt;
  code.section = section;
  for (size_t k = 2; k < digits.size(); ++k) {
    code.detail = static_cast<uint16_t>(code.detail * 10 + (digits[k] - '0'));
    ++code.detail_digits;
  }
  return code;
}

inline std::string IndustryCode::ToString() const {
  if (!known()) return "";
  std::string out(1, section);
  if (division != 0) {
    out += static_cast<char>('0' + division / 10);
    out += static_cast<char>('0' + division % 10);
    std::string d = std::to_string(detail);
    if (detail_digits > 0) out += std::string(detail_digits - d.size(), '0') + d;
  }
  return out;
}

// 三次产业: primary = A less division 05 (services to agriculture); secondary = B
// less 11 (mining services), C less 43 (repair of machinery), D, E; tertiary = the
// rest with 05, 11 and 43.
constexpr Sector SectorOf(const IndustryCode& c) {
  switch (c.section) {
    case 0: return Sector::kUnknown;
    case 'A': return c.division == 5 ? Sector::kTertiary : Sector::kPrimary;
    case 'B': return c.division == 11 ? Sector::kTertiary : Sector::kSecondary;
    case 'C': return c.division == 43 ? Sector::kTertiary : Sector::kSecondary;
    case 'D': case 'E': return Sector::kSecondary;
    default: return Sector::kTertiary;
  }
}

// 工业: mining, manufacturing, and electricity/heat/gas/water supply.
constexpr bool IsIndustrial(const IndustryCode& c) {
  return c.section == 'B' || c.section == 'C' || c.section == 'D';
}

}  // namespace keyproj

#endif  // KEYPROJ_INDUSTRY_H_
