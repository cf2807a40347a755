"""What a reader may see: the one rule, as a QuerySet every page, count, API, feed,
export, picker and the search index go through (DESIGN.md, "One rule, one place").

A report is public when it is not held for staff review (``needs_review``: an
upload whose city or date was not detected) and not a confirmed exact duplicate
(``duplicate_of``: the original already says it). The rule used to be restated in
six places and drifted: a held upload of 德州市 showed in /api/cities and in the
compare picker while /cities/ was empty. Like Zulip's ``access_*`` functions, this
is the only place the condition is written; callers ask for ``public()`` or
``visible_to(user)`` and never filter on the flags themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

#: the permission that lets staff read reports the public cannot (held, duplicates).
REVIEW_PERMISSION = "archive.change_report"


def may_review(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Staff who can change reports are the ones who review them, so they read them."""
    return bool(
        user is not None and user.is_active and user.is_staff and user.has_perm(REVIEW_PERMISSION)
    )


class ReportQuerySet(models.QuerySet):
    def public(self) -> ReportQuerySet:
        """Reports any reader may see: not held for review, not an exact duplicate."""
        return self.filter(needs_review=False, duplicate_of__isnull=True)

    def visible_to(self, user: Any) -> ReportQuerySet:
        """What ``user`` may open: everything for reviewing staff, else ``public()``.

        Only single-report reads (the report page, its original, /api/reports/<id>)
        use this; lists and counts are the same for everyone and use ``public()``,
        so a cached page never carries a held report to the next reader.
        """
        return self.all() if may_review(user) else self.public()
