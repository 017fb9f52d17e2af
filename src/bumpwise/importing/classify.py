"""Score every attribute of an imported exercise from the import vocabulary.

Each attribute is decided in the vocabulary's order. Its candidate values collect points from
phrases found in the name and instructions (weighted by where they were found) and from priors on
the source's structured fields or on attributes decided before it. The value with the most points
wins if it reaches ``min_score``; otherwise the attribute's default stands.

Confidence is ``top / (top + runner-up + k)``: one strong phrase and nothing against it gives about
0.75, a contradiction pulls it toward 0.5. A default that no phrase supports gets the attribute's
``default_confidence`` — scaled down when the source has little text to read, and further by any
evidence for another value — because the absence of a cue is weaker evidence than a cue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from bumpwise.domain.vocab import Equipment, Muscle
from bumpwise.importing import evidence as ev
from bumpwise.importing.matching import Hit, PhraseIndex, build_index, normalise
from bumpwise.importing.records import SourceExercise
from bumpwise.importing.vocabulary import Attribute, Cue, ImportVocabulary, SourceMaps, Value

EQUIPMENT = "@equipment"
"""The phrase index also finds equipment named in the text, under this pseudo-attribute."""


@dataclass(frozen=True)
class Decision:
    value: Value
    confidence: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    decisions: dict[str, Decision]
    primary_muscles: tuple[Muscle, ...]
    secondary_muscles: tuple[Muscle, ...]
    equipment: tuple[Equipment, ...]
    equipment_confidence: float
    equipment_evidence: tuple[str, ...]
    difficulty: int


def classify(record: SourceExercise, vocabulary: ImportVocabulary) -> Classification:
    texts = field_texts(record)
    hits = find_all_hits(texts, vocabulary)
    maps = source_maps(record.source, vocabulary)
    primary = _map_muscles(record.primary_muscles, maps)
    secondary = tuple(m for m in _map_muscles(record.secondary_muscles, maps) if m not in primary)
    named_equipment = _equipment(record, hits[EQUIPMENT], maps, vocabulary)
    equipment, equipment_confidence, equipment_evidence = named_equipment
    facts: dict[str, object] = {
        "source": record.source,
        "category": record.category,
        "mechanic": record.mechanic,
        "force": record.force,
        "level": record.level,
        "source_equipment": [e.lower() for e in record.equipment] or ["none"],
        "equipment": [e.value for e in equipment],
        "primary_muscles": [m.value for m in primary],
        "muscles": [m.value for m in (*primary, *secondary)],
    }
    scale = vocabulary.scoring.text_scale[_text_amount(record)]
    decisions: dict[str, Decision] = {}
    for name, attribute in vocabulary.attributes.items():
        decision = _decide(attribute, hits.get(name, []), facts, decisions, vocabulary, scale)
        decisions[name] = decision
        facts[name] = decision.value
    return Classification(
        decisions=decisions,
        primary_muscles=primary,
        secondary_muscles=secondary,
        equipment=equipment,
        equipment_confidence=equipment_confidence,
        equipment_evidence=equipment_evidence,
        difficulty=vocabulary.maps.difficulty.get(record.level or "", vocabulary.maps.difficulty["unknown"]),
    )


def field_texts(record: SourceExercise) -> dict[tuple[str, int], str]:
    texts = {("name", 0): normalise(record.name)}
    for index, step in enumerate(record.steps):
        texts[("steps", index)] = normalise(step)
    return texts


def source_maps(source: str, vocabulary: ImportVocabulary) -> SourceMaps:
    return vocabulary.maps.wger if source == "wger" else vocabulary.maps.free_exercise_db


def _text_amount(record: SourceExercise) -> str:
    if len(record.steps) >= 2:
        return "full"
    return "one_step" if record.steps else "none"


def _map_muscles(names: tuple[str, ...], maps: SourceMaps) -> tuple[Muscle, ...]:
    mapped: list[Muscle] = []
    for name in names:
        for muscle in maps.muscles[name]:
            if muscle not in mapped:
                mapped.append(muscle)
    return tuple(mapped)


def _equipment(
    record: SourceExercise, hits: list[Hit], maps: SourceMaps, vocabulary: ImportVocabulary
) -> tuple[tuple[Equipment, ...], float, tuple[str, ...]]:
    """Equipment from the source field plus what the text names (a bench, a box, a wall)."""
    found: list[Equipment] = []
    evidence: list[str] = []
    unmapped: list[str] = []
    for name in record.equipment:
        ids = maps.equipment[name]
        if ids is None:
            unmapped.append(name)
            evidence.append(ev.SOURCE_EQUIPMENT_UNMAPPED.english(name=repr(name)))
            continue
        found.extend(e for e in ids if e not in found)
        evidence.append(ev.SOURCE_EQUIPMENT.english(name=repr(name), ids=", ".join(ids) or "none"))
    cues = vocabulary.maps.equipment_from_text
    named = sorted({int(str(hit.cue.value)) for hit in hits if not hit.negated})
    for cue in (cues[index] for index in named):
        if cue.equipment is None:
            unmapped.append(cue.label)
            evidence.append(ev.TEXT_EQUIPMENT_UNMAPPED.english(label=cue.label))
        elif cue.equipment not in found:
            found.append(cue.equipment)
            evidence.append(ev.TEXT_EQUIPMENT.english(label=cue.label, equipment=cue.equipment.value))
    confidence = 0.9 if not unmapped else 0.4
    return tuple(found), confidence, tuple(evidence)


_INDEXES: dict[int, tuple[ImportVocabulary, PhraseIndex]] = {}


def phrase_index(vocabulary: ImportVocabulary) -> PhraseIndex:
    """The vocabulary's phrases, indexed once per vocabulary object."""
    entry = _INDEXES.get(id(vocabulary))
    if entry is None or entry[0] is not vocabulary:
        cues = {name: attribute.cues for name, attribute in vocabulary.attributes.items()}
        cues[EQUIPMENT] = [
            Cue(value=str(index), weight=1.0, phrases=cue.phrases)
            for index, cue in enumerate(vocabulary.maps.equipment_from_text)
        ]
        entry = _INDEXES[id(vocabulary)] = (vocabulary, build_index(cues))
    return entry[1]


def find_all_hits(texts: dict[tuple[str, int], str], vocabulary: ImportVocabulary) -> dict[str, list[Hit]]:
    index = phrase_index(vocabulary)
    found: dict[str, list[Hit]] = defaultdict(list)
    for (field, step), text in texts.items():
        for attribute, hits in index.hits(field, step, text, vocabulary.negation).items():
            found[attribute].extend(hits)
    return found


def _decide(
    attribute: Attribute,
    hits: list[Hit],
    facts: dict[str, object],
    decided: dict[str, Decision],
    vocabulary: ImportVocabulary,
    scale: float,
) -> Decision:
    scores: dict[Value, float] = defaultdict(float)
    notes: list[tuple[float, str]] = []
    position = facts.get("position")
    for hit in hits:
        _score_hit(hit, position, vocabulary, scores, notes)
    for prior in attribute.priors:
        if all(_holds(facts.get(key), wanted) for key, wanted in prior.when.items()):
            trust = min((decided[k].confidence for k in prior.when if k in decided), default=1.0)
            points = prior.weight * trust
            scores[prior.value] += points
            conditions = ", ".join(f"{k}={_show(facts.get(k))}" for k in prior.when)
            notes.append(
                (
                    points,
                    ev.PRIOR.english(
                        conditions=conditions, value=_show(prior.value), points=f"{points:.1f}", why=prior.why
                    ),
                )
            )
    value, confidence = _pick(attribute, scores, vocabulary.scoring.damping, scale)
    evidence = tuple(text for _, text in sorted(notes, key=lambda n: -n[0])[:6])
    return Decision(value, round(confidence, 3), evidence or (ev.DEFAULT.english(value=_show(value)),))


def _score_hit(
    hit: Hit,
    position: Any,
    vocabulary: ImportVocabulary,
    scores: dict[Value, float],
    notes: list[tuple[float, str]],
) -> None:
    cue = hit.cue
    if cue.ignore:
        notes.append(
            (0.0, ev.IGNORED.english(where=hit.where, text=hit.text, why=cue.why or ev.NOT_THIS_MEANING))
        )
        return
    if hit.negated:
        notes.append((0.0, ev.NEGATED.english(where=hit.where, text=hit.text)))
        return
    if cue.positions is not None and position not in cue.positions:
        notes.append((0.0, ev.OFF_POSITION.english(where=hit.where, text=hit.text, position=position)))
        return
    weights = vocabulary.scoring.field_weights
    factor = weights.name if hit.field == "name" else weights.step(hit.step)
    points = cue.weight * factor
    assert cue.value is not None
    scores[cue.value] += points
    notes.append(
        (
            points,
            ev.HIT.english(where=hit.where, text=hit.text, value=_show(cue.value), points=f"{points:.1f}"),
        )
    )


def _holds(fact: Any, wanted: list[Value]) -> bool:
    if isinstance(fact, list):
        return any(item in wanted for item in fact)
    return fact in wanted


def _pick(
    attribute: Attribute, scores: dict[Value, float], damping: float, scale: float
) -> tuple[Value, float]:
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    top_value, top = ranked[0] if ranked else (attribute.default, 0.0)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < attribute.min_score:
        top_value, top = attribute.default, scores.get(attribute.default, 0.0)
    against = max((s for v, s in scores.items() if v != top_value), default=0.0)
    evidence_confidence = top / (top + max(runner_up, against) + damping) if top > 0 else 0.0
    if top_value != attribute.default:
        return top_value, evidence_confidence
    unopposed = attribute.default_confidence * scale * damping / (against + damping)
    return top_value, max(evidence_confidence, unopposed)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or "none"
    return str(value)
