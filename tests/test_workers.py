"""How work is shared between processes (``pipeline.map_in_order``)."""

import gc
import os

import pytest

from policy_archive import pipeline


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def _fail_on_three(n: int) -> int:
    if n == 3:
        msg = "item 3"
        raise ValueError(msg)
    return n


def test_results_come_back_in_order_and_the_first_item_runs_here():
    items = list(range(pipeline.MIN_ITEMS_PER_JOB * 2 + 5))
    results = pipeline.map_in_order(_pid_and_square, items, jobs=2, progress=False)
    assert [square for _, square in results] == [n * n for n in items]
    pids = [pid for pid, _ in results]
    # The first one warms this process up (data files, converters) before workers fork.
    assert pids[0] == os.getpid()
    assert set(pids[1:]) and os.getpid() not in pids[1:]


def test_one_job_or_few_items_stay_in_this_process():
    for jobs, count in ((1, 100), (2, pipeline.MIN_ITEMS_PER_JOB)):
        results = pipeline.map_in_order(_pid_and_square, list(range(count)), jobs, False)
        assert {pid for pid, _ in results} == {os.getpid()}


def test_an_error_in_a_worker_is_raised_here():
    items = list(range(pipeline.MIN_ITEMS_PER_JOB * 2))
    with pytest.raises(ValueError, match="item 3"):
        pipeline.map_in_order(_fail_on_three, items, jobs=2, progress=False)


def test_objects_are_frozen_only_while_workers_are_forked():
    before = gc.get_freeze_count()
    kept = [[n] for n in range(1000)]  # objects the collector tracks
    with pipeline._frozen_objects():
        assert gc.get_freeze_count() >= before + len(kept)
    assert gc.get_freeze_count() == before


def test_meanwhile_runs_here_once_with_or_without_workers():
    for jobs, count in ((2, pipeline.MIN_ITEMS_PER_JOB * 2 + 1), (1, 3), (2, 0)):
        ran = []
        results = pipeline.map_in_order(_pid_and_square, list(range(count)), jobs, False,
                                        meanwhile=lambda ran=ran: ran.append(os.getpid()))
        assert ran == [os.getpid()]
        assert [square for _, square in results] == [n * n for n in range(count)]


def _pid_and_call(item) -> tuple[int, int]:
    return os.getpid(), item()


def test_forked_workers_inherit_the_items_instead_of_receiving_them():
    # Functions made here cannot be pickled: a worker that got them reads its own copy.
    items = [lambda n=n: n * n for n in range(pipeline.MIN_ITEMS_PER_JOB * 2 + 5)]
    results = pipeline.map_in_order(_pid_and_call, items, jobs=2, progress=False)
    assert [square for _, square in results] == [n * n for n in range(len(items))]
    assert {pid for pid, _ in results[1:]} - {os.getpid()}
    assert pipeline._INHERITED == []  # not kept once the workers are done
