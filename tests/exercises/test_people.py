"""Chapter 15 exercises: the invented data, its truth, the self-checks, the lesson pages and the charts.

The truth of each dataset is decided by the generator (who is made to miss a course, which department lags, which
accounts are left open). These tests compute the same answers independently with pandas, as a learner would, and
compare; then they check that the self-checks accept right answers in every shape a learner may give, give partial
credit and Japanese hints for wrong ones, and never raise.
"""

import re
from dataclasses import replace

import matplotlib
import numpy as np
import pandas as pd
import pytest

from course.catalog import controls, get_control, model_hidden
from course.errors import ContentError, CourseError
from course.exercises import people_data
from course.exercises.lesson_view import lesson
from course.exercises.people import (check_click_rates, check_completion, check_follow_up, check_function,
                                     check_missed_people, check_open_accounts, check_report_rates,
                                     check_unreturned_assets, completion_chart, drill_chart, lifecycle_figure,
                                     offboarding_audit, offboarding_chart, people_controls, phishing_drill, roster,
                                     training_records)
from course.profile import CompanyProfile

matplotlib.use("Agg")
SEEDS = range(12)
JAPANESE_NAME = re.compile(r"^[\u3040-\u30ff\u4e00-\u9fff々]+ [\u3040-\u30ff\u4e00-\u9fff々]+$")


# -- what a learner would write ------------------------------------------------------------------------------------------

def learner_missed(required, records):
    done = records[["社員番号", "研修名"]].drop_duplicates()
    merged = required.merge(done, on=["社員番号", "研修名"], how="left", indicator=True)
    return list(merged.loc[merged["_merge"] == "left_only", "社員番号"].unique())


def learner_completion(required, records, staff):
    done = records[["社員番号", "研修名"]].drop_duplicates()
    merged = required.merge(done, on=["社員番号", "研修名"], how="left", indicator=True)
    merged = merged.merge(staff[["社員番号", "部署"]], on="社員番号")
    merged["受講済"] = merged["_merge"] == "both"
    return merged.groupby("部署")["受講済"].mean()


def learner_rates(results, column):
    return results.pivot_table(index="回", columns="部署", values=column, aggfunc="mean")


def learner_follow_up(results):
    last = results[results["回"] == results["回"].max()]
    return last.groupby("部署")["クリック"].mean().idxmax()


def learner_open(leavers, accounts):
    return accounts[accounts["社員番号"].isin(leavers["社員番号"]) & (accounts["状態"] == "有効")]


def learner_unreturned(leavers, assets):
    return assets[assets["貸与先"].isin(leavers["社員番号"]) & assets["返却日"].isna()]


# -- the data --------------------------------------------------------------------------------------------------------------

def test_same_seed_same_data_and_other_seeds_differ():
    a, b, c = training_records(7), training_records(7), training_records(8)
    pd.testing.assert_frame_equal(a.records, b.records)
    pd.testing.assert_frame_equal(phishing_drill(7).results, phishing_drill(7).results)
    pd.testing.assert_frame_equal(offboarding_audit(7).accounts, offboarding_audit(7).accounts)
    assert not a.staff.equals(c.staff)


def test_returned_frames_are_copies():
    data = training_records(3)
    data.records.loc[0, "研修名"] = "書き換え"
    assert training_records(3).records.loc[0, "研修名"] != "書き換え"


@pytest.mark.parametrize("seed", [0, 15, 99])
def test_roster_is_realistic(seed):
    s = people_data.settings()
    r = roster(seed)
    sizes = r.staff["部署"].value_counts().to_dict()
    assert sizes == {d["name"]: d["size"] for d in s["departments"]}
    everyone = pd.concat([r.staff, r.leavers])
    assert everyone["社員番号"].is_unique and everyone["氏名"].is_unique
    assert all(JAPANESE_NAME.match(n) for n in everyone["氏名"])
    agency = everyone["雇用形態"] == "派遣"
    assert everyone.loc[agency, "社員番号"].str.match(r"^H\d{3}$").all()
    assert everyone.loc[~agency, "社員番号"].str.match(r"^E\d{4}$").all()
    fy, audit = pd.Timestamp(s["fy_start"]), pd.Timestamp(s["audit"])
    assert r.leavers["最終出社日"].between(fy, audit).all() and len(r.leavers) == s["leavers"]
    assert (r.staff["入社日"] < audit).all()
    assert (r.staff["入社日"] >= fy).sum() == s["new_hires"]
    assert set(r.staff["役割"]) >= {"一般", "管理職", "経理担当"}


@pytest.mark.parametrize("bad", [-1, "15", 1.5, True, None])
def test_bad_seed_is_a_japanese_message(bad):
    with pytest.raises(CourseError, match="シード"):
        training_records(bad)


@pytest.mark.parametrize("seed", SEEDS)
def test_training_truth_matches_a_pandas_answer(seed):
    data = training_records(seed)
    assert sorted(learner_missed(data.required, data.records)) == data.truth_missed_people
    computed = learner_completion(data.required, data.records, data.staff)
    pd.testing.assert_series_equal(computed.sort_index(), data.truth_completion.sort_index(), check_names=False)
    assert len(data.truth_missed_people) >= 3


def test_training_records_have_the_quirks_of_real_exports():
    data = training_records()
    records = data.records
    assert records.duplicated(["社員番号", "研修名"]).any()                               # retakes
    assert (~records["研修名"].isin(data.required["研修名"])).any()                       # optional courses
    assert (~records["社員番号"].isin(data.staff["社員番号"])).any()                      # leavers' records
    naive = records.merge(data.staff, on="社員番号").groupby("部署").size() / \
        data.required.merge(data.staff, on="社員番号").groupby("部署").size()
    assert not np.allclose(naive.sort_index(), data.truth_completion.sort_index())  # counting naively is wrong


@pytest.mark.parametrize("seed", SEEDS)
def test_drill_truth_matches_a_pandas_answer(seed):
    data = phishing_drill(seed)
    for column, truth in (("クリック", data.truth_click_rates), ("報告", data.truth_report_rates)):
        computed = learner_rates(data.results, column)
        assert np.allclose(computed.loc[truth.index, truth.columns].to_numpy(dtype=float), truth.to_numpy())
    last = data.truth_click_rates.loc[data.truth_click_rates.index.max()]
    assert learner_follow_up(data.results) == data.truth_follow_up
    assert (last.drop(data.truth_follow_up) < last[data.truth_follow_up]).all()  # a strict maximum
    reported = data.results["報告"]
    assert data.results.loc[reported, "報告までの分"].notna().all()
    assert data.results.loc[~reported, "報告までの分"].isna().all()


def test_drill_shows_overall_improvement_except_the_lagging_department():
    data = phishing_drill()
    clicks, lag = data.truth_click_rates, data.truth_follow_up
    others = clicks.drop(columns=lag).mean(axis=1)
    assert others.iloc[-1] < others.iloc[0] - 0.1
    assert clicks[lag].iloc[0] - clicks[lag].iloc[-1] < others.iloc[0] - others.iloc[-1]


@pytest.mark.parametrize("seed", SEEDS)
def test_offboarding_truth_matches_a_pandas_answer(seed):
    data = offboarding_audit(seed)
    found = learner_open(data.leavers, data.accounts)
    assert sorted(zip(found["社員番号"], found["システム"])) == data.truth_open_accounts
    assert sorted(learner_unreturned(data.leavers, data.assets)["資産番号"]) == data.truth_unreturned_assets
    with_day = found.merge(data.leavers[["社員番号", "最終出社日"]], on="社員番号")
    used = with_day[with_day["最終ログイン日"] > with_day["最終出社日"]]
    assert sorted(zip(used["社員番号"], used["システム"])) == data.truth_used_after_leaving
    assert len(data.truth_open_accounts) >= 3 and len(data.truth_unreturned_assets) >= 3
    assert data.accounts["社員番号"].isna().sum() == len(people_data.settings()["shared_accounts"])


# -- the self-checks: right answers in every shape -------------------------------------------------------------------------

def test_right_answers_in_many_shapes_pass():
    tr, dr, ob = training_records(), phishing_drill(), offboarding_audit()
    missed = learner_missed(tr.required, tr.records)
    assert check_missed_people(missed).ok
    assert check_missed_people(pd.Series(missed)).ok
    assert check_missed_people(tr.staff[tr.staff["社員番号"].isin(missed)]).ok       # the filtered table
    assert check_missed_people(" 、".join(m.lower() for m in missed)).ok               # text, other case
    rates = learner_completion(tr.required, tr.records, tr.staff)
    assert check_completion(rates).ok
    assert check_completion((rates * 100).round(1)).ok                                # percent, rounded
    assert check_completion(rates.rename("率").reset_index()).ok                      # a table with 部署
    assert check_completion(rates.round(2).to_dict()).ok
    clicks = learner_rates(dr.results, "クリック")
    assert check_click_rates(clicks).ok and check_click_rates(clicks.T).ok
    assert check_click_rates(dr.results.groupby(["回", "部署"])["クリック"].mean()).ok
    assert check_click_rates(dr.results.groupby(["部署", "回"])["クリック"].mean()).ok
    assert check_report_rates(dr.results.groupby(["回", "部署"], as_index=False)["報告"].mean()).ok
    assert check_follow_up(learner_follow_up(dr.results)).ok
    assert check_follow_up(dr.truth_follow_up.removesuffix("部")).ok
    found = learner_open(ob.leavers, ob.accounts)
    assert check_open_accounts(found).ok
    assert check_open_accounts(list(zip(found["社員番号"], found["システム"]))).ok
    assert check_open_accounts(list(found["ユーザーID"])).ok
    assert check_unreturned_assets(learner_unreturned(ob.leavers, ob.assets)).ok
    assert check_unreturned_assets(list(learner_unreturned(ob.leavers, ob.assets)["資産番号"])).ok


def test_checks_use_the_data_they_are_given():
    other = training_records(3)
    answer = learner_missed(other.required, other.records)
    assert check_missed_people(answer, other).ok
    assert not check_missed_people(answer).ok  # the exercise data is another company year


# -- the self-checks: wrong answers get partial credit and a reason ----------------------------------------------------------

def test_partial_answer_gets_partial_credit_and_counts():
    truth = training_records().truth_missed_people
    result = check_missed_people(truth[:-2])
    assert not result.ok
    assert result.score == pytest.approx((len(truth) - 2) / len(truth))
    assert f"正しいものは {len(truth) - 2} 件" in result.messages[0] and "足りないものが 2 件" in result.messages[0]


def test_hints_name_the_usual_mistakes():
    tr, dr, ob = training_records(), phishing_drill(), offboarding_audit()
    all_ids = list(tr.records["社員番号"].unique())  # every record, leavers and optional courses included
    text = "\n".join(check_missed_people(all_ids).messages)
    assert "退職した人" in text and "期限を過ぎてから" in text
    names = list(tr.staff.loc[tr.staff["社員番号"].isin(tr.truth_missed_people), "氏名"])
    assert "社員番号で答えて" in check_missed_people(names).messages[0]
    naive = tr.records.merge(tr.staff, on="社員番号").groupby("部署").size() / \
        tr.required.merge(tr.staff, on="社員番号").groupby("部署").size()
    assert any("重複" in m or "2 回" in m for m in check_completion(naive).messages)
    swapped = learner_rates(dr.results, "報告")
    assert any("入れ替わって" in m for m in check_click_rates(swapped).messages)
    last = dr.results[dr.results["回"] == 4]
    most_clicks = last.groupby("部署")["クリック"].sum().idxmax()
    assert most_clicks != dr.truth_follow_up  # in the exercise data, a bigger department has more clicks
    assert any("人数ではなく割合" in m for m in check_follow_up(most_clicks).messages)
    assert "部署は次のとおり" in check_follow_up("人事部").messages[0]
    everything_enabled = ob.accounts[ob.accounts["状態"] == "有効"]
    text = "\n".join(check_open_accounts(everything_enabled).messages)
    assert "共用アカウント" in text and "在籍している人" in text
    text = "\n".join(check_unreturned_assets(ob.assets[ob.assets["返却日"].isna()]).messages)
    assert "在籍している人が使っている" in text


@pytest.mark.parametrize("answer", [None, [], "", 3, 2.5, {"a": 1}, object(), [[1, 2]], pd.DataFrame(),
                                    pd.Series([True, False]), [True, False], pd.DataFrame({"x": [1]})])
def test_no_check_raises_for_any_answer(answer):
    for check in (check_missed_people, check_completion, check_click_rates, check_report_rates, check_follow_up,
                  check_open_accounts, check_unreturned_assets):
        result = check(answer)
        assert not result.ok and result.score == 0.0
        assert result.messages and all(isinstance(m, str) and m for m in result.messages)
        assert "Traceback" not in str(result) and "Traceback" not in result._repr_html_()


def test_wrong_data_argument_is_a_message():
    result = check_missed_people(["E1001"], data="seed 15")
    assert not result.ok and "TrainingData" in result.messages[0]


def test_check_function_runs_a_learners_function_on_other_data():
    data = training_records(5)

    def broken(required, records):
        return records["存在しない列"]

    result = check_function(check_missed_people, broken, data, data.required, data.records)
    assert not result.ok and result.score == 0 and "KeyError" in result.messages[0]
    assert "関数" in check_function(check_missed_people, "not a function", data).messages[0]
    assert check_function(check_missed_people, learner_missed, data, data.required, data.records).ok

    def mutating(required, records):
        records["研修名"] = "上書き"
        return []

    check_function(check_missed_people, mutating, data, data.required, data.records)
    assert (data.records["研修名"] != "上書き").all()  # the learner's function got a copy


# -- lessons ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", [c.number for c in controls("people")])
def test_every_people_control_has_a_lesson_page(number):
    profile = CompanyProfile(company="有限会社さつき工房", roles={"admin_head": {"name": "管理部長"}},
                             calendar={"review_month": 10})
    values = profile.placeholders()

    def fill(text):  # the company's name, role names and calendar in place of the placeholders
        return re.sub(r"\{([^{}]+)\}", lambda m: values[m.group(1)], text)

    view = lesson(number, profile)
    text = view.text()
    assert text.startswith(number)
    placeholder = re.compile(r"\{(company|role\.[a-z_]+|cal\.[a-z_]+)\}")
    assert not placeholder.search(text) and not placeholder.search(view._repr_html_())
    control = get_control(number)
    if control.model is not None and model_hidden(number):  # 6.2: the graded transfer question; no model text
        assert not any(fill(s) in text for s in control.model.statements)
        assert all(e.why in text for e in control.rubric)
    elif control.model is not None:
        assert "有限会社さつき工房" in text
        assert all(fill(s) in text for s in control.model.statements)
        assert all(fill(s.record) in text for s in control.model.steps)
    if control.lesson is not None:
        assert control.lesson.case in text and control.lesson.tip in text
        assert all(m in text for m in control.lesson.mistakes)


def test_lesson_adds_and_marks_profile_clauses_only_for_the_trait():
    plain = lesson("6.5", CompanyProfile(company="A社"))
    cloud = lesson("6.5", CompanyProfile(company="A社", cloud=["会計クラウド"]))
    clause = next(c for c in get_control("6.5").model.profile_clauses if c.when == "cloud")
    statement = clause.statement.replace("{company}", "A社")
    assert statement not in plain.text()
    assert statement in cloud.text() and cloud.added == (statement,)
    assert "（御社の状況に合わせて追加）" in cloud._repr_html_()
    assert clause.step.record in cloud.text()


def test_lesson_escapes_text_and_survives_missing_content():
    view = lesson("6.1", CompanyProfile(company="<script>alert(1)</script>"))
    html = view._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    bare = replace(get_control("6.1"), model=None, lesson=None)
    text = lesson(bare, CompanyProfile()).text()
    assert "準備中" in text


def test_lesson_uses_the_saved_profile(tmp_path, monkeypatch):
    from course.profile import save_profile

    monkeypatch.chdir(tmp_path)
    assert not lesson("6.2").has_profile
    save_profile(CompanyProfile(company="株式会社ひばり運輸"))
    view = lesson("6.2")
    assert view.has_profile and view.company == "株式会社ひばり運輸"


# -- overview and charts -----------------------------------------------------------------------------------------------------

def test_lifecycle_figure_places_every_people_control_once():
    fig, ax = lifecycle_figure()
    labels = [t.get_text() for t in ax.texts]
    for c in controls("people"):
        assert sum(label.startswith(f"{c.number} ") for label in labels) == 1, c.number
    assert {"雇用前", "雇用中", "雇用の終了・変更後"} <= set(labels)
    assert len(ax.patches) >= 8
    assert "IPAexGothic" in matplotlib.rcParams["font.family"] or "IPAexGothic" in str(
        matplotlib.rcParams.get("font.sans-serif"))
    fig_en, ax_en = lifecycle_figure("en")
    assert any(t.get_text().startswith("6.1 Screening") for t in ax_en.texts)


def test_people_controls_table():
    table = people_controls()
    assert list(table["番号"]) == [f"6.{i}" for i in range(1, 9)]
    assert table.notna().all().all()


def test_charts_draw_the_answer_or_a_note():
    tr, dr, ob = training_records(), phishing_drill(), offboarding_audit()
    fig, ax = completion_chart(learner_completion(tr.required, tr.records, tr.staff))
    assert len(ax.patches) == tr.staff["部署"].nunique()
    fig, ax = completion_chart(None)
    assert not ax.patches and ax.texts
    fig, axes = drill_chart(learner_rates(dr.results, "クリック"), learner_rates(dr.results, "報告"),
                            highlight=dr.truth_follow_up)
    assert len(axes[0].lines) == dr.results["部署"].nunique()
    assert max(line.get_linewidth() for line in axes[0].lines) == 3
    fig, axes = drill_chart(None, None)
    assert all(ax.texts for ax in axes)
    fig, ax = offboarding_chart(learner_open(ob.leavers, ob.accounts), learner_unreturned(ob.leavers, ob.assets), ob)
    people = {n for n, _ in ob.truth_open_accounts} | set(
        ob.assets.loc[ob.assets["資産番号"].isin(ob.truth_unreturned_assets), "貸与先"])
    assert len(ax.get_yticklabels()) == len(people)
    fig, ax = offboarding_chart(None, None, ob)
    assert ax.texts


# -- content file -------------------------------------------------------------------------------------------------------------

def test_malformed_exercise_content_names_the_field(tmp_path, monkeypatch):
    path = tmp_path / "people.yaml"
    text = people_data.CONTENT_FILE.read_text(encoding="utf-8").replace(
        "drill_click: [0.30, 0.21, 0.15, 0.09]", "drill_click: [0.30, 0.21]")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(people_data, "CONTENT_FILE", path)
    people_data.settings.cache_clear()
    try:
        with pytest.raises(ContentError, match="drill_click"):
            people_data.settings()
    finally:
        monkeypatch.undo()
        people_data.settings.cache_clear()


def test_printing_a_dataset_does_not_show_the_truth():
    for data, secret in ((training_records(), training_records().truth_missed_people[0]),
                         (phishing_drill(), phishing_drill().truth_follow_up),
                         (offboarding_audit(), offboarding_audit().truth_unreturned_assets[0])):
        text = repr(data)
        assert text.startswith(type(data).__name__) and "行" in text
        assert secret not in text and "_" not in text
