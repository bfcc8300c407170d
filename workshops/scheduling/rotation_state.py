"""The rotation instance in index form (`_Rotation`): who may take which slot, the greedy start and its
co-facilitation repair, the counting bound, the exact CP-SAT model and the swap pass, for `rotation.py`.
"""

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import combinations

from ortools.sat.python import cp_model

from .data import Schedule
from .prechecks import Modes
from .rotation_data import RotationWeights, Slot, _repeated_pairs, _solver, _teams
from .rotation_matching import _match, _match_most


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
