"""Tabletop exercise (ir_06): injects arrive one after another; the learner's decisions drive a simple outcome model
(course/content/incident/tabletop.yaml, where every number and formula is written down), compared with the model
decisions, with the reasoning behind each.

    widget = TabletopWidget()               # restores answers/ir_tabletop.json; shows the injects revealed so far
    widget.decisions["first_report"].value = "isolate_now"
    widget.next_button.click()              # reveals the next inject (once the current one is answered)
    widget.result_button.click()            # outcome of your decisions vs. the model decisions, chart and reasons
    outcome({"first_report": "wait_vendor", ...})   # the model without widgets (deterministic)
"""

import html
from dataclasses import dataclass, field
from functools import lru_cache

import ipywidgets as W
from IPython.display import HTML

from ..answers.form import AnswerForm
from ..errors import ContentError
from ..i18n import t
from ..theme import ERROR, TEXT
from . import content
from .forms import ChoiceList, show

KEY = "ir_tabletop"
KIND = "incident.tabletop"
EFFECTS = ("delay_hours", "extra_hosts", "data_lost_days", "extra_downtime_days")
METRICS = ("hosts", "data_lost", "downtime")


@lru_cache(maxsize=None)
def tabletop_content():
    data = content.load("tabletop")
    path = content.path_of("tabletop")
    for key in ("model", "labels", "injects"):
        if key not in data:
            raise ContentError(path, key, "必須の項目がありません / required field is missing")
    for i, inj in enumerate(data["injects"]):
        if inj.get("kind") not in ("choice", "multi"):
            raise ContentError(path, f"injects[{i}].kind", "choice か multi / must be choice or multi")
        models = [o for o in inj.get("options", []) if o.get("model")]
        if inj["kind"] == "choice" and len(models) != 1:
            raise ContentError(path, f"injects[{i}].options", "模範の選択肢は 1 つ / exactly one model option")
        for j, o in enumerate(inj["options"]):
            bad = [k for k in {**o.get("effects", {}), **o.get("missing_effects", {})} if k not in EFFECTS]
            if bad:
                raise ContentError(path, f"injects[{i}].options[{j}].effects", f"未知の効果 / unknown effect {bad}")
    return data


def injects():
    return tabletop_content()["injects"]


def assumptions(lang="ja"):
    """The numbers of the outcome model, each with what it means (the table of assumptions in ir_06)."""
    import pandas as pd

    data = tabletop_content()
    labels = data.get("model_labels", {})
    names = [content.text(labels[k], lang) if k in labels else k for k in data["model"]]
    heading = ("仮定", "値") if lang == "ja" else ("Assumption", "Value")
    return pd.DataFrame({heading[1]: list(data["model"].values())}, index=pd.Index(names, name=heading[0]))


def model_decisions():
    """{inject id: model option id (or list of ids for multi)}."""
    out = {}
    for inj in injects():
        ids = [o["id"] for o in inj["options"] if o.get("model")]
        out[inj["id"]] = ids if inj["kind"] == "multi" else ids[0]
    return out


@dataclass
class Outcome:
    hosts: int
    data_lost: float
    downtime: float
    issues: list = field(default_factory=list)
    unanswered: list = field(default_factory=list)

    def as_dict(self):
        return {"hosts": self.hosts, "data_lost": self.data_lost, "downtime": self.downtime}


def decision_widget(inj):
    """The input for one inject's decision: check boxes for a multi choice, radio buttons for a single one."""
    labels = [(content.text(o), o["id"]) for o in inj["options"]]
    if inj["kind"] == "multi":
        return ChoiceList(labels)
    return W.RadioButtons(options=labels, value=None, layout=W.Layout(width="auto"))


def _chosen(inj, value):
    ids = {o["id"] for o in inj["options"]}
    if inj["kind"] == "multi":
        values = value if isinstance(value, (list, tuple, set)) else ([] if value in (None, "") else [value])
        return [v for v in values if v in ids]
    return value if value in ids else None


def outcome(decisions):
    """The outcome of a set of decisions {inject id: option id or list}. Unanswered injects count as the worst option
    (nothing decided is also a decision) and are listed in .unanswered. Never raises for the learner's answers."""
    data = tabletop_content()
    m = data["model"]
    decisions = decisions if isinstance(decisions, dict) else {}
    totals = dict.fromkeys(EFFECTS, 0.0)
    issues, unanswered = [], []

    def add(effects):
        for k, v in (effects or {}).items():
            totals[k] += float(v)

    for inj in data["injects"]:
        chosen = _chosen(inj, decisions.get(inj["id"]))
        if inj["kind"] == "choice":
            if chosen is None:
                unanswered.append(inj["id"])
                worst = max(inj["options"], key=lambda o: sum(float(v) for v in o.get("effects", {}).values()))
                chosen = worst["id"]
            o = next(o for o in inj["options"] if o["id"] == chosen)
            add(o.get("effects"))
            issues += [content.text(i) for i in o.get("issues", [])]
        else:
            if not chosen:
                unanswered.append(inj["id"])
            for o in inj["options"]:
                if o["id"] in chosen:
                    add(o.get("effects"))
                    issues += [content.text(i) for i in o.get("issues", [])]
                elif o.get("model"):
                    add(o.get("missing_effects"))
                    issues += [content.text(i) for i in o.get("missing_issues", [])]
    hosts = int(min(m["max_hosts"], m["base_hosts"] + m["spread_per_hour"] * totals["delay_hours"]
                    + totals["extra_hosts"]))
    data_lost = m["base_data_lost_days"] + totals["data_lost_days"]
    downtime = round(m["base_downtime_days"] + hosts / m["hosts_rebuilt_per_day"] + totals["extra_downtime_days"], 1)
    return Outcome(hosts, float(data_lost), float(downtime), issues, unanswered)


def reasons(decisions):
    """[(inject, your choice label(s), model label(s), agrees, why)] for the debrief."""
    out = []
    decisions = decisions if isinstance(decisions, dict) else {}
    for inj in injects():
        opts = {o["id"]: o for o in inj["options"]}
        chosen = _chosen(inj, decisions.get(inj["id"]))
        model = [o["id"] for o in inj["options"] if o.get("model")]
        if inj["kind"] == "multi":
            agrees = set(chosen) == set(model)
            mine = "、".join(content.text(opts[c]) for c in chosen) or t("incident.tabletop.none")
            why = " ".join(content.text(opts[c]["why"]) for c in model if c not in chosen)
            why += " ".join(content.text(opts[c]["why"]) for c in chosen if c not in model)
            why = why or " ".join(content.text(opts[c]["why"]) for c in model)
        else:
            agrees = chosen == model[0]
            mine = content.text(opts[chosen]) if chosen else t("incident.tabletop.none")
            why = content.text(opts[chosen]["why"]) if chosen else content.text(opts[model[0]]["why"])
            if chosen and not agrees:
                why += " " + content.text(opts[model[0]]["why"])
        out.append({"inject": inj["id"], "time": inj["time"], "question": content.text(inj["question"]),
                    "yours": mine, "model": "、".join(content.text(opts[c]) for c in model), "agrees": agrees,
                    "why": why})
    return out


class TabletopWidget(AnswerForm):
    """The exercise: injects appear one by one; every decision is saved; the result compares with the model."""

    def __init__(self, store=None, **kwargs):
        super().__init__(store, KEY, KIND, **kwargs)
        self.decisions = {}
        self.panels = []
        for inj in injects():
            widget = self.decisions[inj["id"]] = decision_widget(inj)
            card = W.HTML(f"<div style='border-left:4px solid {ERROR};padding:2px 8px;margin-top:8px;color:{TEXT}'>"
                          f"<b>{html.escape(inj['time'])}</b><br>{html.escape(content.text(inj['text']))}<br>"
                          f"<b>{html.escape(content.text(inj['question']))}</b></div>")
            self.panels.append(W.VBox([card, widget]))
        self.step = 1
        self.next_button = W.Button(description=t("incident.tabletop.next"), button_style="warning")
        self.result_button = W.Button(description=t("incident.tabletop.result"), button_style="info")
        self.output = W.Output()
        self.board = W.VBox()
        self.children = [self.board, W.HBox([self.next_button, self.result_button, self.status]), self.messages,
                         self.output]
        self.outcome = None
        self._render()
        self._open(self.decisions.values())
        self.next_button.on_click(lambda _b: self.next())
        self.result_button.on_click(lambda _b: self.show_result())

    def _read(self, data):
        decisions = data.get("decisions") if isinstance(data.get("decisions"), dict) else {}
        step = data.get("step")
        return decisions, step if isinstance(step, int) else 1

    def _show(self, value):
        decisions, step = value
        for inj in injects():
            chosen = _chosen(inj, decisions.get(inj["id"]))
            self.decisions[inj["id"]].value = tuple(chosen) if inj["kind"] == "multi" else chosen
        self.step = min(max(step, 1), len(self.panels))
        self._render()

    def _data(self):
        return {"decisions": self.value, "step": self.step}

    def _render(self):
        self.board.children = self.panels[: self.step]
        last = self.step >= len(self.panels)
        self.next_button.disabled = last
        self.result_button.disabled = not last

    @property
    def value(self):
        out = {}
        for inj in injects():
            v = self.decisions[inj["id"]].value
            out[inj["id"]] = list(v) if inj["kind"] == "multi" else v
        return out

    def next(self):
        current = injects()[self.step - 1]
        answered = self.decisions[current["id"]].value
        if not answered:
            self.output.outputs = ()
            self.output.append_stdout(t("incident.tabletop.answer_first") + "\n")
            return False
        if self.step < len(self.panels):
            self.step += 1
            self._render()
            self.save()
        self.output.outputs = ()
        return True

    def show_result(self):
        from .plots import tabletop_chart

        mine = outcome(self.value)
        model = outcome(model_decisions())
        self.outcome = mine
        out = self.output
        out.outputs = ()
        if mine.unanswered:
            out.append_stdout(t("incident.tabletop.unanswered", n=len(mine.unanswered)) + "\n")
        fig, _ax = tabletop_chart(mine, model)
        show(out, fig)
        import matplotlib.pyplot as plt

        plt.close(fig)
        if mine.issues:
            show(out, HTML("<b>" + t("incident.tabletop.issues") + "</b><ul>"
                                           + "".join(f"<li>{html.escape(i)}</li>" for i in mine.issues) + "</ul>"))
        rows = "".join(
            f"<tr><td>{html.escape(r['time'])}</td><td>{'✅' if r['agrees'] else '❌'} {html.escape(r['yours'])}</td>"
            f"<td>{html.escape(r['model'])}</td><td>{html.escape(r['why'])}</td></tr>" for r in reasons(self.value))
        show(out, HTML(
            f"<table><tr><th>{t('incident.tabletop.when')}</th><th>{t('incident.tabletop.yours')}</th>"
            f"<th>{t('incident.tabletop.model')}</th><th>{t('incident.tabletop.why')}</th></tr>{rows}</table>"))
        return mine
