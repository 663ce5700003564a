"""Self-checks of the chapter 15 data exercises (training records, phishing drill, offboarding audit).

The answer readers, CheckResult and the frame of every check are shared with chapter 14 (checks.py).
"""

import numpy as np
import pandas as pd

from ..i18n import t
from .checks import (CheckResult, examples, exercise_data, explain, guarded, is_missing, norm, read_ids, read_pairs,
                     read_rates, read_table, set_result)
from .people_data import (CATCH_UP_DAYS, STOP_GRACE_DAYS, DrillData, OffboardingData, ReportLog, TrainingData,
                          drill_reports, offboarding_audit, phishing_drill, training_records)

RATE_TOLERANCE = 0.006  # a rate rounded to two decimals (or a percentage to one decimal) still counts as right


@guarded("ch15.training.missed_title")
def check_missed_people(answer, data=None):
    """Who has not taken a required course (no record at all): a list of 社員番号."""
    data = exercise_data(data, TrainingData, training_records)
    truth = set(data.truth_missed_people)
    ids = read_ids(answer, ("社員番号",))
    if not ids:
        return CheckResult(False, 0.0, [t("ch15.check.empty")])
    staff_ids, records = set(data.staff["社員番号"]), set(data.records["社員番号"])
    names = {norm(n).upper() for n in data.staff["氏名"]}
    if not ids & (staff_ids | records) and ids & names:
        return CheckResult(False, 0.0, [t("ch15.check.names_not_ids")])
    merged = data.required.merge(data.records, on=["社員番号", "研修名"], how="left")
    on_time = merged["受講日"] <= merged["期限"]
    late_pairs = set(merged.loc[merged["受講日"].notna(), ["社員番号", "研修名"]].itertuples(index=False, name=None)) \
        - set(merged.loc[on_time, ["社員番号", "研修名"]].itertuples(index=False, name=None))
    late_people = {n for n, _ in late_pairs} - truth

    def hints(missing, extra):
        out = explain(extra, [("ch15.training.hint_leavers", lambda i: i in records and i not in staff_ids),
                              ("ch15.training.hint_late", lambda i: i in late_people),
                              ("ch15.check.unknown_ids", lambda i: i not in staff_ids and i not in records),
                              ("ch15.training.hint_done", lambda i: True)])
        if any(m.startswith("H") for m in missing):
            out.append(t("ch15.training.hint_agency"))
        if missing:
            out.append(t("ch15.training.hint_missing"))
        return out

    return set_result(ids, truth, t("ch15.training.missed_ok", n=len(truth)), hints)


@guarded("ch15.training.rate_title")
def check_completion(answer, data=None):
    """Share of required training completed per department: {部署: 0..1} (a Series, dict or DataFrame)."""
    data = exercise_data(data, TrainingData, training_records)
    truth = {norm(k): float(v) for k, v in data.truth_completion.items()}
    rates = read_rates(answer, "部署")
    if not rates:
        return CheckResult(False, 0.0, [t("ch15.check.empty")])
    right = [d for d in truth if d in rates and abs(rates[d] - truth[d]) <= RATE_TOLERANCE]
    if len(right) == len(truth) and set(rates) <= set(truth):
        worst = min(truth, key=truth.get)
        return CheckResult(True, 1.0, [t("ch15.training.rate_ok", worst=worst, rate=f"{truth[worst]:.0%}")])
    messages = [t("ch15.check.rates_summary", right=len(right), total=len(truth))]
    absent = [d for d in truth if d not in rates]
    if absent:
        messages.append(t("ch15.check.absent_keys", examples=examples(absent)))
    unknown = [k for k in rates if k not in truth]
    if unknown:
        messages.append(t("ch15.check.unknown_keys", examples=examples(unknown)))
    high = [d for d in truth if d in rates and rates[d] > truth[d] + RATE_TOLERANCE]
    low = [d for d in truth if d in rates and rates[d] < truth[d] - RATE_TOLERANCE]
    if high:
        messages.append(t("ch15.training.hint_high", examples=examples(high)))
    if low:
        messages.append(t("ch15.training.hint_low", examples=examples(low)))
    return CheckResult(False, len(right) / len(truth), messages)


def _compare_tables(table, truth):
    keys = set(truth)
    straight = sum(1 for k in keys if k in table and abs(table[k] - truth[k]) <= RATE_TOLERANCE)
    swapped = {(c, r): v for (r, c), v in table.items()}
    turned = sum(1 for k in keys if k in swapped and abs(swapped[k] - truth[k]) <= RATE_TOLERANCE)
    return (swapped, turned) if turned > straight else (table, straight)


def _drill_table_check(answer, data, which):

    data = exercise_data(data, DrillData, phishing_drill)
    frames = {"click": data.truth_click_rates, "report": data.truth_report_rates}

    def as_dict(frame):
        return {(norm(r), norm(c)): float(frame.loc[r, c]) for r in frame.index for c in frame.columns}

    truth, other = as_dict(frames[which]), as_dict(frames["report" if which == "click" else "click"])
    table = read_table(answer, "回", "部署")
    if not table:
        return CheckResult(False, 0.0, [t("ch15.check.empty")])
    table, right = _compare_tables(table, truth)
    if right == len(truth):
        lines = [t(f"ch15.drill.{which}_ok")]
        return CheckResult(True, 1.0, lines)
    messages = [t("ch15.check.cells_summary", right=right, total=len(truth))]
    if sum(1 for k in truth if k in table and abs(table[k] - other[k]) <= RATE_TOLERANCE) > right:
        messages.append(t("ch15.drill.hint_swapped"))
    rows = {r for r, _ in truth}
    if not rows & {r for r, _ in table}:
        messages.append(t("ch15.drill.hint_shape"))
    else:
        messages.append(t(f"ch15.drill.hint_{which}"))
    return CheckResult(False, right / len(truth), messages)


@guarded("ch15.drill.click_title")
def check_click_rates(answer, data=None):
    """Click rate per round (回) and department (部署): a pivot table, or a Series from groupby(["回", "部署"])."""
    return _drill_table_check(answer, data, "click")


@guarded("ch15.drill.report_title")
def check_report_rates(answer, data=None):
    """Report rate per round (回) and department (部署)."""
    return _drill_table_check(answer, data, "report")


def _department_answer(answer, departments):
    """(department name, None), or (None, CheckResult) when the answer is empty or not text. A one-item list is read as
    its item; 「総務」 is read as 「総務部」 when only that exists."""
    if isinstance(answer, (list, tuple, pd.Series, pd.Index, np.ndarray)) and len(answer) == 1:
        answer = list(answer)[0]
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return None, CheckResult(False, 0.0, [t("ch15.check.empty")])
    if not isinstance(answer, str):
        return None, CheckResult(False, 0.0, [t("ch15.drill.follow_type", kind=type(answer).__name__)])
    given = norm(answer)
    if given not in departments and f"{given}部" in departments:
        given = f"{given}部"
    return given, None


def _unknown_department(given, departments):
    return CheckResult(False, 0.0, [t("ch15.drill.follow_unknown", answer=given[:30], departments="、".join(departments))])


@guarded("ch15.drill.follow_title")
def check_follow_up(answer, data=None):
    """The department that needs follow-up: the highest click rate in the last round."""
    data = exercise_data(data, DrillData, phishing_drill)
    departments = sorted(set(data.results["部署"]))
    given, problem = _department_answer(answer, departments)
    if problem:
        return problem
    truth = data.truth_follow_up
    clicks = data.truth_click_rates
    last, first = clicks.index.max(), clicks.index.min()
    if given == truth:
        rate = clicks.loc[last, truth]
        return CheckResult(True, 1.0, [t("ch15.drill.follow_ok", department=truth, rate=f"{rate:.0%}")])
    if given not in departments:
        return _unknown_department(given, departments)
    messages = [t("ch15.drill.follow_wrong", answer=given)]
    last_round = data.results[data.results["回"] == last]
    counts = last_round.groupby("部署")["クリック"].sum()
    if given == clicks.loc[first].idxmax():
        messages.append(t("ch15.drill.hint_first_round"))
    elif given == counts.idxmax():
        messages.append(t("ch15.drill.hint_counts"))
    elif given == clicks.mean().idxmax():
        messages.append(t("ch15.drill.hint_average"))
    else:
        messages.append(t("ch15.drill.hint_follow"))
    return CheckResult(False, 0.0, messages)


def _user_lookup(data):
    return ("ユーザーID", {norm(u).lower(): (("?", norm(s)) if is_missing(n) else (norm(n).upper(), norm(s)))
                          for u, n, s in zip(data.accounts["ユーザーID"], data.accounts["社員番号"],
                                             data.accounts["システム"])})


@guarded("ch15.offboarding.accounts_title")
def check_open_accounts(answer, data=None):
    """Accounts of leavers still enabled: a DataFrame with 社員番号 and システム (or ユーザーID), or (社員番号, システム)
    pairs."""
    data = exercise_data(data, OffboardingData, offboarding_audit)
    truth = set(data.truth_open_accounts)
    pairs = read_pairs(answer, "社員番号", "システム", lookup=_user_lookup(data))
    if not pairs:
        return CheckResult(False, 0.0, [t("ch15.check.empty")])
    leavers = set(data.leavers["社員番号"])
    stopped = set(data.accounts.loc[data.accounts["状態"] == "停止", ["社員番号", "システム"]]
                  .itertuples(index=False, name=None))

    def hints(missing, extra):
        out = []
        if any(n == "?" for n, _ in extra):
            out.append(t("ch15.offboarding.hint_shared"))
        if {p for p in extra if p[0] not in leavers and p[0] != "?"}:
            out.append(t("ch15.offboarding.hint_current"))
        if extra & stopped:
            out.append(t("ch15.offboarding.hint_stopped"))
        if any(n.startswith("H") for n, _ in missing):
            out.append(t("ch15.offboarding.hint_agency"))
        if missing:
            out.append(t("ch15.offboarding.hint_missing"))
        return out

    used = len(data.truth_used_after_leaving)
    ok = t("ch15.offboarding.accounts_ok", n=len(truth), used=used)
    return set_result(pairs, truth, ok, hints)


@guarded("ch15.offboarding.assets_title")
def check_unreturned_assets(answer, data=None):
    """Assets lent to leavers and not returned: a list of 資産番号, or the filtered assets DataFrame."""
    data = exercise_data(data, OffboardingData, offboarding_audit)
    truth = set(data.truth_unreturned_assets)
    ids = read_ids(answer, ("資産番号",))
    if not ids:
        return CheckResult(False, 0.0, [t("ch15.check.empty")])
    leavers = set(data.leavers["社員番号"])
    owner = {norm(a).upper(): p for a, p in zip(data.assets["資産番号"], data.assets["貸与先"])}
    returned = {norm(a).upper() for a in data.assets.loc[data.assets["返却日"].notna(), "資産番号"]}

    def hints(missing, extra):
        out = []
        if {a for a in extra if a in owner and owner[a] not in leavers}:
            out.append(t("ch15.offboarding.hint_in_use"))
        if extra & returned:
            out.append(t("ch15.offboarding.hint_returned"))
        unknown = {a for a in extra if a not in owner}
        if unknown:
            out.append(t("ch15.check.unknown_ids", examples=examples(unknown)))
        if missing:
            out.append(t("ch15.offboarding.hint_assets_missing"))
        return out

    return set_result(ids, truth, t("ch15.offboarding.assets_ok", n=len(truth)), hints)


# -- the graded assignment ch15_people: other questions on other shapes of the same company's data ---------------------

@guarded("ch15.graded.catch_up_title")
def check_beyond_catch_up(answer, data=None):
    """People whose first record of a required course is more than CATCH_UP_DAYS after its deadline: 社員番号."""
    data = exercise_data(data, TrainingData, training_records)
    truth = set(data.truth_beyond_catch_up)
    ids = read_ids(answer, ("社員番号",))
    if not ids:
        return CheckResult(False, 0.0, [t("ch15.check.empty")])
    staff_ids, recorded = set(data.staff["社員番号"]), set(data.records["社員番号"])
    never = set(data.truth_missed_people)
    within = set(data.truth_late_within_catch_up)

    def hints(missing, extra):
        out = explain(extra, [("ch15.training.hint_leavers", lambda i: i in recorded and i not in staff_ids),
                              ("ch15.graded.hint_within", lambda i: i in within),
                              ("ch15.graded.hint_never", lambda i: i in never),
                              ("ch15.check.unknown_ids", lambda i: i not in staff_ids and i not in recorded),
                              ("ch15.graded.hint_on_time", lambda i: True)])
        if missing:
            out.append(t("ch15.graded.hint_catch_up_missing", days=CATCH_UP_DAYS))
        return out

    return set_result(ids, truth, t("ch15.graded.catch_up_ok", n=len(truth), days=CATCH_UP_DAYS), hints)


@guarded("ch15.graded.lowest_title")
def check_lowest_report(answer, data=None):
    """The department with the lowest report rate in the last round, from the two logs (sent, reports)."""
    data = exercise_data(data, ReportLog, drill_reports)
    departments = sorted(set(data.sent["部署"]))
    given, problem = _department_answer(answer, departments)
    if problem:
        return problem
    truth = data.truth_lowest_report
    if given == truth:
        return CheckResult(True, 1.0, [t("ch15.graded.lowest_ok", department=truth)])
    if given not in departments:
        return _unknown_department(given, departments)
    messages = [t("ch15.drill.follow_wrong", answer=given)]
    # Hints name the usual slips; each is worked out on the log itself.
    sent, reports = data.sent, data.reports
    last = sent["回"].max()
    mailed = sent[sent["回"] == last]
    size = mailed.groupby("部署").size()
    rows = reports[reports["回"] == last].merge(mailed, on=["回", "社員番号"])
    people = rows.drop_duplicates("社員番号").groupby("部署").size().reindex(size.index, fill_value=0)
    every = reports.drop_duplicates(["回", "社員番号"]).merge(sent, on=["回", "社員番号"]).groupby("部署").size()
    every = (every.reindex(size.index, fill_value=0) / sent.groupby("部署").size())
    if given == (rows.groupby("部署").size().reindex(size.index, fill_value=0) / size).idxmin():
        messages.append(t("ch15.graded.hint_duplicates"))
    elif given == people.idxmin():
        messages.append(t("ch15.graded.hint_counts"))
    elif given == every.idxmin():
        messages.append(t("ch15.graded.hint_all_rounds"))
    else:
        messages.append(t("ch15.graded.hint_lowest"))
    return CheckResult(False, 0.0, messages)


@guarded("ch15.graded.late_stops_title")
def check_late_stops(answer, data=None):
    """Leavers' accounts disabled more than STOP_GRACE_DAYS after the last working day: (社員番号, システム) pairs."""
    data = exercise_data(data, OffboardingData, offboarding_audit)
    truth = set(data.truth_late_stops)
    pairs = read_pairs(answer, "社員番号", "システム", lookup=_user_lookup(data))
    if not pairs:
        return CheckResult(False, 0.0, [t("ch15.check.empty")])
    leavers = set(data.leavers["社員番号"])
    still_open = set(data.truth_open_accounts)

    def hints(missing, extra):
        out = []
        if {p for p in extra if p[0] not in leavers}:
            out.append(t("ch15.offboarding.hint_current"))
        if extra & still_open:
            out.append(t("ch15.graded.hint_still_open"))
        if {p for p in extra if p[0] in leavers and p not in still_open}:
            out.append(t("ch15.graded.hint_in_time", days=STOP_GRACE_DAYS))
        if missing:
            out.append(t("ch15.graded.hint_late_missing", days=STOP_GRACE_DAYS))
        return out

    return set_result(pairs, truth, t("ch15.graded.late_stops_ok", n=len(truth)), hints)
