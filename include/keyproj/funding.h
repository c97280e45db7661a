// Funding sources (资金来源) and the "higher-level" set (向上争取) that the
// supported_projects / support_* indicators count.
#ifndef KEYPROJ_FUNDING_H_
#define KEYPROJ_FUNDING_H_

#include <cstdint>
#include <span>

#include "keyproj/enum_table.h"

namespace keyproj {

// Stored in ledgers and crosses the C ABI: only ever append.
enum class FundingSource : uint8_t {
  kUnknown = 0,
  kCentralBudget = 1,
  kSpecialBond = 2,
  kProvincial = 3,
  kMunicipal = 4,
  kLocalFiscal = 5,
  kPolicyFinance = 6,
  kBankLoan = 7,
  kSelfRaised = 8,
  kSocialCapital = 9,
  kForeign = 10,
  kOther = 11,
};
inline constexpr int kFundingSourceCount = 12;  // including kUnknown

template <>
struct EnumTraits<FundingSource> {
  static std::span<const EnumEntry<FundingSource>> entries() {
    static constexpr EnumEntry<FundingSource> kEntries[] = {
        {FundingSource::kCentralBudget, "central_budget", "中央预算内", "中央预算内投资|中央预算内资金"},
        {FundingSource::kSpecialBond, "special_bond", "专项债券", "专项债|地方政府专项债券"},
        {FundingSource::kProvincial, "provincial", "省级资金", "省级|省资金"},
        {FundingSource::kMunicipal, "municipal", "市级资金", "市级|市资金"},
        {FundingSource::kLocalFiscal, "local_fiscal", "本级财政", "本级财政资金|县级财政"},
        {FundingSource::kPolicyFinance, "policy_finance", "政策性开发性金融工具", "政策性金融工具|基金"},
        {FundingSource::kBankLoan, "bank_loan", "银行贷款", "贷款"},
        {FundingSource::kSelfRaised, "self_raised", "企业自筹", "自筹|自筹资金"},
        {FundingSource::kSocialCapital, "social_capital", "社会资本", "社会资本/PPP|PPP"},
        {FundingSource::kForeign, "foreign", "外资", "利用外资"},
        {FundingSource::kOther, "other", "其他", ""},
    };
    return kEntries;
  }
};

// 向上争取: money won from higher levels of government.
constexpr bool IsHigherLevel(FundingSource s) {
  return s == FundingSource::kCentralBudget || s == FundingSource::kSpecialBond ||
         s == FundingSource::kProvincial || s == FundingSource::kMunicipal ||
         s == FundingSource::kPolicyFinance;
}

}  // namespace keyproj

#endif  // KEYPROJ_FUNDING_H_
