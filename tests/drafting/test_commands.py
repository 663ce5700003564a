"""`course check-draft` and `course export`: JSON output, Japanese errors with exit code 2, no tracebacks."""

import json
import subprocess
import sys

import docx
import pytest

from course.cli import main
from course.drafting.drafts import save_draft
from course.drafting.markdown import draft_from_markdown, draft_to_markdown
from course.answers.draft import Draft, DraftStep
from course.answers.store import AnswerStore
from course.rubric.score import score_draft

GOOD = Draft("6.6", purpose="秘密を守る。", scope="従業員と委託先", owner="総務部長", review="年1回",
             statements=["従業員は入社時に秘密保持の誓約書に署名しなければならない。"],
             steps=[DraftStep("総務", "誓約書に署名してもらう", "入社日", "誓約書")])


def run(capsys, *argv):
    code = main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return code, out, err


def check_json(capsys, *argv):
    code, out, err = run(capsys, "check-draft", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_check_draft_markdown_prints_the_feedback_json(tmp_path, capsys):
    path = tmp_path / "6.6.md"
    path.write_text(draft_to_markdown(GOOD), encoding="utf-8")
    result = check_json(capsys, path)
    assert set(result) == {"control", "score", "covered", "missing", "messages", "model_similarity", "copied"}
    assert result["control"] == "6.6" and 0 < result["score"] < 1 and result["covered"] and result["missing"]
    assert 0 <= result.pop("model_similarity") < 0.6 and result.pop("copied") is False
    assert result == json.loads(json.dumps(score_draft(GOOD).to_dict()))


def test_bare_draft_json_and_store_record_give_the_same_result(tmp_path, capsys):
    bare = tmp_path / "draft.json"
    bare.write_text(json.dumps(GOOD.to_dict(), ensure_ascii=False), encoding="utf-8")
    store = AnswerStore(tmp_path / "answers")
    save_draft(GOOD, store)
    assert check_json(capsys, bare) == check_json(capsys, store.path("6.6"))


def test_control_option_fills_a_missing_control_and_must_match(tmp_path, capsys):
    path = tmp_path / "nocontrol.json"
    data = GOOD.to_dict()
    del data["control"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert check_json(capsys, path, "--control", "6.6")["control"] == "6.6"
    md = tmp_path / "6.6.md"
    md.write_text(draft_to_markdown(GOOD), encoding="utf-8")
    code, out, err = run(capsys, "check-draft", md, "--control", "5.15")
    assert code == 1 and "これは管理策 6.6 の下書きです" in err


def test_human_readable_output(tmp_path, capsys):
    path = tmp_path / "6.6.md"
    path.write_text(draft_to_markdown(GOOD), encoding="utf-8")
    code, out, err = run(capsys, "check-draft", path)
    assert code == 0 and out.startswith("6.6 秘密保持契約又は守秘義務契約\n")
    assert "自己チェックの達成度" in out and "足りない要素" in out


@pytest.mark.parametrize("name, content, message", [
    ("broken.json", "{not json", "JSON として読めません"),
    ("list.json", "[1, 2]", "下書きの形式が正しくありません"),
    ("profile.json", json.dumps({"schema": "course.answer/1", "key": "company_profile", "kind": "profile",
                                 "revision": 1, "data": {}}), "下書きの保存ファイルではありません"),
    ("evil.json", json.dumps({"control": "../../x"}), "管理策の番号として使えません"),
    ("bad.md", "# 6.6\n## 備考\nx", "使えません"),
    ("binary.md", b"\xff\xfe\x00\x81", "UTF-8"),
    ("draft.pdf", "x", ".json か .md"),
    ("missing.md", None, "見つかりません"),
])
def test_bad_files_give_a_japanese_error_and_exit_code_1(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "check-draft", path, "--json")
    assert code == 1 and out == ""
    assert err.startswith("エラー: ") and message in err and "Traceback" not in err


OWNER_DRAFT = Draft("5.25", statements=["重大な事故は、直ちにオーナーに報告しなければならない。"])


def test_check_draft_with_the_company_profile_reads_its_role_names(tmp_path, capsys):
    from course.profile import CompanyProfile, save_profile

    path = tmp_path / "5.25.json"
    path.write_text(json.dumps(OWNER_DRAFT.to_dict(), ensure_ascii=False), encoding="utf-8")
    store = AnswerStore(tmp_path / "answers")
    profile = CompanyProfile(company="ひだまり商店", roles={"ceo": {"name": "オーナー"}})
    save_profile(profile, store)
    assert "escalation" not in check_json(capsys, path)["covered"]
    record = check_json(capsys, path, "--control", "5.25", "--profile", store.path("company_profile"))
    assert "escalation" in record["covered"]
    assert {k: v for k, v in record.items() if k not in ("model_similarity", "copied")} \
        == json.loads(json.dumps(score_draft(OWNER_DRAFT, profile=profile).to_dict()))
    bare = tmp_path / "profile.json"  # the profile's data alone is read the same way
    bare.write_text(json.dumps(profile.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert check_json(capsys, path, "--profile", bare) == record


@pytest.mark.parametrize("content, message", [
    (None, "会社プロフィールのファイル"),
    ("{not json", "JSON として読めません"),
    (b"\xff\xfe\x00\x81", "UTF-8"),
    ("[1, 2]", "会社プロフィールのファイルではありません"),
    (json.dumps(GOOD.to_dict(), ensure_ascii=False), "会社プロフィールのファイルではありません"),
    (json.dumps({"schema": "course.answer/1", "key": "6.6", "kind": "draft", "revision": 1, "data": GOOD.to_dict()},
                ensure_ascii=False), "会社プロフィールのファイルではありません"),
])
def test_a_bad_profile_file_is_a_japanese_usage_error_with_exit_code_2(tmp_path, capsys, content, message):
    draft = tmp_path / "6.6.md"
    draft.write_text(draft_to_markdown(GOOD), encoding="utf-8")
    profile = tmp_path / "company_profile.json"
    if isinstance(content, bytes):
        profile.write_bytes(content)
    elif content is not None:
        profile.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "check-draft", draft, "--control", "6.6", "--profile", profile)
    assert code == 2 and out == ""
    assert err.startswith("エラー: ") and message in err and "Traceback" not in err
    if content is not None:
        assert profile.exists()  # read only: never moved aside


def show_model(capsys, *argv):
    code, out, err = run(capsys, "show-model", *argv)
    assert code == 0, err
    return out, err


@pytest.mark.parametrize("control", ["5.15", "6.2"])
def test_show_model_prints_the_markdown_that_check_draft_reads_as_the_model(tmp_path, capsys, control):
    out, err = show_model(capsys, control, "--md")
    assert out.startswith(f"# {control} ") and "## 対策基準" in out and "| 担当 | 作業 | 時期 | 記録 |" in out
    assert ("受講者に表示しない" in err) == (control == "6.2")  # hidden models: the instructor is reminded
    path = tmp_path / f"{control}.md"
    path.write_text(out, encoding="utf-8")
    result = check_json(capsys, path, "--control", control)
    assert result["model_similarity"] == 1.0 and result["copied"] is True
    assert result["messages"][0].startswith("この下書きは模範文例とほぼ同じです（類似度 100%）")
    code, text, _ = run(capsys, "check-draft", path)
    assert "模範文例との類似度: 100%" in text and "この下書きは模範文例とほぼ同じです" in text


def test_show_model_fits_the_profile_and_check_draft_compares_with_the_same_fit(tmp_path, capsys):
    from course.profile import CompanyProfile, save_profile

    store = AnswerStore(tmp_path / "answers")
    save_profile(CompanyProfile(company="ひだまり商店", roles={"it": {"name": "システム係"}}), store)
    profile = store.path("company_profile")
    out, _ = show_model(capsys, "5.15", "--profile", profile)
    assert "ひだまり商店" in out and "システム係" in out and "IT担当者" not in out
    path = tmp_path / "fitted.md"
    path.write_text(out, encoding="utf-8")
    assert check_json(capsys, path, "--profile", profile)["model_similarity"] == 1.0
    assert check_json(capsys, path)["model_similarity"] < 1.0  # against the default model the names differ
    data, _ = show_model(capsys, "5.15", "--json", "--profile", profile)
    assert Draft.from_dict(json.loads(data)) == draft_from_markdown(out, "5.15")


def test_show_model_errors_are_japanese(capsys):
    code, out, err = run(capsys, "show-model", "../x")
    assert code == 1 and out == "" and err.startswith("エラー: ") and "Traceback" not in err


def test_console_command_has_no_traceback(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "course.cli", "check-draft", str(path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "JSON として読めません" in done.stderr


def test_export_command_writes_docx_and_markdown(tmp_path, capsys):
    store = AnswerStore(tmp_path / "answers")
    save_draft(GOOD, store)
    out = tmp_path / "規程.docx"
    code, stdout, err = run(capsys, "export", "--out", out, "--answers", store.root, "--version", "1.1",
                            "--approver", "代表取締役")
    assert code == 0 and "管理策 1 件" in stdout
    document = docx.Document(str(out))
    assert "第5条（秘密保持契約又は守秘義務契約）" in [p.text for p in document.paragraphs]
    assert "食い違いは見つかりませんでした" in stdout
    md = tmp_path / "rules.md"
    assert run(capsys, "export", "--out", md, "--answers", store.root, "--effective", "2025-06-01")[0] == 0
    text = md.read_text(encoding="utf-8")
    assert "### 第2章　人的管理策" in text and "この規程は、2025年6月1日から施行する。" in text


def test_export_finds_the_answers_beside_the_notebooks(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("COURSE_ANSWERS_DIR", raising=False)
    save_draft(GOOD, AnswerStore(tmp_path / "notebooks" / "answers"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export", "--out", "rules.md")
    assert code == 0 and "管理策 1 件" in out


def test_export_errors(tmp_path, capsys):
    code, out, err = run(capsys, "export", "--out", tmp_path / "x.pdf", "--answers", tmp_path)
    assert code == 1 and ".md か .docx" in err
    code, out, err = run(capsys, "export", "--out", tmp_path / "x.md", "--answers", tmp_path / "nope")
    assert code == 1 and "見つかりません" in err
