#!/usr/bin/env python3
"""Writes the ledger of worked report 1 (shared spec indicators.md, "Worked figures
from real bureau reports"): a county's report as of 2024-10-31.

    729 projects of >= 500万 under way; investment 1-10月 262.9亿元, up 8.4%;
    427 projects newly reserved, 1281 in reserve; 236 signed attracted projects
    worth 822.3亿元, of which 207 started and 121 completed; capital arrived
    259.5亿元, up 21.3%. Reserve multiple 1281 / 729 ~ 1.76.

Run `python3 make.py` in this folder; it rewrites projects.csv, monthly.csv and
baseline.csv. Standard library only and deterministic (its own splitmix64
generator, fixed seed): the same files every time. tests/golden_reports_test.cc
checks every figure of the report against these files, both as the report rounds
it and as the exact value below.

The report's scope is the ledger's projects of >= 500万 total investment
(Filter::min_total_investment = 500万); the ledger also holds 6 smaller projects
that the scope must leave out. Exact figures (万元) the scope gives at 2024-10-31:

  started_ytd            729  = 522 government/enterprise projects + 207 attracted
                               ones, all with started_on in 2024-01..2024-10 (one
                               of them cancelled on 2024-12-01, after as_of, so it
                               still counts; two suspended in September)
  investment_ytd         2,628,953.18  (INVEST_YTD; 262.9亿) = the monthly
                               investment of those 729 in 2024-01..10. Not in it:
                               November rows, a project cancelled in August, the
                               small projects
  yoy_growth             INVEST_YTD / BASE - 1 = 8.41% -> "8.4%": the comparable
                               base (上年同期可比口径) 2,425,034.72 of baseline.csv
                               for 2024-10, dimension all. Against the ledger's own
                               2023-01..10 rows (RAW_PREV 2,456,789.01, from 260
                               projects built in 2022-2023) it would be 7.0%
  reserved_ytd           427  = 387 still in reserve + 30 started + 10 signed
                               attracted ones, reserved_on in 2024-01..10 (a 2024
                               reserve cancelled in July does not count)
  reserve                1281 = 387 reserved in 2024 + 834 reserved 2021-2023 + 60
                               conceived; 5 of them have stage `started` with
                               started_on in November and 3 stage `signed` with
                               signed_on in November: at as_of they were in reserve
  reserve_multiple       1281 / 729 = 1.757 -> "1.76"
  signed                 236  attracted, signed_on <= as_of (100 in 2023, 136 in
                               2024); contracted_investment 8,223,045.67 (822.3亿)
  signed_started         207  (90 signed in 2023, 117 in 2024)
  completed [attracted]  121  of those 207 (completed_on 2024-04..10)
  funds_arrived_ytd      2,595,123.45 (FUNDS_YTD, 259.5亿) in 2024-01..10; at
                               2023-10-31 the same indicator gives 2,139,456.78
                               (FUNDS_PREV, 2023-01..10): growth 21.298% -> "21.3%"
"""

import csv
import os

SEED = 20241031
REGION = "610431"  # 陕西省咸阳市武功县

# Exact figures, in hundredths of 万元 (0.01万 = 100元).
INVEST_YTD = 262895318   # 2,628,953.18万: investment 2024-01..10
BASE = 242503472         # 2,425,034.72万: comparable base for 2024-10 (baseline.csv)
BASE_SEPT = 219876543    # baseline.csv also has 2024-09; an as_of in October must not use it
RAW_PREV = 245678901     # 2,456,789.01万: the ledger's own investment 2023-01..10
FUNDS_YTD = 259512345    # 2,595,123.45万: funds arrived 2024-01..10
FUNDS_PREV = 213945678   # 2,139,456.78万: funds arrived 2023-01..10
CONTRACTED = 822304567   # 8,223,045.67万: contracted investment of the 236 signed

N_STARTED_PLAIN = 522
N_SIGNED_STARTED_2023, N_SIGNED_STARTED_2024 = 90, 117
N_SIGNED_IDLE_2023, N_SIGNED_IDLE_2024 = 10, 19
N_COMPLETED_ATTRACTED = 121
N_RESERVE_2024, N_RESERVE_OLD, N_CONCEIVED = 387, 834, 60
N_PRIOR = 260


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


OCT_2024, NOV_2024 = ym(2024, 10), ym(2024, 11)
JAN_2024, JAN_2023, OCT_2023 = ym(2024, 1), ym(2023, 1), ym(2023, 10)

INDUSTRIES = [
    ("industry", "C13", "农副食品加工"), ("industry", "C27", "生物医药"),
    ("industry", "C29", "橡胶塑料制品"), ("industry", "C34", "通用设备制造"),
    ("industry", "C38", "电气机械"), ("industry", "C39", "电子信息"),
    ("industry", "G59", "冷链物流"), ("industry", "I65", "数字经济"),
    ("urban", "E48", "市政道路"), ("urban", "K70", "城中村改造"),
    ("livelihood", "P83", "学校建设"), ("livelihood", "Q84", "医院建设"),
    ("culture_tourism", "N78", "文旅景区"), ("ecology", "N77", "生态治理"),
    ("agriculture", "A01", "现代农业园区"), ("infrastructure", "D44", "光伏发电"),
    ("infrastructure", "D46", "供水工程"),
]
TOWNS = ["普集镇", "苏坊镇", "武功镇", "游风镇", "贞元镇", "长宁镇", "小村镇", "大庄镇", "南仁镇", "工业园区"]

projects = []


def new_project(**fields):
    category, industry, kind = rng.pick(INDUSTRIES)
    p = {
        "code": f"WG{len(projects) + 1:05d}",
        "name": "",
        "region": REGION,
        "industry": industry,
        "category": category,
        "level": rng.pick(["county", "county", "county", "municipal", "provincial"]),
        "build_type": "new",
        "total_investment": None,
        "planned_start": "",
        "stage": "",
        "reserved_on": "",
        "started_on": "",
        "completed_on": "",
        "suspended_on": "",
        "cancelled_on": "",
        "attracted": "0",
        "signed_on": "",
        "contracted_investment": None,
        "department": rng.pick(TOWNS),
        "inv": {},    # month index -> hundredths of 万
        "funds": {},  # month index -> hundredths of 万
    }
    p.update(fields)
    p["name"] = f"{p['department']}{kind}项目{len(projects) + 1:04d}"
    projects.append(p)
    return p


def start_month_2024():
    # More starts in spring: 集中开工 in March-June.
    return ym(2024, rng.pick([1, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 7, 8, 9, 10]))


def old_reserved_on():
    return day_in(rng.int(ym(2021, 1), ym(2023, 12)))


# ---- the 729 projects started in 2024 -------------------------------------------
started = []
for i in range(N_STARTED_PLAIN):
    s = start_month_2024()
    p = new_project(stage="started", started_on=day_in(s))
    if i < 30:  # reserved in 2024, then started the same year
        s = ym(2024, rng.int(3, 10))
        p["reserved_on"] = day_in(ym(2024, rng.int(1, 2)))
        p["started_on"] = day_in(s)
    elif rng.int(0, 3) > 0:
        p["reserved_on"] = old_reserved_on()
    started.append(p)

plain = started[:]
# 40 completed in 2024 (started by May), 2 suspended in September, and one cancelled
# on 2024-12-01: after as_of, so at as_of it was simply under way.
early = [p for p in plain if month_of(p["started_on"]) <= ym(2024, 5)]
for p in early[:40]:
    p["stage"] = "completed"
    p["completed_on"] = day_in(rng.int(max(month_of(p["started_on"]) + 2, ym(2024, 7)), OCT_2024))
for p in early[40:42]:
    p["stage"] = "suspended"
    p["suspended_on"] = date(2024, 9, rng.int(1, 28))
x4 = early[42]
x4.update(stage="cancelled", started_on="2024-05-10", cancelled_on="2024-12-01")

signed_started = []
for i in range(N_SIGNED_STARTED_2023 + N_SIGNED_STARTED_2024):
    if i < N_SIGNED_STARTED_2023:
        signed = ym(2023, rng.int(1, 10))
        start = ym(2024, rng.int(1, 6))
    else:
        signed = ym(2024, rng.int(1, 8))
        start = rng.int(signed + 1, min(signed + 3, OCT_2024))
    p = new_project(attracted="1", stage="started", category="industry",
                    industry=rng.pick(["C27", "C34", "C38", "C39", "C30", "I65"]),
                    signed_on=day_in(signed), started_on=day_in(start))
    if N_SIGNED_STARTED_2023 <= i < N_SIGNED_STARTED_2023 + 6:  # reserved in 2024 first
        p["reserved_on"] = date(2024, 1, 2)
        p["signed_on"] = day_in(max(signed, ym(2024, 2)))
        if month_of(p["started_on"]) <= month_of(p["signed_on"]):
            p["started_on"] = day_in(month_of(p["signed_on"]) + 1)
    elif rng.int(0, 1):
        p["reserved_on"] = day_in(min(signed, ym(2023, 12)) - rng.int(1, 12))
    signed_started.append(p)
completable = [p for p in signed_started if month_of(p["started_on"]) <= ym(2024, 7)]
assert len(completable) >= N_COMPLETED_ATTRACTED, len(completable)
for p in completable[:N_COMPLETED_ATTRACTED]:
    p["stage"] = "completed"
    p["completed_on"] = day_in(rng.int(month_of(p["started_on"]) + 2, OCT_2024))
    assert p["completed_on"] <= "2024-10-31"
started += signed_started
assert len(started) == 729

signed_idle = []
for i in range(N_SIGNED_IDLE_2023 + N_SIGNED_IDLE_2024):
    signed = ym(2023, rng.int(3, 10)) if i < N_SIGNED_IDLE_2023 else ym(2024, rng.int(1, 10))
    p = new_project(attracted="1", stage="signed", category="industry",
                    industry=rng.pick(["C27", "C34", "C38", "C39", "C30"]), signed_on=day_in(signed))
    if i >= N_SIGNED_IDLE_2023 + N_SIGNED_IDLE_2024 - 4:  # reserved in 2024 first
        p["reserved_on"] = date(2024, 1, 3)
        p["signed_on"] = day_in(max(signed, ym(2024, 2)))
    else:
        p["reserved_on"] = old_reserved_on() if signed > ym(2023, 12) else day_in(signed - 3)
    signed_idle.append(p)
signed_all = signed_started + signed_idle
assert len(signed_all) == 236

# ---- the reserve: 1281 projects neither started nor signed at as_of -------------
reserve = []
for i in range(N_RESERVE_2024):
    r = ym(2024, rng.int(1, 10))
    p = new_project(stage=rng.pick(["reserved", "reserved", "preliminary"]), reserved_on=day_in(r))
    if r == OCT_2024:
        p["reserved_on"] = day_in(r, 1, 31)  # up to 31 October itself
    if i < 5:  # started in November: still in reserve on 31 October
        p.update(stage="started", started_on=day_in(NOV_2024))
    elif i < 8:  # signed in November
        p.update(stage="signed", attracted="1", category="industry", industry="C39",
                 signed_on=day_in(NOV_2024), contracted_investment=rng.int(20000, 90000) * 100)
    elif i < 20:  # attracted, still negotiating
        p.update(attracted="1", category="industry", industry="C38")
    reserve.append(p)
for i in range(N_RESERVE_OLD):
    reserve.append(new_project(stage=rng.pick(["reserved", "preliminary"]), reserved_on=old_reserved_on()))
for i in range(N_CONCEIVED):
    reserve.append(new_project(stage="conceived"))
assert len(reserve) == 1281
reserved_2024 = [p for p in started + signed_idle + reserve if p["reserved_on"].startswith("2024")]
assert len(reserved_2024) == 427, len(reserved_2024)
for p in reserve:
    if p["stage"] in ("reserved", "preliminary") and rng.int(0, 2) == 0:
        p["planned_start"] = day_in(rng.int(ym(2025, 1), ym(2025, 12)))

# ---- prior-year projects: built 2022-2023, the ledger's own 2023 base ----------
prior = []
for i in range(N_PRIOR):
    s = ym(2022, rng.int(2, 12))
    c = ym(2023, rng.int(6, 12))
    prior.append(new_project(stage="completed", build_type="new", reserved_on=day_in(s - rng.int(3, 12)),
                             started_on=day_in(s), completed_on=day_in(c)))

# ---- cancelled on or before as_of: counted nowhere --------------------------------
x1 = new_project(stage="cancelled", reserved_on="2024-03-12", cancelled_on="2024-07-15")
x2 = new_project(stage="cancelled", reserved_on="2023-06-01", started_on="2024-04-08",
                 cancelled_on="2024-08-01")
x3 = new_project(stage="cancelled", attracted="1", category="industry", industry="C39",
                 signed_on="2024-02-20", cancelled_on="2024-09-10", contracted_investment=5000000)
x2["inv"] = {ym(2024, 4): 123400, ym(2024, 5): 234500, ym(2024, 6): 98700}
x3["funds"] = {ym(2024, 3): 500000}
x2["total_investment"] = 2000000
x3["total_investment"] = 5000000
x1["total_investment"] = 800000

# ---- under 500万: outside the report's scope ------------------------------------
small = []
for i, total in enumerate([49999, 30000, 45000, 20000, 35000, 45000]):  # hundredths of 万
    p = new_project(total_investment=total, category="livelihood", industry="P83")
    if i < 3:
        p.update(stage="started", started_on=day_in(ym(2024, 4)))
        p["inv"] = {ym(2024, m): 2000 + 100 * m for m in range(4, 11)}
    elif i < 5:
        p.update(stage="reserved", reserved_on=day_in(ym(2024, 5)))
    else:
        p.update(stage="started", attracted="1", category="industry", industry="C13",
                 signed_on="2024-05-06", started_on="2024-06-18", contracted_investment=45000)
        p["inv"] = {ym(2024, m): 3000 for m in range(6, 11)}
        p["funds"] = {ym(2024, m): 4000 for m in range(5, 11)}
    small.append(p)


# ---- monthly investment ----------------------------------------------------------
def split_months(total, months):
    """Splits `total` over `months` with uneven, positive weights."""
    return dict(zip(months, apportion(total, [rng.int(40, 160) for _ in months])))


def active_months(p, last):
    first = month_of(p["started_on"])
    end = last
    if p["completed_on"]:
        end = min(end, month_of(p["completed_on"]))
    if p["suspended_on"]:
        end = min(end, month_of(p["suspended_on"]) - 1)
    return list(range(first, end + 1))


weights = [rng.int(20, 200) * len(active_months(p, OCT_2024)) for p in started]
for p, amount in zip(started, apportion(INVEST_YTD, weights)):
    p["inv"] = split_months(amount, active_months(p, OCT_2024))
    # Still under way: November's report is in the ledger too (after as_of).
    if not p["completed_on"] and not p["suspended_on"] and rng.int(0, 1):
        p["inv"][NOV_2024] = rng.int(1000, 500000)
# A correction month (核减): a project over-reported one month and took it back in
# the next. Its year-to-date total is unchanged.
fix = next(p for p in plain if len(p["inv"]) >= 4 and NOV_2024 not in p["inv"])
m1, m2 = sorted(fix["inv"])[1:3]
fix["inv"][m1] += fix["inv"][m2] + 3550
fix["inv"][m2] = -3550
for p in reserve[:5]:  # started in November
    p["inv"] = {NOV_2024: rng.int(10000, 90000)}

prior_months = [active_months(p, ym(2023, 12)) for p in prior]
prior_in_2023 = [[m for m in ms if JAN_2023 <= m <= OCT_2023] for ms in prior_months]
weights = [rng.int(20, 200) * len(ms) for ms in prior_in_2023]
for p, ms, ms23, amount in zip(prior, prior_months, prior_in_2023, apportion(RAW_PREV, weights)):
    p["inv"] = split_months(amount, ms23)
    for m in ms:
        if m not in p["inv"]:  # 2022 and November-December 2023: outside 2023-01..10
            p["inv"][m] = rng.int(5000, 300000)

# ---- attracted projects: contracted investment and funds arrived ------------------
cw = [rng.int(30, 300) for _ in signed_all]

ytd_months = [list(range(max(JAN_2024, month_of(p["signed_on"])), OCT_2024 + 1)) for p in signed_all]
for p, ms, amount in zip(signed_all, ytd_months,
                         apportion(FUNDS_YTD, [w * len(ms) for w, ms in zip(cw, ytd_months)])):
    p["funds"] = split_months(amount, ms)
    if rng.int(0, 2) == 0:
        p["funds"][NOV_2024] = rng.int(1000, 50000)
signed_2023 = [p for p in signed_all if p["signed_on"] < "2024"]
assert len(signed_2023) == 100
prev_months = [list(range(month_of(p["signed_on"]), OCT_2023 + 1)) for p in signed_2023]
cw_2023 = [w for p, w in zip(signed_all, cw) if p["signed_on"] < "2024"]
for p, ms, amount in zip(signed_2023, prev_months,
                         apportion(FUNDS_PREV, [w * len(ms) for w, ms in zip(cw_2023, prev_months)])):
    p["funds"].update(split_months(amount, ms))
    for m in (ym(2023, 11), ym(2023, 12)):
        p["funds"][m] = rng.int(1000, 80000)

# Contracted investment: what has arrived so far plus a share of the rest, so no
# project has received more than it signed for.
arrived = [sum(p["funds"].values()) for p in signed_all]
rest = apportion(CONTRACTED - sum(arrived), [rng.int(30, 300) for _ in signed_all])
for p, a, r in zip(signed_all, arrived, rest):
    p["contracted_investment"] = a + r

# ---- total investment --------------------------------------------------------------
for p in projects:
    if p["total_investment"] is not None:
        continue
    spent = sum(p["inv"].values())
    if spent == 0 and p["contracted_investment"] is None:  # not started: a planned size
        floor = rng.pick([600, 1000, 2000, 3000, 5000, 10000, 20000, 50000, 100000]) * rng.int(10, 30) * 10
    else:
        floor = max(spent * rng.int(12, 40) // 10, p["contracted_investment"] or 0, 50000)
    p["total_investment"] = -(-floor // 1000) * 1000  # whole 10万
reserve[20]["total_investment"] = 50000  # exactly 500万: inside the >= 500万 scope
for p in signed_all:
    assert sum(p["funds"].values()) <= p["contracted_investment"], p["code"]

# ---- write -------------------------------------------------------------------------
here = os.path.dirname(os.path.abspath(__file__))
PROJECT_COLUMNS = ["code", "name", "region", "industry", "category", "level", "build_type",
                   "total_investment", "planned_start", "stage", "reserved_on", "started_on",
                   "completed_on", "suspended_on", "cancelled_on", "attracted", "signed_on",
                   "contracted_investment", "department"]


def write(name, header, rows):
    with open(os.path.join(here, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def cell(p, column):
    v = p[column]
    if column in ("total_investment", "contracted_investment"):
        return "" if v is None else money(v)
    return v


write("projects.csv", PROJECT_COLUMNS, [[cell(p, c) for c in PROJECT_COLUMNS] for p in projects])
monthly = []
for p in projects:
    for m in sorted(set(p["inv"]) | set(p["funds"])):
        inv = p["inv"].get(m)
        funds = p["funds"].get(m)
        monthly.append([p["code"], ym_text(m), "" if inv is None else money(inv),
                        "" if funds is None else money(funds)])
write("monthly.csv", ["code", "month", "investment", "funds_arrived"], monthly)
write("baseline.csv", ["month", "dimension", "key", "investment"],
      [["2024-09", "all", "", money(BASE_SEPT)], ["2024-10", "all", "", money(BASE)]])

# ---- self-check: the figures the report states, from what was written ------------------
in_scope = [p for p in projects if p["total_investment"] >= 50000
            and not (p["cancelled_on"] and p["cancelled_on"] <= "2024-10-31")]
ytd = lambda key, p, lo, hi: sum(v for m, v in p[key].items() if lo <= m <= hi)
assert sum(1 for p in in_scope if "2024-01-01" <= p["started_on"] <= "2024-10-31") == 729
assert sum(ytd("inv", p, JAN_2024, OCT_2024) for p in in_scope) == INVEST_YTD
assert sum(ytd("inv", p, JAN_2023, OCT_2023) for p in in_scope) == RAW_PREV
assert sum(ytd("funds", p, JAN_2024, OCT_2024) for p in in_scope) == FUNDS_YTD
assert sum(ytd("funds", p, JAN_2023, OCT_2023) for p in in_scope) == FUNDS_PREV
assert sum(1 for p in in_scope if "2024-01-01" <= p["reserved_on"] <= "2024-10-31") == 427
sig = [p for p in in_scope if p["attracted"] == "1" and p["signed_on"] and p["signed_on"] <= "2024-10-31"]
assert len(sig) == 236 and sum(p["contracted_investment"] for p in sig) == CONTRACTED
assert sum(1 for p in sig if p["started_on"] and p["started_on"] <= "2024-10-31") == 207
assert sum(1 for p in in_scope if p["attracted"] == "1" and p["completed_on"]
           and p["completed_on"] <= "2024-10-31") == 121
assert sum(1 for p in in_scope if not (p["started_on"] and p["started_on"] <= "2024-10-31")
           and p not in sig) == 1281
print(f"{len(projects)} projects, {len(monthly)} monthly rows")
