"""Defence in depth for the formgrader (issue #14): a Content-Security-Policy on the pages built from submissions.

Submissions are made inert before anyone opens them (inert_outputs.py, at autograde and again when the formgrader
renders a notebook, through `HTMLExporter.preprocessors` in grading/nbgrader_config.py). This server extension adds a
second, independent layer, enabled in the instructors' Jupyter configuration:

- The submission view (`/formgrader/submissions/<id>/`): nbgrader's page puts every script of its own in the head and
  the navigation bar, before `<div id="notebook-container">`; the learner's notebook comes after. The policy allows
  exactly the inline scripts and inline event handlers (by SHA-256 hash) and the script files (by full URL) that appear
  before that element; anything a submission brings after it cannot run, whatever the sanitiser missed.
- Files of a submission (`/formgrader/submissions/<id>/<file>`): served in a sandbox (an opaque origin, no scripts), so
  an HTML file handed in with the notebook cannot act with the instructor's session.
"""

import base64
import hashlib
import re
from html.parser import HTMLParser

from tornado.web import OutputTransform

VIEW = re.compile(r"/formgrader/submissions/[^/]+/?$")
FILES = re.compile(r"/formgrader/submissions/[^/]+/.+")
NAVIGATION = re.compile(r"/formgrader/submissions/[^/]+/(next|prev|next_incorrect|prev_incorrect)/?$")
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
SANDBOX_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'"
VIEW_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-hashes' {scripts}; object-src 'none'; base-uri 'none'; "
               "frame-src 'none'; form-action 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline' https:; "
               "font-src 'self' data: https:; connect-src 'self'")


def _hash(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


class _PageScripts(HTMLParser):
    """The scripts of a formgrader page that come before the learner's notebook."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.sources, self.hashes = [], []
        self.in_script = None  # the text of the inline script being read
        self.done = False

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        attrs = dict(attrs)
        if attrs.get("id") == "notebook-container":
            self.done = True
            return
        for name, value in attrs.items():
            if name.startswith("on") and value:
                self.hashes.append(_hash(value))
        if tag == "script" and (attrs.get("type") or "").lower() in EXECUTABLE_TYPES:
            if attrs.get("src"):
                self.sources.append(attrs["src"])
            else:
                self.in_script = []

    def handle_data(self, data):
        if self.in_script is not None:
            self.in_script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.in_script is not None:
            self.hashes.append(_hash("".join(self.in_script)))
            self.in_script = None


def view_policy(page):
    """The policy for one rendered submission view."""
    parser = _PageScripts()
    parser.feed(page)
    sources = [s for s in dict.fromkeys(parser.sources) if s.startswith(("https://", "http://"))]  # same origin: 'self'
    return VIEW_POLICY.format(scripts=" ".join(list(dict.fromkeys(parser.hashes)) + sources))


class FormgraderCSP(OutputTransform):
    def __init__(self, request):
        super().__init__(request)
        self.path = request.path

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if "/formgrader/submissions/" in self.path and not NAVIGATION.search(self.path):
            if VIEW.search(self.path):
                if finishing and "html" in headers.get("Content-Type", ""):
                    headers["Content-Security-Policy"] = view_policy(chunk.decode("utf-8", "replace"))
                else:  # a page we cannot read whole: nothing inline may run
                    headers["Content-Security-Policy"] = VIEW_POLICY.format(scripts="")
            elif FILES.search(self.path):
                headers["Content-Security-Policy"] = SANDBOX_POLICY
            headers["X-Content-Type-Options"] = "nosniff"
        return status_code, headers, chunk


def _jupyter_server_extension_points():
    return [{"module": "course.instructor.formgrader_csp"}]


def _load_jupyter_server_extension(serverapp):
    serverapp.web_app.add_transform(FormgraderCSP)
    serverapp.log.info("course: Content-Security-Policy on formgrader submission pages")
