"""Moved to course/rubric/lines.py (the grading contract); kept so that older notebooks and report.py still import it."""

from ..rubric.lines import LINE, award, cell_rubric, parse_rubric, print_rubric, rubric_lines, strip_rubric

__all__ = ["LINE", "award", "cell_rubric", "parse_rubric", "print_rubric", "rubric_lines", "strip_rubric"]
