"""Every control's model answer, fitted to any company, is a full-score draft by its own rubric."""

import pytest

from course.catalog import catalog
from course.drafting.fit import model_draft
from course.profile import CompanyProfile
from course.rubric.score import score_draft

PROFILES = {
    "plain": CompanyProfile(),
    "everything": CompanyProfile(company="株式会社みどり精機", telework="all", cloud=["Microsoft 365"],
                                 contractors=["IT保守のA社"]),
}


@pytest.mark.parametrize("number", sorted(catalog(), key=lambda n: tuple(map(int, n.split(".")))))
@pytest.mark.parametrize("profile", PROFILES)
def test_model_answer_scores_full_marks(number, profile):
    control = catalog()[number]
    assert control.model is not None and control.rubric, f"{number} has no model answer or rubric"
    draft = model_draft(number, PROFILES[profile])
    feedback = score_draft(draft)
    assert feedback.score == pytest.approx(1.0), (number, feedback.missing, feedback.messages)
    if profile == "everything":
        text = " ".join([draft.purpose, draft.scope, *draft.statements])
        assert "株式会社みどり精機" in text and "{company}" not in text
