"""Charts of chapter 15, made for a manager to read: every one goes through course.plotting.figure (Japanese font).

Each chart function takes the learner's own answer. If the answer cannot be read yet, the chart says so inside the
figure (no traceback), so that a notebook runs top to bottom with empty answers.
"""

import re
import textwrap

import numpy as np

from ..catalog import get_control
from ..i18n import t
from ..plotting import figure
from .checks import AnswerError, read_ids, read_pairs, read_rates, read_table
from .people_data import settings

PHASE_KEYS = {"before_employment": "topic.before_employment", "during_employment": "topic.during_employment",
              "after_employment": "topic.after_employment"}
GOOD, WARN, BAD, GREY = "#2e7d32", "#ef6c00", "#c62828", "#9e9e9e"


def _note(ax, message):
    ax.set_axis_off()
    # matplotlib wraps only at spaces, so a Japanese message is broken by hand after 。 and 、 (26 characters a line)
    lines, line = [], ""
    for part in (p.strip() for p in re.split(r"(?<=[。、])", message)):
        if line and (line.endswith("。") or len(line) + len(part) > 26):
            lines.append(line)
            line = ""
        line += part
    lines = [piece for text in [*lines, line] for piece in textwrap.wrap(text, 26)]
    ax.text(0.5, 0.5, "\n".join(lines), ha="center", va="center", fontsize=11, color="#555", transform=ax.transAxes)


# -- the employment life cycle ------------------------------------------------------------------------------------------

def lifecycle_figure(lang="ja"):
    """The employment life cycle (before / during / after) with a bar for each people control (6.1–6.8)."""
    life = settings()["lifecycle"]
    bars = life["bars"]
    right = max(p["end"] for p in life["phases"])
    fig, ax = figure(figsize=(10, 5.6))
    top = len(bars)
    for phase in life["phases"]:
        ax.axvspan(phase["start"], phase["end"], color=phase["color"], zorder=0)
        ax.text((phase["start"] + phase["end"]) / 2, top - 0.2, t(PHASE_KEYS[phase["id"]], lang=lang),
                ha="center", va="bottom", fontsize=12, color="#333", zorder=3,
                bbox={"facecolor": phase["color"], "edgecolor": "none", "pad": 1})  # hides a milestone line
    for y, bar in enumerate(reversed(bars)):
        control = get_control(bar["control"])
        title = control.title_ja if lang == "ja" else control.title_en
        ax.barh(y + 0.12, bar["end"] - bar["start"], left=bar["start"], height=0.45, color="#5b7fa6", zorder=2)
        ax.text(bar["start"] + 0.08, y + 0.12, f"{control.number} {title}", va="center", ha="left", fontsize=9,
                color="white", zorder=3)
        ax.text(bar["start"] + 0.08, y - 0.3, bar[lang], va="center", ha="left", fontsize=8, color="#333", zorder=3)
    for m in life["milestones"]:
        ax.axvline(m["x"], color="#777", linestyle=":", linewidth=1, zorder=1)
        ax.text(m["x"], -0.75, m[lang], ha="center", va="top", fontsize=8, color="#444", zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})  # the line must not cross the label
    ax.set_xlim(-0.4, right)
    ax.set_ylim(-1.3, top + 0.5)
    ax.set_yticks([])
    ax.set_xticks([])
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(life["title"][lang], fontsize=13)
    return fig, ax


# -- (a) training -----------------------------------------------------------------------------------------------------------

def completion_chart(rates, target=0.95):
    """Completion rate per department as horizontal bars, lowest first, with the target as a line."""
    fig, ax = figure(figsize=(7, 3.8))
    try:
        values = read_rates(rates, "部署")
    except AnswerError as exc:
        values, message = {}, str(exc)
    else:
        message = t("ch15.chart.no_rates")
    if not values:
        _note(ax, message)
        return fig, ax
    items = sorted(values.items(), key=lambda kv: kv[1])
    names, numbers = [k for k, _ in items], [v for _, v in items]
    colours = [GOOD if v >= target else (WARN if v >= target - 0.15 else BAD) for v in numbers]
    ax.barh(names, numbers, color=colours)
    ax.axvline(target, color="#333", linestyle="--", linewidth=1, label=t("ch15.chart.target", rate=f"{target:.0%}"))
    for y, v in enumerate(numbers):
        ax.text(min(v, 1.0) + 0.01, y, f"{v:.1%}", va="center", fontsize=9, zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # readable over the target line
    ax.invert_yaxis()  # the lowest department on top
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    ax.set_xlim(0, 1.15)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.set_xlabel(t("ch15.chart.completion_axis"))
    ax.set_title(t("ch15.chart.completion_title"))
    return fig, ax


# -- (b) phishing drill -------------------------------------------------------------------------------------------------------

def drill_chart(click_rates, report_rates=None, highlight=None):
    """Click rate (left) and report rate (right) per round, one line per department; `highlight` is drawn bold."""
    fig, axes = figure(1, 2, figsize=(11, 4), sharex=True)
    panels = [(axes[0], click_rates, "ch15.chart.click_title"), (axes[1], report_rates, "ch15.chart.report_title")]
    for ax, answer, title in panels:
        if answer is None and title == "ch15.chart.report_title":
            _note(ax, t("ch15.chart.no_report"))
            continue
        try:
            table = read_table(answer, "回", "部署")
        except AnswerError as exc:
            _note(ax, str(exc))
            continue
        if not table:
            _note(ax, t("ch15.chart.no_rates"))
            continue
        if not all(r.isdigit() for r, _ in table) and all(c.isdigit() for _, c in table):
            table = {(c, r): v for (r, c), v in table.items()}  # departments were the rows: turn the table
        rounds = sorted({r for r, _ in table}, key=lambda r: (not r.isdigit(), int(r) if r.isdigit() else 0, r))
        departments = sorted({d for _, d in table})
        for d in departments:
            ys = [table.get((r, d), np.nan) for r in rounds]
            bold = highlight is not None and d == str(highlight)
            ax.plot(rounds, ys, marker="o", linewidth=3 if bold else 1.2, color=BAD if bold else None,
                    alpha=1 if (bold or highlight is None) else 0.55, label=d)
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
        ax.set_xlabel(t("ch15.chart.round_axis"))
        ax.set_title(t(title))
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=8, ncol=2)
    return fig, axes


# -- (c) offboarding audit ------------------------------------------------------------------------------------------------------

def offboarding_chart(open_accounts, unreturned, data):
    """For each leaver with something left over: accounts still enabled and assets not returned, with the days since
    the last working day. `data` is the OffboardingData the answers were computed from."""
    fig, ax = figure(figsize=(9, 4))
    try:
        lookup = ("ユーザーID", {u.lower(): (str(n).upper(), s) for u, n, s in
                                 zip(data.accounts["ユーザーID"], data.accounts["社員番号"].fillna("?"),
                                     data.accounts["システム"])})
        pairs = read_pairs(open_accounts, "社員番号", "システム", lookup=lookup)
        assets = read_ids(unreturned, ("資産番号",))
    except AnswerError as exc:
        _note(ax, str(exc))
        return fig, ax
    owner = dict(zip(data.assets["資産番号"].str.upper(), data.assets["貸与先"]))
    leavers = data.leavers.set_index("社員番号")
    involved = ({n for n, _ in pairs} | {owner.get(a, "?") for a in assets}) & set(leavers.index)
    people = sorted(involved, key=lambda n: (leavers.loc[n, "最終出社日"], n))
    if not people:
        _note(ax, t("ch15.chart.nothing_left"))
        return fig, ax
    accounts_n = [sum(1 for n, _ in pairs if n == p) for p in people]
    assets_n = [sum(1 for a in assets if owner.get(a) == p) for p in people]
    labels = [f"{leavers.loc[p, '氏名']}（{p}）" for p in people]
    y = np.arange(len(people))
    ax.barh(y - 0.2, accounts_n, height=0.4, color=BAD, label=t("ch15.chart.accounts_label"))
    ax.barh(y + 0.2, assets_n, height=0.4, color=WARN, label=t("ch15.chart.assets_label"))
    audit = data.accounts["最終ログイン日"].max()
    for i, p in enumerate(people):
        days = (audit - leavers.loc[p, "最終出社日"]).days
        ax.text(max(accounts_n[i], assets_n[i]) + 0.1, i, t("ch15.chart.days_since", days=days), va="center",
                fontsize=9, color="#333")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(accounts_n + assets_n) + 2)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(t("ch15.chart.count_axis"))
    ax.set_title(t("ch15.chart.offboarding_title"))
    ax.legend(loc="lower right", fontsize=9)
    return fig, ax
