"""Full-text search: what the officer types never breaks the query, the last
word matches as a prefix, diacritics are folded, and the index stays whole."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from desktop_app.models import Business
from desktop_app.store import fts
from desktop_app.store.fts import MatchQuery


def search(store, typed: str) -> set[str]:
    """The ids of businesses matching what was typed."""
    query = MatchQuery.from_text(typed)
    assert query is not None
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT b.id FROM business AS b JOIN business_fts AS f ON f.rowid = b.rowid"
            " WHERE business_fts MATCH ?",
            (query.expression,),
        ).fetchall()
    return {row[0] for row in rows}


@pytest.mark.parametrize("typed", [
    'kopi "susu', "kopi-susu", "kop*", "name:kopi", "kopi AND OR NOT", "NEAR(kopi susu)",
    "(kopi", "kopi ^ susu", "d'Kopi", "kopi + susu {x}", "-kopi", "kopi_susu",
])
def test_syntax_characters_never_break_the_query(store, new_business, typed):
    """Quotes, '-', '*', ':' and FTS5 keywords are searched as text, never parsed."""
    new_business(name="Kopi Susu Bu Siti")
    search(store, typed)  # raises sqlite3.OperationalError on an FTS5 syntax error


@pytest.mark.parametrize("typed", ["", "   ", '"*-:()'])
def test_no_words_means_no_query(typed):
    """Input without any word gives no query rather than an empty MATCH."""
    assert MatchQuery.from_text(typed) is None


def test_last_word_matches_as_a_prefix(store, new_business):
    """'toko kop' finds 'Toko Kopi Makmur'; only the last word is a prefix."""
    found = new_business(name="Toko Kopi Makmur")
    assert search(store, "toko kop") == {found}
    assert search(store, "tok kopi") == set()


def test_diacritics_and_case_are_folded(store, new_business):
    """'kopi' finds 'Kopí', and 'KOPÍ' finds 'kopi'."""
    accented = new_business(name="Kopí Sejahtera")
    plain = new_business(name="kopi biasa")
    assert search(store, "kopi") == {accented, plain}
    assert search(store, "KOPÍ") == {accented, plain}


def test_index_follows_updates(store, new_business):
    """After a rename the new name is found and the old one no longer is."""
    row_id = new_business(name="Warung Lama")
    with store.write() as session:
        session.get(Business, row_id).name = "Warung Baru"
    assert search(store, "baru") == {row_id}
    assert search(store, "lama") == set()


def test_index_is_whole_after_writes_updates_and_tombstones(store, new_business, shell):
    """FTS5's integrity check finds no problem after inserts, updates, tombstones and deletes."""
    ids = [new_business(name=f"Usaha {n}") for n in range(5)]
    with store.write() as session:
        session.get(Business, ids[0]).village = "Sukarame"
        session.get(Business, ids[1]).deleted_at = datetime.now(timezone.utc)
    shell.execute("DELETE FROM business WHERE id = ?", (ids[2],))
    with store.raw() as connection:
        assert fts.integrity_problems(connection) == []


def test_integrity_check_reports_an_index_out_of_step(store, shell):
    """An index entry with no row behind it is reported, so the check above means something."""
    shell.execute("INSERT INTO business_fts (rowid, name) VALUES (999, 'hantu')")
    with store.raw() as connection:
        assert [p.split(":")[0] for p in fts.integrity_problems(connection)] == ["business_fts"]
