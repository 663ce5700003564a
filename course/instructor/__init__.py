"""The instructor's side: nbgrader course setup, release, grading, feedback and class reports."""
