"""Chapter 15 (人的管理策, people controls 6.1–6.8): what the notebooks ch15_*.ipynb import.

- Lessons: `lesson("6.1")` (course/exercises/lesson_view.py) and the Workbench of course/drafting/widgets.py.
- Overview: `lifecycle_figure()` and `people_controls()` (the controls placed on the employment life cycle).
- Data exercises on an invented company (people_data.py), with self-checks (people_checks.py) and charts
  (people_charts.py): training records, phishing-drill results and an offboarding audit; the graded assignment asks
  other questions of them (late beyond the catch-up month, the drill as two logs, accounts disabled late).
"""

import pandas as pd

from ..catalog import controls
from ..i18n import t
from .checks import CheckResult, check_function, run_answer
from .lesson_view import LessonView, lesson
from .people_charts import completion_chart, drill_chart, lifecycle_figure, offboarding_chart
from .people_checks import (check_beyond_catch_up, check_click_rates, check_completion, check_follow_up,
                            check_late_stops, check_lowest_report, check_missed_people, check_open_accounts,
                            check_report_rates, check_unreturned_assets)
from .people_data import (PUBLIC_SEED, audit_date, company_name, drill_reports, offboarding_audit, phishing_drill,
                          roster, settings, training_records)

__all__ = [
    "LessonView", "lesson", "lifecycle_figure", "people_controls",
    "completion_chart", "drill_chart", "offboarding_chart",
    "CheckResult", "check_missed_people", "check_completion", "check_click_rates", "check_report_rates",
    "check_follow_up", "check_open_accounts", "check_unreturned_assets", "check_function", "run_answer",
    "check_beyond_catch_up", "check_lowest_report", "check_late_stops", "drill_reports",
    "PUBLIC_SEED", "roster", "training_records", "phishing_drill", "offboarding_audit", "company_name", "audit_date",
]


def people_controls():
    """The people controls as a table: number, title, life-cycle phase (from the figure's bars) and purpose."""
    bars = {b["control"]: b for b in settings()["lifecycle"]["bars"]}
    rows = []
    for c in controls("people"):
        bar = bars.get(c.number, {})
        rows.append({
            t("ch15.table.number"): c.number,
            t("ch15.table.title"): c.display_title,
            t("ch15.table.phase"): t(f"topic.{c.topic}"),
            t("ch15.table.when"): bar.get("ja", ""),
            t("ch15.table.purpose"): c.purpose_ja,
        })
    return pd.DataFrame(rows)
