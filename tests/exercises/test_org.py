"""Chapter 14 data exercises: seeded invented data, its truth, the self-checks and the charts.

The truth of each dataset is tested three ways: what the generator planted, what the dataset reports (truth_*), and an
analysis written here in plain Python over the rows (no pandas filtering), for many seeds.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from course.catalog import controls
from course.exercises.generator import DataError
from course.exercises.org_checks import (check_classification, check_conflicts, check_leavers_active,
                                         check_mislabelled, check_shared_accounts, check_transfer_violations)
from course.exercises.org_data import PUBLIC_SEED, access_review, asset_inventory, settings, transfer_log
from course.exercises.org_plots import (annex_a_chart, layers_figure, overview, plot_access_review, plot_labels,
                                        plot_transfers)
from course.exercises.organizational import (annex_a_table, lesson_numbers, notebook_of, organizational_controls,
                                             soa_progress)

SEEDS = list(range(20)) + [PUBLIC_SEED, 8123, 2**40]
ODD_ANSWERS = [None, "", [], 3, 2.5, True, {"a": 1}, [[1, 2]], pd.DataFrame({"x": [1]}), object()]


# -- the data ------------------------------------------------------------------------------------------------------------

def test_same_seed_same_data_other_seed_other_data():
    a, b = access_review(3), access_review(3)
    pd.testing.assert_frame_equal(a.accounts, b.accounts)
    pd.testing.assert_frame_equal(asset_inventory(3).assets, asset_inventory(3).assets)
    pd.testing.assert_frame_equal(transfer_log(3).log, transfer_log(3).log)
    assert not access_review(4).people.equals(a.people)
    assert not transfer_log(4).log.equals(transfer_log(3).log)


def test_returned_frames_are_copies():
    data = access_review()
    data.accounts.loc[:, "状態"] = "無効"
    assert "有効" in set(access_review().accounts["状態"])
    log = transfer_log()
    log.planted.clear()
    assert transfer_log().planted


def test_printing_a_dataset_does_not_show_the_truth():
    for data, secret in ((access_review(), access_review().truth_leavers_active[0]),
                         (asset_inventory(), asset_inventory().truth_mislabelled[0]),
                         (transfer_log(), transfer_log().truth_violations[0])):
        text = repr(data)
        assert text.startswith(f"{type(data).__name__}(seed=14, ") and "行" in text
        assert secret not in text and "planted" not in text


@pytest.mark.parametrize("seed", [-1, "7", 1.5, None, True])
def test_bad_seed_is_a_japanese_message(seed):
    with pytest.raises(DataError, match="seed"):
        access_review(seed)


def test_names_and_addresses_are_invented():
    s = settings()
    data = access_review()
    for name in data.people["氏名"]:
        surname, given = name.split(" ")
        assert surname in s["surnames"] and given in s["given_names"]
    log = transfer_log().log
    emails = [a for a in log["宛先"] if "@" in a]
    assert emails and all(a.endswith(".example") for a in emails)
    assert len(set(data.people["社員番号"])) == len(data.people)


def _leavers_active(data):
    status = {p["社員番号"]: p["在籍状況"] for p in data.people.to_dict("records")}
    return sorted(a["アカウントID"] for a in data.accounts.to_dict("records")
                  if not pd.isna(a["社員番号"]) and status[a["社員番号"]] == "退職" and a["状態"] == "有効")


def _shared(data):
    return sorted(a["アカウントID"] for a in data.accounts.to_dict("records")
                  if pd.isna(a["社員番号"]) and a["用途"] == "業務" and a["状態"] == "有効")


def _conflicts(data):
    held = {}
    for row in data.duties.to_dict("records"):
        held.setdefault(row["社員番号"], set()).add(row["職務"])
    pairs = list(zip(data.conflicts["職務A"], data.conflicts["職務B"]))
    return sorted(n for n, mine in held.items() if any(a in mine and b in mine for a, b in pairs))


@pytest.mark.parametrize("seed", SEEDS)
def test_access_truth_agrees_three_ways(seed):
    data = access_review(seed)
    assert data.truth_leavers_active == _leavers_active(data) == sorted(data.planted_leavers_active)
    assert data.truth_shared == _shared(data) == sorted(data.planted_shared)
    assert data.truth_conflicts == _conflicts(data) == sorted(data.planted_conflicts)
    lo, hi = settings()["ranges"]["leaver_active_accounts"]
    assert lo <= len(data.truth_leavers_active) <= hi
    assert 3 <= len(data.truth_shared) <= 4 and 2 <= len(data.truth_conflicts) <= 3
    # the order-and-payment pair is always among the findings (the example the chapter uses)
    assert any(("発注", "支払承認") in pairs for pairs in data.truth_conflict_pairs.values())
    # there is always something to tell apart: someone with two duties that do not conflict, disabled leavers' and
    # machine accounts, and someone on leave
    held = data.duties.groupby("社員番号")["職務"].nunique()
    assert set(held[held >= 2].index) - set(data.truth_conflicts)
    assert "休職" in set(data.people["在籍状況"])
    assert (data.accounts["用途"] == "システム連携").any()


def _classes(data):
    out = {}
    for row in data.assets.to_dict("records"):
        if row["個人情報"] or row["取引先の秘密"] or row["未公表の経営情報"]:
            out[row["資産ID"]] = "機密"
        elif row["公表済み"]:
            out[row["資産ID"]] = "公開"
        else:
            out[row["資産ID"]] = "社外秘"
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_asset_truth_agrees_three_ways(seed):
    data = asset_inventory(seed)
    classes = _classes(data)
    assert data.truth_classes == classes
    wrong = sorted(r["資産ID"] for r in data.assets.to_dict("records")
                   if (classes[r["資産ID"]] == "公開" and r["現在の表示"] not in ("公開", "表示なし"))
                   or (classes[r["資産ID"]] != "公開" and r["現在の表示"] != classes[r["資産ID"]]))
    assert data.truth_mislabelled == wrong == sorted(data.planted_too_low | data.planted_too_high)
    assert len(data.planted_too_low) >= 2 and data.planted_too_high
    # public items without a label exist and are not findings
    public_unlabelled = [i for i, c in classes.items()
                         if c == "公開" and data.assets.set_index("資産ID").loc[i, "現在の表示"] == "表示なし"]
    assert not set(public_unlabelled) & set(wrong)


def _violations(data):
    out = {r: set() for r in ("R1", "R2", "R3", "R4", "R5", "R6")}
    for row in data.log.to_dict("records"):
        cls, how, i = row["分類"], row["方法"], row["記録ID"]
        if cls == "機密" and how == "メール添付" and not (row["暗号化"] and row["パスワード別送"]):
            out["R1"].add(i)
        if cls == "機密" and how == "共有リンク" and not row["有効期限あり"]:
            out["R2"].add(i)
        if cls == "機密" and how == "郵送・宅配便" and not row["追跡あり"]:
            out["R3"].add(i)
        if cls in ("機密", "社外秘") and how == "USBメモリ" and not (row["持出承認"] and row["暗号化"]):
            out["R4"].add(i)
        if cls in ("機密", "社外秘") and row["宛先の種類"] == "個人のアドレス":
            out["R5"].add(i)
        if cls == "機密" and not row["記録簿に記入"]:
            out["R6"].add(i)
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_transfer_truth_agrees_three_ways(seed):
    data = transfer_log(seed)
    mine = _violations(data)
    assert {r: set(v) for r, v in data.truth_by_rule.items()} == mine == {r: set(v) for r, v in data.planted.items()}
    assert all(1 <= len(v) <= 3 for v in mine.values())
    assert data.truth_violations == sorted(set().union(*mine.values()))
    # every planted record breaks exactly one rule; the log also holds lawful look-alikes
    counts = pd.Series([i for v in mine.values() for i in v]).value_counts()
    assert counts.max() == 1
    log = data.log
    assert ((log["分類"] == "社外秘") & (log["方法"] == "メール添付") & ~log["暗号化"]).any()
    assert (log["分類"] == "公開").any()
    assert len(log) == settings()["log_size"] and log["記録ID"].is_unique and log["日時"].is_monotonic_increasing


# -- the self-checks -----------------------------------------------------------------------------------------------------

CHECKS = [
    (check_leavers_active, lambda: access_review().truth_leavers_active),
    (check_shared_accounts, lambda: access_review().truth_shared),
    (check_conflicts, lambda: access_review().truth_conflicts),
    (check_mislabelled, lambda: asset_inventory().truth_mislabelled),
    (check_transfer_violations, lambda: transfer_log().truth_violations),
]


@pytest.mark.parametrize("check, truth", CHECKS)
def test_right_answer_passes_in_any_shape(check, truth):
    ids = truth()
    for shape in (ids, tuple(ids), set(ids), pd.Series(ids), np.array(ids), "、".join(ids), [i.upper() for i in ids]):
        result = check(shape)
        assert result.ok and result.score == 1.0, (shape, result.messages)
        assert result.messages[0].startswith("正解です")


@pytest.mark.parametrize("check, truth", CHECKS)
@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda a: type(a).__name__ if type(a) is object else repr(a))
def test_odd_answers_get_a_japanese_message_not_a_traceback(check, truth, answer):
    result = check(answer)
    assert not result.ok and result.score == 0.0 and result.messages
    assert all(any("\u3040" <= ch <= "\u30ff" for ch in m) for m in result.messages)  # kana: Japanese text
    assert "Traceback" not in str(result)


def test_check_with_wrong_data_object_is_a_message():
    result = check_leavers_active(["x"], data=transfer_log())
    assert not result.ok and "AccessData" in result.messages[0]


def test_leavers_check_explains_what_is_wrong():
    data = access_review()
    truth = data.truth_leavers_active
    merged = data.accounts.merge(data.people, on="社員番号", how="left")
    disabled = merged.loc[(merged["在籍状況"] == "退職") & (merged["状態"] == "無効"), "アカウントID"].iloc[0]
    on_leave = merged.loc[merged["在籍状況"] == "休職", "アカウントID"].iloc[0]
    result = check_leavers_active(truth[1:] + [disabled, on_leave])
    assert not result.ok and 0 < result.score < 1
    text = "\n".join(result.messages)
    assert disabled in text and on_leave in text          # the learner's own extras are named, in the data's spelling
    assert truth[0] not in text                           # a missing one is not given away
    assert "1 件見落としています" in text
    people_ids = sorted(set(data.people.loc[data.people["在籍状況"] == "退職", "社員番号"]))
    assert "アカウントID" in check_leavers_active(people_ids).messages[0]


def test_leavers_check_reads_a_filtered_table():
    data = access_review()
    table = data.accounts[data.accounts["アカウントID"].isin(data.truth_leavers_active)]
    assert check_leavers_active(table).ok
    assert "絞り込みの条件" in check_leavers_active(data.accounts["状態"] == "有効").messages[0]


def test_shared_and_conflict_checks_explain_extras():
    data = access_review()
    machine = data.accounts.loc[data.accounts["用途"] == "システム連携", "アカウントID"].iloc[0]
    result = check_shared_accounts(data.truth_shared + [machine])
    assert not result.ok and any("システム連携" in m for m in result.messages)
    held = data.duties.groupby("社員番号")["職務"].nunique()
    harmless = sorted(set(held[held >= 2].index) - set(data.truth_conflicts))[0]
    result = check_conflicts(data.truth_conflicts[1:] + [harmless])
    text = "\n".join(result.messages)
    assert harmless in text and "職務分離表" in text and "見落として" in text
    names = list(data.people.set_index("社員番号").loc[data.truth_conflicts, "氏名"])
    assert "社員番号" in check_conflicts(names).messages[0]


def test_classification_check_reads_every_shape_and_names_the_criterion():
    data = asset_inventory()
    truth = data.truth_classes
    assets = data.assets.copy()
    assets["正しい分類"] = [truth[i] for i in assets["資産ID"]]
    for shape in (truth, assets["正しい分類"], assets.set_index("資産ID")["正しい分類"], assets,
                  pd.Series(truth), [truth[i] for i in assets["資産ID"]]):
        assert check_classification(shape).ok
    personal = assets["個人情報"]
    wrong = assets.copy()
    wrong.loc[personal, "正しい分類"] = "社外秘"
    result = check_classification(wrong["正しい分類"])
    assert not result.ok
    assert result.score == pytest.approx(round(1 - personal.sum() / len(assets), 4))
    assert any("個人情報" in m and f"{personal.sum()} 件" in m for m in result.messages)
    assert "機密" in check_classification({"A001": "極秘"}).messages[0]
    assets["正しい分類"] = None
    assert check_classification(assets["正しい分類"]).messages[0].startswith("まだ回答がありません")


def test_label_and_transfer_checks_explain_extras_and_misses():
    data = asset_inventory()
    rows = data.assets.set_index("資産ID")
    classes = data.truth_classes
    public_unlabelled = [i for i in rows.index if classes[i] == "公開" and rows.loc[i, "現在の表示"] == "表示なし"]
    result = check_mislabelled(data.truth_mislabelled + public_unlabelled[:1])
    if public_unlabelled:
        assert any("表示が必要なのは" in m for m in result.messages)
    low = sorted(data.planted_too_low)
    result = check_mislabelled(sorted(set(data.truth_mislabelled) - {low[0]}))
    assert any("保護が足りない" in m and "1 件" in m for m in result.messages)

    log = transfer_log()
    first_r3 = log.truth_by_rule["R3"][0]
    public = log.log.loc[log.log["分類"] == "公開", "記録ID"].iloc[0]
    result = check_transfer_violations([i for i in log.truth_violations if i != first_r3] + [public])
    text = "\n".join(result.messages)
    assert "R3" in text and public in text and "公開" in text and first_r3 not in text


# -- charts ------------------------------------------------------------------------------------------------------------

def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts + [ax.title]] + [fig._suptitle.get_text()
                                                                              if fig._suptitle else ""]


@pytest.fixture
def no_warnings():
    import matplotlib.pyplot as plt

    plt.close("all")  # figures left open by other tests would trip matplotlib's "more than 20 figures" warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Japanese glyph is a UserWarning: turn it into a failure
        yield
    plt.close("all")


def test_charts_draw_the_learners_findings(no_warnings):
    a, b, c = access_review(), asset_inventory(), transfer_log()
    fig = plot_access_review(a, a.truth_leavers_active, a.truth_shared, a.truth_conflicts)
    fig.canvas.draw()
    counts = sorted(p.get_width() for p in fig.axes[0].patches)
    assert counts == sorted([len(a.truth_leavers_active), len(a.truth_shared), len(a.truth_conflicts)])
    assert len(fig.axes[1].patches) == len(a.truth_leavers_active)
    assert all(p.get_width() > 0 for p in fig.axes[1].patches)  # days since leaving

    fig = plot_labels(b, b.truth_mislabelled)
    fig.canvas.draw()
    assert sum(p.get_width() for p in fig.axes[0].patches) == len(b.truth_mislabelled)

    fig = plot_transfers(c, c.truth_violations)
    fig.canvas.draw()
    assert sum(p.get_width() for p in fig.axes[0].patches) == len(c.truth_violations)
    assert sum(p.get_width() for p in fig.axes[1].patches) == len(c.truth_violations)


@pytest.mark.parametrize("answer", [None, [], 5, "x"])
def test_charts_without_an_answer_say_so(answer, no_warnings):
    for fig in (plot_access_review(access_review(), answer, answer, answer), plot_labels(asset_inventory(), answer),
                plot_transfers(transfer_log(), answer)):
        fig.canvas.draw()
        assert any("まだ回答がありません" in text for text in _texts(fig))


def test_overview_figures_and_tables(no_warnings):
    data = overview()["annex_a"]
    counts = {th["clause"]: th["count"] for th in data["themes"]}
    assert counts == {"5": 37, "6": 8, "7": 14, "8": 34} and data["total"] == sum(counts.values()) == 93
    assert counts["5"] == len(controls("organizational")) and counts["6"] == len(controls("people"))
    fig = annex_a_chart()
    fig.canvas.draw()
    assert sorted(p.get_width() for p in fig.axes[0].patches) == [8, 14, 34, 37]
    layers_figure().canvas.draw()
    table = annex_a_table()
    assert list(table["管理策の数"]) == [37, 8, 14, 34, 93]


def test_every_lesson_control_has_a_notebook_and_the_rest_go_to_the_catalog():
    assert lesson_numbers() == ["5.1", "5.2", "5.3", "5.4", "5.5", "5.7", "5.8", "5.12", "5.13", "5.14", "5.15"]
    assert all(notebook_of(n) != "ch14_05_catalog" for n in lesson_numbers())
    table = organizational_controls()
    assert len(table) == 37
    where = table.set_index("番号")["学ぶノートブック"]
    incident = ["5.24", "5.25", "5.26", "5.27", "5.28", "5.30"]  # lessons of ch14_06, from the ransomware workshop
    assert list(where[where == "ch14_06_incident_rules"].index) == incident
    assert (where == "ch14_05_catalog").sum() == 37 - len(lesson_numbers()) - len(incident) == 20
    assert table.loc[table["番号"] == "5.20", "管理策"].item().endswith("（訳語未確認）")


def test_soa_progress_reads_decisions_and_drafts(tmp_path):
    from course.drafting.drafts import save_draft
    from course.drafting.fit import model_draft
    from course.answers.store import AnswerStore
    from course.soa import save_soa

    store = AnswerStore(tmp_path)
    save_soa({"5.1": {"adopted": True, "reason": "土台"}, "5.23": {"adopted": False, "reason": "使っていない"}}, store)
    save_draft(model_draft("5.1"), store)
    table = soa_progress(store).set_index("番号")
    assert table.loc["5.1", "下書き"] == "下書きあり" and table.loc["5.1", "採否"] == "採用"
    assert table.loc["5.23", "下書き"] == "不要（不採用）"
    assert table.loc["5.2", "採否"] == "未決定" and table.loc["5.2", "下書き"] == "未着手"
