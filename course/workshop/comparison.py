"""The instructor's comparison: every team's worksheet next to the model, phase by phase; the tabletop outcome of
each team's decisions; the key points (content/workshop/phases.yaml) each team covered, and those most teams missed.
With one worksheet it is the self-study comparison with the model.

    result = compare({"A": sheet_a, "B": sheet_b})    # sheets as worksheet.normalize returns them
    result.missed                                     # [MissedPoint] missed by at least half of the teams
"""

import io
from dataclasses import dataclass, field
from functools import lru_cache

from ..incident.tabletop import model_decisions, outcome, reasons
from ..rubric.text import normalize as normalize_text
from . import content


@dataclass
class MissedPoint:
    phase: dict        # the phase of phases.yaml
    point: dict        # the key point
    teams: list        # the teams that missed it
    total: int

    @property
    def count(self):
        return len(self.teams)


@dataclass
class Comparison:
    sheets: dict                       # team -> worksheet
    outcomes: dict                     # team -> tabletop Outcome
    model_outcome: object
    coverage: dict                     # team -> {phase id: {point id: bool}}
    missed: list = field(default_factory=list)

    @property
    def teams(self):
        return list(self.sheets)


@lru_cache(maxsize=None)
def _terms(phase_id, point_id):
    phase = next(p for p in content.phases() if p["id"] == phase_id)
    point = next(k for k in phase["key_points"] if k["id"] == point_id)
    return tuple(normalize_text(term) for term in point["terms"])


def coverage(sheet):
    """{phase id: {point id: covered}}: a point is covered when a field of its phase names one of its terms."""
    out = {}
    for phase in content.phases():
        text = normalize_text(" ".join(sheet["phases"][phase["id"]].values()))
        out[phase["id"]] = {k["id"]: any(term in text for term in _terms(phase["id"], k["id"]))
                            for k in phase["key_points"]}
    return out


def team_outcome(sheet):
    return outcome(sheet["decisions"])


def decision_rows(sheet):
    """The tabletop's reasons() for this worksheet's decisions: [{inject, time, question, yours, model, agrees, why}]."""
    return reasons(sheet["decisions"])


def compare(sheets):
    sheets = dict(sheets)
    covered = {team: coverage(sheet) for team, sheet in sheets.items()}
    missed = []
    total = len(sheets)
    for phase in content.phases():
        for point in phase["key_points"]:
            teams = [team for team in sheets if not covered[team][phase["id"]][point["id"]]]
            if total and teams and 2 * len(teams) >= total:
                missed.append(MissedPoint(phase, point, teams, total))
    missed.sort(key=lambda m: -m.count)  # stable: phases in order within the same count
    return Comparison(sheets, {team: team_outcome(s) for team, s in sheets.items()}, outcome(model_decisions()),
                      covered, missed)


# -- charts -----------------------------------------------------------------------------------------------------------

def outcomes_chart(named_outcomes, model):
    """The three outcome measures per team (bars) with the model's; named_outcomes: [(label, Outcome)]."""
    from ..incident.plots import COLORS
    from ..incident.tabletop import tabletop_content
    from ..plotting import figure

    labels = tabletop_content()["labels"]
    names = [name for name, _ in named_outcomes] + [_model_label()]
    outcomes = [o for _, o in named_outcomes] + [model]
    fig, axes = figure(1, 3, figsize=(11, 3.6))
    colours = [COLORS["you"]] * len(named_outcomes) + [COLORS["model"]]
    for ax, metric in zip(axes, ("hosts", "data_lost", "downtime")):
        values = [getattr(o, metric) for o in outcomes]
        bars = ax.bar(names, values, color=colours)
        for bar, v in zip(bars, values):
            ax.annotate(f"{v:g}", (bar.get_x() + bar.get_width() / 2, v), ha="center", va="bottom", fontsize=9)
        ax.set_title(content.text(labels[metric]))
        ax.set_ylim(0, max(values) * 1.25 + 1)
        ax.tick_params(axis="x", labelsize=9)
    return fig, axes


def _model_label():
    from ..i18n import t

    return t("workshop.model")


def png(fig):
    """A matplotlib figure as PNG bytes (closed afterwards)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    plt.close(fig)
    return buffer.getvalue()


def team_chart_png(sheet):
    """The team's outcome next to the model (the chart of the tabletop exercise) as PNG bytes."""
    from ..incident.plots import tabletop_chart

    fig, _ax = tabletop_chart(team_outcome(sheet), outcome(model_decisions()))
    return png(fig)


def comparison_chart_png(result):
    fig, _ax = outcomes_chart(list(result.outcomes.items()), result.model_outcome)
    return png(fig)
