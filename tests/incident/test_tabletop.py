"""The tabletop outcome model: deterministic, documented, and every departure from the model decisions costs."""

import itertools

from course.incident import tabletop as TT
from course.incident.content import load


def test_model_decisions_give_the_documented_base_outcome():
    m = load("tabletop")["model"]
    out = TT.outcome(TT.model_decisions())
    assert out.hosts == m["base_hosts"]
    assert out.data_lost == m["base_data_lost_days"]
    assert out.downtime == round(m["base_downtime_days"] + m["base_hosts"] / m["hosts_rebuilt_per_day"], 1)
    assert out.issues == [] and out.unanswered == []


def test_every_other_choice_is_worse_on_some_measure():
    model = TT.model_decisions()
    base = TT.outcome(model).as_dict()
    for inject in TT.injects():
        for option in inject["options"]:
            if option.get("model"):
                continue
            choice = dict(model)
            if inject["kind"] == "multi":
                choice[inject["id"]] = model[inject["id"]] + [option["id"]]
            else:
                choice[inject["id"]] = option["id"]
            out = TT.outcome(choice)
            worse = any(out.as_dict()[k] > base[k] for k in base) or out.issues
            assert worse, (inject["id"], option["id"])


def test_leaving_out_a_required_notification_is_an_issue():
    choice = dict(TT.model_decisions())
    choice["notify"] = [o for o in choice["notify"] if o != "ppc"]
    assert any("個人情報保護法" in i for i in TT.outcome(choice).issues)


def test_delay_spreads_the_encryption_per_the_formula():
    m = load("tabletop")["model"]
    choice = dict(TT.model_decisions(), first_report="wait_vendor")
    assert TT.outcome(choice).hosts == min(m["max_hosts"], m["base_hosts"] + 5 * m["spread_per_hour"])


def test_outcome_is_deterministic_and_tolerates_bad_input():
    combos = list(itertools.islice(itertools.product(*[[o["id"] for o in i["options"]] for i in TT.injects()
                                                       if i["kind"] == "choice"]), 20))
    for combo in combos:
        d = dict(zip([i["id"] for i in TT.injects() if i["kind"] == "choice"], combo))
        assert TT.outcome(d) == TT.outcome(dict(d))
    assert TT.outcome("nonsense").unanswered == [i["id"] for i in TT.injects()]
    assert TT.outcome({"first_report": 3, "notify": "ppc"}).unanswered == [i["id"] for i in TT.injects()
                                                                          if i["id"] != "notify"]


def test_reasons_cover_every_inject_and_say_why():
    rows = TT.reasons({"first_report": "wait_vendor"})
    assert [r["inject"] for r in rows] == [i["id"] for i in TT.injects()]
    assert not rows[0]["agrees"] and "切り離" in rows[0]["why"]


def test_every_assumption_of_the_model_is_explained():
    table = TT.assumptions()
    model = TT.tabletop_content()["model"]
    assert list(table["値"]) == list(model.values())
    assert not any(name in model for name in table.index)  # a Japanese label, not the key
