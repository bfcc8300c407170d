"""The placement's tuning, its weights and result, the log of its progress, and the CP-SAT solver it runs.

Plain data and constants for `placement.py` (which re-exports them), moved out of it unchanged.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .checker import Problem

# One model for the whole event up to this many groups (2005: 5 groups, proved optimal in under
# a second); beyond, large-neighbourhood search.
FULL_MODEL_GROUPS = 8
# Groups freed per neighbourhood: small enough to re-solve exactly in a few tens of milliseconds.
NEIGHBOURHOOD_GROUPS = 4
# Deterministic work units per neighbourhood (a few tenths of a second of CP-SAT at most): a
# fixed budget rather than wall time keeps the sequence of neighbourhoods the same for a seed.
NEIGHBOURHOOD_WORK = 0.5
# Neighbourhoods solved at once: one per core of the 2-core machine this was tuned on.
LANES = 2
# Longest swap descent before the exact neighbourhoods take over.
POLISH_SECONDS = 1.5
# Deterministic work for the tiny size model and for the coarse model (types x groups integers,
# at most COARSE_TYPES types): about 0.1 s and 1 s of CP-SAT here.
QUOTA_WORK = 1.0
COARSE_WORK = 1.0
COARSE_TYPES = 64
ATTRIBUTES = ("country", "region", "organisation", "gender")


@dataclass(frozen=True)
class PlacementWeights:
    """How much each soft goal counts; defaults an organiser can change (0 switches a goal off)."""

    size_balance: int = 10
    country: int = 5
    region: int = 2
    organisation: int = 2
    gender: int = 1


@dataclass
class PlacementResult:
    status: str  # "optimal" | "feasible" | "infeasible" | "unknown"
    groups: dict[int, int]  # participant id -> group id: every participant, locked ones unchanged
    objective: float | None
    bound: float | None  # a proven lower bound on the objective (see `participants_place`)
    problems: list[Problem]  # when infeasible: the prechecks' words
    elapsed: float
    progress: list[tuple[float, float]] = field(default_factory=list)  # (seconds, objective) per improvement


class ProgressLog:
    """Best objective so far, with the time it was reached, reported to the caller as it improves."""

    def __init__(self, started: float, on_progress: Callable[[float, float], None] | None):
        self.started = started
        self.on_progress = on_progress
        self.best: float | None = None
        self.history: list[tuple[float, float]] = []

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def offer(self, objective: float) -> None:
        if self.best is None or objective < self.best - 1e-9:
            self.best = objective
            moment = self.elapsed()
            self.history.append((moment, objective))
            if self.on_progress:
                self.on_progress(moment, objective)


def _solver(seed: int) -> cp_model.CpSolver:
    """A single-worker CP-SAT: deterministic for a seed. Both cores are used by solving two
    neighbourhoods at once (`LANES`), which beats two workers on one model here."""
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1
    return solver


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each solution's objective; stops the search once it reaches a bound known from counting."""

    def __init__(self, progress: ProgressLog, bound: int):
        super().__init__()
        self.progress = progress
        self.bound = bound

    def on_solution_callback(self) -> None:
        self.progress.offer(round(self.objective_value))
        if self.objective_value <= self.bound + 1e-6:
            self.stop_search()
