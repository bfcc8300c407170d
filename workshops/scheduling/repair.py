"""Live repair of the facilitator rotation on the day, over plain data (CP-SAT).

When a facilitator drops out (from a time, or for some sessions), `rotation_repair` re-plans only
the sessions that have not started: every session that started at or before `now` (held, or in
progress) is frozen as it is. It keeps every rule of the rotation (staffing, no double booking,
a facilitator visits a group once in the workshop, frozen sessions included, facilitator
language, co-facilitation, availability, locked assignments) and minimises, in this order:

1. places left empty: a team short of its required facilitators. Zero whenever some repair meets
   every rule; when none does, the least bad option (say one facilitator instead of two in a
   group) is proposed, with the staffing rule it breaks in words, for the organiser to accept;
2. changed places: a facilitator's place in a session (a group, or none) that differs from now;
3. the rotation's usual soft goals (load balance, then expertise), as `rotation_build` weighs them.

The three are one weighted sum whose weights keep them lexicographic. Started from the current
rotation as a hint, CP-SAT proves the optimum in well under a second at Council size.
`repair_full_schedule` is the same situation as a full re-solve sees it (frozen assignments locked,
the withdrawn facilitator unavailable), to compare with `rotation_build`.
"""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import combinations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.sat.python import cp_model

from .checker import Problem, Rule, schedule_check
from .data import AssignmentSpec, Schedule, SessionSpec
from .rotation_data import RotationWeights, _solver
from .rotation_matching import _match_most

# At most this long is spent on the soft goals once the fewest changes are proven (a repair is
# wanted while the organiser waits; the soft goals only choose among equally small repairs).
POLISH_SECONDS = 1.0

# The rules the rotation is about: the ones a repair must keep (the others are about participants).
ROTATION_RULES = frozenset(
    {
        Rule.STAFFING,
        Rule.DOUBLE_BOOKING,
        Rule.ROTATION,
        Rule.FACILITATOR_LANGUAGE,
        Rule.CO_FACILITATION,
        Rule.AVAILABILITY,
    }
)


@dataclass(frozen=True)
class Withdrawal:
    """A facilitator who cannot facilitate from `start` on, or in the sessions `session_ids`."""

    facilitator_id: int
    start: datetime | None = None
    session_ids: frozenset[int] = frozenset()

    def covers(self, session: SessionSpec) -> bool:
        return session.id in self.session_ids or (self.start is not None and session.end > self.start)


@dataclass(frozen=True)
class RepairChange:
    """One facilitator's place in one session, before and after (None: not facilitating there)."""

    facilitator_id: int
    session_id: int
    before_group_id: int | None
    after_group_id: int | None


@dataclass
class RepairResult:
    status: str  # "optimal" | "feasible" | "unknown"
    assignments: list[AssignmentSpec]  # the whole rotation after the repair, frozen sessions included
    changes: list[RepairChange]
    frozen_session_ids: list[int]
    shortfall: dict[tuple[int, int], int]  # (session id, group id): places left empty (the least bad option)
    problems: list[Problem]  # rotation rules the proposal still breaks in sessions not yet started
    in_progress: list[tuple[int, int]]  # (facilitator, session): withdrawn but in a session already under way
    elapsed: float
    objective: float | None = None
    proven: bool = False  # the solver proved that no repair changes fewer places
    extra: dict = field(default_factory=dict)


def _minus(windows: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> list:
    """The availability windows without the moment [start, end)."""
    kept = []
    for a, b in windows:
        if b <= start or end <= a:
            kept.append((a, b))
            continue
        if a < start:
            kept.append((a, start))
        if end < b:
            kept.append((end, b))
    return kept


def repair_full_schedule(schedule: Schedule, *, now: datetime, withdrawals: list[Withdrawal]) -> Schedule:
    """The schedule a full re-solve would start from: every assignment of a session started by `now`
    locked (and only those kept), each withdrawal written into the facilitator's availability (the
    sessions not yet started that it covers cut out of it)."""
    if not schedule.sessions:
        return replace(schedule, assignments=())
    first = min(s.start for s in schedule.sessions) - timedelta(days=1)
    last = max(s.end for s in schedule.sessions) + timedelta(days=1)
    by_facilitator = defaultdict(list)
    for w in withdrawals:
        by_facilitator[w.facilitator_id].append(w)
    facilitators = []
    for person in schedule.facilitators:
        if person.id not in by_facilitator:
            facilitators.append(person)
            continue
        windows = list(person.availability) or [(first, last)]
        for session in schedule.sessions:
            # A session under way keeps its facilitators: only those not yet started are cut out.
            if session.start > now and any(w.covers(session) for w in by_facilitator[person.id]):
                windows = _minus(windows, session.start, session.end)
        # An empty list would read "available throughout": a window outside the workshop instead.
        facilitators.append(replace(person, availability=tuple(windows) or ((first, first),)))
    started = {s.id for s in schedule.sessions if s.start <= now}
    assignments = tuple(replace(a, locked=True) for a in schedule.assignments if a.session_id in started)
    return replace(schedule, facilitators=facilitators, assignments=assignments)


def repair_changes(before: list[AssignmentSpec], after: list[AssignmentSpec]) -> list[RepairChange]:
    """Every facilitator place (facilitator x session) that differs between two rotations, in a stable order."""
    old = {(a.facilitator_id, a.session_id): a.group_id for a in before}
    new = {(a.facilitator_id, a.session_id): a.group_id for a in after}
    return [
        RepairChange(f, s, old.get((f, s)), new.get((f, s)))
        for f, s in sorted(set(old) | set(new), key=lambda key: (key[1], key[0]))
        if old.get((f, s)) != new.get((f, s))
    ]


class _Repair:
    """The repair as a CP-SAT model: one boolean per possible place in a session not yet started."""

    def __init__(self, schedule: Schedule, now: datetime, withdrawals: list[Withdrawal], weights: RotationWeights):
        self.schedule = schedule
        self.weights = weights
        self.sessions = sorted(schedule.sessions, key=lambda s: (s.start, s.id))
        self.frozen = [s for s in self.sessions if s.start <= now]
        self.open = [s for s in self.sessions if s.start > now]
        frozen_ids = {s.id for s in self.frozen}
        rooms = {r.id: r for r in schedule.rooms}
        self.groups = list(schedule.groups)
        self.room_languages = {
            g.id: rooms[g.room_id].languages if g.room_id in rooms else frozenset() for g in self.groups
        }
        self.facilitators = {f.id: f for f in schedule.facilitators}
        known = [
            a
            for a in schedule.assignments
            if a.facilitator_id in self.facilitators and a.group_id in self.room_languages
        ]
        self.current = {(a.facilitator_id, a.session_id): a for a in known}
        self.kept_frozen = [a for a in known if a.session_id in frozen_ids]
        visited = {(a.facilitator_id, a.group_id) for a in self.kept_frozen}
        busy_frozen = defaultdict(set)
        for a in self.kept_frozen:
            busy_frozen[a.facilitator_id].add(a.session_id)
        by_id = {s.id: s for s in self.sessions}
        withdrawn = defaultdict(list)
        for w in withdrawals:
            withdrawn[w.facilitator_id].append(w)
        self.in_progress = sorted(
            (a.facilitator_id, a.session_id)
            for a in self.kept_frozen
            if any(w.covers(by_id[a.session_id]) for w in withdrawn[a.facilitator_id])
        )
        self.slots = []
        for person in schedule.facilitators:
            for s in self.open:
                if not person.is_available(s.start, s.end) or any(w.covers(s) for w in withdrawn[person.id]):
                    continue
                if any(_overlap(s, by_id[t]) for t in busy_frozen[person.id]):
                    continue  # facilitating a session already under way at that moment
                for g in self.groups:
                    if person.languages & self.room_languages[g.id] and (person.id, g.id) not in visited:
                        self.slots.append((person.id, s.id, g.id))
        locked_in = Counter((a.session_id, a.group_id) for a in known if a.locked and a.session_id not in frozen_ids)
        self.target = {(s.id, g.id): max(s.required, locked_in[(s.id, g.id)]) for s in self.open for g in self.groups}

    def model(self):
        model = cp_model.CpModel()
        x = {slot: model.new_bool_var("") for slot in self.slots}
        by_team, by_person_session, by_person_group, by_person = (defaultdict(list) for _i in range(4))
        for (f, s, g), var in x.items():
            by_team[(s, g)].append(var)
            by_person_session[(f, s)].append(var)
            by_person_group[(f, g)].append(var)
            by_person[f].append(var)
        short = {}
        for team, needed in self.target.items():
            short[team] = model.new_int_var(0, needed, "")
            model.add(sum(by_team[team]) + short[team] == needed)  # staffing, or places left empty
        for people in by_person_session.values():
            model.add_at_most_one(people)
        for a, b in combinations(self.open, 2):
            if _overlap(a, b):
                for f in self.facilitators:
                    model.add_at_most_one(by_person_session[(f, a.id)] + by_person_session[(f, b.id)])
        for visits in by_person_group.values():
            model.add_at_most_one(visits)  # new facilitators for every group
        self._co_facilitation(model, x)
        open_ids = {s.id for s in self.open}
        changes = []
        for (f, s), a in self.current.items():
            if s not in open_ids:
                continue
            slot = (f, s, a.group_id)
            if slot in x:
                if a.locked:
                    model.add(x[slot] == 1)  # kept by hand, and still possible
                changes.append(1 - x[slot])
            else:
                changes.append(1)
        for (f, s), people in by_person_session.items():
            if (f, s) not in self.current:
                changes.extend(people)
        start = self.greedy()
        for slot, var in x.items():
            model.add_hint(var, slot in start)
        # Counting, as `_Rotation.counting_bound` does: a place that must change is a change, and each
        # place it leaves open is filled by another change (or left short), save the few who can move
        # to another group of that session. Told it, CP-SAT stops as soon as a repair reaches it.
        model.add(sum(changes) + sum(short.values()) >= self.counting_bound())
        soft, _soft_most = self._soft(model, x, by_person)
        return model, x, short, sum(changes), soft

    def greedy(self) -> set:
        """The current places still possible, each team's open places filled by a largest matching of
        people free in that session who may join it (new to the group, sharing a language with the
        team): often already the fewest changes, and then CP-SAT only has to prove it."""
        possible = set(self.slots)
        open_ids = {s.id for s in self.open}
        chosen = {
            (f, s, a.group_id) for (f, s), a in self.current.items() if s in open_ids and (f, s, a.group_id) in possible
        }
        visited = {(f, g) for f, _s, g in chosen} | {(a.facilitator_id, a.group_id) for a in self.kept_frozen}
        for session in self.open:
            s = session.id
            busy = {f for f, t, _g in chosen if t == s}
            busy |= {f for f, t, _g in chosen if t != s and _overlap(session, self._session(t))}
            teams = defaultdict(list)
            for f, t, g in chosen:
                if t == s:
                    teams[g].append(f)
            holes = [g for g in (g.id for g in self.groups) for _i in range(self.target[(s, g)] - len(teams[g]))]
            candidates = [
                [
                    f
                    for f, t, h in self.slots
                    if t == s
                    and h == g
                    and f not in busy
                    and (f, g) not in visited
                    and all(self.facilitators[f].languages & self.facilitators[o].languages for o in teams[g])
                ]
                for g in holes
            ]
            for f, i in _match_most(candidates).items():
                chosen.add((f, s, holes[i]))
                visited.add((f, holes[i]))
        return chosen

    def _session(self, session_id: int) -> SessionSpec:
        return next(s for s in self.sessions if s.id == session_id)

    def counting_bound(self) -> int:
        """Fewest changes plus places left empty that any repair makes (a proven lower bound)."""
        possible = set(self.slots)
        open_ids = {s.id for s in self.open}
        in_session = {(f, s) for f, s, _g in self.slots}
        forced = capable = 0
        kept = Counter()
        for (f, s), a in self.current.items():
            if s not in open_ids:
                continue
            if (f, s, a.group_id) in possible:
                kept[(s, a.group_id)] += 1
            else:
                forced += 1
                capable += (f, s) in in_session
        holes = sum(max(0, needed - kept[team]) for team, needed in self.target.items())
        return forced + max(0, holes - capable)

    def _co_facilitation(self, model, x) -> None:
        """Co-facilitators share a language, by language set as `_Rotation` does (never pairs of people)."""
        by_team = defaultdict(lambda: defaultdict(list))
        for (f, s, g), var in x.items():
            by_team[(s, g)][self.facilitators[f].languages].append(var)
        for sets in by_team.values():
            kinds = sorted(sets, key=sorted)
            clashing = [(a, b) for i, a in enumerate(kinds) for b in kinds[i + 1 :] if not a & b]
            present = {}
            for kind in {k for pair in clashing for k in pair}:
                present[kind] = model.new_bool_var("")
                for var in sets[kind]:
                    model.add_implication(var, present[kind])
            for a, b in clashing:
                model.add_bool_or([present[a].Not(), present[b].Not()])

    def _soft(self, model, x, by_person):
        """The rotation's soft goals over the whole day: load spread, teams without an expert."""
        terms, most_value = [], 0
        w = self.weights
        frozen_load = Counter(a.facilitator_id for a in self.kept_frozen)
        if w.load_balance and by_person:
            top = len(self.sessions)
            most = model.new_int_var(0, top, "")
            least = model.new_int_var(0, top, "")
            for f, people in by_person.items():
                model.add(most >= frozen_load[f] + sum(people))
                model.add(least <= frozen_load[f] + sum(people))
            terms.append(w.load_balance * (most - least))
            most_value += w.load_balance * top
        if w.expertise:
            for s in self.open:
                if not s.section:
                    continue
                for g in self.groups:
                    experts = [
                        x[(f, s.id, g.id)]
                        for f, person in self.facilitators.items()
                        if s.section in person.expertise and (f, s.id, g.id) in x
                    ]
                    without = model.new_bool_var("")
                    model.add(without + sum(experts) >= 1)
                    terms.append(w.expertise * without)
                    most_value += w.expertise
        return sum(terms), most_value


def _overlap(a: SessionSpec, b: SessionSpec) -> bool:
    return a.start < b.end and b.start < a.end


def rotation_repair(
    schedule: Schedule,
    *,
    now: datetime,
    withdrawals: list[Withdrawal],
    room_moves: dict[int, int] | None = None,
    weights: RotationWeights = RotationWeights(),
    time_limit: float = 5.0,
    seed: int = 0,
) -> RepairResult:
    """The rotation repaired for `withdrawals`, changing as few places as it can.

    `room_moves` (group id: room id) moves groups whose room became unusable: the facilitators of
    their sessions still to come must speak the new room's languages (`room_replacement` chooses it).

    Guarantees: every assignment of a session that started by `now` is kept as it is (even a
    withdrawn facilitator's, listed in `in_progress`); no withdrawn facilitator is placed in a
    session their withdrawal covers; staffing is met with every other rule of the rotation
    whenever the solver finds a way (then `shortfall` is empty), otherwise `shortfall` says which
    teams are short and `problems` says so in words; with status "optimal", no repair leaves fewer
    places empty, and none of those changes fewer places. "unknown": nothing found in time
    (the rotation is then unchanged).
    """
    started = time.perf_counter()
    if room_moves:  # a group moved to another room meets there in every session not yet started
        schedule = replace(
            schedule, groups=[replace(g, room_id=room_moves.get(g.id, g.room_id)) for g in schedule.groups]
        )
    repair = _Repair(schedule, now, withdrawals, weights)
    frozen_ids = [s.id for s in repair.frozen]
    if not repair.open:
        kept = list(repair.current.values())
        return RepairResult("optimal", kept, [], frozen_ids, {}, [], repair.in_progress, 0.0, 0.0, True)
    model, x, short, changes, soft = repair.model()
    # First the places left empty, then the changes, each before the next (a weight larger than
    # any count of changes); then, with those two held at their optimum, the soft goals.
    model.minimize((len(repair.slots) + len(repair.current) + 1) * sum(short.values()) + changes)
    solver = _solver(seed, time_limit)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        kept = list(repair.current.values())
        return RepairResult(
            "unknown", kept, [], frozen_ids, {}, [], repair.in_progress, time.perf_counter() - started, None
        )
    proven = status == cp_model.OPTIMAL
    left = min(POLISH_SECONDS, time_limit - (time.perf_counter() - started))
    if proven and left > 0.2 and not isinstance(soft, int):
        values = solver.response_proto.solution
        model.clear_hints()
        for var in x.values():
            model.add_hint(var, bool(values[var.index]))
        model.add(sum(short.values()) == sum(solver.value(v) for v in short.values()))
        model.add(changes == round(solver.value(changes)))
        model.minimize(soft)
        polish = _solver(seed, left)
        if polish.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = polish
    values = solver.response_proto.solution
    chosen = {slot for slot, var in x.items() if values[var.index]}
    locked = {(a.facilitator_id, a.session_id, a.group_id) for a in repair.current.values() if a.locked}
    assignments = list(repair.kept_frozen) + [
        AssignmentSpec(f, s, g, locked=(f, s, g) in locked)
        for f, s, g in sorted(chosen, key=lambda t: (t[1], t[2], t[0]))
    ]
    shortfall = {team: solver.value(var) for team, var in short.items() if solver.value(var)}
    problems = _problems(schedule, repair, now, withdrawals, assignments, shortfall)
    return RepairResult(
        "optimal" if proven else "feasible",
        assignments,
        repair_changes(list(repair.current.values()), assignments),
        frozen_ids,
        shortfall,
        problems,
        repair.in_progress,
        time.perf_counter() - started,
        solver.objective_value,
        proven,
    )


def _problems(schedule, repair: _Repair, now, withdrawals, assignments, shortfall) -> list[Problem]:
    """The rotation rules the repaired schedule still breaks in sessions not yet started, in words."""
    sessions = {s.id: s for s in schedule.sessions}
    groups = {g.id: g for g in schedule.groups}
    problems = []
    for (s, g), missing in sorted(
        shortfall.items(), key=lambda item: (sessions[item[0][0]].start, groups[item[0][1]].name)
    ):
        have = repair.target[(s, g)] - missing
        problems.append(
            Problem(
                Rule.STAFFING,
                ngettext(
                    "No repair meets every rule: the least bad leaves Group %(group)s with %(have)d facilitator "
                    "instead of %(needed)d in %(session)s.",
                    "No repair meets every rule: the least bad leaves Group %(group)s with %(have)d facilitators "
                    "instead of %(needed)d in %(session)s.",
                    have,
                )
                % {
                    "group": groups[g].name,
                    "have": have,
                    "needed": repair.target[(s, g)],
                    "session": sessions[s].title,
                },
                group_id=g,
                session_id=s,
            )
        )
    open_ids = {s.id for s in repair.open}
    full = repair_full_schedule(schedule, now=now, withdrawals=withdrawals)
    checked = schedule_check(replace(full, assignments=assignments))
    # The shortfall's own words say more than the checker's about the teams it leaves short.
    problems += [
        p
        for p in checked
        if p.rule in ROTATION_RULES and p.session_id in open_ids and not (shortfall and p.rule == Rule.STAFFING)
    ]
    return problems


def room_replacement(
    schedule: Schedule, *, group_id: int, unusable: frozenset[int]
) -> tuple[int | None, Problem | None]:
    """The room a group moves to when its own becomes unusable, or None and why, in words.

    A room no group uses and not unusable itself, with a seat for every participant of the group
    and a language each of them speaks (the capacity and language fit rules); among those, one
    with the same languages as the old room first (interpretation as before), then the fewest
    spare seats, then by name.
    """
    rooms = {r.id: r for r in schedule.rooms}
    group = next(g for g in schedule.groups if g.id == group_id)
    old = rooms.get(group.room_id)
    used = {g.room_id for g in schedule.groups}
    members = [p for p in schedule.participants if p.group_id == group_id]
    free = [r for r in schedule.rooms if r.id not in used and r.id not in unusable]
    big = [r for r in free if r.capacity >= len(members)]
    fit = [r for r in big if all(p.languages & r.languages for p in members)]
    if fit:
        best = min(
            fit, key=lambda r: (old is None or r.languages != old.languages, r.capacity - len(members), r.name, r.id)
        )
        return best.id, None
    if not big:
        words = ngettext(
            "No free room has a seat for the %(count)d participant of Group %(group)s: free a room, or add one.",
            "No free room has seats for the %(count)d participants of Group %(group)s: free a room, or add one.",
            len(members),
        ) % {"count": len(members), "group": group.name}
        return None, Problem(Rule.CAPACITY, words, group_id=group_id)
    words = _(
        "No free room with enough seats works in a language every participant of Group %(group)s speaks: "
        "free a room, or add one."
    ) % {"group": group.name}
    return None, Problem(Rule.LANGUAGE_FIT, words, group_id=group_id)
