"""The course's pages in JupyterLab's dark theme, and the learner's `course lab` in Japanese, in Chromium.

A JupyterLab whose user settings choose "JupyterLab Dark" runs a notebook with the drafting workbench (model inserted,
self-check shown, preview filled), a lesson page, the statement of applicability and the progress overview. The test
takes screenshots, then reads every piece of text in the outputs and checks its contrast against the background it is
drawn on (WCAG 2: 4.5:1, 3:1 for large text), and that every input has a label or a tooltip. A positive control shows
that the check finds light text on a light box, the fault the course's pages used to have.
"""

import json
import os
import re
import signal
import subprocess
import sys

import nbformat
import pytest

from .lab import ROOT, UI_TIMEOUT, LabServer, NotebookPage, artifacts_dir, free_port, wait_for

pytestmark = pytest.mark.slow

CELLS = [
    "from course.drafting.widgets import Workbench\nfrom course.exercises.lesson_view import lesson\n"
    "from course.soa import SoaTable\nfrom course.progress import progress",
    "lesson('6.1')",
    "wb = Workbench('6.1')\nwb.insert_model()\nwb.check()\nwb.statements.add()\nwb.steps.add()\nwb",
    "SoaTable()",
    "progress()",
]
# Planted after the course's outputs in the positive control: near-white text on a near-white box.
BAD_HTML = ("<div id='planted' style='background:#fafafa;color:#eeeeee'>読みにくい文</div>"
            "<input id='planted-input' type='text' placeholder='no label'>")

# Reads every text node drawn inside the notebook's outputs: its colour, the colour behind it (backgrounds of the
# ancestors composed over the page) and the ratio. Icons marked aria-hidden are skipped: the words beside them count.
CONTRAST_JS = r"""
() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0, 0, 0, 0];
                       const p = m[1].split(',').map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, bottom) => { const a = top[3] + bottom[3] * (1 - top[3]); if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map(i => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a).concat([a]); };
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
                     return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c); if (c[3] >= 1) break; }
    let bg = [255, 255, 255, 1];
    if (!layers.length || layers[layers.length - 1][3] < 1) bg = parse(getComputedStyle(document.body).backgroundColor);
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg; };
  const found = [];
  const root = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output');
  for (const out of root) {
    const walker = document.createTreeWalker(out, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim(); const el = node.parentElement;
      if (!text || !/[\p{L}\p{N}]/u.test(text) || el.closest('[aria-hidden="true"], style, script')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) continue;
      const bg = background(el); const fg = over(parse(style.color), bg);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const size = parseFloat(style.fontSize); const bold = parseInt(style.fontWeight) >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      found.push({text: text.slice(0, 40), ratio: (l1 + 0.05) / (l2 + 0.05), need: large ? 3 : 4.5,
                  color: style.color, bg: `rgb(${bg.slice(0, 3).map(Math.round)})`});
    }
    for (const el of out.querySelectorAll('input:not([type=hidden]), textarea, select')) {
      const style = getComputedStyle(el); if (el.getClientRects().length === 0) continue;
      const bg = background(el); const fg = over(parse(style.color), bg);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      found.push({text: `<${el.tagName.toLowerCase()}> ${(el.value || '').slice(0, 30)}`,
                  ratio: (l1 + 0.05) / (l2 + 0.05), need: 4.5, color: style.color, bg: `rgb(${bg.slice(0, 3).map(Math.round)})`});
    }
  }
  return found;
}
"""

# Every input in the outputs has an accessible name: a <label> (ipywidgets' description), aria-label or a tooltip
# (title); a toggle button, whose text is the same on every row ("採用"), needs a tooltip naming its row.
UNLABELLED_JS = r"""
() => {
  const missing = [];
  const outs = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output');
  for (const out of outs) {
    for (const el of out.querySelectorAll('input:not([type=hidden]), textarea, select')) {
      const labels = [...(el.labels || [])].map(l => l.textContent.trim()).join('');
      if (!labels && !(el.getAttribute('aria-label') || '').trim() && !(el.title || '').trim())
        missing.push(`${el.tagName.toLowerCase()} ${el.id || ''} ${el.placeholder || ''}`.trim());
    }
    for (const el of out.querySelectorAll('.widget-toggle-button'))
      if (!(el.title || '').trim()) missing.push(`toggle ${el.textContent.trim()}`);
  }
  return missing;
}
"""


class DarkLabServer(LabServer):
    """A LabServer whose user settings choose JupyterLab's dark theme."""

    def _env(self):
        env = super()._env()
        settings = self.base_dir / "config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "themes.jupyterlab-settings").write_text(json.dumps({"theme": "JupyterLab Dark"}))
        return env


@pytest.fixture(scope="module")
def dark_server(tmp_path_factory):
    from .lab import need_browser

    need_browser()
    server = DarkLabServer(tmp_path_factory.mktemp("dark-lab")).start()
    try:
        yield server
    finally:
        server.stop()


def make_notebook(server, name, extra_html=None):
    folder = server.root / name
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    if extra_html:
        nb.cells.append(nbformat.v4.new_code_cell(f"from IPython.display import HTML\nHTML({extra_html!r})"))
    nbformat.write(nb, folder / "pages.ipynb")
    return f"{name}/pages.ipynb"


def run_pages(page, server, name, extra_html=None):
    nb = NotebookPage(page, server, make_notebook(server, name, extra_html)).open()
    nb.run_all()
    page.locator(".jp-OutputArea .widget-toggle-button").first.wait_for()   # the SoA rows are drawn
    page.locator(".jp-OutputArea img[src^='data:image/png']").first.wait_for()  # the progress chart
    return nb


def poor(results):
    return [r for r in results if r["ratio"] < r["need"]]


def test_dark_theme_pages_are_readable_and_every_input_is_labelled(dark_server, page):
    nb = run_pages(page, dark_server, "dark")
    assert page.evaluate("() => document.body.dataset.jpThemeLight") == "false"  # the dark theme is on

    for label, locator in [
        ("dark-lesson", page.locator(".jp-OutputArea-output", has_text="6.1").first),
        ("dark-workbench", page.locator(".jp-OutputArea .widget-textarea").first),
        ("dark-soa", page.locator(".jp-OutputArea .widget-toggle-button").first),
    ]:
        locator.scroll_into_view_if_needed()
        nb.screenshot(label)

    results = page.evaluate(CONTRAST_JS)
    assert len(results) > 200, "the contrast check read too little text"  # lesson, workbench, 37 SoA rows, table
    assert not poor(results), "text hard to read in the dark theme:\n" + "\n".join(
        f"{r['ratio']:.2f} < {r['need']}: {r['text']!r} ({r['color']} on {r['bg']})" for r in poor(results)[:30])
    assert page.evaluate(UNLABELLED_JS) == []


def test_positive_control_the_checks_find_light_text_and_a_bare_input(dark_server, page):
    run_pages(page, dark_server, "dark-planted", BAD_HTML)
    assert any(r["text"] == "読みにくい文" for r in poor(page.evaluate(CONTRAST_JS)))
    assert any("no label" in m for m in page.evaluate(UNLABELLED_JS))


# -- the learner's `course lab`: Japanese menus, notebooks only --------------------------------------------------------

def test_course_lab_shows_japanese_menus_and_only_the_notebooks(browser, tmp_path):
    from .lab import need_browser

    need_browser()
    port, token = free_port(), "learner-" + os.urandom(6).hex()
    env = {k: v for k, v in os.environ.items() if k != "COURSE_LANG"}
    env.update(JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = tmp_path / "lab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "course", "lab", "--port", str(port), "--token", token],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="ja-JP")
    try:
        url = wait_for(lambda: (m := re.search(r"http://127\.0\.0\.1:\d+/lab/tree/\S+", log.read_text())) and m.group(0),
                       120, "the address printed by course lab")
        pg = context.new_page()
        pg.set_default_timeout(UI_TIMEOUT)
        pg.goto(url)
        pg.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for()
        menus = pg.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        pg.screenshot(path=str(artifacts_dir() / "learner-lab-ja.png"))
        assert "ファイル" in menus and "編集" in menus and "File" not in menus, menus
        listing = pg.locator(".jp-DirListing-itemName").all_inner_texts()
        assert "00_start.ipynb" in listing and not {"course", "tests", "grading", "deploy"} & set(listing), listing
        assert not pg.get_by_text("Formgrader", exact=True).count()
    finally:
        context.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
