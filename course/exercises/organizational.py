"""Chapter 14 (組織的管理策, organisational controls 5.1–5.37): what the notebooks ch14_*.ipynb import.

- Overview: `layers_figure()` (基本方針 → 対策基準 → 実施手順), `annex_a_chart()` and `annex_a_table()` (93 controls in
  four themes), `organizational_controls()` (the 37 controls and the notebook where each is studied), and the
  statement of applicability form `SoaTable` (course/soa.py).
- Lessons: `lesson("5.1")` (course/exercises/lesson_view.py) and the Workbench of course/drafting/widgets.py.
- Catalog: `CatalogBrowser` (course/catalog_browser.py) for the controls without a lesson of their own.
- Data exercises on an invented company (org_data.py), with self-checks (org_checks.py) and charts (org_plots.py):
  an access-rights review, classification and labelling of an asset register, and a log of information transfers.
- Graded work (grading/source/ch14_organizational): other questions of the same datasets than the lessons ask
  (check_late_leavers, check_dormant_by_department, check_too_low_by_department, check_violations_by_rule), and the
  critique exercise of course/exercises/critique.py.
"""

import pandas as pd

from ..catalog import controls
from ..catalog_browser import CatalogBrowser, catalog_only_numbers
from ..drafting.drafts import load_draft
from ..i18n import t
from ..soa import SoaTable, check_soa, load_soa
from .checks import CheckResult, check_function
from .lesson_view import LessonView, lesson
from .org_checks import (check_classification, check_conflicts, check_dormant_by_department, check_late_leavers,
                         check_leavers_active, check_mislabelled, check_shared_accounts, check_too_low_by_department,
                         check_transfer_violations, check_violations_by_rule)
from .org_data import (CLASSES, PUBLIC_SEED, access_review, asset_inventory, audit_date, classify_row, company_name,
                       rule_labels, transfer_log)
from .org_plots import annex_a_chart, layers_figure, overview, plot_access_review, plot_labels, plot_transfers

__all__ = [
    "layers_figure", "annex_a_chart", "annex_a_table", "organizational_controls", "lesson_numbers", "notebook_of",
    "SoaTable", "check_soa", "load_soa", "soa_progress", "LessonView", "lesson", "CatalogBrowser", "catalog_only_numbers",
    "PUBLIC_SEED", "access_review", "asset_inventory", "transfer_log", "company_name", "audit_date", "rule_labels",
    "CLASSES", "classify_row",
    "check_leavers_active", "check_shared_accounts", "check_conflicts", "check_classification", "check_mislabelled",
    "check_transfer_violations", "check_late_leavers", "check_dormant_by_department", "check_too_low_by_department",
    "check_violations_by_rule", "plot_access_review", "plot_labels", "plot_transfers", "CheckResult", "check_function",
]


def annex_a_table():
    """The four themes of ISO/IEC 27001:2022 Annex A with their number of controls (and a total row)."""
    data = overview()["annex_a"]
    rows = [{t("ch14.table.clause"): th["clause"], t("ch14.table.theme"): th["ja"], t("ch14.table.theme_en"): th["en"],
             t("ch14.table.count"): th["count"],
             t("ch14.table.in_course"): t("ch14.table.yes") if th["in_course"] else t("ch14.table.no")}
            for th in data["themes"]]
    rows.append({t("ch14.table.clause"): "", t("ch14.table.theme"): t("ch14.table.total"),
                 t("ch14.table.theme_en"): "Total", t("ch14.table.count"): data["total"], t("ch14.table.in_course"): ""})
    return pd.DataFrame(rows)


def lesson_numbers():
    """The organisational controls with an in-depth lesson (those the seminar report names), in Annex A order."""
    return [c.number for c in controls("organizational") if c.in_seminar]


def notebook_of(number):
    """The notebook where a control of chapter 14 is studied."""
    data = overview()
    for name, numbers in data["notebooks"].items():
        if str(number) in numbers:
            return name
    return data["catalog_notebook"]


def organizational_controls():
    """The 37 organisational controls: number, Japanese title (marked when unverified), English title, topic, and
    the notebook where each is studied."""
    rows = []
    for c in controls("organizational"):
        rows.append({
            t("ch14.table.number"): c.number,
            t("ch14.table.title"): c.display_title,
            t("ch14.table.title_en"): c.title_en,
            t("ch14.table.topic"): t(f"topic.{c.topic}"),
            t("ch14.table.where"): notebook_of(c.number),
        })
    return pd.DataFrame(rows)


def soa_progress(store=None):
    """The organisational controls with their decision in the statement of applicability and how far their draft
    is: what to write next. Reads the answers only (nothing is saved)."""
    entries, _, _, _ = load_soa(store)
    rows = []
    for c in controls("organizational"):
        adopted = entries.get(c.number, {}).get("adopted")
        draft = load_draft(c.number, store)
        statements = sum(1 for s in draft.statements if s.strip())
        steps = sum(1 for s in draft.steps if not s.is_empty())
        if adopted is False:
            state = t("ch14.progress.not_needed")
        elif statements and steps:
            state = t("ch14.progress.drafted")
        elif statements or steps or not draft.is_empty():
            state = t("ch14.progress.started")
        else:
            state = t("ch14.progress.todo")
        rows.append({
            t("ch14.table.number"): c.number,
            t("ch14.table.title"): c.display_title,
            t("ch14.progress.decision"): {True: t("ch14.soa.adopted"), False: t("ch14.soa.rejected"),
                                          None: t("ch14.soa.flag_undecided")}[adopted],
            t("ch14.progress.statements"): statements,
            t("ch14.progress.steps"): steps,
            t("ch14.progress.state"): state,
            t("ch14.table.where"): notebook_of(c.number),
        })
    return pd.DataFrame(rows)
