"""Suite-wide settings: Qt without a screen, no test touches the real
per-user data folder, under pytest-xdist the slow tests start first, and a
test's widgets are deleted on the GUI thread when it ends."""

from __future__ import annotations

import gc
import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.support.servers", "tests.support.gui", "tests.support.laptop_template"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist's work stealing (``make test``: ``--dist worksteal``) each
    worker starts on its own slice of the collection, in order, and an idle
    one takes tests from the end of another's queue. So the modules marked
    slow go, whole and in turn, to the head of the workers' slices: each
    worker starts on its share of the long tests, they run beside the short
    ones instead of ending the run alone, and no module's fixtures are set
    up twice. Every worker collects and sorts the same, as xdist requires."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers < 2:
        return
    modules: dict[str, list[pytest.Item]] = {}
    rest: list[pytest.Item] = []
    for item in items:
        if item.get_closest_marker("slow") is not None:
            modules.setdefault(item.nodeid.split("::")[0], []).append(item)
        else:
            rest.append(item)
    heads: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for n, module in enumerate(modules.values()):
        heads[n % workers].extend(module)
    ordered: list[pytest.Item] = []
    left = len(items)
    for n, head in enumerate(heads):
        size = left // (workers - n)  # the slice worksteal hands worker n
        take = max(0, size - len(head))
        ordered += head + rest[:take]
        rest = rest[take:]
        left -= size
    items[:] = ordered + rest


_frozen_module: list[str] = [""]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """When a worker starts on another module (the previous module's
    fixtures already torn down, this one's not yet made): collect, then move
    every object still alive into the collector's permanent generation
    (``gc.freeze``). What is alive there is the session's: imported modules,
    pytest's items, session fixtures, caches. A full collection walks all of
    it (160,000+ objects once Qt, SQLAlchemy and the server are imported):
    0.2 to 0.8 s, paid by the collection after every test below and by the
    automatic ones, a quarter of the suite's time. Frozen, it is never walked
    again, and a frozen object is never freed by a collection, on any thread,
    which is what the collection after each test guards against."""
    module = item.nodeid.split("::")[0]
    if module != _frozen_module[0]:
        _frozen_module[0] = module
        gc.collect()
        gc.freeze()


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item):  # type: ignore[no-untyped-def]
    """After pytest-qt has closed a test's widgets: delete them and collect
    their Python wrappers here, on the GUI thread. Left for later, a top-level
    widget the test owned (a page added with qtbot.addWidget) waits for a
    deferred delete that processEvents never runs, and a garbage collection
    started by the next test's worker thread (loading thousands of villages)
    would delete it from that thread: a segmentation fault."""
    result = yield
    collect_qt_garbage()
    return result


def collect_qt_garbage() -> None:
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
