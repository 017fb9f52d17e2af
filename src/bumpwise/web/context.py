"""What every request may need, built once by ``create_app`` and kept on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bumpwise.config import Settings
from bumpwise.domain.knowledge import KnowledgeBase
from bumpwise.persistence.uow import UnitOfWork
from bumpwise.services.accounts import AccountRules
from bumpwise.services.password_reset import Deliver


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    kb: KnowledgeBase
    engine: Engine
    session_factory: sessionmaker[Session]
    rules: AccountRules
    deliver: Deliver
    templates: Jinja2Templates

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)
