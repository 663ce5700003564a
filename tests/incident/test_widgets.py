"""Widgets without a browser: answers are saved to the AnswerStore and restored; buttons run the checks."""

import json

import pytest

from course.answers.store import AnswerStore
from course.incident import checks as C
from course.incident import tabletop as TT
from course.incident.forms import KIND, AnswerSheet, ChoiceList, load_answers
from course.incident.triage import TriageBoard, check_triage, model_ranking
from fixtures.incident import scenario


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path / "answers")


def test_choice_list_value_and_boxes_stay_in_step():
    cl = ChoiceList([("A", "a"), ("B", "b"), ("C", "c")], ("b",))
    assert cl.value == ("b",)
    cl.children[0].value = True
    assert cl.value == ("a", "b")
    cl.value = ("c",)
    assert [box.value for box in cl.children] == [False, False, True]


def test_answer_sheet_saves_every_change_and_restores(store):
    s = scenario(2)
    sheet = AnswerSheet("ir_analyze", s, store)
    sheet.inputs["first_host"].value = " pc-x "
    sheet.inputs["infected_hosts"].value = "FS01\nDC01"
    sheet.inputs["entry_route"].value = "vpn"
    saved = json.loads(store.path("ir_analyze").read_text(encoding="utf-8"))
    assert saved["kind"] == KIND and saved["data"]["answers"]["first_host"] == " pc-x "
    assert saved["data"]["answers"]["infected_hosts"] == ["FS01", "DC01"]
    again = AnswerSheet("ir_analyze", s, store)
    assert again.inputs["first_host"].value == " pc-x "
    assert again.inputs["infected_hosts"].value == "FS01\nDC01"
    assert again.inputs["entry_route"].value == "vpn"
    assert "前回の回答" in again.status.value


def test_answer_sheet_check_button_with_model_answers(store):
    s = scenario(3)
    sheet = AnswerSheet("ir_contain", s, store)
    for fid, value in C.model_answers("ir_contain", s).items():
        widget = sheet.inputs[fid]
        widget.value = tuple(value) if isinstance(widget, ChoiceList) else (
            "\n".join(value) if isinstance(value, list) else value)
    sheet.check_button.click()
    assert sheet.result.ok
    assert sheet.output.outputs            # the result is shown below the form
    assert load_answers("ir_contain", store)["power"] == "disconnect_keep_on"


def test_empty_sheet_check_says_no_answer_yet(store):
    sheet = AnswerSheet("ir_detect", scenario(2), store)
    sheet.check_button.click()
    assert not sheet.result.ok
    assert all(f.status == "missing" for f in sheet.result.fields.values())


def test_a_bad_saved_file_is_set_aside_and_the_form_opens_empty(store):
    store.root.mkdir(parents=True)
    store.path("ir_detect").write_text("{not json", encoding="utf-8")
    sheet = AnswerSheet("ir_detect", scenario(2), store)
    assert sheet.inputs["ransom_extension"].value == ""
    assert "退避" in sheet.status.value
    assert list(store.root.glob("ir_detect.json.unreadable-*"))


def test_saved_values_of_the_wrong_type_do_not_break_the_form(store):
    store.save("ir_recover", KIND, {"answers": {"eradication": "pay_ransom", "restore_order": 5,
                                                "last_clean_backup": ["x"]}})
    sheet = AnswerSheet("ir_recover", scenario(2), store)
    assert sheet.inputs["eradication"].value == ()
    sheet.check_button.click()
    assert sheet.result is not None


def test_triage_board_saves_restores_and_checks(store):
    board = TriageBoard(store)
    for rank, rid in enumerate(model_ranking(), start=1):
        board.selectors[rid].value = rank
    board.check_button.click()
    assert board.result.ok
    again = TriageBoard(store)
    assert again.ranks == {rid: i for i, rid in enumerate(model_ranking(), start=1)}
    again.selectors[model_ranking()[0]].value = len(model_ranking())
    again.selectors[model_ranking()[-1]].value = 1
    again.check_button.click()
    assert not again.result.ok
    msgs = " ".join(again.result.messages)
    assert "もっと先" in msgs and "もっと後" in msgs


def test_triage_check_tolerates_bad_answers():
    assert check_triage({"R1": 1, "R2": 1}).fields["R1"].status == "invalid"
    assert check_triage("R1").fields["R1"].status == "invalid"
    assert check_triage({"R99": 1}).fields["R1"].status == "invalid"
    assert check_triage({"R1": "一"}).fields["R1"].status == "invalid"
    assert check_triage(None).fields["R1"].status == "missing"
    same_level_swapped = model_ranking()[:]
    same_level_swapped[0], same_level_swapped[1] = same_level_swapped[1], same_level_swapped[0]
    assert check_triage(same_level_swapped).ok      # R1 and R2 are both "at once"


def test_tabletop_widget_steps_saves_restores_and_shows_the_result(store):
    w = TT.TabletopWidget(store)
    assert len(w.board.children) == 1 and w.result_button.disabled
    assert w.next() is False                          # the current inject must be answered first
    choices = {"first_report": "investigate_first", "power": "power_off", "backup": "stop_now",
               "ransom": "refuse_consult", "notify": ("ppc", "police"), "restore": "eradicate_then_restore"}
    for inject in TT.injects():
        w.decisions[inject["id"]].value = choices[inject["id"]]
        w.next_button.click()
    assert w.step == len(TT.injects()) and not w.result_button.disabled
    again = TT.TabletopWidget(store)
    assert again.step == w.step and again.value == w.value
    again.result_button.click()
    expected = TT.outcome({k: list(v) if isinstance(v, tuple) else v for k, v in choices.items()})
    assert again.outcome == expected
    assert again.output.outputs


def test_widgets_do_not_need_an_ipython_shell(store):
    from IPython import get_ipython

    sheet = AnswerSheet("ir_detect", scenario(2), store)
    sheet.check_button.click()
    w = TT.TabletopWidget(store)
    w.show_result()
    assert get_ipython() is None
    assert any("image/png" in o.get("data", {}) for o in w.output.outputs)
    assert "text/html" in sheet.output.outputs[-1]["data"]


def test_show_sends_a_figure_as_png_only():
    """A Figure's _repr_html_ returns None; sent as text/html it would show as 'null' in JupyterLab."""
    import ipywidgets as W

    from course.incident.forms import show
    from course.plotting import figure

    out = W.Output()
    fig, ax = figure(figsize=(2, 2))
    ax.plot([1, 2], [1, 2])
    show(out, fig)
    data = out.outputs[-1]["data"]
    assert "image/png" in data and "text/html" not in data
