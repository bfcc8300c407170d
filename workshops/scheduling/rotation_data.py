"""The rotation's tuning, its weights and result, slots, and counting teams and repeated pairs.

Plain data and constants for `rotation.py` (which re-exports them), moved out of it unchanged.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from ortools.sat.python import cp_model

from .checker import Problem
from .data import AssignmentSpec

# The solver's own progress is read at most this often (reading a solution of 150,000
# booleans takes about 50 ms here).
PROGRESS_EVERY = 0.25
# Longest swap pass, in seconds (at most a tenth of the time limit): kept out of the solver's share.
SWAP_SECONDS = 2.0
# Two workers (the machine's cores), interleaved: deterministic whatever the thread timing.
WORKERS = 2
INTERLEAVE = True
# CP-SAT's own memory limit for the rotation model: it stops searching, keeping its best solution,
# when the process grows past it. At 3,000 participants some inputs grew to 1.4-1.6 GB in a
# minute of interleaved search (bench/scheduling.py --memory); see `_solver`.
MEMORY_MB = 400


def _solver(seed: int, seconds: float) -> cp_model.CpSolver:
    """The rotation's CP-SAT: `WORKERS` interleaved workers (deterministic for a seed), at most
    `seconds`, and at most `MEMORY_MB` of memory for the process."""
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = WORKERS
    solver.parameters.interleave_search = INTERLEAVE
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.max_memory_in_mb = MEMORY_MB
    return solver


@dataclass(frozen=True)
class RotationWeights:
    """How much each soft goal counts; defaults an organiser can change (0 switches a goal off)."""

    load_balance: int = 5
    expertise: int = 10
    pair_variety: int = 2


@dataclass
class RotationResult:
    status: str  # "optimal" | "feasible" | "infeasible" | "unknown"
    assignments: list[AssignmentSpec]  # locked ones first, unchanged, then the new ones
    objective: float | None
    bound: float | None  # a proven lower bound on the objective (see `rotation_build`)
    problems: list[Problem]  # when infeasible: the prechecks' words
    elapsed: float
    progress: list[tuple[float, float]] = field(default_factory=list)  # (seconds, objective) per improvement


Slot = tuple[int, int, int]  # (facilitator index, session index, group index)


def _teams(chosen: set[Slot]) -> dict[tuple[int, int], list[int]]:
    teams: dict[tuple[int, int], list[int]] = defaultdict(list)
    for f, s, g in chosen:
        teams[(s, g)].append(f)
    return teams


def _repeated_pairs(teams: dict[tuple[int, int], list[int]]) -> int:
    pairs = Counter(pair for team in teams.values() for pair in combinations(sorted(team), 2))
    return sum(n - 1 for n in pairs.values() if n > 1)
