"""Scheduling: the rule checker (and, later, the solver) as plain Python over plain data.

Nothing here imports models: `workshops.selectors.schedule_load` turns a workshop into a
`Schedule`, and services apply results back to the database.
"""
