// Constraint categories (要素制约) that monthly reports and the problem list cite.
#ifndef KEYPROJ_PROBLEM_KIND_H_
#define KEYPROJ_PROBLEM_KIND_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "keyproj/enum_table.h"

namespace keyproj {

// Stored as bit (1 << (value - 1)) in a ProblemSet: only ever append (at most 8).
enum class ProblemKind : uint8_t {
  kUnknown = 0,
  kLand = 1,
  kEnvironment = 2,
  kFunds = 3,
  kEnergy = 4,
  kDemolition = 5,
  kApproval = 6,
  kOther = 7,
};
inline constexpr int kProblemKindCount = 7;

template <>
struct EnumTraits<ProblemKind> {
  static std::span<const EnumEntry<ProblemKind>> entries() {
    static constexpr EnumEntry<ProblemKind> kEntries[] = {
        {ProblemKind::kLand, "land", "用地", "土地|用地指标"},
        {ProblemKind::kEnvironment, "environment", "环评环保", "环评|环保"},
        {ProblemKind::kFunds, "funds", "资金", "资金短缺"},
        {ProblemKind::kEnergy, "energy", "能耗", "能评"},
        {ProblemKind::kDemolition, "demolition", "征地拆迁", "拆迁|征迁"},
        {ProblemKind::kApproval, "approval", "审批手续", "手续|审批"},
        {ProblemKind::kOther, "other", "其他", ""},
    };
    return kEntries;
  }
};

// A set of problem kinds, one bit each.
using ProblemSet = uint8_t;
constexpr ProblemSet ProblemBit(ProblemKind k) {
  return static_cast<ProblemSet>(1u << (static_cast<unsigned>(k) - 1));
}
constexpr bool Contains(ProblemSet set, ProblemKind k) { return (set & ProblemBit(k)) != 0; }

// Parses a ';'-separated list ("land;funds", full-width "；" and "、" too). Empty text
// is the empty set. On an unknown item returns nullopt and sets *bad to it.
inline std::optional<ProblemSet> ParseProblemSet(std::string_view text, std::string* bad) {
  ProblemSet set = 0;
  size_t i = 0;
  while (i <= text.size()) {
    size_t end = text.size();
    size_t sep_len = 0;
    for (size_t j = i; j < text.size(); ++j) {
      if (text[j] == ';') { end = j; sep_len = 1; break; }
      if (text.substr(j, 3) == "；" || text.substr(j, 3) == "、") { end = j; sep_len = 3; break; }
    }
    std::string_view item = internal::TrimAscii(text.substr(i, end - i));
    if (!item.empty()) {
      std::optional<ProblemKind> k = ParseEnum<ProblemKind>(item);
      if (!k) {
        if (bad) *bad = std::string(item);
        return std::nullopt;
      }
      set |= ProblemBit(*k);
    }
    if (sep_len == 0) break;
    i = end + sep_len;
  }
  return set;
}

// "land;funds" in the order of the enumeration.
inline std::string ProblemSetToString(ProblemSet set) {
  std::string out;
  for (const EnumEntry<ProblemKind>& e : EnumTraits<ProblemKind>::entries()) {
    if (Contains(set, e.value)) {
      if (!out.empty()) out += ';';
      out += e.id;
    }
  }
  return out;
}

}  // namespace keyproj

#endif  // KEYPROJ_PROBLEM_KIND_H_
