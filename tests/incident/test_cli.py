"""`course scenario` writes the logs as UTF-8 CSV (never the truth) and explains bad arguments in Japanese."""

from course.cli import main
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
