#include "keyproj/generator.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyproj/internal/civil_days.h"
#include "keyproj/internal/text.h"
#include "keyproj/internal/no_throw.h"

namespace keyproj {

using ::keyproj::internal::Cat;
using ::keyproj::internal::Append;
namespace {

using internal::civil::AddMonths;
using internal::civil::DaysFromCivil;
using internal::civil::FirstDayOfMonth;
using internal::civil::MonthOfDay;

// ---- the PRNG: xoshiro256** seeded through splitmix64 ------------------------------

__extension__ typedef unsigned __int128 uint128;

constexpr uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  // A stream per (seed, stream): project i draws from stream i, so projects do not
  // depend on each other.
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t s = seed;
    const uint64_t a = SplitMix64(s);
    uint64_t t = a ^ (stream * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull);
    for (uint64_t& w : s_) w = SplitMix64(t);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) by multiply-shift (Lemire): the bias is below 2^-40 for the n
  // used here, and the result is the same everywhere.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<uint128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi]; lo when hi < lo.
  int64_t Range(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  bool PerMille(uint32_t p) { return Below(1000) < p; }
  // An index drawn with the given weights.
  size_t Weighted(std::span<const uint16_t> weights) {
    uint64_t total = 0;
    for (uint16_t w : weights) total += w;
    uint64_t r = Below(total);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  static constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

template <typename T, size_t N>
const T& Pick(Rng& rng, const T (&items)[N]) {
  return items[rng.Below(N)];
}

// ---- reference tables --------------------------------------------------------

constexpr GeneratedRegion kCounties[] = {
    // 宝鸡市 6103
    {610302, "渭滨区"}, {610303, "金台区"}, {610304, "陈仓区"}, {610305, "凤翔区"},
    {610323, "岐山县"}, {610324, "扶风县"}, {610326, "眉县"}, {610327, "陇县"},
    // 咸阳市 6104
    {610402, "秦都区"}, {610403, "杨陵区"}, {610404, "渭城区"}, {610422, "三原县"},
    {610423, "泾阳县"}, {610424, "乾县"}, {610425, "礼泉县"}, {610426, "永寿县"},
    // 渭南市 6105
    {610502, "临渭区"}, {610503, "华州区"}, {610522, "潼关县"}, {610523, "大荔县"},
    {610524, "合阳县"}, {610525, "澄城县"}, {610526, "蒲城县"}, {610527, "白水县"},
};
constexpr int kCountyCount = 24;
// Districts of a city centre get more projects than outlying counties.
constexpr uint16_t kCountyWeights[kCountyCount] = {
    70, 60, 55, 45, 40, 35, 35, 25,  //
    75, 50, 70, 45, 45, 35, 35, 20,  //
    65, 40, 20, 40, 30, 30, 40, 25,
};

constexpr Category kCategories[] = {Category::kIndustry,       Category::kUrban,
                                    Category::kLivelihood,     Category::kCultureTourism,
                                    Category::kEcology,        Category::kAgriculture,
                                    Category::kInfrastructure, Category::kOther};
constexpr uint16_t kCategoryWeights[] = {360, 140, 120, 80, 70, 100, 100, 30};

// Per-mille of attracted (招商引资) projects by category.
constexpr uint16_t kAttractedPerMille[] = {700, 60, 40, 550, 60, 450, 80, 600};

// GB/T 4754-2017 codes per category (section letter, division, optional detail).
constexpr const char* kIndustryCodes[8][12] = {
    {"C26", "C30", "C36", "C3670", "C38", "C39", "C27", "C13", "D44", "B06", "C43", "C2614"},
    {"E48", "E4813", "K70", "N78", "E47", "N7810", "E48", "K70", "N78", "E48", "D46", "E49"},
    {"P83", "Q84", "Q8411", "P8334", "K70", "Q85", "R89", "P83", "Q84", "S", "O80", "P83"},
    {"R87", "R88", "R90", "N78", "N786", "R88", "R87", "H61", "H62", "R", "N78", "L72"},
    {"N77", "N7721", "D46", "E48", "N77", "N7712", "D46", "N77", "B11", "N77", "E48", "N77"},
    {"A01", "A0151", "A03", "A05", "A02", "C13", "G59", "A01", "A04", "C14", "A05", "A01"},
    {"G54", "G53", "G5411", "D44", "D45", "D46", "I63", "N76", "E48", "G59", "G54", "D4415"},
    {"L72", "M73", "I65", "F51", "F52", "H61", "J66", "S", "M75", "I64", "F52", "L72"},
};

constexpr Level kLevels[] = {Level::kNational, Level::kProvincial, Level::kMunicipal,
                             Level::kCounty};

// Size bands of total investment in 万元, their weights and construction periods.
struct SizeBand {
  int64_t min_wan, max_wan;
  uint16_t weight;
  int min_months, max_months;
};
constexpr SizeBand kBands[] = {
    {500, 5000, 300, 6, 18},         {5000, 10000, 220, 8, 24},
    {10000, 50000, 280, 12, 30},     {50000, 100000, 110, 18, 36},
    {100000, 500000, 75, 24, 48},    {500000, 2000000, 15, 30, 60},
};
constexpr uint16_t kBandWeights[] = {300, 220, 280, 110, 75, 15};

// Seasonal pattern of monthly investment (percent of an average month): the Spring
// Festival slows January and February, the year-end push fills December.
constexpr int kSeason[12] = {55, 45, 95, 105, 110, 120, 105, 100, 115, 105, 110, 135};

constexpr const char* kIndustryProducts[] = {
    "新材料", "锂电池正极材料", "汽车零部件", "光伏组件", "智能装备", "绿色食品",
    "生物医药", "电子元器件", "现代中药", "新型建材", "精细化工", "半导体封装",
    "铝型材", "氢能装备", "纺织服装", "航空零部件", "乳制品", "预制菜"};
constexpr const char* kIndustryKinds[] = {"生产线建设项目", "产业园项目", "智能制造基地项目",
                                          "技改扩能项目", "研发中心项目", "产业化项目"};
constexpr const char* kPlaces[] = {"东城", "西城", "南关", "北塬", "新区", "高铁新城",
                                   "老城", "滨河", "城东", "渭北", "塬上", "产业园区"};
constexpr const char* kUrbanKinds[] = {
    "片区城市更新项目", "棚户区改造项目", "老旧小区改造项目", "道路提升改造工程",
    "综合管廊建设项目", "雨污分流改造工程", "公共停车场建设项目", "城市公园建设项目"};
constexpr const char* kLivelihood[] = {
    "第一中学迁建项目", "人民医院门诊综合楼项目", "中医医院整体迁建项目", "养老服务中心项目",
    "保障性租赁住房项目", "职业技术教育中心项目", "疾控中心建设项目", "全民健身中心项目",
    "公办幼儿园建设项目", "社会福利院项目", "第二小学扩建项目", "妇幼保健院项目"};
constexpr const char* kTourismKinds[] = {"文化旅游景区提升项目", "历史文化街区保护利用项目",
                                         "全域旅游集散中心项目", "民宿集群项目",
                                         "非遗文化产业园项目", "康养度假区项目"};
constexpr const char* kRivers[] = {"渭河", "泾河", "千河", "石川河", "洛河", "漆水河", "沣河", "北洛河"};
constexpr const char* kEcologyKinds[] = {"综合治理项目", "生态修复工程", "水土保持综合治理项目",
                                         "湿地公园建设项目"};
constexpr const char* kEcologyOther[] = {"污水处理厂提标改造项目", "生活垃圾焚烧发电项目",
                                         "矿山地质环境治理项目", "农村人居环境整治项目"};
constexpr const char* kAgriculture[] = {
    "高标准农田建设项目", "苹果产业园项目", "猕猴桃产业园项目", "现代农业示范园项目",
    "农产品冷链物流中心项目", "设施农业大棚项目", "乡村振兴示范村项目", "奶山羊养殖基地项目",
    "粮食仓储设施项目", "中药材种植基地项目"};
constexpr const char* kInfrastructure[] = {
    "国道改扩建工程", "高速公路连接线工程", "水库工程", "110千伏输变电工程", "5G基站建设项目",
    "天然气管网工程", "城乡供水一体化工程", "物流枢纽项目", "铁路专用线项目", "光伏发电项目",
    "风电场项目", "农村公路提升工程"};
constexpr const char* kOther[] = {"商贸物流园项目", "总部经济大厦项目", "电子商务产业园项目",
                                  "综合农贸市场项目", "数据中心项目", "会展中心项目"};
constexpr const char* kPhases[] = {"（一期）", "（二期）", "（三期）"};

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                     "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
constexpr const char* kGivenNames[] = {"建国", "志强", "海涛", "国庆", "立新", "永平", "晓东",
                                       "卫东", "明华", "建军", "丽娟", "秀英", "红梅", "文博",
                                       "振华", "宏伟", "鹏飞", "雪峰", "静", "磊"};
constexpr const char* kBrands[] = {"秦川", "华夏", "宏远", "中科", "金泰", "隆基", "西部",
                                   "长安", "丝路", "汉唐", "瑞丰", "恒信", "鼎盛", "正大"};
constexpr const char* kCompanyKinds[] = {"新材料科技有限公司", "实业集团有限公司", "智能装备有限公司",
                                         "食品股份有限公司", "生物科技有限公司", "能源发展有限公司",
                                         "文化旅游开发有限公司", "农业科技有限公司"};
constexpr const char* kPublicInvestors[8][2] = {
    {"经济技术开发区投资有限公司", "工业园区管委会"},
    {"城市建设投资集团有限公司", "住房和城乡建设局"},
    {"教育局", "卫生健康局"},
    {"文化旅游投资有限公司", "文化和旅游局"},
    {"水务集团有限公司", "生态环境分局"},
    {"农业农村局", "乡村振兴投资有限公司"},
    {"交通建设投资有限公司", "水利局"},
    {"国有资产投资有限公司", "商务局"},
};
constexpr const char* kDepartments[8][3] = {
    {"工业和信息化局", "招商服务中心", "经济技术开发区管委会"},
    {"住房和城乡建设局", "城市管理局", "自然资源局"},
    {"教育局", "卫生健康局", "民政局"},
    {"文化和旅游局", "文化和旅游局", "招商服务中心"},
    {"生态环境分局", "水利局", "城市管理局"},
    {"农业农村局", "乡村振兴局", "商务局"},
    {"交通运输局", "发展和改革局", "水利局"},
    {"商务局", "发展和改革局", "招商服务中心"},
};
constexpr const char* kTowns[] = {"城关街道", "北关镇", "高庄镇", "马额街道", "独李镇",
                                  "三渠镇", "蔡家坡镇", "龙山镇"};
constexpr const char* kTags[] = {"新动能", "支柱性产业", "专精特新", "民生实事", "十大工程",
                                 "县域经济", "双招双引", "乡村振兴", "重大科技", "秦创原"};

// Progress texts (形象进度). Some hold commas, quotes and line breaks, as staff type
// them into a spreadsheet, so that CSV quoting is exercised.
constexpr std::string_view kProgressStart[] = {"开工建设", "举行开工仪式，场地平整", "完成\"三通一平\"",
                                               "施工队伍进场", "土方开挖"};
constexpr std::string_view kProgressWork[] = {
    "主体施工",
    "基础施工",
    "主体结构施工中",
    "钢结构安装",
    "设备安装调试",
    "室内装修",
    "桩基施工",
    "管网铺设",
    "路基施工",
    "路面摊铺",
    "主体封顶",
    "二次结构施工",
    "附属工程施工",
    "绿化工程施工",
    "主体封顶, 开始内部装修",
    "完成基础施工,正在进行主体结构施工",
    "\"四通一平\"完成, 进入主体施工",
    "1号楼主体完工\n2号楼基础施工",
    "厂房建设完成60%",
    "完成年度计划的\"时间过半、任务过半\"",
};
constexpr std::string_view kProgressStalled[] = {"资金未到位,停工", "停工待料", "手续办理中，暂未施工",
                                                 "因环保管控停工", "等待设备到货"};
constexpr std::string_view kProgressSuspended[] = {"停建", "缓建", "暂停施工，等待资金落实"};
constexpr std::string_view kProgressDone[] = {"竣工验收", "已完工，正在办理竣工验收", "投入试运行"};

constexpr ProblemKind kProblemKinds[] = {ProblemKind::kLand,       ProblemKind::kFunds,
                                         ProblemKind::kApproval,   ProblemKind::kDemolition,
                                         ProblemKind::kEnvironment, ProblemKind::kEnergy,
                                         ProblemKind::kOther};
constexpr uint16_t kProblemKindWeights[] = {25, 25, 20, 12, 10, 5, 3};
// Indexed by ProblemKind value - 1.
constexpr const char* kProblemText[7][2] = {
    {"建设用地指标未落实", "土地征收报批未完成"},
    {"环评批复未取得", "环保督察整改,暂缓施工"},
    {"配套资金缺口较大", "专项债券资金未到位"},
    {"能耗指标不足", "节能审查未通过"},
    {"征地拆迁进度滞后", "个别群众诉求未解决,影响进场"},
    {"施工许可手续未办结", "规划许可待审批"},
    {"施工用电未接通", "疫情及天气影响"},
};
constexpr const char* kProblemOwner[7] = {"自然资源局", "生态环境分局", "财政局", "发展和改革局",
                                          "征收办", "行政审批服务局", "供电公司"};

constexpr FundingSource kGovSources[] = {
    FundingSource::kCentralBudget, FundingSource::kSpecialBond, FundingSource::kProvincial,
    FundingSource::kMunicipal,     FundingSource::kLocalFiscal, FundingSource::kPolicyFinance,
    FundingSource::kBankLoan};
constexpr uint16_t kGovSourceWeights[] = {150, 200, 150, 100, 250, 60, 90};
constexpr FundingSource kEnterpriseSources[] = {FundingSource::kSelfRaised, FundingSource::kBankLoan,
                                                FundingSource::kSocialCapital,
                                                FundingSource::kForeign, FundingSource::kOther};
constexpr uint16_t kEnterpriseSourceWeights[] = {500, 250, 120, 60, 70};

// 前期手续 (approvals.csv): the items in the order a project usually gets them, from
// 立项 to 施工许可, and who grants them. Authorities are the city's (the county's
// city: counties 0-7 宝鸡, 8-15 咸阳, 16-23 渭南); document numbers carry the city's
// one-character abbreviation, as 咸发改审批〔2024〕123号 does.
constexpr ApprovalItem kApprovalFlow[] = {
    ApprovalItem::kApproval,          ApprovalItem::kSiteSelection, ApprovalItem::kLandPreReview,
    ApprovalItem::kFeasibility,       ApprovalItem::kEia,           ApprovalItem::kEnergy,
    ApprovalItem::kSafety,            ApprovalItem::kPreliminaryDesign, ApprovalItem::kLandAcquisition,
    ApprovalItem::kLand,              ApprovalItem::kOther,         ApprovalItem::kConstructionPermit};
constexpr const char* kCities[] = {"宝鸡市", "咸阳市", "渭南市"};
constexpr const char* kCityShort[] = {"宝", "咸", "渭"};
struct ApprovalAuthority {
  ApprovalItem item;
  const char* authority;  // after the city's name
  const char* doc;        // the document number's word, between the city and 〔year〕
};
constexpr ApprovalAuthority kAuthorities[] = {
    {ApprovalItem::kApproval, "发展和改革委员会", "发改审批"},
    {ApprovalItem::kFeasibility, "发展和改革委员会", "发改审批"},
    {ApprovalItem::kPreliminaryDesign, "发展和改革委员会", "发改投资"},
    {ApprovalItem::kSiteSelection, "自然资源和规划局", "自然资规选"},
    {ApprovalItem::kLandPreReview, "自然资源和规划局", "自然资预审"},
    {ApprovalItem::kLand, "自然资源和规划局", "自然资批"},
    {ApprovalItem::kLandAcquisition, "人民政府", "政征"},
    {ApprovalItem::kEia, "生态环境局", "环批复"},
    {ApprovalItem::kSafety, "应急管理局", "应急审"},
    {ApprovalItem::kEnergy, "发展和改革委员会", "发改能审"},
    {ApprovalItem::kConstructionPermit, "住房和城乡建设局", ""},  // a permit number instead
    {ApprovalItem::kOther, "水利局", "水保函"},                   // 水土保持方案
};
// Indexed by item - 1.
constexpr bool AuthoritiesInItemOrder() {
  for (size_t i = 0; i < std::size(kAuthorities); ++i) {
    if (static_cast<size_t>(kAuthorities[i].item) != i + 1) return false;
  }
  return std::size(kAuthorities) == kApprovalItemCount;
}
static_assert(AuthoritiesInItemOrder());
static_assert(std::size(kApprovalFlow) == kApprovalItemCount);

constexpr char kBase36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// ---- helpers -----------------------------------------------------------------

constexpr int64_t kCent = 10'000;  // 0.01 万元 in 分

// The first stream of the values drawn apart from a project's first stream (stream
// i): project i's is kLaterStream + i. Projects are at most 5 * 10^7, and ~0 is the
// bases' stream.
constexpr uint64_t kLaterStream = uint64_t{1} << 62;

Date D(int32_t days) { return Date::FromDays(days); }
std::optional<Date> OptD(int32_t days) {
  return days == kNoDay ? std::nullopt : std::optional<Date>(Date::FromDays(days));
}
int YearOf(int32_t days) { return internal::civil::CivilFromDays(days).year; }

// Rounds fen down to a multiple of `unit` (amounts are positive here).
constexpr int64_t Floor(int64_t fen, int64_t unit) { return fen / unit * unit; }

// An amount of 万元 the way bureaus write them: mostly whole or two decimals, a few
// with four or six (down to 1 分) so that exactness is exercised.
int64_t Amount(Rng& rng, int64_t fen) {
  const uint64_t r = rng.Below(1000);
  if (r < 5) return fen;                 // 1 分 precision
  if (r < 30) return Floor(fen, 100);    // four decimals
  if (r < 500) return Floor(fen, kCent);  // two decimals
  if (fen >= 100 * kFenPerWan) return Floor(fen, kFenPerWan);
  return Floor(fen, kCent * 10);  // one decimal
}

struct Window {
  int32_t first_month;  // Month index
  int32_t last_month;
  int32_t first_day;
  int year;  // the as_of year
  int32_t as_of;
  int32_t as_of_month;
};

// What one project looks like; drawn first, then turned into records.
struct Draft {
  int county;
  int cat;  // index into kCategories
  int band;
  int64_t total;  // 分 or kNoMoney
  int duration;   // months
  Attracted attracted;
  Stage stage;
  bool stalled = false;
  int stall_months = 0;
  int32_t started = kNoDay, completed = kNoDay, suspended = kNoDay, cancelled = kNoDay,
          reserved = kNoDay, signed_on = kNoDay, start_due = kNoDay, planned_start = kNoDay,
          planned_completion = kNoDay;
  int perf;  // percent of the planned pace actually achieved
};

class Generator {
 public:
  Generator(const GeneratorOptions& o, GeneratorSink& sink) : o_(o), sink_(sink) {
    const int32_t as_of = o.as_of.days();
    w_.as_of = as_of;
    w_.as_of_month = MonthOfDay(as_of);
    w_.year = internal::civil::CivilFromDays(as_of).year;
    const int first_year = o.first_year != 0 ? o.first_year : w_.year - 1;
    w_.first_month = Month::FromYm(first_year, 1).index();
    w_.last_month = std::min(w_.first_month + o.months - 1, w_.as_of_month);
    w_.first_day = FirstDayOfMonth(w_.first_month);
    for (int k = 0; k < 8; ++k) {
      for (int j = 0; j < 12; ++j) {
        // Every entry of the table parses (generator_test checks that none is unknown).
        industries_[k][j] = ParseIndustryCode(kIndustryCodes[k][j]).value_or(IndustryCode{});
      }
    }
    const int n = w_.last_month - w_.first_month + 2;
    month_first_day_.resize(static_cast<size_t>(n) + 1);
    for (int k = 0; k <= n; ++k) month_first_day_[k] = FirstDayOfMonth(w_.first_month + k);
    usd_ = !o.usd_rate.empty();
  }

  void Run() {
    if (o_.extra_columns) sink_.SetExtraHeaders(Table::kProjects, {"项目联系人"});
    for (uint64_t i = 0; i < o_.projects; ++i) OneProject(i);
    Baselines();
  }

 private:
  Draft DrawProject(Rng& rng);
  void OneProject(uint64_t i);
  void MakeCode(Rng& rng, uint64_t i, const Draft& d, int code_year);
  void MakeName(Rng& rng, const Draft& d, std::string* out);
  void EmitMonthly(Rng& rng, const Draft& d, uint64_t i);
  void EmitFunding(Rng& rng, const Draft& d, int64_t plan_prev, int64_t plan_cur);
  void EmitProblems(Rng& rng, const Draft& d, uint64_t i);
  void DrawFunnelDates(Rng& rng, const Draft& d, ProjectRecord& r) const;
  void EmitApprovals(Rng& rng, const Draft& d);
  void Baselines();
  int64_t PlanFor(Rng& rng, const Draft& d, int year) const;

  const GeneratorOptions& o_;
  GeneratorSink& sink_;
  Window w_;
  IndustryCode industries_[8][12];
  std::vector<int32_t> month_first_day_;  // first day of window month k (k may be one past)
  bool usd_ = false;
  std::string code_;  // the current project's code, viewed by its monthly records
  int64_t monthly_line_ = 2, funding_line_ = 2, plans_line_ = 2, problems_line_ = 2, approvals_line_ = 2;
  // Investment of the year before as_of's, by county and month of year (for baseline.csv).
  MoneySum prev_year_[kCountyCount][12];
};

Draft Generator::DrawProject(Rng& rng) {
  Draft d;
  d.county = static_cast<int>(rng.Weighted(kCountyWeights));
  d.cat = static_cast<int>(rng.Weighted(kCategoryWeights));
  d.band = static_cast<int>(rng.Weighted(kBandWeights));
  const SizeBand& band = kBands[d.band];
  int64_t wan = rng.Range(band.min_wan, band.max_wan);
  if (wan >= 100000) wan = wan / 100 * 100;
  else if (wan >= 10000) wan = wan / 10 * 10;
  d.total = wan * kFenPerWan;
  if (rng.PerMille(350)) d.total += rng.Range(1, 99) * kCent;  // 1234.56
  d.duration = static_cast<int>(rng.Range(band.min_months, band.max_months));
  d.perf = static_cast<int>(rng.Range(70, 150));
  const uint64_t a = rng.Below(1000);
  d.attracted = a < 20                                  ? Attracted::kUnknown
                : a < 20u + kAttractedPerMille[d.cat] * 98u / 100u ? Attracted::kYes
                                                        : Attracted::kNo;
  const bool attracted = d.attracted == Attracted::kYes;

  const int32_t A = w_.as_of;
  const int32_t jan_y = DaysFromCivil(w_.year, 1, 1);
  if (o_.dense) {
    // Under way through the whole window (benchmarks).
    d.started = w_.first_day - static_cast<int32_t>(rng.Range(1, 365));
    d.duration = std::max(d.duration, (w_.as_of - d.started) / 28 + 2);
    d.stage = Stage::kStarted;
    if (attracted) {
      d.signed_on = d.started - static_cast<int32_t>(rng.Range(30, 300));
      d.start_due = d.started + static_cast<int32_t>(rng.Range(0, 150));
    }
    d.reserved = d.started - static_cast<int32_t>(rng.Range(60, 540));
    d.planned_start = d.started;
  } else if (rng.PerMille(690)) {
    // Started: uniformly over the time in which a project of this length is at work
    // at some point of the window (so big, long projects reach further back, as in a
    // steady state), with a tilt towards this year: investment grows modestly.
    int32_t lo = w_.first_day - d.duration * 30 + 15, hi = A;
    if (rng.PerMille(50)) lo = std::max(lo, jan_y);
    d.started = static_cast<int32_t>(rng.Range(lo, hi));
    int32_t done = AddMonths(d.started, d.duration) + static_cast<int32_t>(rng.Range(-10, 10));
    if (done < w_.first_day) done = w_.first_day + static_cast<int32_t>(rng.Range(20, 300));
    if (done <= d.started) done = d.started + 30;
    if (done <= A) {
      d.completed = done;
      d.stage = done <= A - 60 && rng.PerMille(350) ? Stage::kOperating : Stage::kCompleted;
    } else {
      const uint64_t s = rng.Below(1000);
      if (s < 70 && A - d.started > 120) {
        d.stage = Stage::kSuspended;
        d.suspended = static_cast<int32_t>(rng.Range(std::max(d.started + 90, A - 365), A));
      } else if (s < 90 && A - d.started > 60) {
        d.stage = Stage::kCancelled;
        d.cancelled = static_cast<int32_t>(rng.Range(std::max(d.started + 60, A - 400), A));
        if (rng.PerMille(500)) {
          d.suspended = static_cast<int32_t>(rng.Range(d.started + 30, d.cancelled));
        }
      } else {
        d.stage = Stage::kStarted;
        if (s < 135 && MonthOfDay(d.started) < w_.as_of_month - 5) {
          d.stalled = true;
          d.stall_months = static_cast<int>(rng.Range(3, 5));
        }
      }
    }
    if (attracted) {
      d.signed_on = d.started - static_cast<int32_t>(rng.Range(30, 300));
      if (rng.PerMille(850)) {
        d.start_due = d.started + static_cast<int32_t>(rng.Range(0, 150));
      } else {  // started late (未按约定开工)
        d.start_due = std::max(d.signed_on + 30, d.started - static_cast<int32_t>(rng.Range(15, 200)));
      }
    }
    if (rng.PerMille(800)) d.reserved = d.started - static_cast<int32_t>(rng.Range(60, 540));
    d.planned_start = d.started + static_cast<int32_t>(rng.Range(-120, 60));
  } else {
    const uint64_t s = rng.Below(1000);
    if (s < 80) {
      d.stage = Stage::kCancelled;
      d.cancelled = static_cast<int32_t>(rng.Range(std::max(w_.first_day, A - 500), A));
      if (rng.PerMille(900)) d.reserved = d.cancelled - static_cast<int32_t>(rng.Range(30, 600));
      if (attracted && rng.PerMille(500)) {
        d.signed_on = d.cancelled - static_cast<int32_t>(rng.Range(30, 400));
        d.start_due = d.signed_on + static_cast<int32_t>(rng.Range(90, 270));
      }
    } else if (attracted && s < 450) {
      d.stage = Stage::kSigned;
      d.signed_on = static_cast<int32_t>(rng.Range(A - 540, A));
      d.start_due = d.signed_on + static_cast<int32_t>(rng.Range(90, 365));
      if (rng.PerMille(700)) d.reserved = d.signed_on - static_cast<int32_t>(rng.Range(0, 200));
    } else {
      constexpr Stage kReserve[] = {Stage::kConceived, Stage::kReserved, Stage::kPreliminary};
      constexpr uint16_t kReserveWeights[] = {200, 350, 450};
      d.stage = kReserve[rng.Weighted(kReserveWeights)];
      if (d.stage != Stage::kConceived || rng.PerMille(500)) {
        // 新谋划入库: over half of the reserve entered this year.
        const int32_t lo = rng.PerMille(550) ? std::max(jan_y, A - 700) : A - 700;
        d.reserved = static_cast<int32_t>(rng.Range(lo, A));
      }
      if (d.stage == Stage::kConceived && rng.PerMille(100)) d.total = kNoMoney;
    }
    d.planned_start = static_cast<int32_t>(rng.Range(A - 200, A + 540));
  }
  if (d.planned_start != kNoDay) {
    d.planned_completion = AddMonths(d.planned_start, d.duration);
    if (rng.PerMille(30)) d.planned_start = d.planned_completion = kNoDay;
  }
  return d;
}

// National codes are unique by construction: the last group (unified) or the last
// three groups (older form) are a bijection of the project number.
void Generator::MakeCode(Rng& rng, uint64_t i, const Draft& d, int code_year) {
  code_.clear();
  const int32_t region = kCounties[d.county].code;
  if (rng.PerMille(70)) {  // a bureau's own id
    Append(&code_, "ZD", region, "-");
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08llu", static_cast<unsigned long long>(i));
    code_ += buf;
    return;
  }
  char buf[32];
  if (code_year <= 2019) {
    // YYYY-AAAAAA-BB-CC-NNNNNN
    const uint64_t x = (i * 6180339887ull + 1234567) % 10'000'000'000ull;
    std::snprintf(buf, sizeof buf, "%04d-%06d-%02d-%02d-%06d", code_year, region,
                  static_cast<int>(x / 100'000'000), static_cast<int>(x / 1'000'000 % 100),
                  static_cast<int>(x % 1'000'000));
    code_ = buf;
    return;
  }
  // YYYY-AAAAAA-DD-TT-RRRRRC (GB/T 40058-2021)
  constexpr uint64_t kSpace = 36ull * 36 * 36 * 36 * 36;
  uint64_t x = (i * 37370153 + 9'999'991) % kSpace;
  char random[6];
  for (int k = 4; k >= 0; --k) {
    random[k] = kBase36[x % 36];
    x /= 36;
  }
  // A 2020 code is told from an older one by a letter in its last group.
  random[5] = code_year == 2020 ? kBase36[10 + rng.Below(26)] : kBase36[rng.Below(36)];
  constexpr int kDepartments[] = {3, 4, 5, 6, 11, 14};
  std::snprintf(buf, sizeof buf, "%04d-%06d-%02d-%02d-", code_year, region,
                kDepartments[rng.Below(6)], static_cast<int>(rng.Range(1, 3)));
  code_ = buf;
  code_.append(random, 6);
}

void Generator::MakeName(Rng& rng, const Draft& d, std::string* out) {
  out->assign(kCounties[d.county].name);
  switch (kCategories[d.cat]) {
    case Category::kIndustry:
      if (rng.PerMille(300)) Append(out, "年产", rng.Range(1, 50) * 5, "万吨");
      Append(out, Pick(rng, kIndustryProducts), Pick(rng, kIndustryKinds));
      break;
    case Category::kUrban: Append(out, Pick(rng, kPlaces), Pick(rng, kUrbanKinds)); break;
    case Category::kLivelihood: Append(out, Pick(rng, kLivelihood)); break;
    case Category::kCultureTourism: Append(out, Pick(rng, kPlaces), Pick(rng, kTourismKinds)); break;
    case Category::kEcology:
      if (rng.PerMille(600)) Append(out, Pick(rng, kRivers), Pick(rng, kEcologyKinds));
      else Append(out, Pick(rng, kEcologyOther));
      break;
    case Category::kAgriculture: Append(out, Pick(rng, kAgriculture)); break;
    case Category::kInfrastructure: Append(out, Pick(rng, kInfrastructure)); break;
    default: Append(out, Pick(rng, kOther)); break;
  }
  const uint64_t r = rng.Below(1000);
  if (r < 200) Append(out, Pick(rng, kPhases));
  else if (r < 205) Append(out, "（含\"三通一平\"）");
  else if (r < 210) Append(out, "及道路,管网配套工程");
}

int64_t Generator::PlanFor(Rng& rng, const Draft& d, int year) const {
  if (d.total == kNoMoney) return kNoMoney;
  int32_t from = d.started != kNoDay ? d.started : d.planned_start;
  if (from == kNoDay) return kNoMoney;
  int32_t to = d.completed != kNoDay ? d.completed : AddMonths(from, d.duration);
  if (d.cancelled != kNoDay) to = std::min(to, d.cancelled);
  const int32_t lo = std::max(MonthOfDay(from), Month::FromYm(year, 1).index());
  const int32_t hi = std::min(MonthOfDay(to), Month::FromYm(year, 12).index());
  if (hi < lo) return kNoMoney;
  const int64_t months = hi - lo + 1;
  const int64_t rate = d.total / d.duration;
  int64_t plan = rate * months / 100 * rng.Range(85, 115);
  plan = plan >= 1000 * kFenPerWan ? Floor(plan, 10 * kFenPerWan) : Floor(plan, kFenPerWan);
  return plan > 0 ? plan : kNoMoney;
}

void Generator::OneProject(uint64_t i) {
  Rng rng(o_.seed, i);
  // The values added after the first tables (intended_on, operating_on, approvals.csv)
  // come from a stream of their own, so that every value drawn before stays as it was
  // for the same seed.
  Rng later(o_.seed, kLaterStream + i);
  const Draft d = DrawProject(rng);
  const bool attracted = d.attracted == Attracted::kYes;
  const Category category = kCategories[d.cat];
  const char* county = kCounties[d.county].name;

  ProjectRecord r;
  r.line = static_cast<int64_t>(i) + 2;
  int code_year = w_.year;
  if (d.reserved != kNoDay) code_year = YearOf(d.reserved);
  else if (d.started != kNoDay) code_year = YearOf(d.started) - static_cast<int>(rng.Below(2));
  else if (d.signed_on != kNoDay) code_year = YearOf(d.signed_on);
  // Some were registered years before they got going (a shelved project revived).
  if (rng.PerMille(80)) code_year -= static_cast<int>(rng.Range(1, 4));
  code_year = std::clamp(code_year, std::min(2014, w_.year), w_.year);
  MakeCode(rng, i, d, code_year);
  r.code = code_;
  MakeName(rng, d, &r.name);
  // A national code carries the region; most ledgers repeat it, some leave it empty.
  r.region = rng.PerMille(50) && code_[4] == '-' ? 0 : kCounties[d.county].code;
  if (!rng.PerMille(20)) r.industry = industries_[d.cat][rng.Below(12)];
  r.category = category;
  // Bigger projects are more often provincial or national key projects.
  const uint16_t level_weights[] = {static_cast<uint16_t>(d.band >= 4 ? 80 : 5),
                                    static_cast<uint16_t>(d.band >= 3 ? 300 : d.band == 2 ? 120 : 30),
                                    350, static_cast<uint16_t>(d.band >= 4 ? 150 : 450)};
  r.level = kLevels[rng.Weighted(level_weights)];
  const bool started_before_year = d.started != kNoDay && YearOf(d.started) < w_.year;
  r.build_type = started_before_year ? BuildType::kContinuing : BuildType::kNew;
  if (d.total != kNoMoney) r.total_investment = Money::FromFen(d.total);
  // A few rows leave the stage empty for the loader to derive (never for operating,
  // which dates cannot tell).
  r.stage = d.stage != Stage::kOperating && rng.PerMille(20) ? Stage::kUnknown : d.stage;
  r.dates.reserved_on = OptD(d.reserved);
  r.dates.signed_on = OptD(d.signed_on);
  r.dates.started_on = OptD(d.started);
  r.dates.completed_on = OptD(d.completed);
  r.dates.suspended_on = OptD(d.suspended);
  r.dates.cancelled_on = OptD(d.cancelled);
  r.planned_start = OptD(d.planned_start);
  r.planned_completion = OptD(d.planned_completion);
  r.attracted = d.attracted;
  DrawFunnelDates(later, d, r);
  if (attracted) {
    r.investor = Cat("陕西", Pick(rng, kBrands), Pick(rng, kCompanyKinds));
    if (d.signed_on != kNoDay) {
      const int64_t base = d.total != kNoMoney ? d.total : kBands[d.band].min_wan * kFenPerWan;
      r.contracted_investment = Money::FromFen(Floor(base / 100 * rng.Range(80, 100), kCent));
      r.start_due = OptD(d.start_due);
    }
  } else if (!rng.PerMille(100)) {
    r.investor = Cat(county, kPublicInvestors[d.cat][rng.Below(2)]);
  }
  if (!rng.PerMille(110)) r.leader = Cat(Pick(rng, kSurnames), Pick(rng, kGivenNames));
  if (!rng.PerMille(30)) {
    r.department = category == Category::kAgriculture && rng.PerMille(400)
                       ? Cat(county, Pick(rng, kTowns))
                       : Cat(county, kDepartments[d.cat][rng.Below(3)]);
  }
  const uint64_t tags = rng.Below(1000);
  if (tags < 450) {
    const size_t a = rng.Below(std::size(kTags));
    r.tags.emplace_back(kTags[a]);
    if (tags < 120) {
      const size_t b = (a + 1 + rng.Below(std::size(kTags) - 1)) % std::size(kTags);
      r.tags.emplace_back(kTags[b]);
    }
  }
  if (o_.extra_columns) {
    r.extras.push_back(rng.PerMille(700) ? Cat(Pick(rng, kSurnames), Pick(rng, kGivenNames)) : "");
  }

  // Plans: the year before as_of's through two years after (三年滚动计划). The
  // as_of year's plan mostly comes as projects.csv's annual_plan.
  int64_t plans[4];
  for (int k = 0; k < 4; ++k) plans[k] = PlanFor(rng, d, w_.year - 1 + k);
  // Half of the projects not yet started have no plan for this year yet.
  if (d.started == kNoDay && rng.PerMille(500)) plans[1] = kNoMoney;
  const bool plan_in_project = plans[1] != kNoMoney && rng.PerMille(900);
  if (plan_in_project) {
    r.annual_plan = Money::FromFen(plans[1]);
    r.plan_year = w_.year;
  }
  sink_.Project(std::move(r));

  EmitMonthly(rng, d, i);
  EmitFunding(rng, d, plans[0], plans[1]);
  for (int k = 0; k < 4; ++k) {
    if (plans[k] == kNoMoney || (k == 1 && plan_in_project)) continue;
    PlanRecord p;
    p.line = plans_line_++;
    p.code = code_;
    p.year = w_.year - 1 + k;
    p.planned = Money::FromFen(plans[k]);
    sink_.Plan(std::move(p));
  }
  EmitProblems(rng, d, i);
  EmitApprovals(later, d);
}

void Generator::EmitMonthly(Rng& rng, const Draft& d, uint64_t) {
  if (d.started == kNoDay) return;
  const int32_t start_m = MonthOfDay(d.started);
  int32_t first = std::max(start_m, w_.first_month);
  int32_t last = w_.last_month;
  if (d.completed != kNoDay) last = std::min(last, MonthOfDay(d.completed));
  if (d.cancelled != kNoDay) last = std::min(last, MonthOfDay(d.cancelled) - 1);
  if (last < first) return;
  const bool attracted = d.attracted == Attracted::kYes;
  const int32_t suspended_m = d.suspended != kNoDay ? MonthOfDay(d.suspended) : INT32_MAX;
  const int32_t completed_m = d.completed != kNoDay ? MonthOfDay(d.completed) : INT32_MAX;
  const int32_t stall_from = d.stalled ? w_.last_month - d.stall_months + 1 : INT32_MAX;
  // Some projects under way have not filed the as_of month's report yet.
  const bool missing_last = last == w_.as_of_month && completed_m > last && rng.PerMille(40);
  const int64_t rate = d.total / d.duration / 100 * d.perf;  // 分 a month at the project's pace
  const int county = d.county;

  MonthlyRecord rec;
  rec.code = code_;
  for (int32_t m = first; m <= last; ++m) {
    const bool edge = m == first || m == last;
    if (m == last && missing_last) break;
    if (!edge && rng.PerMille(10)) continue;  // a month with no report
    const int moy = m % 12;                  // 0 = January (months index from year 0)
    int64_t fen;
    std::string_view progress;
    ProblemSet problems = 0;
    const bool idle = m > suspended_m || m >= stall_from;
    if (idle) {
      fen = 0;
      progress = m > suspended_m ? Pick(rng, kProgressSuspended) : Pick(rng, kProgressStalled);
      if (rng.PerMille(700)) {
        problems = ProblemBit(kProblemKinds[rng.Weighted(kProblemKindWeights)]);
        if (rng.PerMille(300)) problems |= ProblemBit(ProblemKind::kFunds);
      }
    } else {
      fen = rate / 100 * kSeason[moy] / 100 * rng.Range(60, 140);
      if (m == start_m || m == suspended_m) fen /= 2;
      fen = Amount(rng, fen);
      if (m != first && fen > 0 && rng.PerMille(4)) {
        fen = -Floor(fen / 100 * rng.Range(5, 30), kCent);  // a correction of earlier months
      }
      progress = m == start_m      ? Pick(rng, kProgressStart)
                 : m == completed_m ? Pick(rng, kProgressDone)
                                    : Pick(rng, kProgressWork);
      if (rng.PerMille(50)) problems = ProblemBit(kProblemKinds[rng.Weighted(kProblemKindWeights)]);
    }
    if (rng.PerMille(120)) progress = {};
    rec.line = monthly_line_++;
    rec.month = Month::FromIndex(m);
    rec.investment = rng.PerMille(3) ? std::nullopt : std::optional<Money>(Money::FromFen(fen));
    if (attracted) {
      const int64_t funds = fen > 0 ? Floor(fen / 100 * rng.Range(40, 110), kCent) : 0;
      rec.funds_arrived = Money::FromFen(funds);
    } else {
      rec.funds_arrived.reset();
    }
    rec.progress = progress;
    rec.problems = problems;
    // Filed in the next month: mostly by the 20th, some late.
    const uint64_t late = rng.Below(1000);
    if (late < 10) {
      rec.reported_on.reset();
    } else {
      const int32_t next_first = month_first_day_[static_cast<size_t>(m - w_.first_month + 1)];
      const int64_t offset = late < 930 ? rng.Range(1, 19) : rng.Range(20, 45);
      rec.reported_on = D(next_first + static_cast<int32_t>(offset));
    }
    sink_.Monthly(rec);
    if (rec.investment && m / 12 == w_.year - 1 && moy < 12) prev_year_[county][moy] += fen;
  }
}

void Generator::EmitFunding(Rng& rng, const Draft& d, int64_t plan_prev, int64_t plan_cur) {
  const bool attracted = d.attracted == Attracted::kYes;
  const bool government = !attracted && kCategories[d.cat] != Category::kIndustry;
  for (int k = 0; k < 2; ++k) {
    const int year = w_.year - 1 + k;
    const int64_t plan = k == 0 ? plan_prev : plan_cur;
    if (plan == kNoMoney) continue;
    if (!rng.PerMille(government ? 800 : 450)) continue;
    const int n = government ? static_cast<int>(rng.Range(1, 3)) : static_cast<int>(rng.Range(1, 2));
    uint32_t used = 0;
    for (int s = 0; s < n; ++s) {
      const FundingSource source = government
                                       ? kGovSources[rng.Weighted(kGovSourceWeights)]
                                       : kEnterpriseSources[rng.Weighted(kEnterpriseSourceWeights)];
      const uint32_t bit = 1u << static_cast<int>(source);
      if (used & bit) continue;
      used |= bit;
      FundingRecord f;
      f.line = funding_line_++;
      f.code = code_;
      f.year = year;
      f.source = source;
      int64_t requested = plan / 100 * rng.Range(20, 60) / n;
      requested = requested >= 100 * kFenPerWan ? Floor(requested, kFenPerWan) : Floor(requested, kCent);
      if (source == FundingSource::kForeign && rng.PerMille(500) && usd_) {  // same draws either way
        f.currency = "USD";
        requested = Floor(requested / 7, kCent);  // in 万美元
      }
      if (requested <= 0) requested = kFenPerWan;
      f.requested = Money::FromFen(requested);
      const bool decided = year < w_.year || rng.PerMille(600);
      if (decided) {
        const int64_t approved =
            rng.PerMille(150) ? 0 : Floor(requested / 100 * rng.Range(50, 100), kCent);
        f.approved = Money::FromFen(approved);
        f.arrived = Money::FromFen(Floor(approved / 100 * rng.Range(year < w_.year ? 60 : 20, 100), kCent));
      } else if (rng.PerMille(300)) {
        f.approved = Money::FromFen(0);  // declined so far; arrived not known
      }
      sink_.Funding(std::move(f));
    }
  }
}

void Generator::EmitProblems(Rng& rng, const Draft& d, uint64_t i) {
  const bool troubled = d.stalled || d.stage == Stage::kSuspended;
  const uint32_t chance = troubled ? 600 : d.started != kNoDay ? 80 : 50;
  if (!rng.PerMille(chance)) return;
  const int n = static_cast<int>(rng.Range(1, 3));
  const char* county = kCounties[d.county].name;
  int32_t from = w_.first_day;
  if (d.started != kNoDay) from = std::max(from, d.started - 90);
  else if (d.reserved != kNoDay) from = std::max(from, d.reserved);
  if (from > w_.as_of) from = w_.as_of;
  for (int k = 0; k < n; ++k) {
    ProblemRecord p;
    p.line = problems_line_++;
    p.code = code_;
    p.id = Cat("WT", i, "-", k + 1);
    p.kind = kProblemKinds[rng.Weighted(kProblemKindWeights)];
    const int kind = static_cast<int>(p.kind) - 1;
    p.description = kProblemText[kind][rng.Below(2)];
    p.owner = Cat(county, kProblemOwner[kind]);
    const int32_t raised = static_cast<int32_t>(rng.Range(from, w_.as_of));
    p.raised_on = D(raised);
    p.due = D(raised + static_cast<int32_t>(rng.Range(15, 90)));
    if (rng.PerMille(550)) {
      const int32_t resolved = raised + static_cast<int32_t>(rng.Range(3, 150));
      if (resolved <= w_.as_of) p.resolved_on = D(resolved);
    }
    sink_.Problem(std::move(p));
  }
}

// 招商 funnel dates: most attracted projects had an intention (意向, a framework
// agreement) some months before signing, some were signed without one on record, and
// some intentions have not (yet) come to a signing. Part of the operating projects
// say when production began: mostly after the completion acceptance, a few in trial
// production (试生产) before it. The stage stays what DrawProject chose.
void Generator::DrawFunnelDates(Rng& rng, const Draft& d, ProjectRecord& r) const {
  if (d.attracted == Attracted::kYes && rng.PerMille(850)) {
    if (d.signed_on != kNoDay) {
      r.dates.intended_on = D(d.signed_on - static_cast<int32_t>(rng.Range(15, 270)));
    } else {
      // Not signed: an intention still being followed (or given up when cancelled).
      const int32_t end = d.cancelled != kNoDay ? d.cancelled : w_.as_of;
      if (rng.PerMille(650)) r.dates.intended_on = D(end - static_cast<int32_t>(rng.Range(0, 400)));
    }
  }
  if (d.stage == Stage::kOperating && rng.PerMille(800)) {
    int32_t operating;
    if (rng.PerMille(120)) {  // trial production before the acceptance
      operating = std::max(d.started + 1, d.completed - static_cast<int32_t>(rng.Range(10, 90)));
    } else {
      operating = std::min(w_.as_of, d.completed + static_cast<int32_t>(rng.Range(0, 150)));
    }
    r.dates.operating_on = D(operating);
  }
}

// approvals.csv: the usual items of a project past the reserve (储备), in their usual
// order. Started projects mostly got every item before the start; some got one after
// it (a late item), some have one still missing, some started with no construction
// permit. Projects not started have the first items done and the rest pending with a
// planned date (some of them past: overdue).
void Generator::EmitApprovals(Rng& rng, const Draft& d) {
  uint32_t chance = 0;
  switch (d.stage) {
    case Stage::kConceived: chance = 0; break;
    case Stage::kReserved: chance = 300; break;
    case Stage::kPreliminary:
    case Stage::kSigned: chance = 900; break;
    case Stage::kCancelled: chance = 500; break;
    default: chance = 850; break;
  }
  if (!rng.PerMille(chance)) return;
  const bool attracted = d.attracted == Attracted::kYes;
  const Category category = kCategories[d.cat];
  const bool industrial = category == Category::kIndustry;
  const bool government = !attracted && !industrial;

  // Which items this project needs, in their usual order.
  ApprovalItem items[kApprovalItemCount];
  size_t n = 0;
  for (ApprovalItem item : kApprovalFlow) {
    uint32_t p = 0;
    switch (item) {
      case ApprovalItem::kApproval: p = 1000; break;
      case ApprovalItem::kFeasibility: p = government ? 900 : 300; break;
      case ApprovalItem::kPreliminaryDesign: p = government && d.band >= 2 ? 600 : 100; break;
      case ApprovalItem::kSiteSelection: p = 600; break;
      case ApprovalItem::kLandPreReview: p = 500; break;
      case ApprovalItem::kLand: p = category == Category::kUrban ? 500 : 850; break;
      case ApprovalItem::kLandAcquisition:
        p = category == Category::kInfrastructure || category == Category::kUrban ? 500 : 150;
        break;
      case ApprovalItem::kEia: p = 850; break;
      case ApprovalItem::kSafety: p = industrial ? 600 : 50; break;
      case ApprovalItem::kEnergy: p = industrial ? 800 : 100; break;
      case ApprovalItem::kConstructionPermit: p = 900; break;
      case ApprovalItem::kOther: p = 40; break;
      case ApprovalItem::kUnknown: p = 0; break;
    }
    if (rng.PerMille(p)) items[n++] = item;
  }

  // When the work on the items began and the day by which they were to be done.
  const int32_t A = w_.as_of;
  int32_t from = d.reserved;
  if (from == kNoDay) {
    const int32_t anchor = d.started != kNoDay ? d.started : d.signed_on != kNoDay ? d.signed_on : A;
    from = anchor - static_cast<int32_t>(rng.Range(120, 540));
  }
  const bool started = d.started != kNoDay;
  int32_t until = started ? d.started : d.cancelled != kNoDay ? d.cancelled : A;
  if (until < from) until = from;

  // What happened on the way: for started projects one of the cases of the comment
  // above; for the others, how many items (in order) are done so far.
  enum Case { kAllDone, kLate, kMissing, kNoPermit } kase = kAllDone;
  size_t done_count = n;
  size_t odd = n;  // the late or missing item
  if (started) {
    const uint64_t c = rng.Below(1000);
    kase = c < 760 ? kAllDone : c < 870 ? kLate : c < 940 ? kMissing : kNoPermit;
    if (kase == kLate || kase == kMissing) odd = rng.Below(n);
  } else {
    done_count = static_cast<size_t>(rng.Range(0, static_cast<int64_t>(n)));
    if (d.stage == Stage::kReserved) done_count = std::min<size_t>(done_count, 2);
  }

  const int city = d.county / 8;
  int32_t day = from;
  for (size_t k = 0; k < n; ++k) {
    const ApprovalItem item = items[k];
    ApprovalRecord a;
    a.line = approvals_line_++;
    a.code = code_;
    a.item = item;
    // Now and then an item the bureau does not hold against a start (是否必需 否).
    a.required = item == ApprovalItem::kApproval || item == ApprovalItem::kConstructionPermit ||
                 !rng.PerMille(50);
    // The k-th item is done by an even share of the time to the deadline.
    const int32_t step = (until - from) / static_cast<int32_t>(n + 1);
    day = std::max(day, from + step * static_cast<int32_t>(k + 1) -
                            static_cast<int32_t>(rng.Range(0, std::max(step / 2, 0))));
    if (day > until) day = until;
    int32_t done = day;
    bool pending = false;
    if (started) {
      const bool permit = item == ApprovalItem::kConstructionPermit;
      if (kase == kNoPermit && permit) {
        pending = true;
      } else if (kase == kLate && k == odd) {
        done = d.started + static_cast<int32_t>(rng.Range(1, 150));
        if (done > A) pending = true;
      } else if (kase == kMissing && k == odd) {
        pending = true;
      } else if (permit) {
        done = std::max(from, d.started - static_cast<int32_t>(rng.Range(0, 45)));
      }
    } else {
      pending = k >= done_count;
    }
    const ApprovalAuthority& who = kAuthorities[static_cast<int>(item) - 1];
    if (pending) {
      // Pending: mostly with the day it should be done by, a part of them past.
      if (rng.PerMille(850)) {
        const int32_t lo = started ? d.started - 60 : A - 150;
        a.planned_on = D(static_cast<int32_t>(rng.Range(lo, A + 240)));
      }
      if (rng.PerMille(700)) a.authority = Cat(kCities[city], who.authority);
    } else {
      a.done_on = D(done);
      if (rng.PerMille(400)) a.planned_on = D(done + static_cast<int32_t>(rng.Range(-30, 60)));
      a.authority = item == ApprovalItem::kConstructionPermit && rng.PerMille(500)
                        ? Cat(kCounties[d.county].name, "住房和城乡建设局")
                        : Cat(kCities[city], who.authority);
      if (!rng.PerMille(80)) {
        const auto c = internal::civil::CivilFromDays(done);
        if (item == ApprovalItem::kConstructionPermit) {  // 施工许可证编号: region, date, serial
          char buf[80];  // room for any int, so that -Wformat-truncation has nothing to say
          std::snprintf(buf, sizeof buf, "%06d%04d%02d%02d%02d%02d", kCounties[d.county].code, c.year, c.month,
                        c.day, static_cast<int>(rng.Range(1, 12)), static_cast<int>(rng.Range(1, 99)));
          a.document_no = buf;
        } else {
          a.document_no = Cat(kCityShort[city], who.doc, "〔", c.year, "〕", rng.Range(1, 300), "号");
        }
      }
    }
    if (item == ApprovalItem::kOther) a.authority = Cat(kCities[city], who.authority);
    sink_.Approval(std::move(a));
  }
}

// Comparable bases (上年同期可比口径): the statistics bureau's revision of last year's
// figures, a few percent off what the ledger itself sums to.
void Generator::Baselines() {
  const int last_moy = w_.as_of_month % 12;  // 0-based month of year of as_of
  if (Month::FromYm(w_.year - 1, 1).index() < w_.first_month) return;  // no prior-year months
  Rng rng(o_.seed, ~uint64_t{0});
  int64_t line = 2;
  auto emit = [&](int moy, std::string dimension, std::string key, int128 actual) {
    if (actual <= 0) return;
    const int128 revised = actual * rng.Range(960, 1040) / 1000 / kCent * kCent;
    BaselineRecord b;
    b.line = line++;
    b.month = Month::FromYm(w_.year, moy + 1);
    b.dimension = std::move(dimension);
    b.key = std::move(key);
    b.investment = Money::FromFen(static_cast<int64_t>(revised));
    sink_.Baseline(std::move(b));
  };
  // "all" for each month from 1-2月 on.
  for (int moy = 1; moy <= last_moy; ++moy) {
    int128 sum = 0;
    for (int c = 0; c < kCountyCount; ++c) {
      for (int k = 0; k <= moy; ++k) sum += prev_year_[c][k].fen();
    }
    emit(moy, "all", "", sum);
  }
  // The as_of month for the counties of the second city.
  for (int c = 8; c < 16 && last_moy >= 1; ++c) {
    int128 sum = 0;
    for (int k = 0; k <= last_moy; ++k) sum += prev_year_[c][k].fen();
    emit(last_moy, "region", std::to_string(kCounties[c].code), sum);
  }
}

// The builder as a sink.
class BuilderSink : public GeneratorSink {
 public:
  explicit BuilderSink(LedgerBuilder& b) : b_(b) {}
  void SetExtraHeaders(Table t, std::vector<std::string> h) override { b_.SetExtraHeaders(t, std::move(h)); }
  void Project(ProjectRecord&& r) override { b_.AddProject(std::move(r)); }
  void Monthly(const MonthlyRecord& r) override { b_.AddMonthly(r); }
  void Funding(FundingRecord&& r) override { b_.AddFunding(std::move(r)); }
  void Plan(PlanRecord&& r) override { b_.AddPlan(std::move(r)); }
  void Problem(ProblemRecord&& r) override { b_.AddProblem(std::move(r)); }
  void Baseline(BaselineRecord&& r) override { b_.AddBaseline(std::move(r)); }
  void Approval(ApprovalRecord&& r) override { b_.AddApproval(std::move(r)); }

 private:
  LedgerBuilder& b_;
};

}  // namespace

std::span<const GeneratedRegion> GeneratorCounties() { return kCounties; }

std::span<const GeneratedRegion> GeneratorRegions() {
  static const std::vector<GeneratedRegion> regions = [] {
    std::vector<GeneratedRegion> r = {{61, "陕西省"}, {6103, "宝鸡市"}, {6104, "咸阳市"}, {6105, "渭南市"}};
    r.insert(r.end(), std::begin(kCounties), std::end(kCounties));
    return r;
  }();
  return regions;
}

absl::Status ValidateGeneratorOptions(const GeneratorOptions& o) {
  // Unified codes are unique for up to 36^5 (60 million) projects.
  if (o.projects > 50'000'000) {
    return absl::InvalidArgumentError(Cat("projects: at most 50000000, got ", o.projects));
  }
  if (o.months < 1 || o.months > 1200) {
    return absl::InvalidArgumentError(Cat("months: 1..1200, got ", o.months));
  }
  // National project codes carry years 2000..2099 (project_code.h).
  const int year = o.as_of.year();
  if (year < 2001 || year > 2097) {
    return absl::InvalidArgumentError(Cat("as_of: year ", year, " out of range 2001..2097"));
  }
  if (o.first_year != 0 && (o.first_year < 1990 || o.first_year > year)) {
    return absl::InvalidArgumentError(
        Cat("first_year: ", o.first_year, " must be 1990..", year, " (the as_of year)"));
  }
  if (!o.usd_rate.empty()) {
    // The rate the ledger is built with (BuildOptions::fx_rates): the builder's rule,
    // so that what generate takes, --fx takes.
    if (absl::Status st = CheckFxRate("USD", o.usd_rate); !st.ok()) {
      return absl::InvalidArgumentError(Cat("usd_rate: ", st.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status GenerateRecords(const GeneratorOptions& options, GeneratorSink& sink) {
  if (absl::Status s = ValidateGeneratorOptions(options); !s.ok()) return s;
  auto g = std::make_unique<Generator>(options, sink);
  g->Run();
  return absl::OkStatus();
}

BuildOptions GeneratorBuildOptions(const GeneratorOptions& options) {
  BuildOptions b;
  if (!options.usd_rate.empty()) b.fx_rates.emplace_back("USD", options.usd_rate);
  return b;
}

absl::StatusOr<Ledger> GenerateLedger(const GeneratorOptions& options) {
  return internal::NoThrow("generating a ledger", [&]() -> absl::StatusOr<Ledger> {
    LedgerBuilder builder(GeneratorBuildOptions(options));
    BuilderSink sink(builder);
    if (absl::Status s = GenerateRecords(options, sink); !s.ok()) return s;
    if (builder.has_errors()) {
      return absl::InternalError(Cat("the generator made records the ledger rejects (a bug): ",
                                     std::string(DiagnosticsStatus(builder.diagnostics()).message())));
    }
    return std::move(builder).Build();
  });
}

}  // namespace keyproj
