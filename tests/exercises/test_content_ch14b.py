"""Model content of the catalog-only controls 5.16–5.37: model 対策基準 / 実施手順 and rubric elements.

Each model must be a usable document (obligation sentences, complete steps) and must cover every element of its own
rubric. Coverage is checked here with a small independent matcher (NFKC, substring, same sentence / same step), so this
test does not depend on course.rubric. Model texts hold placeholders ({company}, {role.<key>}, {cal.<key>}); coverage
is checked on the model as course.drafting.fit.model_draft fits it to a company: one with none of the profile traits
and one with all of them and a calendar other than the default.
"""

import re
import unicodedata

import pytest

from course.catalog import get_control
from course.drafting.fit import model_draft
from course.profile import CompanyProfile

CONTROLS = [f"5.{i}" for i in range(16, 38)]
OBLIGATION_ENDINGS = ("しなければならない。", "してはならない。", "なければならない。")
ID_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# profile clauses the brief asks for; other controls of this range have none
EXPECTED_CLAUSES = {
    "5.17": {"telework"},
    "5.19": {"contractors"},
    "5.20": {"contractors"},
    "5.21": {"contractors"},
    "5.22": {"contractors"},
    "5.23": {"cloud"},
    "5.30": {"cloud"},
}


KNOWN_PLACEHOLDERS = set(CompanyProfile().placeholders())
BRACED = re.compile(r"\{([^{}]*)\}")
PLAIN = CompanyProfile()  # 当社, no traits, default role table and calendar
EVERYTHING = CompanyProfile(company="株式会社みどり精機", telework="all", cloud=["会計クラウド"], contractors=["IT保守のA社"],
                            calendar={"review_month": 10, "access_review": {"every": "half", "month": 4},
                                      "account_review": {"every": "quarter", "month": 1}, "request_lead_days": 3,
                                      "approval_days": 2})


def nfkc(text):
    return unicodedata.normalize("NFKC", text)


def step_text(step):
    return " ".join((step.who, step.what, step.when, step.record))


def units(control, where, with_clauses=True):
    """The texts an element may be found in: statements, steps (four fields joined), or both, of the model fitted to a
    company with every profile trait (all clauses) or with none (no clause)."""
    draft = model_draft(control, EVERYTHING if with_clauses else PLAIN)
    clauses = control.model.profile_clauses if with_clauses else ()
    assert len(draft.statements) == len(control.model.statements) + len(clauses)
    found = []
    if where in ("standard", "any"):
        found += draft.statements
    if where in ("procedure", "any"):
        found += [step_text(s) for s in draft.steps]
    return [nfkc(u) for u in found]


def matches(element, unit):
    if not any(nfkc(t) in unit for t in element.terms):
        return False
    return not element.with_terms or any(nfkc(t) in unit for t in element.with_terms)


def covered(element, unit_list):
    return any(matches(element, u) for u in unit_list)


@pytest.fixture(params=CONTROLS)
def control(request):
    return get_control(request.param)


def test_model_exists(control):
    assert control.model is not None, f"{control.number}: model がありません"
    m = control.model
    for name in ("purpose", "scope", "owner", "review"):
        assert getattr(m, name).strip(), f"{control.number}: model.{name} が空です"
    assert m.related, f"{control.number}: 関連文書がありません"


def test_statements_are_single_obligation_sentences(control):
    m = control.model
    assert len(m.statements) >= 2
    for s in list(m.statements) + [c.statement for c in m.profile_clauses]:
        assert s.endswith(OBLIGATION_ENDINGS), f"{control.number}: 義務の文になっていません: {s}"
        assert s.count("。") == 1, f"{control.number}: 1 文にしてください: {s}"
        assert "{company}" in s, f"{control.number}: 主語の {{company}} がありません: {s}"


def test_placeholders_are_known_and_filled(control):
    """Every placeholder is one the company profile fills, and none is left in the fitted model."""
    m = control.model
    steps = list(m.steps) + [c.step for c in m.profile_clauses if c.step is not None]
    texts = [m.purpose, m.scope, m.owner, m.review, *m.related, *m.statements, *(c.statement for c in m.profile_clauses)]
    texts += [getattr(s, f) for s in steps for f in ("who", "what", "when", "record")]
    for text in texts:
        unknown = set(BRACED.findall(text)) - KNOWN_PLACEHOLDERS
        assert not unknown, f"{control.number}: プロフィールにない差し込み {unknown}: {text}"
        assert text.count("{") == text.count("}") == len(BRACED.findall(text)), f"{control.number}: 括弧が余分です: {text}"
    for profile in (PLAIN, EVERYTHING):
        fitted = repr(model_draft(control, profile))
        assert "{" not in fitted and "}" not in fitted, f"{control.number}: 差し込みが残っています"


def test_steps_are_complete(control):
    m = control.model
    assert len(m.steps) >= 3
    steps = list(m.steps) + [c.step for c in m.profile_clauses if c.step is not None]
    for step in steps:
        for name in ("who", "what", "when", "record"):
            assert getattr(step, name).strip(), f"{control.number}: 手順の {name} が空です: {step}"


def test_profile_clauses_where_they_apply(control):
    got = {c.when for c in control.model.profile_clauses}
    assert got == EXPECTED_CLAUSES.get(control.number, set())


def test_rubric_shape(control):
    assert 4 <= len(control.rubric) <= 6
    for e in control.rubric:
        assert ID_RE.match(e.id), e.id
        assert e.label.strip() and e.why.strip()
        # a term that NFKC would change could never match normalised text
        for t in e.terms + e.with_terms:
            assert t == nfkc(t), f"{control.number} {e.id}: 正規化で変わる語です: {t}"


def test_every_rubric_element_is_covered_by_the_model(control):
    missing = [e.id for e in control.rubric if not covered(e, units(control, e.where))]
    assert not missing, f"{control.number}: 模範解答が満たしていない要素: {missing}"


def test_covered_without_profile_clauses(control):
    """A company without telework / cloud / contractors still gets a model that covers every element."""
    missing = [e.id for e in control.rubric if not covered(e, units(control, e.where, with_clauses=False))]
    assert not missing, f"{control.number}: プロフィール条項なしでは満たされない要素: {missing}"


def test_covered_by_a_positive_obligation_or_a_step(control):
    """Coverage does not rest on a prohibition (〜してはならない) alone, however a scorer reads negation."""
    for e in control.rubric:
        for with_clauses in (True, False):
            pool = units(control, e.where, with_clauses)
            positive = [u for u in pool if not u.endswith("てはならない。")]
            assert covered(e, positive), f"{control.number} {e.id}: 禁止の文だけで満たされています"


def test_matcher_is_honest():
    """The matcher itself: needs a term, and a with_term in the same unit; a blank model covers nothing."""
    e = get_control("5.17").rubric[[x.id for x in get_control("5.17").rubric].index("mfa")]
    assert covered(e, [nfkc("{company}は、ＭＦＡでログインしなければならない。")])
    assert not covered(e, [nfkc("{company}は、MFAを検討しなければならない。"), nfkc("ログインしなければならない。")])
    assert not covered(e, [])
