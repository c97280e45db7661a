// 前期手续: the approval items a project needs on the way to a start (approvals.csv;
// the shared spec workflow.md §1).
#ifndef KEYPROJ_APPROVAL_H_
#define KEYPROJ_APPROVAL_H_

#include <cstdint>
#include <span>

#include "keyproj/enum_table.h"

namespace keyproj {

// An approval item. Stored in ledgers and crosses the C ABI: only ever append.
enum class ApprovalItem : uint8_t {
  kUnknown = 0,
  kApproval = 1,           // 立项 (审批/核准/备案)
  kFeasibility = 2,        // 可研批复
  kPreliminaryDesign = 3,  // 初步设计批复
  kSiteSelection = 4,      // 规划选址
  kLandPreReview = 5,      // 用地预审
  kLand = 6,               // 用地批复 / 土地出让
  kLandAcquisition = 7,    // 征地拆迁
  kEia = 8,                // 环评
  kSafety = 9,             // 安评
  kEnergy = 10,            // 节能审查
  kConstructionPermit = 11,  // 施工许可
  kOther = 12,             // 其他 (may repeat for a project)
};
inline constexpr int kApprovalItemCount = 12;

template <>
struct EnumTraits<ApprovalItem> {
  static std::span<const EnumEntry<ApprovalItem>> entries() {
    static constexpr EnumEntry<ApprovalItem> kEntries[] = {
        {ApprovalItem::kApproval, "approval", "立项", "立项审批|立项核准|立项备案|审批|核准|备案|项目立项"},
        {ApprovalItem::kFeasibility, "feasibility", "可研批复", "可研|可行性研究报告批复|立项可研报告批复"},
        {ApprovalItem::kPreliminaryDesign, "preliminary_design", "初步设计批复", "初设批复|初步设计"},
        {ApprovalItem::kSiteSelection, "site_selection", "规划选址", "选址意见书|规划选址意见书"},
        {ApprovalItem::kLandPreReview, "land_pre_review", "用地预审", "用地预审意见"},
        {ApprovalItem::kLand, "land", "用地批复", "土地出让|用地|土地|拿地"},
        {ApprovalItem::kLandAcquisition, "land_acquisition", "征地拆迁", "征地|拆迁|征迁"},
        {ApprovalItem::kEia, "eia", "环评", "环评批复|环境影响评价"},
        {ApprovalItem::kSafety, "safety", "安评", "安全评价|安全预评价"},
        {ApprovalItem::kEnergy, "energy", "节能审查", "能评|节能评估"},
        {ApprovalItem::kConstructionPermit, "construction_permit", "施工许可", "施工许可证"},
        {ApprovalItem::kOther, "other", "其他", ""},
    };
    return kEntries;
  }
};

}  // namespace keyproj

#endif  // KEYPROJ_APPROVAL_H_
