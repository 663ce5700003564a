"""Ransomware incident handling: a generated scenario (company, logs, hidden truth), analysis helpers, answer sheets,
triage, a tabletop exercise and the after-action report. See ARCHITECTURE.md, section "Incident handling".

    from course.incident import generate, load_logs
    scenario = generate(seed=7)            # .logs (DataFrames), .truth (what really happened), .company
"""

from .logs import LOG_NAMES, SCHEMAS, LogsError, load_logs, write_logs
from .scenario import VARIANTS, Scenario, ScenarioError, Truth, generate

__all__ = ["generate", "Scenario", "Truth", "ScenarioError", "VARIANTS", "load_logs", "write_logs", "LogsError",
           "SCHEMAS", "LOG_NAMES"]

