"""Charts of the incident notebooks. All go through course.plotting.figure() (Japanese font); each returns (fig, ax)."""

import matplotlib.dates as mdates
import pandas as pd

from ..i18n import t
from ..plotting import figure
from . import content
from .clock import TZ

COLORS = {"clean": "#2e86c1", "dirty": "#c0392b", "failed": "#aab7b8", "you": "#e67e22", "model": "#27ae60"}


def _local(times):
    """tz-aware times -> naive Japan time (matplotlib then labels them as the clock on the wall)."""
    s = pd.Series(pd.to_datetime(times))
    if s.dt.tz is not None:
        s = s.dt.tz_convert(TZ).dt.tz_localize(None)
    return s


def events_per_hour(df, time_column="time", title="", label=""):
    """A bar per hour: how many rows the log has. A burst (mass renames, many failures) stands out."""
    fig, ax = figure(figsize=(10, 3.2))
    times = _local(df[time_column]) if len(df) else pd.Series([], dtype="datetime64[us]")
    counts = times.dt.floor("h").value_counts().sort_index()
    ax.bar(counts.index, counts.values, width=1 / 24, align="edge", color=COLORS["clean"])
    ax.set_title(title)
    ax.set_ylabel(label or t("incident.plot.count"))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%d\n%H:%M"))
    return fig, ax


def timeline_chart(timeline, title=None):
    """Events found by the learner (time, host, what): one row per host, a marker and a label per event."""
    fig, ax = figure(figsize=(11, 0.6 * max(3, timeline["host"].nunique()) + 1.5))
    if timeline.empty:
        ax.text(0.5, 0.5, t("incident.plot.no_events"), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig, ax
    hosts = list(dict.fromkeys(timeline.sort_values("time")["host"].astype(str)))
    y = {h: i for i, h in enumerate(hosts)}
    times = _local(timeline["time"])
    ys = [y[str(h)] for h in timeline["host"]]
    ax.scatter(times, ys, s=60, color=COLORS["dirty"], zorder=3)
    whats = list(timeline["what"].astype(str))
    placed = {}  # labels so far per host row: the labels of a row take turns above, below and higher above
    for i in sorted(range(len(whats)), key=lambda i: times.iloc[i]):
        k = placed[ys[i]] = placed.get(ys[i], -1) + 1
        ax.annotate(whats[i], (times.iloc[i], ys[i]), xytext=(6, (8, -14, 20)[k % 3]), textcoords="offset points",
                    fontsize=8)
    ax.set_yticks(range(len(hosts)))
    ax.set_yticklabels(hosts)
    ax.set_ylim(-0.7, len(hosts) - 0.3)
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%d\n%H:%M"))
    ax.set_title(title or t("incident.plot.timeline"))
    return fig, ax


def backup_chart(backups, encryption_start, retention=None):
    """Files changed per nightly backup: clean (before the encryption), encrypted copies, failures; and which copies
    NAS01 still keeps."""
    retention = retention or int(content.load("company")["backup"]["retention"])
    fig, ax = figure(figsize=(10, 3.6))
    e = pd.Timestamp(encryption_start)
    # each bar starts when its job started (the nightly run), so an encryption that began before a night's run
    # shows as the dashed line in the gap before that night's bar
    starts = _local(backups["start"])
    kept = set(backups[backups["status"] == "Success"].sort_values("end").tail(retention)["job_id"])
    for (_, row), x in zip(backups.iterrows(), starts):
        if row["status"] != "Success":
            color, height = COLORS["failed"], 1
        else:
            color, height = (COLORS["clean"] if row["end"] < e else COLORS["dirty"]), max(1, row["files_changed"])
        ax.bar(x, height, width=0.6, align="edge", color=color, edgecolor="black" if row["job_id"] in kept else color,
               linewidth=1.5 if row["job_id"] in kept else 0)
        ax.annotate(row["job_id"][-4:], (x + pd.Timedelta(days=0.3), height), ha="center", va="bottom", fontsize=7)
    ax.axvline(_local([e])[0], color="#333", linestyle="--", zorder=3)  # on top: visible even across a bar
    ax.set_yscale("log")
    ax.set_ylabel(t("incident.plot.files_changed"))
    ax.set_title(t("incident.plot.backups", retention=retention))
    from matplotlib.patches import Patch

    handles = [Patch(color=COLORS[k], label=t(f"incident.plot.backup_{k}")) for k in ("clean", "dirty", "failed")]
    ax.legend(handles=handles, loc="upper left", fontsize=8)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%d"))
    return fig, ax


def tabletop_chart(mine, model):
    """The three outcome numbers of the learner's decisions next to the model decisions."""
    labels = content.load("tabletop")["labels"]
    fig, axes = figure(1, 3, figsize=(10, 3.4))
    for ax, metric in zip(axes, ("hosts", "data_lost", "downtime")):
        values = [getattr(mine, metric), getattr(model, metric)]
        bars = ax.bar([t("incident.tabletop.you"), t("incident.tabletop.model_short")], values,
                      color=[COLORS["you"], COLORS["model"]])
        for bar, v in zip(bars, values):
            ax.annotate(f"{v:g}", (bar.get_x() + bar.get_width() / 2, v), ha="center", va="bottom")
        ax.set_title(content.text(labels[metric]))
        ax.set_ylim(0, max(values) * 1.25 + 1)
    fig.suptitle(t("incident.tabletop.chart_title"))
    return fig, axes


def bytes_by_destination(proxy, hosts=None, top=8):
    """Total bytes sent per outside destination (top N), in GB: large uploads stand out — legitimate ones too."""
    out = proxy[proxy["direction"] == "outbound"]
    if hosts is not None:
        out = out[out["src_host"].isin(list(hosts))]
    totals = out.groupby("dest_ip")["bytes_out"].sum().sort_values(ascending=False).head(top) / 1e9
    names = out.groupby("dest_ip")["dest_host"].first()
    fig, ax = figure(figsize=(9, 3.4))
    labels = [f"{ip}\n{names.get(ip) if isinstance(names.get(ip), str) else t('incident.plot.no_name')}"
              for ip in totals.index]
    ax.barh(labels[::-1], totals.values[::-1], color=COLORS["clean"])
    ax.set_xlabel("GB")
    ax.set_title(t("incident.plot.bytes"))
    return fig, ax


def lifecycle_chart():
    """The incident response life cycle of NIST SP 800-61 Rev. 2, with its loops, as a simple diagram."""
    fig, ax = figure(figsize=(9, 3.2))
    names = [t("incident.plot.phase_prepare"), t("incident.plot.phase_detect"), t("incident.plot.phase_contain"),
             t("incident.plot.phase_post")]
    xs = [0.11, 0.37, 0.63, 0.89]
    for x, name in zip(xs, names):
        ax.text(x, 0.55, name, ha="center", va="center", fontsize=11, transform=ax.transAxes,
                bbox={"boxstyle": "round,pad=0.6", "facecolor": "#eaf2f8", "edgecolor": COLORS["clean"]})
    arrow = {"arrowstyle": "->", "color": "#34495e", "lw": 1.5}
    for a, b in zip(xs, xs[1:]):
        ax.annotate("", xy=(b - 0.1, 0.55), xytext=(a + 0.1, 0.55), xycoords="axes fraction", arrowprops=arrow)
    ax.annotate("", xy=(xs[1], 0.72), xytext=(xs[2], 0.72), xycoords="axes fraction",
                arrowprops={**arrow, "connectionstyle": "arc3,rad=0.5"})
    ax.annotate("", xy=(xs[0], 0.38), xytext=(xs[3], 0.38), xycoords="axes fraction",
                arrowprops={**arrow, "connectionstyle": "arc3,rad=-0.15"})
    ax.text(0.5, 1.0, t("incident.plot.loop_detect"), ha="center", va="top", fontsize=9, transform=ax.transAxes)
    ax.text(0.5, -0.02, t("incident.plot.loop_lessons"), ha="center", va="bottom", fontsize=9, transform=ax.transAxes)
    ax.set_axis_off()
    ax.set_title(t("incident.plot.lifecycle"))
    return fig, ax
