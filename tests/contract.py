"""The public vocabularies of design.md §3 and §4, written out by hand: the contract the
knowledge base must equal (test_vocabularies) and the ids the other tests draw from."""

PREGNANCY_ONLY_ABSOLUTE = frozenset(
    {
        "cervical_insufficiency",
        "cerclage",
        "persistent_bleeding",
        "placenta_previa",
        "preterm_labour",
        "ruptured_membranes",
        "fetal_growth_restriction",
        "higher_order_multiple_pregnancy",
    }
)
"""Conditions of the pregnancy itself: they apply only in pregnancy."""
ABSOLUTE = {
    "hemodynamically_significant_heart_disease",
    "restrictive_lung_disease",
    "preeclampsia",
    "gestational_hypertension",
    "severe_anaemia",
    "uncontrolled_type1_diabetes",
    "uncontrolled_hypertension",
    "uncontrolled_thyroid_disease",
    "serious_systemic_disorder",
} | PREGNANCY_ONLY_ABSOLUTE

RELATIVE_IDS = (
    "twin_pregnancy",
    "anaemia",
    "recurrent_pregnancy_loss",
    "prior_preterm_birth",
    "mild_cardiorespiratory_disease",
    "unevaluated_arrhythmia",
    "chronic_bronchitis",
    "poorly_controlled_seizure_disorder",
    "eating_disorder",
    "malnutrition",
    "extreme_obesity",
    "extreme_underweight",
    "heavy_smoker",
    "orthopaedic_limitation",
    "extremely_sedentary",
)
RELATIVE = frozenset(RELATIVE_IDS)

PREGNANCY_ONLY_RELATIVE = frozenset({"twin_pregnancy", "recurrent_pregnancy_loss", "prior_preterm_birth"})

MODIFIERS_IDS = (
    "pelvic_girdle_pain",
    "diastasis_recti",
    "pelvic_floor_dysfunction",
    "low_back_pain",
    "knee_pain",
)
MODIFIERS = frozenset(MODIFIERS_IDS)

WARNING_SIGNS_IDS = (
    "vaginal_bleeding",
    "amniotic_fluid_leak",
    "regular_painful_contractions",
    "dizziness_or_faintness",
    "chest_pain",
    "headache",
    "calf_pain_or_swelling",
    "breathless_before_exertion",
    "muscle_weakness_affecting_balance",
    "reduced_fetal_movement",
    "abdominal_pain",
    "wound_pain_or_discharge",
    "increasing_postpartum_bleeding",
)
WARNING_SIGNS = frozenset(WARNING_SIGNS_IDS)

SYMPTOMS_IDS = (
    "pelvic_pain_flare",
    "urinary_leakage",
    "pelvic_heaviness",
    "abdominal_doming",
    "supine_lightheadedness",
    "back_pain",
    "knee_pain",
)
SYMPTOMS = frozenset(SYMPTOMS_IDS)

EQUIPMENT = {
    "mat",
    "chair",
    "wall",
    "small_ball",
    "stability_ball",
    "resistance_band",
    "mini_band",
    "dumbbells",
    "kettlebell",
    "barbell",
    "bench",
    "step",
    "cable_machine",
    "machine",
    "stationary_bike",
    "treadmill",
    "pool",
    "foam_roller",
}

PATTERNS = {
    "hinge",
    "squat",
    "lunge",
    "knee_flexion",
    "bridge",
    "hip_abduction",
    "push_horizontal",
    "push_vertical",
    "pull_horizontal",
    "pull_vertical",
    "carry",
    "anti_extension",
    "anti_rotation",
    "deep_core",
    "pelvic_floor",
    "mobility",
    "cardio",
}

POSITIONS = {
    "standing",
    "seated",
    "kneeling",
    "quadruped",
    "plank",
    "supine",
    "reclined",
    "prone",
    "side-lying",
    "hanging",
    "inverted",
}
