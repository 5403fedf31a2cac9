"""One pass of a worker's dispatcher or recovery, run to its end outside the worker loop."""

from __future__ import annotations

import asyncio

from nex_automat.pipeline.workers import WorkerNode


def dispatched(node: WorkerNode) -> int:
    """One dispatch pass of ``node``: how many due jobs it handed to procrastinate."""

    async def run() -> int:
        async with node.app.open_async():
            return await node.dispatch()

    return asyncio.run(run())


def recovered(node: WorkerNode) -> int:
    """One recovery pass of ``node``: how many lost jobs it queued again."""

    async def run() -> int:
        async with node.app.open_async():
            return await node.recover()

    return asyncio.run(run())
