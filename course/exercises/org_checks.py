"""Self-checks of the chapter 14 data exercises (access review, asset register, transfer log).

The answer readers, CheckResult and the frame of every check are shared with chapter 15 (checks.py). Hints name the
learner's own wrong items and say where to look for the missing ones, without listing them. `score` (0..1) is the
Jaccard similarity of the answer and the truth for a set of findings, the share of right items for a classification.
"""

import numpy as np
import pandas as pd

from ..i18n import t
from .checks import AnswerError, CheckResult, examples, exercise_data, explain, guarded, norm, read_ids, set_result
from .org_data import (CLASSES, FACT_COLUMNS, AccessData, AssetData, TransferData, access_review, asset_inventory,
                       rule_labels, settings, transfer_log)


def _ids(answer, columns):
    """Upper-cased identifiers (read_ids), with a message for an empty answer."""
    ids = read_ids(answer, columns)
    if not ids:
        raise AnswerError(t("exercise.check.no_answer"))
    return ids


# -- (a) access-rights review --------------------------------------------------------------------------------------------

def _accounts_by_id(data):
    a = data.accounts.merge(data.people[["社員番号", "在籍状況"]], on="社員番号", how="left")
    return {str(i).upper(): row for i, row in zip(a["アカウントID"], a.to_dict("records"))}


def _people_ids_given(ids, data):
    return bool(ids) and ids <= set(data.people["社員番号"].str.upper())


@guarded("ch14.access.leavers_title")
def check_leavers_active(answer, data=None):
    """Accounts of people who have left that are still active: a list of アカウントID (or the filtered table)."""
    data = exercise_data(data, AccessData, access_review)
    ids = _ids(answer, ("アカウントID",))
    if _people_ids_given(ids, data):
        return CheckResult(False, 0.0, [t("ch14.access.hint_account_ids")])
    accounts = _accounts_by_id(data)
    names = {k: row["アカウントID"] for k, row in accounts.items()}
    truth = {i.upper() for i in data.truth_leavers_active}

    def hints(missing, extra):
        out = explain(extra, [("ch14.check.unknown_ids", lambda i: i not in accounts),
                              ("ch14.access.hint_disabled", lambda i: accounts[i]["状態"] != "有効"),
                              ("ch14.access.hint_on_leave", lambda i: accounts[i]["在籍状況"] == "休職"),
                              ("ch14.access.hint_current", lambda i: accounts[i]["在籍状況"] == "在籍"),
                              ("ch14.access.hint_not_personal", lambda i: True)], names)
        if missing:
            systems = sorted({accounts[i]["システム"] for i in missing})
            out.append(t("ch14.access.hint_missing_leavers", n=len(missing), systems="、".join(systems)))
        return out

    return set_result(ids, truth, t("ch14.access.leavers_ok", n=len(truth)), hints, digits=4)


@guarded("ch14.access.shared_title")
def check_shared_accounts(answer, data=None):
    """Active accounts that people share (tied to no one person, used for work): a list of アカウントID."""
    data = exercise_data(data, AccessData, access_review)
    ids = _ids(answer, ("アカウントID",))
    accounts = _accounts_by_id(data)
    names = {k: row["アカウントID"] for k, row in accounts.items()}
    truth = {i.upper() for i in data.truth_shared}

    def hints(missing, extra):
        out = explain(extra, [("ch14.check.unknown_ids", lambda i: i not in accounts),
                              ("ch14.access.hint_personal", lambda i: not pd.isna(accounts[i]["社員番号"])),
                              ("ch14.access.hint_machine", lambda i: accounts[i]["用途"] != "業務"),
                              ("ch14.access.hint_shared_disabled", lambda i: True)], names)
        if missing:
            out.append(t("ch14.access.hint_missing_shared", n=len(missing)))
        return out

    return set_result(ids, truth, t("ch14.access.shared_ok", n=len(truth)), hints, digits=4)


@guarded("ch14.access.conflicts_title")
def check_conflicts(answer, data=None):
    """People who hold two duties that the 職務分離表 keeps apart: a list of 社員番号."""
    data = exercise_data(data, AccessData, access_review)
    ids = _ids(answer, ("社員番号",))
    names = {norm(n).upper() for n in data.people["氏名"]}
    known = set(data.people["社員番号"].str.upper())
    if not ids & known and ids & names:
        return CheckResult(False, 0.0, [t("ch14.access.hint_names")])
    pairs = {k.upper(): v for k, v in data.truth_conflict_pairs.items()}
    truth = set(pairs)
    held = {str(k).upper(): set(v) for k, v in data.duties.groupby("社員番号")["職務"].agg(set).items()}

    def hints(missing, extra):
        out = explain(extra, [("ch14.check.unknown_ids", lambda i: i not in known),
                              ("ch14.access.hint_harmless", lambda i: len(held.get(i, ())) >= 2),
                              ("ch14.access.hint_single", lambda i: True)])
        missed_pairs = sorted({f"「{a}」と「{b}」" for i in missing for a, b in pairs[i]})
        if missed_pairs:
            out.append(t("ch14.access.hint_missing_pairs", n=len(missing), pairs="、".join(missed_pairs)))
        return out

    return set_result(ids, truth, t("ch14.access.conflicts_ok", n=len(truth)), hints, digits=4)


# -- (b) classification and labelling -------------------------------------------------------------------------------------

CLASS_COLUMNS = ("正しい分類", "分類")


def _mapping(answer, data):
    """{資産ID (upper): class} from a Series, dict or DataFrame; a Series on the row numbers of data.assets is read
    positionally (the result of assets["正しい分類"] = ...)."""
    if answer is None:
        raise AnswerError(t("exercise.check.no_answer"))
    ids = list(data.assets["資産ID"])
    if isinstance(answer, pd.DataFrame):
        frame = answer.reset_index() if "資産ID" not in answer.columns and answer.index.name == "資産ID" else answer
        column = next((c for c in CLASS_COLUMNS if c in frame.columns), None)
        if "資産ID" not in frame.columns or column is None:
            raise AnswerError(t("ch14.assets.need_columns"))
        answer = dict(zip(frame["資産ID"], frame[column]))
    elif isinstance(answer, pd.Series):
        index = [norm(i).upper() for i in answer.index]
        if set(index) <= {i.upper() for i in ids}:
            answer = dict(zip(index, answer.values))
        elif len(answer) == len(ids) and answer.index.equals(data.assets.index):
            answer = dict(zip(ids, answer.values))
        else:
            raise AnswerError(t("ch14.assets.series_index"))
    if isinstance(answer, (list, tuple, np.ndarray)) and len(answer) == len(ids) \
            and all(isinstance(v, str) for v in answer):
        answer = dict(zip(ids, answer))
    if not isinstance(answer, dict):
        raise AnswerError(t("ch14.assets.bad_type", kind=type(answer).__name__))
    out = {}
    for key, value in answer.items():
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        out[norm(key).upper()] = norm(value).strip("「」")
    if not out:
        raise AnswerError(t("exercise.check.no_answer"))
    return out


def _decisive_fact(row):
    for key, column in FACT_COLUMNS.items():
        if bool(row[column]):
            return key
    return "none"


@guarded("ch14.assets.classes_title")
def check_classification(answer, data=None):
    """The right class (機密 / 社外秘 / 公開) of every item: a Series or dict {資産ID: 分類}, or a table with 資産ID and
    正しい分類."""
    data = exercise_data(data, AssetData, asset_inventory)
    given = _mapping(answer, data)
    truth = {k.upper(): v for k, v in data.truth_classes.items()}
    rows = {str(r["資産ID"]).upper(): r for r in data.assets.to_dict("records")}
    strange = sorted({v for v in given.values() if v not in CLASSES})
    if strange:
        return CheckResult(False, 0.0, [t("ch14.assets.bad_values", values=examples(strange))])
    right = [k for k in truth if given.get(k) == truth[k]]
    if len(right) == len(truth):
        counts = pd.Series(list(truth.values())).value_counts()
        return CheckResult(True, 1.0, [t("ch14.assets.classes_ok", n=len(truth),
                                         **{f"n_{i}": int(counts.get(c, 0)) for i, c in enumerate(CLASSES)})])
    messages = [t("ch14.assets.classes_summary", right=len(right), total=len(truth))]
    absent = [k for k in truth if k not in given]
    if absent:
        messages.append(t("ch14.assets.absent", n=len(absent)))
    unknown = [k for k in given if k not in truth]
    if unknown:
        messages.append(t("ch14.check.unknown_ids", examples=examples(unknown)))
    wrong = [k for k in truth if k in given and given[k] != truth[k]]
    by_fact = {}
    for k in wrong:
        by_fact.setdefault(_decisive_fact(rows[k]), []).append(k)
    for fact in (*FACT_COLUMNS, "none"):
        if fact in by_fact:
            messages.append(t(f"ch14.assets.hint_{fact}", n=len(by_fact[fact])))
    return CheckResult(False, round(len(right) / len(truth), 4), messages)


@guarded("ch14.assets.labels_title")
def check_mislabelled(answer, data=None):
    """Items whose label does not match their class: a list of 資産ID (or the filtered table)."""
    data = exercise_data(data, AssetData, asset_inventory)
    ids = _ids(answer, ("資産ID",))
    truth = {i.upper() for i in data.truth_mislabelled}
    rows = {str(r["資産ID"]).upper(): r for r in data.assets.to_dict("records")}
    classes = {k.upper(): v for k, v in data.truth_classes.items()}
    none = settings()["label_none"]

    def hints(missing, extra):
        out = explain(extra, [("ch14.check.unknown_ids", lambda i: i not in rows),
                              ("ch14.assets.hint_public_unlabelled",
                               lambda i: classes[i] == "公開" and rows[i]["現在の表示"] == none),
                              ("ch14.assets.hint_label_fine", lambda i: True)])
        low = [i for i in missing if data.direction(rows[i]["資産ID"]) == "low"]
        high = [i for i in missing if data.direction(rows[i]["資産ID"]) == "high"]
        if low:
            out.append(t("ch14.assets.hint_missing_low", n=len(low)))
        if high:
            out.append(t("ch14.assets.hint_missing_high", n=len(high)))
        return out

    n_low, n_high = len(data.planted_too_low), len(data.planted_too_high)
    return set_result(ids, truth, t("ch14.assets.labels_ok", n=len(truth), low=n_low, high=n_high), hints, digits=4)


# -- (c) information transfer ------------------------------------------------------------------------------------------

def _why_not(row):
    """Why a transfer breaks no rule (the message key)."""
    if row["分類"] == "公開":
        return "ch14.transfer.hint_public"
    if row["分類"] == "社外秘" and row["方法"] in ("メール添付", "共有リンク", "郵送・宅配便", "FAX"):
        return "ch14.transfer.hint_internal"
    return "ch14.transfer.hint_followed"


@guarded("ch14.transfer.title")
def check_transfer_violations(answer, data=None):
    """Transfers that break at least one rule: a list of 記録ID (or the filtered table)."""
    data = exercise_data(data, TransferData, transfer_log)
    ids = _ids(answer, ("記録ID",))
    by_rule = {r: {i.upper() for i in v} for r, v in data.truth_by_rule.items()}
    truth = set().union(*by_rule.values())
    rows = {str(r["記録ID"]).upper(): r for r in data.log.to_dict("records")}
    labels = rule_labels()

    def hints(missing, extra):
        out = []
        unknown = {i for i in extra if i not in rows}
        if unknown:
            out.append(t("ch14.check.unknown_ids", examples=examples(unknown)))
        reasons = {}
        for i in extra - unknown:
            reasons.setdefault(_why_not(rows[i]), set()).add(i)
        for key in sorted(reasons):
            out.append(t(key, examples=examples(reasons[key])))
        for rule, found in by_rule.items():
            n = len(found & missing)
            if n:
                out.append(t("ch14.transfer.hint_missing_rule", rule=rule, label=labels[rule], n=n))
        return out

    counts = "、".join(f"{r} {len(v)} 件" for r, v in by_rule.items() if v)
    return set_result(ids, truth, t("ch14.transfer.ok", n=len(truth), counts=counts), hints, digits=4)


# -- graded questions of the assignment ch14_organizational (not asked in the lessons) -----------------------------------
# Each asks another question of the lessons' datasets, in another shape (staff numbers, counts per department or per
# rule), so that a lesson cell pasted unchanged reads as the wrong shape and earns nothing.

LATE_DAYS = 7        # a leaver's account must be disabled within this many days after the 退職日
DORMANT_DAYS = 90    # an active personal account unused for more than this many days before the audit is dormant
LABEL_NONE_RANK = 0  # 表示なし protects nothing


def _late_stopped_leavers(data):
    """社員番号 of leavers with an account still 有効 or disabled more than LATE_DAYS days after their 退職日."""
    merged = data.accounts.merge(data.people[["社員番号", "在籍状況", "退職日"]], on="社員番号")
    gone = merged[merged["在籍状況"] == "退職"]
    late = (gone["状態"] == "有効") | ((gone["無効化日"] - gone["退職日"]).dt.days > LATE_DAYS)
    return sorted(set(gone.loc[late, "社員番号"]))


def _dormant_by_department(data):
    """{部署: 件数} of active personal accounts whose 最終ログイン is more than DORMANT_DAYS days before the audit."""
    merged = data.accounts.merge(data.people[["社員番号", "部署"]], on="社員番号")
    idle = (data.audit_date - merged["最終ログイン"]).dt.days > DORMANT_DAYS
    return {str(k): int(v) for k, v in merged[(merged["状態"] == "有効") & idle].groupby("部署").size().items()}


def _too_low_by_department(data):
    """{部署: 件数} of items whose label protects less than their class needs (a 公開 item needs no label)."""
    classes = data.truth_classes
    counts = {}
    for row in data.assets.to_dict("records"):
        need = 0 if classes[row["資産ID"]] == "公開" else RANK_OF[classes[row["資産ID"]]]
        if RANK_OF.get(row["現在の表示"], LABEL_NONE_RANK) < need:
            counts[row["部署"]] = counts.get(row["部署"], 0) + 1
    return counts


def _violations_by_rule(data):
    """{規則: 件数} of transfers breaking each rule (a record breaking two rules counts for both)."""
    return {r: len(v) for r, v in data.truth_by_rule.items() if v}


RANK_OF = {"機密": 3, "社外秘": 2, "公開": 1}


def _read_counts(answer, key_column):
    """{key: whole number} from a dict, a Series (groupby(...).size(), value_counts()) or a DataFrame with the key
    column and one numeric column. Zero counts are dropped (a key with 0 and an absent key say the same)."""
    if answer is None:
        raise AnswerError(t("exercise.check.no_answer"))
    if isinstance(answer, pd.DataFrame):
        frame = answer.set_index(key_column) if key_column in answer.columns else answer
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])]
        if len(numeric) != 1:
            raise AnswerError(t("ch14.graded.counts_type", label=key_column, kind="DataFrame"))
        answer = frame[numeric[0]]
    if isinstance(answer, pd.Series):
        answer = dict(zip(answer.index, answer.values))
    if not isinstance(answer, dict):
        raise AnswerError(t("ch14.graded.counts_type", label=key_column, kind=type(answer).__name__))
    counts = {}
    for key, value in answer.items():
        if isinstance(value, (bool, np.bool_)) or value is None or \
                (not isinstance(value, (int, float, np.integer, np.floating))):
            raise AnswerError(t("exercise.check.not_number", value=repr(value)[:40]))
        if pd.isna(value) or float(value) != int(value):
            raise AnswerError(t("exercise.check.not_number", value=repr(value)[:40]))
        if int(value):
            counts[norm(key)] = int(value)
    return counts


def _count_result(given, truth, ok_message, known, unknown_key):
    keys = set(given) | set(truth)
    strange = sorted(k for k in given if k not in known)
    right = [k for k in keys if given.get(k, 0) == truth.get(k, 0)]
    if len(right) == len(keys):
        return CheckResult(True, 1.0, [ok_message])
    messages = [t("ch14.graded.counts_summary", right=len(right), total=len(keys))]
    if strange:
        messages.append(t(unknown_key, examples=examples(strange)))
    wrong = sorted(k for k in keys if k not in strange and given.get(k, 0) != truth.get(k, 0))
    high = [k for k in wrong if given.get(k, 0) > truth.get(k, 0)]
    low = [k for k in wrong if given.get(k, 0) < truth.get(k, 0)]
    if high:
        messages.append(t("ch14.graded.counts_high", examples=examples(high)))
    if low:
        messages.append(t("ch14.graded.counts_low", examples=examples(low)))
    return CheckResult(False, round(len(right) / len(keys), 4), messages)


@guarded("ch14.graded.late_title")
def check_late_leavers(answer, data=None):
    """Leavers whose accounts were not all stopped within LATE_DAYS days: a list of 社員番号."""
    data = exercise_data(data, AccessData, access_review)
    ids = _ids(answer, ("社員番号",))
    accounts = _accounts_by_id(data)
    if ids and ids <= set(accounts):
        return CheckResult(False, 0.0, [t("ch14.graded.hint_staff_numbers")])
    people = {str(r["社員番号"]).upper(): r for r in data.people.to_dict("records")}
    truth = {i.upper() for i in _late_stopped_leavers(data)}

    def hints(missing, extra):
        out = explain(extra, [("ch14.check.unknown_ids", lambda i: i not in people),
                              ("ch14.graded.hint_not_leaver", lambda i: people[i]["在籍状況"] != "退職"),
                              ("ch14.graded.hint_stopped_in_time", lambda i: True)])
        if missing:
            out.append(t("ch14.graded.hint_missing_late", n=len(missing), days=LATE_DAYS))
        return out

    return set_result(ids, truth, t("ch14.graded.late_ok", n=len(truth), days=LATE_DAYS), hints, digits=4)


@guarded("ch14.graded.dormant_title")
def check_dormant_by_department(answer, data=None):
    """Dormant active personal accounts counted per 部署: a dict or Series {部署: 件数}."""
    data = exercise_data(data, AccessData, access_review)
    given = _read_counts(answer, "部署")
    truth = _dormant_by_department(data)
    return _count_result(given, truth, t("ch14.graded.dormant_ok", n=sum(truth.values()), days=DORMANT_DAYS),
                         set(data.people["部署"]), "ch14.graded.unknown_departments")


@guarded("ch14.graded.too_low_title")
def check_too_low_by_department(answer, data=None):
    """Items labelled lighter than their class, counted per 部署: a dict or Series {部署: 件数}."""
    data = exercise_data(data, AssetData, asset_inventory)
    given = _read_counts(answer, "部署")
    truth = _too_low_by_department(data)
    return _count_result(given, truth, t("ch14.graded.too_low_ok", n=sum(truth.values())),
                         set(data.assets["部署"]), "ch14.graded.unknown_departments")


@guarded("ch14.graded.by_rule_title")
def check_violations_by_rule(answer, data=None):
    """Transfers breaking each rule: a dict or Series {規則 (R1…R6): 件数}."""
    data = exercise_data(data, TransferData, transfer_log)
    if isinstance(answer, (list, tuple)):
        return CheckResult(False, 0.0, [t("ch14.graded.hint_per_rule")])
    given = {k.upper(): v for k, v in _read_counts(answer, "規則").items()}
    truth = _violations_by_rule(data)
    return _count_result(given, truth, t("ch14.graded.by_rule_ok", n=len(data.truth_violations)),
                         set(data.truth_by_rule), "ch14.graded.unknown_rules")


__all__ = ["check_leavers_active", "check_shared_accounts", "check_conflicts", "check_classification",
           "check_mislabelled", "check_transfer_violations", "check_late_leavers",
           "check_dormant_by_department", "check_too_low_by_department", "check_violations_by_rule"]
