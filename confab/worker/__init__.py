"""Durable background work: jobs are rows with a state and a due time, run by a worker.

Schedule work with `confab.worker.actions.enqueue`; write handlers in an app's `jobs.py`
with `@confab.worker.registry.handler("kind")` (the worker imports every app's `jobs.py`).
"""
