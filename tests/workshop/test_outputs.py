"""Presentations (.pptx read back), pages (escaped), feedback, the comparison of five simulated teams, the commands."""

import numpy as np
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from course.cli import main
from course.workshop import content, feedback
from course.workshop.comparison import compare, coverage
from course.workshop.demo import simulate_worksheet
from course.workshop.pages import comparison_page, feedback_page, team_page
from course.workshop.slides import EAST_ASIAN_FONT, comparison_presentation, team_presentation
from course.workshop.worksheet import normalize

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def model_sheet(team="A"):
    sheet = normalize({"team": team, "members": "田中、鈴木", "lessons": "最初の 1 時間が大事でした"})
    for phase in content.phases():
        sheet["phases"][phase["id"]] = dict(phase["model"])
    return sheet


def slide_texts(prs):
    return ["\n".join(frame_text(shape) for shape in slide.shapes) for slide in prs.slides]


def frame_text(shape):
    if shape.has_text_frame:
        return shape.text_frame.text
    if getattr(shape, "has_table", False) and shape.has_table:
        return "\n".join(cell.text for row in shape.table.rows for cell in row.cells)
    return ""


def east_asian_fonts(prs):
    return {ea.get("typeface") for slide in prs.slides for ea in slide.part._element.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}ea")}


def test_team_presentation_reads_back(tmp_path):
    path = team_presentation(model_sheet(), tmp_path / "team.pptx")
    prs = Presentation(str(path))
    texts = slide_texts(prs)
    assert len(prs.slides) == 1 + len(content.phases()) + 2  # title, phases, outcome chart, lessons
    assert "チーム A" in texts[0] and "田中、鈴木" in texts[0]
    for i, phase in enumerate(content.phases(), 1):
        assert phase["ja"] in texts[i] and phase["model"]["decide"] in texts[i] and phase["model"]["reason"] in texts[i]
    assert [s.shape_type for s in prs.slides[-2].shapes].count(MSO_SHAPE_TYPE.PICTURE) == 1
    assert "最初の 1 時間が大事でした" in texts[-1]
    assert east_asian_fonts(prs) == {EAST_ASIAN_FONT}
    runs = [r for s in prs.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]
    assert runs and all(r._r.rPr.get("lang") == "ja-JP" for r in runs)
    theme = prs.slide_master.part.part_related_by(RT.THEME).blob.decode()
    assert theme.count(f'<a:ea typeface="{EAST_ASIAN_FONT}"/>') == 2  # major and minor fonts


def test_empty_fields_show_as_not_filled_in(tmp_path):
    prs = Presentation(str(team_presentation(normalize({}), tmp_path / "empty.pptx")))
    assert "（未記入）" in slide_texts(prs)[1] and "個人学習" in slide_texts(prs)[0]


def five_teams():
    rng = np.random.default_rng(5)
    skills = [0.95, 0.75, 0.6, 0.45, 0.3]
    return {name: simulate_worksheet(name, ["田中", "鈴木", "佐藤"], skill, rng)
            for name, skill in zip("ABCDE", skills)}


def test_comparison_of_five_teams():
    sheets = five_teams()
    result = compare(sheets)
    assert result.teams == list("ABCDE")
    for missed in result.missed:  # recount by hand: a point is missed when no field of its phase names a term
        by_hand = [name for name, sheet in sheets.items()
                   if not any(term in "".join(sheet["phases"][missed.phase["id"]].values()) for term in missed.point["terms"])]
        assert missed.teams == by_hand and 2 * len(by_hand) >= 5
    all_points = [(p["id"], k["id"]) for p in content.phases() for k in p["key_points"]]
    listed = {(m.phase["id"], m.point["id"]) for m in result.missed}
    for phase, point in set(all_points) - listed:
        assert sum(not result.coverage[n][phase][point] for n in sheets) * 2 < 5
    counts = [m.count for m in result.missed]
    assert counts == sorted(counts, reverse=True)
    assert result.model_outcome.hosts <= min(o.hosts for o in result.outcomes.values())
    assert len({(o.hosts, o.downtime) for o in result.outcomes.values()}) > 1  # the teams' outcomes differ


def test_the_model_covers_every_key_point_and_an_empty_sheet_none():
    assert all(all(points.values()) for points in coverage(model_sheet()).values())
    assert not any(any(points.values()) for points in coverage(normalize({})).values())
    assert compare({"A": normalize({})}).missed and not compare({"A": model_sheet()}).missed


def test_comparison_presentation_reads_back(tmp_path):
    prs = Presentation(str(comparison_presentation(compare(five_teams()), tmp_path / "c.pptx")))
    texts = slide_texts(prs)
    assert len(prs.slides) == 1 + len(content.phases()) + 3  # title, phases, chart, missed points, debrief
    assert all(f"\n{name}\n" in texts[1] for name in "ABCDE") and "模範" in texts[1]
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in prs.slides[len(content.phases()) + 1].shapes)
    assert east_asian_fonts(prs) == {EAST_ASIAN_FONT}


def test_pages_escape_learner_text():
    bad = model_sheet(team=SCRIPT)
    bad["phases"]["detect"]["know"] = SCRIPT
    bad["lessons"] = SCRIPT
    pages = [team_page(bad), comparison_page(compare({SCRIPT: bad})),
             feedback_page(SCRIPT, {"ratings": [{"from": SCRIPT, "focus": 4, "originality": 3, "comment": SCRIPT,
                                                 "improve": SCRIPT}], "instructor": SCRIPT})]
    for page in pages:
        assert "<script" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
        assert "data:image/png;base64," in page or "講評" in page


def test_feedback_is_collected_per_rated_team(tmp_path):
    from course.answers.store import AnswerStore

    for rater, ratings in {"A": {"B": {"focus": 5, "originality": 3, "comment": "早い切り離し"},
                                 "A": {"focus": 5}},
                           "C": {"B": {"focus": 3, "originality": None, "improve": "保険会社"}, "A": {}}}.items():
        AnswerStore(tmp_path / rater / "answers").save(feedback.KEY, feedback.KIND, {"from": rater, "ratings": ratings})
    AnswerStore(tmp_path / "instructor" / "answers").save(feedback.INSTRUCTOR_KEY, feedback.INSTRUCTOR_KIND,
                                                          {"comments": {"B": "よくできました", "A": ""}})
    got = feedback.collect({"A": tmp_path / "A", "C": tmp_path / "C"}, tmp_path / "instructor")
    assert set(got) == {"B"}  # A rating itself and C's empty row for A are not feedback
    assert [r["from"] for r in got["B"]["ratings"]] == ["A", "C"] and got["B"]["instructor"] == "よくできました"
    assert feedback.averages(got["B"]["ratings"]) == {"focus": 4.0, "originality": 3.0}
    page = feedback_page("B", got["B"])
    assert "早い切り離し" in page and "保険会社" in page and "4.0" in page


def test_feedback_form_rates_the_other_teams_and_keeps_rows_it_does_not_show(tmp_path):
    from course.answers.store import AnswerStore

    store = AnswerStore(tmp_path)
    form = feedback.FeedbackForm(["A", "B", "C"], own_team="B", store=store)
    assert list(form.rows) == ["A", "C"]
    form.rows["A"]["scores"]["focus"].value = 4
    form.rows["C"]["improve"].value = "記録の担当を決める"
    smaller = feedback.FeedbackForm(["A", "B"], own_team="B", store=store)  # C not shown, not lost
    smaller.rows["A"]["comment"].value = "分かりやすい"
    data = store.load(feedback.KEY, feedback.KIND).record.data
    assert data["ratings"]["C"]["improve"] == "記録の担当を決める" and data["ratings"]["A"]["focus"] == 4


def test_demo_command_writes_every_file(tmp_path, capsys):
    assert main(["workshop", "demo", "--teams", "5", "--out", str(tmp_path)]) == 0
    for name in "ABCDE":
        for file in ("presentation.pptx", "presentation.html", "feedback.html"):
            assert (tmp_path / f"team_{name}" / file).stat().st_size > 1000
        assert "講師のコメント" in (tmp_path / f"team_{name}" / "feedback.html").read_text()
    page = (tmp_path / "comparison.html").read_text()
    assert all(f"<b>{name}</b>" in page for name in "ABCDE") and "多くのチームが見落とした点" in page
    assert Presentation(str(tmp_path / "comparison.pptx")).slides
    assert "comparison.html" in capsys.readouterr().out


def test_summary_command(tmp_path, capsys):
    assert main(["workshop", "demo", "--teams", "2", "--out", str(tmp_path / "demo")]) == 0
    answers = tmp_path / "demo" / "teams" / "B" / "answers"
    assert main(["workshop", "summary", "--team", "B", "--out", str(tmp_path / "b.pptx"), "--answers", str(answers)]) == 0
    assert len(Presentation(str(tmp_path / "b.pptx")).slides) == 8
    assert main(["workshop", "summary", "--team", "B", "--out", str(tmp_path / "b.html"), "--answers", str(answers)]) == 0
    assert "チーム B" in (tmp_path / "b.html").read_text()
    assert main(["workshop", "summary", "--team", "A", "--out", str(tmp_path / "x.pptx"), "--answers", str(answers)]) != 0
    assert main(["workshop", "summary", "--team", "B", "--out", str(tmp_path / "x.pdf"), "--answers", str(answers)]) != 0
    assert main(["workshop", "summary", "--team", "B", "--out", str(tmp_path / "x.pptx"), "--answers", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert "指定の「A」と違います" in err and ".pptx か .html" in err and "ワークシートの記録" in err


@pytest.mark.parametrize("teams", [0, 27])
def test_demo_refuses_a_bad_team_count(tmp_path, teams, capsys):
    assert main(["workshop", "demo", "--teams", str(teams), "--out", str(tmp_path)]) != 0
    assert "チームの数" in capsys.readouterr().err
