"""The drafting workbench: one form per control for its 対策基準 and 実施手順.

The form is an AnswerForm (course/answers/form.py) on answers/<control>.json: it restores the saved draft, saves every
change, and on a conflict with another form keeps the other version as answers/<control>.kept.json, which the
「退避した版と入れ替える」 button brings back. Model text is merged in on request, fitted to the company profile; nothing
the learner wrote is replaced without a kept copy.

`Workbench(control, show_model=False)` offers no model: the 「模範文例を挿入」 button is gone and the rubric's points and
reasons are shown instead (always so for the controls of content/hidden_models.yaml). `Workbench(control, start=draft)`
opens with that draft when nothing is saved yet (a flawed draft to correct); a saved answer is never replaced, and
opening still saves nothing. The self-check says so when the draft is the model (course/drafting/adaptation.py).
"""

import functools
from html import escape

import ipywidgets as W
import traitlets as T

from ..answers.draft import STEP_FIELDS, Draft, DraftFormatError, DraftStep
from ..answers.form import AnswerForm
from ..catalog import model_hidden
from ..errors import CourseError
from ..i18n import t
from ..profile import load_profile
from ..theme import ERROR, INFO, MUTED, PANEL, TEXT, WARN, box
from .drafts import DRAFT_KIND, keep_draft, load_kept, resolve_control
from .fit import merge_into, model_draft
from .markdown import draft_from_markdown
from .render import draft_html, feedback_html

FULL = W.Layout(width="100%")
LABEL_STYLE = {"description_width": "7em"}
SMALL_BUTTON = dict(layout=W.Layout(width="2.6em"))


def lines_of(text):
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


class RowList(W.VBox):
    """An editable list: each row has inputs and buttons to move it up or down or remove it; a button adds a row.

    `value` is the list of items; rows are positional, so editing, moving or removing never rebuilds the row being
    typed in (the cursor stays where it is)."""

    value = T.List()

    def __init__(self, value=(), add_label="", **kwargs):
        super().__init__(**kwargs)
        self._rows = []
        self._syncing = False
        self.add_button = W.Button(description=add_label, icon="plus", layout=W.Layout(width="auto"))
        self.add_button.on_click(lambda _: self.add())
        self._box = W.VBox()
        self.children = [self._header(), self._box, self.add_button]
        self.observe(self._sync, names="value")
        self.value = list(value)
        self._sync()

    # -- for subclasses ----------------------------------------------------------------------------------------------
    def _header(self):
        return W.HTML()

    def _blank(self):
        raise NotImplementedError

    def _input_labels(self, index):
        """One label per input of row `index` (read by screen readers, shown as a tooltip)."""
        return ()

    def _make_inputs(self):
        raise NotImplementedError

    def _read(self, inputs):
        raise NotImplementedError

    def _write(self, inputs, item):
        raise NotImplementedError

    # -- editing -----------------------------------------------------------------------------------------------------
    def add(self, item=None):
        self.value = [*self.value, self._blank() if item is None else item]

    def remove(self, index):
        self.value = [v for i, v in enumerate(self.value) if i != index]

    def move(self, index, delta):
        target = index + delta
        if 0 <= index < len(self.value) and 0 <= target < len(self.value):
            items = list(self.value)
            items[index], items[target] = items[target], items[index]
            self.value = items

    def row_inputs(self, index):
        return self._rows[index]["inputs"]

    def _edited(self, index):
        if self._syncing:
            return
        items = list(self.value)
        items[index] = self._read(self._rows[index]["inputs"])
        self.value = items

    def _new_row(self, index):
        inputs = self._make_inputs()
        up = W.Button(icon="arrow-up", tooltip=t("drafting.move_up"), **SMALL_BUTTON)
        down = W.Button(icon="arrow-down", tooltip=t("drafting.move_down"), **SMALL_BUTTON)
        remove = W.Button(icon="trash", tooltip=t("drafting.remove"), **SMALL_BUTTON)
        up.on_click(lambda _: self.move(index, -1))
        down.on_click(lambda _: self.move(index, +1))
        remove.on_click(lambda _: self.remove(index))
        for widget in inputs:
            widget.observe(lambda _: self._edited(index), names="value")
        for widget, label in zip(inputs, self._input_labels(index)):
            widget.tooltip = label  # the accessible name of an input without a visible label
        number = W.HTML(f"{index + 1}.", layout=W.Layout(width="2em"))
        box = W.HBox([number, *inputs, up, down, remove], layout=W.Layout(align_items="flex-start"))
        return {"box": box, "inputs": inputs, "up": up, "down": down, "remove": remove}

    def _sync(self, change=None):
        self._syncing = True
        removed = []
        try:
            while len(self._rows) > len(self.value):
                removed.append(self._rows.pop()["box"])
            while len(self._rows) < len(self.value):
                self._rows.append(self._new_row(len(self._rows)))
            for i, (row, item) in enumerate(zip(self._rows, self.value)):
                self._write(row["inputs"], item)
                row["up"].disabled = i == 0
                row["down"].disabled = i == len(self.value) - 1
            self._box.children = [row["box"] for row in self._rows]
            for box in removed:
                for widget in (*box.children, box):
                    widget.close()
        finally:
            self._syncing = False


class StatementList(RowList):
    """The 対策基準: one obligation per row (「〜しなければならない。」)."""

    value = T.List(T.Unicode())

    def __init__(self, value=(), **kwargs):
        super().__init__(value, add_label=t("drafting.add_statement"), **kwargs)

    def _blank(self):
        return ""

    def _input_labels(self, index):
        return [t("a11y.statement_row", n=index + 1)]

    def _make_inputs(self):
        return [W.Textarea(placeholder=t("drafting.statement_placeholder"), rows=2, layout=W.Layout(width="100%"))]

    def _read(self, inputs):
        return inputs[0].value

    def _write(self, inputs, item):
        inputs[0].value = item


class StepList(RowList):
    """The 実施手順: ordered steps, each with 担当 / 作業 / 時期 / 記録 (items are dicts with who, what, when, record)."""

    value = T.List(T.Dict())
    WIDTHS = {"who": "9em", "what": "100%", "when": "9em", "record": "11em"}

    def __init__(self, value=(), **kwargs):
        super().__init__(value, add_label=t("drafting.add_step"), **kwargs)

    def _header(self):
        cells = "".join(f"<span style='display:inline-block;width:{'40%' if f == 'what' else self.WIDTHS[f]}'>"
                        f"{escape(t('drafting.step_' + f))}</span>" for f in STEP_FIELDS)
        return W.HTML(f"<div style='margin-left:2em;color:{MUTED}'>{cells}</div>")

    def _blank(self):
        return dict.fromkeys(STEP_FIELDS, "")

    def _input_labels(self, index):
        return [t("a11y.step_field", n=index + 1, field=t("drafting.step_" + f)) for f in STEP_FIELDS]

    def _make_inputs(self):
        def field(name):
            cls = W.Textarea if name == "what" else W.Text
            return cls(placeholder=t("drafting.step_" + name), layout=W.Layout(width=self.WIDTHS[name]))
        return [field(name) for name in STEP_FIELDS]

    def _read(self, inputs):
        return {f: w.value for f, w in zip(STEP_FIELDS, inputs)}

    def _write(self, inputs, item):
        for f, w in zip(STEP_FIELDS, inputs):
            w.value = item.get(f, "")


def _reporting(method):
    """Button handlers: an unexpected error is shown to the learner in the form (the draft is already saved)."""
    @functools.wraps(method)
    def handler(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except CourseError as exc:
            self.tell(str(exc))
        except Exception as exc:  # a callback's traceback would be invisible in JupyterLab
            self.tell(t("drafting.unexpected", error=f"{type(exc).__name__}: {exc}"))
    return handler


class Workbench(AnswerForm):
    """The drafting form of one control. `revision` is the revision of the saved answer the form is based on."""

    conflict_text = "drafting.conflict"

    def __init__(self, control, store=None, profile=None, show_model=True, start=None, **kwargs):
        control = resolve_control(control)
        super().__init__(store, control.number, DRAFT_KIND, **kwargs)
        self.control = control
        self.profile = profile if profile is not None else load_profile(self.store)
        self.show_model = bool(show_model) and not model_hidden(control)

        def text(key, area=False, rows=3):
            cls = W.Textarea if area else W.Text
            extra = {"rows": rows} if area else {}
            return cls(description=t(f"drafting.{key}"), placeholder=t(f"drafting.{key}_placeholder"),
                       layout=FULL, style=LABEL_STYLE, **extra)

        self.purpose = text("purpose", area=True)
        self.scope = text("scope", area=True)
        self.statements = StatementList()
        self.steps = StepList()
        self.owner = text("owner")
        self.review = text("review")
        self.related = text("related", area=True)

        self.insert_button = W.Button(description=t("drafting.insert_model"), icon="magic", layout=W.Layout(width="auto"))
        self.check_button = W.Button(description=t("drafting.check"), icon="check", button_style="info",
                                     layout=W.Layout(width="auto"))
        self.save_button = W.Button(description=t("drafting.save_now"), icon="save", layout=W.Layout(width="auto"))
        self.kept_button = W.Button(description=t("drafting.swap_kept"), icon="exchange", layout=W.Layout(width="auto"))
        self.model_note = W.HTML()
        self.preview = W.HTML()
        self.feedback = W.HTML()
        self.import_text = W.Textarea(placeholder=t("drafting.import_placeholder", number=self.control.number,
                                                       title=self.control.display_title), rows=8, layout=FULL,
                                  tooltip=t("a11y.import_text"))
        self.import_replace = W.Checkbox(description=t("drafting.import_replace"), indent=False)
        self.import_button = W.Button(description=t("drafting.import"), icon="upload", layout=W.Layout(width="auto"))

        self.insert_button.on_click(lambda _: self.insert_model())
        self.check_button.on_click(lambda _: self.check())
        self.save_button.on_click(lambda _: self.save())
        self.kept_button.on_click(lambda _: self.swap_kept())
        self.import_button.on_click(lambda _: self.import_markdown())
        if not self.show_model:
            self.insert_button.disabled = True
            self.insert_button.layout.display = "none"
            self.model_note.value = reasons_html(self.control)
        elif self.control.model is None:
            self.insert_button.disabled = True
            self.model_note.value = f"<small>{escape(t('drafting.no_model', control=self.control.number))}</small>"
        else:
            self.model_note.value = f"<small>{escape(self._fitted_note())}</small>"

        self.children = self._layout()
        self._open(self.inputs)
        if start is not None:
            self._start(start)
        self._update_kept_button()
        self._update_preview()

    # -- layout ------------------------------------------------------------------------------------------------------
    @property
    def inputs(self):
        return [self.purpose, self.scope, self.statements, self.steps, self.owner, self.review, self.related]

    def _heading(self, key):
        return W.HTML(f"<b>{escape(t(key))}</b>")

    def _layout(self):
        c = self.control
        title = (f"<h3 style='margin-bottom:0'>{escape(c.number)} {escape(c.display_title)}</h3>"
                 f"<div style='color:{MUTED}'>{escape(c.title_en)}</div>")
        toolbar = W.HBox([self.insert_button, self.check_button, self.save_button, self.kept_button])
        importer = W.VBox([W.HTML(f"<small>{escape(t('drafting.import_help'))}</small>"), self.import_text,
                           W.HBox([self.import_button, self.import_replace])])
        extras = W.Accordion(children=[importer], titles=(t("drafting.import_title"),), selected_index=None)
        # ipywidgets draws the accordion title in a faint grey that is hard to read in the dark theme
        self.add_class("course-workbench")
        title_style = f"<style>.course-workbench .jupyter-widget-Collapse-header {{color:{TEXT}}}</style>"
        return [
            W.HTML(title_style + title), self.model_note, toolbar, self.status, self.messages, self.feedback,
            self._heading("drafting.section_standard"), self.purpose, self.scope,
            self._heading("drafting.statements"), self.statements,
            self._heading("drafting.section_procedure"), self.steps,
            self._heading("drafting.section_management"), self.owner, self.review, self.related,
            extras, self._heading("drafting.preview"), self.preview,
        ]

    def _fitted_note(self):
        return t("drafting.fitted_to", company=self.profile.name, traits=self.profile.traits_text)

    def _start(self, start):
        """Show the starting draft when nothing is saved (revision 0) and the form is empty; nothing is saved."""
        if self.revision or not self.draft.is_empty():
            return
        draft = start if isinstance(start, Draft) else Draft.from_dict({"control": self.control.number, **dict(start)})
        if draft.control != self.control.number:
            raise DraftFormatError(t("drafting.md_other_control", found=draft.control, expected=self.control.number))
        with self.quietly():
            self._show(draft)
        self._update_preview()

    # -- the draft in the form ----------------------------------------------------------------------------------------
    @property
    def draft(self):
        """The draft as it is in the form now."""
        return Draft(
            control=self.control.number,
            purpose=self.purpose.value,
            scope=self.scope.value,
            statements=list(self.statements.value),
            owner=self.owner.value,
            review=self.review.value,
            related=lines_of(self.related.value),
            steps=[DraftStep(**{f: s.get(f, "") for f in STEP_FIELDS}) for s in self.steps.value],
        )

    def _read(self, data):
        """The saved draft; a record that is not a draft of this control is set aside like a corrupt file."""
        draft = Draft.from_dict(data)
        if draft.control != self.control.number:
            raise DraftFormatError(draft.control)
        return draft

    def _show(self, draft):
        self.purpose.value, self.scope.value = draft.purpose, draft.scope
        self.owner.value, self.review.value = draft.owner, draft.review
        self.related.value = "\n".join(draft.related)
        self.statements.value = list(draft.statements)
        self.steps.value = [{f: getattr(s, f) for f in STEP_FIELDS} for s in draft.steps]

    def _data(self):
        return self.draft.to_dict()

    def set_draft(self, draft):
        """Replace the form content by a draft of this control and save it once."""
        with self.quietly():
            self._show(draft)
        return self.save()

    def save(self):
        result = super().save()
        if result.conflict:
            self._update_kept_button()
        self._update_preview()
        return result

    def _update_preview(self, draft=None):
        self.preview.value = (f"<div style='{PANEL}'>"
                              + draft_html(draft or self.draft) + "</div>")

    def _update_kept_button(self):
        self.kept_button.disabled = load_kept(self.control, self.store) is None

    # -- actions -----------------------------------------------------------------------------------------------------
    @_reporting
    def insert_model(self):
        """Add the model text, fitted to the company, where the form is still empty."""
        if not self.show_model:
            self.tell(t("adaptation.model_hidden"))
            return None
        if self.control.model is None:
            self.tell(t("drafting.no_model", control=self.control.number))
            return None
        result = self.set_draft(merge_into(self.draft, model_draft(self.control, self.profile)))
        self.tell(t("drafting.model_inserted", company=self.profile.name))
        return result

    @_reporting
    def import_markdown(self, text=None):
        """Read a draft from Markdown (the import box by default). A form with content is replaced only when
        「置き換える」 is ticked, and its content is kept first. Returns True when the draft was imported."""
        text = self.import_text.value if text is None else text
        try:
            imported = draft_from_markdown(text, self.control)
        except DraftFormatError as exc:
            self.tell(t("drafting.import_failed", reason=str(exc)))
            return False
        current = self.draft
        if not current.is_empty():
            if not self.import_replace.value:
                self.tell(t("drafting.import_confirm"))
                return False
            kept = keep_draft(current, self.store)
            if not kept.ok:
                self.tell(kept.message)
                return False
        self.set_draft(imported)
        self.import_replace.value = False
        self._update_kept_button()
        self.tell(t("drafting.imported", statements=len(imported.statements), steps=len(imported.steps)))
        return True

    @_reporting
    def swap_kept(self):
        """Bring back the kept version; the form's current content becomes the kept one."""
        kept = load_kept(self.control, self.store)
        if kept is None:
            self.tell(t("drafting.no_kept"))
            return False
        current = self.draft
        if not current.is_empty():
            result = keep_draft(current, self.store)
            if not result.ok:
                self.tell(result.message)
                return False
        self.set_draft(kept)
        self._update_kept_button()
        self.tell(t("drafting.swapped"))
        return True

    @_reporting
    def check(self):
        """Self-check the draft against the rubric of the control (with the company's role names from the profile);
        shows and returns the Feedback (None, with the reason shown, when the check cannot run)."""
        try:
            from ..rubric.score import score_draft

            feedback = score_draft(self.draft, profile=self.profile)  # the company's own role names count
        except CourseError as exc:  # e.g. the Japanese dictionary is not installed: said here, not lost in a log
            self.feedback.value = f"<div style='{box(ERROR)}'>{escape(str(exc))}</div>"
            return None
        from .adaptation import copy_check

        _, message = copy_check(self.draft, self.control, self.profile)
        copied = f"<div style='{box(WARN)}'>{escape(message)}</div>" if message else ""
        self.feedback.value = (copied + f"<div style='{box(INFO)}'>"
                               + feedback_html(feedback) + "</div>")
        return feedback


def reasons_html(control):
    """The rubric's points and reasons of a control (what the Workbench shows instead of the model), escaped HTML."""
    control = resolve_control(control)
    items = "".join(f"<li><b>{escape(e.label)}</b>: {escape(e.why)}</li>" for e in control.rubric)
    return (f"<div style='{box(INFO)}'><b>{escape(t('adaptation.reasons_title'))}</b>"
            f"<p style='margin:0.3em 0'>{escape(t('adaptation.model_hidden'))}</p><ul>{items}</ul></div>")
