"""A learner's draft for one control, kept in the AnswerStore as answers/<control>.json (kind "draft").

- `load_draft` / `open_draft` restore the saved draft; a file that is not a readable draft of that control is set aside
  (never overwritten) and the form opens empty with a Japanese message.
- `save_draft` saves atomically. With `base_revision` it notices that another form saved in between: the other form's
  version is then kept as answers/<control>.kept.json (its own history, so later keystrokes cannot push it out) and the
  learner is told where it is.
"""

import re
import unicodedata
from dataclasses import dataclass, replace

from ..answers.draft import Draft, DraftFormatError
from ..answers.kept import keep_overwritten, kept_key
from ..answers.store import AnswerStore
from ..catalog import NUMBER_RE, Control, get_control
from ..i18n import t

DRAFT_KIND = "draft"
NUMBER_LIKE_RE = re.compile(r"^\d{1,2}\.\d{1,3}$")  # looks like a control number; the catalog decides if it is one


class UnknownControlError(DraftFormatError):
    """A control id that is not an Annex A 5.x / 6.x control of the catalog (e.g. "../../x")."""


def resolve_control(control):
    """The catalog Control for a number ("6.6", "６．６") or a Control; anything else is refused."""
    if isinstance(control, Control):
        if not NUMBER_RE.match(control.number):
            raise UnknownControlError(t("drafting.bad_control", control=control.number))
        return control
    number = unicodedata.normalize("NFKC", str(control)).strip()
    if not NUMBER_LIKE_RE.match(number):
        raise UnknownControlError(t("drafting.bad_control", control=str(control)[:80]))
    try:
        return get_control(number)
    except KeyError:
        raise UnknownControlError(t("drafting.unknown_control", control=number)) from None


@dataclass
class OpenedDraft:
    draft: Draft
    revision: int = 0          # revision of the saved record (0: nothing saved yet)
    saved_at: str = ""
    message: str | None = None  # set when a bad file was moved aside


def open_draft(control, store=None):
    """The saved draft of a control with its revision, or an empty draft."""
    control = resolve_control(control)
    store = store or AnswerStore()
    result = store.load(control.number, DRAFT_KIND)
    if result.record is None:
        return OpenedDraft(Draft(control.number), message=result.message)
    try:
        draft = Draft.from_dict(result.record.data)
        if draft.control != control.number:
            raise DraftFormatError(draft.control)
    except DraftFormatError:
        return OpenedDraft(Draft(control.number), message=store.set_aside(control.number))
    return OpenedDraft(draft, result.record.revision, result.record.saved_at)


def load_draft(control, store=None):
    """The saved draft of a control, or an empty Draft if none is saved."""
    return open_draft(control, store).draft


def save_draft(draft, store=None, base_revision=None):
    """Save the draft as answers/<control>.json. Returns the store's SaveResult (never raises for I/O trouble)."""
    control = resolve_control(draft.control)
    store = store or AnswerStore()
    result = store.save(control.number, DRAFT_KIND, draft.to_dict(), base_revision=base_revision)
    if result.ok and result.conflict:
        kept = keep_overwritten(store, control.number, DRAFT_KIND, result.revision - 1)
        message = t("drafting.conflict", name=kept) if kept else t("store.conflict")
        result = replace(result, message=message)
    return result


def load_kept(control, store=None):
    """The version kept aside by the last conflict or replacing import, or None."""
    control = resolve_control(control)
    store = store or AnswerStore()
    result = store.load(kept_key(control.number), DRAFT_KIND)
    if result.record is None:
        return None
    try:
        draft = Draft.from_dict(result.record.data)
    except DraftFormatError:
        return None
    return draft if draft.control == control.number else None


def keep_draft(draft, store=None):
    """Keep a copy of a draft before the form replaces it (e.g. by an import). Returns the SaveResult."""
    control = resolve_control(draft.control)
    return (store or AnswerStore()).save(kept_key(control.number), DRAFT_KIND, draft.to_dict())
