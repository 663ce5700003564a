"""The convention by which a graded test cell reports rubric elements to feedback and the class report.

A graded test cell prints one line per rubric element, outside its hidden region or inside it (the printed output is
what counts; the hidden source never reaches feedback):

    RUBRIC <element_id> covered|missing <label>[ :: <message>]

element_id has no spaces; label and message are for learners (Japanese; they must not contain the key terms or
seeds). print_rubric(feedback) prints these lines for a course.rubric.score Feedback (its .elements), for a list of
objects with id / label / covered / message, or for dicts with those keys.
"""

import re

LINE = re.compile(r"^RUBRIC\s+(?P<id>\S+)\s+(?P<status>covered|missing)\s+(?P<label>.*?)(?:\s+::\s+(?P<message>.*))?\s*$")


def _get(element, name, default=""):
    return element.get(name, default) if isinstance(element, dict) else getattr(element, name, default)


def rubric_lines(feedback):
    elements = getattr(feedback, "elements", feedback)
    lines = []
    for e in elements:
        label = " ".join(str(_get(e, "label")).split())
        message = " ".join(str(_get(e, "message") or "").split())
        status = "covered" if _get(e, "covered", False) else "missing"
        lines.append(f"RUBRIC {_get(e, 'id')} {status} {label}" + (f" :: {message}" if message and status == "missing" else ""))
    return lines


def print_rubric(feedback):
    for line in rubric_lines(feedback):
        print(line)


def parse_rubric(text):
    """[{id, covered, label, message}] from a cell's printed text; other lines are ignored."""
    results = []
    for line in text.splitlines():
        m = LINE.match(line.strip())
        if m:
            results.append({"id": m["id"], "covered": m["status"] == "covered", "label": m["label"],
                            "message": m["message"] or ""})
    return results


def strip_rubric(text):
    """The printed text without its RUBRIC lines."""
    return "".join(line for line in text.splitlines(keepends=True) if not LINE.match(line.strip()))


def cell_rubric(cell):
    return parse_rubric("".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream"))
