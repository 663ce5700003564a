"""The model 対策基準 and 実施手順 of a control, fitted to the learner's company.

`{company}` becomes the company name, `{role.<key>}` the name of a role in the company's role table and `{cal.<key>}`
a date or period of its calendar (CompanyProfile.placeholders, content/profile.yaml); a profile clause (telework,
cloud, contractors) is added only when the company has that trait. The learner then edits the result in the workbench.
"""

import re

from ..errors import CourseError
from ..i18n import t
from ..profile import CompanyProfile
from .drafts import resolve_control
from ..answers.draft import Draft, DraftStep

COMPANY_PLACEHOLDER = "{company}"
PLACEHOLDER_RE = re.compile(r"\{(company|role\.[a-z_]+|cal\.[a-z_]+)\}")


class NoModelError(CourseError, LookupError):
    """The control has no model text yet."""


def has_model(control):
    return resolve_control(control).model is not None


def model_draft(control, profile=None):
    """The catalog model answer of a control as a Draft for the given CompanyProfile (default: a company without
    remote work, cloud services or contractors, called 当社)."""
    control = resolve_control(control)
    model = control.model
    if model is None:
        raise NoModelError(t("drafting.no_model", control=control.number))
    profile = profile or CompanyProfile()
    values = profile.placeholders()

    def fit(text):  # one pass: braces in the company's own values are left as they are
        return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    def step(s):
        return DraftStep(who=fit(s.who), what=fit(s.what), when=fit(s.when), record=fit(s.record))

    traits = profile.traits
    clauses = [c for c in model.profile_clauses if traits.get(c.when)]
    return Draft(
        control=control.number,
        purpose=fit(model.purpose),
        scope=fit(model.scope),
        statements=[fit(s) for s in model.statements] + [fit(c.statement) for c in clauses],
        owner=fit(model.owner),
        review=fit(model.review),
        related=[fit(r) for r in model.related],
        steps=[step(s) for s in model.steps] + [step(c.step) for c in clauses if c.step is not None],
    )


def merge_into(draft, model):
    """The draft with the model added where the learner has written nothing: empty text fields are filled, and model
    statements, documents and steps that the draft does not have yet are appended. Nothing the learner wrote is
    removed or changed."""
    def text(mine, theirs):
        return mine if mine.strip() else theirs

    def extend(mine, theirs):
        have = {x.strip() for x in mine}
        return list(mine) + [x for x in theirs if x.strip() not in have]

    have_steps = {(s.who, s.what, s.when, s.record) for s in draft.steps}
    return Draft(
        control=draft.control,
        purpose=text(draft.purpose, model.purpose),
        scope=text(draft.scope, model.scope),
        statements=extend([s for s in draft.statements if s.strip()], model.statements),
        owner=text(draft.owner, model.owner),
        review=text(draft.review, model.review),
        related=extend([r for r in draft.related if r.strip()], model.related),
        steps=[s for s in draft.steps if not s.is_empty()]
        + [s for s in model.steps if (s.who, s.what, s.when, s.record) not in have_steps],
    )
