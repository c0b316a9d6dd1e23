"""The application's log file never holds a NIK, whoever logged it."""

from __future__ import annotations

import logging

from desktop_app import logs


def test_the_filter_masks_nik_shaped_numbers_in_messages_args_and_tracebacks(tmp_path):
    """A NIK passed as text, as an argument or inside an exception is masked in the file."""
    path = logs.configure(tmp_path)
    log = logging.getLogger("tapis.test")
    log.info("owner 1871014506900001 saved")
    log.warning("applicant %s refused", "1806015203850002")
    try:
        raise ValueError("bad NIK 1811014506900003")
    except ValueError:
        log.exception("while saving")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "1871********0001" in text and "1806********0002" in text and "1811********0003" in text
    for nik in ("1871014506900001", "1806015203850002", "1811014506900003"):
        assert nik not in text


def test_longer_numbers_are_left_alone():
    """An amount or id of another length is not mangled."""
    assert logs.redact("Rp 12345678901234567 and 123456789012345") == \
        "Rp 12345678901234567 and 123456789012345"


def test_a_demo_and_check_run_writes_no_nik_to_the_log(run, tmp_path):
    """After a real run of the commands the log exists and holds no NIK from the data."""
    data = tmp_path / "laptop"
    assert run("--data-dir", data, "demo", "--records", "20").returncode == 0
    assert run("--data-dir", data, "check").returncode == 0
    import re
    import sqlite3

    with sqlite3.connect(data / "tapis.sqlite3") as conn:
        niks = [r[0] for r in conn.execute("SELECT owner_nik FROM business UNION SELECT nik FROM aid_applicant")]
    text = "".join(p.read_text(encoding="utf-8") for p in (data / "logs").glob("tapis.log*"))
    assert "start: demo" in text
    assert not [n for n in niks if n in text]
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", text)
