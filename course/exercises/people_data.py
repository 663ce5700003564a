"""Invented, seeded data for the chapter 15 data exercises: one made-up company (course/content/exercises/people.yaml).

- `roster(seed)`: the people working there on the audit date, and those who left during the fiscal year.
- `training_records(seed)`: who had to take which training, and the completion records (with retakes, optional courses
  and records of people who have left, as real exports have).
- `phishing_drill(seed)`: four rounds of a simulated phishing e-mail: who clicked, who reported and how fast.
- `offboarding_audit(seed)`: leavers, accounts of every system, and the register of lent assets.
- `drill_reports(seed)`: the same drill as two logs, as a mail system and a report desk keep them (the graded
  assignment ch15_people): who was sent the e-mail, and every report received (one person may report twice).

The same seed always gives the same data (generator.py). Each dataset also carries its truth, decided while it is
generated (who was made to miss a course, which department was made to lag in the drill, which accounts were left
open), so that the self-checks do not compute the answer the way a learner would; tests compare the two.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import ContentError
from ..yamlio import CONTENT_DIR, require
from .generator import (Dataset, between, check_name_pool, check_seed, pick_names, read_company, read_date,
                        streams)

CONTENT_FILE = CONTENT_DIR / "exercises" / "people.yaml"
PUBLIC_SEED = 15
ROLES = ("一般", "管理職", "経理担当", "システム管理者")
SPECIAL_ROLES = ("管理職", "経理担当", "システム管理者")
EMPLOYMENT = ("正社員", "契約社員", "パートタイマー", "派遣")

_rng = streams({"roster": 1, "training": 2, "drill": 3, "offboarding": 4, "reports": 5})
CATCH_UP_DAYS = 30  # 6.3: a missed course is caught up within a month of its deadline
STOP_GRACE_DAYS = 1  # 6.5 (as the assignment states it): a leaver's accounts are disabled by the next day


# -- content -----------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def settings():
    """people.yaml, checked: a malformed file fails here, naming the field."""
    path = CONTENT_FILE
    data = read_company(path, ("surnames", "given_names", "departments", "courses", "drill_rounds", "systems",
                               "assets"))
    for i, d in enumerate(data["departments"]):
        require(d, "name", str, path, f"departments[{i}].")
        require(d, "size", int, path, f"departments[{i}].")
    rounds = [read_date(r, path, f"drill_rounds[{i}]") for i, r in enumerate(data["drill_rounds"])]
    names = {d["name"] for d in data["departments"]}
    for key in ("drill_lagging_from", "drill_factor"):
        unknown = set(data.get(key) or ()) - names
        if unknown:
            raise ContentError(path, key, f"部署がありません / unknown departments: {sorted(unknown)}")
    for key in ("drill_click", "drill_report", "drill_lagging_click", "drill_lagging_report"):
        rates = require(data, key, list, path)
        if len(rates) != len(rounds) or not all(isinstance(r, (int, float)) and 0 <= r <= 1 for r in rates):
            raise ContentError(path, key, "回ごとに 0〜1 の値が必要です / one rate 0..1 per round")
    for i, c in enumerate(data["courses"]):
        require(c, "name", str, path, f"courses[{i}].")
        if require(c, "who", str, path, f"courses[{i}].") not in ("all", "role", "new"):
            raise ContentError(path, f"courses[{i}].who", "all / role / new のいずれかです / must be one of those")
    check_name_pool(data, path, sum(d["size"] for d in data["departments"]) + data.get("leavers", 0))
    return {**data, "rounds": rounds}


def company_name():
    return settings()["company"]["name"]


def audit_date():
    return pd.Timestamp(settings()["audit"])


def _day(d):
    return pd.Timestamp(d)


# -- the people ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Roster:
    staff: pd.DataFrame    # 社員番号 氏名 部署 雇用形態 役割 入社日: people working there on the audit date
    leavers: pd.DataFrame  # the same columns and 最終出社日: people whose last working day fell in the fiscal year


@lru_cache(maxsize=16)
def _roster(seed):
    s = settings()
    rng = _rng(seed, "roster")
    fy, audit = s["fy_start"], s["audit"]
    n_leavers = int(s.get("leavers", 0))
    names = pick_names(rng, s, sum(d["size"] for d in s["departments"]) + n_leavers)

    people = []
    for d in s["departments"]:
        n = d["size"]
        counts = {kind: int(round(n * float(d.get(key, 0))))
                  for kind, key in (("契約社員", "contract"), ("パートタイマー", "part"), ("派遣", "agency"))}
        kinds = ["正社員"] * (n - sum(counts.values())) + [k for k, c in counts.items() for _ in range(c)]
        for i, kind in enumerate(kinds):
            role = "一般"
            if kind == "正社員" and (i == 0 or (i == 1 and n >= 10)):
                role = "管理職"
            elif d["name"] == "経理部":
                role = "経理担当"
            elif kind == "正社員" and i == 2 and d["name"] in ("開発部", "総務部"):
                role = "システム管理者"
            people.append({"部署": d["name"], "雇用形態": kind, "役割": role})

    # Joining dates: managers joined long ago, agency staff recently; a few people joined during the fiscal year.
    candidates = [i for i, p in enumerate(people) if p["役割"] == "一般"]
    new = set(int(i) for i in rng.choice(candidates, size=min(int(s.get("new_hires", 0)), len(candidates)),
                                         replace=False))
    for i, p in enumerate(people):
        if i in new:
            p["入社日"] = between(rng, fy + timedelta(days=1), audit - timedelta(days=45))
        elif p["雇用形態"] == "派遣":
            p["入社日"] = between(rng, date(2022, 4, 1), fy - timedelta(days=30))
        elif p["役割"] == "管理職":
            p["入社日"] = between(rng, date(1998, 4, 1), date(2014, 4, 1))
        else:
            p["入社日"] = between(rng, date(2005, 4, 1), fy - timedelta(days=30))

    sizes = np.array([d["size"] for d in s["departments"]], dtype=float)
    leavers = []
    for _ in range(n_leavers):
        d = s["departments"][int(rng.choice(len(sizes), p=sizes / sizes.sum()))]
        kind = str(rng.choice(EMPLOYMENT, p=[0.6, 0.1, 0.2, 0.1] if d.get("part") else [0.85, 0.15, 0, 0]))
        leavers.append({"部署": d["name"], "雇用形態": kind, "役割": "経理担当" if d["name"] == "経理部" else "一般",
                        "入社日": between(rng, date(2008, 4, 1), fy - timedelta(days=60)),
                        "最終出社日": between(rng, fy + timedelta(days=20), audit - timedelta(days=18))})

    # Staff numbers follow the joining date (E + four digits); agency staff get H + three digits.
    everyone = people + leavers
    order = sorted(range(len(everyone)), key=lambda i: (everyone[i]["入社日"], i))
    e_no, h_no = 1000, 100
    for i in order:
        p = everyone[i]
        if p["雇用形態"] == "派遣":
            h_no += int(rng.integers(1, 4))
            p["社員番号"] = f"H{h_no:03d}"
        else:
            e_no += int(rng.integers(1, 9))
            p["社員番号"] = f"E{e_no:04d}"
    for p, name in zip(everyone, names):
        p["氏名"] = name

    columns = ["社員番号", "氏名", "部署", "雇用形態", "役割", "入社日"]
    staff = pd.DataFrame(people)[columns]
    staff["入社日"] = pd.to_datetime(staff["入社日"])
    staff = staff.sort_values("社員番号", ignore_index=True)
    left = pd.DataFrame(leavers)[columns + ["最終出社日"]]
    for col in ("入社日", "最終出社日"):
        left[col] = pd.to_datetime(left[col])
    left = left.sort_values("最終出社日", ignore_index=True)
    return Roster(staff, left)


def roster(seed=PUBLIC_SEED):
    r = _roster(check_seed(seed))
    return Roster(r.staff.copy(), r.leavers.copy())


# -- (a) training records ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class TrainingData(Dataset):
    staff: pd.DataFrame     # 社員番号 氏名 部署 雇用形態 役割 入社日
    required: pd.DataFrame  # 社員番号 研修名 期限: the training each person had to take by the audit date
    records: pd.DataFrame   # 社員番号 氏名 研修名 受講日: completion export (retakes, optional courses, leavers)
    _missing: frozenset     # {(社員番号, 研修名)} required and never taken, decided by the generator
    _late: tuple = ()       # ((社員番号, 研修名, days late), ...) of the first record of each course taken late

    @property
    def truth_missed_people(self):
        return sorted({number for number, _ in self._missing})

    @property
    def truth_missing_pairs(self):
        return sorted(self._missing)

    @property
    def truth_completion(self):
        """Share of required training completed, per department (0..1), from the generator's decisions."""
        dept = dict(zip(self.staff["社員番号"], self.staff["部署"]))
        total, done = {}, {}
        for number, course in zip(self.required["社員番号"], self.required["研修名"]):
            d = dept[number]
            total[d] = total.get(d, 0) + 1
            done[d] = done.get(d, 0) + ((number, course) not in self._missing)
        return pd.Series({d: done[d] / total[d] for d in sorted(total)}, name="受講完了率")

    @property
    def truth_beyond_catch_up(self):
        """People whose first record of a required course came more than CATCH_UP_DAYS after its deadline."""
        return sorted({number for number, _, days in self._late if days > CATCH_UP_DAYS})

    @property
    def truth_late_within_catch_up(self):
        """People late on some course, but never by more than CATCH_UP_DAYS (for the hints)."""
        return sorted({number for number, _, days in self._late} - set(self.truth_beyond_catch_up))


def _course_deadline(course, joined, audit):
    """The deadline of a course for a person who joined on `joined`, or None if it does not apply yet."""
    who = course["who"]
    if who == "new":
        return joined
    deadline = date.fromisoformat(str(course["deadline"]))
    later = joined + timedelta(days=int(course.get("days_for_new", 60)))
    deadline = max(deadline, later)
    return deadline if deadline <= audit else None


@lru_cache(maxsize=16)
def _training(seed):
    s = settings()
    rng = _rng(seed, "training")
    r = _roster(seed)
    fy, audit = s["fy_start"], s["audit"]
    weak = str(rng.choice(["製造部", "物流部"]))

    required, missing, taken = [], set(), []
    for p in r.staff.itertuples(index=False):
        joined = p.入社日.date()
        for c in s["courses"]:
            if c["who"] == "new" and joined < fy:
                continue
            if c["who"] == "role" and p.役割 not in SPECIAL_ROLES:
                continue
            deadline = _course_deadline(c, joined, audit)
            if deadline is None:
                continue
            required.append((p.社員番号, c["name"], deadline))
            p_miss = 0.22 if p.部署 == weak else 0.04
            if p.雇用形態 in ("パートタイマー", "派遣"):
                p_miss *= 1.6
            if c["who"] == "new":
                p_miss /= 2
            if rng.random() < p_miss:
                missing.add((p.社員番号, c["name"]))
            else:
                taken.append((p.社員番号, p.氏名, c["name"], deadline, joined))
    # At least three people must have missed something, in at least two departments (else the exercise is dull).
    dept = dict(zip(r.staff["社員番号"], r.staff["部署"]))
    while len({n for n, _ in missing}) < 3 or len({dept[n] for n, _ in missing}) < 2:
        i = int(rng.integers(0, len(taken)))
        number, _, course, _, _ = taken.pop(i)
        missing.add((number, course))

    rows = []
    for number, name, course, deadline, joined in taken:
        if course == "入社時教育":
            day = deadline - timedelta(days=int(rng.choice([0, 0, 0, 1, 2])))
        elif rng.random() < 0.15:  # late, but taken
            day = min(deadline + timedelta(days=int(rng.integers(1, 40))), audit)
        else:
            day = max(deadline - timedelta(days=int(rng.integers(0, 60))), joined)
        rows.append((number, name, course, day))
    late = tuple((number, course, (day - deadline).days)
                 for (number, _, course, deadline, _), (_, _, _, day) in zip(taken, rows) if day > deadline)
    for i in rng.choice(len(rows), size=min(4, len(rows)), replace=False):  # retakes: a second record
        number, name, course, day = rows[int(i)]
        rows.append((number, name, course, min(day + timedelta(days=int(rng.integers(20, 120))), audit)))
    everyone = list(r.staff.itertuples(index=False))
    for _ in range(10):  # optional courses are in the same export
        p = everyone[int(rng.integers(0, len(everyone)))]
        rows.append((p.社員番号, p.氏名, str(rng.choice(s["optional_courses"])), between(rng, fy, audit)))
    for p in r.leavers.itertuples(index=False):  # people who left still have their records in the export
        for c in s["courses"]:
            if c["who"] == "all":
                deadline = date.fromisoformat(str(c["deadline"]))
                if deadline <= p.最終出社日.date():
                    rows.append((p.社員番号, p.氏名, c["name"], deadline - timedelta(days=int(rng.integers(0, 40)))))

    records = pd.DataFrame(rows, columns=["社員番号", "氏名", "研修名", "受講日"])
    records["受講日"] = pd.to_datetime(records["受講日"])
    records = records.sort_values(["受講日", "社員番号"], ignore_index=True)
    req = pd.DataFrame(required, columns=["社員番号", "研修名", "期限"])
    req["期限"] = pd.to_datetime(req["期限"])
    return TrainingData(seed, r.staff, req, records, frozenset(missing), late)


def training_records(seed=PUBLIC_SEED):
    return _training(check_seed(seed)).copy()


# -- (b) phishing drill ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class DrillData(Dataset):
    staff: pd.DataFrame
    results: pd.DataFrame  # 回 実施日 件名 社員番号 氏名 部署 クリック 報告 報告までの分
    _counts: dict          # {(round, department): (recipients, clicked, reported)}
    _lagging: str

    @property
    def rounds(self):
        return sorted({r for r, _ in self._counts})

    def _rate(self, which):
        table = {}
        for (rnd, dept), (n, clicked, reported) in self._counts.items():
            table.setdefault(dept, {})[rnd] = (clicked if which == "click" else reported) / n
        frame = pd.DataFrame(table).sort_index()
        frame.index.name, frame.columns.name = "回", "部署"
        return frame[sorted(frame.columns)]

    @property
    def truth_click_rates(self):
        """Click rate per round (rows) and department (columns), 0..1."""
        return self._rate("click")

    @property
    def truth_report_rates(self):
        return self._rate("report")

    @property
    def truth_follow_up(self):
        return self._lagging

    @property
    def truth_lowest_report(self):
        """The department with the lowest report rate in the last round (the lagging one, alone by construction)."""
        return self._lagging


@lru_cache(maxsize=16)
def _drill(seed):
    s = settings()
    rng = _rng(seed, "drill")
    r = _roster(seed)
    departments = [d["name"] for d in s["departments"]]
    lagging = str(rng.choice(s.get("drill_lagging_from") or [d["name"] for d in s["departments"]]))
    factor = s.get("drill_factor") or {}
    people = pd.concat([r.staff, r.leavers], ignore_index=True)
    rows, counts = [], {}
    last = len(s["rounds"])
    for k, day in enumerate(s["rounds"], 1):
        ts = _day(day)
        there = people[(people["入社日"] <= ts) & (people["最終出社日"].isna() | (people["最終出社日"] >= ts))]
        planned = {}
        for dept in departments:
            group = there[there["部署"] == dept]
            n = len(group)
            if dept == lagging:
                pc, pr = s["drill_lagging_click"][k - 1], s["drill_lagging_report"][k - 1]
                jitter = rng.uniform(0.9, 1.1, size=2)
            else:
                pc, pr = s["drill_click"][k - 1] * float(factor.get(dept, 1.0)), s["drill_report"][k - 1]
                jitter = rng.uniform(0.7, 1.3, size=2)
            clicked = min(n, int(round(n * pc * jitter[0])))
            reported = min(n, int(round(n * pr * jitter[1])))
            planned[dept] = [group, n, clicked, reported]
        if k == last:  # ... and the lowest report rate, alone (the shipped rates never need this; no draw changes)
            g = planned[lagging]
            low = min(rep / n for d, (_, n, _, rep) in planned.items() if d != lagging and n)
            while g[3] and g[3] / g[1] >= low:
                g[3] -= 1
        if k == last:  # the lagging department has the highest click rate in the last round, by construction
            top = max(c / n for d, (_, n, c, _) in planned.items() if d != lagging and n)
            g = planned[lagging]
            while g[2] / g[1] <= top and g[2] < g[1]:
                g[2] += 1
            while g[2] / g[1] <= top:  # cannot happen with the shipped rates; keeps the truth true in any case
                other = max((d for d in planned if d != lagging), key=lambda d: planned[d][2] / max(planned[d][1], 1))
                planned[other][2] -= 1
                top = max(c / n for d, (_, n, c, _) in planned.items() if d != lagging and n)
        for dept, (group, n, clicked, reported) in planned.items():
            counts[(k, dept)] = (n, clicked, reported)
            order = rng.permutation(n)
            click_set = set(order[:clicked].tolist())
            report_set = set(rng.permutation(n)[:reported].tolist())
            for j, p in enumerate(group.itertuples(index=False)):
                minutes = float(np.clip(round(rng.lognormal(2.7, 0.8)), 1, 600)) if j in report_set else np.nan
                rows.append((k, ts, s["drill_subjects"][(k - 1) % len(s["drill_subjects"])], p.社員番号, p.氏名,
                             dept, j in click_set, j in report_set, minutes))
    results = pd.DataFrame(rows, columns=["回", "実施日", "件名", "社員番号", "氏名", "部署", "クリック", "報告",
                                          "報告までの分"])
    results = results.sort_values(["回", "社員番号"], ignore_index=True)
    return DrillData(seed, r.staff, results, counts, lagging)


def phishing_drill(seed=PUBLIC_SEED):
    return _drill(check_seed(seed)).copy()


# -- (c) offboarding audit -------------------------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class OffboardingData(Dataset):
    leavers: pd.DataFrame   # 社員番号 氏名 部署 雇用形態 最終出社日
    accounts: pd.DataFrame  # システム ユーザーID 社員番号 状態 停止日 最終ログイン日
    assets: pd.DataFrame    # 資産番号 種類 貸与先 貸与日 返却日
    _open: frozenset        # {(社員番号, システム)} accounts of leavers left open
    _used_after: frozenset  # the part of _open that was logged into after the last working day
    _unreturned: frozenset  # {資産番号} assets of leavers never returned
    _late_stops: frozenset = frozenset()  # {(社員番号, システム)} disabled more than STOP_GRACE_DAYS after the last day

    @property
    def truth_open_accounts(self):
        return sorted(self._open)

    @property
    def truth_used_after_leaving(self):
        return sorted(self._used_after)

    @property
    def truth_unreturned_assets(self):
        return sorted(self._unreturned)

    @property
    def truth_late_stops(self):
        return sorted(self._late_stops)


def _applies(rule, person):
    who = rule["who"]
    if rule.get("managers") and person["役割"] == "管理職":
        return True
    if who == "all":
        return True
    if who == "office":
        return not (person["部署"] in ("製造部", "物流部") and person["雇用形態"] in ("パートタイマー", "派遣"))
    return person["部署"] in who


@lru_cache(maxsize=16)
def _offboarding(seed):
    s = settings()
    rng = _rng(seed, "offboarding")
    r = _roster(seed)
    audit = s["audit"]
    staff = r.staff.to_dict("records")
    leavers = r.leavers.to_dict("records")

    # Which leavers' accounts were left open: three or four leavers, one or two systems each, one of them used later.
    open_accounts, used_after = set(), set()
    chosen = rng.choice(len(leavers), size=int(rng.integers(3, 5)), replace=False)
    for i in chosen:
        p = leavers[int(i)]
        systems = [x["name"] for x in s["systems"] if _applies(x, p)]
        prefer = [x for x in systems if x != "社内ファイルサーバ"] or systems
        for name in rng.choice(prefer, size=min(len(prefer), int(rng.integers(1, 3))), replace=False):
            open_accounts.add((p["社員番号"], str(name)))
    first = sorted(open_accounts)[int(rng.integers(0, len(open_accounts)))]
    used_after.add(first)
    late = leavers[int(rng.choice([i for i in range(len(leavers)) if i not in set(chosen.tolist())]))]["社員番号"]

    rows, late_stops = [], set()
    for p in staff + leavers:
        last_day = p.get("最終出社日")
        for x in s["systems"]:
            if not _applies(x, p):
                continue
            key = (p["社員番号"], x["name"])
            user = f"{x['prefix']}{p['社員番号'].lower()}"
            if last_day is None or pd.isna(last_day):
                rows.append((x["name"], user, p["社員番号"], "有効", pd.NaT,
                             _day(audit - timedelta(days=int(rng.integers(0, 12))))))
                continue
            ld = last_day.date()
            if key in open_accounts:
                login = (ld + timedelta(days=int(rng.integers(5, 60)))) if key in used_after \
                    else ld - timedelta(days=int(rng.integers(0, 3)))
                rows.append((x["name"], user, p["社員番号"], "有効", pd.NaT, _day(min(login, audit))))
            else:
                delay = int(rng.integers(20, 40)) if p["社員番号"] == late else int(rng.choice([0, 0, 0, 1, 2]))
                if delay > STOP_GRACE_DAYS:
                    late_stops.add(key)
                rows.append((x["name"], user, p["社員番号"], "停止", _day(min(ld + timedelta(days=delay), audit)),
                             _day(ld - timedelta(days=int(rng.integers(0, 3))))))
    for shared in s.get("shared_accounts", []):
        rows.append((shared["system"], shared["user"], pd.NA, "有効", pd.NaT,
                     _day(audit - timedelta(days=int(rng.integers(0, 5))))))
    accounts = pd.DataFrame(rows, columns=["システム", "ユーザーID", "社員番号", "状態", "停止日", "最終ログイン日"])
    accounts["停止日"] = pd.to_datetime(accounts["停止日"])
    accounts = accounts.sort_values(["システム", "ユーザーID"], ignore_index=True)

    # Assets: lent on joining; leavers returned theirs on the last day, except those the generator keeps back.
    numbers = {a["type"]: iter(rng.permutation(np.arange(100, 1000))) for a in s["assets"]}
    items = []
    for p in staff + leavers:
        for a in s["assets"]:
            if _applies(a, p):
                items.append([f"{a['prefix']}-{next(numbers[a['type']])}", a["type"], p])
    leaver_items = [i for i, (_, _, p) in enumerate(items) if not pd.isna(p.get("最終出社日", pd.NaT))]
    kept_back = set(int(i) for i in rng.choice(leaver_items, size=int(rng.integers(3, 5)), replace=False))
    rows, unreturned = [], set()
    for i, (number, kind, p) in enumerate(items):
        lent = max(p["入社日"].date(), date(2019, 4, 1))
        last_day = p.get("最終出社日")
        if last_day is None or pd.isna(last_day):
            if kind == "ノートPC" and rng.random() < 0.25:  # an old PC replaced and handed back
                old = f"PC-{next(numbers[kind])}"
                swap = between(rng, lent + timedelta(days=30), audit - timedelta(days=10))
                rows.append((old, kind, p["社員番号"], _day(lent), _day(swap)))
                lent = swap
            rows.append((number, kind, p["社員番号"], _day(lent), pd.NaT))
        elif i in kept_back:
            unreturned.add(number)
            rows.append((number, kind, p["社員番号"], _day(lent), pd.NaT))
        else:
            back = last_day.date() + timedelta(days=int(rng.choice([0, 0, 0, 1])))
            rows.append((number, kind, p["社員番号"], _day(lent), _day(min(back, audit))))
    assets = pd.DataFrame(rows, columns=["資産番号", "種類", "貸与先", "貸与日", "返却日"])
    assets["返却日"] = pd.to_datetime(assets["返却日"])
    assets = assets.sort_values("資産番号", ignore_index=True)

    left = r.leavers[["社員番号", "氏名", "部署", "雇用形態", "最終出社日"]].copy()
    return OffboardingData(seed, left, accounts, assets, frozenset(open_accounts), frozenset(used_after),
                           frozenset(unreturned), frozenset(late_stops))


def offboarding_audit(seed=PUBLIC_SEED):
    return _offboarding(check_seed(seed)).copy()


# -- (d) the drill as two logs (graded assignment) -------------------------------------------------------------------------

REPORT_WAYS = ("報告ボタン", "メール転送", "電話")


@dataclass(frozen=True, repr=False)
class ReportLog(Dataset):
    sent: pd.DataFrame     # 回 実施日 社員番号 部署: who was sent the drill e-mail in each round
    reports: pd.DataFrame  # 回 受付日時 社員番号 方法: every report received; a person may report twice
    _lowest: str           # the department with the lowest report rate in the last round, decided by the generator

    @property
    def truth_lowest_report(self):
        return self._lowest


# Report rates of this log: most departments improve round by round; one large department falls behind in the last
# round (the answer), and the drill's lagging department starts very low and catches up (so the average misleads).
REPORT_PLAN = {"usual": (0.12, 0.28, 0.42, 0.58), "falls_behind": (0.15, 0.30, 0.45, 0.24),
               "catches_up": (0.0, 0.05, 0.15, 0.60)}


def _report_plan(k, rounds):
    """The planned rates of round k (1-based) of `rounds`: the last round uses the plan's last value."""
    return lambda plan: REPORT_PLAN[plan][min(k - 1, 2) if k < rounds else 3]


@lru_cache(maxsize=16)
def _reports(seed):
    rng = _rng(seed, "reports")
    d = _drill(seed)
    sent = d.results[["回", "実施日", "社員番号", "部署"]].sort_values(["回", "社員番号"], ignore_index=True)
    rounds = int(sent["回"].max())
    last = sent[sent["回"] == rounds]
    sizes = last.groupby("部署").size()
    lowest = str(rng.choice(sorted(sizes[sizes >= 10].index)))
    plans = {dept: "usual" for dept in sizes.index}
    plans[d._lagging] = "catches_up"
    plans[lowest] = "falls_behind"

    chosen = {}
    for (k, dept), group in sent.groupby(["回", "部署"]):
        n = len(group)
        rate = _report_plan(int(k), rounds)(plans.get(dept, "usual")) * rng.uniform(0.8, 1.2)
        chosen[(k, dept)] = [group, min(n, int(round(n * rate)))]
    # The lowest report rate of the last round is one department's, by construction.
    others = min(r / len(g) for (k, dept), (g, r) in chosen.items() if k == rounds and dept != lowest)
    mine = chosen[(rounds, lowest)]
    while mine[1] and mine[1] / len(mine[0]) >= others:
        mine[1] -= 1

    rows = []
    for (k, dept), (group, reported) in sorted(chosen.items()):
        for row in group.iloc[rng.permutation(len(group))[:reported]].itertuples(index=False):
            at = row.実施日 + pd.Timedelta(hours=9) + pd.Timedelta(minutes=float(np.clip(round(rng.lognormal(2.7, 0.8)),
                                                                                            1, 600)))
            rows.append((k, at, row.社員番号, str(rng.choice(REPORT_WAYS))))
            # Reported by the button, then called as well: a second row for the same person (always in the department
            # that falls behind in the last round, so that counting rows hides it).
            if rng.random() < 0.2 or (k == rounds and dept == lowest):
                rows.append((k, at + pd.Timedelta(minutes=int(rng.integers(3, 90))), row.社員番号, "電話"))
    reports = pd.DataFrame(rows, columns=["回", "受付日時", "社員番号", "方法"])
    reports = reports.sort_values(["受付日時", "社員番号"], ignore_index=True)
    return ReportLog(seed, sent, reports, lowest)


def drill_reports(seed=PUBLIC_SEED):
    return _reports(check_seed(seed)).copy()
