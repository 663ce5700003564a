"""Issue #15 point 3 in a real browser: an instructor opens a learner's 「なぜそう決めたか」 answer in the formgrader,
sees the rubric 「採点の目安（講師用）」 right below it (once, as text), enters a score in the page's own score box, and
export-grades then adds the manual points to the automatic ones. The learner's <script> in the answer runs nothing."""

import csv

import pytest

from fixtures.manual import A, MARK, REASON, make_manual_course
from fixtures.nbgrader import release_notebook, submit, with_answer
from course.i18n import t

from .lab import UI_TIMEOUT, LabServer, artifacts_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from course.instructor.parallel_grade import grade_assignment

    base = tmp_path_factory.mktemp("manual-formgrader")
    server = LabServer(base / "lab")
    server.base_dir.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_DB_URL", f"sqlite:///{server.base_dir / 'gradebook.db'}")  # the server's gradebook
        course, _ = make_manual_course(base)
        release = release_notebook(course, A)
        submit(course, A, "writer", with_answer(with_answer(release, "q1_answer", "weeks = 2"), "q1_reason", REASON))
        grade_assignment(A, root=course, jobs=1, notebook_timeout=120, progress=False)
        server.root = course
        server.start()
        try:
            yield {"course": course, "server": server}
        finally:
            server.stop()


def test_instructor_reads_the_rubric_and_grades_the_answer_in_the_formgrader(graded, page):
    from nbgrader.api import Gradebook

    from course.instructor.export import grade_rows

    server, course = graded["server"], graded["course"]
    db = f"sqlite:///{server.base_dir / 'gradebook.db'}"
    with Gradebook(db) as gb:
        submission_id = gb.find_submission_notebook(A, A, "writer").id
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # the formgrader's own API calls (load the grades, save a score) need the login too, not only the page
    page.set_extra_http_headers({"Authorization": f"token {server.token}"})
    page.goto(f"{server.url}/formgrader/submissions/{submission_id}/")
    title = page.get_by_text(t("instructor.manual.title_instructor"))
    title.first.wait_for(timeout=UI_TIMEOUT)
    assert title.count() == 1
    page.get_by_text("見直しの頻度とリスクの大きさを結び付けている").wait_for(timeout=UI_TIMEOUT)
    page.get_by_text("GOODEXAMPLEMARK", exact=False).wait_for(timeout=UI_TIMEOUT)
    page.get_by_text("退職が繁忙期に重なる", exact=False).first.wait_for(timeout=UI_TIMEOUT)
    # the rubric follows the answer's panel on the page
    answer_box = page.locator("input.score#q1_reason").bounding_box()
    assert answer_box["y"] < title.bounding_box()["y"]

    score = page.locator("input.score#q1_reason")
    score.fill("2")
    score.press("Tab")  # the formgrader saves on change

    def saved():
        with Gradebook(db) as gb:
            return gb.find_grade("q1_reason", A, A, "writer").manual_score

    for _ in range(100):
        if saved() is not None:
            break
        page.wait_for_timeout(200)
    page.screenshot(path=str(artifacts_dir() / "manual-formgrader.png"), full_page=True)
    assert saved() == 2.0
    assert page.evaluate(f"typeof window.{MARK}") == "undefined"
    assert page.evaluate("typeof window.rubric_ran") == "undefined"
    assert dialogs == []

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_DB_URL", db)
        row = next(r for r in grade_rows(course, A) if r["student"] == "writer")
    assert (row["score"], row["auto_score"], row["manual_score"], row["manual_pending"]) == (4.0, 2.0, 2.0, 0)
