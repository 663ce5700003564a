"""A visible timer for the agreed format (content/workshop/format.yaml: 5 min introduction, 90 min discussion,
40 min presentations). The ▶ button (ipywidgets Play) counts seconds in the browser, so it needs no thread in the
kernel; the bar follows it in the browser, and the text (stage, time left, next inject) is updated by the kernel.

    AgendaTimer()                  # in the notebook
    stage_at(30 * 60)              # (stage, seconds left in it) without widgets
"""

import html

import ipywidgets as W

from ..i18n import t
from . import content


def total_seconds():
    return sum(int(s["minutes"]) * 60 for s in content.stages())


def stage_at(seconds):
    """(stage, seconds left in that stage) at `seconds` after the start; (None, 0) after the end."""
    start = 0
    for stage in content.stages():
        end = start + int(stage["minutes"]) * 60
        if seconds < end:
            return stage, end - max(seconds, start)
        start = end
    return None, 0


def discussion_start():
    """Seconds from the start of the workshop to the start of the discussion."""
    start = 0
    for stage in content.stages():
        if stage["id"] == "discussion":
            return start
        start += int(stage["minutes"]) * 60
    return 0


def next_inject(seconds):
    """The next inject to release at `seconds` after the start (None when all are out or the discussion is over)."""
    minute = (seconds - discussion_start()) / 60
    stage, _left = stage_at(seconds)
    if stage is None or stage["id"] not in ("intro", "discussion"):
        return None
    return next((inj for inj in content.injects() if inj["release"] > minute), None)


def _clock(seconds):
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def describe(seconds):
    stage, left = stage_at(seconds)
    if stage is None:
        return t("workshop.timer.done")
    text = t("workshop.timer.now", stage=stage["ja"], minutes=stage["minutes"], left=_clock(left))
    upcoming = next_inject(seconds)
    if upcoming:
        text += "　" + t("workshop.timer.next_inject", time=upcoming["time"], minutes=upcoming["release"])
    return text


class AgendaTimer(W.VBox):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        total = total_seconds()
        self.play = W.Play(value=0, min=0, max=total, step=1, interval=1000, show_repeat=False)
        self.bar = W.IntProgress(value=0, min=0, max=total, layout=W.Layout(width="60%"))
        W.jslink((self.play, "value"), (self.bar, "value"))
        plan = "　→　".join(f"{s['ja']} {s['minutes']} 分" for s in content.stages())
        self.label = W.HTML()
        self.children = [W.HTML(f"<b>{html.escape(t('workshop.timer.title'))}</b>：{html.escape(plan)}"
                                f"（{html.escape(t('workshop.timer.start'))}）"),
                         W.HBox([self.play, self.bar]), self.label]
        self.play.observe(self._tick, names="value")
        self._tick()

    def _tick(self, change=None):
        self.label.value = f"<span style='font-size:1.2em'>{html.escape(describe(self.play.value))}</span>"
