"""PowerPoint (.pptx) files of the workshop, made with python-pptx: the team's presentation and the instructor's
comparison for the debrief. Japanese shows properly in PowerPoint: the theme's East Asian fonts are Yu Gothic and
every run carries East Asian font and language ja-JP (PowerPoint and LibreOffice substitute another Japanese font
where Yu Gothic is missing).

    team_presentation(sheet, "team_A.pptx")
    comparison_presentation(compare(sheets), "comparison.pptx")
"""

import io

from ..fileio import write_atomic
from ..i18n import t
from . import comparison as cmp
from . import content

EAST_ASIAN_FONT = "Yu Gothic"  # the same as course/word.py for Word
WIDE = (13.333, 7.5)           # 16:9, in inches


def _new():
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDE[0]), Inches(WIDE[1])
    return prs


def use_japanese_fonts(prs, font=EAST_ASIAN_FONT):
    """East Asian font of the theme (major and minor) and of every run; language ja-JP on every run."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml.ns import qn

    theme = prs.slide_master.part.part_related_by(RT.THEME)
    xml = etree.fromstring(theme.blob)
    for kind in ("a:majorFont", "a:minorFont"):
        for ea in xml.iter(qn(kind)):
            ea.find(qn("a:ea")).set("typeface", font)
    theme._blob = etree.tostring(xml, xml_declaration=True, encoding="UTF-8", standalone=True)
    for slide in prs.slides:
        for shape in slide.shapes:
            for frame in _frames(shape):
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        rpr = run._r.get_or_add_rPr()
                        rpr.set("lang", "ja-JP")
                        rpr.set("altLang", "en-US")
                        ea = rpr.find(qn("a:ea"))
                        if ea is None:
                            ea = etree.SubElement(rpr, qn("a:ea"))
                            latin = rpr.find(qn("a:latin"))  # schema order: latin, ea, cs
                            if latin is not None:
                                latin.addnext(ea)
                        ea.set("typeface", font)
    return prs


def _frames(shape):
    if shape.has_text_frame:
        yield shape.text_frame
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                yield cell.text_frame


def _size(text, big=20, small=12):
    """A font size that keeps a long answer on its slide (the text is never cut)."""
    n = len(text)
    return big if n < 120 else max(small, big - (n - 120) // 40)


def _fill(frame, items, size=None):
    """items: [(heading or None, text)] -> paragraphs; empty text shows （未記入）."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Pt

    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    frame.clear()
    first = True
    for heading, text in items:
        text = text.strip() or t("workshop.unanswered")
        for part, bold in (((heading, True),) if heading else ()) + ((text, False),):
            paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
            first = False
            run = paragraph.add_run()
            run.text = part
            run.font.bold = bold
            run.font.size = Pt(size or _size(text))


def _title_slide(prs, title, subtitle):
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = title
    slide.placeholders[1].text = subtitle
    return slide


def _text_slide(prs, title, items, size=None):
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    slide.shapes.title.text = title
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.5), Inches(WIDE[0] - 1.2), Inches(WIDE[1] - 2.0))
    _fill(box.text_frame, items, size)
    return slide


def _picture_slide(prs, title, png):
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = title
    slide.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.6), width=Inches(WIDE[0] - 1.2))
    return slide


def _table_slide(prs, title, header, rows, widths):
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = title
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(0.4), Inches(1.4), Inches(WIDE[0] - 0.8),
                                   Inches(0.4 * (len(rows) + 1)))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    longest = max((len(c) for r in rows for c in r), default=0)
    size = 12 if longest < 80 else 10 if longest < 160 else 8
    for i, row in enumerate([header, *rows]):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = i == 0
    return slide


def _save(prs, path):
    use_japanese_fonts(prs)
    write_atomic(path, prs.save)
    return path


def _team_title(sheet):
    return f"{t('workshop.team')} {sheet['team'] or t('workshop.self_study')}"


def choice_lines(sheet, phase):
    """「時刻 選んだ判断」 for the injects of a phase (the team's choices)."""
    rows = {r["inject"]: r for r in cmp.decision_rows(sheet)}
    chosen = sheet["decisions"]
    return [f"{rows[i]['time']}　{rows[i]['yours'] if chosen.get(i) else t('workshop.not_decided')}"
            for i in phase["injects"]]


def team_presentation(sheet, path):
    """Title (team, members, roles), one slide per phase (decisions and reasons), the outcome chart, lessons."""
    prs = _new()
    roles = "　".join(f"{r['ja']}：{sheet['roles'][r['id']] or '—'}" for r in content.roles())
    _title_slide(prs, f"{t('workshop.presentation_title')}\n{_team_title(sheet)}",
                 f"{t('workshop.members')}：{sheet['members'] or '—'}\n{roles}")
    questions = {q["id"]: q["ja"].split("（")[0] for q in content.questions()}
    for n, phase in enumerate(content.phases(), 1):
        answers = sheet["phases"][phase["id"]]
        items = [(questions["decide"], answers["decide"]), (questions["reason"], answers["reason"]),
                 (t("workshop.decisions"), "\n".join(choice_lines(sheet, phase))),
                 (questions["who"], answers["who"]), (questions["tell"], answers["tell"])]
        longest = sum(len(v) for _, v in items)
        _text_slide(prs, t("workshop.phase_heading", n=n, phase=phase["ja"]), items,
                    size=18 if longest < 250 else 14 if longest < 500 else 11)
    _picture_slide(prs, t("workshop.outcome"), cmp.team_chart_png(sheet))
    issues = cmp.team_outcome(sheet).issues
    items = [(t("workshop.lessons_title"), sheet["lessons"])]
    if issues:
        items.append((t("workshop.issues"), "\n".join(f"・{i}" for i in issues)))
    _text_slide(prs, t("workshop.lessons_title"), items, size=16 if len(sheet["lessons"]) < 300 else 12)
    return _save(prs, path)


def comparison_presentation(result, path):
    """The debrief: per phase the teams' decisions next to the model's, the outcome chart, the points most missed."""
    prs = _new()
    _title_slide(prs, t("workshop.compare.title"), "、".join(f"{t('workshop.team')} {name}" for name in result.teams))
    questions = {q["id"]: q["ja"].split("（")[0] for q in content.questions()}
    header = [t("workshop.team"), questions["decide"], questions["reason"]]
    for n, phase in enumerate(content.phases(), 1):
        rows = [[name, sheet["phases"][phase["id"]]["decide"] or t("workshop.unanswered"),
                 sheet["phases"][phase["id"]]["reason"] or t("workshop.unanswered")]
                for name, sheet in result.sheets.items()]
        rows.append([t("workshop.model"), phase["model"]["decide"], phase["model"]["reason"]])
        _table_slide(prs, t("workshop.phase_heading", n=n, phase=phase["ja"]), header, rows, [1.5, 6.0, 4.53])
    _picture_slide(prs, t("workshop.compare.outcomes"), cmp.comparison_chart_png(result))
    if result.missed:
        lines = [f"{m.phase['ja']}：{m.point['ja']}（{t('workshop.compare.missed_by', n=m.count, total=m.total)}）"
                 for m in result.missed]
    else:
        lines = [t("workshop.compare.none_missed")]
    _text_slide(prs, t("workshop.compare.missed"), [(None, "\n".join(lines))], size=16 if len(lines) < 10 else 12)
    _text_slide(prs, t("workshop.debrief"), [(None, "\n".join(f"・{content.text(q)}" for q in content.debrief_questions()))],
                size=18)
    return _save(prs, path)
