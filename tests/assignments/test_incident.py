"""The real nbgrader pipeline on the incident assignments (#15: analysis with evidence, not helper calls).

Design. Every analysis question asks for the answer, the evidence rows (log name + row number as load_case gives them)
and a one-line reason; 1 point of each is the evidence (only with a reason), checked against the graded case by
course.incident.evidence. One manually graded reason per assignment (ir1 問8, ir2 問5: pending after autograde).
The helpers of course.incident.analysis are locked in the assignment (assignment_mode) and while grading. The graded
default case (no course secret) has all the decoys, so naive single filters mislead.

ir1: 21 points = 19 automatic (all "analyse") + 2 manual ("explain"); copy 0.
ir2: 17 points = 15 automatic (all "analyse"; 問8 asks when the company learned of the damage in its own logs, the
     point from which the reporting deadlines count, instead of the notification list printed in the ir_05 summary)
     + 2 manual; copy 0.

Students (each graded by stock nbgrader and by `course grade`):
- model    the source notebook (plain pandas): every automatic point, manual pending.
- blank    the release: 0.
- partial  (ir1) 問1 answers right, written messily, no evidence: 2 of 3; 問3 host right, user wrong, the right row
           but no reason: 1 of 3; 問5 hosts right as a messy string, one row per host plus an ordinary row (halves the
           evidence point): 2 + 0.5; 問7 wrong types (explained, no crash): 0. Total 5.5.
           (ir2) 問3 job right, count wrong, both evidence rows and a reason: 1 + 1; 問4 right host, no rows: 1;
           問8 the discovery time right, no rows: 1. Total 4.
- helpers  the old solutions, answered by helper calls (A.*): the lock raises the Japanese HelperLocked message in
           each answer cell, the answers stay undefined: 0 (ir1); ir2 too (問8's old answer, the notification list,
           answers a question that is no longer asked).
- copied   a classmate's full, right answers (their own case, rows and reasons) typed in: almost nothing fits this
           case (another company and route). What does: FS01 (the file server, encrypted in every case) and, in ir2, DC01
           in the host lists — ir1 0.334 (問5: 2 of 6 hosts, one named host not infected here; the rows prove nothing
           here); ir2 0.2 (問1: 2 of 5 hosts, 3 wrong; one row number that happens to be an attack row here, halved). The exfiltration amount of a classmate is not
           scored with a wrong address (tasks.yaml `needs`).
"""

import re

import nbformat
import pandas as pd
import pytest

from course.incident.logs import LOG_NAMES, load_logs
from course.incident.scenario import generate
from fixtures import GRADING
from fixtures.nbgrader import (check_points_by, course_grade, feedback_html, grade, make_course, release_notebook,
                               source_notebook, submit, twin, with_answer)

IR1, IR2 = "ir1_detect_analyze", "ir2_contain_recover"
SEEDS = {IR1: 875679299042, IR2: 462254094258}   # as in the source's hidden tests; never in a release
CASE = {"employees": 20, "days": 10, "decoys": True}
CLASSMATE = {IR1: 31, IR2: 33}                   # a classmate's case: another company, another entry route
OURS = {}  # assignment -> `course grade` of the same submissions: ({student: score}, {student: [flag codes]})
AUTO = {IR1: 19.0, IR2: 15.0}
COPY = {IR1: 0.0, IR2: 0.0}

OLD_HELPER_ANSWERS = {
    IR1: {
        "q1_answer": 'ransom_extension = A.ransom_extension(logs["file_audit"])\n'
                     'encryption_start = str(A.find_encryption_start(logs["file_audit"]))',
        "q3_answer": 'first = A.first_infected_host(A.suspicious_processes(logs["process"]))\n'
                     'first_host, first_user = first.host, first.user',
        "q4_answer": 'first = A.first_infected_host(A.suspicious_processes(logs["process"]))\n'
                     'entry = A.entry_point(first, logs["security"], logs["vpn"])\n'
                     'entry_route, entry_time = entry.route, str(entry.time)',
        "q5_answer": 'infected_hosts = A.infected_hosts(A.suspicious_processes(logs["process"]))',
        "q6_answer": 'sus = A.suspicious_processes(logs["process"])\n'
                     'entry = A.entry_point(A.first_infected_host(sus), logs["security"], logs["vpn"])\n'
                     'compromised_accounts = A.compromised_accounts(sus, entry)',
        "q7_answer": 'sus = A.suspicious_processes(logs["process"])\n'
                     'entry = A.entry_point(A.first_infected_host(sus), logs["security"], logs["vpn"])\n'
                     'out = A.exfiltration(logs["proxy"], A.infected_hosts(sus), since=entry.time)\n'
                     'exfil_ip, exfil_gb = out.iloc[0]["dest_ip"], out.iloc[0]["bytes_out"] / 1e9',
    },
    IR2: {
        "q1_answer": 'sus = A.suspicious_processes(logs["process"])\n'
                     'entry = A.entry_point(A.first_infected_host(sus), logs["security"], logs["vpn"])\n'
                     'isolate_hosts = A.infected_hosts(sus)\n'
                     'disable_accounts = A.compromised_accounts(sus, entry)',
        "q2_answer": 'sus = A.suspicious_processes(logs["process"])\n'
                     'entry = A.entry_point(A.first_infected_host(sus), logs["security"], logs["vpn"])\n'
                     'new = A.new_destinations(logs["proxy"], entry.time)\n'
                     'block_ips = sorted(set(new.loc[new["dest_host"].isna(), "dest_ip"]) | {entry.source_ip})',
        "q3_answer": 'start = A.find_encryption_start(logs["file_audit"])\n'
                     'last_clean_backup = A.last_clean_backup(logs["backup"], start)["job_id"]\n'
                     'clean_copies_left = A.nights_until_no_clean_copy(logs["backup"], start)',
        "q6_answer": 'restore_order = A.infected_hosts(A.suspicious_processes(logs["process"]))',
        "q7_answer": 'first = A.first_infected_host(A.suspicious_processes(logs["process"]))\n'
                     'entry_route = A.entry_point(first, logs["security"], logs["vpn"]).route',
        "q8_answer": 'notify = ["management", "ppc", "individuals", "police", "partners", "insurer"]\n'
                     'ppc_final_days = 60',
    },
}


def _helper_cells(assignment):
    return {gid: "from course.incident import analysis as A\n" + src
            for gid, src in OLD_HELPER_ANSWERS[assignment].items()}


def _solution(source):
    return re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S)[1]


def _solved_values(assignment, logs):
    """Run the source notebook's model solutions (plain pandas) on some logs: {answer cell: {variable: value}}."""
    nb = nbformat.read(GRADING / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    ns = {"pd": pd, "logs": logs}
    out = {}
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid.endswith("_answer"):
            exec(_solution(c.source), ns)
            stub_names = re.findall(r"^(\w+) = ", c.source.split("### BEGIN SOLUTION")[0], re.M)
            out[gid] = {k: ns[k] for k in stub_names}
    return out


def _literal(value):
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if hasattr(value, "item"):
        value = value.item()
    return repr(value if not isinstance(value, float) else round(value, 3))


def _copied_cells(assignment):
    """A classmate's right answers for *their* case, typed in as values."""
    mate = generate(CLASSMATE[assignment], **CASE)
    return {gid: "\n".join(f"{k} = {_literal(v)}" for k, v in values.items())
            for gid, values in _solved_values(assignment, mate.logs).items()}


def run(tmp_path_factory, assignment, partial_cells):
    course = make_course(tmp_path_factory.mktemp(assignment), assignment)
    release = release_notebook(course, assignment)
    submit(course, assignment, "model", source_notebook(course, assignment))
    submit(course, assignment, "blank", release)
    for student, cells in (("partial", partial_cells), ("helpers", _helper_cells(assignment)),
                           ("copied", _copied_cells(assignment))):
        nb = release
        for grade_id, source in cells.items():
            nb = with_answer(nb, grade_id, source)
        submit(course, assignment, student, nb)
    OURS[assignment] = course_grade(twin(course), assignment)
    return course, release, grade(course, assignment)


def _scenario(assignment):
    return generate(SEEDS[assignment], **CASE)


def _attack_row(s, log, **where):
    df = s.logs[log]
    m = pd.Series(s.attack_rows[log], index=df.index)
    for col, value in where.items():
        m &= df[col] == value
    return int(df.index[m][0])


@pytest.fixture(scope="module")
def ir1(tmp_path_factory):
    s = _scenario(IR1)
    tr = s.truth
    messy_hosts = ", ".join(f" {h.lower()} " for h in tr.infected_hosts)
    rows = [("process", _attack_row(s, "process", host=h)) for h in tr.infected_hosts] + [("process", 0)]
    first = [("process", _attack_row(s, "process", host=tr.first_host))]
    cells = {
        "q1_answer": f'ransom_extension = ".{tr.ransom_extension.upper()}"\n'
                     f'encryption_start = "{tr.encryption_start:%Y/%m/%d %H:%M}"\nevidence_q1 = []\nreason_q1 = ""',
        "q3_answer": f'first_host = "{tr.first_host.lower()}"\nfirst_user = "nobody"\n'
                     f'evidence_q3 = {first!r}\nreason_q3 = ""',
        "q5_answer": f'infected_hosts = "{messy_hosts}"\nevidence_q5 = {rows!r}\n'
                     'reason_q5 = "各機器で攻撃者のプログラムが動いた行"',
        # wrong types: explained, not a crash
        "q7_answer": 'exfil_ip = 12345\nexfil_gb = "たくさん"\nevidence_q7 = []\nreason_q7 = ""',
    }
    assert not s.attack_rows["process"][0]
    return (*run(tmp_path_factory, IR1, cells), tr)


@pytest.fixture(scope="module")
def ir2(tmp_path_factory):
    s = _scenario(IR2)
    tr = s.truth
    job = int(s.logs["backup"].index[s.logs["backup"]["job_id"] == tr.last_clean_backup][0])
    enc = _attack_row(s, "file_audit", time=tr.encryption_start)
    cells = {
        "q3_answer": f'last_clean_backup = "{tr.last_clean_backup.lower()}"\nclean_copies_left = 99\n'
                     f'evidence_q3 = [("backup", {job}), ("file_audit", {enc})]\n'
                     'reason_q3 = "暗号化より前に終わった最後の成功"',
        "q4_answer": f'memory_hosts = ["{tr.first_host}"]\nevidence_q4 = []\nreason_q4 = ""',
        "q8_answer": f'discovered_at = "{tr.discovery_time}"\nevidence_q8 = []\nreason_q8 = ""',
    }
    return (*run(tmp_path_factory, IR2, cells), tr)


@pytest.mark.slow
def test_ir1_scores(ir1):
    _, _, scores, _ = ir1
    assert scores == {"model": AUTO[IR1], "blank": 0.0, "partial": 5.5, "helpers": 0.0, "copied": 0.334}


@pytest.mark.slow
def test_ir2_scores(ir2):
    _, _, scores, _ = ir2
    assert scores == {"model": AUTO[IR2], "blank": 0.0, "partial": 4.0, "helpers": COPY[IR2], "copied": 0.2}


@pytest.mark.slow
@pytest.mark.parametrize("which", ["ir1", "ir2"])
def test_helper_calls_fail_with_the_japanese_message(which, request):
    course, _, _, _ = request.getfixturevalue(which)
    assignment = IR1 if which == "ir1" else IR2
    nb = nbformat.read(course / "autograded" / "helpers" / assignment / f"{assignment}.ipynb", as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and all(o["ename"] in ("HelperLocked", "NameError") for o in errors)
    locked = [o for o in errors if o["ename"] == "HelperLocked"]
    assert len(locked) == len(OLD_HELPER_ANSWERS[assignment]) - (assignment == IR2)
    assert all("pandas で直接調べてください" in o["evalue"] for o in locked)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["ir1", "ir2"])
def test_release_carries_logs_but_no_seed_solution_or_hidden_test(which, request):
    course, release, _, truth = request.getfixturevalue(which)
    assignment = IR1 if which == "ir1" else IR2
    text = nbformat.writes(release)
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", str(SEEDS[assignment]), "graded_case(", "cached_scenario",
                   "decoys=True", "svc_backup が毎晩", "grade_with_evidence", truth.first_host, truth.exfil_ip):
        assert secret not in text, secret
    logs = load_logs(course / "release" / assignment / "logs")
    expected = _scenario(assignment).logs
    for name in LOG_NAMES:
        pd.testing.assert_frame_equal(logs[name], expected[name])


@pytest.mark.slow
def test_feedback_gives_hints_and_evidence_messages_not_answers(ir1, ir2):
    course1, _, _, tr1 = ir1
    html1 = feedback_html(course1, IR1, "partial")
    assert "最初の不審なプロセスの user 列" in html1          # the hint for the wrong account
    assert "IP アドレスの形ではありません" in html1 or "文字で入力" in html1   # the wrong type is explained
    assert "理由が書かれていません" in html1                   # evidence without a reason
    assert "答えを裏付けない行: process[0]" in html1            # an ordinary row named
    assert "各機器で攻撃者のプログラムが動いた行" in html1       # the learner's reason is shown back
    # the answer is not given away; the visible check shows the rows the learner named (their own logs) as they are
    shown = "\n".join(line for line in html1.splitlines() if not re.search(r"\w+\[\d+\] time=", line))
    assert tr1.first_user not in shown
    course2, _, _, _ = ir2
    html2 = feedback_html(course2, IR2, "partial")
    assert "暗号化より前に終わった最後の成功" in html2 and "答えを裏付ける行: backup[" in html2


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
def test_course_grade_gives_stock_scores(which, request):
    """`course grade` scores outside the kernel: stock nbgrader's scores exactly; no flag but missing records."""
    _, _, stock, _ = request.getfixturevalue(which)
    ours, flags = OURS[IR1 if which == "ir1" else IR2]
    assert ours == stock
    assert all(set(codes) <= {"record_missing"} for codes in flags.values()), flags


# -- fast checks of the source notebooks -------------------------------------------------------------------------------

def _graded_cells(assignment):
    nb = nbformat.read(GRADING / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return nb, [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


@pytest.mark.parametrize("assignment", [IR1, IR2])
def test_points_by_kind_on_every_graded_cell_and_copy_share(assignment):
    nb, cells = _graded_cells(assignment)
    total = sum(c.metadata["nbgrader"]["points"] for c in cells)
    copy = check_points_by(nb, total)["copy"]
    assert copy == COPY[assignment] and copy / total <= 0.2
    manual = [c for c in cells if c.cell_type == "markdown"]
    assert sum(c.metadata["nbgrader"]["points"] for c in cells if c.cell_type == "code") == AUTO[assignment]
    assert len(manual) == 1 and manual[0].metadata["nbgrader"]["grade_id"].endswith("_reason")


@pytest.mark.parametrize("assignment", [IR1, IR2])
def test_no_helper_in_the_notebook_and_the_graded_case_in_every_hidden_test(assignment):
    nb, cells = _graded_cells(assignment)
    code = "\n".join(line.split("#")[0] for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines())
    assert "analysis" not in code and not re.search(r"\bA\.\w+", code)
    assert "assignment_mode(True)" in code and "load_case()" in code
    for c in cells:
        if c.cell_type == "code":
            assert f'graded_case("{assignment}", seed={SEEDS[assignment]}, employees=20, days=10, decoys=True)' \
                in c.source


@pytest.mark.parametrize("assignment", [IR1, IR2])
def test_manual_rubric_for_the_reason_cell(assignment):
    import yaml

    rubric = yaml.safe_load((GRADING.parent / "course" / "content" / "manual_rubrics" / f"{assignment}.yaml")
                            .read_text(encoding="utf-8"))
    _, cells = _graded_cells(assignment)
    for c in cells:
        if c.cell_type == "markdown":
            entry = rubric[c.metadata["nbgrader"]["grade_id"]]
            assert entry["points"] == c.metadata["nbgrader"]["points"]
            assert entry["question"] and entry["rubric"] and entry["good_example"]


@pytest.mark.parametrize("assignment", [IR1, IR2])
def test_committed_logs_match_the_default_case(assignment):
    """If the generator changes, the CSV files in grading/source must be written again (`course scenario-golden`)."""
    logs = load_logs(GRADING / "source" / assignment / "logs")
    expected = _scenario(assignment).logs
    for name in LOG_NAMES:
        pd.testing.assert_frame_equal(logs[name], expected[name])
