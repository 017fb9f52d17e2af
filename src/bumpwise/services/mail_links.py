"""What an account e-mail needs besides its words: the site's address its links start with, and
the way it is sent. Sign-up, address confirmation, address change and password reset take one."""

from __future__ import annotations

from dataclasses import dataclass

from bumpwise.adapters.mail import Deliver


@dataclass(frozen=True)
class MailLinks:
    base_url: str
    deliver: Deliver

    def link(self, path: str) -> str:
        """``path`` (starting with ``/``) on the site, whether or not ``base_url`` ends in ``/``."""
        return self.base_url.rstrip("/") + path
