"""Triage (ir_00): rank the morning's reports by criteria fixed in advance (JPCERT/CC インシデントハンドリングマニュアル:
検知/連絡受付 → トリアージ → インシデントレスポンス → 報告/情報公開).

    board = TriageBoard()          # restores answers/ir_triage.json; one rank drop-down per report
    board.selectors["R1"].value = 1
    board.check_button.click()     # explains, per report, whether it should come earlier or later, by the criteria
    check_triage({"R1": 1, ...})   # the same check without widgets (ranks, or a list of ids in order)

Reports of the same level may come in any order among themselves.
"""

import html
from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as W

from ..answers.form import AnswerForm
from ..errors import ContentError
from ..i18n import t
from ..theme import BORDER, TEXT
from . import content
from .checks import CheckResult, FieldResult
from .forms import show

KEY = "ir_triage"
KIND = "incident.triage"


@dataclass(frozen=True)
class Report:
    id: str
    received: str
    channel: str
    reporter: str
    title: str
    text: str
    level: int
    criteria: tuple
    why: str


@lru_cache(maxsize=None)
def triage_content():
    """(criteria {id: text}, levels {n: text}, [Report]) from triage.yaml, validated."""
    data = content.load("triage")
    path = content.path_of("triage")
    criteria = {c["id"]: content.text(c) for c in data.get("criteria", [])}
    levels = {int(k): content.text(v) for k, v in data.get("levels", {}).items()}
    reports = []
    for i, r in enumerate(data.get("reports", [])):
        for need in ("id", "received", "channel", "reporter", "title", "text", "level", "why"):
            if need not in r:
                raise ContentError(path, f"reports[{i}].{need}", "必須の項目がありません / required field is missing")
        if int(r["level"]) not in levels:
            raise ContentError(path, f"reports[{i}].level", "levels にない値です / not a defined level")
        unknown = [c for c in r.get("criteria", []) if c not in criteria]
        if unknown:
            raise ContentError(path, f"reports[{i}].criteria", f"未定義の基準 / unknown criteria {unknown}")
        reports.append(Report(str(r["id"]), str(r["received"]), r["channel"], r["reporter"], content.text(r["title"]),
                              content.text(r["text"]), int(r["level"]), tuple(r.get("criteria", [])),
                              content.text(r["why"])))
    if not 6 <= len(reports) <= 8 or len({r.id for r in reports}) != len(reports):
        raise ContentError(path, "reports", "6〜8 件の、ID が重複しない報告が必要です / need 6-8 reports with unique ids")
    return criteria, levels, reports


def reports():
    return triage_content()[2]


def _ranks_from(answer, ids):
    """{id: rank} from a dict of ranks or a list of ids in order; raises ValueError with a Japanese message."""
    if isinstance(answer, (list, tuple)):
        bad = [a for a in answer if a not in ids]
        if bad:
            raise ValueError(t("incident.triage.unknown_ids", ids=", ".join(map(str, bad))))
        return {rid: i + 1 for i, rid in enumerate(answer)}
    if isinstance(answer, dict):
        ranks = {}
        for rid, value in answer.items():
            if rid not in ids:
                raise ValueError(t("incident.triage.unknown_ids", ids=str(rid)))
            if value in (None, "", 0):
                continue
            try:
                ranks[rid] = int(str(value).strip())
            except ValueError as exc:
                raise ValueError(t("incident.triage.bad_rank", id=rid, value=repr(value))) from exc
        return ranks
    raise ValueError(t("incident.triage.bad_answer", got=type(answer).__name__))


def check_triage(answer):
    """A CheckResult with one field per report. Never raises for the learner's answer."""
    criteria, levels, items = triage_content()
    ids = [r.id for r in items]
    result = CheckResult(t("incident.triage.title"))
    try:
        ranks = _ranks_from(answer if answer is not None else {}, ids)
    except ValueError as exc:
        for r in items:
            result.fields[r.id] = FieldResult(r.id, r.title, "invalid", str(exc))
        return result
    counts = {}
    for rank in ranks.values():
        counts[rank] = counts.get(rank, 0) + 1
    for r in items:
        if r.id not in ranks:
            result.fields[r.id] = FieldResult(r.id, r.title, "missing", t("incident.triage.no_rank"))
            continue
        mine = ranks[r.id]
        if counts[mine] > 1:
            result.fields[r.id] = FieldResult(r.id, r.title, "invalid", t("incident.triage.duplicate", rank=mine))
            continue
        ranked = {o.id: o for o in items if o.id in ranks and o.id != r.id}
        later_but_more_urgent = [o for o in ranked.values() if o.level < r.level and ranks[o.id] > mine]
        earlier_but_less_urgent = [o for o in ranked.values() if o.level > r.level and ranks[o.id] < mine]
        why_criteria = "、".join(criteria[c] for c in r.criteria) or t("incident.triage.no_criteria")
        if not later_but_more_urgent and not earlier_but_less_urgent:
            result.fields[r.id] = FieldResult(r.id, r.title, "correct",
                                              t("incident.triage.right", level=levels[r.level], why=r.why), 1.0)
        elif earlier_but_less_urgent:
            result.fields[r.id] = FieldResult(r.id, r.title, "wrong",
                                              t("incident.triage.earlier", criteria=why_criteria))
        else:
            result.fields[r.id] = FieldResult(r.id, r.title, "wrong",
                                              t("incident.triage.later", criteria=why_criteria))
    return result


def model_ranking():
    """One model order (by level, then by the order received)."""
    return [r.id for r in sorted(reports(), key=lambda r: (r.level, r.received))]


class TriageBoard(AnswerForm):
    """One card and one rank drop-down per report; saved to answers/ir_triage.json on every change."""

    def __init__(self, store=None, **kwargs):
        super().__init__(store, KEY, KIND, **kwargs)
        criteria, levels, items = triage_content()
        choices = [(t("incident.triage.unranked"), 0)] + [(str(i), i) for i in range(1, len(items) + 1)]
        self.selectors = {}
        cards = []
        for r in items:
            dd = W.Dropdown(options=choices, value=0, description=t("incident.triage.rank"),
                            layout=W.Layout(width="12em"), style={"description_width": "4em"})
            self.selectors[r.id] = dd
            card = W.HTML(f"<div style='border:1px solid {BORDER};border-radius:4px;padding:4px 8px;width:46em;"
                          f"color:{TEXT}'>"
                          f"<b>{html.escape(r.id)}　{html.escape(r.title)}</b><br>"
                          f"<small>{html.escape(r.received)}　{html.escape(r.channel)}　{html.escape(r.reporter)}</small>"
                          f"<br>{html.escape(r.text)}</div>")
            cards.append(W.HBox([card, dd]))
        crit = "".join(f"<li>{html.escape(c)}</li>" for c in criteria.values())
        head = W.HTML(f"<h4>{t('incident.triage.title')}</h4><p>{t('incident.triage.criteria')}</p><ul>{crit}</ul>")
        self.check_button = W.Button(description=t("incident.form.check"), button_style="info")
        self.output = W.Output()
        self.children = [head, *cards, W.HBox([self.check_button, self.status]), self.messages, self.output]
        self.result = None
        self._open(self.selectors.values())
        self.check_button.on_click(lambda _b: self.check())

    def _read(self, data):
        ranks = data.get("ranks")
        return ranks if isinstance(ranks, dict) else {}

    def _show(self, saved):
        n = len(self.selectors)
        for rid, dd in self.selectors.items():
            value = saved.get(rid, 0)
            dd.value = value if isinstance(value, int) and 0 <= value <= n else 0

    def _data(self):
        return {"ranks": self.ranks}

    @property
    def ranks(self):
        return {rid: dd.value for rid, dd in self.selectors.items() if dd.value}

    def check(self):
        self.result = check_triage(self.ranks)
        self.output.outputs = ()
        show(self.output, self.result)
        return self.result
