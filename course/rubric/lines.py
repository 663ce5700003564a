"""The grading contract: how a graded cell reports its rubric elements and its points.

The hidden tests of every assignment end with one call, `award(points, result)`, which prints one line per rubric
element and returns the points earned (the cell's last expression, which nbgrader reads as the partial credit):

    RUBRIC <element_id> covered|missing <label>[ :: <message>]

element_id has no spaces; label and message are shown to learners (Japanese) and must not contain key terms or
seeds. A check that wants the instructor's eyes on a submission calls review(code, detail), which prints

    REVIEW <code>[ <detail>]

When the clean scorer prints it (course grade), the grader records the 要確認 flag {code, cell, detail} and removes the
line from the cell; a learner printing the same text in the kernel records nothing. `result` is a course.rubric.score Feedback (its .elements and .score), a CheckResult of the exercise checks
(one element; pass `id` and `label`), or a list of elements (objects or dicts with id / label / covered / message;
the score is then the covered share unless `score` is given). Feedback (instructor/hide_keys.py) and the class report
(instructor/report.py) read the lines back with parse_rubric / cell_rubric.
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


def _check_element(result, id, label):
    messages = list(getattr(result, "messages", None) or [])
    return {"id": id, "label": label, "covered": bool(result.ok), "message": messages[0] if messages else ""}


def award(points, result, id=None, label=None, score=None):
    """Print the RUBRIC lines of `result` and return the points it earns: points × its score (0..1)."""
    if hasattr(result, "ok") and hasattr(result, "score") and not hasattr(result, "elements"):
        elements = [_check_element(result, id or "check", label or getattr(result, "title", "") or "check")]
        share = result.score
    elif hasattr(result, "elements"):
        elements, share = list(result.elements), result.score
    else:
        elements = list(result)
        share = sum(1 for e in elements if _get(e, "covered", False)) / len(elements) if elements else 0.0
    print_rubric(elements)
    return points * (share if score is None else score)


REVIEW = re.compile(r"^REVIEW\s+(?P<code>[a-z_]+)(?:\s+(?P<detail>.*?))?\s*$")


def review(code, detail=""):
    """Ask for a 要確認 flag on this submission (code: an instructor.flag.<code> string)."""
    print(f"REVIEW {code} {' '.join(str(detail).split())}".rstrip())


def split_reviews(text):
    """(text without REVIEW lines, [(code, detail), ...]) of a scorer's printed text."""
    kept, found = [], []
    for line in text.splitlines(keepends=True):
        m = REVIEW.match(line.strip())
        if m:
            found.append((m["code"], m["detail"] or ""))
        else:
            kept.append(line)
    return "".join(kept), found


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
    """The rubric results a graded cell printed. Other cells' lines are not results: a learner can print anything."""
    if not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
        return []
    return parse_rubric("".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream"))
