"""Does the rules document say one thing? A structural check over all of a learner's drafts.

Each draft is cut into units: each sentence of a statement (対策基準), each step (実施手順: 担当・作業・時期・記録), the
責任者 and the 見直し時期. In the units the check finds, with small lexicons and the company's role table:

- decisions: who approves (承認・許可) an object (アカウント・アクセス権, ソフトウェア, クラウドサービス, 記録媒体の
  持ち出し, テレワーク), how early it is applied for (申請 … N営業日前) and how soon it is approved (N営業日以内);
- reviews: how often the same review happens (アクセス権の見直し, アカウントの棚卸し, ソフトウェアの棚卸し, 規程の見直し);
- roles: every title that looks like a role (…責任者, …管理者, …担当者, …部長, 所属長, 社長 …) must be a 呼称 or 担当 of
  the role table, or one of a few roles defined by the situation (担当者, プロジェクト責任者, 管理責任者 …).

Findings name the controls and quote the sentences, in Japanese. Two approvers are the same when the role table gives
them the same holder (one person may hold several roles). "少なくとも年1回" is a lower bound: it agrees with a monthly
review. The check reads what is written; it does not judge whether a rule is good (that is the rubric's job).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import catalog
from ..errors import CourseError
from ..i18n import t
from ..profile import CompanyProfile

# -- normalisation -----------------------------------------------------------------------------------------------------

VARIANTS = (("棚卸し", "棚卸"), ("見直し", "見直"), ("突合せ", "突き合わせ"), ("突合わせ", "突き合わせ"),
            ("持出し", "持ち出し"), ("持出", "持ち出し"), ("ユーザID", "ユーザーID"), ("ヶ月", "か月"), ("カ月", "か月"),
            ("ケ月", "か月"))


def norm(text):
    """One form for matching: NFKC (全角英数 → 半角), no spaces, a few okurigana variants unified."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for old, new in VARIANTS:
        text = text.replace(old, new)
    return text


# -- lexicons ----------------------------------------------------------------------------------------------------------

OBJECTS = {  # decision object -> words that name it
    "account": ("アクセス権", "権限", "アカウント", "利用者ID", "共用ID", "共有ID", "ユーザーID", "ID"),
    "software": ("ソフトウェア", "フリーソフト", "インストール"),
    "cloud": ("クラウドサービス", "クラウド"),
    "media": ("記録媒体", "USBメモリ", "持ち出し"),
    "telework": ("テレワーク", "リモートワーク", "在宅勤務"),
}
REVIEWS = {  # review kind -> groups of words; a unit is that review when it has a word of every group (first kind wins)
    "account_review": (("アカウント", "ID"), ("名簿",), ("照合", "突き合わせ", "照らし合わせ", "棚卸", "点検")),
    "access_review": (("アクセス権", "権限"), ("見直",)),
    "software_review": (("ソフトウェア",), ("照合", "棚卸", "点検")),
    "rules_review": (("基本方針", "対策基準", "規程"), ("見直",)),
}
ACT = r"(?:承認|許可)"
ROLE_SUFFIX = r"(?:責任者|管理者|担当者|部長|課長|所属長|部門長|社長|取締役|役員|上長|室長|店長|工場長)"
WORD = r"[一-龥々ァ-ヶーA-Za-z0-9・]"
ROLE_NOUN = re.compile(rf"(?<!{WORD}){WORD}*?{ROLE_SUFFIX}(?!{WORD})")
GENERIC_ROLES = {"担当者", "責任者", "管理者", "役員", "取締役", "部長", "課長", "副担当者", "プロジェクト責任者",
                 "管理責任者", "副責任者", "窓口担当者", "社内担当者"}
PERIOD = r"(\d+)(営業日|日|時間|週間|か月)"
SEGMENT_END = re.compile(r"(?:し、|して、|て、|。)")
ORDER = {"day": 0, "week": 1, "month": 2, "quarter": 3, "half": 4, "year": 5}


@dataclass
class Frequency:
    period: str                  # day / week / month / quarter / half / year
    months: tuple = ()           # 4月 and 10月 -> (4, 10); () when no month is named
    at_least: bool = False       # 「少なくとも年1回」「年1回以上」: a lower bound

    def agrees(self, other):
        if self.at_least and other.at_least:
            return True
        if self.at_least or other.at_least:  # the exact one must be at least as often as the bound
            bound, exact = (self, other) if self.at_least else (other, self)
            return ORDER[exact.period] <= ORDER[bound.period]
        if self.period != other.period:
            return False
        return not (self.months and other.months) or set(self.months) == set(other.months)


def frequency(text):
    """The first review frequency named in a text, or None."""
    s = norm(text)
    at_least = bool(re.search(r"少なくとも|以上", s))
    months = tuple(int(m) for m in re.findall(r"(\d{1,2})月", s))
    if re.search(r"毎日", s):
        return Frequency("day", (), at_least)
    if re.search(r"毎週", s):
        return Frequency("week", (), at_least)
    if re.search(r"毎月|月1回|月に1回|月次", s):
        return Frequency("month", (), at_least)
    if "四半期" in s:
        return Frequency("quarter", months, at_least)
    if re.search(r"半年|半期|年2回|年に2回", s):
        return Frequency("half", months, at_least)
    if re.search(r"毎年|年1回|年に1回|1年に1回|年次", s):
        return Frequency("year", months[:1], at_least)
    return None


# -- units -------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    control: str
    where: str      # 対策基準 / 実施手順 2 / 責任者 / 見直し時期
    text: str       # as written (a sentence, or a step as 担当｜作業｜時期｜記録)
    who: str = ""   # a step's 担当
    what: str = ""  # a step's 作業, or the sentence
    when: str = ""  # a step's 時期, or the review field
    record: str = ""

    def label(self):
        excerpt = self.text if len(self.text) <= 70 else self.text[:69] + "…"
        return t("consistency.place", control=self.control, where=self.where, text=excerpt)


def split_sentences(text):
    return [s.strip() + "。" for s in re.split(r"。", text) if s.strip()]


def units(draft):
    control = draft.control
    out = []
    for statement in draft.statements:
        for sentence in split_sentences(statement):
            out.append(Unit(control, t("consistency.where_standard"), sentence, what=sentence, when=sentence))
    for i, s in enumerate((s for s in draft.steps if not s.is_empty()), 1):
        text = "｜".join(x.strip() for x in (s.who, s.what, s.when, s.record) if x.strip())
        out.append(Unit(control, t("consistency.where_step", n=i), text, s.who.strip(), s.what.strip(), s.when.strip(),
                        s.record.strip()))
    if draft.owner.strip():
        out.append(Unit(control, t("consistency.where_owner"), draft.owner.strip(), who=draft.owner.strip()))
    if draft.review.strip():
        out.append(Unit(control, t("consistency.where_review"), draft.review.strip(), when=draft.review.strip()))
    return out


# -- roles -------------------------------------------------------------------------------------------------------------

class Roles:
    """The role table as lookups: a written title -> the holder it stands for."""

    def __init__(self, profile):
        self.table = profile.role_table()
        self.known = {}
        for r in self.table:
            for written in (r.name, r.holder):
                self.known.setdefault(self.key(written), r)
            for noun in ROLE_NOUN.findall(norm(r.holder)):
                self.known.setdefault(self.key(noun), r)

    @staticmethod
    def key(title):
        return re.sub(r"^(各|全|当該)", "", norm(title))

    def holder(self, title):
        """The holder a title stands for (its role's 担当), or the title itself when it is not in the table."""
        role = self.known.get(self.key(title))
        return norm(role.holder) if role else self.key(title)

    def unknown(self, text):
        """Role-like titles in a text that the role table does not hold."""
        found = []
        for noun in ROLE_NOUN.findall(norm(text)):
            k = self.key(noun)
            if k and k not in self.known and k not in GENERIC_ROLES and noun not in found:
                found.append(noun)
        return found


# -- extraction --------------------------------------------------------------------------------------------------------

def _objects(text):
    s = norm(text)
    return [name for name, words in OBJECTS.items() if any(w in s for w in words)]


def _segment_before(s, position):
    """The clause of s that ends at position: from the last 「し、」「て、」「。」 before it."""
    start = 0
    for m in SEGMENT_END.finditer(s, 0, position):
        start = m.end()
    return s[start:position]


def _topic(s):
    return s.split("は、", 1)[0] if "は、" in s else ""


ROLE_TITLE = rf"(?<!{WORD})({WORD}*?{ROLE_SUFFIX})"
EXPLICIT = (  # who approves, named in the text
    re.compile(rf"{ROLE_TITLE}(?:の|による)(?:事前の)?{ACT}"),
    re.compile(rf"{ROLE_TITLE}(?:が|は)、?[^。、]*?{ACT}(?:し|する|して|又は)"),
    re.compile(rf"{ROLE_TITLE}に(?:申請|届け出)し、?(?:その)?{ACT}を得"),
)
OWN_ACT = re.compile(rf"(?<!の){ACT}(?:し|する|して|又は)")


def approvals(unit):
    """[(object, approver title, position text)] for each approval in a unit."""
    s = norm(unit.what)
    if not s:
        return []
    found = []
    for pattern in EXPLICIT:
        for m in pattern.finditer(s):
            title = re.sub(r"^(各|本人の)", "", m.group(1))
            found.append((m.start(), m.end(), title))
    if not found and unit.who and not re.search(r"[、,・及と]", norm(unit.who)):
        m = OWN_ACT.search(s)
        if m:
            found.append((m.start(), m.end(), norm(unit.who)))
    out = []
    for start, end, title in found:
        objects = _objects(_segment_before(s, end)) or _objects(_topic(s)) or _objects(unit.record)
        out += [(obj, title) for obj in objects]
    return out


def review_kind(unit):
    s = norm(" ".join((unit.what, unit.record)))
    for kind, groups in REVIEWS.items():
        if all(any(w in s for w in group) for group in groups):
            return kind
    return None


def periods(unit, marker):
    """(object, "5営業日") for a period like 「5営業日前」(marker 前) or 「3営業日以内」(marker 以内) in a unit."""
    s = norm(" ".join((unit.what, unit.when)))
    objects = _objects(" ".join((unit.what, unit.record)))
    if len(objects) != 1:
        return None
    m = re.search(PERIOD + marker, s)
    return (objects[0], m.group(1) + m.group(2)) if m else None


# -- the check ---------------------------------------------------------------------------------------------------------

@dataclass
class Finding:
    kind: str      # approver / frequency / period / unknown_role
    subject: str   # what it is about, in Japanese
    message: str   # one Japanese sentence or two, naming the controls and quoting the sentences
    places: list = field(default_factory=list)  # [(value, Unit)]

    def to_dict(self):
        return {"kind": self.kind, "subject": self.subject, "message": self.message,
                "places": [{"control": u.control, "where": u.where, "text": u.text, "value": v} for v, u in self.places]}


@dataclass
class Report:
    findings: list
    controls: list  # the control numbers checked

    @property
    def ok(self):
        return not self.findings

    def summary(self):
        if self.ok:
            return t("consistency.ok", count=len(self.controls))
        return t("consistency.found", count=len(self.controls), findings=len(self.findings))

    def to_dict(self):
        return {"ok": self.ok, "controls": self.controls, "summary": self.summary(),
                "findings": [f.to_dict() for f in self.findings]}


def _listing(places):
    return "、".join(t("consistency.value_at", value=v, place=u.label()) for v, u in places)


def check_drafts(drafts, profile=None):
    """A Report over drafts (Draft objects of different controls) for the company's role table."""
    profile = profile or CompanyProfile()
    roles = Roles(profile)
    order = {n: i for i, n in enumerate(catalog())}
    drafts = sorted(drafts, key=lambda d: order.get(d.control, len(order)))
    all_units = [u for d in drafts for u in units(d)]
    findings = []

    approvers, requests, deadlines, reviews = {}, {}, {}, {}
    for u in all_units:
        for obj, title in approvals(u):
            approvers.setdefault(obj, []).append((title, u))
        if "申請" in norm(u.what) and (p := periods(u, "前")):
            requests.setdefault(p[0], []).append((p[1], u))
        if re.search(ACT, norm(u.what)) and (p := periods(u, "以内")):
            deadlines.setdefault(p[0], []).append((p[1], u))
        kind = "rules_review" if u.where == t("consistency.where_review") else review_kind(u)
        if kind and (f := frequency(u.when)):
            reviews.setdefault(kind, []).append((f, u))

    for obj, places in approvers.items():
        if len({roles.holder(title) for title, _ in places}) > 1:
            subject = t("consistency.approval", object=t(f"consistency.object.{obj}"))
            findings.append(Finding("approver", subject, t("consistency.approver_differs", subject=subject,
                                                           places=_listing(places)), places))
    for key, table in (("request", requests), ("deadline", deadlines)):
        for obj, places in table.items():
            if len({v for v, _ in places}) > 1:
                subject = t(f"consistency.{key}", object=t(f"consistency.object.{obj}"))
                findings.append(Finding("period", subject, t("consistency.period_differs", subject=subject,
                                                             places=_listing(places)), places))
    for kind, places in reviews.items():
        if any(not a.agrees(b) for i, (a, _) in enumerate(places) for b, _ in places[i + 1:]):
            subject = t(f"consistency.review.{kind}")
            shown = [(_frequency_text(f, u), u) for f, u in places]
            findings.append(Finding("frequency", subject, t("consistency.frequency_differs", subject=subject,
                                                            places=_listing(shown)), shown))

    unknown = {}
    for u in all_units:
        for noun in roles.unknown(u.who) + roles.unknown(u.what):
            if not any(unit is u for _, unit in unknown.get(noun, [])):
                unknown.setdefault(noun, []).append((noun, u))
    for noun, places in unknown.items():
        names = "、".join(r.name for r in roles.table)
        findings.append(Finding("unknown_role", noun, t("consistency.unknown_role", role=noun, places=_listing(places),
                                                        names=names), places))
    return Report(findings, [d.control for d in drafts])


def _frequency_text(f, unit):
    """The words of the unit that gave the frequency (its 時期, or the sentence)."""
    text = unit.when if unit.when and unit.when != unit.text else unit.text
    return text if len(text) <= 30 else text[:29] + "…"


# -- reading a folder --------------------------------------------------------------------------------------------------

def read_drafts(folder):
    """(drafts, profile) from a folder of answer records (<control>.json, company_profile.json) or Markdown drafts
    (<control>.md). Files of other names are left alone; a draft file that cannot be read stops with its message."""
    from ..answers.store import AnswerStore
    from ..profile import load_profile
    from .commands import MARKDOWN_SUFFIXES, read_draft_file

    folder = Path(folder)
    if not folder.is_dir():
        raise CourseError(t("consistency.no_folder", path=folder))
    known = catalog()
    drafts = {}
    for path in sorted(folder.iterdir()):
        number = unicodedata.normalize("NFKC", path.stem).strip()
        if number in known and path.suffix.lower() in (".json", *MARKDOWN_SUFFIXES) and path.is_file():
            if number in drafts:
                raise CourseError(t("consistency.two_files", control=number, path=folder))
            draft = read_draft_file(path, number)
            if not draft.is_empty():
                drafts[number] = draft
    return list(drafts.values()), load_profile(AnswerStore(folder))


def check_folder(folder):
    drafts, profile = read_drafts(folder)
    return check_drafts(drafts, profile)
