"""Teams on the classroom hub, with real Linux users (deploy/jupyterhub/jupyterhub_config.py, roster `teams`).

Two teams: A (two students) and B (one). Each team has a collaboration account (a Linux user and hub user nobody
logs in as) whose server is the team's workspace with real-time collaboration. The test checks that a member can
start the team's server, that both members of team A edit the team notebook at the same time in two browser
contexts and both edits arrive (in the file on disk and in each other's page), and that the member of team B can
neither open nor start team A's workspace."""

import os
import secrets
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from fixtures import wait_for
from fixtures.hub import TIMEOUT, Hub, Session, hub_environment
from fixtures.unix import Users, require_unix_users, shared_deploy, shared_python

COURSE = "sme-security"
NOTEBOOK = "notebooks/ir_07_team_worksheet.ipynb"


def _require():
    require_unix_users("configurable-http-proxy")
    missing = []
    for module in ("jupyterhub", "requests", "jupyter_server_ydoc"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        message = f"the team hub test needs {', '.join(missing)} (make test installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def team_hub():
    _require()
    base = Path(tempfile.mkdtemp(prefix="course-teams-", dir="/tmp"))
    os.chmod(base, 0o755)
    (base / "home").mkdir()
    users = Users(base / "home")
    hub = None
    try:
        tag = secrets.token_hex(2)
        names = {"teacher": f"ws{tag}t", "a1": f"ws{tag}a1", "a2": f"ws{tag}a2", "b1": f"ws{tag}b1"}
        passwords = {role: users.create(name) for role, name in names.items()}
        prefix = f"ws{tag}-team-"
        accounts = {"A": f"{prefix}a", "B": f"{prefix}b"}
        for account in accounts.values():  # the collaboration accounts: Linux users whose password nobody uses
            users.create(account)
        roster = base / "roster.yaml"
        roster.write_text(f"course_id: {COURSE}\ninstructors: [{names['teacher']}]\n"
                          f"students: [{names['a1']}, {names['a2']}, {names['b1']}]\n"
                          f"team_account_prefix: {prefix}\n"
                          f"teams:\n  A: [{names['a1']}, {names['a2']}]\n  B: [{names['b1']}]\n")
        env = hub_environment(base, roster, shared_python(base), COURSE)
        hub = Hub(base, shared_deploy(base) / "jupyterhub_config.py", env).start()
        yield {"base": base, "hub": hub, "names": names, "passwords": passwords, "accounts": accounts,
               "sessions": {role: Session(hub, names[role], passwords[role]) for role in ("a1", "a2", "b1")}}
    finally:
        if hub:
            hub.stop()
            artifacts = Path(os.environ.get("COURSE_ARTIFACTS", "/tmp/course-artifacts"))
            artifacts.mkdir(parents=True, exist_ok=True)
            shutil.copy(hub.log, artifacts / "team-hub.log")
        users.remove_all()
        shutil.rmtree(base, ignore_errors=True)


def log_in(browser, hub, name, password):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url("**/hub/**", timeout=TIMEOUT * 1000)
    return context, page


def open_notebook(page, hub, account):
    """The team notebook in the team's JupyterLab (confirming the hub's 'authorize access' page if it asks)."""
    response = page.goto(f"{hub.url}/user/{account}/lab/tree/{NOTEBOOK}", timeout=TIMEOUT * 1000)
    authorize = page.locator("input[type=submit][value*='Authorize'], button:has-text('Authorize')")
    if authorize.count():
        authorize.first.click()
    return response


def cell_editor(page, index):
    return page.locator(".jp-Notebook .jp-CodeCell .cm-content").nth(index)


def type_at_end(page, index, text):
    editor = cell_editor(page, index)
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.insert_text(text)


def notebook_on_disk(base, account):
    path = base / "home" / account / NOTEBOOK
    return nbformat.read(path, as_version=4) if path.exists() else None


@pytest.mark.slow
def test_two_members_edit_the_team_notebook_together_and_the_other_team_cannot_open_it(team_hub, browser):

    hub, base, accounts = team_hub["hub"], team_hub["base"], team_hub["accounts"]
    a1, a2, b1 = (team_hub["sessions"][r] for r in ("a1", "a2", "b1"))
    team_a = accounts["A"]

    # -- roles: members start the team's server; the other team can neither start nor open it -------------------------
    groups = {g for g in a1.hub_api("GET", "/user").json()["groups"]}
    assert f"{team_a}-members" in groups and "students" in groups
    assert b1.hub_api("POST", f"/users/{team_a}/server").status_code in (403, 404)  # 404: not even visible
    r = a1.hub_api("POST", f"/users/{team_a}/server")
    assert r.status_code in (201, 202), f"{r.status_code} {r.text}\n{hub.tail()}"
    wait_for(lambda: a1.hub_api("GET", f"/users/{team_a}").json().get("servers", {}).get("", {}).get("ready"),
             TIMEOUT, "team A's server")
    assert a2.other_server(team_a, "GET", "/api/status").status_code == 200
    assert b1.other_server(team_a, "GET", "/api/contents").status_code in (302, 403, 404)
    assert a1.other_server(accounts["B"], "GET", "/api/contents").status_code in (302, 403, 404)
    home = base / "home" / team_a
    assert (home.stat().st_mode & 0o777) == 0o700 and (home / NOTEBOOK).exists()

    note_1, note_2 = "# team A note from member one", "# team A note from member two"
    pages, contexts = [], []
    for role in ("a1", "a2"):
        context, page = log_in(browser, hub, team_hub["names"][role], team_hub["passwords"][role])
        contexts.append(context)
        open_notebook(page, hub, team_a)
        cell_editor(page, 2).wait_for(timeout=TIMEOUT * 1000)
        pages.append(page)
    page_1, page_2 = pages
    # both members type at the same time, each in another cell
    type_at_end(page_1, 0, note_1)
    type_at_end(page_2, 2, note_2)

    def both_saved():
        nb = notebook_on_disk(base, team_a)
        text = "\n".join(c.source for c in nb.cells) if nb else ""
        return note_1 in text and note_2 in text

    wait_for(both_saved, 120, "both members' edits in the saved notebook")
    for page, other in ((page_1, note_2), (page_2, note_1)):  # and each sees the other's edit
        wait_for(lambda: other in page.locator(".jp-Notebook").inner_text(), 60, "the other member's edit")
    nb = notebook_on_disk(base, team_a)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0].endswith(note_1) and code[2].endswith(note_2)

    # -- the member of team B gets no workspace of team A in the browser either -----------------------------------
    context, page_b = log_in(browser, hub, team_hub["names"]["b1"], team_hub["passwords"]["b1"])
    contexts.append(context)
    response = open_notebook(page_b, hub, team_a)
    page_b.wait_for_load_state()
    assert page_b.locator(".jp-Notebook").count() == 0
    assert (response and response.status == 403) or "403" in page_b.content()
    for context in contexts:
        context.close()

