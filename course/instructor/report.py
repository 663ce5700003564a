"""`course report ASSIGNMENT`: the class report, as CSV files and one self-contained HTML page with charts.

Written to reports/<assignment>/: scores.csv (per learner), questions.csv (per graded cell), rubric.csv (per rubric
element: how many covered / missed it, most missed first) — CSV in UTF-8 with BOM, for Excel —,
score_distribution.png, questions.png, rubric.png and report.html (tables and the charts embedded, no outside files).
"""

import base64
import html
import io
from pathlib import Path

import nbformat
import pandas as pd

from ..i18n import t
from ..plotting import figure
from .course_dir import grading_root, gradebook_url
from .flags import load_flags, reason, reports_dir
from ..rubric.lines import cell_rubric


def grade_table(root, assignment):
    """One row per learner and graded cell: student, question, score, max_score."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(gradebook_url(root)) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return pd.DataFrame(columns=["student", "question", "score", "max_score"])
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.max_score:
                        rows.append({"student": submission.student.id, "question": grade.name,
                                     "score": float(grade.score or 0), "max_score": float(grade.max_score)})
    return pd.DataFrame(rows, columns=["student", "question", "score", "max_score"])


def rubric_table(root, assignment):
    """One row per learner and rubric element printed by a graded cell (rubric_lines.py)."""
    rows = []
    for path in sorted(Path(root).glob(f"autograded/*/{assignment}/*.ipynb")):
        student = path.parent.parent.name
        for cell in nbformat.read(path, as_version=4).cells:
            question = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            for r in cell_rubric(cell):
                rows.append({"student": student, "question": question, "element": r["id"], "label": r["label"],
                             "covered": r["covered"]})
    return pd.DataFrame(rows, columns=["student", "question", "element", "label", "covered"])


def summarize(grades, rubric, flags):
    scores = grades.groupby("student", as_index=False)[["score", "max_score"]].sum()
    scores["needs_review"] = scores["student"].map(lambda s: bool(flags.get(s)))
    scores["reason"] = scores["student"].map(lambda s: reason(flags.get(s, [])))
    questions = grades.groupby("question", as_index=False, sort=False).agg(
        mean=("score", "mean"), max_score=("max_score", "max"), learners=("score", "size"))
    full = grades.loc[grades["score"] >= grades["max_score"]].groupby("question").size()
    questions["full"] = questions["question"].map(full).fillna(0).astype(int)
    questions["mean_share"] = (questions["mean"] / questions["max_score"]).round(3)
    questions["mean"] = questions["mean"].round(2)
    if rubric.empty:
        elements = pd.DataFrame(columns=["question", "element", "label", "covered", "missing", "missing_share"])
    else:
        elements = rubric.groupby(["question", "element", "label"], as_index=False, sort=False).agg(
            covered=("covered", "sum"), learners=("covered", "size"))
        elements["covered"] = elements["covered"].astype(int)
        elements["missing"] = elements["learners"] - elements["covered"]
        elements["missing_share"] = (elements["missing"] / elements["learners"]).round(3)
        elements = elements.sort_values(["missing_share", "element"], ascending=[False, True]).drop(columns="learners")
    return scores, questions, elements


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def charts(scores, questions, elements, max_total):
    import matplotlib.pyplot as plt

    images = {}
    fig, ax = figure(figsize=(6, 3.2))
    from matplotlib.ticker import MaxNLocator

    step = 0.5 if max_total <= 20 else max(1.0, max_total / 20)
    bins = [i * step - step / 2 for i in range(int(max_total / step) + 2)]
    ax.hist(scores["score"], bins=bins, color="#3b7dd8", edgecolor="white")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(title=t("instructor.report.distribution"), xlabel=t("instructor.report.score_axis"),
           ylabel=t("instructor.report.learners_axis"))
    images["score_distribution"] = _png(fig)
    plt.close(fig)

    fig, ax = figure(figsize=(6, 0.5 + 0.45 * max(1, len(questions))))
    ax.barh(questions["question"], questions["mean_share"], color="#4caf50")
    ax.set(title=t("instructor.report.questions"), xlabel=t("instructor.report.share_axis"), xlim=(0, 1))
    ax.invert_yaxis()
    images["questions"] = _png(fig)
    plt.close(fig)

    if not elements.empty:
        top = elements.head(15)
        fig, ax = figure(figsize=(7, 0.5 + 0.45 * len(top)))
        ax.barh(top["label"], top["missing_share"], color="#e57373")
        ax.set(title=t("instructor.report.rubric"), xlabel=t("instructor.report.share_axis"), xlim=(0, 1))
        ax.invert_yaxis()
        images["rubric"] = _png(fig)
        plt.close(fig)
    return images


def _img(data, alt):
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'


def _table_html(df):
    """An HTML table with Japanese column headings (the CSV files keep the plain field names)."""
    return df.rename(columns=lambda c: f"{t(f'instructor.report.col.{c}')} / {t(f'instructor.report.col.{c}', lang='en')}"
                     ).to_html(index=False)


def render_html(assignment, scores, questions, elements, images, flags):
    max_total = scores["max_score"].max() if not scores.empty else 0
    flagged = scores.loc[scores["needs_review"], ["student", "score", "max_score", "reason"]]

    def h2(key):
        return f"<h2>{html.escape(t(key))} <small>{html.escape(t(key, lang='en'))}</small></h2>"

    parts = [
        "<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'>",
        f"<title>{html.escape(t('instructor.report.title', assignment=assignment))}</title>",
        "<style>body{font-family:'Noto Sans CJK JP','IPAexGothic','Hiragino Sans',sans-serif;margin:2em;max-width:60em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
        "small{color:#666;font-weight:normal}img{max-width:100%}</style></head><body>",
        f"<h1>{html.escape(t('instructor.report.title', assignment=assignment))}</h1>",
        "<p>" + html.escape(t("instructor.report.summary", n=len(scores), mean=scores["score"].mean() if len(scores) else 0,
                                max=max_total, flagged=len(flagged))) + "</p>",
        h2("instructor.report.distribution"), _img(images["score_distribution"], t("instructor.report.distribution")),
        h2("instructor.report.questions"), _img(images["questions"], t("instructor.report.questions")),
        _table_html(questions),
        h2("instructor.report.rubric"),
    ]
    if elements.empty:
        parts.append(f"<p>{html.escape(t('instructor.report.no_rubric'))}</p>")
    else:
        parts += [_img(images["rubric"], t("instructor.report.rubric")), _table_html(elements)]
    parts += [h2("instructor.report.flags"), _table_html(flagged) if len(flagged) else "<p>-</p>",
              "</body></html>"]
    return "\n".join(parts)


def write_report(assignment, root=None):
    """Write the report files; returns the path of report.html."""
    root = grading_root(root)
    out = reports_dir(root, assignment)
    out.mkdir(parents=True, exist_ok=True)
    flags = load_flags(root, assignment)
    grades = grade_table(root, assignment)
    rubric = rubric_table(root, assignment)
    scores, questions, elements = summarize(grades, rubric, flags)
    scores.to_csv(out / "scores.csv", index=False, encoding="utf-8-sig")
    questions.to_csv(out / "questions.csv", index=False, encoding="utf-8-sig")
    elements.to_csv(out / "rubric.csv", index=False, encoding="utf-8-sig")
    images = charts(scores, questions, elements, scores["max_score"].max() if len(scores) else 1)
    for name, data in images.items():
        (out / f"{name}.png").write_bytes(data)
    page = out / "report.html"
    page.write_text(render_html(assignment, scores, questions, elements, images, flags), encoding="utf-8")
    return page
