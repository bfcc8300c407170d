"""Scheduling: the rule checker, the prechecks and the solvers as plain Python over plain data.

`data.py`, `checker.py`, `prechecks.py`, `placement.py`, `rotation.py` and `generate.py` import
no models: `workshops.selectors.schedule_load` turns a workshop into a `Schedule`. The two
modules that do touch the database, `store.py` (writes a generated `Schedule`) and
`export.py` (reads a workshop as JSON), sit at the services layer.
"""
