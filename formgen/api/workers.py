"""Records composed in worker processes, handed back in their order: the batch on every core.

Each record is composed on its own (the composer is a function of the layout and the record), so
chunks of records go to a pool of processes and their pages come back to the one writer in the order of
the roster: the same pages, and so the same bytes, as when composing in-process. Only a bounded window
of chunks is in flight, so memory does not grow with the batch. Workers are started with "spawn" on
every system, as Windows must: the batch's composer travels to each of them pickled, once (a font
book as the folders it was made from).
"""
from __future__ import annotations

import itertools
import os
import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Iterator, Optional, Sequence

from formgen.record import Record
from formgen.typeset.composer import ComposedRecord, Composer

# Below this many records a pool is not worth starting: a worker's start (imports, font metrics)
# costs about as much as composing a few dozen cards.
PARALLEL_FROM = 48
CHUNK = 8  # records per task: fewer round trips, while the first pages still come back early
WINDOW_PER_WORKER = 3  # chunks in flight per worker: enough to keep each busy, few pages held


def cores() -> int:
    """The cores this process may run on (a container or affinity mask may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(jobs: Optional[int], records: int) -> int:
    """How many processes compose: 1 (in-process) for small batches; jobs None or 0 means every core."""
    wanted = cores() if not jobs else max(1, int(jobs))
    if wanted <= 1 or records < PARALLEL_FROM:
        return 1
    return min(wanted, max(1, records // CHUNK))


_COMPOSER: Optional[Composer] = None  # the worker's own, made once


def _start_worker(composer: Composer) -> None:
    """The worker's composer is the batch's, pickled: the layout, the environment (its font book as the
    folders it was made from), the profile, the options and whatever else it holds."""
    global _COMPOSER
    # Ctrl-C reaches every process of the console; the main process alone decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _COMPOSER = composer


def _compose_chunk(records: Sequence[Record]) -> list[ComposedRecord]:
    assert _COMPOSER is not None, "worker not started"
    return [_COMPOSER.compose_record(record) for record in records]


def compose_records(composer: Composer, records: Sequence[Record], jobs: Optional[int] = None
                    ) -> Iterator[ComposedRecord]:
    """Every record composed, in order: in this process for a small batch or jobs=1, else in a pool."""
    workers = worker_count(jobs, _still_to_compose(composer, records))
    if workers == 1:
        yield from composer.compose(records)
        return
    yield from _in_pool(composer, records, workers)


def _still_to_compose(composer: Composer, records: Sequence[Record]) -> int:
    """How many records the composed-record cache cannot give, counted as far as it matters: a re-run
    after fixing a row composes that row here and starts no workers."""
    if composer.env.composed_cache is None:
        return len(records)
    missing = 0
    for record in records:
        if not composer.is_cached(record):
            missing += 1
            if missing >= PARALLEL_FROM:
                return len(records)
    return missing


def _in_pool(composer: Composer, records: Sequence[Record], workers: int) -> Iterator[ComposedRecord]:
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(composer,))
    pending: deque[Future] = deque()
    starts = iter(range(0, len(records), CHUNK))
    done = 0  # records handed on so far
    finished = False
    try:
        try:
            for start in itertools.islice(starts, workers * WINDOW_PER_WORKER):
                pending.append(pool.submit(_compose_chunk, records[start:start + CHUNK]))
            while pending:
                results = pending.popleft().result()
                start = next(starts, None)
                if start is not None:
                    pending.append(pool.submit(_compose_chunk, records[start:start + CHUNK]))
                for result in results:
                    yield result
                    done += 1
        except BrokenProcessPool:
            # A worker died (out of memory, killed) or could not start (a script without the
            # `if __name__ == "__main__":` guard): the rest is composed here, to the same pages.
            _stop(pool)
            yield from composer.compose(records[done:])
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # interrupted, or the consumer stopped early: stop the workers now, leave nothing running
            _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers, without waiting for the chunks they are on."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():  # a worker that ignored SIGTERM (busy in the kernel on a loaded machine)
            process.kill()
            process.join(timeout=10)
