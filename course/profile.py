"""The learner's company profile: filled in once in 00_start.ipynb, read by every later notebook.

Saved as answers/company_profile.json (an AnswerStore record of kind "profile"). Later notebooks call
`load_profile()` to fit model texts to the company: the name, clauses for remote work, cloud services and contractors,
and the role table and calendar (content/profile.yaml) that every model text names as {role.<key>} / {cal.<key>}.

The role table and the calendar are stored as the learner's changes to the defaults (`roles`, `calendar`; left out
of the record while nothing is changed), so a profile saved before they existed loads with the defaults. The holder of
the IT role is the older `it_staff` field.
"""

from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache

import ipywidgets as W

from .answers.form import AnswerForm
from .answers.store import AnswerStore
from .i18n import t
from .yamlio import CONTENT_DIR, read_yaml

PROFILE_KEY = "company_profile"
PROFILE_KIND = "profile"
DEFAULT_COMPANY = "当社"
TELEWORK_CHOICES = (("なし", "none"), ("一部の従業員", "some"), ("全社的に実施", "all"))
FREQUENCIES = {"month": "毎月", "quarter": "四半期ごと", "half": "半年ごと", "year": "年1回"}  # what the form shows
CALENDAR_FREQUENCIES = ("access_review", "account_review")
CALENDAR_MONTHS = ("review_month",)
CALENDAR_DAYS = ("request_lead_days", "approval_days")
IT_ROLE = "it"


@dataclass(frozen=True)
class RoleSpec:
    """A row of the role table: key, 役割, default 呼称 (name used in the rules), default 担当, 主な職務."""

    key: str
    role: str
    name: str
    holder: str
    duty: str


@dataclass(frozen=True)
class Role:
    key: str
    role: str    # 役割
    name: str    # 呼称: how the rules call it
    holder: str  # 担当: the title or person that holds it
    duty: str


@lru_cache(maxsize=1)
def _defaults():
    data = read_yaml(CONTENT_DIR / "profile.yaml")
    roles = tuple(RoleSpec(**r) for r in data["roles"])
    return roles, dict(data["calendar"])


def role_specs():
    """The rows of the role table, in the order of content/profile.yaml."""
    return _defaults()[0]


def default_calendar():
    calendar = _defaults()[1]
    return {k: dict(v) if isinstance(v, dict) else v for k, v in calendar.items()}


def _month(value):
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12


def _days(value):
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 30


def _frequency(value):
    return (isinstance(value, dict) and value.get("every") in FREQUENCIES and _month(value.get("month"))
            and set(value) == {"every", "month"})


CALENDAR_CHECKS = {**{k: _frequency for k in CALENDAR_FREQUENCIES}, **{k: _month for k in CALENDAR_MONTHS},
                   **{k: _days for k in CALENDAR_DAYS}}


def frequency_text(value):
    """{"every": "half", "month": 4} -> 「半年ごと（4月・10月）」; a month -> 「毎月末」; a year -> 「毎年4月」."""
    every, month = value["every"], value["month"]
    if every == "month":
        return "毎月末"
    if every == "year":
        return f"毎年{month}月"
    step = {"quarter": 3, "half": 6}[every]
    months = "・".join(f"{(month - 1 + i) % 12 + 1}月" for i in range(0, 12, step))
    return f"{FREQUENCIES[every]}（{months}）"


@dataclass
class CompanyProfile:
    company: str = ""                       # 会社名
    industry: str = ""                      # 業種
    employees: int | None = None            # 従業員数
    sites: str = ""                         # 拠点
    telework: str = "none"                  # テレワークの有無: none / some / all
    cloud: list[str] = field(default_factory=list)        # クラウドサービスの利用
    contractors: list[str] = field(default_factory=list)  # 外部委託先
    personal_data: bool = False             # 個人情報の取扱い
    it_staff: str = ""                      # IT担当者: the holder of the IT role
    roles: dict = field(default_factory=dict)     # {key: {"name": 呼称, "holder": 担当}}: changes to the role table
    calendar: dict = field(default_factory=dict)  # {key: value}: changes to the calendar

    @property
    def name(self):
        return self.company.strip() or DEFAULT_COMPANY

    @property
    def traits(self):
        """The conditions that model clauses can depend on (see catalog.PROFILE_CONDITIONS)."""
        return {"telework": self.telework != "none", "cloud": bool(self.cloud), "contractors": bool(self.contractors)}

    @property
    def traits_text(self):
        """The traits for people: 「テレワーク、クラウドサービス」, or 「なし」 (what the notebooks print)."""
        names = [t(f"drafting.trait_{k}") for k, on in self.traits.items() if on]
        return "、".join(names) if names else t("drafting.no_traits")

    def role(self, key):
        """The Role `key` with the company's 呼称 and 担当 (the default where the learner left a field empty)."""
        spec = next(s for s in role_specs() if s.key == key)
        changed = self.roles.get(key, {})
        holder = self.it_staff.strip() if key == IT_ROLE else changed.get("holder", "").strip()
        return Role(key, spec.role, changed.get("name", "").strip() or spec.name, holder or spec.holder, spec.duty)

    def role_table(self):
        return [self.role(s.key) for s in role_specs()]

    def calendar_value(self, key):
        value = self.calendar.get(key)
        return value if value is not None and CALENDAR_CHECKS[key](value) else default_calendar()[key]

    def placeholders(self):
        """{"company": 会社名, "role.<key>": 呼称, "cal.<key>": text}: what fit.model_draft puts into model texts."""
        values = {"company": self.name}
        values.update({f"role.{r.key}": r.name for r in self.role_table()})
        review_month = self.calendar_value("review_month")
        values.update({
            "cal.review": f"年1回（{review_month}月）",
            "cal.review_month": f"{review_month}月",
            "cal.access_review": frequency_text(self.calendar_value("access_review")),
            "cal.account_review": frequency_text(self.calendar_value("account_review")),
            "cal.request_lead": f"{self.calendar_value('request_lead_days')}営業日前",
            "cal.approval": f"{self.calendar_value('approval_days')}営業日以内",
        })
        return values

    def to_dict(self):
        data = asdict(self)
        for key in ("roles", "calendar"):  # unchanged defaults are not stored (and older records have neither)
            if not data[key]:
                del data[key]
        return data

    @classmethod
    def from_dict(cls, data):
        """Tolerant: unknown keys are ignored and values of the wrong type fall back to the default."""
        profile = cls()
        for f in fields(cls):
            if f.name not in data or f.name in ("roles", "calendar"):
                continue
            value, default = data[f.name], getattr(profile, f.name)
            if f.name == "employees":
                ok = value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0)
            elif isinstance(default, list):
                ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            else:
                ok = isinstance(value, type(default))
            if ok:
                setattr(profile, f.name, list(value) if isinstance(value, list) else value)
        if profile.telework not in dict((v, k) for k, v in TELEWORK_CHOICES):
            profile.telework = "none"
        profile.roles = _read_roles(data.get("roles"))
        profile.calendar = _read_calendar(data.get("calendar"))
        return profile


def _read_roles(value):
    known = {s.key for s in role_specs()}
    roles = {}
    for key, entry in (value.items() if isinstance(value, dict) else ()):
        if key in known and isinstance(entry, dict):
            kept = {k: v.strip() for k, v in entry.items() if k in ("name", "holder") and isinstance(v, str) and v.strip()}
            if kept:
                roles[key] = kept
    return roles


def _read_calendar(value):
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if k in CALENDAR_CHECKS and CALENDAR_CHECKS[k](v)}


def load_profile(store=None):
    """The saved profile, or an empty one (the company is then called 当社)."""
    result = (store or AnswerStore()).load(PROFILE_KEY, PROFILE_KIND)
    return CompanyProfile.from_dict(result.record.data) if result.record else CompanyProfile()


def save_profile(profile, store=None):
    return (store or AnswerStore()).save(PROFILE_KEY, PROFILE_KIND, profile.to_dict())


def split_list(text):
    """'A社、B社, C社' -> ['A社', 'B社', 'C社']: learners separate items with 、 , ， ; or new lines."""
    for sep in ("、", "，", ",", ";", "；", "\n"):
        text = text.replace(sep, "\n")
    return [item.strip() for item in text.split("\n") if item.strip()]


# The examples the form shows in its empty fields: an answer that repeats one is copied, not the learner's company.
EXAMPLES = {"company": "株式会社みどり精機", "industry": "製造業（精密部品）", "employees": 35,
            "sites": "本社（東京都大田区）、倉庫（川崎市）"}


def own_entry(profile, key):
    """Whether the profile's field `key` is filled with something other than the form's example."""
    value = getattr(profile, key)
    if value is None or value == "":
        return False
    return str(value).strip() != str(EXAMPLES[key])


class ProfileForm(AnswerForm):
    """The company-profile form. Restores its values from the saved record, then saves every change."""

    def __init__(self, store=None, **kwargs):
        super().__init__(store, PROFILE_KEY, PROFILE_KIND, **kwargs)
        self.profile = CompanyProfile()
        layout = W.Layout(width="36em")
        style = {"description_width": "11em"}

        def text(key, placeholder, area=False):
            cls = W.Textarea if area else W.Text
            return cls(description=t(f"profile.{key}"), placeholder=placeholder, layout=layout, style=style)

        self.company = text("company", f"例：{EXAMPLES['company']}")
        self.industry = text("industry", f"例：{EXAMPLES['industry']}")
        self.employees = text("employees", f"例：{EXAMPLES['employees']}")
        self.sites = text("sites", f"例：{EXAMPLES['sites']}")
        self.telework = W.Dropdown(options=TELEWORK_CHOICES, value="none", description=t("profile.telework"),
                                   layout=layout, style=style)
        self.cloud = text("cloud", "例：Microsoft 365、会計クラウド（読点で区切る）", area=True)
        self.contractors = text("contractors", "例：IT保守のA社、給与計算のB社", area=True)
        self.personal_data = W.Checkbox(description=t("profile.personal_data"), indent=False)
        self.it_staff = text("it_staff", "例：総務課の佐藤（兼任）")
        basics = [self.company, self.industry, self.employees, self.sites, self.telework, self.cloud,
                  self.contractors, self.personal_data]

        # The role table: per role the holder (担当) and the name the rules use (呼称); empty = the default.
        self.role_holders, self.role_names, rows = {}, {}, []
        for spec in role_specs():
            holder = self.it_staff if spec.key == IT_ROLE else W.Text(
                description=spec.role, placeholder=f"例：{spec.holder}", layout=layout, style=style)
            name = W.Text(description=t("profile.role_name"), placeholder=spec.name, layout=W.Layout(width="22em"),
                          style={"description_width": "6em"})
            self.role_holders[spec.key], self.role_names[spec.key] = holder, name
            rows.append(W.HBox([holder, name]))

        def choice(options, key):
            return W.Dropdown(options=options, description=t(f"profile.cal.{key}"), layout=layout,
                              style={"description_width": "20em"})

        months = [(f"{m}月", m) for m in range(1, 13)]
        every = [(label, key) for key, label in FREQUENCIES.items()]
        self.review_month = choice(months, "review_month")
        self.frequencies = {key: (choice(every, key), W.Dropdown(options=months, description=t("profile.cal.from"),
                                                                  layout=W.Layout(width="14em"),
                                                                  style={"description_width": "4em"}))
                            for key in CALENDAR_FREQUENCIES}
        self.days = {key: choice([(f"{d}営業日", d) for d in range(1, 16)], key) for key in CALENDAR_DAYS}
        calendar_inputs = [self.review_month, *(w for pair in self.frequencies.values() for w in pair),
                           *self.days.values()]

        self.inputs = [*basics, *self.role_holders.values(), *self.role_names.values(), *calendar_inputs]
        self.children = [
            W.HTML(f"<h3>{t('profile.title')}</h3>"), *basics,
            W.HTML(f"<h4>{t('profile.roles_title')}</h4><p>{t('profile.roles_help')}</p>"), *rows,
            W.HTML(f"<h4>{t('profile.calendar_title')}</h4><p>{t('profile.calendar_help')}</p>"),
            self.review_month, *(W.HBox(list(pair)) for pair in self.frequencies.values()), *self.days.values(),
            self.status, self.messages]
        with self.quietly():
            self._show(self.profile)  # the defaults, until a saved profile replaces them
        self._open(self.inputs)

    def _read(self, data):
        return CompanyProfile.from_dict(data)

    def _show(self, p):
        self.profile = p
        self.company.value, self.industry.value, self.sites.value = p.company, p.industry, p.sites
        self.employees.value = "" if p.employees is None else str(p.employees)
        self.telework.value, self.personal_data.value, self.it_staff.value = p.telework, p.personal_data, p.it_staff
        self.cloud.value, self.contractors.value = "、".join(p.cloud), "、".join(p.contractors)
        for key, widget in self.role_names.items():
            widget.value = p.roles.get(key, {}).get("name", "")
        for key, widget in self.role_holders.items():
            if key != IT_ROLE:
                widget.value = p.roles.get(key, {}).get("holder", "")
        self.review_month.value = p.calendar_value("review_month")
        for key, (every, month) in self.frequencies.items():
            value = p.calendar_value(key)
            every.value, month.value = value["every"], value["month"]
        for key, widget in self.days.items():
            widget.value = p.calendar_value(key)

    def _data(self):
        p = self.profile
        p.company, p.industry, p.sites = self.company.value.strip(), self.industry.value.strip(), self.sites.value.strip()
        p.telework, p.personal_data, p.it_staff = self.telework.value, self.personal_data.value, self.it_staff.value.strip()
        p.cloud, p.contractors = split_list(self.cloud.value), split_list(self.contractors.value)
        raw = self.employees.value.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(",", "")
        if not raw:
            p.employees = None
        elif raw.isdigit() and int(raw) > 0:
            p.employees = int(raw)
        else:
            self.tell(t("profile.bad_employees", value=self.employees.value))
        p.roles = _read_roles({key: {"name": self.role_names[key].value,
                                     "holder": "" if key == IT_ROLE else self.role_holders[key].value}
                               for key in self.role_names})
        shown = {"review_month": self.review_month.value, **self.days,
                 **{key: {"every": every.value, "month": month.value} for key, (every, month) in self.frequencies.items()}}
        shown = {k: getattr(v, "value", v) for k, v in shown.items()}
        p.calendar = {k: v for k, v in shown.items() if v != default_calendar()[k]}
        return p.to_dict()
