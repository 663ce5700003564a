"""Charts of chapter 14, drawn with course.plotting.figure (Japanese font): each one answers a manager's question.

Every chart takes the learner's findings (lists of identifiers, as in the self-checks) and never raises for an empty
or unreadable answer: it then says on the chart what is missing. Each function returns the matplotlib Figure.
"""

from functools import lru_cache

import pandas as pd

from ..i18n import t
from ..plotting import figure
from ..yamlio import CONTENT_DIR, read_yaml
from .checks import AnswerError, read_ids
from .org_data import rule_labels

OVERVIEW_FILE = CONTENT_DIR / "exercises" / "org_overview.yaml"
RED, ORANGE, BLUE, GREY, GREEN = "#c62828", "#ef8f00", "#1565c0", "#9e9e9e", "#2e7d32"


@lru_cache(maxsize=1)
def overview():
    """org_overview.yaml: Annex A themes and the three layers."""
    return read_yaml(OVERVIEW_FILE)


def _ids(answer, columns):
    """The identifiers of an answer, or an empty set when there is none or it cannot be read (the self-check says why)."""
    try:
        return read_ids(answer, columns) if answer is not None else set()
    except AnswerError:
        return set()


def _note(ax, text):
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, color="#555", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _jdate(day, with_day=True):
    return f"{day.year}年{day.month}月{day.day}日" if with_day else f"{day.year}年{day.month}月"


def _bar_labels(ax, bars, fmt="{:.0f}"):
    """The value at the end of each bar; whole-number ticks on the value axis."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for bar in bars:
        width = bar.get_width()
        if width:
            ax.text(width, bar.get_y() + bar.get_height() / 2, " " + fmt.format(width), va="center", fontsize=9)


# -- overview -----------------------------------------------------------------------------------------------------------

def annex_a_chart():
    """Annex A of ISO/IEC 27001:2022: controls per theme, the themes of this course highlighted."""
    data = overview()["annex_a"]
    themes = data["themes"]
    fig, ax = figure(figsize=(7, 3.2))
    labels = [f"{th['clause']}. {th['ja']}" for th in themes][::-1]
    counts = [th["count"] for th in themes][::-1]
    colours = [BLUE if th["in_course"] else GREY for th in themes][::-1]
    bars = ax.barh(labels, counts, color=colours)
    _bar_labels(ax, bars, "{:.0f} 件")
    ax.set_xlim(0, max(counts) * 1.25)
    ax.set_xlabel(t("ch14.chart.controls"))
    ax.set_title(t("ch14.chart.annex_a_title", total=data["total"]))
    ax.legend(handles=[bars[-1], bars[0]], labels=[t("ch14.chart.in_course"), t("ch14.chart.not_in_course")],
              loc="center right", fontsize=8)
    fig.text(0.01, 0.01, data["source"]["ja"], fontsize=7, color="#555")
    return fig


def layers_figure():
    """The three layers 基本方針 → 対策基準 → 実施手順, with what each says and an example."""
    layers = overview()["layers"]
    items = layers["items"]
    fig, ax = figure(figsize=(8, 3.6))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, len(items) * 1.2)
    ax.axis("off")
    shades = ["#0d47a1", "#1976d2", "#64b5f6"]
    for i, item in enumerate(items):
        y = (len(items) - 1 - i) * 1.2 + 0.1
        width = 3.2 + i * 1.1
        ax.add_patch(_box(5 - width / 2, y, width, 1.0, shades[i % len(shades)]))
        ax.text(5, y + 0.62, item["ja"], ha="center", va="center", color="white", fontsize=13)
        ax.text(5, y + 0.28, item["what"]["ja"], ha="center", va="center", color="white", fontsize=8)
        ax.text(5 + width / 2 + 0.15, y + 0.5, item["example"]["ja"], ha="left", va="center", fontsize=7.5,
                color="#333", wrap=True)
    ax.set_title(t("ch14.chart.layers_title"))
    fig.text(0.01, 0.01, layers["source"]["ja"], fontsize=7, color="#555")
    return fig


def _box(x, y, w, h, colour):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02", facecolor=colour, edgecolor="white")


# -- (a) access-rights review -------------------------------------------------------------------------------------------

def plot_access_review(data, leavers_active=None, shared=None, conflicts=None):
    """Left: how many findings of each kind. Right: for each leaver's account still open, days since the last day."""
    fig, (left, right) = figure(1, 2, figsize=(10, 3.8), width_ratios=[1, 1.3])
    accounts = {str(a).upper(): a for a in data.accounts["アカウントID"]}
    found = {
        t("ch14.chart.kind_leavers"): _ids(leavers_active, ("アカウントID",)) & set(accounts),
        t("ch14.chart.kind_shared"): _ids(shared, ("アカウントID",)) & set(accounts),
        t("ch14.chart.kind_conflicts"): _ids(conflicts, ("社員番号",)) & set(data.people["社員番号"].str.upper()),
    }
    if not any(found.values()):
        _note(left, t("ch14.chart.no_answer"))
        _note(right, t("ch14.chart.no_answer"))
        fig.suptitle(t("ch14.chart.access_title", date=_jdate(data.audit_date)))
        return fig
    names = list(found)[::-1]
    bars = left.barh(names, [len(found[n]) for n in names], color=[ORANGE, ORANGE, RED])
    _bar_labels(left, bars, "{:.0f} 件")
    left.set_xlim(0, max(len(v) for v in found.values()) * 1.3 + 1)
    left.set_title(t("ch14.chart.access_counts"))
    left.set_xlabel(t("ch14.chart.count"))

    chosen = [accounts[i] for i in found[t("ch14.chart.kind_leavers")]]
    table = data.accounts.loc[data.accounts["アカウントID"].isin(chosen)].merge(
        data.people[["社員番号", "氏名", "退職日"]], on="社員番号", how="left")
    table = table.loc[table["退職日"].notna()].copy()
    if table.empty:
        _note(right, t("ch14.chart.no_leavers"))
    else:
        table["日数"] = (data.audit_date - table["退職日"]).dt.days
        table["ラベル"] = table["氏名"] + "（" + table["システム"] + "）"
        table = table.sort_values("日数")
        bars = right.barh(table["ラベル"], table["日数"], color=RED)
        _bar_labels(right, bars, "{:.0f} 日")
        right.set_xlim(0, table["日数"].max() * 1.25)
        right.set_xlabel(t("ch14.chart.days_since"))
        right.tick_params(axis="y", labelsize=8)
    right.set_title(t("ch14.chart.leavers_days"))
    fig.suptitle(t("ch14.chart.access_title", date=_jdate(data.audit_date)))
    return fig


# -- (b) labels ---------------------------------------------------------------------------------------------------------

def plot_labels(data, mislabelled=None):
    """Wrong labels per department: too weak (protects less than the class needs) and too strict."""
    fig, ax = figure(figsize=(7, 3.6))
    ids = _ids(mislabelled, ("資産ID",))
    rows = data.assets.assign(_id=data.assets["資産ID"].str.upper())
    chosen = rows.loc[rows["_id"].isin(ids)].copy()
    ax.set_title(t("ch14.chart.labels_title"))
    if chosen.empty:
        _note(ax, t("ch14.chart.no_answer"))
        return fig
    chosen["向き"] = [data.direction(i) or "fine" for i in chosen["資産ID"]]
    counts = pd.crosstab(chosen["部署"], chosen["向き"]).reindex(columns=["low", "high", "fine"], fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values().index]
    left = pd.Series(0, index=counts.index)
    for kind, colour in (("low", RED), ("high", ORANGE), ("fine", GREY)):
        if counts[kind].sum():
            ax.barh(counts.index, counts[kind], left=left, color=colour, label=t(f"ch14.chart.label_{kind}"))
            left = left + counts[kind]
    ax.set_xlabel(t("ch14.chart.count"))
    ax.set_xlim(0, left.max() + 1)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8, loc="lower right")
    return fig


# -- (c) information transfer ----------------------------------------------------------------------------------------------

def plot_transfers(data, violations=None):
    """Transfers that broke a rule: per rule, and per department."""
    fig, (left, right) = figure(1, 2, figsize=(10, 3.8), width_ratios=[1.3, 1])
    ids = _ids(violations, ("記録ID",))
    by_rule = {r: {i.upper() for i in v} for r, v in data.truth_by_rule.items()}
    labels = rule_labels()
    fig.suptitle(t("ch14.chart.transfer_title", month=_jdate(data.log["日時"].min(), with_day=False)))
    known = set(data.log["記録ID"].str.upper())
    ids &= known
    if not ids:
        _note(left, t("ch14.chart.no_answer"))
        _note(right, t("ch14.chart.no_answer"))
        return fig
    counts = {f"{r} {labels[r]}": len(ids & v) for r, v in by_rule.items()}
    other = len(ids - set().union(*by_rule.values()))
    if other:
        counts[t("ch14.chart.no_rule")] = other
    names = list(counts)[::-1]
    bars = left.barh(names, [counts[n] for n in names],
                     color=[GREY if n == t("ch14.chart.no_rule") else RED for n in names])
    _bar_labels(left, bars, "{:.0f} 件")
    left.set_xlim(0, max(counts.values()) * 1.3 + 0.5)
    left.set_xlabel(t("ch14.chart.count"))
    left.tick_params(axis="y", labelsize=8)
    left.set_title(t("ch14.chart.by_rule"))

    rows = data.log.loc[data.log["記録ID"].str.upper().isin(ids)]
    per_dept = rows["部署"].value_counts().sort_values()
    bars = right.barh(per_dept.index, per_dept.values, color=BLUE)
    _bar_labels(right, bars, "{:.0f} 件")
    right.set_xlim(0, per_dept.max() * 1.3 + 0.5)
    right.set_xlabel(t("ch14.chart.count"))
    right.set_title(t("ch14.chart.by_department"))
    return fig


__all__ = ["annex_a_chart", "layers_figure", "plot_access_review", "plot_labels", "plot_transfers"]
