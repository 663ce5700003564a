"""The draft a learner writes for one control: its 対策基準 (standard) and 実施手順 (procedure).

Stored as JSON (`Draft.to_dict()`, schema "course.draft/1") inside an AnswerStore record of kind "draft".
"""

from dataclasses import asdict, dataclass, field

from ..errors import CourseError

DRAFT_SCHEMA = "course.draft/1"
STEP_FIELDS = ("who", "what", "when", "record")
TEXT_FIELDS = ("purpose", "scope", "owner", "review")


class DraftFormatError(CourseError, ValueError):
    pass


@dataclass
class DraftStep:
    who: str = ""     # 担当
    what: str = ""    # 作業
    when: str = ""    # 時期
    record: str = ""  # 記録

    def is_empty(self):
        return not any(getattr(self, f).strip() for f in STEP_FIELDS)


@dataclass
class Draft:
    control: str
    purpose: str = ""                                  # 目的
    scope: str = ""                                    # 適用範囲
    statements: list[str] = field(default_factory=list)  # 対策基準: each 「〜しなければならない」
    owner: str = ""                                    # 責任者
    review: str = ""                                   # 見直し時期
    related: list[str] = field(default_factory=list)     # 関連文書
    steps: list[DraftStep] = field(default_factory=list)  # 実施手順

    def to_dict(self):
        return {"schema": DRAFT_SCHEMA, **asdict(self)}

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            raise DraftFormatError("下書きの形式が正しくありません / a draft must be a JSON object")
        schema = data.get("schema", DRAFT_SCHEMA)
        if schema != DRAFT_SCHEMA:
            raise DraftFormatError(f"対応していない下書きの形式です: {schema} / unsupported draft schema")
        control = data.get("control")
        if not isinstance(control, str) or not control.strip():
            raise DraftFormatError("管理策の番号（control）がありません / the draft names no control")

        def text(name):
            value = data.get(name, "")
            if not isinstance(value, str):
                raise DraftFormatError(f"{name} は文字列で書いてください / {name} must be text")
            return value

        def texts(name):
            value = data.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise DraftFormatError(f"{name} は文字列のリストで書いてください / {name} must be a list of text")
            return list(value)

        steps = data.get("steps", [])
        if not isinstance(steps, list):
            raise DraftFormatError("steps はリストで書いてください / steps must be a list")
        parsed = []
        for i, s in enumerate(steps, 1):
            if not isinstance(s, dict) or not all(isinstance(s.get(f, ""), str) for f in STEP_FIELDS):
                raise DraftFormatError(f"手順 {i} の形式が正しくありません / step {i} is malformed")
            parsed.append(DraftStep(**{f: s.get(f, "") for f in STEP_FIELDS}))
        return cls(control=control.strip(), statements=texts("statements"), related=texts("related"), steps=parsed,
                   **{f: text(f) for f in TEXT_FIELDS})

    def is_empty(self):
        return (not any(getattr(self, f).strip() for f in TEXT_FIELDS)
                and not any(s.strip() for s in self.statements + self.related)
                and all(s.is_empty() for s in self.steps))
