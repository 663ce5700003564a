"""Invented, seeded data for the chapter 14 data exercises: one made-up company (course/content/exercises/org_data.yaml).

- `access_review(seed)` (5.15, 5.18, 5.3): people, every account of every system, and who holds which duty.
  Findings: accounts of leavers still active, shared accounts still active, people holding two conflicting duties.
- `asset_inventory(seed)` (5.12, 5.13): the information-asset register with the facts that decide each item's class
  and the label it carries today. Findings: the right class of every item, and the items whose label is wrong.
- `transfer_log(seed)` (5.14): one month of information sent outside. Findings: the records that break the rules.

The same seed always gives the same data (generator.py). Each dataset carries what the generator planted
(`planted_*`) and the truth worked out from the stated rules (`truth_*`); the generator refuses to return data where
the two differ, and the tests check them against an analysis of their own.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import ContentError
from ..yamlio import CONTENT_DIR, require
from .generator import (Dataset, between, check_name_pool, check_seed, pick_names, read_company,
                        refuse_unless, streams)

CONTENT_FILE = CONTENT_DIR / "exercises" / "org_data.yaml"
PUBLIC_SEED = 14          # the lessons' data; the graded assignment uses another seed
CLASSES = ("機密", "社外秘", "公開")
RANK = {"機密": 3, "社外秘": 2, "公開": 1}
MANAGER = "部長"
_rng = streams({"people": 1, "access": 2, "assets": 3, "transfers": 4})


# -- content -----------------------------------------------------------------------------------------------------------

def _range(data, key, path):
    value = require(data, key, list, path)
    if len(value) != 2 or not all(isinstance(v, int) and v >= 0 for v in value) or value[0] > value[1]:
        raise ContentError(path, key, "[最小, 最大] の整数が必要です / expected [min, max] whole numbers")
    return tuple(value)


@lru_cache(maxsize=1)
def settings():
    """org_data.yaml, checked: a malformed file fails here, naming the field."""
    path = CONTENT_FILE
    data = read_company(path, ("surnames", "given_names", "departments", "systems", "unpersonal_accounts", "duties",
                               "conflicts", "assets", "places", "methods", "rules", "classes", "partners",
                               "partner_mailboxes", "personal_addresses"))
    departments = [require(d, "name", str, path, f"departments[{i}].") for i, d in enumerate(data["departments"])]
    for i, d in enumerate(data["departments"]):
        if require(d, "size", int, path, f"departments[{i}].") < 3:
            raise ContentError(path, f"departments[{i}].size", "3 人以上にしてください / at least 3 people")
    for i, a in enumerate(data["assets"]):
        require(a, "name", str, path, f"assets[{i}].")
        if require(a, "dept", str, path, f"assets[{i}].") not in departments:
            raise ContentError(path, f"assets[{i}].dept", "departments にない部署です / unknown department")
        if a.get("published") and any(a.get(k) for k in ("personal", "entrusted", "unpublished")):
            raise ContentError(path, f"assets[{i}]", "公表済みの文書に機密の事実は付けられません / published "
                               "documents cannot carry confidential facts")
    duty_names = set()
    for i, d in enumerate(data["duties"]):
        duty_names.add(require(d, "name", str, path, f"duties[{i}]."))
        if require(d, "dept", str, path, f"duties[{i}].") not in departments:
            raise ContentError(path, f"duties[{i}].dept", "departments にない部署です / unknown department")
    for i, pair in enumerate(data["conflicts"] + [data.get("harmless_extra", [])]):
        if not (isinstance(pair, list) and len(pair) == 2 and set(pair) <= duty_names):
            raise ContentError(path, f"conflicts[{i}]", "duties にある職務 2 つが必要です / two duties from `duties`")
    rule_ids = [require(r, "id", str, path, f"rules[{i}].") for i, r in enumerate(data["rules"])]
    if rule_ids != list(TRANSFER_RULES):
        raise ContentError(path, "rules", f"規則は {', '.join(TRANSFER_RULES)} の順です / rules must be these")
    for key in ("short", "text"):
        for i, r in enumerate(data["rules"]):
            texts = require(r, key, dict, path, f"rules[{i}].")
            if not all(isinstance(texts.get(lang), str) for lang in ("ja", "en")):
                raise ContentError(path, f"rules[{i}].{key}", "ja と en が必要です / needs ja and en")
    contents = require(data, "contents", dict, path)
    if set(contents) != set(CLASSES):
        raise ContentError(path, "contents", "機密・社外秘・公開の 3 つが必要です / needs the three classes")
    for cls, spec in contents.items():
        if len(require(spec, "methods", list, path, f"contents.{cls}.")) != len(data["methods"]):
            raise ContentError(path, f"contents.{cls}.methods", "methods と同じ数の重みが必要です / one weight per method")
        for i, item in enumerate(require(spec, "items", list, path, f"contents.{cls}.")):
            require(item, "name", str, path, f"contents.{cls}.items[{i}].")
            if not set(require(item, "depts", list, path, f"contents.{cls}.items[{i}].")) <= set(departments):
                raise ContentError(path, f"contents.{cls}.items[{i}].depts", "departments にない部署です / unknown department")
    ranges = {k: _range(data, k, path) for k in ("leavers", "leaver_active_accounts", "late_disabled_accounts",
                                                    "shared_active", "labels_too_low", "labels_too_high",
                                                    "violations_per_rule")}
    check_name_pool(data, path, sum(d["size"] for d in data["departments"]) + ranges["leavers"][1])
    return {**data, "ranges": ranges}


def company_name():
    return settings()["company"]["name"]


def audit_date():
    return pd.Timestamp(settings()["audit"])


def _count(rng, key):
    lo, hi = settings()["ranges"][key]
    return int(rng.integers(lo, hi + 1))


# -- the people ----------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _people(seed):
    """社員番号 氏名 部署 役職 在籍状況 入社日 退職日: everyone on the books during the fiscal year."""
    s = settings()
    rng = _rng(seed, "people")
    fy, audit = s["fy_start"], s["audit"]
    n_leavers = _count(rng, "leavers")
    total = sum(d["size"] for d in s["departments"]) + n_leavers
    names = pick_names(rng, s, total)

    people = []
    for d in s["departments"]:
        for i in range(d["size"]):
            joined = between(rng, date(1996, 4, 1), date(2012, 4, 1)) if i == 0 \
                else between(rng, date(2008, 4, 1), audit - timedelta(days=60))
            people.append({"部署": d["name"], "役職": MANAGER if i == 0 else "一般", "在籍状況": "在籍",
                           "入社日": joined, "退職日": None})
    sizes = np.array([d["size"] for d in s["departments"]], dtype=float)
    for _ in range(n_leavers):
        d = s["departments"][int(rng.choice(len(sizes), p=sizes / sizes.sum()))]
        people.append({"部署": d["name"], "役職": "一般", "在籍状況": "退職",
                       "入社日": between(rng, date(2006, 4, 1), fy - timedelta(days=90)),
                       "退職日": between(rng, fy + timedelta(days=14), audit - timedelta(days=21))})
    # 休職: on leave but employed (accounts stay). Chosen where nobody holds a duty of the exercise.
    duty_depts = {x["dept"] for x in s["duties"]}
    calm = [i for i, p in enumerate(people) if p["在籍状況"] == "在籍" and p["役職"] == "一般"
            and p["部署"] not in duty_depts]
    for i in rng.choice(calm, size=min(int(s.get("on_leave", 0)), len(calm)), replace=False):
        people[int(i)]["在籍状況"] = "休職"

    order = sorted(range(total), key=lambda i: (people[i]["入社日"], i))
    number = 1000
    for i in order:
        number += int(rng.integers(1, 6))
        people[i]["社員番号"] = f"E{number:04d}"
    for p, name in zip(people, names):
        p["氏名"] = name
    frame = pd.DataFrame(people)[["社員番号", "氏名", "部署", "役職", "在籍状況", "入社日", "退職日"]]
    for col in ("入社日", "退職日"):
        frame[col] = pd.to_datetime(frame[col])
    return frame.sort_values("社員番号", ignore_index=True)


# -- (a) access-rights review ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class AccessData(Dataset):
    people: pd.DataFrame     # 社員番号 氏名 部署 役職 在籍状況 入社日 退職日
    accounts: pd.DataFrame   # アカウントID システム 社員番号 表示名 用途 状態 作成日 無効化日 最終ログイン 管理者権限
    duties: pd.DataFrame     # 社員番号 氏名 部署 職務 (one row per person and duty)
    conflicts: pd.DataFrame  # 職務A 職務B: pairs one person must not hold together (職務分離表)
    planted_leavers_active: frozenset
    planted_shared: frozenset
    planted_conflicts: frozenset

    @property
    def audit_date(self):
        return audit_date()

    @property
    def truth_leavers_active(self):
        """アカウントID of accounts that belong to a leaver and are still 有効."""
        merged = self.accounts.merge(self.people[["社員番号", "在籍状況"]], on="社員番号", how="left")
        mask = (merged["在籍状況"] == "退職") & (merged["状態"] == "有効")
        return sorted(merged.loc[mask, "アカウントID"])

    @property
    def truth_shared(self):
        """アカウントID of active accounts for people (用途 業務) that belong to nobody in particular."""
        a = self.accounts
        mask = a["社員番号"].isna() & (a["用途"] == "業務") & (a["状態"] == "有効")
        return sorted(a.loc[mask, "アカウントID"])

    @property
    def truth_conflict_pairs(self):
        """{社員番号: [(職務A, 職務B), ...]} for everyone holding both duties of a pair of the 職務分離表."""
        held = self.duties.groupby("社員番号")["職務"].agg(set)
        found = {}
        for number, duties in held.items():
            pairs = [(a, b) for a, b in zip(self.conflicts["職務A"], self.conflicts["職務B"]) if {a, b} <= duties]
            if pairs:
                found[number] = pairs
        return found

    @property
    def truth_conflicts(self):
        return sorted(self.truth_conflict_pairs)


def _systems_for(person, systems):
    return [x for x in systems if x["who"] == "all" or person["部署"] in x["who"]]


@lru_cache(maxsize=16)
def _access(seed):
    s = settings()
    rng = _rng(seed, "access")
    audit = s["audit"]
    staff = _people(seed)
    records = staff.to_dict("records")
    leavers = [p for p in records if p["在籍状況"] == "退職"]

    # Leavers' accounts: most disabled on the last day; a few left active, a few disabled weeks late.
    leaver_accounts = [(p["社員番号"], x) for p in leavers for x in _systems_for(p, s["systems"])]
    n_active = min(_count(rng, "leaver_active_accounts"), len(leaver_accounts))
    # Spread the active ones over two to four leavers, so that "one forgotten person" is not the whole story.
    chosen_people = rng.choice(len(leavers), size=min(len(leavers), int(rng.integers(2, 5))), replace=False)
    pool = [i for i, (n, _) in enumerate(leaver_accounts) if n in {leavers[int(j)]["社員番号"] for j in chosen_people}]
    active = set()
    for j in chosen_people:  # at least one account per chosen leaver
        mine = [i for i in pool if leaver_accounts[i][0] == leavers[int(j)]["社員番号"]]
        active.add(int(rng.choice(mine)))
    rest = [i for i in pool if i not in active]
    active |= set(int(i) for i in rng.choice(rest, size=max(0, min(n_active - len(active), len(rest))), replace=False))
    used_after = int(rng.choice(sorted(active)))
    others = [i for i in range(len(leaver_accounts)) if i not in active]
    late = set(int(i) for i in rng.choice(others, size=min(_count(rng, "late_disabled_accounts"), len(others)),
                                          replace=False))

    admins = {p["社員番号"] for p in records if p["部署"] == "総務部" and p["在籍状況"] == "在籍"}
    admins = set(sorted(admins)[:2])
    rows = []
    for p in records:
        joined = p["入社日"].date()
        for x in _systems_for(p, s["systems"]):
            account = f"{x['prefix']}{p['社員番号'].lower()}"
            created = max(joined, date(2016, 4, 1))
            admin = p["社員番号"] in admins and x["name"] in ("Microsoft 365", "ファイルサーバ")
            if p["在籍状況"] != "退職":
                last = audit - timedelta(days=int(rng.integers(0, 15)))
                if p["在籍状況"] == "休職":
                    last = audit - timedelta(days=int(rng.integers(60, 150)))
                rows.append((account, x["name"], p["社員番号"], p["氏名"], "業務", "有効", created, None, last, admin))
                continue
            left = p["退職日"].date()
            i = leaver_accounts.index((p["社員番号"], x))
            if i in active:
                last = left + timedelta(days=int(rng.integers(6, 40))) if i == used_after \
                    else left - timedelta(days=int(rng.integers(0, 4)))
                rows.append((account, x["name"], p["社員番号"], p["氏名"], "業務", "有効", created, None,
                             min(last, audit), admin))
            else:
                delay = int(rng.integers(20, 60)) if i in late else int(rng.choice([0, 0, 1, 2]))
                rows.append((account, x["name"], p["社員番号"], p["氏名"], "業務", "無効", created,
                             min(left + timedelta(days=delay), audit), left - timedelta(days=int(rng.integers(0, 4))),
                             admin))

    business = [u for u in s["unpersonal_accounts"] if u["use"] == "業務"]
    on = set(int(i) for i in rng.choice(len(business), size=min(_count(rng, "shared_active"), len(business)),
                                        replace=False))
    shared = set()
    for u in s["unpersonal_accounts"]:
        created = between(rng, date(2017, 4, 1), date(2023, 3, 31))
        if u["use"] == "業務" and business.index(u) not in on:
            off = between(rng, date(2024, 4, 1), date(2025, 3, 31))
            rows.append((u["id"], u["system"], None, u["name"], u["use"], "無効", created, off, off, False))
            continue
        if u["use"] == "業務":
            shared.add(u["id"])
        rows.append((u["id"], u["system"], None, u["name"], u["use"], "有効", created, None,
                     audit - timedelta(days=int(rng.integers(0, 6))), False))
    accounts = pd.DataFrame(rows, columns=["アカウントID", "システム", "社員番号", "表示名", "用途", "状態", "作成日",
                                           "無効化日", "最終ログイン", "管理者権限"])
    for col in ("作成日", "無効化日", "最終ログイン"):
        accounts[col] = pd.to_datetime(accounts[col])
    accounts["社員番号"] = accounts["社員番号"].astype("string")
    accounts = accounts.sort_values(["システム", "アカウントID"], ignore_index=True)

    # Duties: drawn from the department's current staff; then the seed plants the conflicts.
    current = [p for p in records if p["在籍状況"] == "在籍"]
    holders = {}
    for d in s["duties"]:
        pool = [p["社員番号"] for p in current if p["部署"] == d["dept"]
                and (p["役職"] == MANAGER) == bool(d.get("managers"))
                and not any(p["社員番号"] in h for h in holders.values())]
        holders[d["name"]] = [str(n) for n in rng.choice(pool, size=1 if d.get("managers") else d.get("count", 1),
                                                         replace=False)]
    held = {}
    for duty, numbers in holders.items():
        for n in numbers:
            held.setdefault(n, set()).add(duty)
    conflicts = [tuple(c) for c in s["conflicts"]]
    extra = [conflicts[0]] + [conflicts[int(i)] for i in
                              sorted(rng.choice(np.arange(1, len(conflicts)), size=int(rng.integers(1, 3)),
                                                replace=False))]
    planted = set()
    for a, b in extra:
        # the person who already holds one duty of the pair, and nothing that conflicts yet, also gets the other
        candidates = [n for n in holders[a] + holders[b] if n not in planted]
        person = candidates[0]
        held[person] |= {a, b}
        planted.add(person)
    ok_a, ok_b = s.get("harmless_extra", [None, None])
    if ok_a:
        person = next(n for n in holders[ok_a] if n not in planted)
        held[person] |= {ok_a, ok_b}
    names = {p["社員番号"]: (p["氏名"], p["部署"]) for p in records}
    duty_order = [d["name"] for d in s["duties"]]
    duty_rows = [(n, names[n][0], names[n][1], duty) for n in sorted(held)
                 for duty in sorted(held[n], key=duty_order.index)]
    duties = pd.DataFrame(duty_rows, columns=["社員番号", "氏名", "部署", "職務"])
    table = pd.DataFrame(conflicts, columns=["職務A", "職務B"])

    planted_leavers = frozenset(f"{x['prefix']}{n.lower()}" for i, (n, x) in enumerate(leaver_accounts)
                                if i in active)
    data = AccessData(seed, staff.copy(), accounts, duties, table, planted_leavers, frozenset(shared),
                      frozenset(planted))
    refuse_unless(set(data.truth_leavers_active) == planted_leavers and set(data.truth_shared) == shared
                  and set(data.truth_conflicts) == planted, seed)
    return data


def access_review(seed=PUBLIC_SEED):
    """The access-rights review of the invented company (5.15, 5.18, 5.3)."""
    return _access(check_seed(seed)).copy()


# -- (b) classification and labelling --------------------------------------------------------------------------------------

FACT_COLUMNS = {"personal": "個人情報", "entrusted": "取引先の秘密", "unpublished": "未公表の経営情報",
                "published": "公表済み"}


def classify_row(personal, entrusted, unpublished, published):
    """The class of one item by the exercise's criteria (the first that applies decides)."""
    if personal or entrusted or unpublished:
        return "機密"
    if published:
        return "公開"
    return "社外秘"


def label_is_wrong(label, cls):
    """「公開」 needs no label (5.13 asks for labels on 機密 and 社外秘 only); any other class must carry its own."""
    if cls == "公開":
        return label not in ("公開", settings()["label_none"])
    return label != cls


def label_rank(label):
    return RANK.get(label, 0)


@dataclass(frozen=True, repr=False)
class AssetData(Dataset):
    assets: pd.DataFrame     # 資産ID 資産名 部署 管理責任者 保管場所 個人情報 取引先の秘密 未公表の経営情報 公表済み 現在の表示
    criteria: pd.DataFrame   # 分類 基準 (in the order they are applied)
    planted_too_low: frozenset
    planted_too_high: frozenset

    @property
    def truth_classes(self):
        """{資産ID: 正しい分類}."""
        a = self.assets
        return {i: classify_row(*flags) for i, *flags in
                zip(a["資産ID"], *(a[c] for c in FACT_COLUMNS.values()))}

    @property
    def truth_mislabelled(self):
        classes = self.truth_classes
        return sorted(i for i, label in zip(self.assets["資産ID"], self.assets["現在の表示"])
                      if label_is_wrong(label, classes[i]))

    def direction(self, asset_id):
        """'low' if the label protects less than the class needs, 'high' if more, None if the label is right."""
        classes = self.truth_classes
        label = dict(zip(self.assets["資産ID"], self.assets["現在の表示"])).get(asset_id)
        if asset_id not in classes or not label_is_wrong(label, classes[asset_id]):
            return None
        return "low" if label_rank(label) < RANK[classes[asset_id]] else "high"


@lru_cache(maxsize=16)
def _assets(seed):
    s = settings()
    rng = _rng(seed, "assets")
    staff = _people(seed)
    managers = dict(zip(staff.loc[staff["役職"] == MANAGER, "部署"], staff.loc[staff["役職"] == MANAGER, "氏名"]))
    none = s["label_none"]
    templates = [s["assets"][int(i)] for i in rng.permutation(len(s["assets"]))]
    rows = []
    for n, a in enumerate(templates, 1):
        facts = [bool(a.get(k, False)) for k in FACT_COLUMNS]
        cls = classify_row(*facts)
        label = cls if cls != "公開" else str(rng.choice(["公開", none]))
        rows.append([f"A{n:03d}", a["name"], a["dept"], managers[a["dept"]], str(rng.choice(s["places"])),
                     *facts, label, cls])

    def pick(candidates, size):
        return [int(i) for i in rng.choice(candidates, size=min(size, len(candidates)), replace=False)]

    secret = [i for i, r in enumerate(rows) if r[-1] == "機密"]
    internal = [i for i, r in enumerate(rows) if r[-1] == "社外秘"]
    public = [i for i, r in enumerate(rows) if r[-1] == "公開"]
    n_low = _count(rng, "labels_too_low")
    low = pick(secret, max(2, n_low // 2))
    low += pick([i for i in internal], n_low - len(low))
    n_high = _count(rng, "labels_too_high")
    high = pick([i for i in internal if i not in low], max(1, n_high - 1))
    high += pick(public, n_high - len(high))
    for i in low:
        rows[i][-2] = str(rng.choice(["社外秘", none])) if rows[i][-1] == "機密" else str(rng.choice(["公開", none]))
    for i in high:
        rows[i][-2] = "機密" if rows[i][-1] == "社外秘" else "社外秘"
    columns = ["資産ID", "資産名", "部署", "管理責任者", "保管場所", *FACT_COLUMNS.values(), "現在の表示", "_class"]
    frame = pd.DataFrame(rows, columns=columns).drop(columns="_class")
    criteria = pd.DataFrame([(c["name"], c["rule"]["ja"]) for c in s["classes"]], columns=["分類", "基準"])
    data = AssetData(seed, frame, criteria, frozenset(rows[i][0] for i in low), frozenset(rows[i][0] for i in high))
    wrong = set(data.truth_mislabelled)
    refuse_unless(wrong == data.planted_too_low | data.planted_too_high and all(
        data.direction(i) == ("low" if i in data.planted_too_low else "high") for i in wrong), seed)
    return data


def asset_inventory(seed=PUBLIC_SEED):
    """The information-asset register of the invented company (5.12, 5.13)."""
    return _assets(check_seed(seed)).copy()


# -- (c) information transfer ------------------------------------------------------------------------------------------------

TRANSFER_RULES = ("R1", "R2", "R3", "R4", "R5", "R6")
FLAG_COLUMNS = ("暗号化", "パスワード別送", "有効期限あり", "追跡あり", "持出承認", "記録簿に記入")


def _transfer_violations(log):
    """{rule id: set of 記録ID} by the rules of the exercise: the reference analysis of a transfer log."""
    secret, internal = log["分類"] == "機密", log["分類"] == "社外秘"
    method = log["方法"]
    masks = {
        "R1": secret & (method == "メール添付") & ~(log["暗号化"] & log["パスワード別送"]),
        "R2": secret & (method == "共有リンク") & ~log["有効期限あり"],
        "R3": secret & (method == "郵送・宅配便") & ~log["追跡あり"],
        "R4": (secret | internal) & (method == "USBメモリ") & ~(log["持出承認"] & log["暗号化"]),
        "R5": (secret | internal) & (log["宛先の種類"] == "個人のアドレス"),
        "R6": secret & ~log["記録簿に記入"],
    }
    return {rule: set(log.loc[mask, "記録ID"]) for rule, mask in masks.items()}


@dataclass(frozen=True, repr=False)
class TransferData(Dataset):
    log: pd.DataFrame    # 記録ID 日時 送信者 部署 内容 分類 方法 宛先 宛先の種類 暗号化 パスワード別送 有効期限あり 追跡あり 持出承認 記録簿に記入
    rules: pd.DataFrame  # 規則 内容 (the company's 情報取扱基準表 for sending outside)
    planted: dict        # {rule: frozenset of 記録ID}

    @property
    def truth_by_rule(self):
        return {rule: sorted(ids) for rule, ids in _transfer_violations(self.log).items()}

    @property
    def truth_violations(self):
        return sorted(set().union(*_transfer_violations(self.log).values()))


def _compliant(rng, cls, method):
    """Flags of a transfer that follows every rule (random where the rules do not care)."""
    flags = dict.fromkeys(FLAG_COLUMNS, False)
    if method == "メール添付":
        flags["暗号化"] = cls == "機密" or bool(rng.random() < 0.3)
        flags["パスワード別送"] = flags["暗号化"] and (cls == "機密" or bool(rng.random() < 0.5))
    elif method == "共有リンク":
        flags["有効期限あり"] = cls == "機密" or bool(rng.random() < 0.5)
    elif method == "郵送・宅配便":
        flags["追跡あり"] = cls == "機密" or bool(rng.random() < 0.4)
    elif method == "USBメモリ":
        flags["持出承認"] = cls != "公開" or bool(rng.random() < 0.5)
        flags["暗号化"] = cls != "公開" or bool(rng.random() < 0.5)
    flags["記録簿に記入"] = cls == "機密" or bool(rng.random() < 0.1)
    return flags


def _breach(rng, rule):
    """(class, method, recipient kind, flag changes) of a transfer that breaks exactly `rule`."""
    if rule == "R1":
        change = {"暗号化": False, "パスワード別送": False} if rng.random() < 0.5 else {"パスワード別送": False}
        return "機密", "メール添付", "取引先", change
    if rule == "R2":
        return "機密", "共有リンク", "取引先", {"有効期限あり": False}
    if rule == "R3":
        return "機密", "郵送・宅配便", "取引先", {"追跡あり": False}
    if rule == "R4":
        cls = str(rng.choice(["機密", "社外秘"]))
        return cls, "USBメモリ", "取引先", {str(rng.choice(["持出承認", "暗号化"])): False}
    if rule == "R5":
        return str(rng.choice(["機密", "社外秘"])), str(rng.choice(["メール添付", "共有リンク"])), "個人のアドレス", {}
    return "機密", str(rng.choice(["メール添付", "共有リンク", "郵送・宅配便"])), "取引先", {"記録簿に記入": False}


@lru_cache(maxsize=16)
def _transfers(seed):
    s = settings()
    rng = _rng(seed, "transfers")
    staff = _people(seed)
    current = staff.loc[staff["在籍状況"] == "在籍", ["社員番号", "氏名", "部署"]].to_dict("records")
    year, month = (int(x) for x in str(s["log_month"]).split("-"))
    days = [d for d in (date(year, month, 1) + timedelta(days=i) for i in range(31))
            if d.month == month and d.weekday() < 5]
    methods = s["methods"]
    weights = {c: np.array(s["contents"][c]["methods"], dtype=float) for c in CLASSES}
    class_w = np.array([s["class_weights"][c] for c in CLASSES], dtype=float)

    plan = []  # (class, method, kind, changes, rule or None)
    for rule in TRANSFER_RULES:
        for _ in range(_count(rng, "violations_per_rule")):
            plan.append((*_breach(rng, rule), rule))
    while len(plan) < int(s["log_size"]):
        cls = CLASSES[int(rng.choice(3, p=class_w / class_w.sum()))]
        method = methods[int(rng.choice(len(methods), p=weights[cls] / weights[cls].sum()))]
        personal = cls == "公開" and method in ("メール添付", "共有リンク") and rng.random() < 0.3
        plan.append((cls, method, "個人のアドレス" if personal else "取引先", {}, None))

    rows, planted = [], {r: set() for r in TRANSFER_RULES}
    for cls, method, kind, changes, rule in (plan[int(i)] for i in rng.permutation(len(plan))):
        item = s["contents"][cls]["items"][int(rng.integers(0, len(s["contents"][cls]["items"])))]
        senders = [p for p in current if p["部署"] in item["depts"]]
        person = senders[int(rng.integers(0, len(senders)))]
        flags = {**_compliant(rng, cls, method), **changes}
        partner = item.get("partner") or s["partners"][int(rng.integers(0, len(s["partners"])))]
        if kind == "個人のアドレス":
            to = s["personal_addresses"][int(rng.integers(0, len(s["personal_addresses"])))]
        elif method in ("メール添付", "共有リンク"):
            to = f"{s['partner_mailboxes'][int(rng.integers(0, len(s['partner_mailboxes'])))]}@{partner['domain']}"
        else:
            to = partner["name"]
        when = datetime.combine(days[int(rng.integers(0, len(days)))],
                                time(int(rng.integers(8, 18)), int(rng.integers(0, 60))))
        rows.append([when, person["氏名"], person["部署"], item["name"], cls, method, to, kind,
                     *(bool(flags[f]) for f in FLAG_COLUMNS), rule])
    rows.sort(key=lambda r: r[0])
    for n, r in enumerate(rows, 1):
        r.insert(0, f"T{n:03d}")
        if r[-1]:
            planted[r[-1]].add(r[0])
    columns = ["記録ID", "日時", "送信者", "部署", "内容", "分類", "方法", "宛先", "宛先の種類", *FLAG_COLUMNS, "_rule"]
    log = pd.DataFrame(rows, columns=columns).drop(columns="_rule")
    log["日時"] = pd.to_datetime(log["日時"])
    rules = pd.DataFrame([(r["id"], r["text"]["ja"]) for r in s["rules"]], columns=["規則", "内容"])
    data = TransferData(seed, log, rules, {r: frozenset(ids) for r, ids in planted.items()})
    refuse_unless({r: set(v) for r, v in data.truth_by_rule.items()} == planted, seed)
    return data


def transfer_log(seed=PUBLIC_SEED):
    """One month of information sent outside by the invented company (5.14)."""
    return _transfers(check_seed(seed)).copy()


def rule_labels(lang="ja"):
    """{rule id: short label} for charts and messages."""
    return {r["id"]: r["short"][lang] for r in settings()["rules"]}
