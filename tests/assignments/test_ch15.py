"""The real nbgrader pipeline on assignment ch15_people: generate → submit → autograde → feedback → export.

Design (33 points, 29 automatic + 4 manual; ARCHITECTURE's table reads the points_by metadata):
- 問1–問3 (4 each): drafts of 6.1, 6.5 and 6.8 saved by the Workbench, worth 4 × grade_draft(draft, hidden key)
  (course/drafting/adaptation.py): the rubric plus the element "adapted"; the fitted model, unchanged, earns at most
  the structure share 0.3 (so 1.2 points) and is flagged model_copied.
- 問4 (4): a transfer draft of 6.2, whose model the course never shows (same grading).
- 問5 (4): a flawed 6.7 draft to correct, worth 4 × grade_critique (course/exercises/critique.py, the same grade as
  ch14's 5.23): the improvement over the flawed start, base = 0.7 · (covered key elements + one_deadline) / (8 + 1)
  + 0.3 · structure, score = (base − base(flawed)) / (1 − base(flawed)); the start as given and the pasted 6.7 model
  earn 0, so the question has no copy points.
- q4_reason, q5_reason (2 each): 「なぜそう決めたか」, graded by the instructor (pending after autograde).
- 問6–問8 (3 each): functions run on another year's data (seed 4607, only in the hidden tests), questions that the
  lessons do not ask, on data shapes they do not use (the drill as two logs), worth 3 × the check's score there.

Fixtures and their honest scores:
- model: every automatic point (29), both manual answers pending.
- blank: 0, manual answers blank (0, not pending).
- partial: their own 6.5 draft (PARTIAL_65) covers 4 of the key's 7 elements, names no company-specific things of
  its own (adapted missing), structure 0.9 (4 binding rules; 3 steps without records: 3/4; frame complete):
  score = 0.7 × 4/8 + 0.3 × 0.9 = 0.62 → 2.48; 問6 right in their own way (3); a 問7 function that fails (0);
  問8 blank; one reason written (pending). Total 5.48.
- copied: the model button wherever the assignment offers it (6.1, 6.5, 6.8: 3 × 0.3 × 4 = 3.6), 6.2 not offered
  (no record), the flawed 6.7 saved as given (0), and lesson cells pasted into the data functions: the missed-people
  merge of ch15_05 finds 1 of the 14 people of the union (3 × 1/14), the follow-up and open-accounts cells of
  ch15_06/07 nothing. Total 3.6 + 3/14.
- helpers: every draft made by save_draft(model_draft(...)) (6.1, 6.5, 6.8, 6.2: 4 × 1.2; 6.7: 0) and each data
  function returning a dataset's truth of the lesson year: 問6 shares 1 of 9 people (3 × 1/9), 問7 and 問8 0.
  Total 4.8 + 1/3.
Both stay at or below the copy points of the assignment (5.3 of 33).
"""

import json

import nbformat
import pytest

from course.drafting.fit import model_draft
from course.exercises.critique import flawed_draft
from course.rubric.lines import cell_rubric
from fixtures.nbgrader import (autograded_errors, cell, check_points_by, course_grade, feedback_html, grade,
                               make_course, release_notebook, source_notebook, submission_parts, submit, twin,
                               with_answer)

A = "ch15_people"
TOTAL, MANUAL = 33, 4
AUTOMATIC = TOTAL - MANUAL
HIDDEN_SEED = "4607"

PARTIAL_65 = {
    "schema": "course.draft/1", "control": "6.5",
    "purpose": "退職や異動のときに、権限と会社の物を確実に回収する。",
    "scope": "全従業員（パート・アルバイトを含む）",
    "statements": [
        "当社は、退職者のアカウントを最終出社日までに停止しなければならない。",
        "当社は、退職者にパソコン、入館証及び鍵を返却させなければならない。",
        "当社は、退職者に、退職後も秘密を守る義務が続くことを説明しなければならない。",
        "当社は、異動した従業員の不要になった権限を削除しなければならない。",
    ],
    "owner": "総務部長", "review": "年1回", "related": [],
    "steps": [
        {"who": "所属長", "what": "退職が決まったら総務部長とIT担当者に知らせる。", "when": "退職の決定時", "record": ""},
        {"who": "IT担当者", "what": "アカウントを止める。", "when": "最終出社日", "record": ""},
        {"who": "総務担当者", "what": "貸与したパソコンと入館証を受け取る。", "when": "最終出社日", "record": ""},
    ],
}

# A learner's own correct answer to 問6 (no merge, no groupby): the first day of each (number, course) by a loop.
LEARNER_Q6 = '''
def late_beyond_catch_up(required, records):
    answer = []
    first = {}
    for number, course, day in zip(records["社員番号"], records["研修名"], records["受講日"]):
        if (number, course) not in first or day < first[(number, course)]:
            first[(number, course)] = day
    for number, course, deadline in zip(required["社員番号"], required["研修名"], required["期限"]):
        day = first.get((number, course))
        if day is not None and (day - deadline).days > 30 and number not in answer:
            answer.append(number)
    return answer
'''

# A 問7 function that fails on any data (sent has no column 報告).
FAILING_Q7 = '''
def lowest_report_department(sent, reports):
    answer = ""
    answer = sent.groupby("部署")["報告"].mean().idxmin()
    return answer
'''

REASON_Q4 = "入社日にアカウントを渡す前に誓約書をもらうことにした。うちは初日から顧客名簿を見る仕事があるので、先に約束してもらいたい。"

# Lesson cells pasted into the functions: ch15_05 問1 (missed people), ch15_06 問3 (follow-up), ch15_07 問1 (open accounts).
LESSON_Q6 = '''
def late_beyond_catch_up(required, records):
    answer = []
    done = records[["社員番号", "研修名"]].drop_duplicates()
    merged = required.merge(done, on=["社員番号", "研修名"], how="left", indicator=True)
    answer = list(merged.loc[merged["_merge"] == "left_only", "社員番号"].unique())
    return answer
'''
LESSON_Q7 = '''
def lowest_report_department(sent, reports):
    answer = ""
    results = reports
    last = results[results["回"] == results["回"].max()]
    answer = last.groupby("部署")["クリック"].mean().idxmax()
    return answer
'''
LESSON_Q8 = '''
def late_stops(leavers, accounts):
    answer = accounts[accounts["社員番号"].isin(leavers["社員番号"]) & (accounts["状態"] == "有効")]
    return answer
'''

# Every answer by a course helper: the fitted model for each draft, the lesson year's truth for each function.
HELPER_FORM = '''
from course.drafting.fit import model_draft

save_draft(model_draft("{control}"))
bench = Workbench("{control}")
bench
'''
HELPER_Q6 = '''
def late_beyond_catch_up(required, records):
    return training_records().truth_beyond_catch_up
'''
HELPER_Q7 = '''
def lowest_report_department(sent, reports):
    return drill_reports().truth_lowest_report
'''
HELPER_Q8 = '''
def late_stops(leavers, accounts):
    return offboarding_audit().truth_late_stops
'''
FORMS = {"q1_form": "6.1", "q2_form": "6.5", "q3_form": "6.8", "q4_form": "6.2", "q5_form": "6.7"}


def draft_record(draft):
    return ("draft", draft.to_dict() if hasattr(draft, "to_dict") else draft)


def answers(nb, **sources):
    for grade_id, source in sources.items():
        nb = with_answer(nb, grade_id, source)
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("ch15"), A)
    release = release_notebook(course, A)
    submit(course, A, "model", source_notebook(course, A))
    submit(course, A, "blank", release)
    partial = answers(release, q6_answer=LEARNER_Q6, q7_answer=FAILING_Q7, q4_reason=REASON_Q4)
    submit(course, A, "partial", partial, records={"6.5": draft_record(PARTIAL_65)})
    copied = answers(release, q6_answer=LESSON_Q6, q7_answer=LESSON_Q7, q8_answer=LESSON_Q8)
    submit(course, A, "copied", copied, records={**{c: draft_record(model_draft(c)) for c in ("6.1", "6.5", "6.8")},
                                                 "6.7": draft_record(flawed_draft("6.7"))})
    helpers = answers(release, q6_answer=HELPER_Q6, q7_answer=HELPER_Q7, q8_answer=HELPER_Q8,
                      **{g: HELPER_FORM.format(control=c) for g, c in FORMS.items()})
    submit(course, A, "helpers", helpers, records={c: draft_record(model_draft(c)) for c in FORMS.values()})
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
    assert scores["partial"] == pytest.approx(4 * 0.62 + 3, abs=1e-9)
    assert scores["copied"] == pytest.approx(3 * 0.3 * 4 + 3 / 14, abs=1e-9)
    assert scores["helpers"] == pytest.approx(4 * 0.3 * 4 + 3 / 9, abs=1e-9)


@pytest.mark.slow
def test_copying_and_helper_calls_earn_at_most_the_copy_points(graded):
    course, _, scores, _ = graded
    copy = check_points_by(source_notebook(course, A), TOTAL)["copy"]
    assert copy == pytest.approx(5.3) and copy / TOTAL <= 0.2
    assert scores["copied"] <= copy and scores["helpers"] <= copy


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
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "Draft.from_dict", "model_draft", "KEY_6", "RubricElement",
                   "grade_critique", "other_year", HIDDEN_SEED, "idxmin", "Timedelta", "MK-Prod", "みなと精機",
                   "誓約書を受け取り"):
        assert secret not in text, secret
    assert not (course / "release" / A / "answers").exists()
    assert 'Workbench("6.1")' in cell(release, "q1_form").source
    assert 'Workbench("6.2")' in cell(release, "q4_form").source
    assert 'Workbench("6.7", start=flawed_draft("6.7"), show_model=False)' in cell(release, "q5_form").source
    assert "def late_beyond_catch_up(required, records):" in cell(release, "q6_answer").source
    assert "def lowest_report_department(sent, reports):" in cell(release, "q7_answer").source
    for name in ("q4_reason", "q5_reason"):
        assert cell(release, name).cell_type == "markdown" and "YOUR ANSWER HERE" in cell(release, name).source
    # The hidden seed: in the source only inside hidden tests (kernel and scoring part), never in a release.
    source = source_notebook(course, A)
    hidden = [c.source.split("### BEGIN HIDDEN TESTS")[1] for c in source.cells if "### BEGIN HIDDEN TESTS" in c.source]
    assert nbformat.writes(source).count(HIDDEN_SEED) == sum(h.count(HIDDEN_SEED) for h in hidden) == 6


@pytest.mark.slow
def test_graded_cells_report_rubric_elements(graded):
    course, _, _, _ = graded

    def elements(student, grade_id):
        nb = nbformat.read(course / "autograded" / student / A / f"{A}.ipynb", as_version=4)
        return {e["id"]: e["covered"] for e in cell_rubric(cell(nb, grade_id))}, cell_rubric(cell(nb, grade_id))

    covered, _ = elements("partial", "q2_draft_65")
    assert covered == {"stop_on_last_day": True, "transfer": True, "return": True, "duty_continues": True,
                       "shared_secret": False, "inventory": False, "exit_records": False, "adapted": False}
    _, q6 = elements("partial", "q6_check")
    assert q6 == [{"id": "q6_catch_up", "covered": True, "label": "補講の期限にも遅れて受けた人を見つける", "message": ""}]
    _, q7 = elements("partial", "q7_check")
    assert q7[0]["id"] == "q7_lowest_report" and not q7[0]["covered"] and "エラー" in q7[0]["message"]
    covered, _ = elements("blank", "q1_draft_61")
    assert not any(covered.values())
    covered, _ = elements("model", "q5_draft_67")
    assert all(covered.values()) and "one_deadline" in covered
    covered, _ = elements("copied", "q1_draft_61")
    assert covered["adapted"] is False


@pytest.mark.slow
def test_learner_answer_record_is_not_overwritten(graded):
    course, _, _, _ = graded
    saved = json.loads((course / "autograded" / "partial" / A / "answers" / "6.5.json").read_text(encoding="utf-8"))
    assert saved["data"]["statements"] == PARTIAL_65["statements"]


@pytest.mark.slow
def test_feedback_is_generated_for_everyone(graded):
    course, _, scores, _ = graded
    for student in scores:
        assert A in feedback_html(course, A, student)


@pytest.mark.slow
def test_every_submission_runs_top_to_bottom_without_errors(graded):
    """The release runs with empty answers, the model with its solutions, and a failing learner function is reported
    in Japanese by the check (no traceback in any cell)."""
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
