"""``catalog.member_profile_now`` (issue 18): the profile parsed from its values read as columns is
the profile ``member_profile`` builds from entities, for every state of the check-ins, and each
change is a new cache key at once."""

from __future__ import annotations

from datetime import timedelta

from bumpwise.domain.knowledge import default_knowledge
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services import catalog, symptoms
from bumpwise.services.accounts import AccountRules
from bumpwise.services.inputs import validated
from dbsupport import NOW, TODAY, onboarded_member


def test_the_column_read_profile_is_the_entity_read_one_through_check_ins(
    uow: UnitOfWork, rules: AccountRules
) -> None:
    kb = default_knowledge("en")
    member = onboarded_member(uow, rules, screening={"conditions": ["pelvic_girdle_pain"]})

    def same_as_entities() -> str:
        now = catalog.member_profile_now(uow, kb, member, TODAY)
        assert now is not None
        assert now.pair == catalog.member_profile(uow, kb, member, TODAY)
        assert now.key == now.profile.model_dump_json()
        return now.key

    first = same_as_entities()
    flare = validated(symptoms.CheckInInput, {"symptoms": ["pelvic_pain_flare"]})
    symptoms.check_in(uow, kb, member, flare, NOW + timedelta(minutes=1))
    flared = same_as_entities()
    stop = validated(symptoms.CheckInInput, {"warning_signs": ["calf_pain_or_swelling"]})
    symptoms.check_in(uow, kb, member, stop, NOW + timedelta(minutes=2))
    held = same_as_entities()
    assert len({first, flared, held}) == 3
    with uow:
        report_id = uow.health.symptom_state(member.user_id)[1][0].id
    symptoms.resolve_warning(uow, kb, member, report_id, NOW + timedelta(minutes=3))
    assert same_as_entities() != held
    today = catalog.member_profile_now(uow, kb, member, TODAY)
    later = catalog.member_profile_now(uow, kb, member, TODAY + timedelta(weeks=2))
    assert today is not None and later is not None and later.stage != today.stage
