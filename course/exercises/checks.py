"""The answer checks of the chapter exercises (chapter modules people_checks.py and org_checks.py hold only their
questions): tolerant readers of a learner's answer, CheckResult, and the wrapper that never lets a check raise.

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


def is_missing(value):
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _items(answer):
    """The elements of a list-like answer (list, tuple, set, Series, Index, array, or a string of items)."""
    if isinstance(answer, str):
        return [p for p in re.split(r"[,、，\s]+", answer) if p]
    if isinstance(answer, dict):
        raise AnswerError(t("exercise.check.dict_not_list"))
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset)):
        return list(answer)
    raise AnswerError(t("exercise.check.bad_type", kind=type(answer).__name__))


def read_ids(answer, columns):
    """A set of identifiers from an answer. A DataFrame must have one of `columns`; a Series of True/False is refused
    with a hint (it is a filter, not the answer)."""
    if answer is None:
        raise AnswerError(t("exercise.check.no_answer"))
    if isinstance(answer, pd.DataFrame):
        column = next((c for c in columns if c in answer.columns), None)
        if column is None:
            raise AnswerError(t("exercise.check.no_column", columns="、".join(columns)))
        answer = answer[column]
    if isinstance(answer, pd.Series) and pd.api.types.is_bool_dtype(answer.dtype):
        raise AnswerError(t("exercise.check.bool_series", column=columns[0]))
    ids = set()
    for item in _items(answer):
        if is_missing(item):
            continue
        if isinstance(item, (list, tuple)) or isinstance(item, (bool, np.bool_)):
            raise AnswerError(t("exercise.check.bad_item", item=repr(item)[:40]))
        text = norm(item).upper()
        if text:
            ids.add(text)
    return ids


def read_pairs(answer, first, second, lookup=None):
    """A set of (first, second) pairs from a DataFrame with both columns, a list of 2-tuples, or (when `lookup` maps a
    single identifier to a pair, e.g. a user ID to (staff number, system)) a list of such identifiers."""
    if answer is None:
        raise AnswerError(t("exercise.check.no_answer"))
    if isinstance(answer, pd.DataFrame):
        if first in answer.columns and second in answer.columns:
            rows = zip(answer[first], answer[second])
        elif lookup is not None and lookup[0] in answer.columns:
            rows = answer[lookup[0]]
        else:
            raise AnswerError(t("exercise.check.no_column", columns=f"{first}、{second}"))
    else:
        rows = _items(answer)
    pairs = set()
    for row in rows:
        if isinstance(row, (list, tuple)) and len(row) == 2:
            if is_missing(row[0]) or is_missing(row[1]):
                pairs.add(("?", norm(row[1]) if not is_missing(row[1]) else "?"))
                continue
            pairs.add((norm(row[0]).upper(), norm(row[1])))
        elif lookup is not None and not is_missing(row) and not isinstance(row, (list, tuple, dict)):
            pair = lookup[1].get(norm(row).lower())
            if pair is None:
                raise AnswerError(t("exercise.check.unknown_id", item=norm(row)[:40]))
            pairs.add(pair)
        elif is_missing(row):
            continue
        else:
            raise AnswerError(t("exercise.check.bad_item", item=repr(row)[:40]))
    return pairs


def _number(value):
    if isinstance(value, (bool, np.bool_)) or is_missing(value):
        raise AnswerError(t("exercise.check.not_number", value=repr(value)[:40]))
    try:
        return float(value)
    except (TypeError, ValueError):
        raise AnswerError(t("exercise.check.not_number", value=repr(value)[:40])) from None


def read_rates(answer, key_column):
    """{label: rate 0..1} from a Series, a dict, or a DataFrame (one numeric column, or `key_column` and one numeric
    column). Percentages (values above 1.5) are read as percent."""
    if answer is None:
        raise AnswerError(t("exercise.check.no_answer"))
    if isinstance(answer, (list, tuple)) and not answer:
        return {}
    if isinstance(answer, pd.DataFrame):
        frame = answer.set_index(key_column) if key_column in answer.columns else answer
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])]
        if len(numeric) != 1:
            raise AnswerError(t("exercise.check.one_column", label=key_column))
        answer = frame[numeric[0]]
    if isinstance(answer, pd.Series):
        answer = dict(zip(answer.index, answer.values))
    if not isinstance(answer, dict):
        raise AnswerError(t("exercise.check.rates_type", label=key_column, kind=type(answer).__name__))
    rates = {norm(k): _number(v) for k, v in answer.items()}
    if rates and max(rates.values()) > 1.5:
        rates = {k: v / 100 for k, v in rates.items()}
    return rates


def read_table(answer, row_name, column_name):
    """A rates table {(row, column): rate} from a wide DataFrame (rows × columns, either way round), a Series with a
    two-level index, or a long DataFrame with the two key columns and one numeric column."""
    if answer is None:
        raise AnswerError(t("exercise.check.no_answer"))
    if isinstance(answer, (list, tuple)) and not answer:
        return {}
    if isinstance(answer, pd.Series):
        if answer.empty:
            return {}
        if answer.index.nlevels != 2:
            raise AnswerError(t("exercise.check.table_shape", rows=row_name, columns=column_name))
        names = list(answer.index.names)
        frame = answer.unstack()
        if names[0] == column_name:
            frame = frame.T
        answer = frame
    elif isinstance(answer, pd.DataFrame) and row_name in answer.columns and column_name in answer.columns:
        numeric = [c for c in answer.columns if c not in (row_name, column_name)
                   and pd.api.types.is_numeric_dtype(answer[c]) and not pd.api.types.is_bool_dtype(answer[c])]
        if len(numeric) != 1:
            raise AnswerError(t("exercise.check.table_shape", rows=row_name, columns=column_name))
        answer = answer.pivot_table(index=row_name, columns=column_name, values=numeric[0], aggfunc="first")
    if not isinstance(answer, pd.DataFrame):
        raise AnswerError(t("exercise.check.table_shape", rows=row_name, columns=column_name))
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
        return None, t("exercise.check.not_function", kind=type(func).__name__)
    try:
        with warnings.catch_warnings():  # a deprecation warning in the learner's pandas code is not an error
            warnings.simplefilter("ignore")
            return func(*(f.copy() for f in frames)), None
    except Exception as exc:  # the learner's code: any error becomes a message
        return None, t("exercise.check.function_failed", error=f"{type(exc).__name__}: {str(exc)[:200]}")


def check_function(check, func, data, *frames):
    """Run the learner's function on the frames of `data` and check what it returns against that data's truth."""
    value, problem = run_answer(func, *frames)
    if problem:
        return CheckResult(False, 0.0, [problem], t("exercise.check.title"))
    return check(value, data)


# -- the frame of every check ------------------------------------------------------------------------------------------

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


def exercise_data(data, kind, make):
    """The dataset a check compares with: `make()` (the lessons' data) when none is given, else `data` if it is a
    `kind` (graded work passes the data of a hidden seed)."""
    if data is None:
        return make()
    if not isinstance(data, kind):
        raise AnswerError(t("exercise.check.bad_data", kind=kind.__name__))
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


def explain(items, reasons, names=None):
    """Hints about wrong items: each item goes to the first reason whose test it passes, and every reason with items
    becomes its message with a few of them as examples. reasons: [(message key, test(item) -> bool)]."""
    groups = {key: set() for key, _ in reasons}
    for item in items:
        key = next((key for key, test in reasons if test(item)), None)
        if key is not None:
            groups[key].add(item)
    return [t(key, examples=examples(found, names)) for key, found in groups.items() if found]


def checked(check, answer, problem, data):
    """What check_function gives, from a function's result already computed elsewhere: answer and problem are
    run_answer's (value, message) from the learner's kernel, rebuilt as plain data (course/answers/plain.py)."""
    if problem:
        return CheckResult(False, 0.0, [str(problem)], t("exercise.check.title"))
    return check(answer, data)
