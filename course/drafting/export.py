"""All of a learner's drafts as one document, 情報セキュリティ関連規程, in Markdown and Word (.docx).

The document has a cover (company, version, date, approval), contents, the statement of applicability if the learner
made one (AnswerStore key "soa"), then one section per control in Annex A order: 組織的管理策 (5.x) and 人的管理策 (6.x),
each with its 対策基準 and its 実施手順 as a table. Japanese text in Word needs an East Asian font: every style is set
to Yu Gothic (游ゴシック); Word or LibreOffice substitute another Japanese font where it is not installed.
"""

import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from ..catalog import THEMES, catalog
from ..errors import CourseError
from ..fileio import write_atomic
from ..i18n import t
from ..profile import load_profile
from ..word import use_japanese_fonts
from .drafts import open_draft
from .markdown import HEADINGS, STEP_HEADERS, draft_to_markdown, table_cell
from ..answers.draft import STEP_FIELDS
from ..answers.store import AnswerStore

SOA_KEY = SOA_KIND = "soa"
# Characters that XML 1.0 (and so Word) cannot hold: control characters and lone surrogates.
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text):
    return NOT_XML_RE.sub("", str(text))


@dataclass
class Cover:
    company: str
    version: str = "1.0"
    date: str = ""
    approver: str = ""      # 承認者 (left blank for a signature when empty)
    approved_on: str = ""   # 承認日


@dataclass
class ApplicabilityRow:
    number: str
    title: str
    adopted: bool | None  # None: not decided yet
    reason: str


@dataclass
class RulesDocument:
    cover: Cover
    sections: list = field(default_factory=list)       # [(Control, Draft)] in Annex A order
    applicability: list = field(default_factory=list)  # [ApplicabilityRow]
    messages: list = field(default_factory=list)       # files set aside while reading, for the learner

    @property
    def title(self):
        return t("drafting.export.title", company=self.cover.company)

    def by_theme(self):
        """[(theme name, [(Control, Draft)])] for the themes that have sections."""
        groups = []
        for theme, (name_ja, _) in THEMES.items():
            items = [(c, d) for c, d in self.sections if c.theme == theme]
            if items:
                groups.append((name_ja, items))
        return groups


def load_applicability(store):
    """The statement of applicability rows, or [] if the learner has not made one."""
    result = store.load(SOA_KEY, SOA_KIND)
    if result.record is None:
        return [], [result.message] if result.message else []
    controls = result.record.data.get("controls")
    if not isinstance(controls, dict):
        return [], [t("drafting.export.soa_unreadable")]
    known = catalog()
    rows = []
    for number, entry in controls.items():
        entry = entry if isinstance(entry, dict) else {}
        adopted = entry.get("adopted")
        control = known.get(str(number))
        rows.append(ApplicabilityRow(
            number=str(number),
            title=control.display_title if control else "",
            adopted=adopted if isinstance(adopted, bool) else None,
            reason=entry.get("reason") if isinstance(entry.get("reason"), str) else "",
        ))
    rows.sort(key=lambda r: known[r.number].sort_key if r.number in known else (99, 99))
    return rows, []


def build_document(store=None, profile=None, version="1.0", date=None, approver="", approved_on=""):
    """Collect every non-empty draft in the answers folder into a RulesDocument."""
    store = store or AnswerStore()
    profile = profile if profile is not None else load_profile(store)
    cover = Cover(profile.name, version, date or Date.today().isoformat(), approver, approved_on)
    doc = RulesDocument(cover)
    for control in catalog().values():  # Annex A order: 5.1 ... 5.37, 6.1 ... 6.8
        opened = open_draft(control, store)
        if opened.message:
            doc.messages.append(opened.message)
        if not opened.draft.is_empty():
            doc.sections.append((control, opened.draft))
    doc.applicability, messages = load_applicability(store)
    doc.messages += messages
    return doc


def _adopted(row):
    return {True: t("drafting.export.adopted"), False: t("drafting.export.not_adopted"), None: t("drafting.export.undecided")}[row.adopted]


def document_markdown(doc):
    c = doc.cover
    lines = [f"# {table_cell(doc.title)}", "",
             f"| {t('drafting.export.item')} | {t('drafting.export.value')} |", "|---|---|",
             f"| {t('drafting.export.company')} | {table_cell(c.company)} |",
             f"| {t('drafting.export.version')} | {table_cell(c.version)} |",
             f"| {t('drafting.export.date')} | {table_cell(c.date)} |",
             f"| {t('drafting.export.approver')} | {table_cell(c.approver)} |",
             f"| {t('drafting.export.approved_on')} | {table_cell(c.approved_on)} |", "",
             f"## {t('drafting.export.contents')}", ""]
    if doc.applicability:
        lines.append(f"- {t('drafting.export.soa')}")
    for theme, items in doc.by_theme():
        lines.append(f"- {theme}")
        lines += [f"  - {table_cell(control.number)} {table_cell(control.display_title)}" for control, _ in items]
    if not doc.sections:
        lines += ["", t("drafting.export.no_drafts")]
    if doc.applicability:
        lines += ["", f"## {t('drafting.export.soa')}", "",
                  f"| {t('drafting.export.soa_number')} | {t('drafting.export.soa_control')} | {t('drafting.export.soa_adopted')} "
                  f"| {t('drafting.export.soa_reason')} |", "|---|---|---|---|"]
        lines += [f"| {table_cell(r.number)} | {table_cell(r.title)} | {_adopted(r)} | {table_cell(r.reason)} |"
                  for r in doc.applicability]
    for theme, items in doc.by_theme():
        lines += ["", f"## {theme}"]
        for _, draft in items:
            lines += ["", draft_to_markdown(draft, level=3, blank=t("drafting.export.blank")).rstrip("\n")]
    return clean("\n".join(lines) + "\n")


# -- Word ------------------------------------------------------------------------------------------------------------


def _table(document, header, rows):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(text)).bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = clean(text)
    return table


def document_docx(doc):
    """A python-docx Document of the rules."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    use_japanese_fonts(document)
    c = doc.cover
    document.core_properties.title = clean(doc.title)[:250]
    document.add_paragraph(clean(doc.title), style="Title")
    _table(document, [t("drafting.export.item"), t("drafting.export.value")], [
        (t("drafting.export.company"), c.company), (t("drafting.export.version"), c.version), (t("drafting.export.date"), c.date),
        (t("drafting.export.approver"), c.approver), (t("drafting.export.approved_on"), c.approved_on)])
    document.add_paragraph(t("drafting.export.font_note"), style="Caption")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    document.add_heading(t("drafting.export.contents"), level=1)
    if doc.applicability:
        document.add_paragraph(t("drafting.export.soa"), style="List Bullet")
    for theme, items in doc.by_theme():
        document.add_paragraph(theme, style="List Bullet")
        for control, _ in items:
            document.add_paragraph(clean(f"{control.number} {control.display_title}"), style="List Bullet 2")
    if not doc.sections:
        document.add_paragraph(t("drafting.export.no_drafts"))

    if doc.applicability:
        document.add_heading(t("drafting.export.soa"), level=1)
        _table(document, [t("drafting.export.soa_number"), t("drafting.export.soa_control"), t("drafting.export.soa_adopted"),
                          t("drafting.export.soa_reason")],
               [(r.number, r.title, _adopted(r), r.reason) for r in doc.applicability])

    for theme, items in doc.by_theme():
        document.add_heading(theme, level=1)
        for control, draft in items:
            _draft_docx(document, control, draft)
    return document


def _draft_docx(document, control, draft):
    document.add_heading(clean(f"{control.number} {control.display_title}"), level=2)
    for section in ("purpose", "scope", "statements", "steps", "owner", "review", "related"):
        value = getattr(draft, section)
        document.add_heading(HEADINGS[section], level=3)
        if section in ("statements", "related"):
            items = [item.strip() for item in value if item.strip()]
            for item in items:
                document.add_paragraph(clean(item), style="List Bullet")
            written = bool(items)
        elif section == "steps":
            steps = [s for s in value if not s.is_empty()]
            if steps:
                _table(document, [STEP_HEADERS[f] for f in STEP_FIELDS],
                       [[getattr(s, f).strip() for f in STEP_FIELDS] for s in steps])
            written = bool(steps)
        else:
            written = bool(value.strip())
            if written:
                document.add_paragraph(clean(value.strip()))
        if not written:
            document.add_paragraph(t("drafting.export.blank"))


# -- files -----------------------------------------------------------------------------------------------------------

def _write_atomic(path, write):
    """Write through a temporary file in the same folder, so that a failed export leaves the old file intact."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_atomic(path, write)
    except OSError as exc:
        raise CourseError(t("drafting.export.write_failed", path=path, reason=exc.strerror or exc)) from None


def write_markdown(doc, path):
    return _write_atomic(path, lambda f: f.write(document_markdown(doc).encode("utf-8")))


def write_docx(doc, path):
    document = document_docx(doc)
    return _write_atomic(path, document.save)


def export(out, store=None, profile=None, **cover):
    """Write the document to `out`: .md for Markdown, .docx for Word. Returns the RulesDocument."""
    out = Path(out)
    writers = {".md": write_markdown, ".docx": write_docx}
    if out.suffix.lower() not in writers:
        raise CourseError(t("drafting.export.bad_suffix", path=out))
    doc = build_document(store, profile, **cover)
    writers[out.suffix.lower()](doc, out)
    return doc


def export_all(folder, store=None, profile=None, name="security-rules", **cover):
    """Write both <folder>/<name>.md and <folder>/<name>.docx; returns (RulesDocument, [paths])."""
    doc = build_document(store, profile, **cover)
    folder = Path(folder)
    paths = [write_markdown(doc, folder / f"{name}.md"), write_docx(doc, folder / f"{name}.docx")]
    return doc, paths
