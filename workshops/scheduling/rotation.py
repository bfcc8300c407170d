"""The facilitator rotation with OR-Tools CP-SAT, over plain data.

`rotation_build` staffs every session x group with its required number of facilitators while
meeting every hard rule (no double booking, a facilitator visits a group at most once, the
facilitator speaks a language of the room, every two co-facilitators of a team share a
language, availability, locked assignments kept) and
minimising a weighted sum of soft goals an organiser can change:

- load balance: most sessions of one facilitator minus fewest (among facilitators who can work
  at least one slot: someone unavailable throughout cannot be balanced);
- expertise: the number of teams (session x group, for sessions tied to a section) without a
  facilitator whose expertise holds that section;
- pair variety: how often co-facilitators who already worked together are paired again
  (each repeat of a pair counts once).

How, following what a prototype showed on this machine: prechecks first; a greedy rotation
(session by session, a bipartite matching of slots to facilitators: one expert per team first,
then everyone else, least loaded first up to the "water level"; then members replaced or
exchanged until no team mixes people without a common language) that usually meets every hard
rule in well under a second; a swap pass that exchanges facilitators between teams of the same
session when that removes repeated co-facilitator pairs without changing anyone's load or
losing an expert. If that is not provably optimal by counting (`_Rotation.counting_bound`),
CP-SAT, hinted with it: one boolean per facilitator x session x group, with the expert counting
constraint that gives CP-SAT a useful bound, and no pair term in the model (it made the model
slow), then the swap pass again. On generated events the greedy start already reaches the
counting bound, from 2005 to 3,000 participants.
"""

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import combinations

from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

from .checker import Problem, Rule
from .data import AssignmentSpec, Schedule
from .placement import ProgressLog
from .prechecks import Modes, rotation_precheck

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


class _Rotation:
    """The instance in index form: who may take which slot, the targets, the locked slots."""

    def __init__(self, schedule: Schedule, weights: RotationWeights):
        self.weights = weights
        self.sessions = sorted(schedule.sessions, key=lambda s: (s.start, s.id))
        self.groups = list(schedule.groups)
        self.facilitators = list(schedule.facilitators)
        modes = Modes.of(schedule.rooms, schedule.groups)
        session_index = {s.id: i for i, s in enumerate(self.sessions)}
        group_index = {g.id: i for i, g in enumerate(self.groups)}
        facilitator_index = {f.id: i for i, f in enumerate(self.facilitators)}
        self.locked: set[Slot] = {
            (facilitator_index[a.facilitator_id], session_index[a.session_id], group_index[a.group_id])
            for a in schedule.assignments
            if a.locked
        }  # the prechecks passed: every id is known
        locked_in = Counter((s, g) for _f, s, g in self.locked)
        self.target = {
            (s, g): max(session.required, locked_in[(s, g)])
            for s, session in enumerate(self.sessions)
            for g in range(len(self.groups))
        }
        locked_session = {(f, s): g for f, s, g in self.locked}
        locked_group = {(f, g): s for f, s, g in self.locked}
        group_mode = [modes.mode_of[group.id] for group in self.groups]
        # A slot is possible when the facilitator is available, speaks the room's language, and
        # no locked assignment already puts them elsewhere in that session or in that group.
        self.slots: list[Slot] = []
        for f, person in enumerate(self.facilitators):
            fit = modes.fit(person.languages)
            for s, session in enumerate(self.sessions):
                if not person.is_available(session.start, session.end):
                    continue
                for g in range(len(self.groups)):
                    if not fit >> group_mode[g] & 1:
                        continue
                    if locked_session.get((f, s), g) != g or locked_group.get((f, g), s) != s:
                        continue
                    self.slots.append((f, s, g))
        self.experts = [
            {f for f, person in enumerate(self.facilitators) if session.section and session.section in person.expertise}
            for session in self.sessions
        ]
        self.modes = modes
        self.group_mode = group_mode
        # Co-facilitation: people who share no language never work in the same team. Kept by
        # language set (a handful of sets, however many people), so pairs are never enumerated.
        self.speaks = [person.languages for person in self.facilitators]

    def apart(self, f: int, h: int) -> bool:
        """True when facilitators f and h share no language: they may not co-facilitate."""
        return not self.speaks[f] & self.speaks[h]

    def conflicts(self, team) -> int:
        """Pairs of the team who share no language (the co-facilitation rule wants none)."""
        return sum(1 for f, h in combinations(team, 2) if self.apart(f, h))

    def objective(self, chosen: set[Slot]) -> tuple[int, int, int]:
        """(load spread, teams without an expert, repeated pairs) of a rotation."""
        usable = {f for f, _s, _g in self.slots}
        load = Counter(f for f, _s, _g in chosen)
        loads = [load[f] for f in usable]
        spread = max(loads) - min(loads) if loads else 0
        return spread, self.teams_without_expert(chosen), _repeated_pairs(_teams(chosen))

    def teams_without_expert(self, chosen: set[Slot]) -> int:
        covered = {(s, g) for f, s, g in chosen if f in self.experts[s]}
        return sum(
            1 for s, session in enumerate(self.sessions) if session.section for g in range(len(self.groups))
        ) - sum(1 for s, _g in covered if self.sessions[s].section)

    def total(self, chosen: set[Slot]) -> int:
        spread, without, repeats = self.objective(chosen)
        w = self.weights
        return w.load_balance * spread + w.expertise * without + w.pair_variety * repeats

    # -- the greedy start --------------------------------------------------------------------------

    def greedy(self) -> set[Slot] | None:
        """A rotation meeting every hard rule, or None when this simple construction gets stuck.

        Session by session, slots are matched to facilitators by augmenting paths (a maximum
        bipartite matching), trying the least loaded facilitators first and experts before
        others, and never someone who already visited the group.
        """
        chosen = set(self.locked)
        load = Counter(f for f, _s, _g in chosen)
        level = self.water_level()
        visited = {(f, g) for f, _s, g in chosen}
        by_session: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for f, s, g in self.slots:
            by_session[s][g].append(f)
        for s in range(len(self.sessions)):
            busy = {f for f, t, _g in self.locked if t == s}
            open_slots = []
            for g in range(len(self.groups)):
                missing = self.target[(s, g)] - sum(1 for f, t, h in self.locked if t == s and h == g)
                open_slots.extend([g] * missing)
            candidates = {
                g: [f for f in by_session[s][g] if f not in busy and (f, g) not in visited] for g in set(open_slots)
            }

            def preference(f: int, s: int = s) -> tuple:
                # Experts first, then the least loaded, but nobody beyond the water level.
                return (load[f] >= level, f not in self.experts[s], load[f], f)

            for g in candidates:
                candidates[g].sort(key=preference)
            open_slots.sort(key=lambda g: (len(candidates[g]), g))
            # First one expert per team where possible, then everyone else around them.
            experts = _match_most([[f for f in candidates[g] if f in self.experts[s]] for g in sorted(set(open_slots))])
            teams_first = sorted(set(open_slots))
            holder: dict[int, int] | None = None
            if experts:
                fixed = {f: teams_first[i] for f, i in experts.items()}
                rest = list(open_slots)
                for g in fixed.values():
                    rest.remove(g)
                filled = _match([[f for f in candidates[g] if f not in fixed] for g in rest])
                if filled is not None:
                    holder = {**fixed, **{f: rest[i] for f, i in filled.items()}}
            if holder is None:
                plain = _match([candidates[g] for g in open_slots])
                if plain is None:
                    return None
                holder = {f: open_slots[i] for f, i in plain.items()}
            holder = self.co_facilitation_repair(s, holder, candidates, preference)
            if holder is None:
                return None
            for f, g in holder.items():
                chosen.add((f, s, g))
                load[f] += 1
                visited.add((f, g))
        return chosen

    def co_facilitation_repair(
        self, s: int, holder: dict[int, int], candidates: dict[int, list[int]], preference: Callable
    ) -> dict[int, int] | None:
        """The session's matching (facilitator -> group) with no team whose members share no language.

        Moves that each remove at least one such pair, until none is left: a member of a
        conflicting team (never a locked one) is replaced by someone free in that session, or
        exchanged with a member of another team; each must be a candidate of their new team
        (available, speaking the room's language, new to the group). None when stuck.
        """
        teams: dict[int, list[int]] = defaultdict(list)
        for f, t, g in sorted(self.locked):
            if t == s:
                teams[g].append(f)
        for f, g in sorted(holder.items()):
            teams[g].append(f)
        if not any(self.conflicts(team) for team in teams.values()):
            return holder
        holder = dict(holder)
        allowed = {g: set(people) for g, people in candidates.items()}

        def gain(g: int, leaving: int, coming: int) -> int:
            team = teams[g]
            rest = [f for f in team if f != leaving]
            return sum(self.apart(leaving, f) for f in rest) - sum(self.apart(coming, f) for f in rest)

        while True:
            conflicting = sorted(g for g, team in teams.items() if self.conflicts(team))
            if not conflicting:
                return holder
            moved = False
            for g in conflicting:
                movers = sorted(
                    (f for f in teams[g] if f in holder and any(self.apart(f, h) for h in teams[g])), key=preference
                )
                free = sorted(
                    (f for f in allowed[g] if f not in holder and not any(f in team for team in teams.values())),
                    key=preference,
                )
                for a in movers:
                    coming = next((c for c in free if gain(g, a, c) > 0), None)
                    if coming is not None:
                        teams[g][teams[g].index(a)] = coming
                        del holder[a]
                        holder[coming] = g
                        moved = True
                        break
                    for h in sorted(teams):
                        if h == g or a not in allowed.get(h, ()):
                            continue
                        b = next(
                            (
                                b
                                for b in sorted(teams[h], key=preference)
                                if b in holder and b in allowed[g] and gain(g, a, b) + gain(h, b, a) > 0
                            ),
                            None,
                        )
                        if b is not None:
                            teams[g][teams[g].index(a)], teams[h][teams[h].index(b)] = b, a
                            holder[a], holder[b] = h, g
                            moved = True
                            break
                    if moved:
                        break
                if moved:
                    break
            if not moved:
                return None

    def water_level(self) -> int:
        """The fewest sessions the busiest facilitator can work: the level at which everyone working
        up to it (or up to the sessions they can work) covers all slots."""
        total = sum(self.target.values())
        sessions_of = Counter(f for f, s in {(f, s) for f, s, _g in self.slots})
        return next(
            (m for m in range(len(self.sessions) + 1) if sum(min(c, m) for c in sessions_of.values()) >= total),
            len(self.sessions),
        )

    def counting_bound(self) -> int:
        """A lower bound on the objective from counting alone (the implied constraints of `model`).

        Load: the busiest person works at least the water level, the least busy at most the
        fewest sessions anyone can work and at most the average. Expertise: per session, the
        largest shortfall of experts over any union of room modes. Pairs: 0.
        """
        bound = 0
        usable = Counter(f for f, s in {(f, s) for f, s, _g in self.slots})
        if usable and self.weights.load_balance:
            least = min(min(usable.values()), sum(self.target.values()) // len(usable))
            bound += self.weights.load_balance * max(0, self.water_level() - least)
        if self.weights.expertise:
            for s, session in enumerate(self.sessions):
                if session.section:
                    bound += self.weights.expertise * max(
                        [0, *(needed - able for needed, able in self._expert_shortfalls(s))]
                    )
        return bound

    def _expert_shortfalls(self, s: int) -> list[tuple[int, int]]:
        """Per union of room modes: (groups there, experts able to work there in session s)."""
        modes_of_expert: dict[int, int] = defaultdict(int)
        for f, t, g in self.slots:
            if t == s and f in self.experts[s]:
                modes_of_expert[f] |= 1 << self.group_mode[g]
        return [
            (
                sum(1 for g in range(len(self.groups)) if union >> self.group_mode[g] & 1),
                sum(1 for mask in modes_of_expert.values() if mask & union),
            )
            for union in self.modes.unions()
        ]

    # -- the exact model ---------------------------------------------------------------------------

    def _add_co_facilitation(self, model: cp_model.CpModel, x: dict[Slot, cp_model.IntVar]) -> None:
        """Co-facilitators share a language: per team, one boolean per language set present
        ("someone speaking exactly these languages is here"), and two disjoint sets never both.
        As many constraints as people plus pairs of language sets, instead of pairs of people."""
        by_team: dict[tuple[int, int], dict[frozenset[str], list]] = defaultdict(lambda: defaultdict(list))
        for (f, s, g), var in x.items():
            if self.target[(s, g)] >= 2:
                by_team[(s, g)][self.speaks[f]].append(var)
        for sets in by_team.values():
            kinds = sorted(sets, key=sorted)
            clashing = [(a, b) for i, a in enumerate(kinds) for b in kinds[i + 1 :] if not a & b]
            if not clashing:
                continue
            involved = {k for pair in clashing for k in pair}
            present = {}
            for kind in (k for k in kinds if k in involved):  # in a fixed order: deterministic
                present[kind] = model.new_bool_var("")
                for var in sets[kind]:
                    model.add_implication(var, present[kind])
            for a, b in clashing:
                model.add_bool_or([present[a].Not(), present[b].Not()])

    def model(self, co_facilitation: bool = True) -> tuple[cp_model.CpModel, dict[Slot, cp_model.IntVar]]:
        """One boolean per possible slot; objective: load spread and teams without an expert.

        `co_facilitation=False` leaves out that one rule (to tell whether it is what makes an
        input impossible)."""
        model = cp_model.CpModel()
        x = {slot: model.new_bool_var("") for slot in self.slots}
        for slot in self.locked:
            model.add(x[slot] == 1)
        by_team: dict[tuple[int, int], list] = defaultdict(list)
        by_person_session: dict[tuple[int, int], list] = defaultdict(list)
        by_person_group: dict[tuple[int, int], list] = defaultdict(list)
        by_person: dict[int, list] = defaultdict(list)
        for (f, s, g), var in x.items():
            by_team[(s, g)].append(var)
            by_person_session[(f, s)].append(var)
            by_person_group[(f, g)].append(var)
            by_person[f].append(var)
        for team, needed in self.target.items():
            model.add(sum(by_team[team]) == needed)  # staffing
        for people in by_person_session.values():
            model.add_at_most_one(people)  # no double booking within a session
        for s, t in combinations(range(len(self.sessions)), 2):  # nor across sessions that overlap
            a, b = self.sessions[s], self.sessions[t]
            if a.start < b.end and b.start < a.end:
                for f in range(len(self.facilitators)):
                    model.add_at_most_one(by_person_session[(f, s)] + by_person_session[(f, t)])
        for visits in by_person_group.values():
            model.add_at_most_one(visits)  # rotation: new facilitators for every group
        if co_facilitation:
            self._add_co_facilitation(model, x)
        terms = []
        if by_person and self.weights.load_balance:
            # Implied bounds that CP-SAT does not find alone: the busiest person works at least
            # the "water level" at which everyone working up to their sessions covers all slots;
            # the least busy at most the fewest sessions anyone can work, and at most the average.
            total = sum(self.target.values())
            sessions_of = Counter(f for f, _s in by_person_session)
            level = self.water_level()
            most = model.new_int_var(level, len(self.sessions), "")
            least = model.new_int_var(0, min(min(sessions_of.values()), total // len(by_person)), "")
            for people in by_person.values():
                model.add(most >= sum(people))
                model.add(least <= sum(people))
            terms.append(self.weights.load_balance * (most - least))
        if self.weights.expertise:
            for s, session in enumerate(self.sessions):
                if not session.section:
                    continue
                lacking = []
                for g in range(len(self.groups)):
                    without = model.new_bool_var("")
                    experts = [x[(f, s, g)] for f in self.experts[s] if (f, s, g) in x]
                    model.add(without + sum(experts) >= 1)
                    lacking.append((g, without))
                # Each expert leads at most one team per session, so in every union of room modes
                # at least (groups there - experts who can work there) teams lack one. Implied,
                # but without it CP-SAT's bound stays at 0.
                for union, (_needed, able) in zip(self.modes.unions(), self._expert_shortfalls(s), strict=True):
                    inside = [without for g, without in lacking if union >> self.group_mode[g] & 1]
                    if len(inside) > able:
                        model.add(sum(inside) >= len(inside) - able)
                terms.append(self.weights.expertise * sum(without for _g, without in lacking))
        objective = sum(terms)
        # The counting bound holds for these terms: told it, the solver proves a solution that
        # reaches it optimal and stops by itself, at the same point of its (interleaved,
        # deterministic) search whatever the machine's load. Stopping it from the solution
        # callback instead took effect a little later or sooner, and the result varied.
        if terms:
            model.add(objective >= self.counting_bound())
        model.minimize(objective)
        return model, x

    def feasible_without_co_facilitation(self, time_limit: float, seed: int) -> bool:
        """True when some rotation would meet every other hard rule (found within the time limit).

        Asked only once the full model is proven infeasible, to name the rule that makes it so."""
        kinds = set(self.speaks)
        if not any(not a & b for a, b in combinations(kinds, 2)):
            return False  # everyone shares a language with everyone: the rule cannot be the cause
        model, _x = self.model(co_facilitation=False)
        model.clear_objective()
        solver = _solver(seed, time_limit)
        return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    # -- the swap pass -----------------------------------------------------------------------------

    def swap_pass(self, chosen: set[Slot], deadline: float) -> set[Slot]:
        """Removes repeated co-facilitator pairs by exchanging facilitators between teams of a session.

        Tries swaps of two people, then rotations of three people among three teams (when the
        rotation rule blocks every swap). Nobody moves to another session, so loads stay; an
        exchange is made only if everyone may take their new slot (availability, language,
        never the same group twice, not locked), every pair of a new team shares a language, no
        team loses its expert, and the weighted objective goes down.
        """
        possible = set(self.slots)
        teams = {team: list(people) for team, people in _teams(chosen).items()}
        visit = {(f, g): s for f, s, g in chosen}
        pairs = Counter(pair for team in teams.values() for pair in combinations(sorted(team), 2))
        w = self.weights

        def movable(f: int, s: int, g: int, h: int) -> bool:
            return (f, s, g) not in self.locked and (f, s, h) in possible and (f, h) not in visit

        def exchange(s: int, cycle: list[tuple[int, int]]) -> bool:
            """Moves each (person, group) of `cycle` to the next one's group, if that helps."""
            moved = {g: [f for f in teams[(s, g)] if f not in {p for p, _g in cycle}] for _p, g in cycle}
            for i, (f, _g) in enumerate(cycle):
                moved[cycle[(i + 1) % len(cycle)][1]].append(f)
            if any(self.conflicts(team) for team in moved.values()):
                return False  # co-facilitation: every pair of a team shares a language
            changes: Counter = Counter()
            lost = 0
            for g, team in moved.items():
                changes.subtract(combinations(sorted(teams[(s, g)]), 2))
                changes.update(combinations(sorted(team), 2))
                if self.sessions[s].section:
                    lost += any(f in self.experts[s] for f in teams[(s, g)]) - any(f in self.experts[s] for f in team)
            repeats = sum(max(0, pairs[p] + d - 1) - max(0, pairs[p] - 1) for p, d in changes.items() if d)
            if lost > 0 or w.pair_variety * repeats + w.expertise * lost >= 0:
                return False
            for i, (f, g) in enumerate(cycle):
                del visit[(f, g)]
                visit[(f, cycle[(i + 1) % len(cycle)][1])] = s
            for g, team in moved.items():
                teams[(s, g)] = team
            pairs.update(changes)
            return True

        def improve(s: int, g: int) -> bool:
            """Makes the first helpful exchange for a member of team (s, g) in a repeated pair."""
            repeated = [pair for pair in combinations(sorted(teams[(s, g)]), 2) if pairs[pair] > 1]
            movers = sorted({f for pair in repeated for f in pair})
            others = [h for h in range(len(self.groups)) if h != g]
            for a in movers:
                for h in others:
                    if movable(a, s, g, h):
                        for b in list(teams[(s, h)]):
                            if movable(b, s, h, g) and exchange(s, [(a, g), (b, h)]):
                                return True
            for a in movers:
                for h in others:
                    if not movable(a, s, g, h):
                        continue
                    for b in list(teams[(s, h)]):
                        for k in others:
                            if k == h or not movable(b, s, h, k):
                                continue
                            for c in list(teams[(s, k)]):
                                if movable(c, s, k, g) and exchange(s, [(a, g), (b, h), (c, k)]):
                                    return True
            return False

        improved = True
        while improved and time.perf_counter() < deadline:
            improved = False
            for s, g in sorted(teams):
                while time.perf_counter() < deadline and improve(s, g):
                    improved = True
        return {(f, s, g) for (s, g), team in teams.items() for f in team}


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


def _match(candidates: list[list[int]]) -> dict[int, int] | None:
    """A matching of every slot to a distinct candidate (facilitator -> slot index), or None.

    Kuhn's augmenting paths: candidates are tried in the order given, so preferences hold
    where they can, and a slot only takes someone else's facilitator if that one can move on.
    """
    holder = _match_most(candidates)
    # A slot that finds no augmenting path stays unmatched for good, so a full matching exists
    # exactly when the largest one covers every slot.
    return holder if len(holder) == len(candidates) else None


def _match_most(candidates: list[list[int]]) -> dict[int, int]:
    """A largest matching of slots to distinct candidates (facilitator -> slot index); some slots may stay open."""
    holder: dict[int, int] = {}

    def augment(slot: int, seen: set[int]) -> bool:
        for f in candidates[slot]:
            if f in seen:
                continue
            seen.add(f)
            if f not in holder or augment(holder[f], seen):
                holder[f] = slot
                return True
        return False

    for slot in range(len(candidates)):
        augment(slot, set())
    return holder


def _teams(chosen: set[Slot]) -> dict[tuple[int, int], list[int]]:
    teams: dict[tuple[int, int], list[int]] = defaultdict(list)
    for f, s, g in chosen:
        teams[(s, g)].append(f)
    return teams


def _repeated_pairs(teams: dict[tuple[int, int], list[int]]) -> int:
    pairs = Counter(pair for team in teams.values() for pair in combinations(sorted(team), 2))
    return sum(n - 1 for n in pairs.values() if n > 1)


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports the objective of the solver's solutions, pair term included, at most every PROGRESS_EVERY s."""

    def __init__(self, rotation: _Rotation, x: dict[Slot, cp_model.IntVar], progress: ProgressLog):
        super().__init__()
        self.rotation = rotation
        self.slots = list(x)
        self.indices = [var.index for var in x.values()]
        self.progress = progress
        self.last = -math.inf

    def on_solution_callback(self) -> None:
        now = time.perf_counter()
        if now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        values = self.response_proto.solution
        chosen = {slot for slot, i in zip(self.slots, self.indices, strict=True) if values[i]}
        repeats = _repeated_pairs(_teams(chosen))
        self.progress.offer(round(self.objective_value) + self.rotation.weights.pair_variety * repeats)


def rotation_objective(
    schedule: Schedule, assignments: list[AssignmentSpec], *, weights: RotationWeights = RotationWeights()
) -> int:
    """The objective `rotation_build` minimises, for any rotation (a hand-made one, a baseline).

    Assignments naming someone or something outside the workshop are left out.
    """
    rotation = _Rotation(replace(schedule, assignments=()), weights)
    facilitators = {f.id: i for i, f in enumerate(rotation.facilitators)}
    sessions = {s.id: i for i, s in enumerate(rotation.sessions)}
    groups = {g.id: i for i, g in enumerate(rotation.groups)}
    chosen = {
        (facilitators[a.facilitator_id], sessions[a.session_id], groups[a.group_id])
        for a in assignments
        if a.facilitator_id in facilitators and a.session_id in sessions and a.group_id in groups
    }
    return rotation.total(chosen)


def _greedy_start(rotation: _Rotation, deadline: float) -> set[Slot] | None:
    """The greedy start, its repeated pairs swapped away until `deadline`: often optimal already."""
    start = rotation.greedy()
    return None if start is None else rotation.swap_pass(start, deadline)


def rotation_greedy(schedule: Schedule, *, weights: RotationWeights = RotationWeights()) -> list[AssignmentSpec] | None:
    """The rotation `rotation_build` starts from, without the solver: quick, and the same on every machine.

    Guarantees: None when `rotation_precheck` finds a problem or the greedy construction gets
    stuck; otherwise the locked assignments plus, for every session x group, its required number
    of facilitators, meeting every hard rule as `rotation_build`'s greedy start does (no staffing,
    double booking, rotation, facilitator language, co-facilitation or availability problem).
    The swap pass runs to its end unless it takes more than `SWAP_SECONDS`.
    """
    if rotation_precheck(schedule):
        return None
    rotation = _Rotation(schedule, weights)
    start = _greedy_start(rotation, time.perf_counter() + SWAP_SECONDS)
    if start is None:
        return None
    locked = list({(a.facilitator_id, a.session_id, a.group_id): a for a in schedule.assignments if a.locked}.values())
    return locked + [
        AssignmentSpec(rotation.facilitators[f].id, rotation.sessions[s].id, rotation.groups[g].id)
        for f, s, g in sorted(start - rotation.locked, key=lambda slot: (slot[1], slot[2], slot[0]))
    ]


def rotation_build(
    schedule: Schedule,
    *,
    weights: RotationWeights = RotationWeights(),
    time_limit: float = 10.0,
    seed: int = 0,
    on_progress: Callable[[float, float], None] | None = None,
) -> RotationResult:
    """Builds the facilitator rotation for the groups as they are, meeting every hard rule.

    Guarantees: status "infeasible" when `rotation_precheck` finds a problem (its words in
    `problems`), or, rarely, when the solver proves that no rotation exists although the counts
    allow one (then one sentence saying so); otherwise, when status is "optimal" or "feasible",
    `assignments` staffs every session x group with exactly its required number of
    facilitators (more only where more were locked), keeps every locked assignment, and
    `schedule_check` of the schedule with these assignments finds no staffing, double booking,
    rotation, facilitator language, co-facilitation or availability problem. When the solver
    proves infeasibility and co-facilitation is what stands in the way (a model without it is
    feasible), the sentence says so (rule co-facilitation). "unknown" when the time ran out
    before any rotation was found (then only the locked assignments). `bound` is proven: the
    larger of `_Rotation.counting_bound` and CP-SAT's bound on the load and expertise terms,
    hence on the whole objective (repeated pairs count 0 or more); "optimal" when the objective
    reaches it, and then the solver is not even started if the greedy start got there.
    Deterministic for a seed when the search ends before the time limit (interleaved search);
    otherwise only where the clock cuts varies.
    """
    progress = ProgressLog(time.perf_counter(), on_progress)
    problems = rotation_precheck(schedule)
    if problems:
        return RotationResult("infeasible", [], None, None, problems, progress.elapsed(), [])
    rotation = _Rotation(schedule, weights)
    deadline = progress.started + time_limit
    locked = [a for a in schedule.assignments if a.locked]
    locked = list({(a.facilitator_id, a.session_id, a.group_id): a for a in locked}.values())
    reserve = min(SWAP_SECONDS, 0.1 * time_limit)

    bound = rotation.counting_bound()
    found: list[set[Slot]] = []
    start = _greedy_start(rotation, time.perf_counter() + reserve)
    if start is not None:
        progress.offer(rotation.total(start))
        found.append(start)
    if start is None or rotation.total(start) > bound:
        model, x = rotation.model()
        if start is not None:
            for slot, var in x.items():
                model.add_hint(var, slot in start)
        solver = _solver(seed, max(0.05, deadline - reserve - time.perf_counter()))
        status = solver.solve(model, _Reporter(rotation, x, progress))
        if status == cp_model.INFEASIBLE and rotation.feasible_without_co_facilitation(
            max(0.05, deadline - time.perf_counter()), seed
        ):
            problem = Problem(
                Rule.CO_FACILITATION,
                _(
                    "Each count of facilitators is enough, but no rotation can staff every group in every "
                    "session with co-facilitators who share a language (without that rule, one could). Add "
                    "facilitators who speak more than one of the languages, or require fewer facilitators "
                    "per group."
                ),
            )
            return RotationResult("infeasible", [], None, None, [problem], progress.elapsed(), progress.history)
        if status == cp_model.INFEASIBLE:
            problem = Problem(
                Rule.STAFFING,
                _(
                    "No rotation can staff every group in every session: each count of facilitators is "
                    "enough on its own, but availability, languages and the rule that a facilitator "
                    "visits each group once cannot all be met together. Add facilitators or widen "
                    "their availability."
                ),
            )
            return RotationResult("infeasible", [], None, None, [problem], progress.elapsed(), progress.history)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = solver.response_proto.solution
            solved = {slot for slot, var in x.items() if values[var.index]}
            # When the memory limit stopped the search early, the swap pass gets the time left.
            found.append(rotation.swap_pass(solved, max(time.perf_counter() + reserve, deadline)))
            bound = max(bound, math.ceil(solver.best_objective_bound - 1e-6))
    if not found:
        return RotationResult("unknown", locked, None, bound, [], progress.elapsed(), progress.history)
    best = min(found, key=rotation.total)
    objective = rotation.total(best)
    progress.offer(objective)
    assignments = locked + [
        AssignmentSpec(rotation.facilitators[f].id, rotation.sessions[s].id, rotation.groups[g].id)
        for f, s, g in sorted(best - rotation.locked, key=lambda slot: (slot[1], slot[2], slot[0]))
    ]
    status_name = "optimal" if bound is not None and objective <= bound else "feasible"
    return RotationResult(status_name, assignments, objective, bound, [], progress.elapsed(), progress.history)
