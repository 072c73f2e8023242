"""The peers' side of bench/peers.ts: the same graphs of no-op tasks in Prefect 3 and Dagster, each
in its usual local mode, timed after one warm-up run. Prints one JSON line per (peer, graph, run).

    python bench/peers/peers.py RUNS CHAIN FAN_OUT

Prefect runs its flows against its ephemeral local server (SQLite, started in-process on first
use); Dagster runs `execute_in_process` on a temporary SQLite instance.
"""

import json
import sys
import time


def prefect_graphs():
    from prefect import flow, task

    @task
    def noop():
        return None

    @flow
    def chain(length: int):
        for _ in range(length):
            noop()

    @flow
    def fan_out_in(width: int):
        noop()
        for future in [noop.submit() for _ in range(width)]:
            future.result()
        noop()

    return {"chain": chain, "fan-out": fan_out_in}


def dagster_graphs(chain_length: int, width: int):
    from dagster import In, Nothing, Out, job, op

    def noop(name):
        @op(name=name, ins={"after": In(Nothing)}, out=Out(Nothing))
        def run():
            return None

        return run

    chain_ops = [noop(f"c{i}") for i in range(chain_length)]
    fan_ops = [noop(f"f{i}") for i in range(width)]
    start, end = noop("start"), noop("end")

    @job
    def chain():
        previous = chain_ops[0]()
        for step in chain_ops[1:]:
            previous = step(after=previous)

    @job
    def fan_out_in():
        first = start()
        end(after=[step(after=first) for step in fan_ops])

    return {"chain": chain, "fan-out": fan_out_in}


def main():
    runs, chain_length, width = (int(arg) for arg in sys.argv[1:4])
    sizes = {"chain": chain_length, "fan-out": width + 2}

    from dagster import DagsterInstance

    prefect = prefect_graphs()
    dagster = dagster_graphs(chain_length, width)
    with DagsterInstance.local_temp() as instance:
        runners = {
            "Prefect 3": {
                "chain": lambda: prefect["chain"](chain_length),
                "fan-out": lambda: prefect["fan-out"](width),
            },
            "Dagster": {
                graph: (lambda job=job: job.execute_in_process(instance=instance))
                for graph, job in dagster.items()
            },
        }
        for run in range(runs + 1):
            for peer, graphs in runners.items():
                for graph, start in graphs.items():
                    began = time.perf_counter()
                    start()
                    ms = (time.perf_counter() - began) * 1000
                    if run > 0:
                        line = {"peer": peer, "graph": graph, "ms": ms, "tasks": sizes[graph]}
                        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
