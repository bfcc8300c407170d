"""Benchmark of the live repair (issue 17), run by `bench/scheduling.py --repair`: repair against a full re-solve.

On generated events (the 2005 size and the Council size, three seeds each), the rotation is built,
the sessions of the first half are taken as started, and a facilitator of the last session is
withdrawn from that moment. The repair (`rotation_repair`) and a full re-solve (`rotation_build` with
the started sessions locked and the facilitator unavailable) are compared side by side: facilitator
places changed and seconds, with their ratios. Goals: every repair meets every rule, never changes
more than the full re-solve, and takes under 5 s at Council size.
"""

import time
from dataclasses import replace
from datetime import timedelta

from workshops.scheduling.checker import schedule_check
from workshops.scheduling.generate import schedule_generate
from workshops.scheduling.repair import (
    ROTATION_RULES,
    Withdrawal,
    repair_changes,
    repair_full_schedule,
    rotation_repair,
)
from workshops.scheduling.rotation import rotation_build

SIZES = [("2005", 100, 5, 2, 12, 30), ("Council", 600, 20, 4, 50, 100)]


def repair_bench(quick: bool) -> list[tuple[str, bool, str]]:
    seeds = (1,) if quick else (1, 2, 3)
    goals = []
    print(f"\n=== Repair on the day against a full re-solve ({len(seeds)} seed(s) per size)")
    print(
        f"{'event / seed':16} {'repair: changes':>16} {'s':>6} {'full: changes':>14} {'s':>6} {'changes ratio':>14} {'time ratio':>11}"
    )
    for name, participants, groups, sessions, facilitators, countries in SIZES:
        worst_seconds, all_fewer, all_rules = 0.0, True, True
        for seed in seeds:
            generated = schedule_generate(
                participants=participants,
                groups=groups,
                sessions=sessions,
                facilitators=facilitators,
                countries=countries,
                seed=seed,
            )
            built = rotation_build(generated, time_limit=10, seed=0)
            schedule = replace(generated, assignments=built.assignments)
            ordered = sorted(schedule.sessions, key=lambda s: s.start)
            now = ordered[max(0, len(ordered) // 2 - 1)].start + timedelta(minutes=30)
            victim = next(a.facilitator_id for a in built.assignments if a.session_id == ordered[-1].id)
            withdrawals = [Withdrawal(victim, start=now)]
            repaired = rotation_repair(schedule, now=now, withdrawals=withdrawals)
            full_input = repair_full_schedule(schedule, now=now, withdrawals=withdrawals)
            started = time.perf_counter()
            full = rotation_build(full_input, time_limit=10, seed=0)
            full_seconds = time.perf_counter() - started
            full_changes = len(repair_changes(list(schedule.assignments), full.assignments))
            broken = [
                p
                for p in schedule_check(replace(full_input, assignments=repaired.assignments))
                if p.rule in ROTATION_RULES
            ]
            changes = len(repaired.changes)
            ratio = f"{changes / full_changes:.2f}" if full_changes else "-"
            time_ratio = f"{repaired.elapsed / full_seconds:.1f}" if full_seconds else "-"
            print(
                f"{name + ' / ' + str(seed):16} {changes:>16} {repaired.elapsed:>6.2f} {full_changes:>14} "
                f"{full_seconds:>6.2f} {ratio:>14} {time_ratio:>11}"
                + ("" if repaired.proven else "  (fewest not proven)")
            )
            worst_seconds = max(worst_seconds, repaired.elapsed)
            all_fewer &= changes <= full_changes
            all_rules &= not broken and not repaired.shortfall
        goals.append((f"{name}: repair meets every rule", all_rules, "every seed" if all_rules else "not always"))
        goals.append(
            (
                f"{name}: repair changes no more than a full re-solve",
                all_fewer,
                "every seed" if all_fewer else "not always",
            )
        )
        if name == "Council":
            goals.append(("Council: repair in < 5 s", worst_seconds < 5, f"{worst_seconds:.2f} s at most"))
    for label, met, figure in goals:
        print(f"  {'met' if met else 'NOT met'}: {label}: {figure}")
    return goals
