"""The control catalog: ISO/IEC 27001:2022 Annex A 5.1–5.37 and 6.1–6.8, loaded from course/content/controls/*.yaml.

Every file is validated into typed objects; a malformed file raises ContentError naming the file and the field.
Titles are those of shared/reference/annex-a.tsv. `verified` is False where the Japanese title comes from secondary
lists only: the course shows such titles as unverified.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import ContentError
from .yamlio import CONTENT_DIR, read_yaml, require

CONTROLS_DIR = CONTENT_DIR / "controls"
THEMES = {"organizational": ("組織的管理策", "Organizational controls"), "people": ("人的管理策", "People controls")}
PROFILE_CONDITIONS = ("telework", "cloud", "contractors")
NUMBER_RE = re.compile(r"^[56]\.\d{1,2}$")


@dataclass(frozen=True)
class Step:
    """One step of a procedure: who does what, when, leaving which record."""

    who: str
    what: str
    when: str
    record: str


@dataclass(frozen=True)
class ProfileClause:
    """A statement (and optionally a step) that applies only to companies with a given profile trait."""

    when: str  # one of PROFILE_CONDITIONS
    statement: str
    step: Step | None = None


@dataclass(frozen=True)
class ModelAnswer:
    """The model 対策基準 and 実施手順 for a control. `{company}` in any text is replaced by the company name."""

    purpose: str
    scope: str
    statements: tuple[str, ...]
    owner: str
    review: str
    related: tuple[str, ...]
    steps: tuple[Step, ...]
    profile_clauses: tuple[ProfileClause, ...] = ()


@dataclass(frozen=True)
class RubricElement:
    """One thing a good draft covers.

    `terms`: any one of them must appear in a binding sentence or a step, each term standing for its concept in
    course/content/rubric/concepts.yaml (see course/rubric/concepts.py); `with_terms`: if given, one of these must
    appear in the same sentence too. `where`: standard, procedure or any. `slots`: step fields (who, when, record)
    that a covering step must fill.
    """

    id: str
    label: str
    why: str
    terms: tuple[str, ...]
    with_terms: tuple[str, ...] = ()
    where: str = "any"
    slots: tuple[str, ...] = ()


SLOTS = ("who", "what", "when", "record")


@dataclass(frozen=True)
class Lesson:
    case: str
    tip: str
    mistakes: tuple[str, ...]


@dataclass(frozen=True)
class Control:
    number: str
    title_ja: str
    title_en: str
    verified: bool
    theme: str
    topic: str
    in_seminar: bool
    purpose_ja: str
    purpose_en: str
    model: ModelAnswer | None = None
    lesson: Lesson | None = None
    rubric: tuple[RubricElement, ...] = ()
    source: str = field(default="", compare=False)

    @property
    def display_title(self):
        """Japanese title, marked when it is not verified against the Tokyo handbook."""
        return self.title_ja if self.verified else f"{self.title_ja}（訳語未確認）"

    @property
    def sort_key(self):
        major, minor = self.number.split(".")
        return int(major), int(minor)

    def summary(self):
        return {
            "number": self.number,
            "title_ja": self.title_ja,
            "title_en": self.title_en,
            "verified": self.verified,
            "theme": self.theme,
            "topic": self.topic,
            "in_seminar": self.in_seminar,
            "purpose_ja": self.purpose_ja,
            "purpose_en": self.purpose_en,
            "has_model": self.model is not None,
            "rubric_elements": len(self.rubric),
        }


def _strings(data, key, path, where, required=True):
    if not required and key not in data:
        return ()
    items = require(data, key, list, path, where)
    if required and not items:
        raise ContentError(path, f"{where}{key}", "1 件以上必要です / must not be empty")
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise ContentError(path, f"{where}{key}[{i}]", "空でない文字列が必要です / expected a non-empty string")
    return tuple(items)


def _step(data, path, where):
    if not isinstance(data, dict):
        raise ContentError(path, where.rstrip("."), "who/what/when/record の対応表が必要です / expected a mapping")
    return Step(*(require(data, k, str, path, where) for k in ("who", "what", "when", "record")))


def _model(data, path):
    w = "model."
    if not isinstance(data, dict):
        raise ContentError(path, "model", "対応表が必要です / expected a mapping")
    steps = require(data, "steps", list, path, w)
    if not steps:
        raise ContentError(path, f"{w}steps", "1 件以上必要です / must not be empty")
    clauses = []
    for i, c in enumerate(data.get("profile_clauses") or []):
        cw = f"{w}profile_clauses[{i}]."
        cond = require(c, "when", str, path, cw)
        if cond not in PROFILE_CONDITIONS:
            raise ContentError(path, f"{cw}when", f"{', '.join(PROFILE_CONDITIONS)} のいずれかです / must be one of those")
        step = _step(c["step"], path, f"{cw}step.") if "step" in c else None
        clauses.append(ProfileClause(cond, require(c, "statement", str, path, cw), step))
    return ModelAnswer(
        purpose=require(data, "purpose", str, path, w),
        scope=require(data, "scope", str, path, w),
        statements=_strings(data, "statements", path, w),
        owner=require(data, "owner", str, path, w),
        review=require(data, "review", str, path, w),
        related=_strings(data, "related", path, w, required=False),
        steps=tuple(_step(s, path, f"{w}steps[{i}].") for i, s in enumerate(steps)),
        profile_clauses=tuple(clauses),
    )


def _rubric(items, path):
    if not isinstance(items, list):
        raise ContentError(path, "rubric", "リストが必要です / expected a list")
    elements, seen = [], set()
    for i, e in enumerate(items):
        w = f"rubric[{i}]."
        eid = require(e, "id", str, path, w)
        if eid in seen:
            raise ContentError(path, f"{w}id", f"{eid} が重複しています / duplicate id")
        seen.add(eid)
        where = e.get("where", "any")
        if where not in ("standard", "procedure", "any"):
            raise ContentError(path, f"{w}where", "standard / procedure / any のいずれかです / must be one of those")
        elements.append(RubricElement(
            id=eid,
            label=require(e, "label", str, path, w),
            why=require(e, "why", str, path, w),
            terms=_strings(e, "terms", path, w),
            with_terms=_strings(e, "with_terms", path, w, required=False),
            where=where,
            slots=_slots(e, path, w),
        ))
    return tuple(elements)


def _slots(e, path, w):
    slots = _strings(e, "slots", path, w, required=False)
    if not set(slots) <= set(SLOTS):
        raise ContentError(path, f"{w}slots", f"{', '.join(SLOTS)} のいずれかです / must be some of those")
    return slots


def load_control(path):
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(path, "(file)", "対応表が必要です / expected a mapping")
    number = require(data, "number", str, path)
    if not NUMBER_RE.match(number):
        raise ContentError(path, "number", f"{number!r} は 5.x または 6.x の番号ではありません / not a 5.x or 6.x number")
    if path.stem != number:
        raise ContentError(path, "number", f"ファイル名と番号 {number} が一致しません / file name does not match")
    theme = require(data, "theme", str, path)
    if theme not in THEMES:
        raise ContentError(path, "theme", f"{', '.join(THEMES)} のいずれかです / must be one of those")
    purpose = require(data, "purpose", dict, path)
    lesson = None
    if "lesson" in data:
        lw = "lesson."
        lesson = Lesson(
            case=require(data["lesson"], "case", str, path, lw),
            tip=require(data["lesson"], "tip", str, path, lw),
            mistakes=_strings(data["lesson"], "mistakes", path, lw),
        )
    return Control(
        number=number,
        title_ja=require(data, "title_ja", str, path),
        title_en=require(data, "title_en", str, path),
        verified=require(data, "verified", bool, path),
        theme=theme,
        topic=require(data, "topic", str, path),
        in_seminar=require(data, "in_seminar", bool, path),
        purpose_ja=require(purpose, "ja", str, path, "purpose."),
        purpose_en=require(purpose, "en", str, path, "purpose."),
        model=_model(data["model"], path) if "model" in data else None,
        lesson=lesson,
        rubric=_rubric(data["rubric"], path) if "rubric" in data else (),
        source=str(path),
    )


def load_catalog(directory=None):
    """All controls, in Annex A order."""
    directory = Path(directory) if directory else CONTROLS_DIR
    controls = [load_control(p) for p in directory.glob("*.yaml")]
    if not controls:
        raise ContentError(directory, "(folder)", "管理策のファイルがありません / no control files")
    return sorted(controls, key=lambda c: c.sort_key)


@lru_cache(maxsize=1)
def catalog():
    """The packaged catalog, loaded once: {number: Control}."""
    return {c.number: c for c in load_catalog()}


def get_control(number):
    number = str(number).strip()
    try:
        return catalog()[number]
    except KeyError:
        raise KeyError(f"管理策 {number} はカタログにありません / control {number} is not in the catalog") from None


def controls(theme=None):
    return [c for c in catalog().values() if theme is None or c.theme == theme]


HIDDEN_MODELS = CONTENT_DIR / "hidden_models.yaml"


@lru_cache(maxsize=1)
def hidden_models():
    """The numbers of the controls whose model the course never shows learners (content/hidden_models.yaml)."""
    data = read_yaml(HIDDEN_MODELS) or {}
    numbers = frozenset(str(n).strip() for n in data.get("controls") or ())
    unknown = sorted(n for n in numbers if n not in catalog())
    if unknown:
        raise ContentError(HIDDEN_MODELS, "controls", f"カタログにない管理策 / not in the catalog: {', '.join(unknown)}")
    return numbers


def model_hidden(control):
    """True when the model of `control` (a number or a Control) is never shown to learners."""
    return str(getattr(control, "number", control)).strip() in hidden_models()
