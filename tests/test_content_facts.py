"""Facts an expert checked in the course text (issue #16). Each test fails if the corrected error comes back.

Figures are those of ../shared/reference/sources.md: National Police Agency (警察白書 令和4年版 for 2021,
令和7年版 for 2024), NIST SP 800-61 Rev. 3 / CSF 2.0, 労働基準法第89条, Windows event 4672.
"""

import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "course" / "content"
NOTEBOOKS = ROOT / "notebooks"


def control(number):
    return yaml.safe_load((CONTENT / "controls" / f"{number}.yaml").read_text(encoding="utf-8"))


def _strings(value, skip=("en", "rubric")):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if str(k) not in skip:
                yield from _strings(v, skip)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, skip)


def markdown(name):
    """All markdown of one notebook, joined; line breaks inside paragraphs removed (Japanese wraps without spaces)."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def course_texts():
    """(where, text): Japanese course text of content YAML (rubric sections and English left out) and notebook markdown."""
    for path in sorted(CONTENT.rglob("*.yaml")):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield str(path.relative_to(CONTENT)), text
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "markdown":
                yield f"{path.name} cell {i}", cell.source


def flat(text):
    return re.sub(r"\n(?!\n)", "", text)


def sentences(text):
    return [s for s in re.split(r"(?<=[。\n])", flat(text)) if s.strip()]


TEXTS = list(course_texts())


# --- E1 / E8: National Police Agency figures -----------------------------------------------------------------------

def test_e1_vpn_share_2021_is_54_percent_41_of_76():
    for where, text in TEXTS:
        assert not re.search(r"VPN[^。]{0,20}51\s*[%％]", flat(text)), f"{where}: the 2021 VPN share is 54% (41 of 76)"
    md = flat(markdown("ir_00_overview.ipynb"))
    assert "警察白書 令和4年版" in md and "2021 年" in md
    assert re.search(r"76 件のうち、VPN 機器が 41 件（54%）、リモートデスクトップが\s*15 件（20%）、メールが 5 件（7%）", md)


def test_e8_current_figures_2024_with_source_and_year():
    md = flat(markdown("ir_00_overview.ipynb"))
    assert "警察白書 令和7年版" in md and "2024 年" in md
    for figure in ("222 件", "140 件が中小企業", "100 件のうち、VPN 機器が 55%", "リモートデスクトップが 31%",
                   "ノーウェアランサム", "22 件"):
        assert figure in md, figure


def test_every_ransomware_share_names_its_source_and_year():
    """A VPN share quoted anywhere comes with the white paper's edition and the data year."""
    for where, text in TEXTS:
        for s in sentences(text):
            if re.search(r"VPN[^。]*\d+\s*[%％]", s) or re.search(r"\d+\s*[%％][^。]*VPN", s):
                paragraph = flat(text)
                assert re.search(r"警察白書 令和[47]年版", paragraph) and re.search(r"20(21|24) ?年", paragraph), where


# --- E4: 就業規則 per 事業場 ---------------------------------------------------------------------------------------

def test_e4_work_rules_duty_is_per_workplace():
    for where, text in TEXTS:
        for s in sentences(text):
            if "就業規則" in s and re.search(r"10\s*人以上", s):
                assert "事業場" in s, f"{where}: 就業規則 is required per 事業場 with 常時10人以上の労働者: {s}"
    tip = control("6.2")["lesson"]["tip"]
    assert "事業場" in tip and "常時10人以上の労働者" in tip and "第89条" in tip
    assert "常時10人以上の従業員がいる会社" not in tip


# --- E5: IPA and JPCERT/CC are not authorities ------------------------------------------------------------------------

def test_e5_ipa_and_jpcert_are_not_called_authorities():
    for where, text in TEXTS:
        for s in sentences(text):
            if "当局" in s and re.search(r"IPA|JPCERT|情報処理推進機構", s):
                assert "相談・届出先" in s, f"{where}: IPA / JPCERT/CC are 相談・届出先, not 当局: {s}"
    five = control("5.5")
    assert any("相談・届出先" in s and "IPA" in s for s in five["model"]["statements"])


# --- E6: event 4672 -----------------------------------------------------------------------------------------------

def test_e6_4672_is_special_privileges_assigned():
    seen = 0
    for where, text in TEXTS:
        for s in sentences(text):
            if "4672" in s:
                seen += 1
                assert "特殊な権限" in s, f"{where}: 4672 is 「特殊な権限の割り当て」: {s}"
                assert not re.search(r"管理者権限[^。]{0,12}4672|管理者権限でのログオン", s), f"{where}: {s}"
    assert seen >= 3
    ir2 = flat(markdown("ir_02_analyze.ipynb"))
    assert re.search(r"特殊な権限の割り当て（4672）[^。]*SYSTEM", ir2)


# --- E7: NIST SP 800-61 Rev. 3 / CSF 2.0 ---------------------------------------------------------------------------

def _csf_rows():
    rows = {}
    for line in markdown("ir_00_overview.ipynb").splitlines():
        m = re.match(r"\|\s*(統治|識別|防御|検知|対応|復旧)（(\w+)）\s*\|(.*)", line)
        if m:
            rows[m.group(2)] = m.group(3)
    return rows


def test_e7_triage_analysis_and_reporting_belong_to_respond():
    rows = _csf_rows()
    assert set(rows) == {"Govern", "Identify", "Protect", "Detect", "Respond", "Recover"}
    assert "DE.CM" in rows["Detect"] and "DE.AE" in rows["Detect"]
    for word in ("トリアージ", "報告", "RS."):
        assert word not in rows["Detect"].split("|")[0], word
    for category in ("RS.MA", "RS.AN", "RS.CO"):
        assert category in rows["Respond"]
    assert "トリアージ" in rows["Respond"] and "分析" in rows["Respond"] and "報告" in rows["Respond"]
    assert "ID.IM" in rows["Identify"] and "RC.RP" in rows["Recover"]


# --- E9: Office blocks macros from the internet since 2022 -----------------------------------------------------------

def test_e9_macro_chain_says_how_the_macro_ran():
    ir2 = flat(markdown("ir_02_analyze.ipynb"))
    assert "2022" in ir2 and "Mark of the Web" in ir2
    assert "ブロックを解除" in ir2 and "展開ツール" in ir2
    rules = yaml.safe_load((CONTENT / "incident" / "rules.yaml").read_text(encoding="utf-8"))["rules"]
    why = next(r for r in rules if r["id"] == "office_child")["why"]["ja"]
    assert "2022" in why and "Mark of the Web" in why and "ブロックを解除" in why


# --- model answers -------------------------------------------------------------------------------------------------

def test_5_14_prefers_expiring_links_and_forbids_ppap():
    statements = control("5.14")["model"]["statements"]
    assert any("共有リンク" in s and "有効期限" in s and "機密" in s for s in statements)
    ppap = [s for s in statements if "PPAP" in s]
    assert ppap and all(s.endswith("てはならない。") for s in ppap)
    for s in statements:  # encrypted files only as a fallback, the password never by the same mail
        if "暗号化" in s and "パスワード" in s:
            assert "PPAP" in s or ("に限って" in s and "共有リンク" in s and "別の手段" in s), s
    assert any("FAX" in s for s in statements)
    assert "PPAP" in control("5.14")["lesson"]["tip"]


def test_6_7_requires_mfa_on_the_vpn():
    statements = control("6.7")["model"]["statements"]
    assert any("VPN" in s and "多要素認証" in s for s in statements)


def test_5_26_first_statement_is_not_circular():
    first = control("5.26")["model"]["statements"][0]
    assert not re.search(r"インシデントに、?インシデント対応手順書に従って対応しなければならない", first)
    for word in ("招集", "役割", "封じ込め", "復旧"):
        assert word in first, word


def test_5_28_names_the_hash_command():
    model = control("5.28")["model"]
    assert any("Get-FileHash" in step["what"] and "ハッシュ値" in step["what"] for step in model["steps"])


@pytest.mark.parametrize("number", ["5.5", "5.14", "5.26", "5.28", "6.2", "6.7"])
def test_corrected_models_still_score_full_marks(number):
    from course.drafting.fit import model_draft
    from course.profile import CompanyProfile
    from course.rubric.score import score_draft

    assert score_draft(model_draft(number, CompanyProfile())).score == pytest.approx(1.0)
