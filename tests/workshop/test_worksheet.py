"""The team worksheet: restore, hub defaults, and two kernels saving at once never lose each other's input."""

import json

from course.answers.store import AnswerStore
from course.workshop import content
from course.workshop.worksheet import KEY, KIND, WorksheetForm, load_worksheet, merge, normalize


def two_kernels(tmp_path):
    """Two forms on one answers folder, each with its own store: two kernels (the notebook open twice)."""
    return WorksheetForm(AnswerStore(tmp_path)), WorksheetForm(AnswerStore(tmp_path))


def saved(tmp_path):
    return load_worksheet(AnswerStore(tmp_path))


def test_edits_of_two_members_in_different_fields_both_arrive(tmp_path):
    a, b = two_kernels(tmp_path)
    a.answers["detect"]["know"].value = "経理部と製造部のファイルが開けない"
    b.answers["contain"]["decide"].value = "電源は入れたまま切り離す"   # b's form never saw a's save
    a.decisions["first_report"].value = "isolate_now"
    b.roles["scribe"].value = "鈴木"
    sheet = saved(tmp_path)
    assert sheet["phases"]["detect"]["know"] == "経理部と製造部のファイルが開けない"
    assert sheet["phases"]["contain"]["decide"] == "電源は入れたまま切り離す"
    assert sheet["decisions"]["first_report"] == "isolate_now" and sheet["roles"]["scribe"] == "鈴木"
    # each form now shows the other's input too
    assert b.answers["detect"]["know"].value == "経理部と製造部のファイルが開けない"
    assert a.answers["contain"]["decide"].value == "電源は入れたまま切り離す"
    assert "合わせました" in b.status.value or "合わせました" in a.status.value


def test_the_same_field_written_on_both_sides_keeps_both_texts_and_says_so(tmp_path):
    a, b = two_kernels(tmp_path)
    a.answers["recover"]["tell"].value = "個人情報保護委員会に速報"
    b.answers["recover"]["tell"].value = "保険会社に連絡"
    text = saved(tmp_path)["phases"]["recover"]["tell"]
    assert "個人情報保護委員会に速報" in text and "保険会社に連絡" in text
    assert "復旧：誰に何を伝えるか" in b.status.value
    assert any("復旧：誰に何を伝えるか" in o["text"] for o in b.messages.outputs)
    # typing on after the merge does not duplicate the other text
    b.answers["recover"]["tell"].value = text + "。警察に相談"
    assert saved(tmp_path)["phases"]["recover"]["tell"].count("個人情報保護委員会に速報") == 1


def test_choices_on_both_sides(tmp_path):
    a, b = two_kernels(tmp_path)
    a.decisions["notify"].value = ("ppc", "police")
    b.decisions["notify"].value = ("insurer",)
    assert set(saved(tmp_path)["decisions"]["notify"]) == {"ppc", "police", "insurer"}
    a.decisions["power"].value = "power_off"
    b.decisions["power"].value = "disconnect_keep_on"  # one choice: the later save wins, the other is in history
    assert saved(tmp_path)["decisions"]["power"] == "disconnect_keep_on"
    versions = [json.loads(p.read_text())["data"]["decisions"]["power"] for p in AnswerStore(tmp_path).history(KEY)]
    assert "power_off" in versions


def test_merge_takes_each_side_where_only_it_changed():
    base = normalize({})
    mine = normalize({"phases": {"detect": {"know": "mine"}}, "lessons": "same"})
    theirs = normalize({"phases": {"analyze": {"who": "theirs"}}, "lessons": "same"})
    merged, clashes = merge(base, mine, theirs)
    assert merged["phases"]["detect"]["know"] == "mine" and merged["phases"]["analyze"]["who"] == "theirs"
    assert clashes == []


def test_reopening_restores_and_opening_saves_nothing(tmp_path):
    form = WorksheetForm(AnswerStore(tmp_path), env={})
    assert not (tmp_path / f"{KEY}.json").exists()
    form.lessons.value = "切り離しの手順を決める"
    again = WorksheetForm(AnswerStore(tmp_path), env={})
    assert again.lessons.value == "切り離しの手順を決める" and again.revision == form.revision


def test_a_team_workspace_starts_with_the_team_from_the_hub(tmp_path):
    form = WorksheetForm(AnswerStore(tmp_path), env={"COURSE_WORKSHOP_TEAM": "B",
                                                     "COURSE_WORKSHOP_MEMBERS": "sato,ito"})
    assert (form.team.value, form.members.value) == ("B", "sato、ito")
    assert saved(tmp_path)["team"] == "B"


def test_a_foreign_record_is_set_aside_and_the_form_opens_empty(tmp_path):
    AnswerStore(tmp_path).save(KEY, KIND, {"x": 1})
    (tmp_path / f"{KEY}.json").write_text('{"schema": "course.answer/1", "key": "workshop_worksheet", '
                                          '"kind": "workshop.worksheet", "revision": 1, "data": [1, 2]}')
    form = WorksheetForm(AnswerStore(tmp_path), env={})
    assert form.team.value == "" and list(tmp_path.glob(f"{KEY}.json.unreadable-*"))


def test_every_phase_has_a_field_for_every_question():
    form_keys = {p: set(q) for p, q in normalize({})["phases"].items()}
    assert form_keys == {p["id"]: set(content.question_ids()) for p in content.phases()}
    assert [p["ja"] for p in content.phases()] == ["検知", "分析", "封じ込め", "根絶", "復旧"]
