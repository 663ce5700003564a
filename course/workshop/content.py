"""The workshop's content: course/content/workshop/phases.yaml and format.yaml, checked once against the tabletop
exercise (the injects are the incident scenario's, content/incident/tabletop.yaml, referred to by id)."""

from functools import lru_cache

from ..errors import ContentError
from ..incident.content import text  # noqa: F401  (one {ja, en} reader for the incident and the workshop)
from ..incident.tabletop import injects as tabletop_injects
from ..yamlio import CONTENT_DIR, read_yaml

WORKSHOP_DIR = CONTENT_DIR / "workshop"


def _load(name):
    path = WORKSHOP_DIR / f"{name}.yaml"
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(path, "(file)", "キーと値の対応表が必要です / expected a mapping")
    return path, data


@lru_cache(maxsize=None)
def phases_content():
    path, data = _load("phases")
    questions = [q["id"] for q in data.get("questions", [])]
    if not questions:
        raise ContentError(path, "questions", "検討ポイントがありません / no questions")
    known = {inj["id"] for inj in tabletop_injects()}
    for i, phase in enumerate(data.get("phases", [])):
        where = f"phases[{i}]"
        for key in ("id", "ja", "en", "injects", "points", "model", "key_points"):
            if key not in phase:
                raise ContentError(path, f"{where}.{key}", "必須の項目がありません / required field is missing")
        unknown = [i for i in phase["injects"] if i not in known]
        if unknown:
            raise ContentError(path, f"{where}.injects", f"机上演習にない状況 / unknown injects {unknown}")
        missing = [q for q in questions if not phase["model"].get(q)]
        if missing:
            raise ContentError(path, f"{where}.model", f"模範がない検討ポイント / no model text for {missing}")
        for j, point in enumerate(phase["key_points"]):
            if not point.get("id") or not point.get("terms"):
                raise ContentError(path, f"{where}.key_points[{j}]", "id と terms が必要です / needs id and terms")
    if not data.get("phases"):
        raise ContentError(path, "phases", "段階がありません / no phases")
    return data


@lru_cache(maxsize=None)
def format_content():
    path, data = _load("format")
    for key in ("stages", "roles", "release", "feedback", "debrief"):
        if key not in data:
            raise ContentError(path, key, "必須の項目がありません / required field is missing")
    missing = [inj["id"] for inj in tabletop_injects() if inj["id"] not in data["release"]]
    if missing:
        raise ContentError(path, "release", f"公開の時刻がない状況 / injects without a release time {missing}")
    return data


def questions():
    """[{id, ja, en}] the 検討ポイント of every phase, in order."""
    return phases_content()["questions"]


def question_ids():
    return [q["id"] for q in questions()]


def phases():
    return phases_content()["phases"]


def phase_ids():
    return [p["id"] for p in phases()]


def injects():
    """The tabletop injects in the order they arrive, each with `release`: minutes after the discussion starts."""
    release = format_content()["release"]
    return [{**inj, "release": release[inj["id"]]} for inj in tabletop_injects()]


def stages():
    return format_content()["stages"]


def roles():
    return format_content()["roles"]


def criteria():
    return format_content()["feedback"]["criteria"]


def debrief_questions():
    return format_content()["debrief"]
