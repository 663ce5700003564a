"""The real nbgrader pipeline on the incident assignments: model answers full marks, blank release zero, a realistic
partial answer in between; the release carries the logs as CSV but no seed, solution or hidden test."""

import nbformat
import pandas as pd
import pytest

from course.incident.logs import LOG_NAMES, load_logs
from course.incident.scenario import generate
from fixtures.nbgrader import (course_grade, feedback_html, grade, make_course, release_notebook, source_notebook, submit,
                              twin, with_answer)

IR1, IR2 = "ir1_detect_analyze", "ir2_contain_recover"
SEEDS = {IR1: 875679299042, IR2: 462254094258}   # as in the source's hidden tests; never in a release
SIZE = {"employees": 20, "days": 10}
OURS = {}  # assignment -> `course grade` of the same submissions: ({student: score}, {student: [flag codes]})


def run(tmp_path_factory, assignment, partial_cells):
    course = make_course(tmp_path_factory.mktemp(assignment), assignment)
    release = release_notebook(course, assignment)
    submit(course, assignment, "model", source_notebook(course, assignment))
    submit(course, assignment, "blank", release)
    partial = release
    for grade_id, source in partial_cells.items():
        partial = with_answer(partial, grade_id, source)
    submit(course, assignment, "partial", partial)
    OURS[assignment] = course_grade(twin(course), assignment)
    return course, release, grade(course, assignment)


@pytest.fixture(scope="module")
def ir1(tmp_path_factory):
    tr = generate(SEEDS[IR1], **SIZE).truth
    messy_hosts = ", ".join(f" {h.lower()} " for h in tr.infected_hosts)
    cells = {
        "q1_answer": f'ransom_extension = ".{tr.ransom_extension.upper()}"\n'
                     f'encryption_start = "{tr.encryption_start:%Y/%m/%d %H:%M}"',
        "q3_answer": f'first_host = "{tr.first_host.lower()}"\nfirst_user = "nobody"',
        "q5_answer": f'infected_hosts = "{messy_hosts}"',
        "q7_answer": 'exfil_ip = 12345\nexfil_gb = "たくさん"',          # wrong types: explained, not a crash
    }
    return (*run(tmp_path_factory, IR1, cells), tr)


@pytest.fixture(scope="module")
def ir2(tmp_path_factory):
    cells = {
        "q3_answer": 'backup_action = "stop_now"',
        "q4_answer": 'power = "power_off"',
        "q9_answer": 'notify = []\nppc_final_days = "60日"',
    }
    return (*run(tmp_path_factory, IR2, cells), generate(SEEDS[IR2], **SIZE).truth)


@pytest.mark.slow
def test_ir1_scores(ir1):
    _, _, scores, _ = ir1
    assert scores == {"model": 12.0, "blank": 0.0, "partial": 5.0}


@pytest.mark.slow
def test_ir2_scores(ir2):
    _, _, scores, _ = ir2
    assert scores == {"model": 12.0, "blank": 0.0, "partial": 2.0}


@pytest.mark.slow
@pytest.mark.parametrize("which", ["ir1", "ir2"])
def test_release_carries_logs_but_no_seed_solution_or_hidden_test(which, request):
    course, release, _, truth = request.getfixturevalue(which)
    assignment = IR1 if which == "ir1" else IR2
    text = nbformat.writes(release)
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", str(SEEDS[assignment]), "cached_scenario",
                   "stop_now", "disconnect_keep_on = ", truth.first_host, truth.exfil_ip):
        assert secret not in text, secret
    logs = load_logs(course / "release" / assignment / "logs")
    expected = generate(SEEDS[assignment], **SIZE).logs
    for name in LOG_NAMES:
        pd.testing.assert_frame_equal(logs[name], expected[name])


@pytest.mark.slow
def test_feedback_gives_hints_and_reasons_not_answers(ir1, ir2):
    course1, _, _, tr1 = ir1
    html1 = feedback_html(course1, IR1, "partial")
    assert "最初の不審なプロセスの user 列" in html1          # the hint for the wrong account
    assert "IP アドレスの形ではありません" in html1 or "文字で入力" in html1   # the wrong type is explained
    assert tr1.first_user not in html1
    course2, _, _, _ = ir2
    html2 = feedback_html(course2, IR2, "partial")
    assert "メモリ" in html2 and "CISA" in html2                # the reason behind the model decision


@pytest.mark.slow
@pytest.mark.parametrize("which", ["ir1", "ir2"])
def test_blank_release_runs_top_to_bottom_without_errors(which, request):
    course, _, _, _ = request.getfixturevalue(which)
    assignment = IR1 if which == "ir1" else IR2
    nb = nbformat.read(course / "autograded" / "blank" / assignment / f"{assignment}.ipynb", as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    assert "まだ回答がありません" in "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))



@pytest.mark.slow
@pytest.mark.parametrize("which", ["ir1", "ir2"])
def test_course_grade_gives_stock_scores_without_flags(which, request):
    """`course grade` scores outside the kernel: stock nbgrader's scores exactly; no flag but missing records."""
    _, _, stock, _ = request.getfixturevalue(which)
    ours, flags = OURS[IR1 if which == "ir1" else IR2]
    assert ours == stock
    assert all(set(codes) <= {"record_missing"} for codes in flags.values()), flags

@pytest.mark.parametrize("assignment", [IR1, IR2])
def test_committed_logs_match_the_hidden_seed(assignment):
    """If the generator changes, the CSV files in grading/source must be written again (see ARCHITECTURE.md)."""
    from fixtures import GRADING

    logs = load_logs(GRADING / "source" / assignment / "logs")
    expected = generate(SEEDS[assignment], **SIZE).logs
    for name in LOG_NAMES:
        pd.testing.assert_frame_equal(logs[name], expected[name])
