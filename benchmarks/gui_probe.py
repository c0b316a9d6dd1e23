"""One start of the application, timed from the outside: run by benchmarks.gui
in a fresh interpreter so imports, Qt start-up and the store's opening count.

    python -m benchmarks.gui_probe DATA_DIR START_EPOCH USERNAME PIN

Prints one JSON object of milestones (seconds since START_EPOCH, taken by the
parent just before it started this process) and list figures (ms).
"""

from __future__ import annotations

import json
import sys
import time

STARTED = float(sys.argv[2])


def since() -> float:
    return time.time() - STARTED


def main() -> None:
    data_dir, username, pin = sys.argv[1], sys.argv[3], sys.argv[4]
    from PySide6.QtWidgets import QApplication

    from desktop_app.store import open_store
    from desktop_app.sync import account
    from desktop_app.ui.app import TapisApp, make_application
    from desktop_app.ui.responsiveness import StallMonitor, keep_gui_responsive
    from desktop_app.ui.sign_in import SignInDialog

    app = make_application([sys.argv[0]])
    marks: dict[str, float] = {"imported": since()}
    store = open_store(data_dir)
    marks["store_open"] = since()
    tapis = TapisApp(store)
    dialog = SignInDialog(tapis.ctx, None)
    dialog.show()
    app.processEvents()
    marks["sign_in_shown"] = since()
    unlocked_at = time.perf_counter()
    tapis.ctx.account = account.unlock(store, username, pin)  # what the dialog's button does
    dialog.close()
    window = tapis.show_window()
    app.processEvents()
    marks["window_after_pin_ms"] = (time.perf_counter() - unlocked_at) * 1000
    marks["window_shown"] = since()
    keep_gui_responsive()

    def until(condition, limit: float = 30.0) -> float:  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        while not condition():
            app.processEvents()
            time.sleep(0.001)
            if time.perf_counter() - began > limit:
                raise TimeoutError("the list did not answer")
        return (time.perf_counter() - began) * 1000

    lane = tapis.ctx.runner.pools["db"]
    until(lambda: lane.activeThreadCount() == 0)  # the home page's figures and the sync bar's
    app.processEvents()
    marks["home_ready"] = since()
    asked = time.perf_counter()
    page = window.show_page("umkm_survey")
    until(lambda: page.list is not None and page.list.model.row_dict(0) is not None)
    page.list.regency.setCurrentIndex(0)  # all of Lampung: every record
    until(lambda: page.list.model.ready_generation == page.list.model.generation)
    app.processEvents()
    marks["first_page_ms"] = (time.perf_counter() - asked) * 1000
    model, table = page.list.model, page.list.table
    total = model.rowCount()
    monitor = StallMonitor(10)
    monitor.start()
    waits = []
    for step in range(1, 41):  # drag the scroll bar down the whole list in 40 jumps
        row = min(total - 1, step * total // 40)
        table.scrollTo(model.index(row, 0))
        waits.append(until(lambda r=row: model.row_dict(r) is not None))
    for row in range(0, min(3000, total), 25):  # then scroll through the first pages
        table.scrollTo(model.index(row, 0))
        until(lambda r=row: model.row_dict(r) is not None)
    monitor.stop()
    typed_at = time.perf_counter()
    page.list.search.setText("keripik pis")
    until(lambda: model.query.filter.text == "keripik pis"
          and model.ready_generation == model.generation)
    marks["search_ms"] = (time.perf_counter() - typed_at) * 1000
    print(json.dumps({**marks, "rows": total, "jump_waits_ms": waits,
                      "worst_gap_ms": monitor.worst_gap_ms}))
    window.close()
    tapis.close()
    QApplication.quit()


if __name__ == "__main__":
    main()
