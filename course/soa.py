"""The statement of applicability (適用宣言書): for each control, 採用 or 不採用 and the reason.

Saved as the AnswerStore record "soa" (kind "soa"), data = {"controls": {"5.1": {"adopted": true, "reason": "..."}}};
the export (course/drafting/export.py) puts it in the document before the standards.

- `proposal(profile)`: a starting point fitted to the company profile (course/content/soa.yaml): e.g. 5.23 is proposed
  for adoption when the company uses cloud services, 5.19–5.22 when it has contractors. Every proposal has a reason
  for the learner to edit.
- `check_soa(data)`: what is still missing (a 不採用 without a reason, undecided controls) and what deserves a second
  look (a control most companies need set to 不採用). Never raises for odd data. A 不採用 whose reason is still the
  proposal's text (`is_proposal_reason`: the text for any profile, or nearly it) is listed in `proposal_reason`;
  `own_reasons` (graded work) needs at least one 不採用 and every one explained in the learner's own words.
- `SoaTable`: the form, one row per control. It shows the saved table, or the proposal (not saved until the learner
  confirms or changes something), then saves the whole table on every change. Entries for controls that are not in
  the form (e.g. 6.x written by another chapter's form) are kept as they are.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

import ipywidgets as W

from .catalog import controls as catalog_controls, get_control
from .answers.form import AnswerForm
from .answers.store import AnswerStore
from .errors import ContentError
from .i18n import t
from .theme import MUTED, OK, RULE, TEXT, WARN, icon
from .profile import CompanyProfile, load_profile
from .yamlio import CONTENT_DIR, read_yaml, require

SOA_KEY = SOA_KIND = "soa"  # the same record as course.drafting.export reads
SOA_FILE = CONTENT_DIR / "soa.yaml"
TRAITS = ("telework", "cloud", "contractors", "personal_data")


# -- the proposal ---------------------------------------------------------------------------------------------------------

def _proposal_entry(data, path, where):
    if not isinstance(data, dict) or not isinstance(data.get("adopted"), bool):
        raise ContentError(path, f"{where}adopted", "true か false が必要です / expected true or false")
    return {"adopted": data["adopted"], "reason": require(data, "reason", str, path, where)}


@lru_cache(maxsize=1)
def settings():
    """soa.yaml, checked: {number: {"core", "caution", "when", "with", "without"}} (fixed ones have when=None)."""
    path = SOA_FILE
    data = read_yaml(path)
    items = require(data, "controls", dict, path)
    table = {}
    for number, spec in items.items():
        where = f"controls.{number}."
        number = str(number)
        try:
            get_control(number)
        except KeyError:
            raise ContentError(path, f"controls.{number}", "カタログにない管理策です / not in the catalog") from None
        if not isinstance(spec, dict):
            raise ContentError(path, f"controls.{number}", "対応表が必要です / expected a mapping")
        when = spec.get("when")
        if when is None:
            fixed = _proposal_entry(spec, path, where)
            entry = {"when": None, "with": fixed, "without": fixed}
        elif when not in TRAITS:
            raise ContentError(path, f"{where}when", f"{', '.join(TRAITS)} のいずれかです / must be one of those")
        else:
            entry = {"when": when, "with": _proposal_entry(spec.get("with"), path, f"{where}with."),
                     "without": _proposal_entry(spec.get("without"), path, f"{where}without.")}
        entry["core"] = bool(spec.get("core", False))
        entry["caution"] = spec.get("caution") if isinstance(spec.get("caution"), str) else ""
        table[number] = entry
    return table


def profile_traits(profile):
    return {**profile.traits, "personal_data": bool(profile.personal_data)}


def proposal(profile=None, numbers=None):
    """{number: {"adopted": bool, "reason": str}} for the given profile (default: an empty profile, 当社)."""
    profile = profile or CompanyProfile()
    traits = profile_traits(profile)
    values = {"company": profile.name, "cloud": "、".join(profile.cloud) or "クラウドサービス",
              "contractors": "、".join(profile.contractors) or "委託先"}
    spec = settings()
    out = {}
    for number in numbers or default_numbers():
        entry = spec.get(number)
        if entry is None:
            out[number] = {"adopted": None, "reason": ""}
            continue
        chosen = entry["with"] if entry["when"] is None or traits.get(entry["when"]) else entry["without"]
        out[number] = {"adopted": chosen["adopted"], "reason": chosen["reason"].format(**values)}
    return out


def default_numbers():
    """The organisational controls 5.1–5.37, in Annex A order."""
    return [c.number for c in catalog_controls("organizational")]


# -- reading and checking ----------------------------------------------------------------------------------------------

def _clean_entry(entry):
    entry = entry if isinstance(entry, dict) else {}
    adopted = entry.get("adopted")
    reason = entry.get("reason")
    return {"adopted": adopted if isinstance(adopted, bool) else None,
            "reason": reason if isinstance(reason, str) else ""}


def read_entries(data):
    """{number: {"adopted", "reason"}} from the record data, tolerant of odd entries; ValueError without a
    "controls" mapping."""
    controls = data.get("controls")
    if not isinstance(controls, dict):
        raise ValueError("soa: no controls mapping")
    return {str(k): _clean_entry(v) for k, v in controls.items()}


def load_soa(store=None):
    """(entries {number: {"adopted", "reason"}}, revision, saved_at, message): the saved table, tolerant of odd data.
    A record whose data has no "controls" mapping is moved aside (message says so)."""
    store = store or AnswerStore()
    result = store.load(SOA_KEY, SOA_KIND)
    if result.record is None:
        return {}, 0, "", result.message
    try:
        entries = read_entries(result.record.data)
    except ValueError:
        return {}, 0, "", store.set_aside(SOA_KEY)
    return entries, result.record.revision, result.record.saved_at, None


def soa_data(entries, store):
    """The record data for entries, keeping the saved entries of other controls."""
    current, _, _, _ = load_soa(store)
    return {"controls": {**current, **{str(k): _clean_entry(v) for k, v in entries.items()}}}


def save_soa(entries, store=None, base_revision=None):
    """Save entries, keeping the saved entries of other controls. Returns the store's SaveResult."""
    store = store or AnswerStore()
    return store.save(SOA_KEY, SOA_KIND, soa_data(entries, store), base_revision=base_revision)


def _title(number):
    try:
        return f"{number} {get_control(number).display_title}"
    except KeyError:
        return str(number)


@dataclass
class SoaCheck:
    """The result of check_soa. ok: every control decided and every 不採用 has a reason."""

    ok: bool
    messages: list[str] = field(default_factory=list)
    decided: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    missing_reason: list[str] = field(default_factory=list)  # 不採用 without a reason
    cautions: list[str] = field(default_factory=list)        # numbers worth a second look
    proposal_reason: list[str] = field(default_factory=list)  # 不採用 whose reason is still the proposal's text
    adopted: int = 0
    rejected: int = 0

    @property
    def own_reasons(self):
        """At least one 不採用, and every 不採用 has a reason of the learner's own (not the proposal's text)."""
        return bool(self.rejected) and not self.undecided and not self.missing_reason and not self.proposal_reason

    def __str__(self):
        head = f"{'✅' if self.ok else '⚠'} {t('ch14.soa.check_title')}"
        return "\n".join([head, *(f"- {m}" for m in self.messages)])

    def _repr_html_(self):
        colour, mark = (OK, "✅") if self.ok else (WARN, "⚠")
        items = "".join(f"<li>{escape(m)}</li>" for m in self.messages)
        return (f"<div style='border-left:4px solid {colour};padding:0.3em 0.8em;color:{TEXT}'><b>{icon(mark, colour)} "
                f"{escape(t('ch14.soa.check_title'))}</b><ul style='margin:0.3em 0'>{items}</ul></div>")


PROPOSAL_SIMILARITY = 0.85  # a reason this close to a proposal's text (difflib ratio, normalised) is the proposal's


def _plain(text):
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def proposal_texts(number, profile=None):
    """Every reason the proposal can give for a control (both variants, for the profile and the default profile)."""
    spec = settings().get(str(number))
    if spec is None:
        return []
    texts = []
    for p in (profile, None):
        p = p if isinstance(p, CompanyProfile) else (CompanyProfile.from_dict(p) if isinstance(p, dict) else None)
        p = p or CompanyProfile()
        values = {"company": p.name, "cloud": "、".join(p.cloud) or "クラウドサービス",
                  "contractors": "、".join(p.contractors) or "委託先"}
        for key in ("with", "without"):
            if spec.get(key):
                texts.append(spec[key]["reason"].format(**values))
    return texts


def is_proposal_reason(number, reason, profile=None):
    """True when the reason is (nearly) the text the proposal gives for this control: the learner's decision was not
    explained in their own words. Normalised (NFKC, letters and digits only), difflib ratio >= PROPOSAL_SIMILARITY."""
    mine = _plain(reason or "")
    if not mine:
        return False
    spec = settings().get(str(number)) or {}
    for key in ("with", "without"):  # the template with any company's names in its slots
        if spec.get(key):
            pieces = re.split(r"\{[a-z_]+\}", spec[key]["reason"])
            if len(pieces) > 1 and re.fullmatch(".{0,60}".join(re.escape(_plain(p)) for p in pieces), mine):
                return True
    return any(difflib.SequenceMatcher(None, mine, _plain(text)).ratio() >= PROPOSAL_SIMILARITY
               for text in proposal_texts(number, profile))


def check_soa(data, numbers=None, profile=None):
    """Check a table: the record data ({"controls": {...}}), the controls mapping itself, or SoaTable.entries.
    `profile` (the company profile) lets the check recognise the proposal's reasons fitted to that company."""
    numbers = list(numbers or default_numbers())
    if isinstance(data, dict) and "controls" in data:
        data = data["controls"]
    if data is None or (isinstance(data, dict) and not data):
        return SoaCheck(False, [t("ch14.soa.empty")], undecided=numbers)
    if not isinstance(data, dict):
        return SoaCheck(False, [t("ch14.soa.bad_type", kind=type(data).__name__)], undecided=numbers)
    entries = {str(k): _clean_entry(v) for k, v in data.items()}
    spec = settings()
    result = SoaCheck(True)
    for number in numbers:
        entry = entries.get(number, {"adopted": None, "reason": ""})
        if entry["adopted"] is None:
            result.undecided.append(number)
            continue
        result.decided.append(number)
        if entry["adopted"]:
            result.adopted += 1
            continue
        result.rejected += 1
        if not entry["reason"].strip():
            result.missing_reason.append(number)
        elif is_proposal_reason(number, entry["reason"], profile):
            result.proposal_reason.append(number)
        if number in spec and (spec[number]["core"] or spec[number]["caution"]):
            result.cautions.append(number)
    result.ok = not result.undecided and not result.missing_reason
    result.messages.append(t("ch14.soa.summary", adopted=result.adopted, rejected=result.rejected,
                             missing=len(result.missing_reason), undecided=len(result.undecided)))
    for number in result.missing_reason:
        result.messages.append(t("ch14.soa.no_reason", control=_title(number)))
    for number in result.proposal_reason:
        result.messages.append(t("ch14.soa.proposal_reason", control=_title(number)))
    if result.undecided:
        shown = "、".join(result.undecided[:5]) + (t("exercise.check.and_more", n=len(result.undecided) - 5)
                                                  if len(result.undecided) > 5 else "")
        result.messages.append(t("ch14.soa.undecided", numbers=shown))
    for number in result.cautions:
        spec_entry = spec[number]
        text = spec_entry["caution"] or t("ch14.soa.core_caution")
        result.messages.append(t("ch14.soa.caution", control=_title(number), text=text))
    if result.ok:
        result.messages.append(t("ch14.soa.ok"))
    return result


# -- the form ------------------------------------------------------------------------------------------------------------

class SoaRow(W.HBox):
    """One control: number and title, 採用 / 不採用, the reason, and a flag."""

    def __init__(self, number, entry, **kwargs):
        super().__init__(layout=W.Layout(align_items="center", border_bottom=f"1px solid {RULE}"), **kwargs)
        self.number = number
        try:
            control = get_control(number)
            title, title_en = control.display_title, control.title_en
        except KeyError:
            title, title_en = "", ""
        self.label = W.HTML(f"<b>{escape(number)}</b> {escape(title)}<br><small style='color:{MUTED}'>"
                            f"{escape(title_en)}</small>", layout=W.Layout(width="22em"))
        self.choice = W.ToggleButtons(options=[(t("ch14.soa.adopted"), True), (t("ch14.soa.rejected"), False)],
                                      value=entry["adopted"], style={"button_width": "5em"},
                                      tooltips=[t("a11y.soa_choice", number=number, choice=t("ch14.soa.adopted")),
                                                t("a11y.soa_choice", number=number, choice=t("ch14.soa.rejected"))],
                                      layout=W.Layout(width="12em"))
        self.reason = W.Text(value=entry["reason"], placeholder=t("ch14.soa.reason_placeholder"),
                             tooltip=t("a11y.soa_reason", number=number),
                             layout=W.Layout(width="100%", flex="1 1 auto"))
        self.flag = W.HTML(layout=W.Layout(width="11em"))
        self.children = [self.label, self.choice, self.reason, self.flag]

    @property
    def entry(self):
        return {"adopted": self.choice.value, "reason": self.reason.value}

    @entry.setter
    def entry(self, entry):
        self.choice.value, self.reason.value = entry["adopted"], entry["reason"]


class SoaTable(AnswerForm):
    """The statement-of-applicability form. `revision`: the revision of the saved record the form is based on."""

    def __init__(self, store=None, profile=None, numbers=None, **kwargs):
        super().__init__(store, SOA_KEY, SOA_KIND, **kwargs)
        self.profile = profile if profile is not None else load_profile(self.store)
        self.numbers = list(numbers or default_numbers())
        self.from_proposal = list(self.numbers)
        proposed = proposal(self.profile, self.numbers)
        self.rows = {n: SoaRow(n, proposed[n]) for n in self.numbers}
        self.save_button = W.Button(description=t("ch14.soa.save"), icon="save", button_style="primary",
                                    layout=W.Layout(width="auto"))
        self.check_button = W.Button(description=t("ch14.soa.check"), icon="check", layout=W.Layout(width="auto"))
        self.reset_button = W.Button(description=t("ch14.soa.reset"), icon="undo", layout=W.Layout(width="auto"))
        self.save_button.on_click(lambda _: self.save())
        self.check_button.on_click(lambda _: self.check())
        self.reset_button.on_click(lambda _: self.reset_to_proposal())
        self.summary = W.HTML()
        header = W.HTML(f"<h3 style='margin-bottom:0.2em'>{escape(t('ch14.soa.title'))}</h3>"
                        f"<div style='color:{MUTED}'>{escape(t('ch14.soa.help', company=self.profile.name))}</div>")
        self.children = [header, W.HBox([self.save_button, self.check_button, self.reset_button]), self.status, self.summary,
                         self.messages, W.VBox(list(self.rows.values()))]
        inputs = [w for row in self.rows.values() for w in (row.choice, row.reason)]
        self._open(inputs)  # opening the form saves nothing: a proposal is saved once the learner confirms it
        self._refresh()

    # -- the record -----------------------------------------------------------------------------------------------------
    def _read(self, data):
        return read_entries(data)

    def _show(self, saved):
        """Saved entries in their rows, the proposal in the others."""
        proposed = proposal(self.profile, self.numbers)
        self.from_proposal = [n for n in self.numbers if n not in saved]
        for n, row in self.rows.items():
            row.entry = saved.get(n) or proposed[n]

    def _data(self):
        return soa_data(self.entries, self.store)

    def _opened_status(self, record):
        if record is not None and not self.from_proposal:
            return super()._opened_status(record)
        if record is not None:
            return t("ch14.soa.partly_proposed", n=len(self.from_proposal)), "note"
        return t("ch14.soa.proposal_not_saved"), "note"

    @property
    def entries(self):
        """{number: {"adopted": bool or None, "reason": str}} as in the form now."""
        return {n: row.entry for n, row in self.rows.items()}

    def _refresh(self):
        spec = settings()
        for n, row in self.rows.items():
            entry = row.entry
            flag = ""
            if entry["adopted"] is None:
                flag = t("ch14.soa.flag_undecided")
            elif entry["adopted"] is False and not entry["reason"].strip():
                flag = t("ch14.soa.flag_no_reason")
            elif entry["adopted"] is False and n in spec and (spec[n]["core"] or spec[n]["caution"]):
                flag = t("ch14.soa.flag_caution")
            row.flag.value = f"<span>{icon('⚠', WARN)} {escape(flag)}</span>" if flag else ""
        result = check_soa(self.entries, self.numbers)
        self.summary.value = escape(t("ch14.soa.summary", adopted=result.adopted, rejected=result.rejected,
                                      missing=len(result.missing_reason), undecided=len(result.undecided)))
        return result

    # -- actions ------------------------------------------------------------------------------------------------------
    def save(self):
        """Save the whole table (atomically; entries of controls outside the form are kept)."""
        result = super().save()
        if result.ok:
            self.from_proposal = []
        self._refresh()
        return result

    def reset_to_proposal(self):
        """Put the proposal for the current profile into every row and save once (history keeps the old table)."""
        with self.quietly():
            self._show({})
        result = self.save()
        if result.ok:
            self.tell(t("ch14.soa.reset_done", path=self.store.history_dir(SOA_KEY)))
        return result

    def check(self):
        """Show and return the check of the table as it is in the form."""
        result = self._refresh()
        for message in result.messages:
            self.tell(message)
        return result


__all__ = ["SoaTable", "SoaCheck", "check_soa", "load_soa", "save_soa", "proposal", "default_numbers", "SOA_KEY"]
