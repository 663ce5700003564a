"""AnswerForm: the one life every answer form shares — restore, observe, save, status, tell.

A form is a VBox that shows one AnswerStore record. A subclass builds its widgets (placing `self.status` and
`self.messages` where the learner sees them), then calls `self._open(inputs)`, and provides:
    _read(data) -> value   the saved record data as the form's value; raise ValueError when it is unusable
    _show(value)           put a value into the widgets (`with self.quietly():` when called outside _open)
    _data() -> dict        the record data as the form shows it now

- Opening restores the saved record before anything is observed, so opening a form never saves. A bad file (or data
  `_read` refuses) is set aside by the store; the form opens empty and says so in the status and the messages.
- Every change of an input saves the whole form with the revision it is based on. When another form (another
  notebook, a cell run again, another program) saved in between, this form's version becomes the latest and the
  other version is copied to answers/<key>.kept.json (its own history, so later keystrokes cannot push it out);
  the learner is told where it is.
- A failed save is told once, until a save succeeds again; the status always shows the last result and the input
  stays in the form. Status text is HTML-escaped.
"""

from contextlib import contextmanager
from dataclasses import replace
from html import escape

import ipywidgets as W
import traitlets as T

from ..i18n import t
from .kept import keep_overwritten
from .store import AnswerStore

# Colours of the status icon: JupyterLab theme variables with light fallbacks (the palette of course/theme.py, written out
# here because the answer layer imports nothing above errors, fileio and i18n). The text keeps the theme's colour.
STATUS_STYLES = {"ok": ("var(--jp-success-color1, #388e3c)", "✔"), "note": ("var(--jp-warn-color1, #f57c00)", "⚠"),
                 "error": ("var(--jp-error-color1, #d32f2f)", "⚠")}


class AnswerForm(W.VBox):
    """Base of every answer form. `revision`: the revision of the saved record the form is based on (0: none)."""

    revision = T.Int(0)
    conflict_text = "answers.conflict"  # a UI string with {name}: the kept file

    def __init__(self, store, key, kind, **kwargs):
        super().__init__(**kwargs)
        self.store = store or AnswerStore()
        self.record_key, self.record_kind = key, kind
        self.status = W.HTML()
        self.messages = W.Output()
        self._quiet = False
        self._failing = False

    # -- for subclasses -----------------------------------------------------------------------------------------------
    def _read(self, data):
        return data

    def _show(self, value):
        raise NotImplementedError

    def _data(self):
        raise NotImplementedError

    def _opened_status(self, record):
        """(message, level) for the status after opening without trouble; record is None when nothing is saved."""
        if record is not None:
            return t("answers.restored", time=record.saved_at.replace("T", " ")[:19]), "ok"
        return t("answers.autosave", path=self.store.path(self.record_key)), "ok"

    # -- the life of a form -------------------------------------------------------------------------------------------
    def _open(self, inputs):
        """Restore the saved record into the form, show how it went, then save every change of the inputs."""
        loaded = self.store.load(self.record_key, self.record_kind)
        record, message = loaded.record, loaded.message
        if record is not None:
            try:
                value = self._read(record.data)
            except ValueError:
                record, message = None, self.store.set_aside(self.record_key)
            else:
                with self.quietly():
                    self._show(value)
                self.revision = record.revision
        if message:
            self.set_status(message, "note")
            self.tell(message)
        else:
            self.set_status(*self._opened_status(record))
        for widget in inputs:
            widget.observe(self._changed, names="value")

    @contextmanager
    def quietly(self):
        """Change the widgets without saving each change."""
        was, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = was

    def _changed(self, change=None):
        if not self._quiet:
            self.save()

    def save(self):
        """Save the form as the newest version of its record. Returns the store's SaveResult (never raises for I/O)."""
        result = self.store.save(self.record_key, self.record_kind, self._data(), base_revision=self.revision)
        if result.ok:
            self.revision = result.revision
        if result.conflict:
            kept = keep_overwritten(self.store, self.record_key, self.record_kind, result.revision - 1)
            if kept:
                result = replace(result, message=t(self.conflict_text, name=kept))
        self.set_status(result.message, "error" if not result.ok else "note" if result.conflict else "ok")
        if result.conflict or (not result.ok and not self._failing):
            self.tell(result.message)  # a failure once, not on every keystroke
        self._failing = not result.ok
        return result

    def set_status(self, message, level="ok"):
        colour, icon = STATUS_STYLES[level]
        self.status.value = f"<span><span style='color:{colour}' aria-hidden='true'>{icon}</span> {escape(message)}</span>"

    def tell(self, message):
        self.messages.append_stdout(message + "\n")
