"""Classification of single exercises, written here in our own words."""

from __future__ import annotations

import pytest

from bumpwise.importing.classify import classify
from bumpwise.importing.exercise import ImportedExercise, build_exercise
from bumpwise.importing.records import SourceExercise
from bumpwise.importing.vocabulary import default_vocabulary


def imported(
    name: str,
    *steps: str,
    category: str = "strength",
    equipment: str = "body only",
    muscles: tuple[str, ...] = ("quadriceps",),
) -> ImportedExercise:
    record = SourceExercise(
        source="free-exercise-db",
        source_id=name.replace(" ", "_"),
        name=name,
        steps=steps,
        category=category,
        equipment=(equipment,),
        primary_muscles=muscles,
        secondary_muscles=(),
        licence="test",
        licence_url=None,
        attribution="test",
    )
    vocabulary = default_vocabulary()
    return build_exercise(record, classify(record, vocabulary), vocabulary.review_threshold, "fedb-test")


@pytest.mark.parametrize(
    ("steps", "position"),
    [
        (("Lie on your back with the knees bent.", "Press the weight up."), "supine"),
        (("Lie flat on a bench holding the bar.", "Lower it to the chest."), "supine"),
        (("Sit back on an incline bench with a weight in each hand.", "Press up."), "reclined"),
        (("Lie face down on an incline bench.", "Row the weights up."), "prone"),
        (("Hook your feet under the pad of a decline bench and lie back.", "Press up."), "inverted"),
        (("Get on your hands and knees.", "Reach one arm forward."), "quadruped"),
        (("Kneel on a mat facing the cable.", "Pull down."), "kneeling"),
        (("Lie on your side with the knees bent.", "Open the top knee."), "side-lying"),
        (("Hang from a pull-up bar with straight arms.", "Pull up."), "hanging"),
        (("Begin in a push-up position.", "Hold."), "plank"),
        (("Sit on a bench with your back straight.", "Press overhead."), "seated"),
    ],
)
def test_position_from_the_instructions(steps: tuple[str, ...], position: str) -> None:
    exercise = imported("Test Move", *steps)
    assert exercise.position.value == position
    assert exercise.confidence["position"] >= 0.6
    assert any('"' in line for line in exercise.evidence["position"]), "the deciding words are shown"


def test_a_prone_word_does_not_beat_a_plank_name() -> None:
    exercise = imported("Forearm Plank", "Get into a prone position on your toes and forearms.", "Hold.")
    assert exercise.position.value == "plank"


@pytest.mark.parametrize(
    ("name", "steps"),
    [
        ("Reverse Lunge", ("Step back into a lunge.", "Return.")),
        ("Box Step Up", ("Place one foot on the box.", "Step up.")),
        ("Single-Leg Deadlift", ("Stand on one leg.", "Hinge forward.")),
        ("Split Squat", ("Take a split stance.", "Lower the back knee.")),
    ],
)
def test_one_legged_and_split_work_is_asymmetric(name: str, steps: tuple[str, ...]) -> None:
    assert imported(name, *steps).asymmetric_lower_body is True


def test_a_one_arm_exercise_is_not_one_legged() -> None:
    exercise = imported("One-Arm Dumbbell Press", "Stand tall holding one dumbbell.", "Press it overhead.")
    assert exercise.asymmetric_lower_body is False


def test_split_in_another_sense_is_not_a_split_stance() -> None:
    exercise = imported(
        "Band Squat", "Stand on the band so the tension has an even split between both sides.", "Squat."
    )
    assert exercise.asymmetric_lower_body is False


def test_walking_is_gait_not_asymmetric() -> None:
    assert (
        imported(
            "Treadmill Walk", "Walk at a brisk pace.", "Keep going.", category="cardio"
        ).asymmetric_lower_body
        is False
    )


@pytest.mark.parametrize(
    ("name", "steps", "category", "impact"),
    [
        ("Box Jump", ("Stand facing a box.", "Jump onto the box and land softly."), "plyometrics", "high"),
        ("Skipping", ("Turn the rope and jump over it each turn.", "Keep a steady pace."), "cardio", "high"),
        ("Bar Dip", ("Take a small jump to get onto the bars.", "Lower and press up."), "strength", "low"),
        (
            "Step-Down Drill",
            ("Stand on a low box.", "Do not jump; just step down and hold."),
            "strength",
            "low",
        ),
        ("Med Ball Throw", ("Kneel facing a wall.", "Throw the ball hard."), "plyometrics", "low"),
        (
            "Clap Push-Up",
            ("Begin in a push-up position.", "Push hard so the hands jump off the floor."),
            "plyometrics",
            "low",
        ),
    ],
)
def test_high_impact_means_the_whole_body_leaves_the_ground(
    name: str, steps: tuple[str, ...], category: str, impact: str
) -> None:
    assert imported(name, *steps, category=category).impact.value == impact


@pytest.mark.parametrize(
    ("name", "steps", "flexion"),
    [
        ("Crunch", ("Lie on your back.", "Roll your shoulders off the floor."), True),
        ("Curl Up", ("Lie on your back.", "Curl your torso up toward the knees."), True),
        ("Reverse Crunch", ("Lie on your back.", "Roll your pelvis back to bring the knees in."), True),
        ("Bird Dog", ("Get on your hands and knees.", "Reach an arm and the opposite leg."), False),
        ("Seated Row", ("Sit up straight on the machine.", "Pull the handle to the waist."), False),
    ],
)
def test_spinal_flexion(name: str, steps: tuple[str, ...], flexion: bool) -> None:
    assert imported(name, *steps).spinal_flexion is flexion


@pytest.mark.parametrize(
    ("name", "steps", "wide"),
    [
        ("Sumo Squat", ("Stand with the toes out.", "Squat down."), True),
        ("Straddle Stretch", ("Sit with the legs in a V.", "Lean forward."), True),
        ("Wide Stance Squat", ("Take a wide stance.", "Squat."), True),
        ("Wide-Grip Row", ("Stand holding the bar with a wide grip.", "Row."), False),
        ("Clean", ("Stand with the feet slightly wider than shoulder width.", "Pull the bar."), False),
    ],
)
def test_wide_stance(name: str, steps: tuple[str, ...], wide: bool) -> None:
    assert imported(name, *steps).wide_stance is wide


def test_an_exercise_with_no_clue_needs_review() -> None:
    exercise = imported("Mystery Move", equipment="other")
    assert exercise.review_needed
    assert any(reason.startswith("position") for reason in exercise.review_reasons)
    assert exercise.confidence["equipment"] < 0.6


def test_a_clear_exercise_needs_no_review() -> None:
    exercise = imported(
        "Bodyweight Squat", "Stand with the feet hip-width apart.", "Sit the hips back and down, then stand."
    )
    assert not exercise.review_needed, exercise.review_reasons


def test_muscles_and_equipment_are_ours() -> None:
    exercise = imported(
        "Cable Row",
        "Sit on the bench of a cable machine.",
        "Pull.",
        equipment="cable",
        muscles=("middle back", "traps"),
    )
    assert exercise.primary_muscles == ["upper_back"]
    assert "cable_machine" in exercise.equipment and "bench" in exercise.equipment
