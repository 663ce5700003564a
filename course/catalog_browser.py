"""A browser for the control catalog: search by keyword, filter by theme and topic, read a control's purpose, model
standard sentences and procedure outline (fitted to the company profile), and open its drafting Workbench.

    browser = CatalogBrowser()                     # every control of the catalog
    browser = CatalogBrowser(numbers=catalog_only_numbers())   # e.g. the controls without a lesson of their own

Controls whose model the course never shows (content/hidden_models.yaml) show the rubric's points and reasons instead
of the model, and their model text is not searched either.

Search compares normalised text (course/rubric/text.normalize: full-width/half-width, okurigana, long marks), so that
「ﾊﾟｽﾜｰﾄﾞ」 finds パスワード and 「取扱い」 finds 取り扱い. Every word of the query must appear (AND).
"""

from html import escape

import ipywidgets as W

from .catalog import THEMES, catalog, model_hidden
from .drafting.fit import model_draft
from .answers.draft import STEP_FIELDS
from .answers.store import AnswerStore
from .drafting.widgets import Workbench, reasons_html
from .errors import CourseError
from .i18n import t
from .profile import load_profile
from .rubric.text import normalize
from .theme import CELL, HEAD_CELL, INFO, MUTED, WARN, icon

ALL = ""


def _search_text(control):
    """Everything a search may hit: number, titles, purpose, topic, model statements and steps."""
    parts = [control.number, control.title_ja, control.title_en, control.purpose_ja, control.purpose_en,
             t(f"topic.{control.topic}"), THEMES[control.theme][0]]
    if control.model is not None and not model_hidden(control):
        m = control.model
        parts += [m.purpose, m.scope, *m.statements, *m.related]
        parts += [getattr(s, f) for s in m.steps for f in STEP_FIELDS]
        parts += [c.statement for c in m.profile_clauses]
    return normalize(" ".join(parts).lower())


def search(query="", theme=ALL, topic=ALL, numbers=None):
    """Numbers of the controls matching every word of `query`, the theme and the topic, in Annex A order."""
    pool = [c for c in catalog().values() if numbers is None or c.number in numbers]
    words = [normalize(w.lower()) for w in str(query or "").replace("　", " ").split()]
    out = []
    for c in pool:
        if theme and c.theme != theme:
            continue
        if topic and c.topic != topic:
            continue
        text = _search_text(c)
        if all(w in text for w in words):
            out.append(c.number)
    return out


def detail_html(control, profile):
    """The purpose, model standard sentences and procedure outline of one control, as escaped HTML (for a control whose
    model is hidden, the rubric's points and reasons instead)."""
    e = escape
    c = control
    parts = [f"<h3 style='margin-bottom:0'>{e(c.number)} {e(c.display_title)}</h3>",
             f"<div style='color:{MUTED}'>{e(c.title_en)} ・ {e(THEMES[c.theme][0])} ・ {e(t('topic.' + c.topic))}</div>",
             f"<p><b>{e(t('ch14.browser.purpose'))}</b>: {e(c.purpose_ja)}<br>"
             f"<small style='color:{MUTED}'>{e(c.purpose_en)}</small></p>"]
    if not c.verified:
        parts.append(f"<p><small>{icon('⚠', WARN)} {e(t('ch14.browser.unverified'))}</small></p>")
    if model_hidden(c):
        parts.append(reasons_html(c))
        return "".join(parts)
    if c.model is None:
        parts.append(f"<p style='color:{MUTED}'>{e(t('drafting.no_model', control=c.number))}</p>")
        return "".join(parts)
    d = model_draft(c, profile)
    statements = "".join(f"<li>{e(s)}</li>" for s in d.statements)
    head = "".join(f"<th style='{HEAD_CELL}'>{e(t('drafting.step_' + f))}</th>" for f in STEP_FIELDS)
    rows = "".join("<tr>" + "".join(f"<td style='{CELL}'>{e(getattr(s, f))}</td>" for f in STEP_FIELDS) + "</tr>"
                   for s in d.steps)
    parts += [f"<b>{e(t('ch14.browser.standard', company=profile.name))}</b><ol>{statements}</ol>",
              f"<b>{e(t('ch14.browser.procedure'))}</b>",
              f"<table style='border-collapse:collapse;margin:0.3em 0'><tr>{head}</tr>{rows}</table>",
              f"<p><small>{e(t('drafting.owner'))}: {e(d.owner)} ／ {e(t('drafting.review'))}: {e(d.review)}</small></p>"]
    if c.lesson is not None:
        parts.append(f"<p><small>{icon('ℹ', INFO)} {e(t('ch14.browser.has_lesson'))}</small></p>")
    return "".join(parts)


class CatalogBrowser(W.VBox):
    """Search and filters on the left, the chosen control on the right, its Workbench below on request."""

    def __init__(self, numbers=None, store=None, profile=None, **kwargs):
        super().__init__(**kwargs)
        self.store = store or AnswerStore()
        self.profile = profile if profile is not None else load_profile(self.store)
        self.numbers = None if numbers is None else [str(n) for n in numbers]
        pool = [c for c in catalog().values() if self.numbers is None or c.number in self.numbers]
        themes = [(THEMES[k][0], k) for k in THEMES if any(c.theme == k for c in pool)]
        topics = []
        for c in pool:
            if c.topic not in [v for _, v in topics]:
                topics.append((t(f"topic.{c.topic}"), c.topic))
        self.workbench = None

        self.query = W.Text(placeholder=t("ch14.browser.search_placeholder"), description=t("ch14.browser.search"),
                            continuous_update=True, layout=W.Layout(width="100%"))
        self.theme = W.Dropdown(options=[(t("ch14.browser.all"), ALL), *themes], value=ALL,
                                description=t("ch14.browser.theme"), layout=W.Layout(width="100%"))
        self.topic = W.Dropdown(options=[(t("ch14.browser.all"), ALL), *topics], value=ALL,
                                description=t("ch14.browser.topic"), layout=W.Layout(width="100%"))
        self.results = W.Select(options=[], rows=14, tooltip=t("a11y.catalog_results"), layout=W.Layout(width="100%"))
        self.count = W.HTML()
        self.detail = W.HTML(layout=W.Layout(width="100%"))
        self.open_button = W.Button(description=t("ch14.browser.open"), icon="pencil", button_style="primary",
                                    layout=W.Layout(width="auto"), disabled=True)
        self.open_button.on_click(lambda _: self.open_workbench())
        self.messages = W.Output()
        self.bench_area = W.VBox()
        left = W.VBox([self.query, self.theme, self.topic, self.count, self.results],
                      layout=W.Layout(width="34%", min_width="18em"))
        right = W.VBox([self.detail, self.open_button], layout=W.Layout(width="66%", padding="0 0 0 1em"))
        self.children = [W.HBox([left, right]), self.messages, self.bench_area]

        self._update()
        for widget in (self.query, self.theme, self.topic):
            widget.observe(self._update, names="value")
        self.results.observe(self._show, names="value")
        self._show()

    # -- state ----------------------------------------------------------------------------------------------------------
    @property
    def matches(self):
        return [number for _, number in self.results.options]

    @property
    def selected(self):
        return self.results.value

    def select(self, number):
        """Choose a control by number (it must be among the current matches)."""
        number = str(number).strip()
        if number not in self.matches:
            self.tell(t("ch14.browser.not_listed", control=number))
            return False
        self.results.value = number
        return True

    def tell(self, message):
        self.messages.append_stdout(message + "\n")

    # -- events ---------------------------------------------------------------------------------------------------------
    def _update(self, change=None):
        found = search(self.query.value, self.theme.value, self.topic.value, self.numbers)
        known = catalog()
        current = self.results.value
        self.results.options = [(f"{n}  {known[n].display_title}", n) for n in found]
        self.results.value = current if current in found else (found[0] if found else None)
        self.count.value = escape(t("ch14.browser.count", n=len(found)) if found else t("ch14.browser.none"))
        self._show()

    def _show(self, change=None):
        number = self.results.value
        if number is None:
            self.detail.value = f"<p style='color:{MUTED}'>{escape(t('ch14.browser.choose'))}</p>"
            self.open_button.disabled = True
            return
        self.detail.value = detail_html(catalog()[number], self.profile)
        self.open_button.disabled = False
        self.open_button.description = t("ch14.browser.open_number", control=number)

    def open_workbench(self):
        """Open (or switch to) the Workbench of the chosen control below the browser; returns it."""
        number = self.results.value
        if number is None:
            self.tell(t("ch14.browser.choose"))
            return None
        if self.workbench is not None and self.workbench.control.number == number:
            return self.workbench
        try:
            bench = Workbench(number, store=self.store, profile=self.profile)
        except CourseError as exc:
            self.tell(str(exc))
            return None
        if self.workbench is not None:
            self.workbench.close()
        self.workbench = bench
        self.bench_area.children = [bench]
        return bench


def catalog_only_numbers(theme="organizational"):
    """The controls of a theme that the seminar report does not name (no in-depth lesson; browsed in the catalog)."""
    return [c.number for c in catalog().values() if c.theme == theme and not c.in_seminar]


__all__ = ["CatalogBrowser", "search", "detail_html", "catalog_only_numbers"]
