"""The one sanitiser for learner content that instructors' pages show (issue #14).

Learner text and cell outputs are untrusted: a script in them would run with the instructor's session. Pages the course
builds escape learner text (`html.escape`); where learner HTML is kept (cell outputs, Markdown cells), `clean_html`
passes it through nh3 (the Ammonia sanitiser) with one allow-list, and `findings` names what that allow-list refuses,
so that a notebook can say what was removed and the instructor can be told (要確認).

The allow-list keeps what honest notebooks show: text formatting, headings, lists, tables (pandas), images as
http(s) links or inline PNG/JPEG/GIF data, and links to http(s), mailto and anchors. Everything else — scripts, event
handler attributes, javascript: URLs, iframes, objects, SVG, forms, base and meta tags — is removed. `<style>` blocks
and style attributes (pandas emits both) are dropped silently: they cannot run code, and a table stays readable.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
})
COMMON_ATTRIBUTES = frozenset({"class", "title", "lang", "dir", "id"})
ATTRIBUTES = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "table": frozenset({"border"}),
    "ol": frozenset({"start"}),
    "col": frozenset({"span"}),
}
URL_ATTRIBUTES = frozenset({"href", "src"})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_DATA = ("data:image/png;", "data:image/jpeg;", "data:image/gif;")
SILENT_DROPS = frozenset({"style"})  # <style> blocks and style="" attributes: removed, not reported (module doc)
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math",
                               "frame", "frameset", "applet", "title", "textarea", "select", "xmp", "noembed"})


def _url_ok(tag, attribute, value):
    value = value.strip()
    if tag == "img" and attribute == "src" and value.lower().startswith(IMAGE_DATA):
        return True
    scheme = urlsplit(value).scheme.lower()
    return scheme == "" or scheme in LINK_SCHEMES


def _attribute_filter(tag, attribute, value):
    if attribute in URL_ATTRIBUTES and not _url_ok(tag, attribute, value):
        return None
    return value


def _allowed_attributes():
    return {tag: set(ATTRIBUTES.get(tag, ())) for tag in TAGS} | {"*": set(COMMON_ATTRIBUTES)}


def clean_html(html):
    """Learner HTML with only the allow-list left (text is kept; scripts and their content are gone)."""
    return nh3.clean(str(html), tags=set(TAGS), clean_content_tags=set(DROP_WITH_CONTENT),
                     attributes=_allowed_attributes(), attribute_filter=_attribute_filter,
                     url_schemes=set(LINK_SCHEMES) | {"data"}, link_rel="noopener noreferrer nofollow")


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            if tag not in SILENT_DROPS:
                self.found.append(f"<{tag}>")
            return
        allowed = ATTRIBUTES.get(tag, frozenset()) | COMMON_ATTRIBUTES
        for name, value in attrs:
            if name in SILENT_DROPS:
                continue
            if name not in allowed:
                self.found.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and not _url_ok(tag, name, value or ""):
                self.found.append(f"<{tag} {name}={urlsplit((value or '').strip()).scheme}:>")

    handle_startendtag = handle_starttag


def findings(html):
    """What clean_html would remove from this HTML, besides <style> blocks: e.g. ['<script>', '<img onerror>']."""
    inspector = _Inspector()
    inspector.feed(str(html))
    inspector.close()
    return list(dict.fromkeys(inspector.found))
