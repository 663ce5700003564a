"""The real nbgrader pipeline on assignment ch14_organizational: generate → submit → autograde → feedback → export.

Design (39 points, 35 automatic + 4 manual; ARCHITECTURE's table reads the points_by metadata):
- 問1 (3): the statement of applicability saved by SoaTable: 1 point when every control is decided, 2 when there is at
  least one 不採用 and every 不採用 has the learner's own reason (course/soa.py: a reason that is still the proposal's
  text does not count).
- 問2–問4 (4 each): drafts of 5.15, 5.12 and 5.14, worth 4 × grade_draft(draft, hidden key) (course/drafting/
  adaptation.py): the rubric plus the element "adapted"; the fitted model, unchanged, earns at most the structure share
  0.3 (1.2 points) and is flagged model_copied.
- 問5 (4): a transfer draft of 5.17, whose model the course never shows (same grading).
- 問6 (4): the flawed 5.23 draft to correct, worth 4 × grade_critique (course/exercises/critique.py, the same grade as
  ch15's 6.7): the improvement over the flawed start, base = 0.7 · (covered key elements + one_deadline) / (7 + 1)
  + 0.3 · structure, score = (base − base(flawed)) / (1 − base(flawed)); the start as given and the pasted 5.23 model
  earn 0, so the question has no copy points.
- q7_reason, q8_reason (2 each): 「なぜそう決めたか」, graded by the instructor (pending after autograde).
- 問9–問12 (3 each): functions run on another year's data (a seed only the hidden tests know), questions that the
  lessons do not ask, in other shapes (staff numbers; counts per department; counts per rule), worth 3 × the check's
  score there.

Fixtures and their honest scores:
- model: every automatic point (35), both manual answers pending.
- blank: 0, manual answers blank (0, not pending).
- partial:
  - 問1: every control decided, own reasons for 5.19–5.22 but 5.23's left as the proposal's text: 1 point.
  - 問2: PARTIAL_515 covers 5 of the key's 7 elements (not one-ID-per-person, not the rights register) and its own
    sentences and steps name at least three concrete things the fitted model does not (「入社の1週間前」「入社日」
    「最終出社日」…): adapted. Structure 0.4 × 1 (five binding rules) + 0.4 × 3/4 (three steps without records)
    + 0.2 × 1 (frame) = 0.9. Score 0.7 × 6/8 + 0.3 × 0.9 = 0.795, 3.18 points. 問3, 問4 blank.
  - 問5: PARTIAL_517, three rules (length, not telling others, two-step login naming two systems: adapted) and nothing
    else: 4 of 8 elements; structure 0.4 × 1 + 0.4 × 0 (no steps) + 0.2 × 1/2 (purpose and scope, no owner or
    review) = 0.5. Score 0.7 × 4/8 + 0.3 × 0.5 = 0.5, 2 points.
  - 問6: the hedges rewritten and the steps' review given a record, but the two deadlines left and nothing added for
    the data's location or the number of administrators: approval, inventory, backup, MFA and exit covered, one_deadline
    not (5 of 8), structure 0.4 + 0.4 × (3/4 + 3/4 + 1)/3 + 0.2 = 14/15: base 0.7 × 5/8 + 0.3 × 14/15 = 0.7175.
    The flawed start covers approval and exit (2 of 8: the only rules it states without a hedge), structure
    0.4 × 2/4 + 0.4 × (3/4 + 3/4 + 1/4)/3 + 0.2 = 19/30 (the hedged step names only who): base 0.7 × 2/8 + 0.3 × 19/30
    = 0.365. Score (0.7175 − 0.365) / (1 − 0.365) = 0.5551 (rounded), 2.2204 points.
  - q7_reason written (pending), q8_reason blank.
  - 問9 answered correctly in their own way (3); 問10 counting disabled accounts too: 3 × the share of departments
    whose count is right, worked out here with numpy; 問11 blank; 問12 the lesson's list of record IDs (0).
- copied: the proposal saved unchanged (all decided: 1), the model button for 5.15, 5.12, 5.14 (3 × 1.2), 5.17 not
  offered (no record), the flawed 5.23 saved as given (its base is the start's: 0), and the lesson cells of
  ch14_03/ch14_04 pasted into the data functions: lists of IDs where counts or staff numbers are asked (0).
  Total 1 + 3.6 = 4.6.
- helpers: SoA by save_soa(proposal()) (1), every draft by save_draft(model_draft(...)): 5.15, 5.12, 5.14, 5.17
  (4 × 1.2), 5.23 (the model is a copy: 0), and each data function returning a dataset's truth of the lesson year
  (問12's counts are the lesson year's: 3 × the share of rules whose count happens to agree with the hidden year,
  worked out here; 0 on the hidden year 8123). Total 5.8 + that share.
Both stay at or below the copy points of the assignment (5.8 of 39: 問1's proposal 1 and 1.2 for each of 問2–問5).
"""

import json

import nbformat
import numpy as np
import pytest

from course.drafting.fit import model_draft
from course.exercises.critique import flawed_draft
from course.exercises.org_data import access_review, transfer_log
from course.rubric.lines import cell_rubric
from course.soa import default_numbers, proposal
from fixtures.nbgrader import (autograded_errors, cell, check_points_by, course_grade, feedback_html, grade,
                               make_course, release_notebook, source_notebook, submission_parts, submit, twin,
                               with_answer)

A = "ch14_organizational"
HIDDEN_SEED = "8123"  # the seed of the hidden tests' data: in the source only inside hidden tests, never in a release
TOTAL, MANUAL = 39, 4
AUTOMATIC = TOTAL - MANUAL

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

PARTIAL_517 = {
    "schema": "course.draft/1", "control": "5.17",
    "purpose": "パスワードを本人だけが使えるように守る。",
    "scope": "全従業員",
    "statements": [
        "パスワードは10文字以上にしなければならない。",
        "パスワードを他人に教えてはならない。",
        "販売管理システム「はやぶさ」とGoogle Workspaceには2段階認証を設定しなければならない。",
    ],
    "owner": "", "review": "", "related": [], "steps": [],
}


def partial_523():
    draft = flawed_draft("5.23")
    draft["statements"][1] = "クラウドサービスに預ける情報は、情報システム担当者が毎月末にバックアップを取らなければならない。"
    draft["statements"][2] = "管理者アカウントには、多要素認証を設定しなければならない。"
    draft["steps"][2] = {"who": "情報システム担当者", "what": "利用中のサービスの設定を見直す。", "when": "毎年4月",
                         "record": "設定点検表"}
    return draft


OWN_REASONS = {
    "5.19": "部品の加工から出荷まで自社の工場だけで行い、情報を預けている社外の会社がない。",
    "5.20": "委託契約を結んでいないので、取り決めを書き込む契約がない。",
    "5.21": "機器もソフトも量販店の既製品だけで、当社のために作らせたものがない。",
    "5.22": "継続して使っている社外のサービスがなく、監視する相手がいない。",
}


def soa_record(controls):
    return ("soa", {"controls": controls})


def partial_soa():
    controls = proposal(None, default_numbers())
    for number, reason in OWN_REASONS.items():
        controls[number] = {"adopted": False, "reason": reason}
    return controls  # 5.23 stays 不採用 with the proposal's reason


def draft_record(draft):
    return ("draft", draft.to_dict() if hasattr(draft, "to_dict") else draft)


# A learner's own correct answer to 問9 (groupby over each leaver's accounts instead of the model's unique()).
LEARNER_Q9 = '''
def late_leavers(people, accounts):
    answer = []
    gone = people[people["在籍状況"] == "退職"].set_index("社員番号")["退職日"]
    mine = accounts[accounts["社員番号"].isin(gone.index)].copy()
    mine["期限"] = mine["社員番号"].map(gone) + pd.Timedelta(days=7)
    mine["遅れ"] = (mine["状態"] == "有効") | (mine["無効化日"] > mine["期限"])
    late = mine.groupby("社員番号")["遅れ"].any()
    answer = list(late[late].index)
    return answer
'''

# 問10 counting disabled accounts as well as active ones.
PARTIAL_Q10 = '''
def dormant_by_department(people, accounts):
    merged = accounts.merge(people[["社員番号", "部署"]], on="社員番号")
    idle = merged[(pd.Timestamp("2026-03-31") - merged["最終ログイン"]).dt.days > 90]
    return idle.groupby("部署").size()
'''

REASON_Q7 = "承認は総務部長にしました。申請する所属長と分けるためです。見直しは異動の多い10月の直後にしました。"

# The lesson cells of ch14_04 and ch14_03, pasted into the functions (their hints spell them out).
LESSON_Q9 = '''
def late_leavers(people, accounts):
    answer = []
    merged = accounts.merge(people[["社員番号", "在籍状況"]], on="社員番号", how="left")
    answer = merged.loc[(merged["在籍状況"] == "退職") & (merged["状態"] == "有効"), "アカウントID"].tolist()
    return answer
'''
LESSON_Q10 = '''
def dormant_by_department(people, accounts):
    answer = []
    answer = accounts.loc[accounts["社員番号"].isna() & (accounts["用途"] == "業務") & (accounts["状態"] == "有効"),
                          "アカウントID"].tolist()
    return answer
'''
LESSON_Q11 = '''
def too_light_by_department(assets):
    answer = []
    assets["正しい分類"] = "社外秘"
    assets.loc[assets["公表済み"], "正しい分類"] = "公開"
    assets.loc[assets["個人情報"] | assets["取引先の秘密"] | assets["未公表の経営情報"], "正しい分類"] = "機密"
    wrong = assets[assets["正しい分類"] != assets["現在の表示"]]
    answer = wrong[~((wrong["正しい分類"] == "公開") & (wrong["現在の表示"] == "表示なし"))]["資産ID"].tolist()
    return answer
'''
LESSON_Q12 = '''
def breaches_by_rule(log):
    answer = []
    secret = log["分類"] == "機密"
    kept = log["分類"].isin(["機密", "社外秘"])
    r1 = secret & (log["方法"] == "メール添付") & ~(log["暗号化"] & log["パスワード別送"])
    r2 = secret & (log["方法"] == "共有リンク") & ~log["有効期限あり"]
    r3 = secret & (log["方法"] == "郵送・宅配便") & ~log["追跡あり"]
    r4 = kept & (log["方法"] == "USBメモリ") & ~(log["持出承認"] & log["暗号化"])
    r5 = kept & (log["宛先の種類"] == "個人のアドレス")
    r6 = secret & ~log["記録簿に記入"]
    answer = log.loc[r1 | r2 | r3 | r4 | r5 | r6, "記録ID"].tolist()
    return answer
'''

# Every answer by a course helper: the proposal, the fitted model for each draft, the lesson year's truth.
HELPER_Q1 = '''
from course.soa import proposal, save_soa

soa = SoaTable()
save_soa(proposal())
soa
'''
HELPER_FORM = '''
from course.drafting.drafts import save_draft
from course.drafting.fit import model_draft

save_draft(model_draft("{control}"))
bench = Workbench("{control}")
bench
'''
HELPER_Q9 = '''
def late_leavers(people, accounts):
    return access_review().truth_leavers_active
'''
HELPER_Q10 = '''
def dormant_by_department(people, accounts):
    return pd.Series(access_review().truth_shared).value_counts()
'''
HELPER_Q11 = '''
def too_light_by_department(assets):
    return asset_inventory().truth_mislabelled
'''
HELPER_Q12 = '''
def breaches_by_rule(log):
    return {rule: len(ids) for rule, ids in transfer_log().truth_by_rule.items()}
'''
FORMS = {"q2_form": "5.15", "q3_form": "5.12", "q4_form": "5.14", "q5_form": "5.17", "q6_form": "5.23"}


def answers(nb, **sources):
    for grade_id, source in sources.items():
        nb = with_answer(nb, grade_id, source)
    return nb


def expected_q10_points():
    """3 × the share of departments whose count PARTIAL_Q10 gets right on the hidden year (numpy, not the check)."""
    data = access_review(int(HIDDEN_SEED))
    accounts, people = data.accounts, data.people
    dept = dict(zip(people["社員番号"], people["部署"]))
    numbers = accounts["社員番号"].to_numpy(object)
    personal = np.array([isinstance(n, str) and n in dept for n in numbers])
    idle = (np.datetime64("2026-03-31") - accounts["最終ログイン"].to_numpy("datetime64[D]")) > np.timedelta64(90, "D")
    active = accounts["状態"].to_numpy(str) == "有効"

    def counts(mask):
        out = {}
        for n in numbers[mask]:
            out[dept[n]] = out.get(dept[n], 0) + 1
        return out

    truth, answered = counts(personal & idle & active), counts(personal & idle)
    keys = set(truth) | set(answered)
    share = sum(truth.get(k, 0) == answered.get(k, 0) for k in keys) / len(keys)
    assert 0 < share < 1
    return 3 * round(share, 4)


def expected_helper_q12_points():
    """3 × the share of rules whose lesson-year count happens to equal the hidden year's (counted here by rule)."""
    lesson, hidden = transfer_log().truth_by_rule, transfer_log(int(HIDDEN_SEED)).truth_by_rule
    given = {r: len(v) for r, v in lesson.items() if v}
    truth = {r: len(v) for r, v in hidden.items() if v}
    keys = set(given) | set(truth)
    return 3 * round(sum(given.get(k, 0) == truth.get(k, 0) for k in keys) / len(keys), 4)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("ch14"), A)
    release = release_notebook(course, A)
    submit(course, A, "model", source_notebook(course, A))
    submit(course, A, "blank", release)
    partial = answers(release, q9_answer=LEARNER_Q9, q10_answer=PARTIAL_Q10, q12_answer=LESSON_Q12,
                      q7_reason=REASON_Q7)
    submit(course, A, "partial", partial, records={"soa": soa_record(partial_soa()), "5.15": draft_record(PARTIAL_515),
                                                   "5.17": draft_record(PARTIAL_517),
                                                   "5.23": draft_record(partial_523())})
    copied = answers(release, q9_answer=LESSON_Q9, q10_answer=LESSON_Q10, q11_answer=LESSON_Q11,
                     q12_answer=LESSON_Q12)
    submit(course, A, "copied", copied, records={
        "soa": soa_record(proposal(None, default_numbers())),
        **{c: draft_record(model_draft(c)) for c in ("5.15", "5.12", "5.14")},
        "5.23": draft_record(flawed_draft("5.23"))})
    helpers = answers(release, q1_form=HELPER_Q1, q9_answer=HELPER_Q9, q10_answer=HELPER_Q10, q11_answer=HELPER_Q11,
                      q12_answer=HELPER_Q12, **{g: HELPER_FORM.format(control=c) for g, c in FORMS.items()})
    submit(course, A, "helpers", helpers)
    ours = course_grade(twin(course), A)
    return course, release, grade(course, A), ours


def parts(course, student):
    return submission_parts(course, A, student)


@pytest.mark.slow
def test_exact_scores(graded):
    _, _, scores, _ = graded
    assert set(scores) == {"model", "blank", "partial", "copied", "helpers"}
    assert scores["model"] == pytest.approx(AUTOMATIC, abs=1e-9)
    assert scores["blank"] == pytest.approx(0.0, abs=1e-9)
    q10 = expected_q10_points()
    assert scores["partial"] == pytest.approx(1 + 4 * 0.795 + 4 * 0.5 + 4 * 0.5551 + 3 + q10, abs=1e-9)
    assert scores["copied"] == pytest.approx(1 + 3 * 1.2, abs=1e-9)
    assert scores["helpers"] == pytest.approx(1 + 4 * 1.2 + expected_helper_q12_points(), abs=1e-9)


@pytest.mark.slow
def test_copying_and_helper_calls_earn_at_most_the_copy_points(graded):
    course, _, scores, _ = graded
    copy = check_points_by(source_notebook(course, A), TOTAL)["copy"]
    assert copy == pytest.approx(5.8) and copy / TOTAL <= 0.2
    assert scores["copied"] <= copy + 1e-9 and scores["helpers"] <= copy + 1e-9


@pytest.mark.slow
def test_manual_answers_wait_for_the_instructor(graded):
    course, _, _, _ = graded
    model = parts(course, "model")
    assert model["auto"] == pytest.approx(AUTOMATIC) and model["pending"] == 2 and model["manual_max"] == MANUAL
    blank = parts(course, "blank")
    assert blank["auto"] == 0 and blank["manual"] == 0 and blank["pending"] == 0
    assert parts(course, "partial")["pending"] == 1


@pytest.mark.slow
def test_every_graded_cell_has_points_by_kind(graded):
    course, release, _, _ = graded
    assert check_points_by(source_notebook(course, A), TOTAL) == check_points_by(release, TOTAL)  # kept in the release


@pytest.mark.slow
def test_release_carries_no_model_answers_keys_or_hidden_seed(graded):
    course, release, _, _ = graded
    text = nbformat.writes(release)
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "Draft.from_dict", "model_draft", "soa.save()", "KEY_5",
                   "RubricElement", "grade_draft", "grade_critique", "other_year", HIDDEN_SEED, "MK-ONE", "kensa01",
                   "own_decisions", "めっき加工", ".dt.days > 7", "value_counts", "int(mask.sum())"):
        assert secret not in text, secret
    assert not (course / "release" / A / "answers").exists()
    assert "SoaTable()" in cell(release, "q1_form").source
    assert 'Workbench("5.15")' in cell(release, "q2_form").source
    assert 'Workbench("5.17")' in cell(release, "q5_form").source
    assert 'Workbench("5.23", start=flawed_draft("5.23"), show_model=False)' in cell(release, "q6_form").source
    assert "def breaches_by_rule(log):" in cell(release, "q12_answer").source
    for name in ("q7_reason", "q8_reason"):
        assert cell(release, name).cell_type == "markdown" and "YOUR ANSWER HERE" in cell(release, name).source
    source = source_notebook(course, A)
    hidden = [c.source.split("### BEGIN HIDDEN TESTS")[1] for c in source.cells if "### BEGIN HIDDEN TESTS" in c.source]
    assert nbformat.writes(source).count(HIDDEN_SEED) == sum(h.count(HIDDEN_SEED) for h in hidden) == 8


@pytest.mark.slow
def test_graded_cells_report_rubric_elements(graded):
    course, _, _, _ = graded

    def elements(student, grade_id):
        nb = nbformat.read(course / "autograded" / student / A / f"{A}.ipynb", as_version=4)
        return {e["id"]: e["covered"] for e in cell_rubric(cell(nb, grade_id))}, cell_rubric(cell(nb, grade_id))

    covered, _ = elements("partial", "q1_soa")
    assert covered == {"soa_all_decided": True, "soa_own_reasons": False}
    covered, _ = elements("partial", "q2_draft_515")
    assert covered == {"least_privilege": True, "approval": True, "leavers_stop": True, "one_person_one_id": False,
                       "admin_rights": True, "yearly_review": True, "ledger": False, "adapted": True}
    covered, _ = elements("partial", "q6_critique_523")
    assert covered == {"approval": True, "inventory": True, "terms_check": False, "backup": True, "mfa": True,
                       "admin_few": False, "exit": True, "one_deadline": False}
    _, q9 = elements("partial", "q9_check")
    assert q9 == [{"id": "q9_late_leavers", "covered": True, "label": "退職日から7日以内に止められなかった退職者を見つける",
                   "message": ""}]
    _, q12 = elements("partial", "q12_check")
    assert q12[0]["id"] == "q12_breaches_by_rule" and not q12[0]["covered"] and "規則" in q12[0]["message"]
    covered, _ = elements("copied", "q6_critique_523")
    assert {k for k, v in covered.items() if v} == {"approval", "exit"}
    covered, _ = elements("copied", "q2_draft_515")
    assert covered["adapted"] is False
    model = nbformat.read(course / "autograded" / "model" / A / f"{A}.ipynb", as_version=4)
    for c in model.cells:
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code":
            assert all(e["covered"] for e in cell_rubric(c)), c.metadata.nbgrader.grade_id
    covered, _ = elements("blank", "q3_draft_512")
    assert not any(covered.values())


@pytest.mark.slow
def test_learner_records_are_not_overwritten(graded):
    course, _, _, _ = graded
    saved = json.loads((course / "autograded" / "partial" / A / "answers" / "5.15.json").read_text(encoding="utf-8"))
    assert saved["data"]["statements"] == PARTIAL_515["statements"]
    soa = json.loads((course / "autograded" / "partial" / A / "answers" / "soa.json").read_text(encoding="utf-8"))
    assert soa["data"]["controls"]["5.19"] == {"adopted": False, "reason": OWN_REASONS["5.19"]}


@pytest.mark.slow
def test_feedback_is_generated_for_everyone(graded):
    course, _, scores, _ = graded
    for student in scores:
        assert A in feedback_html(course, A, student)


@pytest.mark.slow
def test_every_submission_runs_top_to_bottom_without_errors(graded):
    """The release runs with empty answers, the model with its solutions, the copies and helper calls too: a zero
    comes from the checks, not from errors."""
    course, _, scores, _ = graded
    for student in scores:
        errors = autograded_errors(course, A, student)
        assert not errors, (student, errors)


@pytest.mark.slow
def test_course_grade_gives_stock_scores_and_flags_the_copies(graded):
    """`course grade` scores the graded cells outside the kernel: every submission keeps stock nbgrader's score
    exactly; honest ones are flagged only for records they did not hand in, the copied models ask for review."""
    _, _, stock, (ours, flags) = graded
    assert ours == stock
    for student in ("model", "blank", "partial"):
        assert set(flags.get(student, [])) <= {"record_missing"}, flags
    assert "model_copied" in flags["copied"] and "model_copied" in flags["helpers"]
