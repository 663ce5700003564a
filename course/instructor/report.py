"""`course report ASSIGNMENT`: the class report, as CSV files and one self-contained HTML page with charts.

Written to reports/<assignment>/: scores.csv (per learner), questions.csv (per graded cell), rubric.csv (per rubric
element: how many covered / missed it, most missed first), manual_answers.csv (per learner and manually graded cell:
the learner's answer and its score, or 未採点 while no instructor has graded it) — CSV in UTF-8 with BOM, for Excel —,
score_distribution.png, questions.png, rubric.png and report.html (tables and the charts embedded, no outside files).

Manually graded 「なぜそう決めたか」 answers (manual_rubric.py) appear in report.html under 記述式の回答, per learner,
as escaped text (learner text is untrusted; the page runs nothing a learner wrote). scores.csv splits each learner's
score into auto_score and manual_score and counts manual_pending, the answers no one has graded yet.
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
from .manual_rubric import manual_cell_names
from ..rubric.lines import cell_rubric


GRADE_COLUMNS = ["student", "question", "score", "max_score", "manual", "pending", "blank", "notebook"]


def grade_table(root, assignment):
    """One row per learner and graded cell: student, question, score, max_score, manual (a manually graded cell),
    pending (manual and not graded yet: counted 0 in score), blank (manual, left as released: nbgrader's automatic 0),
    notebook."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(gradebook_url(root)) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return pd.DataFrame(columns=GRADE_COLUMNS)
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                manual = manual_cell_names(notebook.notebook)
                for grade in notebook.grades:
                    if grade.max_score:
                        is_manual = grade.name in manual
                        rows.append({"student": submission.student.id, "question": grade.name,
                                     "score": float(grade.score or 0), "max_score": float(grade.max_score),
                                     "manual": is_manual,
                                     "pending": is_manual and grade.manual_score is None and grade.auto_score is None,
                                     "blank": is_manual and grade.manual_score is None and grade.auto_score is not None,
                                     "notebook": notebook.name})
    return pd.DataFrame(rows, columns=GRADE_COLUMNS)


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


def _answer_text(cell):
    text = cell.get("source", "")
    return (text if isinstance(text, str) else "".join(text)).strip()


def manual_answers(root, assignment, grades):
    """One row per learner and manually graded cell: student, question, answer (the learner's text from the
    autograded notebook, untrusted), score, max_score, status (graded | pending | blank)."""
    columns = ["student", "question", "answer", "score", "max_score", "status"]
    if grades.empty or "manual" not in grades or not grades["manual"].any():
        return pd.DataFrame(columns=columns)
    rows, texts = [], {}
    for g in grades.loc[grades["manual"]].itertuples(index=False):
        if (g.student, g.notebook) not in texts:  # each notebook read once: {grade_id: answer}
            path = Path(root, "autograded", g.student, assignment, f"{g.notebook}.ipynb")
            try:
                cells = nbformat.read(path, as_version=4).cells
            except (OSError, ValueError):
                cells = []
            texts[g.student, g.notebook] = {c.metadata["nbgrader"]["grade_id"]: _answer_text(c) for c in cells
                                            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}
        answer = texts[g.student, g.notebook].get(g.question, "")
        status = "pending" if g.pending else "blank" if g.blank else "graded"
        rows.append({"student": g.student, "question": g.question, "answer": "" if g.blank else answer,
                     "score": None if g.pending else g.score, "max_score": g.max_score, "status": status})
    return pd.DataFrame(rows, columns=columns).sort_values(["student", "question"], kind="stable")


def grade_label(row):
    """「未採点」, 「無回答（0 点）」 or 「2 / 3 点」 for one manual answer."""
    if row["status"] == "pending":
        return t("instructor.manual.ungraded")
    if row["status"] == "blank":
        return t("instructor.manual.blank")
    return t("instructor.manual.score", score=f"{float(row['score']):g}", max=f"{float(row['max_score']):g}")


def manual_html(answers):
    """The 記述式の回答 section: learner text escaped, line breaks kept."""
    def head(c):
        return f"<th>{html.escape(t(f'instructor.report.col.{c}'))} / {html.escape(t(f'instructor.report.col.{c}', lang='en'))}</th>"

    pending = int((answers["status"] == "pending").sum())
    parts = [f"<p>{html.escape(t('instructor.report.manual_summary', total=len(answers), pending=pending))}</p>",
             "<table class='manual'><thead><tr>" + "".join(head(c) for c in ("student", "question", "answer", "grade"))
             + "</tr></thead><tbody>"]
    for _, row in answers.iterrows():
        answer = "<br>".join(html.escape(line) for line in str(row["answer"]).splitlines()) or "-"
        state = f" class='{row['status']}'" if row["status"] != "graded" else ""
        parts.append(f"<tr><td>{html.escape(str(row['student']))}</td><td>{html.escape(str(row['question']))}</td>"
                     f"<td>{answer}</td><td{state}>{html.escape(grade_label(row))}</td></tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def summarize(grades, rubric, flags):
    grades = grades.copy()
    for column in ("manual", "pending"):
        if column not in grades:
            grades[column] = False
    grades["manual"] = grades["manual"].astype(bool)
    grades["pending"] = grades["pending"].astype(bool)
    grades["auto_score"] = grades["score"].where(~grades["manual"], 0.0)
    grades["manual_score"] = grades["score"].where(grades["manual"], 0.0)
    scores = grades.groupby("student", as_index=False)[["score", "max_score", "auto_score", "manual_score",
                                                         "pending"]].sum()
    scores = scores.rename(columns={"pending": "manual_pending"})
    scores["manual_pending"] = scores["manual_pending"].astype(int)
    scores["needs_review"] = scores["student"].map(lambda s: bool(flags.get(s)))
    scores["reason"] = scores["student"].map(lambda s: reason(flags.get(s, [])))
    questions = grades.groupby("question", as_index=False, sort=False).agg(
        mean=("score", "mean"), max_score=("max_score", "max"), learners=("score", "size"), pending=("pending", "sum"))
    questions["pending"] = questions["pending"].astype(int)
    graded_mean = grades.loc[~grades["pending"]].groupby("question")["score"].mean()  # not yet graded is no 0
    questions["mean"] = questions["question"].map(graded_mean).fillna(0.0)
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


def render_html(assignment, scores, questions, elements, images, flags, answers=None):
    max_total = scores["max_score"].max() if not scores.empty else 0
    flagged = scores.loc[scores["needs_review"], ["student", "score", "max_score", "reason"]]

    def h2(key):
        return f"<h2>{html.escape(t(key))} <small>{html.escape(t(key, lang='en'))}</small></h2>"

    parts = [
        "<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'>",
        f"<title>{html.escape(t('instructor.report.title', assignment=assignment))}</title>",
        "<style>body{font-family:'Noto Sans CJK JP','IPAexGothic','Hiragino Sans',sans-serif;margin:2em;max-width:60em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
        "small{color:#666;font-weight:normal}img{max-width:100%}td.pending{color:#b00020;font-weight:bold}"
        "table.manual td{vertical-align:top;white-space:normal}</style></head><body>",
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
    if answers is not None and len(answers):
        parts += [h2("instructor.report.manual"), manual_html(answers)]
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
    answers = manual_answers(root, assignment, grades)
    scores.to_csv(out / "scores.csv", index=False, encoding="utf-8-sig")
    if len(answers):
        answers.assign(grade=answers.apply(grade_label, axis=1)).to_csv(
            out / "manual_answers.csv", index=False, encoding="utf-8-sig")
    questions.to_csv(out / "questions.csv", index=False, encoding="utf-8-sig")
    elements.to_csv(out / "rubric.csv", index=False, encoding="utf-8-sig")
    images = charts(scores, questions, elements, scores["max_score"].max() if len(scores) else 1)
    for name, data in images.items():
        (out / f"{name}.png").write_bytes(data)
    page = out / "report.html"
    page.write_text(render_html(assignment, scores, questions, elements, images, flags, answers), encoding="utf-8")
    return page
