"""Peer and instructor feedback. Each team rates the other teams (着眼点・独自性 on a scale of 1–5, a comment, 改善点)
in its record answers/workshop_feedback.json; the instructor writes a comment per team in
answers/workshop_instructor.json. `collect` gathers them from the teams' folders into one entry per rated team, from
which pages.feedback_page builds each team's feedback page.

    FeedbackForm(["A", "B", "C"], own_team="B")        # in team B's workspace: rows for A and C
    InstructorForm(["A", "B", "C"])                      # in the instructor's notebook
"""

import html

import ipywidgets as W

from ..answers.form import AnswerForm
from ..answers.store import AnswerStore
from ..i18n import t
from . import content
from .folders import answers_dir

KEY, KIND = "workshop_feedback", "workshop.feedback"
INSTRUCTOR_KEY, INSTRUCTOR_KIND = "workshop_instructor", "workshop.instructor"


def _score(value):
    return value if isinstance(value, int) and value in content.format_content()["feedback"]["scale"] else None


def normalize_rating(raw):
    raw = raw if isinstance(raw, dict) else {}
    out = {c["id"]: _score(raw.get(c["id"])) for c in content.criteria()}
    out["comment"] = raw.get("comment") if isinstance(raw.get("comment"), str) else ""
    out["improve"] = raw.get("improve") if isinstance(raw.get("improve"), str) else ""
    return out


def _filled(rating):
    return any(rating[c["id"]] is not None for c in content.criteria()) or rating["comment"] or rating["improve"]


class FeedbackForm(AnswerForm):
    """One row per other team: a score for each criterion, a comment and what to improve."""

    def __init__(self, teams, own_team="", store=None, **kwargs):
        super().__init__(store, KEY, KIND, **kwargs)
        self.own_team = str(own_team or "")
        self.targets = [str(team) for team in teams if str(team) != self.own_team]
        scale = [("—", None)] + [(str(v), v) for v in content.format_content()["feedback"]["scale"]]
        self.rows = {}
        boxes = [W.HTML(f"<h4>{html.escape(t('workshop.feedback.heading'))}</h4>"
                        f"<ul>" + "".join(f"<li><b>{html.escape(c['ja'])}</b>：{html.escape(content.text(c['hint']))}</li>"
                                          for c in content.criteria()) + "</ul>")]
        for team in self.targets:
            scores = {c["id"]: W.Dropdown(options=scale, value=None, description=c["ja"], layout=W.Layout(width="200px"))
                      for c in content.criteria()}
            comment = W.Textarea(placeholder=t("workshop.feedback.comment"), layout=W.Layout(width="98%", height="48px"))
            improve = W.Textarea(placeholder=content.text(content.format_content()["feedback"]["improve"]),
                                 layout=W.Layout(width="98%", height="48px"))
            self.rows[team] = {"scores": scores, "comment": comment, "improve": improve}
            boxes.append(W.VBox([W.HTML(f"<b>{html.escape(t('workshop.team'))} {html.escape(team)}</b>"),
                                 W.HBox(list(scores.values())), comment, improve]))
        self.children = [*boxes, self.status, self.messages]
        self._others = {}  # ratings of teams not shown in this form: kept as they are
        self._open([w for row in self.rows.values() for w in (*row["scores"].values(), row["comment"], row["improve"])])

    def _read(self, data):
        ratings = data.get("ratings")
        if not isinstance(ratings, dict):
            raise ValueError("not feedback")
        return {str(team): normalize_rating(r) for team, r in ratings.items()}

    def _show(self, ratings):
        self._others = {team: r for team, r in ratings.items() if team not in self.rows}
        for team, row in self.rows.items():
            rating = ratings.get(team) or normalize_rating({})
            for cid, widget in row["scores"].items():
                widget.value = rating[cid]
            row["comment"].value, row["improve"].value = rating["comment"], rating["improve"]

    def _data(self):
        ratings = dict(self._others)
        for team, row in self.rows.items():
            ratings[team] = {**{cid: w.value for cid, w in row["scores"].items()},
                             "comment": row["comment"].value, "improve": row["improve"].value}
        return {"from": self.own_team, "ratings": ratings}


class InstructorForm(AnswerForm):
    """The instructor's comment for each team."""

    def __init__(self, teams, store=None, **kwargs):
        super().__init__(store, INSTRUCTOR_KEY, INSTRUCTOR_KIND, **kwargs)
        self.comments = {str(team): W.Textarea(layout=W.Layout(width="98%", height="72px")) for team in teams}
        rows = [W.VBox([W.HTML(f"<b>{html.escape(t('workshop.team'))} {html.escape(team)}</b>"), area])
                for team, area in self.comments.items()]
        self.children = [W.HTML(f"<h4>{html.escape(t('workshop.feedback.instructor_comment'))}</h4>"), *rows,
                         self.status, self.messages]
        self._others = {}
        self._open(list(self.comments.values()))

    def _read(self, data):
        comments = data.get("comments")
        if not isinstance(comments, dict):
            raise ValueError("not instructor feedback")
        return {str(k): v for k, v in comments.items() if isinstance(v, str)}

    def _show(self, comments):
        self._others = {k: v for k, v in comments.items() if k not in self.comments}
        for team, area in self.comments.items():
            area.value = comments.get(team, "")

    def _data(self):
        return {"comments": {**self._others, **{team: area.value for team, area in self.comments.items()}}}


def collect(folders, instructor=None):
    """{rated team: {"ratings": [{from, <criteria>, comment, improve}], "instructor": text}} from the feedback records
    in folders ({rating team: folder with answers/}) and the instructor's folder (or None)."""
    out = {}
    for rater, folder in folders.items():
        record = AnswerStore(answers_dir(folder)).load(KEY, KIND).record
        if record is None or not isinstance(record.data.get("ratings"), dict):
            continue
        rater = str(record.data.get("from") or "").strip() or rater
        for team, raw in record.data["ratings"].items():
            rating = normalize_rating(raw)
            if str(team) != str(rater) and _filled(rating):
                out.setdefault(str(team), {"ratings": [], "instructor": ""})["ratings"].append(
                    {"from": str(rater), **rating})
    if instructor is not None:
        record = AnswerStore(answers_dir(instructor)).load(INSTRUCTOR_KEY, INSTRUCTOR_KIND).record
        comments = record.data.get("comments") if record else None
        for team, text in (comments or {}).items():
            if isinstance(text, str) and text.strip():
                out.setdefault(str(team), {"ratings": [], "instructor": ""})["instructor"] = text
    return out


def averages(ratings):
    """{criterion id: mean score or None} over the ratings that gave a score."""
    out = {}
    for c in content.criteria():
        scores = [r[c["id"]] for r in ratings if r.get(c["id"]) is not None]
        out[c["id"]] = sum(scores) / len(scores) if scores else None
    return out
