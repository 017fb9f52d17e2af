"""Screening (design.md §2, issue 2 §3): the clearance, every reason, and the order of precedence."""

from __future__ import annotations

from typing import Any

import pytest

from builders import kb, parsed, postpartum, pregnant, profile
from bumpwise.domain.errors import InputError
from bumpwise.domain.profile import parse_profile
from bumpwise.domain.rule import Refer
from bumpwise.domain.screening import screen
from bumpwise.domain.vocab import Clearance

SEEK = Clearance.SEEK_CARE_NOW
NOT = Clearance.NOT_CLEARED
CONSULT = Clearance.CONSULT_PROVIDER
CLEARED = Clearance.CLEARED

PREGNANT_20 = pregnant(20)
AFTER_CAESAREAN = postpartum(3, "caesarean")

# (rule id, profile overrides, expected clearance) for every screening rule in rules/screening.yaml
SCREENING_CASES: list[tuple[str, dict[str, object], Clearance]] = [
    # warning signs: seek care now
    ("warning-sign-vaginal-bleeding", {"symptoms": ["vaginal_bleeding"]}, SEEK),
    (
        "warning-sign-vaginal-bleeding-after-birth",
        {"stage": AFTER_CAESAREAN, "symptoms": ["vaginal_bleeding"]},
        SEEK,
    ),
    ("warning-sign-amniotic-fluid-leak", {"symptoms": ["amniotic_fluid_leak"]}, SEEK),
    ("warning-sign-regular-painful-contractions", {"symptoms": ["regular_painful_contractions"]}, SEEK),
    ("warning-sign-dizziness-or-faintness", {"symptoms": ["dizziness_or_faintness"]}, SEEK),
    ("warning-sign-chest-pain", {"symptoms": ["chest_pain"]}, SEEK),
    ("warning-sign-headache", {"symptoms": ["headache"]}, SEEK),
    ("warning-sign-calf-pain-or-swelling", {"symptoms": ["calf_pain_or_swelling"]}, SEEK),
    ("warning-sign-breathless-before-exertion", {"symptoms": ["breathless_before_exertion"]}, SEEK),
    (
        "warning-sign-muscle-weakness-affecting-balance",
        {"symptoms": ["muscle_weakness_affecting_balance"]},
        SEEK,
    ),
    ("warning-sign-reduced-fetal-movement", {"symptoms": ["reduced_fetal_movement"]}, SEEK),
    ("warning-sign-abdominal-pain", {"symptoms": ["abdominal_pain"]}, SEEK),
    (
        "warning-sign-wound-pain-or-discharge",
        {"stage": AFTER_CAESAREAN, "symptoms": ["wound_pain_or_discharge"]},
        SEEK,
    ),
    (
        "warning-sign-increasing-postpartum-bleeding",
        {"stage": AFTER_CAESAREAN, "symptoms": ["increasing_postpartum_bleeding"]},
        SEEK,
    ),
    # absolute contraindications: not cleared
    (
        "absolute-hemodynamically-significant-heart-disease",
        {"conditions": ["hemodynamically_significant_heart_disease"]},
        NOT,
    ),
    ("absolute-restrictive-lung-disease", {"conditions": ["restrictive_lung_disease"]}, NOT),
    ("absolute-cervical-insufficiency", {"conditions": ["cervical_insufficiency"]}, NOT),
    ("absolute-cerclage", {"conditions": ["cerclage"]}, NOT),
    ("absolute-persistent-bleeding", {"conditions": ["persistent_bleeding"]}, NOT),
    ("absolute-preterm-labour", {"conditions": ["preterm_labour"]}, NOT),
    ("absolute-ruptured-membranes", {"conditions": ["ruptured_membranes"]}, NOT),
    ("absolute-preeclampsia", {"conditions": ["preeclampsia"]}, NOT),
    ("absolute-gestational-hypertension", {"conditions": ["gestational_hypertension"]}, NOT),
    ("absolute-severe-anaemia", {"conditions": ["severe_anaemia"]}, NOT),
    ("absolute-fetal-growth-restriction", {"conditions": ["fetal_growth_restriction"]}, NOT),
    (
        "absolute-higher-order-multiple-pregnancy",
        {"conditions": ["higher_order_multiple_pregnancy"]},
        NOT,
    ),
    ("absolute-uncontrolled-type1-diabetes", {"conditions": ["uncontrolled_type1_diabetes"]}, NOT),
    ("absolute-uncontrolled-hypertension", {"conditions": ["uncontrolled_hypertension"]}, NOT),
    ("absolute-uncontrolled-thyroid-disease", {"conditions": ["uncontrolled_thyroid_disease"]}, NOT),
    ("absolute-serious-systemic-disorder", {"conditions": ["serious_systemic_disorder"]}, NOT),
    (
        "absolute-placenta-previa-from-26-weeks",
        {"stage": pregnant(30), "conditions": ["placenta_previa"]},
        NOT,
    ),
    (
        "consult-placenta-previa-before-26-weeks",
        {"stage": pregnant(20), "conditions": ["placenta_previa"]},
        CONSULT,
    ),
    # relative contraindications: consult the provider
    ("relative-twin-pregnancy", {"conditions": ["twin_pregnancy"]}, CONSULT),
    ("relative-anaemia", {"conditions": ["anaemia"]}, CONSULT),
    ("relative-recurrent-pregnancy-loss", {"conditions": ["recurrent_pregnancy_loss"]}, CONSULT),
    ("relative-prior-preterm-birth", {"conditions": ["prior_preterm_birth"]}, CONSULT),
    (
        "relative-mild-cardiorespiratory-disease",
        {"conditions": ["mild_cardiorespiratory_disease"]},
        CONSULT,
    ),
    ("relative-unevaluated-arrhythmia", {"conditions": ["unevaluated_arrhythmia"]}, CONSULT),
    ("relative-chronic-bronchitis", {"conditions": ["chronic_bronchitis"]}, CONSULT),
    (
        "relative-poorly-controlled-seizure-disorder",
        {"conditions": ["poorly_controlled_seizure_disorder"]},
        CONSULT,
    ),
    ("relative-eating-disorder", {"conditions": ["eating_disorder"]}, CONSULT),
    ("relative-malnutrition", {"conditions": ["malnutrition"]}, CONSULT),
    ("relative-extreme-obesity", {"conditions": ["extreme_obesity"]}, CONSULT),
    ("relative-extreme-underweight", {"conditions": ["extreme_underweight"]}, CONSULT),
    ("relative-heavy-smoker", {"conditions": ["heavy_smoker"]}, CONSULT),
    ("relative-orthopaedic-limitation", {"conditions": ["orthopaedic_limitation"]}, CONSULT),
    ("relative-extremely-sedentary", {"conditions": ["extremely_sedentary"]}, CONSULT),
    # modifiers: cleared, with a referral
    ("refer-pelvic-floor-symptoms", {"symptoms": ["urinary_leakage"]}, CLEARED),
    ("refer-pelvic-floor-symptoms", {"symptoms": ["pelvic_heaviness"]}, CLEARED),
    ("refer-pelvic-floor-symptoms", {"conditions": ["pelvic_floor_dysfunction"]}, CLEARED),
    ("refer-pelvic-girdle-pain", {"conditions": ["pelvic_girdle_pain"]}, CLEARED),
    ("refer-pelvic-girdle-pain", {"symptoms": ["pelvic_pain_flare"]}, CLEARED),
    (
        "refer-diastasis-after-8-weeks",
        {"stage": postpartum(8), "conditions": ["diastasis_recti"]},
        CLEARED,
    ),
    (
        "refer-diastasis-after-8-weeks",
        {"stage": postpartum(30, "caesarean"), "symptoms": ["abdominal_doming"]},
        CLEARED,
    ),
]


def screening_rule_ids() -> set[str]:
    return {r.id for r in kb().rules if isinstance(r.action, Refer) and r.action.scope == "screening"}


def test_the_table_covers_every_screening_rule_in_the_knowledge_base():
    assert {rule_id for rule_id, _, _ in SCREENING_CASES} == screening_rule_ids()


@pytest.mark.parametrize(
    ("rule_id", "overrides", "clearance"),
    SCREENING_CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(SCREENING_CASES)],
)
def test_each_screening_rule_sets_its_clearance_and_is_named_among_the_reasons(rule_id, overrides, clearance):
    result = screen(parsed(**overrides), kb())
    assert result.clearance is clearance
    assert rule_id in [r.rule for r in result.reasons]


@pytest.mark.parametrize(
    ("rule_id", "overrides", "clearance"),
    SCREENING_CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(SCREENING_CASES)],
)
def test_each_screening_rule_refers_somewhere(rule_id, overrides, clearance):
    result = screen(parsed(**overrides), kb())
    action = kb().rule(rule_id).action
    assert isinstance(action, Refer)
    assert action.to in result.referrals


def test_a_profile_with_nothing_reported_is_cleared_with_no_reasons():
    result = screen(parsed(), kb())
    assert result.clearance is CLEARED
    assert result.reasons == ()
    assert result.cleared


@pytest.mark.parametrize(
    "overrides", [{"conditions": ["low_back_pain", "knee_pain"]}, {"symptoms": ["back_pain"]}]
)
def test_modifiers_without_a_referral_rule_stay_cleared(overrides):
    assert screen(parsed(**overrides), kb()).clearance is CLEARED


def test_diastasis_is_not_referred_before_8_weeks_after_birth():
    result = screen(parsed(stage=postpartum(7), conditions=["diastasis_recti"]), kb())
    assert result.clearance is CLEARED
    assert "refer-diastasis-after-8-weeks" not in [r.rule for r in result.reasons]


# --- precedence ------------------------------------------------------------------------


def test_a_warning_sign_beats_an_absolute_contraindication():
    result = screen(parsed(symptoms=["chest_pain"], conditions=["preeclampsia"]), kb())
    assert result.clearance is SEEK


def test_an_absolute_contraindication_beats_a_relative_one():
    result = screen(parsed(conditions=["anaemia", "preeclampsia"]), kb())
    assert result.clearance is NOT


def test_a_relative_contraindication_beats_a_modifier():
    result = screen(parsed(conditions=["pelvic_girdle_pain", "anaemia"]), kb())
    assert result.clearance is CONSULT


def test_all_reasons_are_listed_most_severe_first():
    result = screen(
        parsed(
            stage=pregnant(30),
            conditions=["pelvic_girdle_pain", "anaemia", "placenta_previa"],
            symptoms=["headache"],
        ),
        kb(),
    )
    assert [r.rule for r in result.reasons] == [
        "warning-sign-headache",
        "absolute-placenta-previa-from-26-weeks",
        "relative-anaemia",
        "refer-pelvic-girdle-pain",
    ]


def test_two_warning_signs_are_both_listed():
    result = screen(parsed(symptoms=["headache", "calf_pain_or_swelling"]), kb())
    assert {r.rule for r in result.reasons} == {"warning-sign-headache", "warning-sign-calf-pain-or-swelling"}


# --- provider clearance --------------------------------------------------------------


def test_provider_clearance_lifts_a_relative_contraindication_and_says_so():
    result = screen(parsed(conditions=["twin_pregnancy"], provider_cleared=True), kb())
    assert result.clearance is CLEARED
    (reason,) = result.reasons
    assert reason.rule == "relative-twin-pregnancy"
    assert "provider has cleared you" in reason.text


@pytest.mark.parametrize(
    ("overrides", "clearance"),
    [
        ({"conditions": ["preeclampsia"]}, NOT),
        ({"stage": pregnant(26), "conditions": ["placenta_previa"]}, NOT),
        ({"symptoms": ["vaginal_bleeding"]}, SEEK),
        ({"symptoms": ["dizziness_or_faintness"], "conditions": ["anaemia"]}, SEEK),
    ],
)
def test_provider_clearance_never_lifts_an_absolute_contraindication_or_a_warning_sign(overrides, clearance):
    result = screen(parsed(provider_cleared=True, **overrides), kb())
    assert result.clearance is clearance
    lifted = [r for r in result.reasons if r.rule.startswith(("absolute-", "warning-sign-"))]
    assert lifted
    for reason in lifted:
        assert "provider has cleared" not in reason.text


def test_provider_clearance_lifts_the_relative_part_but_an_absolute_one_still_holds():
    result = screen(parsed(conditions=["anaemia", "preeclampsia"], provider_cleared=True), kb())
    assert result.clearance is NOT
    texts = {r.rule: r.text for r in result.reasons}
    assert "provider has cleared" in texts["relative-anaemia"]
    assert "provider has cleared" not in texts["absolute-preeclampsia"]


def test_without_provider_clearance_no_reason_claims_it():
    result = screen(parsed(conditions=["anaemia"]), kb())
    assert all("provider has cleared" not in r.text for r in result.reasons)


# --- placenta previa: consult before 26 weeks, absolute from 26 -----------------------


@pytest.mark.parametrize(
    ("week", "clearance", "rule_id"),
    [
        (12, CONSULT, "consult-placenta-previa-before-26-weeks"),
        (25, CONSULT, "consult-placenta-previa-before-26-weeks"),
        (26, NOT, "absolute-placenta-previa-from-26-weeks"),
        (28, NOT, "absolute-placenta-previa-from-26-weeks"),
        (40, NOT, "absolute-placenta-previa-from-26-weeks"),
    ],
)
def test_placenta_previa_is_a_consult_before_week_26_and_absolute_from_it(week, clearance, rule_id):
    result = screen(parsed(stage=pregnant(week), conditions=["placenta_previa"]), kb())
    assert result.clearance is clearance
    assert [r.rule for r in result.reasons] == [rule_id]


def test_placenta_previa_at_week_25_is_lifted_by_provider_clearance():
    result = screen(parsed(stage=pregnant(25), conditions=["placenta_previa"], provider_cleared=True), kb())
    assert result.clearance is CLEARED


def test_placenta_previa_at_week_26_is_not_lifted_by_provider_clearance():
    result = screen(parsed(stage=pregnant(26), conditions=["placenta_previa"], provider_cleared=True), kb())
    assert result.clearance is NOT


def test_the_alias_pubic_symphysis_dysfunction_screens_as_pelvic_girdle_pain():
    result = screen(parsed(conditions=["pubic_symphysis_dysfunction"]), kb())
    assert [r.rule for r in result.reasons] == ["refer-pelvic-girdle-pain"]


# --- input errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition_id",
    ["placenta_previa", "twin_pregnancy", "cerclage", "preterm_labour", "fetal_growth_restriction"],
)
def test_a_pregnancy_only_condition_on_a_postpartum_profile_is_an_input_error(condition_id):
    with pytest.raises(InputError) as caught:
        parse_profile(profile(stage=postpartum(10), conditions=[condition_id]), kb())
    assert caught.value.field == "conditions[0]"
    assert condition_id in caught.value.message
    assert "pregnant" in caught.value.message


@pytest.mark.parametrize(
    "condition_id", ["preeclampsia", "gestational_hypertension", "anaemia", "heavy_smoker"]
)
def test_conditions_that_outlast_the_birth_are_accepted_after_it(condition_id):
    result = screen(parsed(stage=postpartum(4), conditions=[condition_id]), kb())
    assert result.clearance is not CLEARED


# --- the shape of every reason -------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "overrides", "clearance"),
    SCREENING_CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(SCREENING_CASES)],
)
def test_every_reason_carries_rule_source_sources_and_text(rule_id, overrides, clearance):
    knowledge = kb()
    for reason in screen(parsed(**overrides), knowledge).reasons:
        data: dict[str, Any] = reason.as_dict()
        assert data["rule"] == reason.rule
        assert data["sources"] and data["source"] == data["sources"][0]
        assert all(s in knowledge.sources for s in data["sources"])
        assert isinstance(data["text"], str) and len(data["text"]) > 10


STRICTER_WINS = [
    ("absolute-persistent-bleeding", {"conditions": ["persistent_bleeding"]}),
    ("absolute-gestational-hypertension", {"conditions": ["gestational_hypertension"]}),
    ("absolute-fetal-growth-restriction", {"conditions": ["fetal_growth_restriction"]}),
    ("absolute-uncontrolled-type1-diabetes", {"conditions": ["uncontrolled_type1_diabetes"]}),
    ("absolute-uncontrolled-hypertension", {"conditions": ["uncontrolled_hypertension"]}),
    ("absolute-uncontrolled-thyroid-disease", {"conditions": ["uncontrolled_thyroid_disease"]}),
    ("absolute-placenta-previa-from-26-weeks", {"stage": pregnant(27), "conditions": ["placenta_previa"]}),
    ("relative-twin-pregnancy", {"conditions": ["twin_pregnancy"]}),
]


@pytest.mark.parametrize(("rule_id", "overrides"), STRICTER_WINS, ids=[c[0] for c in STRICTER_WINS])
def test_rules_where_the_stricter_source_wins_carry_a_conflict_text(rule_id, overrides):
    reasons = {r.rule: r for r in screen(parsed(**overrides), kb()).reasons}
    conflict = reasons[rule_id].conflict
    assert conflict is not None
    assert "stricter" in conflict.lower()
    assert reasons[rule_id].as_dict()["conflict"] == conflict


def test_screening_rules_without_a_conflict_between_sources_carry_none():
    reasons = screen(parsed(conditions=["preeclampsia"]), kb()).reasons
    assert [r.conflict for r in reasons] == [None]


# --- what the person is told ---------------------------------------------------------


@pytest.mark.parametrize("clearance", list(Clearance))
def test_every_clearance_has_a_headline_and_a_next_step(clearance):
    text = kb().messages.clearances[clearance]
    assert text.headline and text.next_step


def test_the_json_shape_has_clearance_reasons_and_disclaimer():
    knowledge = kb()
    data: dict[str, Any] = screen(parsed(conditions=["anaemia"]), knowledge).as_dict(knowledge.disclaimer)
    assert data["clearance"] == "consult_provider"
    assert data["disclaimer"] == knowledge.disclaimer
    assert [r["rule"] for r in data["reasons"]] == ["relative-anaemia"]


def test_screening_is_pure_the_same_profile_gives_the_same_result():
    person = parsed(stage=PREGNANT_20, conditions=["anaemia"], symptoms=["headache"])
    assert screen(person, kb()) == screen(person, kb())
