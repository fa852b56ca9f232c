"""When the garbage collector runs during bulk work (sendesk.collection)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from sendesk import collection


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


def test_a_pause_nests_and_overlaps_across_threads_and_ends_with_the_last() -> None:
    gc.enable()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collection.paused():
            inside.set()
            leave.wait(10)

    worker = threading.Thread(target=other)
    with collection.paused():
        worker.start()
        assert inside.wait(10)
        with collection.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block's end is not the last
    assert not gc.isenabled()  # the other thread's block still runs
    leave.set()
    worker.join()
    assert gc.isenabled()


def test_a_pause_leaves_the_collector_off_if_it_was_off() -> None:
    gc.disable()
    with collection.paused():
        pass
    assert not gc.isenabled()


def test_less_often_raises_the_first_threshold_and_puts_it_back() -> None:
    before = gc.get_threshold()
    with collection.less_often(12_345):
        assert gc.get_threshold() == (12_345, *before[1:])
    assert gc.get_threshold() == before
