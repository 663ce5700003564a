"""Lessons of the incident-management controls (5.24–5.28, 5.30), shown in ch14_06 beside the drafting workbench:
the same shape and size limits as the chapter 14 lessons (tests/exercises/test_content_ch14a.py)."""

import re

import pytest

from course.catalog import get_control

INCIDENT_LESSONS = ["5.24", "5.25", "5.26", "5.27", "5.28", "5.30"]


@pytest.mark.parametrize("number", INCIDENT_LESSONS)
def test_incident_controls_have_a_lesson_of_the_usual_size(number):
    lesson = get_control(number).lesson
    assert lesson is not None, number
    assert 3 <= lesson.case.count("。") <= 6 and len(lesson.case) <= 260, number
    assert 2 <= lesson.tip.count("。") <= 4 and len(lesson.tip) <= 290, number
    assert 3 <= len(lesson.mistakes) <= 4, number
    for m in lesson.mistakes:
        assert m.endswith("。") and m.count("。") == 1 and len(m) <= 50, m


@pytest.mark.parametrize("number", INCIDENT_LESSONS)
def test_incident_lessons_name_one_invented_company(number):
    letters = set(re.findall(r"(?<![A-Za-z0-9])([A-ZＡ-Ｚ])社", get_control(number).lesson.case))
    assert len(letters) == 1, (number, letters)
