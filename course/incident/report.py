"""The after-action report (ir_05), built from the learner's own saved answers, as Markdown and Word (.docx).

    report = build_report()                         # reads answers/ir_*.json, the company profile, the tabletop
    md_path, docx_path = write_report("output")     # output/incident_report.md and .docx (atomic writes)

Unanswered items say 「（未回答）」, so the report can be written at any time. The notification table (who must be
told, by when, on what basis) comes from course/content/incident/notifications.yaml, with dates counted from the
day the incident was discovered. Sources are named at the end.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..drafting.markdown import paragraph, table_cell
from ..answers.store import AnswerStore
from ..errors import CourseError
from ..fileio import write_atomic
from ..i18n import both, t
from ..profile import load_profile
from ..word import use_japanese_fonts
from . import checks, content
from .forms import load_answers

FORMS = ("ir_detect", "ir_analyze", "ir_contain", "ir_recover", "ir_post")
SOURCES = (
    "NIST SP 800-61 Rev. 3 (2025), Incident Response Recommendations and Considerations for Cybersecurity Risk "
    "Management: A CSF 2.0 Community Profile（Rev. 2 のライフサイクルも参照）",
    "JPCERT/CC「インシデントハンドリングマニュアル」",
    "IPA「中小企業のためのセキュリティインシデント対応の手引き」",
    "CISA「#StopRansomware Guide」",
    "個人情報の保護に関する法律（個人情報保護法）第26条、個人情報保護委員会規則、同委員会のガイドライン（通則編）",
)


class ReportError(CourseError):
    pass


@dataclass
class Section:
    title: str
    paragraphs: list = field(default_factory=list)
    table: list | None = None         # rows of strings; the first row is the header


@dataclass
class Report:
    title: str
    company: str
    created: str
    sections: list = field(default_factory=list)


# -- values as text ------------------------------------------------------------------------------------------------

def _missing():
    return t("incident.report.missing")


def _text(value):
    if checks.is_empty(value):
        return _missing()
    if isinstance(value, (list, tuple)):
        return "、".join(str(v).strip() for v in value if str(v).strip())
    return str(value).strip()


def _items(value):
    """A list answer as a list of strings, or [] for anything that is not one (never raises)."""
    if checks.is_empty(value):
        return []
    try:
        return [str(v) for v in checks.split_items(value)]
    except checks.Invalid:
        return []


def _time_text(value):
    if checks.is_empty(value):
        return _missing()
    try:
        return f"{checks.norm_time(value):%Y-%m-%d %H:%M}"
    except checks.Invalid:
        return str(value)


def _option_labels(decision, value):
    opts = {o["id"]: content.text(o) for o in checks.decisions()[decision]["options"]}
    if checks.is_empty(value):
        return _missing()
    values = value if isinstance(value, (list, tuple)) else [value]
    return "、".join(opts.get(v, v) if isinstance(v, str) else str(v) for v in values)


def _route_label(value):
    variants = content.load("attack")["variants"]
    return variants[value]["ja"] if value in variants else _text(value)


def _ticket_time(scenario, ticket):
    """The time of a help-desk ticket the learner named, or — when there is no such ticket."""
    try:
        wanted = checks.norm_text(ticket)
    except checks.Invalid:
        return "—"
    desk = scenario.logs["helpdesk"]
    hit = desk[desk["ticket_id"].str.upper() == wanted]
    return f"{hit.iloc[0]['time']:%Y-%m-%d %H:%M}" if len(hit) else "—"


# -- the notification table ----------------------------------------------------------------------------------------

def notification_table(discovered=None, chosen=None):
    """Who to notify, by when (with a date when there is a fixed number of days), basis, what to tell, chosen?"""
    rows = []
    base = pd.Timestamp(discovered).normalize() if discovered is not None else None
    chosen = set(chosen or [])
    for p in content.load("notifications")["parties"]:
        days = p.get("days")
        due = f"{(base + pd.Timedelta(days=days)):%Y-%m-%d}" if base is not None and days is not None else "—"
        picked = p["id"] in chosen or (p["id"] == "ppc_final" and "ppc" in chosen)
        rows.append({"相手": content.text(p["who"]), "いつまでに": content.text(p["when"]), "期限の目安": due,
                     "根拠": content.text(p["basis"]), "伝えること": content.text(p["what"]),
                     "回答で選んだ": "✓" if picked else ""})
    return pd.DataFrame(rows)


# -- building ------------------------------------------------------------------------------------------------------

def build_report(store=None, scenario=None, created=None):
    """The report from the saved answers (store: AnswerStore, default answers/ beside the notebook)."""
    from .practice import practice_scenario
    from .tabletop import KEY as TT_KEY, KIND as TT_KIND, model_decisions, outcome

    store = store or AnswerStore()
    scenario = scenario if scenario is not None else practice_scenario()
    a = {key: load_answers(key, store) for key in FORMS}
    det, ana, con, rec, post = (a[k] for k in FORMS)
    profile = load_profile(store)
    created = created or datetime.now().astimezone()
    report = Report(t("incident.report.title"), profile.name, f"{pd.Timestamp(created):%Y-%m-%d}")
    discovered = scenario.truth.discovery_time

    infected = _items(ana.get("infected_hosts"))
    summary = t("incident.report.summary", company=profile.name, discovered=f"{discovered:%Y-%m-%d %H:%M}",
                start=_time_text(det.get("encryption_start")), ext=_text(det.get("ransom_extension")),
                route=_route_label(ana.get("entry_route")), first=_text(ana.get("first_host")),
                hosts=len(infected) if infected else _missing(), exfil=_text(ana.get("exfil_ip")),
                gb=_text(ana.get("exfil_gb")))
    report.sections.append(Section(t("incident.report.s_summary"), [summary, t("incident.report.exercise_note",
                                                                                scenario=scenario.company.name)]))

    timeline = [["日時", "出来事"],
                [_time_text(ana.get("entry_time")), t("incident.report.ev_entry", route=_route_label(
                    ana.get("entry_route")), host=_text(ana.get("first_host")), user=_text(ana.get("first_user")))],
                [_ticket_time(scenario, det.get("early_ticket")),
                 t("incident.report.ev_early", ticket=_text(det.get("early_ticket")))],
                [_time_text(det.get("encryption_start")), t("incident.report.ev_encrypt", ext=_text(
                    det.get("ransom_extension")), note=_text(det.get("ransom_note")))],
                [f"{discovered:%Y-%m-%d %H:%M}", t("incident.report.ev_discovered")]]
    report.sections.append(Section(t("incident.report.s_timeline"), [t("incident.report.timeline_note")], timeline))

    scope = [["項目", "内容"],
             ["感染した端末・サーバ", _text(ana.get("infected_hosts"))],
             ["攻撃者に使われたアカウント", _text(ana.get("compromised_accounts"))],
             ["データの送り先", _text(ana.get("exfil_ip"))],
             ["送られたデータ量（GB）", _text(ana.get("exfil_gb"))]]
    report.sections.append(Section(t("incident.report.s_scope"), [], scope))

    contain = [["対応", "内容"],
               ["ネットワークから切り離した端末・サーバ", _text(con.get("isolate_hosts"))],
               ["無効化したアカウント", _text(con.get("disable_accounts"))],
               ["遮断した外部のアドレス", _text(con.get("block_ips"))],
               ["自動バックアップ", _option_labels("backup_action", con.get("backup_action"))],
               ["感染端末の電源", _option_labels("power", con.get("power"))],
               ["保全した証拠", _option_labels("evidence", con.get("evidence"))],
               ["社内への情報共有", _option_labels("staff_notice", con.get("staff_notice"))]]
    report.sections.append(Section(t("incident.report.s_contain"), [], contain))

    recover = [["対応", "内容"],
               ["復元に使うバックアップ", _text(rec.get("last_clean_backup"))],
               ["残っていた暗号化前のバックアップ", _text(rec.get("clean_copies_left"))],
               ["復旧の順番", " → ".join(_items(rec.get("restore_order"))) or _missing()],
               ["根絶のための対応", _option_labels("eradication", rec.get("eradication"))],
               ["構成の見直し", _option_labels("config_review", rec.get("config_review"))]]
    report.sections.append(Section(t("incident.report.s_recover"), [], recover))

    chosen = post.get("notify") if isinstance(post.get("notify"), list) else []
    table = notification_table(discovered, chosen)
    rows = [list(table.columns)] + table.astype(str).values.tolist()
    notice = t("incident.report.public_notice", text=_text(post.get("public_notice")))
    report.sections.append(Section(t("incident.report.s_notify"), [t("incident.report.notify_note"), notice], rows))

    lessons = post.get("lessons")
    report.sections.append(Section(t("incident.report.s_lessons"), [_text(lessons)]))

    saved = store.load(TT_KEY, TT_KIND).record
    if saved and isinstance(saved.data.get("decisions"), dict):
        mine, model = outcome(saved.data["decisions"]), outcome(model_decisions())
        labels = content.load("tabletop")["labels"]
        tt = [["指標", "あなたの判断", "模範の判断"]] + [
            [content.text(labels[m]), f"{getattr(mine, m):g}", f"{getattr(model, m):g}"]
            for m in ("hosts", "data_lost", "downtime")]
        report.sections.append(Section(t("incident.report.s_tabletop"), mine.issues or [], tt))

    report.sections.append(Section(t("incident.report.s_sources"), list(SOURCES)))
    return report


# -- writing -------------------------------------------------------------------------------------------------------


def to_markdown(report):
    lines = [f"# {paragraph(report.title)}", "", paragraph(f"{report.company}　作成日: {report.created}"), ""]
    for s in report.sections:
        lines += [f"## {s.title}", ""]
        for p in s.paragraphs:  # the learner's own words among them: escaped like every learner text
            lines += [paragraph(p), ""]
        if s.table:
            lines.append("| " + " | ".join(table_cell(c) for c in s.table[0]) + " |")
            lines.append("|" + "---|" * len(s.table[0]))
            for row in s.table[1:]:
                lines.append("| " + " | ".join(table_cell(c) for c in row) + " |")
            lines.append("")
    return "\n".join(lines)


def to_docx_document(report):
    from docx import Document
    from docx.shared import Pt

    doc = use_japanese_fonts(Document())
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = report.title
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(f"{report.company}　作成日: {report.created}")
    for s in report.sections:
        doc.add_heading(s.title, level=1)
        for p in s.paragraphs:
            doc.add_paragraph(p)
        if s.table:
            table = doc.add_table(rows=len(s.table), cols=len(s.table[0]))
            table.style = doc.styles["Table Grid"]
            for i, row in enumerate(s.table):
                for j, value in enumerate(row):
                    cell = table.cell(i, j)
                    cell.text = str(value)
                    if i == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
    return doc


def write_report(folder="output", store=None, scenario=None, created=None, name="incident_report"):
    """Write <folder>/<name>.md and .docx; returns both paths. A folder that cannot be written raises ReportError."""
    report = build_report(store, scenario, created)
    folder = Path(folder)
    md_path, docx_path = folder / f"{name}.md", folder / f"{name}.docx"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(md_path, lambda f: f.write(to_markdown(report).encode("utf-8")))
        write_atomic(docx_path, to_docx_document(report).save)
    except OSError as exc:
        raise ReportError(both("incident.error.cannot_write", path=folder, reason=exc.strerror or exc)) from exc
    return md_path, docx_path
