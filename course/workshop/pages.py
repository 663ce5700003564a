"""Self-contained HTML pages of the workshop (charts embedded as PNG data): the team's presentation, a team's feedback
page and the instructor's comparison. Every text that learners wrote is html.escape'd (new lines become <br>); the
pages hold no script."""

import base64
from html import escape

from ..fileio import write_atomic
from ..i18n import t
from . import comparison as cmp
from . import content
from .slides import choice_lines

STYLE = """
body{font-family:"Yu Gothic","Hiragino Sans","Noto Sans CJK JP",sans-serif;max-width:1100px;margin:2em auto;
line-height:1.6;color:#222;padding:0 1em}
h1{border-bottom:3px solid #c0392b}h2{border-left:6px solid #c0392b;padding-left:.4em;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #bbb;padding:.3em .5em;vertical-align:top}
th{background:#f4f4f4;text-align:left}.model td{background:#eef8ee}.muted{color:#777}.box{background:#fafafa;
border:1px solid #ddd;padding:.5em 1em;margin:.5em 0}img{max-width:100%}
td.team{min-width:12em}ul.points{font-size:.85em;padding-left:1.2em;margin:.3em 0}
"""


def _text(value):
    value = (value or "").strip()
    if not value:
        return f"<span class='muted'>{escape(t('workshop.unanswered'))}</span>"
    return escape(value).replace("\n", "<br>")


def _img(png, alt):
    return f"<img alt='{escape(alt)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"


def document(title, body):
    return (f"<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>")


def write_page(path, page):
    write_atomic(path, lambda f: f.write(page.encode("utf-8")))
    return path


def _team_title(sheet):
    return f"{t('workshop.team')} {sheet['team'] or t('workshop.self_study')}"


def team_page(sheet):
    """The team's presentation as one page: team and roles, each phase (every question), outcome chart, lessons."""
    roles = "".join(f"<li>{escape(r['ja'])}：{_text(sheet['roles'][r['id']])}</li>" for r in content.roles())
    body = [f"<p>{escape(t('workshop.members'))}：{_text(sheet['members'])}</p><ul>{roles}</ul>"]
    for n, phase in enumerate(content.phases(), 1):
        answers = sheet["phases"][phase["id"]]
        rows = "".join(f"<tr><th>{escape(q['ja'])}</th><td>{_text(answers[q['id']])}</td></tr>"
                       for q in content.questions())
        choices = "".join(f"<li>{escape(line)}</li>" for line in choice_lines(sheet, phase))
        body.append(f"<h2>{escape(t('workshop.phase_heading', n=n, phase=phase['ja']))}</h2>"
                    f"<p><b>{escape(t('workshop.decisions'))}</b></p><ul>{choices}</ul><table>{rows}</table>")
    outcome = cmp.team_outcome(sheet)
    body.append(f"<h2>{escape(t('workshop.outcome'))}</h2>{_img(cmp.team_chart_png(sheet), t('workshop.outcome'))}")
    if outcome.issues:
        body.append(f"<p><b>{escape(t('workshop.issues'))}</b></p><ul>"
                    + "".join(f"<li>{escape(i)}</li>" for i in outcome.issues) + "</ul>")
    body.append(f"<h2>{escape(t('workshop.lessons_title'))}</h2><div class='box'>{_text(sheet['lessons'])}</div>")
    return document(f"{t('workshop.presentation_title')}：{_team_title(sheet)}", "".join(body))


def feedback_page(team, collected):
    """collected: feedback.collect(...)[team] = {"ratings": [...], "instructor": text}."""
    from .feedback import averages

    criteria = content.criteria()
    ratings = collected.get("ratings", [])
    body = []
    if collected.get("instructor"):
        body.append(f"<h2>{escape(t('workshop.feedback.instructor_comment'))}</h2>"
                    f"<div class='box'>{_text(collected['instructor'])}</div>")
    if ratings:
        avg = averages(ratings)
        head = "".join(f"<th>{escape(c['ja'])}</th>" for c in criteria)
        rows = "".join(
            f"<tr><td>{escape(r['from'])}</td>"
            + "".join(f"<td>{escape(str(r.get(c['id']) or '—'))}</td>" for c in criteria)
            + f"<td>{_text(r.get('comment'))}</td><td>{_text(r.get('improve'))}</td></tr>" for r in ratings)
        rows += ("<tr class='model'><td>" + escape(t("workshop.feedback.average")) + "</td>"
                 + "".join(f"<td>{escape(format(avg[c['id']], '.1f') if avg[c['id']] is not None else '—')}</td>"
                           for c in criteria) + "<td></td><td></td></tr>")
        body.append(f"<h2>{escape(t('workshop.feedback.heading'))}</h2><table><tr><th>{escape(t('workshop.team'))}</th>"
                    f"{head}<th>{escape(t('workshop.feedback.comment'))}</th>"
                    f"<th>{escape(content.text(content.format_content()['feedback']['improve']))}</th></tr>{rows}</table>")
    if not body:
        body.append(f"<p>{escape(t('workshop.feedback.none'))}</p>")
    return document(t("workshop.feedback.page_title", team=team), "".join(body))


def comparison_page(result):
    """The teams' decisions side by side with the model per phase, choices per inject, outcomes, points missed."""
    teams = result.teams
    body = [f"<p>{escape('、'.join(t('workshop.team') + ' ' + name for name in teams))}</p>"]
    for n, phase in enumerate(content.phases(), 1):
        head = "".join(f"<th>{escape(q['ja'].split('（')[0])}</th>" for q in content.questions())
        rows = ""
        for name, sheet in result.sheets.items():
            answers = sheet["phases"][phase["id"]]
            covered = result.coverage[name][phase["id"]]
            marks = "".join(f"<li>{'✅' if covered[k['id']] else '❌'} {escape(k['ja'])}</li>" for k in phase["key_points"])
            rows += (f"<tr><td class='team'><b>{escape(name)}</b><ul class='points'>{marks}</ul></td>"
                     + "".join(f"<td>{_text(answers[q['id']])}</td>" for q in content.questions()) + "</tr>")
        rows += (f"<tr class='model'><td><b>{escape(t('workshop.model'))}</b></td>"
                 + "".join(f"<td>{_text(phase['model'][q['id']])}</td>" for q in content.questions()) + "</tr>")
        body.append(f"<h2>{escape(t('workshop.phase_heading', n=n, phase=phase['ja']))}</h2>"
                    f"<table><tr><th>{escape(t('workshop.team'))}</th>{head}</tr>{rows}</table>")
    rows_by_team = {name: cmp.decision_rows(sheet) for name, sheet in result.sheets.items()}
    head = "".join(f"<th>{escape(name)}</th>" for name in teams)
    rows = ""
    for i, inj in enumerate(content.injects()):
        cells = "".join(f"<td>{'✅' if rows_by_team[name][i]['agrees'] else '❌'} {escape(rows_by_team[name][i]['yours'])}</td>"
                        for name in teams)
        model = rows_by_team[teams[0]][i]["model"] if teams else ""
        rows += f"<tr><td>{escape(inj['time'])}</td>{cells}<td>{escape(model)}</td></tr>"
    body.append(f"<h2>{escape(t('workshop.compare.by_inject'))}</h2><table><tr><th></th>{head}"
                f"<th>{escape(t('workshop.model'))}</th></tr>{rows}</table>")
    body.append(f"<h2>{escape(t('workshop.compare.outcomes'))}</h2>"
                f"{_img(cmp.comparison_chart_png(result), t('workshop.compare.outcomes'))}")
    labels = ("hosts", "data_lost", "downtime")
    from ..incident.tabletop import tabletop_content

    names = tabletop_content()["labels"]
    head = "".join(f"<th>{escape(content.text(names[k]))}</th>" for k in labels)
    rows = "".join(f"<tr><td>{escape(name)}</td>" + "".join(f"<td>{getattr(o, k):g}</td>" for k in labels) + "</tr>"
                   for name, o in [*result.outcomes.items(), (t("workshop.model"), result.model_outcome)])
    body.append(f"<table><tr><th></th>{head}</tr>{rows}</table>")
    body.append(f"<h2>{escape(t('workshop.compare.missed'))}</h2>")
    if result.missed:
        body.append("<ul>" + "".join(
            f"<li><b>{escape(m.phase['ja'])}：{escape(m.point['ja'])}</b>（"
            f"{escape(t('workshop.compare.missed_by', n=m.count, total=m.total))}：{escape('、'.join(m.teams))}）</li>"
            for m in result.missed) + "</ul>")
    else:
        body.append(f"<p>{escape(t('workshop.compare.none_missed'))}</p>")
    body.append(f"<h2>{escape(t('workshop.debrief'))}</h2><ol>"
                + "".join(f"<li>{escape(content.text(q))}</li>" for q in content.debrief_questions()) + "</ol>")
    title = t("workshop.compare.title") if len(teams) > 1 else t("workshop.compare.self_title")
    return document(title, "".join(body))


def fragment(page):
    """The body of a page without its style sheet, to show inside a notebook (the style would restyle JupyterLab)."""
    return page.split("<body>", 1)[1].rsplit("</body>", 1)[0]
