"""Colours of the course's HTML, as JupyterLab theme variables with a light fallback (for HTML seen outside JupyterLab).

In JupyterLab's dark theme the variables turn dark backgrounds and light text, so text always stays readable: every
box that sets a background also sets the text colour. Text uses only the content colours; the status colours (green,
orange, red, blue) mark borders and icons, never text, because no single shade of them reads well on both themes.
"""

TEXT = "var(--jp-content-font-color1, rgba(0, 0, 0, 0.87))"
MUTED = "var(--jp-content-font-color2, rgba(0, 0, 0, 0.54))"  # on the page background only, not inside HEAD cells
PAGE = "var(--jp-layout-color1, #fff)"
HEAD = "var(--jp-layout-color2, #eee)"                           # table headers
BORDER = "var(--jp-border-color1, #bdbdbd)"
RULE = "var(--jp-border-color2, #e0e0e0)"                        # light separators
OK = "var(--jp-success-color1, #388e3c)"
WARN = "var(--jp-warn-color1, #f57c00)"
ERROR = "var(--jp-error-color1, #d32f2f)"
INFO = "var(--jp-brand-color1, #1976d2)"

# a panel (preview, lesson box): its own background and text colour
PANEL = f"background:{PAGE};color:{TEXT};border:1px solid {BORDER};border-radius:4px;padding:0.6em 1em;margin:0.6em 0"
CELL = f"border:1px solid {BORDER};padding:3px 6px;vertical-align:top;text-align:left;color:{TEXT}"
HEAD_CELL = f"{CELL};background:{HEAD}"


def box(accent):
    """A panel with a coloured bar on the left (accent: OK, WARN, ERROR or INFO)."""
    return f"{PANEL};border-left:4px solid {accent}"


def muted(text_html, small=False):
    """Secondary text (already escaped HTML)."""
    inner = f"<small>{text_html}</small>" if small else text_html
    return f"<span style='color:{MUTED}'>{inner}</span>"


def icon(mark, accent):
    """A coloured status mark; hidden from screen readers, as the words beside it say the same."""
    return f"<span style='color:{accent}' aria-hidden='true'>{mark}</span>"
