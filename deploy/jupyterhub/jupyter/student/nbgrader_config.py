"""nbgrader for a student's server: the class's course and exchange (set by the hub from the roster)."""

import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "sme-security")
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
