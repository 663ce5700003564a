"""The workbench and export notebooks on a real kernel: the form restores a saved draft, the export writes the files."""

import docx
import pytest

from fixtures import execute_notebook
from course.drafting.drafts import save_draft
from course.answers.draft import Draft, DraftStep
from course.answers.store import AnswerStore
from course.profile import CompanyProfile, save_profile

DRAFT = Draft("6.6", purpose="𠮷田髙﨑の秘密を守る。", statements=["誓約書に署名しなければならない。"],
              steps=[DraftStep("総務", "誓約書を回収する", "入社日", "誓約書")])


def outputs(nb):
    return "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                   for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


@pytest.mark.slow
def test_workbench_notebook_restores_the_saved_draft(notebook_copy):
    store = AnswerStore(notebook_copy / "answers")
    save_profile(CompanyProfile(company="みどり精機", contractors=["A社"]), store)
    save_draft(DRAFT, store)
    nb = execute_notebook(notebook_copy / "01_workbench.ipynb", notebook_copy)
    text = outputs(nb)
    assert "会社名: みどり精機" in text
    assert "# 6.6 秘密保持契約又は守秘義務契約" in text and "𠮷田髙﨑の秘密を守る。" in text
    assert "| 総務 | 誓約書を回収する | 入社日 | 誓約書 |" in text
    workbench_cell = next(c for c in nb.cells if c.cell_type == "code" and "Workbench(" in c.source)
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in workbench_cell.outputs)


@pytest.mark.slow
def test_export_notebook_writes_markdown_and_docx_into_output(notebook_copy):
    store = AnswerStore(notebook_copy / "answers")
    save_profile(CompanyProfile(company="みどり精機"), store)
    save_draft(DRAFT, store)
    save_draft(Draft("5.15", statements=["IDは一人一つでなければならない。"]), store)
    nb = execute_notebook(notebook_copy / "99_export.ipynb", notebook_copy)
    md = (notebook_copy / "output" / "security-rules.md").read_text(encoding="utf-8")
    assert md.startswith("# みどり精機 情報セキュリティ関連規程")
    assert md.index("#### 第5条（アクセス制御）") < md.index("#### 第6条（秘密保持契約又は守秘義務契約）")
    document = docx.Document(str(notebook_copy / "output" / "security-rules.docx"))
    articles = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert articles[4:6] == ["第5条（アクセス制御）", "第6条（秘密保持契約又は守秘義務契約）"]
    shown = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "2 件の管理策の下書きを照らし合わせ" in shown, "the notebook prints the consistency check"
