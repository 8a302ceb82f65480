"""The python3 peers of clusterpool's benchmark: the same work, with multiprocessing and asyncio.

Run by `clusterpool bench`; each command prints one JSON object. Standard library only.
"""
import asyncio
import json
import math
import sys
import threading
import time
from multiprocessing import Pipe, Pool, Process


def square(x):
    return x * x


def count_primes(n):
    """Primes below n, by a sieve over odd numbers: the same algorithm as the Java task."""
    if n <= 2:
        return 0
    sieve = bytearray([1]) * (n // 2)
    sieve[0] = 0
    for i in range(1, (math.isqrt(n - 1) - 1) // 2 + 1):
        if sieve[i]:
            p = 2 * i + 1
            start = p * p // 2
            sieve[start::p] = bytes(len(range(start, n // 2, p)))
    return 1 + sum(sieve)


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


TASKS = {"square": square, "count-primes": count_primes, "fib": fib}


def emit(**fields):
    print(json.dumps(fields))
    sys.stdout.flush()


def cmd_map(n, chunksize, procs):
    xs = range(1, n + 1)
    with Pool(procs) as pool:
        pool.map(square, range(1000))  # start the workers before the clock
        start = time.perf_counter()
        if chunksize == "auto":
            out = pool.map(square, xs)
        else:
            out = pool.map(square, xs, int(chunksize))
        elapsed = time.perf_counter() - start
    assert len(out) == n and out[-1] == n * n
    emit(seconds=elapsed, items=n)


def cmd_apply(count, procs):
    with Pool(procs) as pool:
        for i in range(200):
            pool.apply(square, (i,))
        samples = []
        for i in range(count):
            start = time.perf_counter()
            pool.apply(square, (i,))
            samples.append(time.perf_counter() - start)
    samples.sort()
    emit(p50=samples[len(samples) // 2], p99=samples[int(len(samples) * 0.99)], count=count)


def cmd_cpu(task, first, last, mode, workers, repeat=1):
    f = TASKS[task]
    xs = list(range(first, last + 1)) * repeat
    start = time.perf_counter()
    if mode == "serial":
        out = [f(x) for x in xs]
    elif mode == "threads":
        out = [None] * len(xs)
        def run(k):
            for i in range(k, len(xs), workers):
                out[i] = f(xs[i])
        threads = [threading.Thread(target=run, args=(k,)) for k in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        with Pool(workers) as pool:
            out = pool.map(f, xs)
    emit(seconds=time.perf_counter() - start, items=len(out))


def cmd_skew(first, last, procs):
    xs = list(range(first, last + 1))
    with Pool(procs) as pool:
        pool.map(square, range(100))
        start = time.perf_counter()
        out = pool.map(count_primes, xs)
        elapsed = time.perf_counter() - start
    emit(seconds=elapsed, items=len(out))


def cmd_whole(n, procs):
    """The whole run of `map square 1..n`: what `time python3 peers.py whole N 2 > /dev/null` measures."""
    with Pool(procs) as pool:
        out = pool.map(square, range(1, n + 1))
    sys.stdout.write("\n".join(map(str, out)))
    sys.stdout.write("\n")


def cmd_apply_whole(x, procs):
    """The whole run of one `Pool.apply`: what `time python3 peers.py apply-whole 3 2 > /dev/null` measures."""
    with Pool(procs) as pool:
        sys.stdout.write("%d\n" % pool.apply(square, (x,)))


def cmd_gather(count, seconds):
    async def main():
        async def sleeper():
            await asyncio.sleep(seconds)
            return seconds
        start = time.perf_counter()
        out = await asyncio.gather(*(sleeper() for _ in range(count)))
        return time.perf_counter() - start, len(out)
    elapsed, n = asyncio.run(main())
    emit(seconds=elapsed, items=n)


def cmd_gather_overhead(count):
    """The cost of one call: gather `count` coroutines that each yield once, like sleep:0."""
    async def main():
        async def yield_once(i):
            await asyncio.sleep(0)
            return i
        start = time.perf_counter()
        await asyncio.gather(*(yield_once(i) for i in range(count)))
        return time.perf_counter() - start
    emit(seconds=asyncio.run(main()), items=count)


def cmd_gather_whole(count, seconds):
    async def main():
        async def sleeper():
            await asyncio.sleep(seconds)
            return seconds
        return await asyncio.gather(*(sleeper() for _ in range(count)))
    out = asyncio.run(main())
    sys.stdout.write("%d results\n" % len(out))


def echo(conn, parent_end):
    parent_end.close()  # inherited from the parent: closed here, so that the parent's close reaches us as EOF
    try:
        while True:
            conn.send(conn.recv())
    except EOFError:
        pass


def cmd_pipe(count):
    """Ping-pong through a duplex multiprocessing.Pipe with a child process that echoes, as `bench jvm-pipe` does."""
    parent, child = Pipe()
    p = Process(target=echo, args=(child, parent))
    p.start()
    child.close()
    for i in range(1000):  # the child is up and both sides warm before the clock
        parent.send(i)
        parent.recv()
    start = time.perf_counter()
    for i in range(count):
        parent.send(i)
        assert parent.recv() == i
    elapsed = time.perf_counter() - start
    parent.close()
    p.join()
    emit(seconds=elapsed, round_trips=count)


COMMANDS = {
    "map": lambda a: cmd_map(int(a[0]), a[1], int(a[2])),
    "apply": lambda a: cmd_apply(int(a[0]), int(a[1])),
    "cpu": lambda a: cmd_cpu(a[0], int(a[1]), int(a[2]), a[3], int(a[4]), int(a[5]) if len(a) > 5 else 1),
    "skew": lambda a: cmd_skew(int(a[0]), int(a[1]), int(a[2])),
    "whole": lambda a: cmd_whole(int(a[0]), int(a[1])),
    "apply-whole": lambda a: cmd_apply_whole(int(a[0]), int(a[1])),
    "gather": lambda a: cmd_gather(int(a[0]), float(a[1])),
    "gather-overhead": lambda a: cmd_gather_overhead(int(a[0])),
    "gather-whole": lambda a: cmd_gather_whole(int(a[0]), float(a[1])),
    "pipe": lambda a: cmd_pipe(int(a[0])),
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](sys.argv[2:])
