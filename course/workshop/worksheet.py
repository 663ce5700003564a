"""The team worksheet (notebook ir_07): the injects in order with the team's decision on each, and for every phase a
form of the 検討ポイント (what we know, decide and why, who does it, what we record, what we tell whom), the roles
in the team and the lessons learned. One AnswerStore record, answers/workshop_worksheet.json:

    {"team": "A", "members": "田中、鈴木", "roles": {"leader": …, "scribe": …, "presenter": …},
     "decisions": {inject id: option id | [option ids] | None}, "phases": {phase id: {question id: text}},
     "lessons": "…"}

Two members editing at once never lose each other's input. In a team workspace with real-time collaboration both
browsers show the same form of one kernel, so there is one writer. When two kernels write the record (the notebook
open twice, a copy on a room PC), each save first looks at the record: if another form saved since this form's
revision, the three versions (this form's base revision from the history, this form, the record) are merged field
by field — a field changed on one side takes that side; a text changed on both keeps both texts, separated by a
marked line; a choice changed on both keeps this form's, and the other stays in the history and in the kept copy
the base AnswerForm writes on a conflict. The learner is told which fields were merged.
"""

import html
import os

import ipywidgets as W

from ..answers.form import AnswerForm
from ..answers.store import AnswerStore
from ..i18n import t
from ..incident.tabletop import decision_widget
from . import content

KEY = "workshop_worksheet"
KIND = "workshop.worksheet"
ROLE_IDS = ("leader", "scribe", "presenter")


# -- the record's data ---------------------------------------------------------------------------------------------

def empty():
    return {
        "team": "", "members": "",
        "roles": dict.fromkeys(ROLE_IDS, ""),
        "decisions": {inj["id"]: ([] if inj["kind"] == "multi" else None) for inj in content.injects()},
        "phases": {p: dict.fromkeys(content.question_ids(), "") for p in content.phase_ids()},
        "lessons": "",
    }


def _text(value):
    return value if isinstance(value, str) else "" if value is None else str(value)


def _choice(inj, value):
    ids = [o["id"] for o in inj["options"]]
    if inj["kind"] == "multi":
        values = value if isinstance(value, (list, tuple)) else []
        return [i for i in ids if i in values]
    return value if value in ids else None


def normalize(data):
    """Any saved data -> the full worksheet shape (missing fields empty, unknown ones dropped). ValueError when the
    data is not a worksheet at all (the form then sets the file aside, as for a corrupt file)."""
    if not isinstance(data, dict):
        raise ValueError("not a worksheet")
    out = empty()
    out["team"], out["members"], out["lessons"] = (_text(data.get(k)) for k in ("team", "members", "lessons"))
    roles = data.get("roles") if isinstance(data.get("roles"), dict) else {}
    out["roles"] = {r: _text(roles.get(r)) for r in ROLE_IDS}
    decisions = data.get("decisions") if isinstance(data.get("decisions"), dict) else {}
    out["decisions"] = {inj["id"]: _choice(inj, decisions.get(inj["id"])) for inj in content.injects()}
    phases = data.get("phases") if isinstance(data.get("phases"), dict) else {}
    for p in content.phase_ids():
        given = phases.get(p) if isinstance(phases.get(p), dict) else {}
        out["phases"][p] = {q: _text(given.get(q)) for q in content.question_ids()}
    return out


def fields(data):
    """[(path, value)] of every field of a normalised worksheet; a path is a tuple of keys."""
    out = [(("team",), data["team"]), (("members",), data["members"]), (("lessons",), data["lessons"])]
    out += [(("roles", r), v) for r, v in data["roles"].items()]
    out += [(("decisions", i), v) for i, v in data["decisions"].items()]
    out += [(("phases", p, q), v) for p, answers in data["phases"].items() for q, v in answers.items()]
    return out


def _get(data, path):
    for key in path:
        data = data[key]
    return data


def _put(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def merge(base, mine, theirs):
    """Three-way merge of normalised worksheets -> (merged, [paths changed on both sides]). Nothing typed on either
    side is dropped from the merged text; a choice changed on both sides keeps mine."""
    merged = normalize(mine)
    clashes = []
    for path, m in fields(merged):
        b, th = _get(base, path), _get(theirs, path)
        if th == m or th == b:
            continue
        if m == b:
            _put(merged, path, th)
            continue
        clashes.append(path)
        if path[0] == "decisions":
            if isinstance(m, list):  # several choices: both sides' choices
                _put(merged, path, [o for o in dict.fromkeys(m + th)])
            continue
        if th in m:      # the other side's text is already part of mine (e.g. I went on typing after a merge)
            continue
        if m in th:
            _put(merged, path, th)
            continue
        _put(merged, path, f"{m}\n{t('workshop.merge_mark')}\n{th}")
    return merged, clashes


def field_label(path):
    """A learner-readable name of a field path, e.g. 「封じ込め：決めること」."""
    if path[0] == "phases":
        phase = next(p for p in content.phases() if p["id"] == path[1])
        question = next(q for q in content.questions() if q["id"] == path[2])
        return f"{phase['ja']}：{question['ja'].split('（')[0]}"
    if path[0] == "roles":
        return next(r["ja"] for r in content.roles() if r["id"] == path[1])
    if path[0] == "decisions":
        return next(i["time"] for i in content.injects() if i["id"] == path[1])
    return {"team": t("workshop.team_name"), "members": t("workshop.members"), "lessons": t("workshop.lessons")}[path[0]]


def load_worksheet(store=None):
    """The saved worksheet (normalised), or None when there is none or it is not a worksheet."""
    store = store or AnswerStore()
    record = store.load(KEY, KIND).record
    if record is None:
        return None
    try:
        return normalize(record.data)
    except ValueError:
        return None


def team_defaults(env=None):
    """(team, members) for a new worksheet: from the hub (a team workspace), else self-study."""
    env = os.environ if env is None else env
    team = env.get("COURSE_WORKSHOP_TEAM") or ""
    members = "、".join(m for m in env.get("COURSE_WORKSHOP_MEMBERS", "").split(",") if m)
    return team, members


# -- the form ------------------------------------------------------------------------------------------------------

def _card(inj):
    return W.HTML(
        "<div style='border-left:4px solid #c0392b;padding:2px 8px;margin-top:8px'>"
        f"<b>{html.escape(inj['time'])}</b>（+{int(inj['release'])} 分）<br>{html.escape(content.text(inj['text']))}<br>"
        f"<b>{html.escape(content.text(inj['question']))}</b></div>")


def _area(placeholder=""):
    return W.Textarea(placeholder=placeholder, layout=W.Layout(width="98%", height="64px"))


class WorksheetForm(AnswerForm):
    """The team's worksheet. Every change is saved (merged with another kernel's save, see the module doc)."""

    conflict_text = "answers.conflict"

    def __init__(self, store=None, env=None, **kwargs):
        super().__init__(store, KEY, KIND, **kwargs)
        self.team = W.Text(description=t("workshop.team_name"), layout=W.Layout(width="320px"))
        self.members = W.Text(description=t("workshop.members"), placeholder=t("workshop.members_hint"),
                              layout=W.Layout(width="98%"))
        self.roles = {r["id"]: W.Text(description=r["ja"], layout=W.Layout(width="320px")) for r in content.roles()}
        self.decisions = {}
        timeline = []
        for inj in content.injects():
            widget = self.decisions[inj["id"]] = decision_widget(inj)
            timeline.append(W.VBox([_card(inj), widget]))
        self.answers = {}
        phase_boxes = []
        times = {inj["id"]: inj["time"] for inj in content.injects()}
        for n, phase in enumerate(content.phases(), 1):
            self.answers[phase["id"]] = {}
            rows = [W.HTML(f"<h4>{html.escape(t('workshop.phase_heading', n=n, phase=phase['ja']))}</h4>"
                           f"<div>{html.escape(t('workshop.related_injects', times='、'.join(times[i] for i in phase['injects'])))}</div>"
                           "<ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in phase["points"]) + "</ul>")]
            for q in content.questions():
                area = _area()
                self.answers[phase["id"]][q["id"]] = area
                rows += [W.HTML(f"<b>{html.escape(q['ja'])}</b>"), area]
            phase_boxes.append(W.VBox(rows))
        self.phase_tabs = W.Tab(children=phase_boxes, titles=[p["ja"] for p in content.phases()])
        self.lessons = _area()
        self.children = [
            W.HBox([self.team, self.status]), self.members,
            W.HTML(f"<b>{html.escape(t('workshop.roles'))}</b>"), W.HBox(list(self.roles.values())),
            W.HTML(f"<h4>{html.escape(t('workshop.injects'))}</h4>"), W.VBox(timeline),
            self.phase_tabs,
            W.HTML(f"<b>{html.escape(t('workshop.lessons'))}</b>"), self.lessons,
            self.messages,
        ]
        self._open(self._inputs())
        if not self.team.value and not self.members.value:  # a new worksheet: the hub says which team this is
            team, members = team_defaults(env)
            if team or members:
                self.team.value, self.members.value = team, members  # saved like any change

    def _inputs(self):
        return [self.team, self.members, *self.roles.values(), *self.decisions.values(),
                *(a for answers in self.answers.values() for a in answers.values()), self.lessons]

    def _read(self, data):
        return normalize(data)

    def _show(self, value):
        self.team.value, self.members.value, self.lessons.value = value["team"], value["members"], value["lessons"]
        for r, widget in self.roles.items():
            widget.value = value["roles"][r]
        for inj in content.injects():
            chosen = value["decisions"][inj["id"]]
            self.decisions[inj["id"]].value = tuple(chosen) if inj["kind"] == "multi" else chosen
        for p, answers in self.answers.items():
            for q, area in answers.items():
                area.value = value["phases"][p][q]

    def _data(self):
        data = empty()
        data["team"], data["members"], data["lessons"] = self.team.value, self.members.value, self.lessons.value
        data["roles"] = {r: w.value for r, w in self.roles.items()}
        for inj in content.injects():
            v = self.decisions[inj["id"]].value
            data["decisions"][inj["id"]] = list(v) if inj["kind"] == "multi" else v
        data["phases"] = {p: {q: a.value for q, a in answers.items()} for p, answers in self.answers.items()}
        return data

    @property
    def value(self):
        return self._data()

    def _base_version(self):
        """The data this form's revision saved (from the history), or an empty worksheet when it is gone."""
        prefix = f"{self.revision:06d}-"
        for path in reversed(self.store.history(self.record_key)):
            if path.name.startswith(prefix):
                record = self.store.load_version(path, self.record_key, self.record_kind)
                if record is not None:
                    try:
                        return normalize(record.data)
                    except ValueError:
                        break
        return empty()

    def save(self):
        """Save the form; when another kernel saved since this form's revision, merge first (module doc)."""
        latest = self.store.load(self.record_key, self.record_kind).record
        clashes = None
        if latest is not None and latest.revision != self.revision:
            try:
                theirs = normalize(latest.data)
            except ValueError:
                theirs = None  # not a worksheet: the base form's conflict handling keeps it as the kept copy
            if theirs is not None:
                merged, clashes = merge(self._base_version(), self._data(), theirs)
                with self.quietly():
                    self._show(merged)
                self.revision = latest.revision
        result = super().save()
        if result.ok and clashes is not None and not result.conflict:
            names = "、".join(field_label(p) for p in clashes)
            message = t("workshop.merged", fields=names) if clashes else t("workshop.merged_quiet")
            self.set_status(message, "note")
            if clashes:
                self.tell(message)
        return result
