"""Drafts as Markdown, out and in.

Every draft exports to one form:

    # 6.6 秘密保持契約又は守秘義務契約
    ## 目的
    ## 適用範囲
    ## 対策基準
    - 〜しなければならない。
    ## 実施手順
    | 担当 | 作業 | 時期 | 記録 |
    |---|---|---|---|
    ## 責任者
    ## 見直し時期
    ## 関連文書
    - ...

Learner text is HTML-escaped (& < >), so a Markdown viewer never runs it, and `|` inside a table cell is escaped.
Import is tolerant (numbered lists, ・ bullets, full-width pipes, missing sections, other heading levels) and undoes
exactly what export does: import(export(d)) == normalize(d), and export(import(text)) is stable.
"""

import html
import re
import unicodedata

from ..i18n import t
from .drafts import resolve_control
from ..answers.draft import STEP_FIELDS, Draft, DraftFormatError, DraftStep

SECTIONS = ("purpose", "scope", "statements", "steps", "owner", "review", "related")
HEADINGS = {"purpose": "目的", "scope": "適用範囲", "statements": "対策基準", "steps": "実施手順",
            "owner": "責任者", "review": "見直し時期", "related": "関連文書"}
STEP_HEADERS = {"who": "担当", "what": "作業", "when": "時期", "record": "記録"}

# Heading names accepted on import (compared after NFKC, lower case, without spaces).
SECTION_ALIASES = {
    "purpose": ("目的", "purpose"),
    "scope": ("適用範囲", "範囲", "対象範囲", "scope"),
    "statements": ("対策基準", "基準", "規程", "ルール", "standard", "standards", "rules"),
    "steps": ("実施手順", "手順", "procedure", "procedures", "steps"),
    "owner": ("責任者", "管理責任者", "owner"),
    "review": ("見直し時期", "見直し", "review"),
    "related": ("関連文書", "関連規程", "関連資料", "related", "relateddocuments"),
}
COLUMN_ALIASES = {
    "who": ("担当", "担当者", "実施者", "役割", "誰が", "who"),
    "what": ("作業", "作業内容", "内容", "実施内容", "実施事項", "何を", "what", "task"),
    "when": ("時期", "いつ", "タイミング", "頻度", "期日", "期限", "when"),
    "record": ("記録", "記録物", "証跡", "成果物", "記録・証跡", "record", "records"),
}
NUMBER_COLUMNS = ("no", "no.", "#", "番号", "項番", "順番", "順序")
NUMBER_CELL_RE = re.compile(r"^[\s\d.()#]*$")  # after NFKC: "1", "(2)", "3." ... a numbering column holds only these

TITLE_NUMBER_RE = re.compile(r"^\s*(\d{1,2}\.\d{1,3})(?![\d.])")
# One marker, then the item: "- ", "* ", "+ ", "1. ", "1) ", "(1) ", "・", "•", "●", "①".
ITEM_RE = re.compile(r"^ ?(?:[-*+][ \t\u3000]+|\d{1,3}[.)][ \t\u3000]+|[(（]\d{1,3}[)）][ \t\u3000]*"
                     r"|[０-９]{1,3}[．.）)][ \t\u3000]*|[・•●○◦▪■□◆◇][ \t\u3000]*|[①-⑳][ \t\u3000]*)(.*)$")
PIPES = "|｜"
CELL_RE = re.compile(r"(?:\\.|\\$|[^\\|｜])*")
SEPARATOR_CELL_RE = re.compile(r"^[ \t\u3000]*[:：]?[-－ー—―‐]+[:：]?[ \t\u3000]*$")
BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
HEADING_ESCAPE_RE = re.compile(r"^(\\*)#", re.MULTILINE)
HEADING_UNESCAPE_RE = re.compile(r"^\\(\\*#)", re.MULTILINE)
CELL_UNESCAPE_RE = re.compile(r"\\([\\|｜])")


# -- export -----------------------------------------------------------------------------------------------------------

def _esc(text):
    return html.escape(text, quote=False)


def _lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def paragraph(text):
    """A text section: HTML-escaped; a line starting with # gets one more backslash so it cannot become a heading."""
    return HEADING_ESCAPE_RE.sub(lambda m: "\\" + m.group(1) + "#", _esc(_lines(text).strip()))


def _item(text):
    """A list item; further lines are indented so that they continue the item."""
    lines = [line.strip() for line in _esc(_lines(text)).split("\n") if line.strip()]
    return "- " + "\n  ".join(lines) if lines else ""


def table_cell(text):
    """Text for a Markdown table cell: escaped HTML, escaped pipes and backslashes, <br> for new lines."""
    text = _esc(_lines(text).strip()).replace("\\", "\\\\")
    for pipe in PIPES:
        text = text.replace(pipe, "\\" + pipe)
    return text.replace("\n", "<br>")


def draft_title(draft):
    try:
        return f"{draft.control} {resolve_control(draft.control).display_title}"
    except DraftFormatError:
        return draft.control


def draft_to_markdown(draft, level=1, blank=None):
    """The draft as Markdown; `level` (1-5) is the level of the title heading, sections are one level below.
    `blank`: text shown under an empty section (for a document to review; leave None for a draft to import again)."""
    if not 1 <= level <= 5:
        raise ValueError("level must be 1 to 5")
    top, sub = "#" * level, "#" * (level + 1)
    parts = [f"{top} {_esc(draft_title(draft))}"]
    for section in SECTIONS:
        parts.append(f"{sub} {HEADINGS[section]}")
        if section == "statements" or section == "related":
            body = "\n".join(filter(None, (_item(s) for s in getattr(draft, section))))
        elif section == "steps":
            rows = [[table_cell(getattr(s, f)) for f in STEP_FIELDS] for s in draft.steps if not s.is_empty()]
            header = "| " + " | ".join(STEP_HEADERS[f] for f in STEP_FIELDS) + " |\n|---|---|---|---|"
            body = "\n".join([header, *("| " + " | ".join(r) + " |" for r in rows)]) if rows or not blank else ""
        else:
            body = paragraph(getattr(draft, section))
        if body or blank:
            parts.append(body or _esc(blank))
    return "\n\n".join(parts) + "\n"


def normalize(draft):
    """What a draft becomes after a Markdown round trip: trimmed text, no empty items or steps."""
    def items(values):
        return ["\n".join(x.strip() for x in _lines(v).split("\n") if x.strip()) for v in values if v.strip()]

    steps = [DraftStep(**{f: _lines(getattr(s, f)).strip() for f in STEP_FIELDS}) for s in draft.steps]
    return Draft(control=draft.control, purpose=_lines(draft.purpose).strip(), scope=_lines(draft.scope).strip(),
                 statements=items(draft.statements), owner=_lines(draft.owner).strip(),
                 review=_lines(draft.review).strip(), related=items(draft.related),
                 steps=[s for s in steps if not s.is_empty()])


# -- import -----------------------------------------------------------------------------------------------------------

def _key(text):
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"^(?:\d+(?:\.\d+)*[.)]?|[(]\d+[)])\s*", "", text.strip())
    return re.sub(r"[\s:：]", "", text)


def _section_of(title):
    key = _key(title)
    for section, names in SECTION_ALIASES.items():
        if key in names:
            return section
    return None


def _heading(line):
    """The title of a Markdown heading line ("## 目的" -> "目的"), or None. Written without a regex: a learner's
    1 MB line of # characters must not make the import slow."""
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= 6 or (len(line) > level and line[level] not in " \t\u3000"):
        return None
    title = line[level:].strip()
    closing = title.rstrip("#")
    if closing != title and (not closing or closing[-1] in " \t\u3000"):
        title = closing.strip()
    return title


def _split_row(line):
    """Cells of a table row, split on pipes that are not escaped with a backslash; outer pipes are optional."""
    cells, pos = [], 0
    while True:
        match = CELL_RE.match(line, pos)
        cells.append(match.group())
        pos = match.end() + 1  # past the pipe
        if pos > len(line):
            break
        if pos == len(line):
            cells.append("")
            break
    if len(cells) > 1 and cells[0] == "":
        cells = cells[1:]
    if len(cells) > 1 and cells[-1] == "":
        cells = cells[:-1]
    return cells


def _cell_text(raw):
    text = CELL_UNESCAPE_RE.sub(r"\1", BR_RE.sub("\n", raw.strip()))
    return html.unescape(text)


def _is_separator(row):
    return all(SEPARATOR_CELL_RE.match(c) for c in row)


def _columns(header, certain):
    """Step fields of the header cells (None for a numbering column), or None if the row is not a header.
    `certain`: a separator row follows, so this is a header; then a column that is neither a step field nor a
    numbering column is refused, so that nothing is silently dropped."""
    known = {k: f for f, names in COLUMN_ALIASES.items() for k in names}
    keys = [_key(c) for c in header]
    unknown = [c for c, k in zip(header, keys) if k not in known and k not in NUMBER_COLUMNS and k]
    if not any(k in known for k in keys):
        return None
    if unknown:
        if not certain:
            return None
        raise DraftFormatError(t("drafting.md_unknown_column", column=unknown[0].strip()[:40],
                                 columns="、".join(STEP_HEADERS.values())))
    return [known.get(k) for k in keys]


def _parse_steps(lines):
    if not any(p in line for line in lines for p in PIPES):
        return [DraftStep(what=item) for item in _parse_items(lines)]  # a list instead of a table: one step each
    lines = [line.strip() for line in lines if line.strip()]
    table = [line for line in lines if any(p in line for p in PIPES)]
    if len(table) != len(lines):
        other = next(line for line in lines if line not in table)
        raise DraftFormatError(t("drafting.md_not_table", line=other[:60]))
    rows = [_split_row(line) for line in table]
    has_separator = len(rows) > 1 and _is_separator(rows[1])
    columns = _columns(rows[0], certain=has_separator)
    if has_separator:
        rows = rows[2:]
    elif columns is not None:
        rows = rows[1:]
    columns = columns or list(STEP_FIELDS)
    steps = []
    for row in rows:
        if any(c.strip() for c in row[len(columns):]):
            raise DraftFormatError(t("drafting.md_too_many_cells", row="|".join(row)[:60]))
        values = dict.fromkeys(STEP_FIELDS, "")
        for field, raw in zip(columns, row):
            if field:
                values[field] = _cell_text(raw)
            elif not NUMBER_CELL_RE.match(unicodedata.normalize("NFKC", raw)):
                raise DraftFormatError(t("drafting.md_number_column", cell=raw.strip()[:40]))
        step = DraftStep(**values)
        if not step.is_empty():
            steps.append(step)
    return steps


def _parse_items(lines):
    """List items: a line with a marker (or an unmarked line) starts an item; an indented line continues it."""
    items = []
    for line in lines:
        if not line.strip():
            continue
        indented = line.startswith(("  ", "\t"))
        match = None if indented else ITEM_RE.match(line)
        if indented and items:
            items[-1].append(line.strip())
        else:
            items.append([(match.group(1) if match else line).strip()])
    texts = ("\n".join(x for x in parts if x) for parts in items)
    return [html.unescape(x) for x in texts if x]


def _parse_paragraph(lines):
    text = "\n".join(lines).strip()
    return html.unescape(HEADING_UNESCAPE_RE.sub(r"\1", text))


def draft_from_markdown(text, control=None):
    """A Draft from Markdown. `control` (a number or Control) is used when the text has no title, and must match it
    when it has one. Raises DraftFormatError with a Japanese message on bad input."""
    if not isinstance(text, str):
        raise DraftFormatError(t("drafting.md_not_text"))
    expected = resolve_control(control).number if control is not None else None
    number, current, bodies, preamble = None, None, {s: [] for s in SECTIONS}, []
    for line in _lines(text.lstrip("\ufeff")).split("\n"):
        title = _heading(line)
        if title is None:
            if current is not None:
                bodies[current].append(line)
            elif line.strip():
                preamble.append(line)
            continue
        section = _section_of(title)
        found = TITLE_NUMBER_RE.match(unicodedata.normalize("NFKC", title))
        if section:
            current = section
        elif found and number is None:
            number, current = found.group(1), None
        elif found:
            raise DraftFormatError(t("drafting.md_two_controls", first=number, second=found.group(1)))
        else:
            raise DraftFormatError(t("drafting.md_unknown_heading", heading=line.strip()[:60],
                                     headings="、".join(HEADINGS.values())))
    if preamble:
        raise DraftFormatError(t("drafting.md_text_outside", line=preamble[0].strip()[:60]))
    if number is None and expected is None:
        raise DraftFormatError(t("drafting.md_no_control"))
    if number is not None:
        number = resolve_control(number).number
        if expected is not None and number != expected:
            raise DraftFormatError(t("drafting.md_other_control", found=number, expected=expected))
    return Draft(
        control=number or expected,
        purpose=_parse_paragraph(bodies["purpose"]),
        scope=_parse_paragraph(bodies["scope"]),
        statements=_parse_items(bodies["statements"]),
        owner=_parse_paragraph(bodies["owner"]),
        review=_parse_paragraph(bodies["review"]),
        related=_parse_items(bodies["related"]),
        steps=_parse_steps(bodies["steps"]),
    )
