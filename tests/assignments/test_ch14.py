"""The real nbgrader pipeline on assignment ch14_organizational: generate → submit → autograde → feedback → export.

Design (26 points): question 1 is the statement of applicability saved by SoaTable, worth 2 × the share of its two
elements (every control decided; every 不採用 has a reason); questions 2–4 are drafts of 5.15, 5.12 and 5.14 saved by the
Workbench, worth 4 × score_draft(draft, hidden key); questions 5–8 are functions run on another year's data (a seed
only the hidden tests know), worth 3 × the self-check score on that data.

The partial submission is a learner who
- saved a statement of applicability with every control decided but 5.23 set to 不採用 without a reason: 1 point;
- wrote a 5.15 draft with five well-formed rules (purpose/scope/owner/review filled) whose three steps have no record,
  and who left out one-ID-per-person and the rights register: 5 of the key's 7 elements;
  structure = 0.4 × 1 (rules) + 0.4 × 3/4 (steps) + 0.2 × 1 (frame) = 0.9; score = 0.7 × 5/7 + 0.3 × 0.9 = 0.77,
  so 4 × 0.77 = 3.08 points; 5.12 and 5.14 left blank (0);
- answered question 5 correctly in their own way (3 points);
- answered question 6 with names instead of staff numbers (0 points: the check asks for numbers);
- answered question 7 forgetting that a 公開 item may carry no label: the hidden year's truth plus those items, so
  3 × Jaccard(answer, truth) points (this test works both sets out with its own pandas);
- left question 8 blank (0).
"""

import json

import nbformat
import numpy as np
import pytest

from course.exercises.org_data import asset_inventory
from course.rubric.lines import cell_rubric
from course.soa import default_numbers, proposal
from fixtures.nbgrader import (cell, course_grade, feedback_html, grade, make_course, release_notebook, source_notebook,
                              submit, twin, with_answer)

A = "ch14_organizational"
HIDDEN_SEED = 8123  # the seed of the hidden tests' data: in the source only inside hidden tests, never in a release

PARTIAL_515 = {
    "schema": "course.draft/1", "control": "5.15",
    "purpose": "社内の情報とシステムを、使う必要のある人だけが使えるようにする。",
    "scope": "全従業員（パート・アルバイト、派遣社員を含む）と、社内のパソコン、ファイルサーバ、クラウドサービス",
    "statements": [
        "当社は、従業員に業務に必要な最小限のアクセス権だけを付与しなければならない。",
        "アクセス権の付与は、所属長の承認を得てから行わなければならない。",
        "当社は、退職した従業員のアカウントを最終出社日に停止しなければならない。",
        "管理者権限は、IT担当者だけに与えなければならない。",
        "IT担当者は、年に1回、全員のアクセス権を見直さなければならない。",
    ],
    "owner": "総務部長", "review": "年1回（4月）", "related": [],
    "steps": [
        {"who": "所属長", "what": "新しく入る人が使うシステムをIT担当者に伝える。", "when": "入社の1週間前", "record": ""},
        {"who": "IT担当者", "what": "アカウントを作り、権限を設定する。", "when": "入社日まで", "record": ""},
        {"who": "総務担当者", "what": "退職する人の名前と最終出社日をIT担当者に知らせる。", "when": "退職が決まったとき",
         "record": ""},
    ],
}


def partial_soa():
    controls = proposal(None, default_numbers())
    controls["5.23"] = {"adopted": False, "reason": ""}
    return {"controls": controls}


# A learner's own correct answer to question 5 (isin instead of the model's merge).
LEARNER_Q5 = '''
def leavers_active_accounts(people, accounts):
    answer = []
    gone = people.loc[people["在籍状況"] == "退職", "社員番号"]
    answer = list(accounts.loc[accounts["社員番号"].isin(gone) & (accounts["状態"] == "有効"), "アカウントID"])
    return answer
'''

# Question 6 answered with names: the right people, the wrong identifier.
NAMES_Q6 = '''
def conflicting_people(duties, conflicts):
    answer = []
    held = duties.groupby("氏名")["職務"].agg(set)
    for name, mine in held.items():
        for a, b in zip(conflicts["職務A"], conflicts["職務B"]):
            if a in mine and b in mine and name not in answer:
                answer.append(name)
    return answer
'''

# Question 7 without the exception for public items that carry no label.
PARTIAL_Q7 = '''
def mislabelled_assets(assets):
    answer = []
    right = pd.Series("社外秘", index=assets.index)
    right.loc[assets["公表済み"]] = "公開"
    right.loc[assets["個人情報"] | assets["取引先の秘密"] | assets["未公表の経営情報"]] = "機密"
    answer = assets.loc[right != assets["現在の表示"], "資産ID"].tolist()
    return answer
'''


def expected_q7_points():
    """3 × Jaccard of PARTIAL_Q7's answer and the truth on the hidden year's register, worked out here with numpy."""
    a = asset_inventory(HIDDEN_SEED).assets
    secret = (a["個人情報"] | a["取引先の秘密"] | a["未公表の経営情報"]).to_numpy(bool)
    right = np.where(secret, "機密", np.where(a["公表済み"].to_numpy(bool), "公開", "社外秘"))
    label = a["現在の表示"].to_numpy(str)
    ids = a["資産ID"].to_numpy(str)
    answered = set(ids[right != label])
    truth = set(ids[(right != label) & ~((right == "公開") & (label == "表示なし"))])
    assert truth < answered  # the partial answer really has extra items in the hidden year
    return 3 * round(len(truth) / len(answered), 4)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("ch14"), A)
    release = release_notebook(course, A)
    submit(course, A, "model", source_notebook(course, A))
    submit(course, A, "blank", release)
    partial = release
    for grade_id, source in (("q5_answer", LEARNER_Q5), ("q6_answer", NAMES_Q6), ("q7_answer", PARTIAL_Q7)):
        partial = with_answer(partial, grade_id, source)
    submit(course, A, "partial", partial, records={"soa": ("soa", partial_soa()), "5.15": ("draft", PARTIAL_515)})
    ours = course_grade(twin(course), A)
    return course, release, grade(course, A), ours


@pytest.mark.slow
def test_exact_scores(graded):
    _, _, scores, _ = graded
    assert set(scores) == {"model", "blank", "partial"}
    assert scores["model"] == pytest.approx(26.0, abs=1e-9)
    assert scores["blank"] == pytest.approx(0.0, abs=1e-9)
    q7 = expected_q7_points()
    assert 0 < q7 < 3
    assert scores["partial"] == pytest.approx(1 + 4 * 0.77 + 3 + 0 + q7 + 0, abs=1e-9)


@pytest.mark.slow
def test_release_carries_no_model_answers_keys_or_hidden_seed(graded):
    course, release, _, _ = graded
    text = nbformat.writes(release)
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "save_draft(model_draft", "soa.save()", "KEY_515",
                   "KEY_512", "KEY_514", "RubricElement", "print_rubric", "other_year", str(HIDDEN_SEED),
                   "public_unlabelled", "agg(set)", "r6 = secret", "how=\"left\""):
        assert secret not in text, secret
    assert not (course / "release" / A / "answers").exists()
    assert "SoaTable()" in cell(release, "q1_form").source
    assert 'Workbench("5.15")' in cell(release, "q2_form").source
    assert "def rule_breaking_transfers(log):" in cell(release, "q8_answer").source
    source = nbformat.writes(source_notebook(course, A))
    hidden = [c.source.split("### BEGIN HIDDEN TESTS")[1] for c in source_notebook(course, A).cells
              if "### BEGIN HIDDEN TESTS" in c.source]
    assert source.count(str(HIDDEN_SEED)) == sum(h.count(str(HIDDEN_SEED)) for h in hidden) == 8
    assert all(str(HIDDEN_SEED) not in c.source for c in release.cells)


@pytest.mark.slow
def test_graded_cells_report_rubric_elements(graded):
    course, _, _, _ = graded
    nb = nbformat.read(course / "autograded" / "partial" / A / f"{A}.ipynb", as_version=4)
    assert {e["id"]: e["covered"] for e in cell_rubric(cell(nb, "q1_soa"))} == {
        "soa_all_decided": True, "soa_reasons": False}
    assert {e["id"]: e["covered"] for e in cell_rubric(cell(nb, "q2_draft_515"))} == {
        "least_privilege": True, "approval": True, "leavers_stop": True, "one_person_one_id": False,
        "admin_rights": True, "yearly_review": True, "ledger": False}
    assert cell_rubric(cell(nb, "q5_check")) == [
        {"id": "q5_leavers_active_accounts", "covered": True, "label": "退職者の有効なアカウントを見つける",
         "message": ""}]
    q6 = cell_rubric(cell(nb, "q6_check"))
    assert q6[0]["id"] == "q6_conflicting_people" and not q6[0]["covered"] and "社員番号" in q6[0]["message"]
    model = nbformat.read(course / "autograded" / "model" / A / f"{A}.ipynb", as_version=4)
    for grade_id in ("q1_soa", "q2_draft_515", "q3_draft_512", "q4_draft_514", "q5_check", "q6_check", "q7_check",
                     "q8_check"):
        assert all(e["covered"] for e in cell_rubric(cell(model, grade_id))), grade_id
    blank = nbformat.read(course / "autograded" / "blank" / A / f"{A}.ipynb", as_version=4)
    assert not any(e["covered"] for e in cell_rubric(cell(blank, "q3_draft_512")))
    # the untouched release runs top to bottom: a zero comes from the checks, not from errors
    assert not [o for c in blank.cells if c.cell_type == "code" for o in c.get("outputs", [])
                if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]


@pytest.mark.slow
def test_feedback_and_learner_records(graded):
    course, _, scores, _ = graded
    for student in scores:
        assert A in feedback_html(course, A, student)
    saved = json.loads((course / "autograded" / "partial" / A / "answers" / "5.15.json").read_text(encoding="utf-8"))
    assert saved["data"]["statements"] == PARTIAL_515["statements"]
    soa = json.loads((course / "autograded" / "partial" / A / "answers" / "soa.json").read_text(encoding="utf-8"))
    assert soa["data"]["controls"]["5.23"] == {"adopted": False, "reason": ""}


@pytest.mark.slow
def test_course_grade_gives_stock_scores_without_flags(graded):
    """`course grade` scores the graded cells outside the kernel: honest submissions keep stock nbgrader's scores
    exactly, and the only flags are records the learner did not hand in."""
    _, _, stock, (ours, flags) = graded
    assert ours == stock
    assert all(set(codes) <= {"record_missing"} for codes in flags.values()), flags
