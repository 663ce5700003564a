"""The lesson page of one control, rendered from the catalog: any chapter's notebooks show a lesson with one line.

    lesson("6.1")    # in a notebook: why (purpose and a case), the model 対策基準 and 実施手順 fitted to the company
                     # profile, a practical tip, common mistakes and what the self-check looks for

The page is HTML built from catalog text (escaped); `LessonView.text()` gives the same content as plain text (tests,
terminals). A control without lesson or model content yet gets a short note instead of an error, so that a notebook
still runs top to bottom while its content is being written.
"""

from dataclasses import dataclass
from html import escape

from ..catalog import model_hidden
from ..drafting.drafts import resolve_control
from ..drafting.fit import model_draft
from ..answers.draft import STEP_FIELDS
from ..i18n import t
from ..profile import CompanyProfile, load_profile
from ..theme import ERROR, HEAD_CELL, INFO, MUTED, OK, PANEL, WARN, CELL, box



@dataclass
class LessonView:
    """What the lesson shows, as data; rendered by _repr_html_ in a notebook and by text() elsewhere."""

    number: str
    title: str
    title_en: str
    purpose: str
    company: str
    has_profile: bool
    case: str = ""
    tip: str = ""
    mistakes: tuple = ()
    draft: object = None        # the fitted model Draft, or None when the control has no model yet or hides it
    hidden: bool = False        # the model is never shown (content/hidden_models.yaml): the rubric's reasons guide
    added: tuple = ()           # statements added for the profile (telework, cloud, contractors)
    traits: tuple = ()          # names of the profile traits that added them
    checks: tuple = ()          # (label, why) of the rubric elements

    # -- plain text --------------------------------------------------------------------------------------------------
    def text(self):
        out = [f"{self.number} {self.title} / {self.title_en}", f"{t('lesson.purpose')}: {self.purpose}"]
        if self.case:
            out += [f"■ {t('lesson.why')}", self.case]
        if self.draft is not None:
            d = self.draft
            out += [f"■ {t('lesson.model_standard', company=self.company)}",
                    f"{t('lesson.field_purpose')}: {d.purpose}", f"{t('lesson.field_scope')}: {d.scope}"]
            out += [f"{i}. {s}" + (f" {t('lesson.added_mark')}" if s in self.added else "")
                    for i, s in enumerate(d.statements, 1)]
            out += [f"■ {t('lesson.model_procedure')}"]
            out += [" / ".join(getattr(s, f) for f in STEP_FIELDS) for s in d.steps]
            out += [f"{t('lesson.field_owner')}: {d.owner}", f"{t('lesson.field_review')}: {d.review}",
                    f"{t('lesson.field_related')}: {'、'.join(d.related)}"]
        else:
            out.append(t("lesson.model_hidden" if self.hidden else "lesson.no_model", control=self.number))
        if self.tip:
            out += [f"■ {t('lesson.tip')}", self.tip]
        if self.mistakes:
            out += [f"■ {t('lesson.mistakes')}", *(f"- {m}" for m in self.mistakes)]
        if self.checks:
            out += [f"■ {t('lesson.checks')}", *(f"- {label}: {why}" for label, why in self.checks)]
        return "\n".join(out)

    def __str__(self):
        return self.text()

    # -- HTML ----------------------------------------------------------------------------------------------------------
    def _repr_html_(self):
        e = escape
        parts = [f"<div style='max-width:60em'><h3 style='margin-bottom:0'>{e(self.number)} {e(self.title)}</h3>"
                 f"<div style='color:{MUTED}'>{e(self.title_en)}</div>",
                 f"<p><b>{e(t('lesson.purpose'))}</b>: {e(self.purpose)}</p>"]
        if self.case:
            parts.append(f"<div style='{box(WARN)}'><b>{e(t('lesson.why'))}</b>"
                         f"<p style='margin:0.3em 0'>{e(self.case)}</p></div>")
        if self.draft is not None:
            parts.append(self._model_html())
        else:
            note = "lesson.model_hidden" if self.hidden else "lesson.no_model"
            parts.append(f"<p style='color:{MUTED}'>{e(t(note, control=self.number))}</p>")
        if self.tip:
            parts.append(f"<div style='{box(OK)}'><b>💡 {e(t('lesson.tip'))}</b>"
                         f"<p style='margin:0.3em 0'>{e(self.tip)}</p></div>")
        if self.mistakes:
            items = "".join(f"<li>{e(m)}</li>" for m in self.mistakes)
            parts.append(f"<div style='{box(ERROR)}'><b>⚠ {e(t('lesson.mistakes'))}</b>"
                         f"<ul style='margin:0.3em 0'>{items}</ul></div>")
        if self.checks:
            items = "".join(f"<li><b>{e(label)}</b> — {e(why)}</li>" for label, why in self.checks)
            parts.append(f"<details><summary><b>{e(t('lesson.checks'))}</b></summary>"
                         f"<ul>{items}</ul></details>")
        if not self.has_profile:
            parts.append(f"<p style='color:{MUTED}'><small>{e(t('profile.missing'))}</small></p>")
        parts.append("</div>")
        return "".join(parts)

    def _model_html(self):
        e, d = escape, self.draft
        note = ""
        if self.added:
            note = (f"<p style='color:{MUTED}'><small>{e(t('lesson.added_note', traits='、'.join(self.traits)))}"
                    "</small></p>")
        statements = "".join(
            f"<li>{e(s)}" + (f" <span style='border:1px solid {INFO};border-radius:3px;padding:0 3px'>{e(t('lesson.added_mark'))}</span>"
                             if s in self.added else "") + "</li>" for s in d.statements)
        head = "".join(f"<th style='{HEAD_CELL}'>{e(t('drafting.step_' + f))}</th>" for f in STEP_FIELDS)
        rows = "".join("<tr>" + "".join(f"<td style='{CELL}'>{e(getattr(s, f))}</td>" for f in STEP_FIELDS) + "</tr>"
                       for s in d.steps)
        return (f"<div style='{PANEL}'><b>{e(t('lesson.model_standard', company=self.company))}</b>"
                f"<p style='margin:0.3em 0'><b>{e(t('lesson.field_purpose'))}</b>: {e(d.purpose)}<br>"
                f"<b>{e(t('lesson.field_scope'))}</b>: {e(d.scope)}</p>{note}<ol>{statements}</ol>"
                f"<b>{e(t('lesson.model_procedure'))}</b>"
                f"<table style='border-collapse:collapse;margin:0.3em 0'><tr>{head}</tr>{rows}</table>"
                f"<p style='margin:0.3em 0'><b>{e(t('lesson.field_owner'))}</b>: {e(d.owner)}　"
                f"<b>{e(t('lesson.field_review'))}</b>: {e(d.review)}<br>"
                f"<b>{e(t('lesson.field_related'))}</b>: {e('、'.join(d.related))}</p>"
                f"<p style='color:{MUTED};margin:0'><small>{e(t('lesson.adapt'))}</small></p></div>")


def lesson(control, profile=None):
    """The lesson of a control ("6.1" or a catalog Control), fitted to `profile` (default: the saved company profile)."""
    control = resolve_control(control)
    has_profile = profile is not None
    if profile is None:
        profile = load_profile()
        has_profile = bool(profile.company.strip())
    if not isinstance(profile, CompanyProfile):
        profile = CompanyProfile()
    draft, added, traits = None, (), ()
    hidden = model_hidden(control)
    if control.model is not None and not hidden:
        draft = model_draft(control, profile)
        added = tuple(draft.statements[len(control.model.statements):])
        traits = tuple(t(f"drafting.trait_{k}") for k in ("telework", "cloud", "contractors")
                       if profile.traits.get(k) and any(c.when == k for c in control.model.profile_clauses))
    lesson_content = control.lesson
    return LessonView(
        number=control.number,
        title=control.display_title,
        title_en=control.title_en,
        purpose=control.purpose_ja,
        company=profile.name,
        has_profile=has_profile,
        case=lesson_content.case if lesson_content else "",
        tip=lesson_content.tip if lesson_content else "",
        mistakes=tuple(lesson_content.mistakes) if lesson_content else (),
        draft=draft,
        hidden=hidden,
        added=added,
        traits=traits,
        checks=tuple((e.label, e.why) for e in control.rubric),
    )
