"""All of a learner's drafts as one document, 情報セキュリティ関連規程, in Markdown and Word (.docx).

The document follows the form a Japanese company adopts a 規程 in:
- cover: company, version, dates, the approval block (承認・確認・作成) and the summary of the consistency check;
- 制定・改訂履歴, then 目次;
- 第1編 対策基準: 第1章 総則 (目的, 適用範囲, 体制 from the profile's role table, 見直し), then one chapter per theme
  (組織的管理策, 人的管理策) with one article 第N条（管理策名） per control: its statements as 項 (the first unnumbered,
  then ２, ３ …), a last 項 that refers to its procedure (第2編第M条), and a note with 目的・適用範囲・責任者・見直し時期;
- 第2編 実施手順: one article per control that has steps, referring back to 第1編第N条, with the steps as a table whose
  columns are as wide as their content (作業 the widest);
- 附則 (施行日), then appendices: the statement of applicability, the note on unverified Japanese control names (the
  body shows no 「訳語未確認」 marker) and the consistency findings.

The document holds only what the learner wrote: no section is ever filled from the catalog model (the controls of
content/hidden_models.yaml, whose model the course never shows, least of all).

One list of blocks (`document_blocks`) is written both as Markdown and as Word. Word: A4, every style with an East
Asian font (Yu Gothic, course/word.py), tables with fixed column widths (LibreOffice and Word keep them).
"""

import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from ..catalog import THEMES, catalog
from ..errors import CourseError
from ..fileio import write_atomic
from ..i18n import t
from ..profile import CompanyProfile, load_profile
from ..word import use_japanese_fonts
from .consistency import check_drafts
from .drafts import open_draft
from .markdown import STEP_HEADERS, table_cell
from ..answers.draft import STEP_FIELDS
from ..answers.store import AnswerStore

SOA_KEY = SOA_KIND = "soa"
# Characters that XML 1.0 (and so Word) cannot hold: control characters and lone surrogates.
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
KANJI_NUMBERS = "〇一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def clean(text):
    return NOT_XML_RE.sub("", str(text))


def kanji_number(n):
    """1 -> 一, 12 -> 十二, 20 -> 二十 (号 numbers)."""
    tens, ones = divmod(n, 10)
    return (("" if tens <= 1 else KANJI_NUMBERS[tens]) + ("十" if tens else "") + (KANJI_NUMBERS[ones] if ones else "")) or "〇"


def japanese_date(text):
    """'2025-04-01' -> '2025年4月1日'; anything else unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(text).strip())
    return f"{int(m[1])}年{int(m[2])}月{int(m[3])}日" if m else str(text).strip()


@dataclass
class Cover:
    company: str
    version: str = "1.0"
    date: str = ""          # 制定日 / 作成日
    approver: str = ""      # 承認者 (left blank for a signature when empty)
    approved_on: str = ""   # 承認日
    effective: str = ""     # 施行日 (附則); empty: the day of approval


@dataclass
class ApplicabilityRow:
    number: str
    title: str
    adopted: bool | None  # None: not decided yet
    reason: str


@dataclass
class RulesDocument:
    cover: Cover
    profile: CompanyProfile = field(default_factory=CompanyProfile)
    sections: list = field(default_factory=list)       # [(Control, Draft)] in Annex A order
    applicability: list = field(default_factory=list)  # [ApplicabilityRow]
    messages: list = field(default_factory=list)       # files set aside while reading, for the learner
    consistency: object = None                         # consistency.Report over the sections

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

    def articles(self):
        """{control number: (standard article number, procedure article number or None)}; 総則 has 4 articles."""
        numbers, standard, procedure = {}, len(GENERAL_ARTICLES), 0
        for _, items in self.by_theme():
            for control, draft in items:
                standard += 1
                has_steps = any(not s.is_empty() for s in draft.steps)
                procedure += has_steps
                numbers[control.number] = (standard, procedure if has_steps else None)
        return numbers


GENERAL_ARTICLES = ("purpose", "scope", "roles", "review")


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
            title=control.title_ja if control else "",
            adopted=adopted if isinstance(adopted, bool) else None,
            reason=entry.get("reason") if isinstance(entry.get("reason"), str) else "",
        ))
    rows.sort(key=lambda r: known[r.number].sort_key if r.number in known else (99, 99))
    return rows, []


def build_document(store=None, profile=None, version="1.0", date=None, approver="", approved_on="", effective=""):
    """Collect every non-empty draft in the answers folder into a RulesDocument, with the consistency check."""
    store = store or AnswerStore()
    profile = profile if profile is not None else load_profile(store)
    cover = Cover(profile.name, version, date or Date.today().isoformat(), approver, approved_on, effective)
    doc = RulesDocument(cover, profile)
    for control in catalog().values():  # Annex A order: 5.1 ... 5.37, 6.1 ... 6.8
        opened = open_draft(control, store)
        if opened.message:
            doc.messages.append(opened.message)
        if not opened.draft.is_empty():
            doc.sections.append((control, opened.draft))
    doc.applicability, messages = load_applicability(store)
    doc.messages += messages
    doc.consistency = check_drafts([d for _, d in doc.sections], profile)
    return doc


def _adopted(row):
    return {True: t("drafting.export.adopted"), False: t("drafting.export.not_adopted"), None: t("drafting.export.undecided")}[row.adopted]


# -- the blocks of the document --------------------------------------------------------------------------------------

@dataclass
class Block:
    kind: str                 # title / heading / para / table / pagebreak
    text: str = ""
    level: int = 0            # heading: 1 編・附則・付録, 2 章, 3 条
    style: str = "body"       # para: body / paragraph (項) / item (号) / note / caption
    header: tuple = ()
    rows: tuple = ()
    widths: tuple = ()        # table: column widths in cm


PAGE_WIDTH_CM = 17.0  # A4 (21 cm) less 2 cm margins


CHAR_CM, CELL_PAD_CM = 0.37, 0.4  # a full-width character at 10.5 pt; a cell's left and right margins


def column_widths(header, rows, fixed=None, widest=None, whole=(), total=PAGE_WIDTH_CM):
    """Column widths (cm) that fit the content. Every column gets room for its header (at least 3 characters);
    `whole` columns for half their longest cell (up to 12 characters), so that a title such as 情報セキュリティ責任者
    takes at most two lines; the rest of the page goes to the other columns in proportion to the mean length of their cells.
    `fixed` {index: cm} are kept as given; `widest` is made wider than every other column."""
    fixed = fixed or {}
    n = len(header)
    lengths = [[len(str(r[i])) for r in rows] or [0] for i in range(n)]
    floor = [fixed[i] if i in fixed else
             (-(-min(max(lengths[i]), 12) // 2) if i in whole else max(len(header[i]), 3)) * CHAR_CM
             + CELL_PAD_CM for i in range(n)]
    mean = [max(sum(cells) / len(cells), len(header[i]), 1) for i, cells in enumerate(lengths)]
    flexible = [i for i in range(n) if i not in fixed]
    spare = max(0.0, total - sum(floor))
    widths = [floor[i] + (spare * mean[i] / sum(mean[j] for j in flexible) if i in flexible else 0) for i in range(n)]
    if widest is not None:
        top = max((w for i, w in enumerate(widths) if i != widest), default=0)
        if widths[widest] <= top:
            gain = top * 1.2 - widths[widest]
            others = [i for i in flexible if i != widest]
            room = sum(widths[i] - floor[i] for i in others)
            for i in others:  # take the gain from the others' room above their floor
                widths[i] -= gain * (widths[i] - floor[i]) / room if room else 0
            widths[widest] += gain if room >= gain else room
    return tuple(round(w, 2) for w in widths)


def _article(n, title):
    return Block("heading", t("rules.article", n=n, title=title), level=3)


def _paragraphs(sentences):
    """項: the first unnumbered, then ２, ３ … (full-width, as in 法令)."""
    return [Block("para", text if i == 1 else f"{str(i).translate(FULL_WIDTH)}　{text}", style="paragraph")
            for i, text in enumerate(sentences, 1)]


def _general(doc):
    p, blocks = doc.profile, []
    values = p.placeholders()
    ciso, ceo = p.role("ciso").name, p.role("ceo").name
    texts = {
        "purpose": [t("rules.purpose_text", company=p.name)],
        "scope": [t("rules.scope_text", company=p.name)],
        "review": [t("rules.review_text", ciso=ciso, ceo=ceo, review=values["cal.review"])],
    }
    for n, key in enumerate(GENERAL_ARTICLES, 1):
        blocks.append(_article(n, t(f"rules.{key}_title")))
        if key == "roles":
            blocks.append(Block("para", t("rules.roles_text"), style="paragraph"))
            blocks += [Block("para", f"{kanji_number(i)}　" + t("rules.role_item", name=r.name, holder=r.holder,
                                                                  duty=r.duty), style="item")
                       for i, r in enumerate(p.role_table(), 1)]
            blocks.append(Block("para", "２　" + t("rules.roles_several"), style="paragraph"))
        else:
            blocks += _paragraphs(texts[key])
    return blocks


def _standard(control, draft, numbers):
    standard, procedure = numbers[control.number]
    statements = [s.strip() for s in draft.statements if s.strip()] or [t("drafting.export.blank")]
    if procedure:
        key = "rules.refer_procedure" if len(statements) > 1 else "rules.refer_procedure_one"
        statements.append(t(key, n=procedure))
    blocks = [_article(standard, control.title_ja), *_paragraphs(statements)]
    notes = [(t("rules.note_purpose"), draft.purpose), (t("rules.note_scope"), draft.scope),
             (t("rules.note_owner"), draft.owner), (t("rules.note_review"), draft.review),
             (t("rules.note_related"), "、".join(r.strip() for r in draft.related if r.strip()))]
    for label, value in notes:
        blocks.append(Block("para", f"【{label}】{value.strip() or t('drafting.export.blank')}", style="note"))
    blocks.append(Block("para", f"【{t('rules.note_control', number=control.number)}】", style="note"))
    return blocks


def _procedure(control, draft, numbers):
    standard, procedure = numbers[control.number]
    steps = [s for s in draft.steps if not s.is_empty()]
    header = (t("rules.step_no"), *(STEP_HEADERS[f] for f in STEP_FIELDS))
    rows = tuple((str(i), *(getattr(s, f).strip() for f in STEP_FIELDS)) for i, s in enumerate(steps, 1))
    return [_article(procedure, t("rules.procedure_title", title=control.title_ja)),
            Block("para", t("rules.procedure_intro", n=standard, title=control.title_ja), style="paragraph"),
            Block("table", header=header, rows=rows, widths=column_widths(header, rows, fixed={0: 1.3}, widest=2, whole=(1,)))]


def document_blocks(doc):
    c, p = doc.cover, doc.profile
    blocks = [Block("title", doc.title)]
    cover_rows = ((t("drafting.export.company"), c.company), (t("drafting.export.version"), c.version),
                  (t("rules.enacted"), japanese_date(c.date)), (t("rules.effective"), japanese_date(c.effective)),
                  (t("drafting.export.approver"), c.approver), (t("drafting.export.approved_on"), japanese_date(c.approved_on)))
    header = (t("drafting.export.item"), t("drafting.export.value"))
    blocks.append(Block("table", header=header, rows=cover_rows, widths=(4.0, 13.0)))
    approval = (t("rules.approval_approve"), t("rules.approval_check"), t("rules.approval_draft"))
    blocks += [Block("para", t("rules.approval"), style="caption"),
               Block("table", header=approval, rows=((p.role("ceo").name, p.role("ciso").name, ""),
                                                     (c.approver, "", ""), (t("rules.approval_date"),) * 3),
                     widths=(3.5, 3.5, 3.5))]
    if doc.consistency is not None and doc.sections:
        blocks.append(Block("para", t("rules.consistency_cover", summary=doc.consistency.summary()), style="body"))
        if not doc.consistency.ok:
            blocks.append(Block("para", t("rules.consistency_detail"), style="body"))
    blocks += [Block("para", t("drafting.export.font_note"), style="caption"), Block("pagebreak")]

    history_header = (t("rules.history_version"), t("rules.history_date"), t("rules.history_content"),
                      t("rules.history_approver"))
    enacted = t("rules.history_enacted") if c.version.strip() in ("1.0", "1", "第1版") else t("rules.history_revised")
    blocks += [Block("heading", t("rules.history"), level=1),
               Block("table", header=history_header, rows=((c.version, japanese_date(c.date), enacted, c.approver),),
                     widths=(2.0, 4.0, 7.0, 4.0))]

    numbers = doc.articles()
    themes = doc.by_theme()
    appendices = _appendices(doc)
    contents = [t("rules.part_standards"), "　" + t("rules.chapter_general")]
    contents += ["　" + t("rules.chapter", n=i, title=theme) for i, (theme, _) in enumerate(themes, 2)]
    if any(n[1] for n in numbers.values()):
        contents.append(t("rules.part_procedures"))
    contents.append(t("rules.supplementary"))
    contents += [title for title, _ in appendices]
    blocks.append(Block("heading", t("drafting.export.contents"), level=1))
    blocks += [Block("para", line, style="body") for line in contents]
    if not doc.sections:
        blocks.append(Block("para", t("drafting.export.no_drafts"), style="body"))

    blocks += [Block("pagebreak"), Block("heading", t("rules.part_standards"), level=1),
               Block("heading", t("rules.chapter_general"), level=2), *_general(doc)]
    for i, (theme, items) in enumerate(themes, 2):
        blocks.append(Block("heading", t("rules.chapter", n=i, title=theme), level=2))
        for control, draft in items:
            blocks += _standard(control, draft, numbers)

    if any(n[1] for n in numbers.values()):
        blocks += [Block("pagebreak"), Block("heading", t("rules.part_procedures"), level=1)]
        for i, (theme, items) in enumerate(themes, 1):
            with_steps = [(c_, d) for c_, d in items if numbers[c_.number][1]]
            if with_steps:
                blocks.append(Block("heading", t("rules.chapter", n=i, title=t("rules.procedures_of", theme=theme)),
                                    level=2))
                for control, draft in with_steps:
                    blocks += _procedure(control, draft, numbers)

    effective = japanese_date(c.effective)
    blocks += [Block("pagebreak"), Block("heading", t("rules.supplementary"), level=1),
               Block("para", t("rules.supplementary_effective", date=effective) if effective
                     else t("rules.supplementary_undated", ceo=p.role("ceo").name), style="paragraph")]
    for title, content in appendices:
        blocks += [Block("heading", title, level=1), *content]
    return blocks


def _appendices(doc):
    out = []

    def add(title, content):
        out.append((t("rules.appendix", n=len(out) + 1, title=title), content))

    if doc.applicability:
        header = (t("drafting.export.soa_number"), t("drafting.export.soa_control"), t("drafting.export.soa_adopted"),
                  t("drafting.export.soa_reason"))
        rows = tuple((r.number, r.title, _adopted(r), r.reason) for r in doc.applicability)
        add(t("drafting.export.soa"), [Block("table", header=header, rows=rows,
                                             widths=column_widths(header, rows, fixed={0: 1.5, 2: 2.0}))])
    known = catalog()
    shown = {c.number for c, _ in doc.sections} | {r.number for r in doc.applicability}
    unverified = [c for n, c in known.items() if n in shown and not c.verified]
    if unverified:
        add(t("rules.appendix_names"), [Block("para", t("rules.appendix_names_text"), style="body")]
            + [Block("para", f"{c.number}　{c.title_ja}（{c.title_en}）", style="item") for c in unverified])
    if doc.consistency is not None and doc.sections and not doc.consistency.ok:
        add(t("rules.appendix_consistency"), [Block("para", doc.consistency.summary(), style="body")]
            + [Block("para", f"{kanji_number(i)}　{f.message}", style="item")
               for i, f in enumerate(doc.consistency.findings, 1)])
    return out


# -- Markdown --------------------------------------------------------------------------------------------------------

def document_markdown(doc):
    lines = []
    for b in document_blocks(doc):
        if b.kind == "title":
            lines += [f"# {table_cell(b.text)}", ""]
        elif b.kind == "heading":
            lines += [f"{'#' * (b.level + 1)} {table_cell(b.text)}", ""]
        elif b.kind == "para":
            text = table_cell(b.text)
            lines += [f"*{text}*" if b.style == "caption" else f"> {text}" if b.style == "note" else text, ""]
        elif b.kind == "table":
            lines.append("| " + " | ".join(table_cell(h) for h in b.header) + " |")
            lines.append("|" + "---|" * len(b.header))
            lines += ["| " + " | ".join(table_cell(v) for v in row) + " |" for row in b.rows]
            lines.append("")
        elif b.kind == "pagebreak":
            lines += ["---", ""]
    return clean("\n".join(lines).rstrip("\n") + "\n")


# -- Word ------------------------------------------------------------------------------------------------------------

PARAGRAPH_STYLES = {  # name: (left indent cm, first line cm, size pt)
    "Rules Paragraph": (0.35, -0.35, None),   # 項: hanging by one character
    "Rules Item": (0.7, -0.35, None),         # 号
    "Rules Note": (0.35, 0, 9),               # 【目的】… under an article
}


def _styles(document):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    for name, (left, first, size) in PARAGRAPH_STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.paragraph_format.left_indent = Cm(left)
        style.paragraph_format.first_line_indent = Cm(first)
        style.paragraph_format.space_after = Pt(2)
        if size:
            style.font.size = Pt(size)


def _docx_table(document, block):
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.autofit = False  # fixed layout: the widths below hold in Word and LibreOffice
    for cell, text in zip(table.rows[0].cells, block.header):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(text)).bold = True
    for values in block.rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = clean(text)
    for i, width in enumerate(block.widths):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)
    return table


def document_docx(doc):
    """A python-docx Document of the rules."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin = section.bottom_margin = Cm(2.0)
    _styles(document)
    use_japanese_fonts(document)
    document.core_properties.title = clean(doc.title)[:250]
    styles = {"body": "Normal", "paragraph": "Rules Paragraph", "item": "Rules Item", "note": "Rules Note",
              "caption": "Caption"}
    for b in document_blocks(doc):
        if b.kind == "title":
            document.add_paragraph(clean(b.text), style="Title")
        elif b.kind == "heading":
            document.add_heading(clean(b.text), level=b.level)
        elif b.kind == "para":
            document.add_paragraph(clean(b.text), style=styles[b.style])
        elif b.kind == "table":
            _docx_table(document, b)
        elif b.kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return document


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
