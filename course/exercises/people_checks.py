"""Self-checks of the chapter 15 data exercises, and the tolerant answer readers they use (any chapter may reuse them).

A check never raises for a learner's answer: whatever the type (None, a list, a Series, a DataFrame, a number), it
returns a CheckResult whose messages say in Japanese what is right, what is missing and what to try next.
"""

import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from html import escape

import numpy as np
import pandas as pd

from ..i18n import t

RATE_TOLERANCE = 0.006  # a rate rounded to two decimals (or a percentage to one decimal) still counts as right


@dataclass
class CheckResult:
    """ok: the answer is right; score: 0..1 (partial credit in graded work); messages: what to tell the learner."""

    ok: bool
    score: float
    messages: list[str] = field(default_factory=list)
    title: str = ""

    def __str__(self):
        head = f"{'✅' if self.ok else '⚠'} {self.title}".strip()
        return "\n".join([head, *(f"- {m}" for m in self.messages)])

    def __repr__(self):  # the plain-text view of a notebook output
        return str(self)

    def _repr_html_(self):
        colour, mark = ("#2e7d32", "✅") if self.ok else ("#b26a00", "⚠")
        items = "".join(f"<li>{escape(m)}</li>" for m in self.messages)
        return (f"<div style='border-left:4px solid {colour};padding:0.3em 0.8em;margin:0.3em 0'>"
                f"<b style='color:{colour}'>{mark} {escape(self.title)}</b>"
                f"<ul style='margin:0.3em 0'>{items}</ul></div>")

    def to_dict(self):
        return {"ok": self.ok, "score": self.score, "messages": list(self.messages), "title": self.title}


class AnswerError(Exception):
    """The answer cannot be read; the message says why, in Japanese (caught by the checks, never shown as a traceback)."""


def norm(value):
    """An identifier or label as the checks compare it: NFKC, no surrounding spaces."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _missing(value):
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _items(answer):
    """The elements of a list-like answer (list, tuple, set, Series, Index, array, or a string of items)."""
    if isinstance(answer, str):
        return [p for p in re.split(r"[,、，\s]+", answer) if p]
    if isinstance(answer, dict):
        raise AnswerError(t("ch15.check.dict_not_list"))
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset)):
        return list(answer)
    raise AnswerError(t("ch15.check.bad_type", kind=type(answer).__name__))


def read_ids(answer, columns):
    """A set of identifiers from an answer. A DataFrame must have one of `columns`; a Series of True/False is refused
    with a hint (it is a filter, not the answer)."""
    if answer is None:
        raise AnswerError(t("ch15.check.no_answer"))
    if isinstance(answer, pd.DataFrame):
        column = next((c for c in columns if c in answer.columns), None)
        if column is None:
            raise AnswerError(t("ch15.check.no_column", columns="、".join(columns)))
        answer = answer[column]
    if isinstance(answer, pd.Series) and pd.api.types.is_bool_dtype(answer.dtype):
        raise AnswerError(t("ch15.check.bool_series", column=columns[0]))
    ids = set()
    for item in _items(answer):
        if _missing(item):
            continue
        if isinstance(item, (list, tuple)) or isinstance(item, (bool, np.bool_)):
            raise AnswerError(t("ch15.check.bad_item", item=repr(item)[:40]))
        text = norm(item).upper()
        if text:
            ids.add(text)
    return ids


def read_pairs(answer, first, second, lookup=None):
    """A set of (first, second) pairs from a DataFrame with both columns, a list of 2-tuples, or (when `lookup` maps a
    single identifier to a pair, e.g. a user ID to (staff number, system)) a list of such identifiers."""
    if answer is None:
        raise AnswerError(t("ch15.check.no_answer"))
    if isinstance(answer, pd.DataFrame):
        if first in answer.columns and second in answer.columns:
            rows = zip(answer[first], answer[second])
        elif lookup is not None and lookup[0] in answer.columns:
            rows = answer[lookup[0]]
        else:
            raise AnswerError(t("ch15.check.no_column", columns=f"{first}、{second}"))
    else:
        rows = _items(answer)
    pairs = set()
    for row in rows:
        if isinstance(row, (list, tuple)) and len(row) == 2:
            if _missing(row[0]) or _missing(row[1]):
                pairs.add(("?", norm(row[1]) if not _missing(row[1]) else "?"))
                continue
            pairs.add((norm(row[0]).upper(), norm(row[1])))
        elif lookup is not None and not _missing(row) and not isinstance(row, (list, tuple, dict)):
            pair = lookup[1].get(norm(row).lower())
            if pair is None:
                raise AnswerError(t("ch15.check.unknown_id", item=norm(row)[:40]))
            pairs.add(pair)
        elif _missing(row):
            continue
        else:
            raise AnswerError(t("ch15.check.bad_item", item=repr(row)[:40]))
    return pairs


def _number(value):
    if isinstance(value, (bool, np.bool_)) or _missing(value):
        raise AnswerError(t("ch15.check.not_number", value=repr(value)[:40]))
    try:
        return float(value)
    except (TypeError, ValueError):
        raise AnswerError(t("ch15.check.not_number", value=repr(value)[:40])) from None


def read_rates(answer, key_column):
    """{label: rate 0..1} from a Series, a dict, or a DataFrame (one numeric column, or `key_column` and one numeric
    column). Percentages (values above 1.5) are read as percent."""
    if answer is None:
        raise AnswerError(t("ch15.check.no_answer"))
    if isinstance(answer, (list, tuple)) and not answer:
        return {}
    if isinstance(answer, pd.DataFrame):
        frame = answer.set_index(key_column) if key_column in answer.columns else answer
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])]
        if len(numeric) != 1:
            raise AnswerError(t("ch15.check.one_column", label=key_column))
        answer = frame[numeric[0]]
    if isinstance(answer, pd.Series):
        answer = dict(zip(answer.index, answer.values))
    if not isinstance(answer, dict):
        raise AnswerError(t("ch15.check.rates_type", label=key_column, kind=type(answer).__name__))
    rates = {norm(k): _number(v) for k, v in answer.items()}
    if rates and max(rates.values()) > 1.5:
        rates = {k: v / 100 for k, v in rates.items()}
    return rates


def read_table(answer, row_name, column_name):
    """A rates table {(row, column): rate} from a wide DataFrame (rows × columns, either way round), a Series with a
    two-level index, or a long DataFrame with the two key columns and one numeric column."""
    if answer is None:
        raise AnswerError(t("ch15.check.no_answer"))
    if isinstance(answer, (list, tuple)) and not answer:
        return {}
    if isinstance(answer, pd.Series):
        if answer.empty:
            return {}
        if answer.index.nlevels != 2:
            raise AnswerError(t("ch15.check.table_shape", rows=row_name, columns=column_name))
        names = list(answer.index.names)
        frame = answer.unstack()
        if names[0] == column_name:
            frame = frame.T
        answer = frame
    elif isinstance(answer, pd.DataFrame) and row_name in answer.columns and column_name in answer.columns:
        numeric = [c for c in answer.columns if c not in (row_name, column_name)
                   and pd.api.types.is_numeric_dtype(answer[c]) and not pd.api.types.is_bool_dtype(answer[c])]
        if len(numeric) != 1:
            raise AnswerError(t("ch15.check.table_shape", rows=row_name, columns=column_name))
        answer = answer.pivot_table(index=row_name, columns=column_name, values=numeric[0], aggfunc="first")
    if not isinstance(answer, pd.DataFrame):
        raise AnswerError(t("ch15.check.table_shape", rows=row_name, columns=column_name))
    table = {}
    for r in answer.index:
        for c in answer.columns:
            table[(norm(r), norm(c))] = _number(answer.loc[r, c])
    if table and max(table.values()) > 1.5:
        table = {k: v / 100 for k, v in table.items()}
    return table


def jaccard(answer, truth):
    union = answer | truth
    return len(answer & truth) / len(union) if union else 1.0


# -- running a learner's function (graded work) ------------------------------------------------------------------------

def run_answer(func, *frames):
    """Call a learner's function on copies of the frames: (value, None), or (None, a Japanese message) if it fails."""
    if not callable(func):
        return None, t("ch15.check.not_function", kind=type(func).__name__)
    try:
        with warnings.catch_warnings():  # a deprecation warning in the learner's pandas code is not an error
            warnings.simplefilter("ignore")
            return func(*(f.copy() for f in frames)), None
    except Exception as exc:  # the learner's code: any error becomes a message
        return None, t("ch15.check.function_failed", error=f"{type(exc).__name__}: {str(exc)[:200]}")


def check_function(check, func, data, *frames):
    """Run the learner's function on the frames of `data` and check what it returns against that data's truth."""
    value, problem = run_answer(func, *frames)
    if problem:
        return CheckResult(False, 0.0, [problem], t("ch15.check.title"))
    return check(value, data)


# -- chapter 15 checks ----------------------------------------------------------------------------------------------------

def guarded(title_key):
    """A check that turns an unreadable answer or any unexpected error into a result with a Japanese message."""
    def wrap(check):
        def run(answer, data=None):
            title = t(title_key)
            try:
                result = check(answer, data)
            except AnswerError as exc:
                return CheckResult(False, 0.0, [str(exc)], title)
            except Exception as exc:  # never a traceback for a learner's answer
                return CheckResult(False, 0.0, [t("exercise.check.unexpected", error=f"{type(exc).__name__}: {exc}")],
                                   title)
            result.title = title
            return result
        run.__name__, run.__doc__ = check.__name__, check.__doc__
        return run
    return wrap


def _dataset(data, kind, make):
    from .people_data import PUBLIC_SEED

    if data is None:
        return make(PUBLIC_SEED)
    if not isinstance(data, kind):
        raise AnswerError(t("ch15.check.bad_data", kind=kind.__name__))
    return data


def examples(values, names=None, limit=3):
    """A few of the values for a hint, as the data writes them (`names` maps a normalised form back)."""
    values = sorted(values)
    names = names or {}
    shown = "、".join(str(names.get(v, v)) for v in values[:limit])
    return shown + (t("exercise.check.and_more", n=len(values) - limit) if len(values) > limit else "")


def set_result(answer_set, truth, ok_message, hints, digits=None):
    """Compare two sets of identifiers; hints(missing, extra) adds the explanations; the score is the Jaccard index."""
    hits, missing, extra = answer_set & truth, truth - answer_set, answer_set - truth
    if not missing and not extra:
        return CheckResult(True, 1.0, [ok_message])
    messages = [t("exercise.check.set_summary", answered=len(answer_set), right=len(hits), missing=len(missing),
                  extra=len(extra))]
    messages += [h for h in hints(missing, extra) if h]
    score = jaccard(answer_set, truth)
    return CheckResult(False, score if digits is None else round(score, digits), messages)


@guarded("ch15.training.missed_title")
def check_missed_people(answer, data=None):
    """Who has not taken a required course (no record at all): a list of 社員番号."""
    from .people_data import TrainingData, training_records

    data = _dataset(data, TrainingData, training_records)
    truth = set(data.truth_missed_people)
    ids = read_ids(answer, ("社員番号",))
    if not ids:
        return CheckResult(False, 0.0, [t("ch15.check.empty")])
    staff_ids = set(data.staff["社員番号"])
    names = {norm(n).upper() for n in data.staff["氏名"]}
    if not ids & (staff_ids | set(data.records["社員番号"])) and ids & names:
        return CheckResult(False, 0.0, [t("ch15.check.names_not_ids")])
    merged = data.required.merge(data.records, on=["社員番号", "研修名"], how="left")
    on_time = merged["受講日"] <= merged["期限"]
    late_pairs = set(merged.loc[merged["受講日"].notna(), ["社員番号", "研修名"]].itertuples(index=False, name=None)) \
        - set(merged.loc[on_time, ["社員番号", "研修名"]].itertuples(index=False, name=None))
    late_people = {n for n, _ in late_pairs} - truth

    def hints(missing, extra):
        out = []
        left = extra & set(data.records["社員番号"]) - staff_ids
        if left:
            out.append(t("ch15.training.hint_leavers", examples=examples(left)))
        if extra & late_people:
            out.append(t("ch15.training.hint_late", examples=examples(extra & late_people)))
        unknown = extra - staff_ids - set(data.records["社員番号"])
        if unknown:
            out.append(t("ch15.check.unknown_ids", examples=examples(unknown)))
        done = extra - left - late_people - unknown
        if done:
            out.append(t("ch15.training.hint_done", examples=examples(done)))
        if any(m.startswith("H") for m in missing):
            out.append(t("ch15.training.hint_agency"))
        if missing:
            out.append(t("ch15.training.hint_missing"))
        return out

    return set_result(ids, truth, t("ch15.training.missed_ok", n=len(truth)), hints)


@guarded("ch15.training.rate_title")
def check_completion(answer, data=None):
    """Share of required training completed per department: {部署: 0..1} (a Series, dict or DataFrame)."""
    from .people_data import TrainingData, training_records

    data = _dataset(data, TrainingData, training_records)
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
    from .people_data import DrillData, phishing_drill

    data = _dataset(data, DrillData, phishing_drill)
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


@guarded("ch15.drill.follow_title")
def check_follow_up(answer, data=None):
    """The department that needs follow-up: the highest click rate in the last round."""
    from .people_data import DrillData, phishing_drill

    data = _dataset(data, DrillData, phishing_drill)
    if isinstance(answer, (list, tuple, pd.Series, pd.Index, np.ndarray)) and len(answer) == 1:
        answer = list(answer)[0]
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return CheckResult(False, 0.0, [t("ch15.check.empty")])
    if not isinstance(answer, str):
        return CheckResult(False, 0.0, [t("ch15.drill.follow_type", kind=type(answer).__name__)])
    departments = sorted(set(data.results["部署"]))
    given = norm(answer)
    if given not in departments and f"{given}部" in departments:
        given = f"{given}部"
    truth = data.truth_follow_up
    clicks = data.truth_click_rates
    last, first = clicks.index.max(), clicks.index.min()
    if given == truth:
        rate = clicks.loc[last, truth]
        return CheckResult(True, 1.0, [t("ch15.drill.follow_ok", department=truth, rate=f"{rate:.0%}")])
    if given not in departments:
        return CheckResult(False, 0.0, [t("ch15.drill.follow_unknown", answer=given[:30],
                                          departments="、".join(departments))])
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
    return ("ユーザーID", {norm(u).lower(): (("?", norm(s)) if _missing(n) else (norm(n).upper(), norm(s)))
                          for u, n, s in zip(data.accounts["ユーザーID"], data.accounts["社員番号"],
                                             data.accounts["システム"])})


@guarded("ch15.offboarding.accounts_title")
def check_open_accounts(answer, data=None):
    """Accounts of leavers still enabled: a DataFrame with 社員番号 and システム (or ユーザーID), or (社員番号, システム)
    pairs."""
    from .people_data import OffboardingData, offboarding_audit

    data = _dataset(data, OffboardingData, offboarding_audit)
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
    from .people_data import OffboardingData, offboarding_audit

    data = _dataset(data, OffboardingData, offboarding_audit)
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
