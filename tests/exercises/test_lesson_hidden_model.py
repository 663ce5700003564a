"""A control whose model the course never shows (content/hidden_models.yaml) gets a lesson page with the rubric's
reasons and without any model sentence (issue #15: transfer questions)."""

import pytest

from course.catalog import get_control, hidden_models
from course.drafting.fit import model_draft
from course.exercises.lesson_view import lesson
from course.profile import CompanyProfile


@pytest.mark.parametrize("number", sorted(hidden_models()))
def test_hidden_models_lesson_shows_reasons_not_model_text(number):
    profile = CompanyProfile(company="株式会社テスト")
    view = lesson(number, profile)
    text, html = view.text(), view._repr_html_()
    model = model_draft(number, profile)
    for sentence in list(model.statements) + [s.what for s in model.steps]:
        assert sentence not in text and sentence not in html
    assert "模範文例を見ずに" in text
    for element in get_control(number).rubric:
        assert element.why in text


def test_a_shown_control_still_shows_its_model():
    view = lesson("6.1", CompanyProfile(company="株式会社テスト"))
    assert model_draft("6.1", CompanyProfile(company="株式会社テスト")).statements[0] in view.text()
