"""Checking answers: model answers score full marks, blanks zero, typing variants are normalised, wrong types are
explained in Japanese, and wrong answers get a hint that does not give the answer away."""

import pandas as pd
import pytest

from course.incident import checks as C
from fixtures.incident import scenario

FORMS = list(C.forms())


@pytest.mark.parametrize("seed", [2, 3])
@pytest.mark.parametrize("form", FORMS)
def test_model_answers_full_marks_blank_zero(form, seed):
    s = scenario(seed)
    full = C.check_answers(form, C.model_answers(form, s), s)
    assert full.ok and full.score == full.total, full
    blank = C.check_answers(form, {}, s)
    assert not blank.ok and blank.score == 0
    assert {f.status for f in blank.fields.values()} == {"missing"}
    assert all("まだ回答がありません" in m for m in blank.messages)


def test_host_account_and_time_are_normalised():
    s = scenario(2)
    tr = s.truth
    start = tr.encryption_start
    answers = {
        "first_host": f"  {tr.first_host.lower()} ",
        "first_user": f"MIDORI\\{tr.first_user.upper()}",
        "infected_hosts": "、".join(h.lower() for h in tr.infected_hosts),
        "compromised_accounts": [f" {a} " for a in tr.compromised_accounts],
        "entry_time": f"{tr.entry_time:%Y/%m/%d %H:%M}",
        "exfil_ip": f" {tr.exfil_ip} ",
        "exfil_gb": f"約{tr.exfil_bytes / 1e9:.2f}GB",
        "entry_route": tr.variant,
    }
    result = C.check_answers("ir_analyze", answers, s)
    assert result.ok, result
    jp = f"{start.year}年{start.month}月{start.day}日 {start.hour}時{start.minute}分"
    assert C.check_field("ir_detect", "encryption_start", jp, s).ok
    assert C.check_field("ir_detect", "ransom_extension", f"*.{tr.ransom_extension.upper()}", s).ok
    assert C.check_field("ir_detect", "early_ticket", tr.early_ticket.lower(), s).ok


@pytest.mark.parametrize("field, value", [
    ("first_host", 3), ("first_host", {"host": "PC"}), ("infected_hosts", 42), ("infected_hosts", [1, 2]),
    ("exfil_ip", "not-an-address"), ("exfil_gb", [1]), ("exfil_gb", "たくさん"), ("entry_time", "昨日の夜"),
    ("entry_route", "USB"), ("entry_time", 12.5),
])
def test_wrong_types_are_explained_not_raised(field, value):
    r = C.check_field("ir_analyze", field, value, scenario(2))
    assert r.status == "invalid"
    assert any("\u3040" <= ch <= "\u30ff" for ch in r.message)


def test_answers_that_are_not_a_dict_are_explained():
    r = C.check_answers("ir_contain", "PC-SOUMU-01", scenario(2))
    assert not r.ok and {f.status for f in r.fields.values()} == {"invalid"}


def test_partial_set_names_extras_counts_missing_and_never_reveals_them():
    s = scenario(2)
    hosts = list(s.truth.infected_hosts)
    r = C.check_field("ir_analyze", "infected_hosts", [hosts[0], hosts[1], "PC-FAKE-99"], s)
    assert r.status == "partial" and 0 < r.score < 1
    assert "PC-FAKE-99" in r.message
    assert f"{len(hosts) - 2} 件" in r.message
    for h in hosts[2:]:
        assert h not in r.message


@pytest.mark.parametrize("form", ["ir_detect", "ir_analyze", "ir_recover"])
def test_hints_do_not_give_the_answer_away(form):
    s = scenario(3)
    model = C.model_answers(form, s)
    for spec in C.form(form)["fields"]:
        if spec.get("decision") or spec["kind"] in ("free", "choice"):   # choices list every option by design
            continue
        r = C.check_field(form, spec["id"], "PC-XYZ-99" if spec["kind"] not in ("time", "number", "ip") else
                          {"time": "2000-01-01 00:00", "number": "9999", "ip": "192.0.2.1"}[spec["kind"]], s)
        assert not r.ok
        values = model[spec["id"]] if isinstance(model[spec["id"]], list) else [model[spec["id"]]]
        for v in values:
            assert str(v) not in r.message, (spec["id"], v)


def test_time_tolerance_and_direction():
    s = scenario(2)
    start = s.truth.encryption_start
    near, later = start + pd.Timedelta(minutes=1), start + pd.Timedelta(hours=3)
    assert C.check_field("ir_detect", "encryption_start", f"{near:%Y-%m-%d %H:%M:%S}", s).ok
    late = C.check_field("ir_detect", "encryption_start", f"{later:%Y-%m-%d %H:%M}", s)
    assert late.status == "wrong" and "遅すぎ" in late.message


def test_restore_order_follows_dependencies_and_business_priority():
    s = scenario(2)
    model = C.model_restore_order(s)
    assert C.check_field("ir_recover", "restore_order", model, s).ok
    wrong = C.check_field("ir_recover", "restore_order", list(reversed(model)), s)
    assert wrong.status == "partial" and 0 < wrong.score < 1
    if "DC01" in model:
        assert model[0] == "DC01" and "DC01" in wrong.message


def test_decisions_explain_the_reasoning():
    s = scenario(2)
    bad = C.check_field("ir_contain", "power", "power_off", s)
    assert bad.status == "wrong" and "メモリ" in bad.message
    good = C.check_field("ir_contain", "power", "disconnect_keep_on", s)
    assert good.ok
    mixed = C.check_field("ir_recover", "eradication", ["close_route", "pay_ransom"], s)
    assert mixed.status == "partial" and "CISA" in mixed.message and "3 件" in mixed.message


def test_choice_accepts_the_label_as_well_as_the_id():
    s = scenario(2)
    label = dict((o, lab) for lab, o in C.options(C.field_spec("ir_analyze", "entry_route")))[s.truth.variant]
    assert C.check_field("ir_analyze", "entry_route", label, s).ok


def test_notification_deadlines():
    s = scenario(2)
    assert C.check_field("ir_post", "ppc_final_days", "60日", s).ok
    assert not C.check_field("ir_post", "ppc_final_days", 30, s).ok
    assert C.check_field("ir_post", "ppc_first_days", "3", s).ok
    assert not C.check_field("ir_post", "ppc_first_days", 30, s).ok


# -- recovery: what comes back how (issue #16, E3) ------------------------------------------------------------------

def test_every_host_in_the_recovery_order_says_how_it_comes_back():
    """Hosts without a backup are rebuilt, not 'restored': only FS01 comes from the NAS01 backup, APP01 from the
    vendor's copy; the domain controller is rebuilt and the KRBTGT password is reset twice if the domain is kept."""
    s = scenario(2)
    assets = s.logs["assets"].set_index("host")
    order = C.model_restore_order(s)
    assert order[0] == "DC01" and "DC01" in s.truth.infected_hosts
    for host in order:
        assert assets.at[host, "recovery"].strip(), host
    from_nas = {h for h in assets.index if "NAS01 のバックアップ" in assets.at[h, "recovery"]}
    assert from_nas == {"FS01"}
    assert "バックアップなし" in assets.at["DC01", "recovery"] and "作り直す" in assets.at["DC01", "recovery"]
    assert "KRBTGT" in assets.at["DC01", "recovery"] and "2 回" in assets.at["DC01", "recovery"]
    assert "ベンダー" in assets.at["APP01", "recovery"]


def test_eradication_resets_krbtgt_twice_and_rebuilds_a_used_domain_controller():
    options = {o["id"]: o for o in C.decisions()["eradication"]["options"]}
    assert options["reset_all_passwords"]["correct"] and "KRBTGT" in options["reset_all_passwords"]["ja"]
    assert "2 回" in options["reset_all_passwords"]["ja"]
    assert options["rebuild_hosts"]["correct"] and "システム状態のバックアップ" in options["rebuild_hosts"]["ja"]


def test_configuration_review_and_staff_notice_are_answers():
    s = scenario(0)
    review = C.check_field("ir_recover", "config_review", ["segmentation", "new_antivirus_only"], s)
    assert review.status == "partial" and "正規のツール" in review.message
    full = C.check_field("ir_recover", "config_review", C.model_answers("ir_recover", s)["config_review"], s)
    assert full.ok and {"segmentation", "exposed_services", "admin_accounts"} <= set(
        C.model_answers("ir_recover", s)["config_review"])
    assert C.check_field("ir_contain", "staff_notice", "ask_staff", s).ok
    assert not C.check_field("ir_contain", "staff_notice", "company_mail", s).ok


def test_public_notice_names_what_is_still_missing():
    s = scenario(0)
    model = C.model_answers("ir_post", s)["public_notice"]
    assert C.check_field("ir_post", "public_notice", model, s).ok
    short = C.check_field("ir_post", "public_notice", "当社のサーバが不正アクセスを受けました。深くおわび申し上げます。", s)
    assert short.status == "partial" and 0 < short.score < 0.5
    assert "問い合わせの窓口" in short.message and "おわび" not in short.message.split("：", 1)[1]
    assert C.check_field("ir_post", "public_notice", "", s).status == "missing"


def test_no_backup_left_is_answered_with_none():
    from course.incident.scenario import generate
    wiped = generate(2, wipe_nas=True)
    assert C.check_field("ir_recover", "last_clean_backup", "なし", wiped).ok
    assert not C.check_field("ir_recover", "last_clean_backup", "BK-20250101", wiped).ok
    assert C.check_field("ir_recover", "clean_copies_left", 0, wiped).ok
