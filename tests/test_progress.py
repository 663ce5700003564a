"""The learner's overview (course/progress.py): drafts of the 45 controls by self-check level, the SoA, the incident
answer sheets; the language choice of 00_start."""

import json

import pytest

from course import i18n
from course.answers.store import AnswerStore
from course.catalog import catalog, get_control
from course.drafting.drafts import save_draft
from course.drafting.fit import model_draft
from course.i18n import t
from course.profile import CompanyProfile
from course.progress import LanguageChoice, incident_forms, level_of, progress
from course.answers.draft import Draft


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path / "answers")


@pytest.fixture(autouse=True)
def japanese(monkeypatch):
    monkeypatch.delenv("COURSE_LANG", raising=False)
    i18n.set_lang(None)
    yield
    i18n.set_lang(None)


def test_levels():
    assert [level_of(s) for s in (None, 0.0, 0.49, 0.5, 0.79, 0.8, 1.0)] == \
        ["none", "low", "low", "fair", "fair", "good", "good"]


def test_a_fresh_learner_has_nothing_started(store):
    p = progress(store)
    assert len(p.levels) == len(catalog()) == 45
    assert p.level_counts() == {"good": 0, "fair": 0, "low": 0, "none": 45}
    assert [r.done for r in p.rows] == [0] * len(p.rows)
    assert len(p.rows) == 2 + len(incident_forms())
    assert p.rows[1].total == 37 and p.rows[1].note == t("progress.not_started")


def test_drafts_soa_and_incident_sheets_are_counted(store):
    profile = CompanyProfile(company="株式会社テスト")
    assert save_draft(model_draft(get_control("6.1"), profile), store).ok           # the model: a good self-check
    assert save_draft(Draft(control="5.1", purpose="情報を守る。"), store).ok          # a start: low
    store.save("soa", "soa", {"controls": {"5.1": {"adopted": True, "reason": ""},
                                           "5.2": {"adopted": False, "reason": ""}}})
    first = next(iter(incident_forms()))
    store.save(first, "incident.answers", {"answers": {"a": "PC-07", "b": "", "c": ["x"]}})

    p = progress(store)
    assert p.levels["6.1"] == "good" and p.levels["5.1"] == "low" and p.levels["5.2"] == "none"
    assert p.level_counts() == {"good": 1, "fair": 0, "low": 1, "none": 43}
    drafts, soa, sheet = p.rows[0], p.rows[1], p.rows[2]
    assert (drafts.done, drafts.total) == (2, 45)
    assert (soa.done, soa.total) == (2, 37) and soa.note == t("progress.soa_reasons", rejected=1, missing=1)
    assert sheet.done == 2 and sheet.note == t("progress.incident_state", answered=2)
    assert all(r.done == 0 for r in p.rows[3:])
    html = p._repr_html_()
    assert "data:image/png;base64," in html and t("progress.drafts") in html
    assert list(p.table().columns) == [t(f"progress.col.{c}") for c in ("area", "done", "total", "note")]


def test_a_bad_record_counts_as_not_started_and_is_left_in_place(store):
    store.root.mkdir(parents=True)
    (store.root / "6.1.json").write_text("{broken", encoding="utf-8")
    assert progress(store).levels["6.1"] == "none"
    assert (store.root / "6.1.json").read_text(encoding="utf-8") == "{broken"


def test_the_language_choice_is_saved_and_read_by_every_kernel(store, monkeypatch):
    monkeypatch.setenv("COURSE_ANSWERS_DIR", str(store.root))
    choice = LanguageChoice(store)
    assert choice.dropdown.value == "ja"
    assert choice.choose("en").ok
    assert t("progress.title") == "Your progress"
    assert json.loads((store.root / "settings.json").read_text(encoding="utf-8"))["data"] == {"lang": "en"}
    i18n.set_lang(None)                     # another kernel: no choice in the process, the saved one applies
    assert i18n.current_lang() == "en" and progress(store).rows[0].area == "Drafts (45 controls)"
    monkeypatch.setenv("COURSE_LANG", "ja")  # the environment wins over the saved choice
    assert t("progress.title") == "進み具合"
