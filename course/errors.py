"""Errors that carry a message a learner can act on (Japanese first)."""


class CourseError(Exception):
    """An error whose text is meant for the learner or instructor, not a traceback."""


class UsageError(CourseError):
    """A command-line argument with a wrong value: the `course` command exits 2 (other CourseErrors exit 1)."""


class ContentError(CourseError):
    """A content file under course/content is malformed. The message names the file and the field."""

    def __init__(self, path, field, problem):
        self.path, self.field, self.problem = str(path), field, problem
        super().__init__(f"{self.path}: {field}: {problem}")
