"""`course check-draft FILE`, `course show-model N`, `course check-consistency DIR` and `course export --out FILE`."""

import json
import os
from pathlib import Path

from ..errors import CourseError, UsageError
from ..i18n import t
from .drafts import resolve_control
from .markdown import draft_from_markdown
from ..answers.draft import Draft, DraftFormatError
from ..answers.store import SCHEMA as RECORD_SCHEMA
from ..answers.store import AnswerStore

MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt")


def register(sub):
    p = sub.add_parser("check-draft", help="下書きを自己チェック / self-check a draft (.json or .md)")
    p.add_argument("file", help="下書きのファイル（.json または .md） / the draft file")
    p.add_argument("--control", help="管理策の番号（例 6.6） / the control number, e.g. 6.6")
    p.add_argument("--profile", help="会社プロフィール（answers/company_profile.json）: 自社の役職名を役割として読む"
                                     " / the company profile, so that the company's own role names count")
    p.add_argument("--json", action="store_true", help="JSON で出力 / print JSON")
    p.set_defaults(func=cmd_check_draft)

    p = sub.add_parser("show-model", help="模範文例を表示（講師が採点キーを準備する用） / print a control's model, fitted to a"
                                          " profile, as the Markdown that check-draft reads")
    p.add_argument("control", help="管理策の番号（例 5.15） / the control number, e.g. 5.15")
    p.add_argument("--profile", help="会社プロフィール（answers/company_profile.json）に合わせる / fit to this profile")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--md", action="store_true", help="Markdown で出力（既定） / print Markdown (the default)")
    form.add_argument("--json", action="store_true", help="JSON で出力 / print JSON")
    p.set_defaults(func=cmd_show_model)

    p = sub.add_parser("check-consistency",
                       help="下書きどうしの食い違いを調べる / check all drafts for contradictions (exit 1 if any)")
    p.add_argument("folder", help="下書きのフォルダ（<管理策>.json または <管理策>.md） / folder of drafts")
    p.add_argument("--json", action="store_true", help="JSON で出力 / print JSON")
    p.set_defaults(func=cmd_check_consistency)

    p = sub.add_parser("export", help="規程文書を書き出す / write the rules document (.md or .docx)")
    p.add_argument("--out", required=True, help="書き出すファイル（.md または .docx） / output file")
    p.add_argument("--answers", help="回答フォルダ（既定: ./answers または ./notebooks/answers） / answers folder")
    p.add_argument("--version", default="1.0", help="版 / document version")
    p.add_argument("--date", help="作成日（既定: 今日） / date (default: today)")
    p.add_argument("--approver", default="", help="承認者 / approved by")
    p.add_argument("--approved-on", default="", help="承認日 / approval date")
    p.add_argument("--effective", default="", help="施行日（附則に載る） / date the rules take effect")
    p.set_defaults(func=cmd_export)


def read_draft_file(path, control=None):
    """A Draft from a .md file, or from a .json file holding a bare draft or an AnswerStore record."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", *MARKDOWN_SUFFIXES):
        raise CourseError(t("drafting.file_suffix", path=path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CourseError(t("drafting.file_missing", path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError(t("drafting.file_unreadable", path=path, reason=getattr(exc, "strerror", None) or exc)) \
            from None
    number = resolve_control(control).number if control else None
    try:
        if suffix != ".json":
            return draft_from_markdown(text, number)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DraftFormatError(t("drafting.file_not_json", line=exc.lineno, column=exc.colno)) from None
        if isinstance(data, dict) and data.get("schema") == RECORD_SCHEMA:
            if data.get("kind") != "draft" or not isinstance(data.get("data"), dict):
                raise DraftFormatError(t("drafting.file_not_draft_record", kind=data.get("kind")))
            data = data["data"]
        if isinstance(data, dict) and number and not data.get("control"):
            data = {**data, "control": number}
        draft = Draft.from_dict(data)
        draft.control = resolve_control(draft.control).number
        if number and draft.control != number:
            raise DraftFormatError(t("drafting.md_other_control", found=draft.control, expected=number))
        return draft
    except DraftFormatError as exc:
        raise CourseError(t("drafting.file_bad", path=path, reason=exc)) from None


def read_profile_file(path):
    """A CompanyProfile from answers/company_profile.json (the AnswerStore record) or from its bare data, read by
    course.profile's own loader; anything else is a UsageError (exit 2) with a Japanese message. The file is only
    read: unlike AnswerStore.load, a bad file is not moved aside."""
    from ..profile import PROFILE_KIND, CompanyProfile

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(t("drafting.profile_file_missing", path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(t("drafting.profile_file_unreadable", path=path,
                           reason=getattr(exc, "strerror", None) or exc)) from None
    except json.JSONDecodeError as exc:
        raise UsageError(t("drafting.profile_file_unreadable", path=path,
                           reason=t("drafting.file_not_json", line=exc.lineno, column=exc.colno))) from None
    if isinstance(data, dict) and data.get("schema") == RECORD_SCHEMA:
        data = data.get("data") if data.get("kind") == PROFILE_KIND else None
    known = {f for f in CompanyProfile.__dataclass_fields__}
    if not isinstance(data, dict) or (data and not known & set(data)):  # e.g. a draft given by mistake
        raise UsageError(t("drafting.profile_file_bad", path=path))
    return CompanyProfile.from_dict(data)


def cmd_check_draft(args):
    from ..rubric.score import score_draft
    from .adaptation import copy_check

    profile = read_profile_file(args.profile) if args.profile else None
    draft = read_draft_file(args.file, args.control)
    feedback = score_draft(draft, profile=profile)
    similarity, message = copy_check(draft, draft.control, profile)
    copied = bool(message)
    if args.json:
        data = feedback.to_dict()
        data.update(model_similarity=similarity, copied=copied)
        if copied:
            data["messages"].insert(0, message)
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    control = resolve_control(draft.control)
    print(f"{control.number} {control.display_title}")
    print(t("drafting.check_score", percent=round(feedback.score * 100)))
    print(t("adaptation.similarity", percent=round(similarity * 100)))
    if copied:
        print(message)
    for covered, key in ((True, "drafting.check_covered"), (False, "drafting.check_missing")):
        labels = [e.label for e in feedback.elements if e.covered == covered]
        if labels:
            print(f"{t(key)}: " + "、".join(labels))
    for message in feedback.messages:
        print(f"- {message}")
    return 0


def cmd_show_model(args):
    """The model of a control fitted to the profile (default: 当社 with the default roles), as Markdown or JSON."""
    import sys

    from ..catalog import model_hidden
    from .fit import model_draft
    from .markdown import draft_to_markdown

    control = resolve_control(args.control)
    profile = read_profile_file(args.profile) if args.profile else None
    draft = model_draft(control, profile)  # NoModelError (a CourseError) says so in Japanese
    if model_hidden(control):
        print(t("adaptation.show_model_hidden", control=control.number), file=sys.stderr)
    if args.json:
        print(json.dumps(draft.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(draft_to_markdown(draft), end="")
    return 0


def cmd_check_consistency(args):
    """Exit 0 when the drafts agree, 1 when there are findings (or an error, with its message)."""
    from .consistency import check_folder

    report = check_folder(args.folder)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(report.summary())
        for finding in report.findings:
            print(f"- {finding.message}")
    return 0 if report.ok else 1


def answers_dir(given=None):
    """--answers, else $COURSE_ANSWERS_DIR, else ./answers, else ./notebooks/answers (run from the course folder)."""
    if given:
        folder = Path(given)
        if not folder.is_dir():
            raise CourseError(t("drafting.export.no_answers_dir", path=folder))
        return folder
    if os.environ.get("COURSE_ANSWERS_DIR"):
        return Path(os.environ["COURSE_ANSWERS_DIR"])
    here = Path.cwd() / "answers"
    beside_notebooks = Path.cwd() / "notebooks" / "answers"
    return beside_notebooks if not here.is_dir() and beside_notebooks.is_dir() else here


def cmd_export(args):
    from .export import export

    store = AnswerStore(answers_dir(args.answers))
    doc = export(args.out, store, version=args.version, date=args.date, approver=args.approver,
                 approved_on=args.approved_on, effective=args.effective)
    for message in doc.messages:
        print(message)
    if doc.sections:
        print(doc.consistency.summary())
    print(t("drafting.export.written", path=args.out, count=len(doc.sections)))
    if not doc.sections:
        print(t("drafting.export.no_drafts_hint", path=store.root))
    return 0
