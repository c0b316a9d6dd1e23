"""The officer sees what was set aside: the list reads the store on the
database lane, in the screen's language, with the reason and no value."""

from __future__ import annotations

import uuid

from desktop_app.store import inbox
from desktop_app.ui import i18n
from desktop_app.ui.set_aside import SetAsideView
from tests.support.gui import ctx, drain  # noqa: F401 - the fixture
from tests.support.hostile_server import business_fields


def test_set_aside_changes_are_listed_with_their_reason(qtbot, ctx):  # noqa: F811
    """An incomplete insert pulled from the server shows with its reason; the NIK does not."""
    fields = business_fields()
    fields.pop("phone")
    inbox.apply_page(ctx.store, "regency", [inbox.Incoming(5, "business", str(uuid.uuid4()),
                                                           "insert", fields, 1)], 5)
    view = SetAsideView(ctx)
    qtbot.addWidget(view)
    drain(qtbot, ctx)
    texts = [view.tree.topLevelItem(0).text(c) for c in range(4)]
    reason = texts[2]
    assert ("phone" in reason) and (("incomplete" in reason) or ("tidak lengkap" in reason))
    assert fields["owner_nik"] not in " ".join(texts)
    assert texts[3]  # reported: not yet
    assert i18n.language() in ("id", "en")
