"""HTML for the workbench: the live preview of a draft and the self-check result.

Every piece of learner text goes through html.escape; nothing a learner types is ever put into HTML as markup.
Very long fields are cut in the preview only (the saved draft and the export keep everything), so that a 1 MB field
does not slow the form down.
"""

from html import escape

from ..i18n import t
from ..theme import CELL, MUTED
from .markdown import HEADINGS, STEP_HEADERS, draft_title
from ..answers.draft import STEP_FIELDS

PREVIEW_LIMIT = 2000  # characters shown per field


def text_html(text, limit=PREVIEW_LIMIT):
    """Escaped text with line breaks; cut after `limit` characters with a note."""
    cut = len(text) > limit
    shown = escape(text[:limit] if cut else text).replace("\n", "<br>")
    if cut:
        shown += f' <span style="color:{MUTED}">{escape(t("drafting.preview_cut", count=f"{len(text):,}"))}</span>'
    return shown


def _empty():
    return f'<span style="color:{MUTED}">{escape(t("drafting.preview_empty"))}</span>'


def _block(text, limit):
    return f"<p>{text_html(text, limit)}</p>" if text.strip() else f"<p>{_empty()}</p>"


def _items(values, limit):
    items = [v for v in values if v.strip()]
    if not items:
        return f"<p>{_empty()}</p>"
    return "<ul>" + "".join(f"<li>{text_html(v, limit)}</li>" for v in items) + "</ul>"


def _steps(steps, limit):
    steps = [s for s in steps if not s.is_empty()]
    if not steps:
        return f"<p>{_empty()}</p>"
    cell = f'style="{CELL}"'
    head = "".join(f"<th {cell}>{escape(STEP_HEADERS[f])}</th>" for f in STEP_FIELDS)
    rows = "".join("<tr>" + "".join(f"<td {cell}>{text_html(getattr(s, f), limit)}</td>" for f in STEP_FIELDS)
                   + "</tr>" for s in steps)
    return f'<table style="border-collapse:collapse"><tr>{head}</tr>{rows}</table>'


def draft_html(draft, limit=PREVIEW_LIMIT):
    """The draft as it will read in the document, as escaped HTML."""
    parts = [f"<h4>{escape(draft_title(draft))}</h4>"]
    for section in ("purpose", "scope", "statements", "steps", "owner", "review", "related"):
        parts.append(f"<h5>{escape(HEADINGS[section])}</h5>")
        value = getattr(draft, section)
        if section in ("statements", "related"):
            parts.append(_items(value, limit))
        elif section == "steps":
            parts.append(_steps(value, limit))
        else:
            parts.append(_block(value, limit))
    return "".join(parts)


def feedback_html(feedback):
    """The self-check result (a course.rubric.score Feedback) as escaped HTML: the score, each rubric element marked
    covered or not, then the messages that say what is missing and why it matters."""
    parts = [f"<b>{escape(t('drafting.check_score', percent=round(feedback.score * 100)))}</b>"]
    if feedback.elements:
        rows = "".join(f"<li>{'✅' if e.covered else '⬜'} {escape(e.label)}</li>" for e in feedback.elements)
        parts.append(f"<ul style='list-style:none;padding-left:0.5em'>{rows}</ul>")
    if feedback.messages:
        parts.append("<ul>" + "".join(f"<li>{escape(m)}</li>" for m in feedback.messages) + "</ul>")
    return "".join(parts)
