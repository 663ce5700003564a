"""nbgrader course configuration. Works from this folder and from the project root (see ../nbgrader_config.py)."""

import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "sme-security")
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = os.environ.get("COURSE_DB_URL", "sqlite:///" + os.path.join(HERE, "gradebook.db"))

# The exchange for release / fetch / submit / collect; a shared folder on a classroom server.
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", os.path.join(HERE, "exchange"))
c.Exchange.assignment_dir = os.environ.get("COURSE_ASSIGNMENT_DIR", ".")

# Each cell may run this long before it is interrupted (seconds).
c.ExecutePreprocessor.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "30"))
c.ExecutePreprocessor.interrupt_on_timeout = True

# A learner's widget-saved answer records are part of the submission: never replace them with the release's copy.
# nbgrader takes exact file names per assignment, so list the starter records each source assignment ships.
c.Autograde.exclude_overwriting = {
    name: sorted(os.path.relpath(os.path.join(folder, f), os.path.join(HERE, "source", name))
                 for folder, _, files in os.walk(os.path.join(HERE, "source", name, "answers")) for f in files)
    for name in (os.listdir(os.path.join(HERE, "source")) if os.path.isdir(os.path.join(HERE, "source")) else [])
}

# The release must never carry model answers or hidden tests.
# A comment only: widget cells hold solution regions too, and a release must run top to bottom.
c.ClearSolutions.code_stub = {"python": "# ここに回答を書いてください / YOUR ANSWER HERE"}
c.ClearSolutions.text_stub = "ここに回答を書いてください / YOUR ANSWER HERE"

# Feedback never shows hidden tests or keys, also when generated from the formgrader or plain `nbgrader
# generate_feedback`: course.instructor.hide_keys.HideKeys strips them and lists the rubric results instead.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course.instructor.hide_keys.HideKeys",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.HideKeys.course_root = HERE

# Submissions are made inert before any instructor opens them (formgrader, feedback, report): after the grades are
# saved, course.instructor.inert_outputs.InertOutputs removes script-capable outputs and flags the cell 要確認.
from nbgrader.converters import Autograde  # noqa: E402

from course.instructor.inert_outputs import InertOutputs  # noqa: E402

c.Autograde.autograde_preprocessors = list(Autograde.class_traits()["autograde_preprocessors"].default()) + [InertOutputs]
# ... and again whenever the formgrader or feedback renders a notebook as HTML (also one graded without the above).
# Then course.instructor.manual_rubric.ManualRubric shows the instructor's rubric (course/content/manual_rubrics/
# <assignment>.yaml) after each manually graded answer: 「採点の目安（講師用）」 in the formgrader, 「採点の目安」 without the
# good example in feedback.
from course.instructor.manual_rubric import ManualRubric  # noqa: E402

c.HTMLExporter.preprocessors = [InertOutputs, ManualRubric]

# A submission belongs to its submitter: collect accepts an exchange entry only when the named learner's account owns
# it (course/instructor/exchange.py); submissions are not writable by others.
c.ExchangeFactory.collect = "course.instructor.exchange.OwnedExchangeCollect"
c.ExchangeFactory.submit = "course.instructor.exchange.OwnedExchangeSubmit"
c.ExchangeFactory.release_assignment = "course.instructor.exchange.OwnedExchangeReleaseAssignment"
