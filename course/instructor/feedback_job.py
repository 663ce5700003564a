"""`python -m course.instructor.feedback_job ROOT ASSIGNMENT [--reveal]`: nbgrader's generate_feedback with HideKeys.

A process of its own (nbgrader apps are singletons with global logging), run by feedback.py.
"""

import sys


def main(argv=None):
    import os

    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.apps import GenerateFeedbackApp
    from nbgrader.preprocessors import GetGrades

    from .hide_keys import HideKeys

    argv = sys.argv[1:] if argv is None else argv
    root, assignment, reveal = argv[0], argv[1], "--reveal" in argv
    os.chdir(root)
    app = GenerateFeedbackApp()
    app.initialize([assignment, "--force"])
    app.config.GenerateFeedback.preprocessors = [GetGrades, HideKeys, CSSHTMLHeaderPreprocessor]
    app.config.HideKeys.reveal = reveal
    app.config.HideKeys.course_root = os.path.abspath(root)
    app.start()


if __name__ == "__main__":
    main()
