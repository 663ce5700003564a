"""Adapted, not copied (course/drafting/adaptation.py): the model fitted to the learner's profile is recognised however
it is shuffled, trimmed or padded, earns at most the structure share and asks for review; drafts adapted to a company
and independently written good drafts are not "copied" and can reach full marks; blank is 0."""

import copy
from pathlib import Path

import pytest
import yaml

from course.answers.draft import Draft, DraftStep
from course.drafting.adaptation import (ADAPTED_ID, COPY_THRESHOLD, company_items, grade_draft, model_similarity)
from course.drafting.fit import model_draft
from course.profile import CompanyProfile
from course.rubric.lines import award, parse_rubric, split_reviews
from course.rubric.score import COVERAGE_WEIGHT, score_draft

GRADED = ["5.15", "5.12", "5.14", "6.1", "6.5", "6.8", "5.17", "6.2", "5.23", "6.3"]
HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "rubric" / "corpus" / "tuning"
ADAPTED = yaml.safe_load((HERE / "data" / "adapted_drafts.yaml").read_text(encoding="utf-8"))

RENAMED = CompanyProfile(
    company="株式会社ひかり物流", sites="本社（横浜市）、厚木倉庫", telework="some", cloud=["Microsoft 365", "kintone"],
    contractors=["IT保守のB社"], it_staff="総務課の山本",
    roles={"it": {"name": "システム係"}, "ciso": {"name": "管理部長"}, "manager": {"name": "課長"},
           "admin": {"name": "人事係"}, "ceo": {"name": "代表取締役"}, "admin_head": {"name": "管理部門長"}},
    calendar={"review_month": 10, "access_review": {"every": "quarter", "month": 1}})


def structure_share(grade):
    return (1 - COVERAGE_WEIGHT) * grade.structure


def grade(capsys, control, draft, profile=None, elements=None):
    result = grade_draft(control, draft, elements=elements, profile=profile)
    out = capsys.readouterr().out
    return result, split_reviews(out)[1]


@pytest.mark.parametrize("control", GRADED)
@pytest.mark.parametrize("profile", [None, RENAMED], ids=["default", "renamed"])
def test_the_fitted_model_is_copied_and_earns_at_most_the_structure_share(capsys, control, profile):
    model = model_draft(control, profile)
    result, reviews = grade(capsys, control, model, profile)
    assert result.model_similarity == 1.0 and result.copied
    assert result.score <= structure_share(result) + 1e-4
    assert result.score <= 1 - COVERAGE_WEIGHT
    assert score_draft(model, profile=profile).score > result.score  # the cap is what lowers it
    assert ADAPTED_ID in result.missing
    assert reviews == [("model_copied", f"{control} 類似度 1.00")]
    assert result.messages[0].startswith("この下書きは模範文例とほぼ同じです")


def test_a_model_fitted_to_another_profile_is_still_close():
    """The default model graded against a renamed profile differs only in the role names and dates."""
    assert model_similarity(model_draft("5.15"), model_draft("5.15", RENAMED)) >= COPY_THRESHOLD


def _edited(draft, statements=None, steps=None):
    d = copy.deepcopy(draft)
    if statements is not None:
        d.statements = statements(d.statements)
    if steps is not None:
        d.steps = steps(d.steps)
    return d


FILLER = ["従業員は、この規程の内容をよく理解し、誠実に守らなければならない。",
          "この規程に定めのない事項は、関係する部署と相談のうえ決めなければならない。",
          "従業員は、疑問があるときは上司に相談しなければならない。"]


@pytest.mark.parametrize("edit", [
    lambda m: _edited(m, statements=lambda s: list(reversed(s)), steps=lambda s: list(reversed(s))),
    lambda m: _edited(m, statements=lambda s: s[1:-1]),
    lambda m: _edited(m, statements=lambda s: [x.replace("しなければならない", "すること") for x in s]),
    lambda m: _edited(m, statements=lambda s: [x.replace("当社", "株式会社みなと精機") for x in s] + FILLER),
    lambda m: _edited(m, statements=lambda s: s + FILLER * 2),
], ids=["reordered", "trimmed", "endings_changed", "company_and_filler", "much_filler"])
@pytest.mark.parametrize("control", ["5.15", "6.1", "6.2"])
def test_reordered_trimmed_edited_or_padded_models_are_still_copied(capsys, control, edit):
    result, reviews = grade(capsys, control, edit(model_draft(control)))
    assert result.copied and result.model_similarity >= COPY_THRESHOLD, result.model_similarity
    assert result.score <= structure_share(result) + 1e-4
    assert reviews and reviews[0][0] == "model_copied"


def test_renaming_the_roles_in_the_text_alone_is_not_adapting(capsys):
    """The learner types other role names into the model instead of setting them in the profile: still the model."""
    model = model_draft("5.15")
    names = {"IT担当者": "総務課長", "情報セキュリティ責任者": "取締役管理部長", "所属長": "部門長", "総務担当者": "人事係"}

    def rename(text):
        for old, new in names.items():
            text = text.replace(old, new)
        return text

    renamed = Draft.from_dict(model.to_dict())
    renamed.statements = [rename(s) for s in renamed.statements]
    renamed.steps = [DraftStep(*(rename(getattr(s, f)) for f in ("who", "what", "when", "record")))
                     for s in renamed.steps]
    result, _ = grade(capsys, "5.15", renamed)
    assert result.copied and result.model_similarity > 0.8


@pytest.mark.parametrize("case", ADAPTED, ids=[c["control"] for c in ADAPTED])
def test_a_model_adapted_to_the_company_is_not_copied_and_reaches_full_marks(capsys, case):
    control = case["control"]
    draft = Draft.from_dict({**case["draft"], "control": control})
    result, reviews = grade(capsys, control, draft)
    assert not result.copied and result.model_similarity < COPY_THRESHOLD
    assert reviews == []
    assert ADAPTED_ID in result.covered
    assert result.score >= 0.95
    assert award(4, result) == pytest.approx(4 * result.score)
    lines = parse_rubric(capsys.readouterr().out)
    assert {"id": ADAPTED_ID, "covered": True, "label": "自社に合わせた内容", "message": ""} in lines


def test_the_profile_s_own_values_count_as_company_content():
    draft = Draft("5.15", statements=["システム係は、kintoneと厚木倉庫の端末の権限を年2回見直さなければならない。"])
    items = company_items(draft, model_draft("5.15", RENAMED), RENAMED)
    assert {"システム係", "kintone", "厚木倉庫"} <= set(items)


def test_blank_is_zero_and_not_copied(capsys):
    result, reviews = grade(capsys, "5.15", Draft("5.15"))
    assert result.score == 0 and not result.copied and result.model_similarity == 0 and reviews == []
    result, _ = grade(capsys, "5.15", None)
    assert result.score == 0


def test_a_draft_in_english_earns_nothing(capsys):
    english = Draft("5.15", purpose="Limit access.", scope="All staff.", owner="IT manager", review="Every April",
                    statements=["The IT manager must grant each user the least access their work needs."],
                    steps=[DraftStep("IT manager", "Review accounts with the Excel ledger", "Every April", "Ledger")])
    result, _ = grade(capsys, "5.15", english)
    assert result.score == 0 and ADAPTED_ID in result.missing


def test_the_adapted_element_weighs_as_one_element(capsys):
    case = ADAPTED[0]
    draft = Draft.from_dict({**case["draft"], "control": case["control"]})
    base = score_draft(draft)
    result, _ = grade(capsys, case["control"], draft)
    n = len(base.elements)
    expected = COVERAGE_WEIGHT * (len(base.covered) + 1) / (n + 1) + (1 - COVERAGE_WEIGHT) * result.structure
    assert result.score == pytest.approx(expected, abs=1e-3)
    assert len(result.elements) == n + 1 and result.to_dict()["model_similarity"] == result.model_similarity


def test_grading_keys_given_as_dicts_are_used(capsys):
    key = [{"id": "review", "label": "見直し", "terms": ["見直"], "with_terms": ["毎年", "年"]}]
    result, _ = grade(capsys, "5.15", model_draft("5.15"), elements=key)
    assert [e.id for e in result.elements] == ["review", ADAPTED_ID] and result.copied


def _corpus(kinds):
    for path in sorted(CORPUS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["drafts"]:
            if item["kind"] in kinds:
                yield data["control"], item


def test_good_drafts_of_the_tuning_corpus_are_not_copied(capsys):
    sims = []
    for control, item in _corpus({"everyday_good", "adapted_good"}):
        result, reviews = grade(capsys, control, Draft.from_dict({**item["draft"], "control": control}))
        assert not result.copied and not reviews, item["id"]
        assert ADAPTED_ID in result.covered, item["id"]
        sims.append(result.model_similarity)
    assert len(sims) == 44 and max(sims) < COPY_THRESHOLD - 0.2


def test_drafts_written_on_the_model_in_the_tuning_corpus_are_copied(capsys):
    for control, item in _corpus({"model_good"}):
        result, _ = grade(capsys, control, Draft.from_dict({**item["draft"], "control": control}))
        assert result.copied, item["id"]


def test_drafts_that_say_nothing_binding_get_no_adapted_credit(capsys):
    for control, item in _corpus({"hedged", "salad", "keyword_sentence", "negated", "english"}):
        result, _ = grade(capsys, control, Draft.from_dict({**item["draft"], "control": control}))
        assert ADAPTED_ID in result.missing, item["id"]
