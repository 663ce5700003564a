"""The data of the graded assignment ch15_people: other questions on other shapes of the chapter 15 company's data.

Each truth is decided by the generator (people_data.py); here it is worked out independently with pandas, as a
learner would, and the checks are shown to accept it, to refuse the lesson's answers and the usual slips with a
Japanese hint, and to give the graded seed's traps their teeth (each slip gives another answer there).
"""

import pandas as pd
import pytest

from course.exercises.people import (check_beyond_catch_up, check_late_stops, check_lowest_report, drill_reports,
                                     offboarding_audit, training_records)

SEEDS = list(range(8)) + [15]
GRADED_SEED = 4607  # the hidden tests' seed of grading/source/ch15_people (kept in step with that notebook)


def learner_beyond(required, records, days=30):
    first = records.groupby(["社員番号", "研修名"], as_index=False)["受講日"].min()
    late = required.merge(first, on=["社員番号", "研修名"])
    late = late[late["受講日"] > late["期限"] + pd.Timedelta(days=days)]
    return sorted(late["社員番号"].unique())


def learner_lowest(sent, reports):
    last = sent["回"].max()
    mailed = sent[sent["回"] == last]
    reporters = reports.loc[reports["回"] == last, ["社員番号"]].drop_duplicates()
    mailed = mailed.assign(報告=mailed["社員番号"].isin(reporters["社員番号"]))
    return mailed.groupby("部署")["報告"].mean()


def learner_late_stops(leavers, accounts):
    merged = accounts.merge(leavers[["社員番号", "最終出社日"]], on="社員番号")
    late = merged[merged["停止日"] > merged["最終出社日"] + pd.Timedelta(days=1)]
    return late[["社員番号", "システム"]]


@pytest.mark.parametrize("seed", SEEDS + [GRADED_SEED])
def test_truths_match_a_pandas_answer(seed):
    t, d, o = training_records(seed), drill_reports(seed), offboarding_audit(seed)
    assert learner_beyond(t.required, t.records) == t.truth_beyond_catch_up
    rates = learner_lowest(d.sent, d.reports)
    assert rates.idxmin() == d.truth_lowest_report
    assert (rates == rates.min()).sum() == 1  # no tie: one lowest department
    pairs = learner_late_stops(o.leavers, o.accounts)
    assert sorted(pairs.itertuples(index=False, name=None)) == o.truth_late_stops
    assert check_beyond_catch_up(learner_beyond(t.required, t.records), t).score == 1.0
    assert check_lowest_report(rates.idxmin(), d).ok
    assert check_late_stops(pairs, o).score == 1.0


def test_the_lesson_data_is_unchanged_by_the_graded_questions():
    """Truths of the lessons (seed 15) as they were before the graded datasets were added."""
    assert training_records(15).truth_missed_people[:3] == ["E1072", "E1120", "E1141"]
    assert phishing_drill_follow_up(15) == "総務部"
    assert offboarding_audit(15).truth_open_accounts[:2] == [("E1062", "Microsoft 365"), ("E1062", "生産管理システム")]


def phishing_drill_follow_up(seed):
    from course.exercises.people import phishing_drill
    return phishing_drill(seed).truth_follow_up


def test_graded_seed_defeats_single_filters():
    t, d, o = (f(GRADED_SEED) for f in (training_records, drill_reports, offboarding_audit))
    # training: the last record instead of the first, no catch-up month, or the never-taken people all differ
    last = t.records.groupby(["社員番号", "研修名"], as_index=False)["受講日"].max()
    by_last = t.required.merge(last, on=["社員番号", "研修名"])
    by_last = sorted(by_last.loc[by_last["受講日"] > by_last["期限"] + pd.Timedelta(days=30), "社員番号"].unique())
    assert by_last != t.truth_beyond_catch_up
    assert learner_beyond(t.required, t.records, days=0) != t.truth_beyond_catch_up
    assert len(t.truth_beyond_catch_up) >= 3
    # drill: counting rows, counting people, or all rounds give other departments
    last_round = d.sent["回"].max()
    mailed = d.sent[d.sent["回"] == last_round]
    rows = d.reports[d.reports["回"] == last_round].merge(mailed, on=["回", "社員番号"]).groupby("部署").size()
    people = d.reports[d.reports["回"] == last_round].drop_duplicates("社員番号").merge(mailed, on=["回", "社員番号"])
    people = people.groupby("部署").size().reindex(mailed["部署"].unique(), fill_value=0)
    every = d.reports.drop_duplicates(["回", "社員番号"]).merge(d.sent, on=["回", "社員番号"]).groupby("部署").size()
    wrong = {(rows / mailed.groupby("部署").size()).idxmin(), people.idxmin(),
             (every / d.sent.groupby("部署").size()).idxmin()}
    assert d.truth_lowest_report not in wrong and len(wrong) == 3
    for answer in wrong:
        result = check_lowest_report(answer, d)
        assert not result.ok and len(result.messages) == 2
    # offboarding: the lesson's open accounts are not the answer, and stops a day late are in time
    open_now = o.accounts[o.accounts["社員番号"].isin(o.leavers["社員番号"]) & (o.accounts["状態"] == "有効")]
    assert check_late_stops(open_now, o).score == 0.0
    merged = o.accounts.merge(o.leavers[["社員番号", "最終出社日"]], on="社員番号")
    a_day = merged[merged["停止日"] == merged["最終出社日"] + pd.Timedelta(days=1)]
    assert len(a_day) and check_late_stops(pd.concat([learner_late_stops(o.leavers, o.accounts),
                                                      a_day[["社員番号", "システム"]]]), o).score < 1.0


def test_lesson_answers_earn_little_on_the_graded_questions():
    t = training_records(GRADED_SEED)
    done = t.records[["社員番号", "研修名"]].drop_duplicates()
    merged = t.required.merge(done, on=["社員番号", "研修名"], how="left", indicator=True)
    lesson_missed = list(merged.loc[merged["_merge"] == "left_only", "社員番号"].unique())
    result = check_beyond_catch_up(lesson_missed, t)
    assert not result.ok and result.score <= 0.1 and any("受講記録がまったくない" in m for m in result.messages)


@pytest.mark.parametrize("answer", [None, "", [], 3.5, {"x": 1}, pd.DataFrame(), "存在しない部"])
def test_checks_never_raise(answer):
    for check, data in ((check_beyond_catch_up, training_records()), (check_lowest_report, drill_reports()),
                        (check_late_stops, offboarding_audit())):
        result = check(answer, data)
        assert not result.ok and result.messages


def test_report_log_has_duplicates_and_earlier_rounds():
    d = drill_reports()
    assert d.reports.duplicated(["回", "社員番号"]).any()
    assert d.reports["回"].nunique() == d.sent["回"].nunique() == 4
    assert set(d.reports["社員番号"]) <= set(d.sent["社員番号"])
    assert "truth" not in repr(d) and d.truth_lowest_report not in repr(d)
