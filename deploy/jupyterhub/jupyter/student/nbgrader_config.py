"""nbgrader for a student's server: the class's course and exchange (set by the hub from the roster)."""

import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "sme-security")
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
# Submit only as oneself, into a folder nobody else can write (course/instructor/exchange.py). The instructor's collect
# checks the owner again, so a learner who changes this setting gains nothing.
c.ExchangeFactory.submit = "course.instructor.exchange.OwnedExchangeSubmit"
