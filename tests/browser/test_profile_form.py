"""The company-profile form (notebooks/00_start.ipynb, course.profile.ProfileForm) in JupyterLab in Chromium.

What a learner does: open the notebook, Run All once the kernel is idle, type Japanese into the form, and later
Restart Kernel and Run All. The answer record on disk and the text on the page must both show what was typed.
"""

import pytest

from .lab import SAVE_TIMEOUT, read_record, wait_for

NOTEBOOK = "00_start.ipynb"
TYPED = {
    "会社名": "株式会社さくら商事",
    "業種": "卸売業（食品）",
    "従業員数": "２８",  # full-width digits, as a Japanese IME gives them
    "拠点": "本社（横浜市）、倉庫（厚木市）",
    "IT担当者": "総務課の山田（兼任）",
}
EXPECTED = {
    "company": "株式会社さくら商事", "industry": "卸売業（食品）", "employees": 28, "sites": "本社（横浜市）、倉庫（厚木市）",
    "telework": "some", "cloud": ["Microsoft 365", "会計クラウド"], "contractors": ["IT保守のA社", "給与計算のB社"],
    "personal_data": True, "it_staff": "総務課の山田（兼任）",
}


def profile_data(folder):
    record = read_record(folder, "company_profile")
    return record and record["data"]


@pytest.mark.slow
def test_profile_form_saves_japanese_answers_and_restores_them(open_notebook, workdir):
    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    nb.expect_text("会社プロフィール")
    nb.scroll_to(nb.text_input("会社名").locator)
    nb.screenshot("profile-1-empty")
    assert profile_data(workdir) is None  # nothing is saved before the learner types

    for label, text in TYPED.items():
        nb.text_input(label).type_japanese(text)
    nb.dropdown("テレワークの有無").select_option(label="一部の従業員")
    nb.textarea("クラウドサービスの利用").type_japanese("Microsoft 365、会計クラウド")
    nb.textarea("外部委託先").type_japanese("IT保守のA社\n給与計算のB社")
    nb.checkbox("個人情報の取扱い").check()

    # On disk: the AnswerStore record beside the notebook holds exactly what was typed.
    data = wait_for(lambda: profile_data(workdir) == EXPECTED and profile_data(workdir), SAVE_TIMEOUT,
                    "answers/company_profile.json to hold the typed profile")
    assert data == EXPECTED
    # On the page: the form says it saved, in Japanese.
    nb.expect_text("保存しました")
    nb.scroll_to(nb.text_input("会社名").locator)
    nb.screenshot("profile-2-filled")

    # A fresh kernel: the form restores itself from the record, and later cells read it.
    nb.restart_and_run_all()
    nb.expect_text("前回の回答を読み込みました")
    restored = {**TYPED, "従業員数": "28"}  # the saved number, written back in ASCII digits
    for label, text in restored.items():
        assert nb.text_input(label).value() == text
    assert nb.dropdown("テレワークの有無").input_value() == "一部の従業員"
    assert nb.checkbox("個人情報の取扱い").is_checked()
    shown = nb.output_text()
    assert "会社名: 株式会社さくら商事" in shown
    assert "追加される条文: テレワーク、クラウドサービス、外部委託先" in shown
    nb.scroll_to(nb.text_input("会社名").locator)
    nb.screenshot("profile-3-restored")
    assert profile_data(workdir) == EXPECTED  # re-running did not overwrite the answer


@pytest.mark.slow
def test_profile_form_explains_a_bad_entry_in_japanese_and_keeps_the_answer(open_notebook, workdir):
    nb = open_notebook(NOTEBOOK)
    nb.run_all()
    nb.text_input("会社名").type_japanese("有限会社あおば")
    wait_for(lambda: (profile_data(workdir) or {}).get("company") == "有限会社あおば", SAVE_TIMEOUT,
             "the company name on disk")
    nb.text_input("従業員数").type_japanese("三十人")
    # The message comes through the form's Output widget (a print in a callback would be lost in JupyterLab).
    nb.expect_text("従業員数は 1 以上の整数で入力してください（入力: 三十人）")
    nb.scroll_to(nb.text_input("従業員数").locator)
    nb.screenshot("profile-4-bad-employees")
    data = profile_data(workdir)
    assert data["company"] == "有限会社あおば" and data["employees"] is None
