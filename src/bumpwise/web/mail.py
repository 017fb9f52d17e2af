"""The links and sender of account e-mails, from the app's parts (shared by pages and API)."""

from __future__ import annotations

from bumpwise.services.mail_links import MailLinks
from bumpwise.web.context import AppContext


def mail_links(ctx: AppContext) -> MailLinks:
    return MailLinks(ctx.settings.base_url, ctx.deliver)
