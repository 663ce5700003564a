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


__all__ = ["check_leavers_active", "check_shared_accounts", "check_conflicts", "check_classification",
           "check_mislabelled", "check_transfer_violations"]
