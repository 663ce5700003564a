"""`course scenario` writes the logs as UTF-8 CSV (never the truth) and explains bad arguments in Japanese;
`course scenario-golden` rewrites the graded assignments' logs exactly as committed."""

import json
from pathlib import Path

import pytest

from course.cli import main
from course.errors import CourseError
from course.incident.golden import scenario_arguments
from course.incident.logs import LOG_NAMES, LogsError, load_logs
from fixtures.incident import scenario


def test_writes_every_log_and_nothing_else(tmp_path, capsys):
    assert main(["scenario", "--seed", "2", "--out", str(tmp_path / "logs"), "--employees", "30", "--days", "14"]) == 0
    files = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert files == sorted(f"{n}.csv" for n in LOG_NAMES)
    raw = (tmp_path / "logs" / "helpdesk.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "ファイル".encode() in raw
    text = "".join((tmp_path / "logs" / f).read_text(encoding="utf-8-sig") for f in files)
    truth = scenario(2).truth
    assert truth.ransom_note in text          # the note is in the audit log, as on a real server ...
    assert "phishing_message_id" not in text and "infected_hosts" not in text   # ... but no truth fields
    assert "書き出しました" in capsys.readouterr().out


def test_wipe_nas_writes_the_variant_with_the_nas_encrypted(tmp_path):
    from course.incident import analysis as A
    assert main(["scenario", "--seed", "2", "--out", str(tmp_path), "--wipe-nas"]) == 0
    logs = load_logs(tmp_path)
    hit = A.backup_store_attacked(A.suspicious_processes(logs["process"]))
    assert len(hit) == 1 and "\\\\NAS01\\backup" in hit.iloc[0]["command_line"]
    plain = scenario(2).logs
    assert len(logs["helpdesk"]) == len(plain["helpdesk"]) + 1


def test_bad_arguments_exit_2_with_a_japanese_message(tmp_path, capsys):
    assert main(["scenario", "--seed", "abc", "--out", str(tmp_path)]) == 2
    assert "整数" in capsys.readouterr().err
    assert main(["scenario", "--seed", "1", "--days", "3", "--out", str(tmp_path)]) == 2
    assert "日数" in capsys.readouterr().err


def test_loading_a_missing_or_broken_folder_is_explained(tmp_path):
    for call in (lambda: load_logs(tmp_path / "nowhere"), lambda: load_logs(tmp_path)):
        try:
            call()
        except LogsError as exc:
            assert "course scenario" in str(exc)
        else:
            raise AssertionError("expected LogsError")
    main(["scenario", "--seed", "2", "--out", str(tmp_path / "logs")])
    (tmp_path / "logs" / "backup.csv").write_text("job_id,status\nx,Success\n", encoding="utf-8")
    try:
        load_logs(tmp_path / "logs")
    except LogsError as exc:
        assert "列" in str(exc)
    else:
        raise AssertionError("expected LogsError")


GRADED = ("ir1_detect_analyze", "ir2_contain_recover")


def test_scenario_golden_reproduces_the_committed_logs_of_the_graded_assignments(tmp_path, capsys):
    source = Path(__file__).parents[2] / "grading" / "source"
    assert main(["scenario-golden", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    for name in GRADED:
        committed = sorted((source / name / "logs").iterdir())
        assert [p.name for p in committed] == sorted(f"{n}.csv" for n in LOG_NAMES)
        for path in committed:
            assert (tmp_path / name / "logs" / path.name).read_bytes() == path.read_bytes(), (name, path.name)
        assert str(scenario_arguments(source / name / f"{name}.ipynb")["seed"]) not in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(GRADED)


def _notebook(path, *sources):
    cells = [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
             for s in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
                    encoding="utf-8")
    return path


def test_the_graded_scenario_is_read_from_the_notebook_with_cached_scenarios_defaults(tmp_path):
    agreeing = _notebook(tmp_path / "a.ipynb", "x = 1", "### BEGIN HIDDEN TESTS\ns = cached_scenario(123, days=11)",
                         "s = cached_scenario(123, employees=30, days=11)")
    assert scenario_arguments(agreeing) == {"seed": 123, "employees": 30, "days": 11}
    assert scenario_arguments(_notebook(tmp_path / "b.ipynb", "print('no scenario')")) is None
    disagreeing = _notebook(tmp_path / "c.ipynb", "cached_scenario(123)", "cached_scenario(124)")
    with pytest.raises(CourseError):
        scenario_arguments(disagreeing)
