"""The term and style table (course/content/style.yaml) holds over the course text: content YAML and notebook markdown.

One spelling per term (the refused variants appear nowhere), one register per kind of text (lesson cases and tips
in です/ます, rules and procedures in である調, notebook prose in です/ます), and one invented company per letter.
"""

import re
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "course" / "content"
STYLE = yaml.safe_load((CONTENT / "style.yaml").read_text(encoding="utf-8"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

POLITE_END = re.compile(r"(です|ます|ました|でした|ません|ませんでした|ましょう|ください|でしょう)(か|ね|よ)?$")
OPEN, CLOSE = "（「『(【", "）」』)】"


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _strings(value, where, skip=("en", "rubric")):
    """Every string in a YAML value with a dotted location, leaving out English texts and rubric sections."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            if str(k) not in skip:
                yield from _strings(v, f"{where}.{k}", skip)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]", skip)


def sentences(text):
    """Sentences of a Japanese text ended by 。 or ？ outside brackets (an unended rest, like a heading, is not one),
    each without its final mark, a trailing parenthetical and markdown emphasis; sentences without Japanese are left out."""
    out, depth, cur = [], 0, ""
    for ch in text:
        cur += ch
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif ch in "。？" and depth == 0:
            out.append(cur)
            cur = ""
    cleaned = []
    for s in out:
        s = s.strip().rstrip("。？").strip()
        while True:  # drop a trailing parenthetical and markdown emphasis: 「…します（CISA の指針）」→「…します」
            t = re.sub(r"（[^（）]*）$|\([^()]*\)$|\*+$", "", s).strip()
            if t == s:
                break
            s = t
        if s and re.search(r"[ぁ-んァ-ヶ一-龥]", s):
            cleaned.append(s)
    return cleaned


def is_polite(sentence):
    return bool(POLITE_END.search(sentence.rstrip("」』")))


# --- the texts -----------------------------------------------------------------------------------------------------

def control_texts():
    """(file, location, register, text) for the controls: purpose.ja, model, lesson. Rubric sections are left out."""
    for path in sorted((CONTENT / "controls").glob("*.yaml")):
        data = _load(path)
        name = f"controls/{path.name}"
        yield name, "purpose.ja", "plain", data["purpose"]["ja"]
        for where, text in _strings(data.get("model") or {}, "model"):
            yield name, where, "plain", text
        lesson = data.get("lesson") or {}
        for key in ("case", "tip"):
            if key in lesson:
                yield name, f"lesson.{key}", "polite", lesson[key]
        for i, text in enumerate(lesson.get("mistakes") or []):
            yield name, f"lesson.mistakes[{i}]", "plain", text


# Values the scenario and data generators copy into the generated logs and tables (host roles, ticket texts, document
# names): data, not prose, so they are not rewritten for style (changing them would change the generated data).
DATA_FILES = {"incident/company.yaml", "incident/activity.yaml", "incident/attack.yaml", "exercises/org_data.yaml"}


def yaml_texts():
    """(file, location, None, text) for strings, incident and exercises YAML: every value but English and data."""
    for folder in ("strings", "incident", "exercises"):
        for path in sorted((CONTENT / folder).glob("*.yaml")):
            if f"{folder}/{path.name}" in DATA_FILES:
                continue
            for where, text in _strings(_load(path), ""):
                yield f"{folder}/{path.name}", where.lstrip("."), None, text
    for path in (CONTENT / "course_map.yaml", CONTENT / "soa.yaml"):
        if path.exists():
            for where, text in _strings(_load(path), ""):
                yield path.name, where.lstrip("."), None, text


def _markdown_prose(source):
    """The paragraphs of running text in a markdown cell: no headings, lists, tables, code or field lines."""
    source = re.sub(r"```.*?```", "", source, flags=re.S)
    para = []
    for line in source.splitlines() + [""]:
        text = line.strip().lstrip(">").strip()
        skip = (not text or text.startswith(("#", "|", "- ", "* ", "**前提知識**", "**所要時間**"))
                or re.match(r"\d+\. ", text) or line.startswith("  ")
                or (text.startswith("*") and text.endswith("*") and not text.startswith("**")))
        if skip:
            if para:
                yield "".join(para)
            para = []
        else:
            para.append(text)


def notebook_texts(prose=False):
    """(file, cell, register, text): each markdown cell (for the terms), or its prose paragraphs (for the register).

    Code (fenced blocks and `inline`) is left out: it shows what learners type, not course prose."""
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "markdown":
                continue
            source = re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", cell.source, flags=re.S))
            if not prose:
                yield f"notebooks/{path.name}", f"cell {i}", None, source
                continue
            for para in _markdown_prose(source):
                yield f"notebooks/{path.name}", f"cell {i}", "polite", para


def all_texts():
    yield from control_texts()
    yield from yaml_texts()
    yield from notebook_texts()


# --- the table -----------------------------------------------------------------------------------------------------

def test_style_table_is_well_formed():
    uses = [t["use"] for t in STYLE["terms"]]
    assert len(uses) == len(set(uses))
    for term in STYLE["terms"]:
        patterns = [re.compile(p) for p in term["refuse"]]
        assert not any(p.search(term["use"]) for p in patterns), term
    assert {r["register"] for r in STYLE["registers"]} <= {"polite", "plain"}


def _term_violations(texts):
    found = []
    for term in STYLE["terms"]:
        allow = [re.compile(a) for a in term.get("allow", [])]
        for pattern in map(re.compile, term["refuse"]):
            for file, where, _, text in texts:
                for hit in pattern.finditer(text):
                    if any(a.match(text, hit.start()) or a.search(text[max(0, hit.start() - 3):hit.end() + 3])
                           for a in allow):
                        continue
                    around = text[max(0, hit.start() - 12):hit.end() + 12].replace("\n", " ")
                    found.append(f"{file} {where}: 「{hit.group()}」→「{term['use']}」 …{around}…")
    return found


@pytest.mark.parametrize("source", ["controls", "yaml", "notebooks"])
def test_one_spelling_per_term(source):
    texts = list({"controls": control_texts, "yaml": yaml_texts, "notebooks": notebook_texts}[source]())
    assert texts
    found = _term_violations(texts)
    assert not found, "\n".join(found)


def test_the_refused_variants_are_found():
    """The checker itself: each rule catches a text written with its variant."""
    sample = [("x", "y", None, "ファイルサーバーのフォルダーに気づいたことがわかった。事件の記録および写し、または15名")]
    found = "\n".join(_term_violations(sample))
    for use in ("サーバ", "フォルダ", "気付く", "分かる", "インシデント", "及び", "又は", "人（人数）"):
        assert f"→「{use}」" in found
    assert not _term_violations([("x", "y", None, "出来事がこわかった。15人の名簿、氏名")])


# --- registers -----------------------------------------------------------------------------------------------------

def _register_violations(texts):
    found = []
    for file, where, register, text in texts:
        if register is None:
            continue
        for s in sentences(text):
            if register == "polite" and not is_polite(s) and not s.endswith("こと"):
                found.append(f"{file} {where}（です・ます調）: …{s[-40:]}")
            if register == "plain" and is_polite(s):
                found.append(f"{file} {where}（である調）: …{s[-40:]}")
    return found


def test_lesson_cases_and_tips_polite_rules_plain():
    found = _register_violations(list(control_texts()))
    assert not found, "\n".join(found)


def test_notebook_prose_is_polite():
    found = _register_violations(list(notebook_texts(prose=True)))
    assert not found, "\n".join(found)


def test_register_checker():
    assert sentences("規程は三つです（例：方針。基準）。次に進みます（CISA）。") == ["規程は三つです", "次に進みます"]
    assert _register_violations([("f", "case", "polite", "社長は怒った。報告しました。")]) == ["f case（です・ます調）: …社長は怒った"]
    assert _register_violations([("f", "s", "plain", "従業員は報告しなければならない。報告します。")])


# --- invented companies --------------------------------------------------------------------------------------------

def test_one_company_per_letter_in_lesson_cases():
    used = defaultdict(set)
    for path in sorted((CONTENT / "controls").glob("*.yaml")):
        case = (_load(path).get("lesson") or {}).get("case", "")
        for letter in set(re.findall(r"(?<![A-Za-z0-9])([A-ZＡ-Ｚ])社", case)):
            used[letter].add(path.stem)
    shared = {letter: sorted(numbers) for letter, numbers in used.items() if len(numbers) > 1}
    assert not shared, f"one letter names companies in several cases: {shared}"
