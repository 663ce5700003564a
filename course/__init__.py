"""中小企業向け情報セキュリティ研修 / Information-security training course for SMEs."""

from . import notebook_errors

__version__ = "0.1.0"

notebook_errors.install()  # in a Jupyter kernel: CourseError shows as a Japanese message, not a traceback
