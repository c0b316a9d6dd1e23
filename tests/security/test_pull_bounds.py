"""Issue 11, item 6: pull pages are cut by bytes, like push batches.

Reported: 40 rows of 3.9 MiB made one 155 MiB page that every laptop of the
regency downloaded. Text lengths are now bounded by the models (refused past
them, tests/security/test_change_validation.py), and a pull page stops before
its JSON passes 1 MiB, holding at least one change; the pages chain by cursor
to every change.
"""

from __future__ import annotations

from tests.security.ingest_calls import any_server, full_business, insert_change, insider  # noqa: F401
from desktop_app.models.lengths import NEEDS_MAX, NOTES_MAX, TRAINING_RECEIVED_MAX, TRAINING_WANTED_MAX
from tests.server.server_calls import new_id

MIB = 1024 * 1024
WIDE = "\U0001F33E"  # 4 bytes in UTF-8: the largest a character of text may be on the wire


def _fat_survey(caller, business_id: str) -> dict:
    return {"business_id": business_id, "visit_date": "2026-11-20", "regency_code": caller.regency,
            "notes": WIDE * NOTES_MAX, "needs": WIDE * NEEDS_MAX,
            "training_received": WIDE * TRAINING_RECEIVED_MAX,
            "training_wanted": WIDE * TRAINING_WANTED_MAX,
            "created_by": caller.officer_id, "officer_id": caller.officer_id,
            "device_id": caller.device_id}


def test_a_page_of_the_largest_rows_stays_under_one_mib(any_server):
    """40 surveys with every text at its longest, in 4-byte characters
    (~40 KB each, ~1.6 MB in all): no page passes 1 MiB, every page holds at
    least one change, and following the cursor yields every change once."""
    writer = insider(any_server.url, "petugas.mesuji", register=False)
    business_id = new_id()
    writer.push_ok(insert_change(writer, "business", full_business(
        writer, owner_nik="1811014506900001"), row_id=business_id))
    surveys = [insert_change(writer, "umkm_survey", _fat_survey(writer, business_id))
               for _ in range(40)]
    for start in range(0, len(surveys), 10):
        answer = writer.push_ok(*surveys[start:start + 10])
        assert answer["applied"] == 10, answer
    reader = insider(any_server.url, "petugas.mesuji", register=False)
    cursor, seen, pages = 0, [], 0
    while True:
        answer = reader.pull(cursor=cursor, limit=1000)
        assert answer.status_code == 200, answer.text
        assert len(answer.content) <= MIB, len(answer.content)
        page = answer.json()
        assert page["changes"], page
        seen += [c["row_id"] for c in page["changes"]]
        assert page["next_cursor"] > cursor
        cursor, pages = page["next_cursor"], pages + 1
        if not page["has_more"]:
            assert page["checksum"] and page["row_count"]
            break
    assert pages >= 2
    assert set(seen) == {business_id, *(s["row_id"] for s in surveys)}
    assert len(seen) == len(set(seen))
