"""The learner's overview (00_start, 99_export): progress over the whole course, and the display language.

    progress()           -> Progress: one table (drafts, SoA, incident answer sheets) and one chart (the 45 drafts by
                            self-check level), shown together in a notebook
    LanguageChoice()     -> 日本語 / English for the course's own texts, saved as answers/settings.json

Progress only reads answer records (AnswerStore.load_version): a bad file is reported as not started and left where it
is, for the form that owns it to set aside. The incident answer sheets are read as records of kind "incident.answers";
their questions are counted from content/incident/tasks.yaml (this module sits below course/incident and does not
import it).
"""

import base64
import io
from dataclasses import dataclass, field
from html import escape

from .answers.draft import Draft, DraftFormatError
from .answers.store import AnswerStore
from .catalog import catalog
from .i18n import LANGS, SETTINGS_KEY, current_lang, set_lang, t
from .soa import SOA_KEY, SOA_KIND, check_soa, default_numbers
from .theme import HEAD_CELL, CELL, TEXT
from .yamlio import CONTENT_DIR, read_yaml

DRAFT_KIND = "draft"              # course.drafting.drafts.DRAFT_KIND
INCIDENT_KIND = "incident.answers"  # course.incident.forms.KIND
LEVELS = ("good", "fair", "low", "none")  # self-check ≥ 0.8, 0.5–0.8, < 0.5, no draft
LEVEL_COLOURS = {"good": "#2e7d32", "fair": "#f9a825", "low": "#ef6c00", "none": "#9e9e9e"}


def level_of(score):
    """The self-check level of a draft's score (None: no draft yet)."""
    if score is None:
        return "none"
    return "good" if score >= 0.8 else "fair" if score >= 0.5 else "low"


def _record(store, key, kind):
    """The record of key, or None when there is none or it cannot be read (never moved: see the module note)."""
    path = store.path(key)
    return store.load_version(path, key, kind) if path.exists() else None


def draft_levels(store):
    """{control number: level} for all controls of the catalog, in Annex A order."""
    from .rubric.score import score_draft

    levels = {}
    for number in catalog():
        record = _record(store, number, DRAFT_KIND)
        score = None
        if record is not None:
            try:
                draft = Draft.from_dict(record.data)
            except (DraftFormatError, TypeError, ValueError):
                draft = None
            if draft is not None and draft.control == number and not draft.is_empty():
                score = score_draft(draft).score
        levels[number] = level_of(score)
    return levels


def incident_forms():
    """{form key: (title in the current language, number of questions)} from content/incident/tasks.yaml."""
    forms = read_yaml(CONTENT_DIR / "incident" / "tasks.yaml")["forms"]
    lang = current_lang()
    return {key: (form["title"][lang] if isinstance(form["title"], dict) else form["title"], len(form["fields"]))
            for key, form in forms.items()}


def _answered(value):
    return value not in (None, "", [], (), {}) and not (isinstance(value, str) and not value.strip())


@dataclass
class Row:
    area: str
    done: int
    total: int
    note: str = ""


@dataclass
class Progress:
    levels: dict                       # control number -> good | fair | low | none
    rows: list = field(default_factory=list)

    def level_counts(self):
        counts = dict.fromkeys(LEVELS, 0)
        for level in self.levels.values():
            counts[level] += 1
        return counts

    def table(self):
        """The table as a pandas DataFrame with the column names of the current language."""
        import pandas as pd

        return pd.DataFrame([(r.area, r.done, r.total, r.note) for r in self.rows],
                            columns=[t(f"progress.col.{c}") for c in ("area", "done", "total", "note")])

    def figure(self):
        """One horizontal stacked bar: the 45 controls by self-check level."""
        from .plotting import figure

        counts = self.level_counts()
        fig, ax = figure(figsize=(7, 1.9))
        left = 0
        for level in LEVELS:
            if counts[level]:
                ax.barh([0], [counts[level]], left=left, color=LEVEL_COLOURS[level],
                        label=f"{t('progress.level.' + level)} ({counts[level]})")
                left += counts[level]
        ax.set_xlim(0, max(len(self.levels), 1))
        ax.set_yticks([])
        ax.set_xlabel(t("progress.chart_count"))
        ax.set_title(t("progress.chart_title"))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=2, frameon=False, fontsize=8)
        return fig

    def text(self):
        return "\n".join(f"{r.area}: {r.done}/{r.total} {r.note}".rstrip() for r in self.rows)

    def __str__(self):
        return self.text()

    def _repr_html_(self):
        import matplotlib.pyplot as plt

        fig = self.figure()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, facecolor="white")
        plt.close(fig)
        image = base64.b64encode(buffer.getvalue()).decode("ascii")
        head = "".join(f"<th style='{HEAD_CELL}'>{escape(t(f'progress.col.{c}'))}</th>"
                       for c in ("area", "done", "total", "note"))
        body = "".join(f"<tr><td style='{CELL}'>{escape(r.area)}</td><td style='{CELL}'>{r.done}</td>"
                       f"<td style='{CELL}'>{r.total}</td><td style='{CELL}'>{escape(r.note)}</td></tr>"
                       for r in self.rows)
        return (f"<div style='color:{TEXT}'><h4>{escape(t('progress.title'))}</h4>"
                f"<table style='border-collapse:collapse'><tr>{head}</tr>{body}</table>"
                f"<img alt='{escape(t('progress.chart_title'))}' src='data:image/png;base64,{image}'></div>")


def progress(store=None):
    """Where the learner stands: drafts of all 45 controls, the statement of applicability, the incident sheets."""
    store = store or AnswerStore()
    levels = draft_levels(store)
    counts = dict.fromkeys(LEVELS, 0)
    for level in levels.values():
        counts[level] += 1
    drafted = len(levels) - counts["none"]
    rows = [Row(t("progress.drafts"), drafted, len(levels),
                ("、" if current_lang() == "ja" else ", ").join(f"{t('progress.level.' + level)} {counts[level]}"
                                                                   for level in LEVELS[:3]))]

    numbers = default_numbers()
    record = _record(store, SOA_KEY, SOA_KIND)
    if record is None:
        rows.append(Row(t("progress.soa"), 0, len(numbers), t("progress.not_started")))
    else:
        soa = check_soa(record.data, numbers)
        rows.append(Row(t("progress.soa"), len(numbers) - len(soa.undecided), len(numbers),
                        t("progress.soa_reasons", rejected=soa.rejected, missing=len(soa.missing_reason))))

    for key, (title, questions) in incident_forms().items():
        record = _record(store, key, INCIDENT_KIND)
        answers = record.data.get("answers") if record is not None else None
        answered = sum(_answered(v) for v in answers.values()) if isinstance(answers, dict) else 0
        rows.append(Row(f"{t('progress.incident')}: {title}", min(answered, questions), questions,
                        t("progress.incident_state", answered=answered) if record else t("progress.not_started")))
    return Progress(levels, rows)


class LanguageChoice:
    """日本語 / English for the course's texts: sets this kernel's language and saves the choice for every notebook
    (answers/settings.json, read by course.i18n). JupyterLab's own menus: Settings → Language."""

    def __init__(self, store=None):
        import ipywidgets as W

        self.store = store or AnswerStore()
        self.dropdown = W.Dropdown(options=[("日本語", "ja"), ("English", "en")], value=current_lang(),
                                   description=f"{t('language.label', lang='ja')} / {t('language.label', lang='en')}",
                                   style={"description_width": "initial"})
        self.status = W.HTML()
        self.widget = W.HBox([self.dropdown, self.status])
        self.dropdown.observe(lambda change: self.choose(change["new"]), names="value")

    def choose(self, lang):
        if lang not in LANGS:
            raise ValueError(lang)
        result = self.store.save(SETTINGS_KEY, "settings", {"lang": lang})
        set_lang(lang)
        message = t("language.saved") if result.ok else t("language.failed", reason=result.message)
        self.status.value = escape(message)
        return result

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
