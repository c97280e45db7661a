#!/usr/bin/env python3
"""Writes the ledger of the 前期手续 sentence of a city's report (shared spec
workflow.md §1):

    截至9月底,我市共完成立项可研报告批复28项,拿地即开工项目15项,征地拆迁18项

as the approvals of a ledger as of 2025-09-30. Run `python3 make.py` in this folder;
it rewrites projects.csv, monthly.csv and approvals.csv (standard library only,
deterministic). tests/golden_reports_test.cc and tests/cli/test_workflow.py check the
figures; what each project is there for:

  approvals_done_ytd.feasibility       28 = F01..F28, feasibility done 2025-01..09.
      Not counted: T1 done 2024-11-20 (last year), T2 done 2025-10-08 (after as_of),
      T3 pending, T4 done 2025-03-01 but the project was cancelled on 2025-08-01
      (a cancelled project counts nowhere but in `cancelled`).
  approvals_done_ytd.land_acquisition  18 = F01..F18, done 2025-01..09.
      Not counted: T4 (cancelled), T5 done 2024-12-31, T6 done 2025-10-01.
  land_to_start_ytd                    15 = F01..F14 started 0..30 days after their
      land item was done, all in 2025 (F01 the same day, F02 exactly 30 days), and
      F15, land done 2024-12-20 and started 2025-01-10 (a start of this year).
      Not counted: F16 started 31 days after; F17 started before its land was done;
      F18 started 2025-10-05 (after as_of); F19 started 2024-11-05 (last year).
"""

import csv
import datetime as dt
import os

AS_OF = dt.date(2025, 9, 30)
COUNTIES = ["610402", "610403", "610404", "610481"]  # 咸阳市: 秦都, 杨陵, 渭城, 兴平
ORGS = {
    "approval": "咸阳市发展和改革委员会",
    "feasibility": "咸阳市发展和改革委员会",
    "land": "咸阳市自然资源和规划局",
    "land_acquisition": "咸阳市自然资源和规划局",
    "eia": "咸阳市生态环境局",
    "construction_permit": "咸阳市住房和城乡建设局",
    "other": "咸阳市行政审批服务局",
}
NAMES = ["智能制造产业园", "新能源汽车零部件", "城市综合管廊", "污水处理厂提标改造", "文化旅游街区",
         "冷链物流中心", "职业教育实训基地", "生物医药孵化器", "光伏发电", "农产品加工园",
         "数据中心", "物流仓储", "社区养老服务中心", "人民医院门诊楼", "供热管网改造"]


def d(y, m, day):
    return dt.date(y, m, day)


def fmt(x):
    return "" if x is None else x.isoformat()


class Project:
    def __init__(self, i, tag):
        self.code = f"XY-{tag}-{i:03d}"
        self.name = f"咸阳市{NAMES[i % len(NAMES)]}项目（{tag}{i:02d}）"
        self.region = COUNTIES[i % len(COUNTIES)]
        self.total = 20000 + 1370 * i  # 万元
        self.reserved_on = d(2024, 3, 1)
        self.planned_start = None
        self.started_on = None
        self.cancelled_on = None
        self.approvals = []  # (item, required, planned_on, done_on)

    def add(self, item, done_on, planned_on=None, required=1):
        self.approvals.append((item, required, planned_on, done_on))


def build():
    projects = []
    # F01..F28: feasibility done in 2025-01..09, one a week from 2025-01-06.
    f = []
    for i in range(1, 29):
        p = Project(i, "F")
        p.add("approval", d(2024, 12, 2))
        p.add("feasibility", d(2025, 1, 6) + dt.timedelta(days=8 * (i - 1)))
        p.planned_start = d(2025, 3, 1) + dt.timedelta(days=6 * i)
        f.append(p)
    # F01..F18: land acquisition (征地拆迁) done in 2025, a week after the feasibility.
    for p in f[:18]:
        feas = p.approvals[1][3]
        p.add("land_acquisition", feas + dt.timedelta(days=7))
    # Land (用地批复) and the start.
    for k, p in enumerate(f[:14], start=1):  # F01..F14: started 0..30 days after land
        land = p.approvals[1][3] + dt.timedelta(days=10)
        p.add("land", land)
        p.started_on = land + dt.timedelta(days={1: 0, 2: 30}.get(k, (k * 3) % 31))
    f[14].add("land", d(2024, 12, 20))          # F15: land last year, start this year
    f[14].started_on = d(2025, 1, 10)
    f[15].add("land", d(2025, 4, 1))            # F16: 31 days
    f[15].started_on = d(2025, 5, 2)
    f[16].add("land", d(2025, 6, 10))           # F17: started before the land was done
    f[16].started_on = d(2025, 6, 1)
    f[17].add("land", d(2025, 8, 20))           # F18: starts after as_of
    f[17].started_on = d(2025, 10, 5)
    f[18].add("land", d(2024, 10, 8))           # F19: started last year
    f[18].started_on = d(2024, 11, 5)
    for p in f:
        if p.started_on is not None:
            p.add("construction_permit", min(p.started_on, AS_OF) - dt.timedelta(days=2))
        else:
            p.add("eia", None, planned_on=d(2025, 8, 31))  # pending, overdue at as_of
            p.add("other", d(2025, 2, 14), required=0)
            p.add("other", None, planned_on=d(2025, 12, 31), required=0)
    projects += f
    # Traps.
    t = [Project(i, "T") for i in range(1, 7)]
    t[0].add("feasibility", d(2024, 11, 20))
    t[1].add("feasibility", d(2025, 10, 8))
    t[2].add("feasibility", None, planned_on=d(2025, 6, 30))
    t[3].add("feasibility", d(2025, 3, 1))
    t[3].add("land_acquisition", d(2025, 4, 1))
    t[3].cancelled_on = d(2025, 8, 1)
    t[4].add("land_acquisition", d(2024, 12, 31))
    t[5].add("land_acquisition", d(2025, 10, 1))
    projects += t
    return projects


def write(projects):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "projects.csv"), "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["code", "name", "region", "category", "total_investment", "planned_start",
                    "reserved_on", "started_on", "cancelled_on"])
        for p in projects:
            w.writerow([p.code, p.name, p.region, "industry", f"{p.total}.00", fmt(p.planned_start),
                        fmt(p.reserved_on), fmt(p.started_on), fmt(p.cancelled_on)])
    with open(os.path.join(here, "approvals.csv"), "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["项目代码", "审批事项", "是否必需", "计划办结时间", "办结时间", "审批部门", "批复文号"])
        n = 0
        for p in projects:
            for item, required, planned_on, done_on in p.approvals:
                n += 1
                doc = "" if done_on is None else f"咸审批〔{done_on.year}〕{n}号"
                w.writerow([p.code, item, "是" if required else "否", fmt(planned_on), fmt(done_on),
                            ORGS.get(item, ORGS["other"]), doc])
    with open(os.path.join(here, "monthly.csv"), "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["code", "month", "investment"])
        for i, p in enumerate(projects):
            if p.started_on is None or p.started_on > AS_OF or p.cancelled_on is not None:
                continue
            y, m = p.started_on.year, p.started_on.month
            while (y, m) <= (AS_OF.year, AS_OF.month):
                w.writerow([p.code, f"{y}-{m:02d}", f"{300 + 17 * i + 5 * m}.00"])
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)


if __name__ == "__main__":
    write(build())
