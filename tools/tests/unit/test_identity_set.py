"""The labelled evaluation set: deterministic, realistic, and labelled as identity must answer."""

from __future__ import annotations

from collections import Counter

from lienthong_tools.bench.identity_eval import core_outcomes, score
from lienthong_tools.bench.identity_set import LINK_OPENED, generate


def test_the_same_seed_gives_the_same_set() -> None:
    first = generate(seed=3, citizens=2_000, dossiers=100, births=20)
    again = generate(seed=3, citizens=2_000, dossiers=100, births=20)
    assert first.citizens == again.citizens and first.checks == again.checks


def test_family_names_follow_vietnam_s_frequencies() -> None:
    register = generate(seed=5, citizens=6_000, dossiers=0, births=0).citizens
    families = Counter(c.full_name.split()[0] for c in register)
    share = families["Nguyễn"] / len(register)
    assert 0.34 < share < 0.42
    assert families["Trần"] > families["Lê"] > families["Đỗ"]


def test_the_set_holds_every_kind_of_written_name_and_number() -> None:
    evaluation = generate(seed=7, citizens=4_000, dossiers=1_500, births=300)
    kinds = {part for c in evaluation.checks for part in c.kind.split(".")}
    assert {"tcvn3", "vni", "nfd", "no_diacritics", "d_look_alike", "typo", "tone_changed",
            "swapped_day_month", "one_digit_off", "cmnd", "numberless", "unknown_number",
            "registered_twice", "twin_of_registered", "namesake_other_mother",
            "late_registration"} <= kinds  # fmt: skip
    late = [c for c in evaluation.checks if c.late_child]
    assert late and all(c.person.birth_date < LINK_OPENED and c.flag for c in late)


def test_identity_s_core_function_scores_well_on_a_small_set() -> None:
    evaluation = generate(seed=11, citizens=4_000, dossiers=600, births=150)
    scores = score(evaluation, core_outcomes(evaluation))
    assert scores.checks == 750
    assert scores.precision >= 0.98 and scores.recall >= 0.97
    assert scores.demographic_match_rate >= 0.95
