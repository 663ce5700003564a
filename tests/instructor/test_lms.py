"""LMS round trip (issue #18): submissions downloaded from Moodle and Canvas go through nbgrader's zip_collect with the
course's plugins (course/instructor/lms.py), are graded, and the grades come back as CSV files that Excel and the LMS
read (UTF-8 with BOM; long, wide, Moodle and Canvas layouts).

The sample archives are built here in the layouts the README documents (Moodle's "Download all submissions" with and
without folders, Canvas's "Download Submissions" with a late file), with Japanese names.
"""

import csv
import io
import json
import zipfile

import pytest

from fixtures.nbgrader import grade, make_course, release_notebook, source_notebook

A = "00_orientation"
WHEN = (2026, 11, 29, 10, 0, 0)
PROFILE = {"company": "株式会社みなと物産", "industry": "卸売業"}
ROSTER = [  # student_id, name, email, lms_id, section
    ("yamada", "山田 太郎", "yamada@example.jp", "t.yamada", "A組"),
    ("sato", "佐藤 花子", "sato@example.jp", "h.sato", "A組"),
    ("tanaka", "Tanaka, Jiro", "tanaka@example.jp", "1001", "B組"),
    ("kimura", "Kimura, Kei", "kimura@example.jp", "1002", "B組"),
]


def write_roster(path, rows=ROSTER):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "name", "email", "lms_id", "section"])
        writer.writerows(rows)
    return path


def notebook_bytes(nb):
    import nbformat

    return nbformat.writes(nb).encode("utf-8")


def record_bytes(data):
    return json.dumps({"schema": "course.answer/1", "key": "company_profile", "kind": "profile", "revision": 1,
                       "saved_at": "2026-11-29T10:00:00+09:00", "data": data}, ensure_ascii=False).encode("utf-8")


def zip_bytes(files):
    """A zip of {name: bytes}, every entry dated WHEN (what a learner's or an LMS's zip holds)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, WHEN), data)
    return buffer.getvalue()


def read_csv_bom(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} must start with a UTF-8 BOM (Excel)"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


# -- the pure parts: learners and files from LMS paths, without nbgrader ----------------------------------------------

def test_identify_reads_moodle_canvas_and_plain_paths():
    from course.instructor.lms import identify

    roster = [dict(zip(["student_id", "name", "email", "lms_id", "section"], r)) for r in ROSTER]
    top = {"00_orientation.ipynb", "answers", "logs"}
    moodle = [
        ("dl/山田 太郎_801_assignsubmission_file_/00_orientation/00_orientation/answers/company_profile.json",
         ("yamada", "answers/company_profile.json")),
        ("佐藤　花子_802_assignsubmission_file_00_orientation.ipynb", ("sato", "00_orientation.ipynb")),  # flat
        ("佐藤 花子_802_onlinetext_/onlinetext.html", (None, None)),
        ("鈴木 一郎_803_assignsubmission_file_/00_orientation.ipynb", ("?鈴木 一郎_803_assignsubmission_file_", None)),
        ("山田 太郎_801_assignsubmission_file_/00_orientation/.ipynb_checkpoints/x.ipynb", (None, None)),
        ("__MACOSX/山田 太郎_801_assignsubmission_file_/._00_orientation.ipynb", (None, None)),
    ]
    for path, expected in moodle:
        assert identify(path, "moodle", roster, top) == expected, path
    canvas = [
        ("submissions/tanakajiro_1001_5001_00_orientation/00_orientation/00_orientation.ipynb",
         ("tanaka", "00_orientation.ipynb")),
        ("kimurakei_late_1002_5002_00_orientation.ipynb", ("kimura", "00_orientation.ipynb")),
        ("kimurakei_LATE_1002_5002_00_orientation.ipynb", ("kimura", "00_orientation.ipynb")),
        ("tanakajiro_1001_5001_00_orientation.zip", (None, None)),  # the zip itself: its contents count
        ("yamadataro_9999_5003_00_orientation.ipynb", ("?yamadataro_9999_5003_00_orientation.ipynb", None)),
    ]
    for path, expected in canvas:
        assert identify(path, "canvas", roster, top) == expected, path
    # without a roster, Canvas's name part is taken as the course's student id (a login name)
    assert identify("t.ito_1003_5004_00_orientation.ipynb", "canvas", [], top) == ("t.ito", "00_orientation.ipynb")
    assert identify("learner01/00_orientation/answers/a.json", "plain", [], top) == ("learner01", "answers/a.json")
    assert identify("learner01_v2/00_orientation.ipynb", "plain", [], top) == ("learner01", "00_orientation.ipynb")
    assert identify("readme.txt", "plain", [], top) == (None, None)


def test_lms_tables_from_grade_rows(tmp_path):
    from course.instructor.export import TABLES, write_csv

    rows = [
        {"student": "sato", "assignment": "a1", "score": 4.0, "max_score": 4.0, "needs_review": False,
         "submitted": True, "reason": ""},
        {"student": "sato", "assignment": "a2", "score": 0.0, "max_score": 10.0, "needs_review": False,
         "submitted": False, "reason": "未提出（not submitted）"},
        {"student": "tanaka", "assignment": "a1", "score": 1.5, "max_score": 4.0, "needs_review": True,
         "submitted": True, "reason": "要確認"},
        {"student": "tanaka", "assignment": "a2", "score": 7.0, "max_score": 10.0, "needs_review": False,
         "submitted": True, "reason": ""},
    ]
    roster = [dict(zip(["student_id", "name", "email", "lms_id", "section"], r)) for r in ROSTER]
    header, data = TABLES["wide"](rows, roster)
    assert header == ["student", "name", "a1", "a2", "total", "max_total", "needs_review"]
    assert data == [["sato", "佐藤 花子", "4", "", "4", "14", ""], ["tanaka", "Tanaka, Jiro", "1.5", "7", "8.5", "14", "a1"]]
    header, data = TABLES["moodle"](rows, roster)
    assert header == ["Username", "Email address", "Full name", "a1", "a2"]
    assert data[0] == ["h.sato", "sato@example.jp", "佐藤 花子", "4", ""]
    header, data = TABLES["canvas"](rows, [])
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert data[0] == ["Points Possible", "", "", "", "", "4", "10"]
    assert data[2] == ["tanaka", "", "", "tanaka", "", "1.5", "7"]
    path = write_csv(tmp_path / "w.csv", *TABLES["wide"](rows, roster))
    assert read_csv_bom(path)[1][1] == "佐藤 花子"


def test_moodle_layout_needs_a_roster(tmp_path):
    from course.errors import CourseError
    from course.instructor.release import collect_lms

    with pytest.raises(CourseError, match="受講者名簿"):
        collect_lms(A, tmp_path, root=tmp_path, layout="moodle")


# -- the whole round trip with nbgrader: Moodle and Canvas downloads → zip_collect → grades → LMS CSV ------------------

@pytest.fixture(scope="module")
def lms_class(tmp_path_factory):
    from course.instructor.release import collect_lms

    base = tmp_path_factory.mktemp("lms")
    course = make_course(base, A)
    release, model = notebook_bytes(release_notebook(course, A)), notebook_bytes(source_notebook(course, A))
    learner_zip = zip_bytes({f"{A}/{A}.ipynb": release, f"{A}/answers/company_profile.json": record_bytes(PROFILE)})
    roster = write_roster(base / "roster.csv")

    # Moodle, "Download all submissions": one folder per learner (yamada uploaded his folder as a zip), sato's file
    # in the flat layout, a learner who is not in the roster, and an online-text folder.
    moodle = base / "moodle" / "SME-2026-00_orientation-1234.zip"
    moodle.parent.mkdir()
    moodle.write_bytes(zip_bytes({
        f"山田 太郎_801_assignsubmission_file_/{A}.zip": learner_zip,
        f"佐藤 花子_802_assignsubmission_file_{A}.ipynb": model,
        f"鈴木 一郎_803_assignsubmission_file_/{A}.ipynb": model,
        "佐藤 花子_802_assignsubmission_onlinetext_/onlinetext.html": b"<p>hello</p>",
    }))
    moodle_warnings = []
    n_moodle = collect_lms(A, moodle, root=course, layout="moodle", roster=roster, warn=moodle_warnings.append)

    # Canvas, "Download Submissions": flat files <name>_<user id>_<submission id>_<file>, a late one.
    canvas = base / "canvas"
    canvas.mkdir()
    (canvas / "submissions.zip").write_bytes(zip_bytes({
        f"tanakajiro_1001_5001_{A}.zip": learner_zip,
        f"kimurakei_late_1002_5002_{A}.ipynb": release,
    }))
    n_canvas = collect_lms(A, canvas, root=course, layout="canvas", roster=roster)
    scores = grade(course, A)
    return {"course": course, "roster": roster, "scores": scores, "counts": (n_moodle, n_canvas),
            "moodle_warnings": moodle_warnings}


@pytest.mark.slow
def test_moodle_and_canvas_downloads_are_collected_and_graded(lms_class):
    course = lms_class["course"]
    assert lms_class["counts"] == (2, 2)
    assert any("鈴木 一郎" in w for w in lms_class["moodle_warnings"])  # not in the roster: said, not imported
    for student in ("yamada", "tanaka"):  # their answer records came out of the zip in the LMS's zip
        assert (course / "submitted" / student / A / "answers" / "company_profile.json").is_file()
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["kimura", "sato", "tanaka", "yamada"]
    assert (course / "submitted" / "sato" / A / "timestamp.txt").read_text().startswith("2026-11-29 10:00:00")
    # the model earns 4, a release with a partial profile 1, a blank release 0: the files landed where grading reads
    assert lms_class["scores"] == {"yamada": 1.0, "sato": 4.0, "tanaka": 1.0, "kimura": 0.0}


@pytest.mark.slow
def test_grades_export_in_every_format_with_bom(lms_class):
    from course.instructor.export import export_grades
    from course.instructor.report import write_report

    course, roster = lms_class["course"], lms_class["roster"]
    path, _ = export_grades(root=course)
    rows = read_csv_bom(path)
    assert rows[0] == ["student", "assignment", "score", "max_score", "needs_review", "reason"]
    assert {r[0]: float(r[2]) for r in rows[1:]} == lms_class["scores"]

    path, _ = export_grades(root=course, fmt="wide", roster=roster)
    assert path.name == "grades_wide.csv"
    wide = {r[0]: r for r in read_csv_bom(path)[1:]}
    assert wide["yamada"][1:3] == ["山田 太郎", "1"]

    path, _ = export_grades(root=course, fmt="moodle", roster=roster)
    moodle = read_csv_bom(path)
    assert moodle[0] == ["Username", "Email address", "Full name", A]
    assert ["h.sato", "sato@example.jp", "佐藤 花子", "4"] in moodle

    path, _ = export_grades(to=course / "canvas.csv", root=course, fmt="canvas", roster=roster)
    canvas = read_csv_bom(path)
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    assert canvas[1] == ["Points Possible", "", "", "", "", "4"]
    assert ["Tanaka, Jiro", "1001", "", "tanaka", "B組", "1"] in canvas

    write_report(A, root=course)  # the class report's CSV files carry the BOM too
    for name in ("scores.csv", "questions.csv", "rubric.csv"):
        assert read_csv_bom(course / "reports" / A / name)[0]


def test_grade_tables_show_pending_manual_answers():
    from course.instructor.export import TABLES, pending_note

    rows = [
        {"student": "sato", "assignment": "a1", "score": 5.0, "max_score": 5.0, "needs_review": False, "submitted": True,
         "reason": "", "has_manual": True, "auto_score": 2.0, "manual_score": 3.0, "manual_pending": 0,
         "manual_note": ""},
        {"student": "tanaka", "assignment": "a1", "score": 2.0, "max_score": 5.0, "needs_review": False,
         "submitted": True, "reason": "", "has_manual": True, "auto_score": 2.0, "manual_score": 0.0,
         "manual_pending": 1, "manual_note": pending_note(1)},
    ]
    header, data = TABLES["long"](rows, [])
    assert header[-4:] == ["auto_score", "manual_score", "manual_pending", "manual_note"]
    assert data[1][-4:] == ["2", "0", 1, "手動採点待ち 1 問（1 answers to grade by hand）"]
    header, data = TABLES["wide"](rows, [])
    assert header[-2:] == ["manual_pending", "manual_note"] and data[1][-2:] == [1, pending_note(1)]
    assert data[0][-2:] == [0, ""]
    # without manual cells the files keep their usual columns
    plain = [{k: v for k, v in r.items() if k != "has_manual"} for r in rows]
    assert TABLES["long"](plain, [])[0] == ["student", "assignment", "score", "max_score", "needs_review", "reason"]
