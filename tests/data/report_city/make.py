#!/usr/bin/env python3
"""Writes the ledger of worked report 2 (shared spec indicators.md, "Worked figures
from real bureau reports"): a city's report as of 2024-09-30.

    investment 1-9月 320亿元, up 20%; industrial (产业) investment up 18% and 55%
    of the total; manufacturing-and-utilities (工业) investment up 23% and 45%.
    30 provincial key projects completed 130亿元, 88% of their annual plan; the
    continuing ones 70亿元, 92%, 7 points ahead of 序时进度; the new ones 60亿元,
    83%. 40 city key projects: 13 industry, 10 urban, 9 livelihood, 8
    culture-tourism.

Run `python3 make.py` in this folder; it rewrites projects.csv and monthly.csv.
Standard library only and deterministic (its own splitmix64 generator, fixed
seed). tests/golden_reports_test.cc checks every figure of the report against
these files, as the report rounds it and as the exact value below.

The ledger's projects fall in four cells by 项目类别 (category=industry or not) and
工业 (industry code in sections B, C, D or not). Exact investment, 万元:

  cell                        2024-01..09 (ytd)   2023-01..09 (prev_ytd)
  A industry, 工业 (B10, C..)  1,296,543.21        1,061,234.50
  B industry, not 工业 (G/I/M)   464,210.87          430,876.25
  C other, 工业 (D44, D46)       143,765.40          107,654.32
  D other, not 工业              1,296,715.08        1,068,047.27
  whole city                  3,201,234.56 (320亿) 2,667,812.34   -> +19.995% "20%"
  产业 = A + B                 1,760,754.08 = 55.002% of the city; +18.004% "18%"
  工业 = A + C                 1,440,308.61 = 44.992% of the city; +23.220% "23%"

Provincial key projects (level=provincial), 30 of them, plans for 2024:
  continuing (18)  ytd   701,234.56 (70亿)  plan 761,000.00  -> 92.146% "92%";
                   against the province's curve (85% due by end of September)
                   +7.146 points "7"
  new (12)         ytd   598,765.43 (60亿)  plan 721,000.00  -> 83.046% "83%"
                   (one of them not started yet: a plan and no investment)
  all 30           ytd 1,299,999.99 (130亿) plan 1,482,000.00 -> 87.719% "88%"

City key projects (level=municipal): 40 alive at as_of -- 13 industry, 10 urban, 9
livelihood, 8 culture_tourism. One more urban project was cancelled on 2024-06-15
and is counted nowhere; one culture_tourism project cancelled on 2024-11-20 (after
as_of) still counts.

What the windows must leave out: 2022 and 2023-10..12 rows, 2024-10 rows (the
ledger was exported after the report), the cancelled project's rows, 40 projects
completed in 2023 that only carry prior-year investment.
"""

import csv
import os
from fractions import Fraction

SEED = 20240930
DISTRICTS = ["360702", "360703", "360704", "360722", "360723", "360781"]  # 江西省赣州市

# Exact figures, in hundredths of 万元 (0.01万 = 100元). Cells: see the docstring.
YTD = {"A": 129654321, "B": 46421087, "C": 14376540}
YTD["D"] = 320123456 - sum(YTD.values())
PREV = {"A": 106123450, "B": 43087625, "C": 10765432}
PREV["D"] = 266781234 - sum(PREV.values())
CONT_YTD, CONT_PLAN = 70123456, 76100000
NEW_YTD, NEW_PLAN = 59876543, 72100000
CURVE_SEPT = Fraction(85, 100)


class Rng:
    """splitmix64: small, fast and the same on every Python."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def int(self, lo, hi):
        """Uniform in [lo, hi]."""
        return lo + self.next() % (hi - lo + 1)

    def pick(self, seq):
        return seq[self.next() % len(seq)]


rng = Rng(SEED)


def apportion(total, weights):
    """Splits an integer total in proportion to positive integer weights, exactly
    (largest remainder, ties to the earlier index)."""
    s = sum(weights)
    parts = [total * w // s for w in weights]
    rest = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % s), i))
    for i in order[:rest]:
        parts[i] += 1
    assert sum(parts) == total
    return parts


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def ym(year, month):
    return year * 12 + month - 1


def ym_text(index):
    return f"{index // 12}-{index % 12 + 1:02d}"


def date(year, month, day):
    return f"{year}-{month:02d}-{day:02d}"


def month_of(text):
    return ym(int(text[0:4]), int(text[5:7]))


def day_in(index, lo=1, hi=28):
    return date(index // 12, index % 12 + 1, rng.int(lo, hi))


JAN_2023, SEP_2023 = ym(2023, 1), ym(2023, 9)
JAN_2024, SEP_2024, OCT_2024 = ym(2024, 1), ym(2024, 9), ym(2024, 10)

# (category, industry, what) by cell.
KINDS = {
    "A": [("industry", "C39", "电子信息"), ("industry", "C38", "新能源电池"), ("industry", "C26", "稀土新材料"),
          ("industry", "C30", "新型建材"), ("industry", "C36", "新能源汽车"), ("industry", "C34", "智能装备"),
          ("industry", "C21", "家具制造"), ("industry", "C13", "食品加工"), ("industry", "B10", "非金属矿采选")],
    "B": [("industry", "I65", "数字经济"), ("industry", "G59", "现代物流"), ("industry", "M73", "研发中心")],
    "C": [("infrastructure", "D44", "光伏发电"), ("ecology", "D46", "污水处理"), ("urban", "D46", "城市供水")],
    "D": [("urban", "E48", "市政道路"), ("urban", "K70", "城市更新"), ("livelihood", "P83", "学校建设"),
          ("livelihood", "Q84", "医院建设"), ("culture_tourism", "N78", "文旅景区"),
          ("culture_tourism", "R87", "文化场馆"), ("agriculture", "A01", "现代农业"),
          ("ecology", "N77", "生态修复"), ("infrastructure", "G54", "综合交通")],
}
CELL_OF = {}  # (category, industry) -> cell
for cell_name, kinds in KINDS.items():
    for category, industry, _ in kinds:
        CELL_OF[(category, industry)] = cell_name

projects = []


def new_project(cell, level, build_type, kind=None, **fields):
    category, industry, what = kind or rng.pick(KINDS[cell])
    assert CELL_OF[(category, industry)] == cell
    p = {
        "code": f"GZ{len(projects) + 1:04d}",
        "name": f"{what}项目{len(projects) + 1:04d}",
        "region": rng.pick(DISTRICTS),
        "industry": industry,
        "category": category,
        "level": level,
        "build_type": build_type,
        "total_investment": None,
        "annual_plan": None,
        "plan_year": "",
        "planned_start": "",
        "stage": "started",
        "reserved_on": "",
        "started_on": "",
        "completed_on": "",
        "cancelled_on": "",
        "cell": cell,
        "inv": {},
    }
    p.update(fields)
    if not p["started_on"] and p["stage"] == "started":
        if build_type == "continuing":
            p["started_on"] = day_in(rng.int(ym(2022, 3), ym(2022, 12)))
        else:
            p["started_on"] = day_in(rng.int(JAN_2024, ym(2024, 7)))
    if p["started_on"] and not p["reserved_on"]:
        p["reserved_on"] = day_in(month_of(p["started_on"]) - rng.int(4, 18))
    projects.append(p)
    return p


def kind(cell, category):
    return rng.pick([k for k in KINDS[cell] if k[0] == category])


# ---- 30 provincial key projects ---------------------------------------------------
prov_cont = [new_project(c, "provincial", "continuing")
             for c in "A" * 9 + "B" * 3 + "C" * 2]
prov_cont += [new_project("D", "provincial", "continuing", kind("D", cat))
              for cat in ["urban", "urban", "culture_tourism", "livelihood"]]
for p in prov_cont[3:5]:  # finished this spring
    p.update(stage="completed", completed_on=day_in(rng.int(ym(2024, 4), ym(2024, 6))))
prov_new = [new_project(c, "provincial", "new") for c in "A" * 6 + "B" * 2]
prov_new += [new_project("C", "provincial", "new", ("infrastructure", "D44", "光伏发电"))]
prov_new += [new_project("D", "provincial", "new", kind("D", cat)) for cat in ["urban", "livelihood", "agriculture"]]
waiting = prov_new[5]  # planned for October: a plan, no investment yet
waiting.update(stage="preliminary", started_on="", planned_start="2024-10-15",
               reserved_on="2023-11-20")
assert len(prov_cont) == 18 and len(prov_new) == 12

# ---- 40 municipal key projects, and one cancelled -----------------------------------
muni = []
for cell, category, n in [("A", "industry", 9), ("B", "industry", 4), ("C", "urban", 3), ("D", "urban", 7),
                          ("D", "livelihood", 9), ("D", "culture_tourism", 8)]:
    for i in range(n):
        muni.append(new_project(cell, "municipal", rng.pick(["new", "continuing"]), kind(cell, category)))
for p in (muni[0], muni[27]):  # one industry, one livelihood project still in 前期
    p.update(stage="preliminary", build_type="new", started_on="", planned_start="2024-12-01")
culture = [p for p in muni if p["category"] == "culture_tourism"]
late_exit = culture[-1]  # withdrawn after as_of: still counts at 2024-09-30
late_exit.update(build_type="continuing", stage="cancelled", started_on="2022-06-16",
                 cancelled_on="2024-11-20")
assert len(muni) == 40
gone = new_project("D", "municipal", "new", ("urban", "E48", "市政道路"), stage="cancelled",
                   started_on="2024-02-26", cancelled_on="2024-06-15")
gone["inv"] = {ym(2024, 2): 88000, ym(2024, 3): 152000, ym(2024, 4): 97000, ym(2024, 5): 40000}

# ---- county-level projects ------------------------------------------------------------
local = []
for cell, n in [("A", 30), ("B", 15), ("C", 10), ("D", 45)]:
    for i in range(n):
        local.append(new_project(cell, "county", rng.pick(["new", "continuing", "continuing"])))
for p in local[::9]:  # a few in the reserve
    p.update(stage="reserved", started_on="", build_type="new",
             reserved_on=day_in(rng.int(ym(2023, 6), SEP_2024)))
for p in local[1::13]:  # a few completed this year
    lo = max(month_of(p["started_on"] or "2099-01") + 1, JAN_2024)
    if p["stage"] == "started" and lo <= SEP_2024:
        p.update(stage="completed", completed_on=day_in(rng.int(lo, SEP_2024)))

# ---- built 2022-2023: only prior-year investment ------------------------------------------
prior = []
for cell, n in [("A", 15), ("B", 6), ("C", 4), ("D", 15)]:
    for i in range(n):
        p = new_project(cell, "county", "continuing", started_on=day_in(rng.int(ym(2022, 2), ym(2022, 12))))
        p.update(stage="completed", completed_on=day_in(rng.int(ym(2023, 10), ym(2023, 12))))
        prior.append(p)


# ---- investment ----------------------------------------------------------------------------
def months_through(p, last):
    if not p["started_on"]:
        return []
    end = last
    if p["completed_on"]:
        end = min(end, month_of(p["completed_on"]))
    return list(range(month_of(p["started_on"]), end + 1))


def split_months(total, months):
    """Splits `total` over `months` with uneven, positive weights."""
    return dict(zip(months, apportion(total, [rng.int(40, 160) for _ in months])))


def alive(p):
    return not (p["cancelled_on"] and p["cancelled_on"] <= "2024-09-30")


def in_window(p, lo, hi):
    return [m for m in months_through(p, hi) if m >= lo]


CELL_WEIGHT = {"A": (100, 200), "B": (60, 120), "C": (20, 40), "D": (80, 160)}


def allocate(group, total, lo, hi, weight):
    group = [p for p in group if in_window(p, lo, hi)]
    for p, amount in zip(group, apportion(total, [weight(p) for p in group])):
        p["inv"].update(split_months(amount, in_window(p, lo, hi)))
    return group


# 2024-01..09: the provincial figures first, then the rest of each cell.
cell_weight = lambda p: rng.int(*CELL_WEIGHT[p["cell"]]) * len(in_window(p, JAN_2024, SEP_2024))
allocate(prov_cont, CONT_YTD, JAN_2024, SEP_2024, cell_weight)
allocate(prov_new, NEW_YTD, JAN_2024, SEP_2024, cell_weight)
for cell in "ABCD":
    left = YTD[cell] - sum(v for p in prov_cont + prov_new if p["cell"] == cell
                           for m, v in p["inv"].items() if JAN_2024 <= m <= SEP_2024)
    assert left > YTD[cell] // 4, (cell, left)
    others = [p for p in muni + local if p["cell"] == cell and alive(p)]
    allocate(others, left, JAN_2024, SEP_2024, lambda p: rng.int(30, 150) * len(in_window(p, JAN_2024, SEP_2024)))
# 2023-01..09: everything that was being built then.
for cell in "ABCD":
    group = [p for p in prov_cont + muni + local + prior if p["cell"] == cell and alive(p)]
    allocate(group, PREV[cell], JAN_2023, SEP_2023, lambda p: rng.int(30, 150))
# Months outside both windows: 2022, 2023-10..12, and October 2024 (reported after the
# report was made, still in the export).
for p in projects:
    if p is gone:
        continue
    for m in months_through(p, OCT_2024):
        if m not in p["inv"] and (m < JAN_2023 or SEP_2023 < m < JAN_2024 or m == OCT_2024):
            if m == OCT_2024 and rng.int(0, 2) == 0:
                continue
            p["inv"][m] = rng.int(2000, 400000)
# A month not reported: one provincial project filed nothing for March 2024 and put
# it in April's row.
hole = prov_cont[0]
hole["inv"][ym(2024, 4)] += hole["inv"].pop(ym(2024, 3))
# A correction (核减): over-reported in May, taken back in June.
fix = next(p for p in local if ym(2024, 5) in p["inv"] and ym(2024, 6) in p["inv"])
fix["inv"][ym(2024, 5)] += fix["inv"][ym(2024, 6)] + 12345
fix["inv"][ym(2024, 6)] = -12345

# ---- plans for 2024 and total investment ---------------------------------------------------
ytd_of = lambda p: sum(v for m, v in p["inv"].items() if JAN_2024 <= m <= SEP_2024)
started_new = [p for p in prov_new if p is not waiting]
waiting["annual_plan"] = 2500000  # 25,000万
for group, total in [(prov_cont, CONT_PLAN), (started_new, NEW_PLAN - waiting["annual_plan"])]:
    for p, plan in zip(group, apportion(total, [ytd_of(p) * rng.int(90, 130) for p in group])):
        p["annual_plan"] = plan
for p in muni + local:
    if ytd_of(p) > 0 and rng.int(0, 3) > 0:
        p["annual_plan"] = -(-ytd_of(p) * rng.int(105, 160) // 100 // 100) * 100  # whole 万
for p in projects:
    if p["annual_plan"] is not None:
        p["plan_year"] = "2024"
    spent = sum(p["inv"].values())
    floor = max(spent * rng.int(13, 30) // 10, (p["annual_plan"] or 0) * 2, 200000)
    p["total_investment"] = -(-floor // 10000) * 10000  # whole 100万

# ---- write ----------------------------------------------------------------------------------
here = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ["code", "name", "region", "industry", "category", "level", "build_type", "total_investment",
           "annual_plan", "plan_year", "planned_start", "stage", "reserved_on", "started_on",
           "completed_on", "cancelled_on"]


def write(name, header, rows):
    with open(os.path.join(here, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def cell_text(p, column):
    v = p[column]
    if column in ("total_investment", "annual_plan"):
        return "" if v is None else money(v)
    return v


write("projects.csv", COLUMNS, [[cell_text(p, c) for c in COLUMNS] for p in projects])
monthly = [[p["code"], ym_text(m), money(v)] for p in projects for m, v in sorted(p["inv"].items())]
write("monthly.csv", ["code", "month", "investment"], monthly)


# ---- self-check: the report's figures from what was written, rounded half-up -------------------
def half_up(x, places=0):
    q = x * 10**places
    n = q.numerator // q.denominator
    if (q - n) * 2 >= 1:
        n += 1
    return n


live = [p for p in projects if alive(p)]
total = lambda ps, lo, hi: sum(v for p in ps for m, v in p["inv"].items() if lo <= m <= hi)
ytd = lambda ps: total(ps, JAN_2024, SEP_2024)
prev = lambda ps: total(ps, JAN_2023, SEP_2023)
pct = lambda x: half_up(x * 100)
T1, T0 = ytd(live), prev(live)
assert T1 == 320123456 and T0 == 266781234
assert half_up(Fraction(T1, 10**6)) == 320 and pct(Fraction(T1, T0) - 1) == 20
ind = [p for p in live if p["category"] == "industry"]
gy = [p for p in live if p["industry"][0] in "BCD"]
assert pct(Fraction(ytd(ind), prev(ind)) - 1) == 18
assert pct(Fraction(ytd(ind), T1)) == 55
assert pct(Fraction(ytd(gy), prev(gy)) - 1) == 23 and pct(Fraction(ytd(gy), T1)) == 45
prov = [p for p in live if p["level"] == "provincial"]
plan = lambda ps: sum(p["annual_plan"] or 0 for p in ps)
cont = [p for p in prov if p["build_type"] == "continuing"]
new = [p for p in prov if p["build_type"] == "new"]
assert len(prov) == 30 and ytd(cont) == CONT_YTD and ytd(new) == NEW_YTD
assert plan(cont) == CONT_PLAN and plan(new) == NEW_PLAN
assert half_up(Fraction(ytd(prov), 10**6)) == 130 and pct(Fraction(ytd(prov), plan(prov))) == 88
assert half_up(Fraction(ytd(cont), 10**6)) == 70 and pct(Fraction(ytd(cont), plan(cont))) == 92
assert half_up((Fraction(ytd(cont), plan(cont)) - CURVE_SEPT) * 100) == 7
assert half_up(Fraction(ytd(new), 10**6)) == 60 and pct(Fraction(ytd(new), plan(new))) == 83
counts = {}
for p in live:
    if p["level"] == "municipal":
        counts[p["category"]] = counts.get(p["category"], 0) + 1
assert counts == {"industry": 13, "urban": 10, "livelihood": 9, "culture_tourism": 8}, counts
print(f"{len(projects)} projects, {len(monthly)} monthly rows")
