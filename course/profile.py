"""The learner's company profile: filled in once in 00_start.ipynb, read by every later notebook.

Saved as answers/company_profile.json (an AnswerStore record of kind "profile"). Later notebooks call
`load_profile()` to fit model texts to the company (name, and clauses for remote work, cloud services, contractors).
"""

from dataclasses import asdict, dataclass, field, fields

import ipywidgets as W

from .answers.form import AnswerForm
from .answers.store import AnswerStore
from .i18n import t

PROFILE_KEY = "company_profile"
PROFILE_KIND = "profile"
DEFAULT_COMPANY = "当社"
TELEWORK_CHOICES = (("なし", "none"), ("一部の従業員", "some"), ("全社的に実施", "all"))


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
    it_staff: str = ""                      # IT担当者

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

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        """Tolerant: unknown keys are ignored and values of the wrong type fall back to the default."""
        profile = cls()
        for f in fields(cls):
            if f.name not in data:
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
        return profile


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

        self.company = text("company", "例：株式会社みどり精機")
        self.industry = text("industry", "例：製造業（精密部品）")
        self.employees = text("employees", "例：35")
        self.sites = text("sites", "例：本社（東京都大田区）、倉庫（川崎市）")
        self.telework = W.Dropdown(options=TELEWORK_CHOICES, value="none", description=t("profile.telework"),
                                   layout=layout, style=style)
        self.cloud = text("cloud", "例：Microsoft 365、会計クラウド（読点で区切る）", area=True)
        self.contractors = text("contractors", "例：IT保守のA社、給与計算のB社", area=True)
        self.personal_data = W.Checkbox(description=t("profile.personal_data"), indent=False)
        self.it_staff = text("it_staff", "例：総務課の佐藤（兼任）")
        self.inputs = [self.company, self.industry, self.employees, self.sites, self.telework, self.cloud,
                       self.contractors, self.personal_data, self.it_staff]
        self.children = [W.HTML(f"<h3>{t('profile.title')}</h3>"), *self.inputs, self.status, self.messages]
        self._open(self.inputs)

    def _read(self, data):
        return CompanyProfile.from_dict(data)

    def _show(self, p):
        self.profile = p
        self.company.value, self.industry.value, self.sites.value = p.company, p.industry, p.sites
        self.employees.value = "" if p.employees is None else str(p.employees)
        self.telework.value, self.personal_data.value, self.it_staff.value = p.telework, p.personal_data, p.it_staff
        self.cloud.value, self.contractors.value = "、".join(p.cloud), "、".join(p.contractors)

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
        return p.to_dict()
