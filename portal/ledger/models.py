"""The tamper-evident ledger (可追溯): an append-only, hash-chained event log.

Each entry stores, besides its facts, the hash of its canonical content and
the hash that chains it to the previous entry. ``docs/ledger.md`` defines
the canonical form; ``portal.ledger.hashing`` implements it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    """One event. Rows are written by ``ledger_append`` and never changed.

    Actor, true actor and organisation keep a snapshot of the name they had
    at the time (``*_username``, ``organisation_slug``): the hash covers the
    snapshot, so renaming a user later does not break the chain. The foreign
    keys protect the people and organisations named in the ledger from
    deletion.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("created at"))
    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(_("actor's user name"), max_length=150)
    true_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("true actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The operator who acted on the actor's behalf."),
    )
    true_actor_username = models.CharField(_("true actor's user name"), max_length=150)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation_slug = models.CharField(_("organisation's short name"), max_length=80)
    subject = models.CharField(_("subject"), max_length=200, db_index=True)
    payload = models.JSONField(_("payload"), default=dict)
    evidence = models.JSONField(_("evidence"), default=list)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64)
    content_hash = models.CharField(_("content hash"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["sequence"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="ledger_sequence_positive"
            ),
            # Two entries claiming the same predecessor would be a fork.
            models.UniqueConstraint(fields=["prev_hash"], name="ledger_no_fork"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.subject}"


class LedgerCheck(models.Model):
    """The outcome of one verification of the chain, for the operator page.

    The scheduled verification claims its run with ``slot`` (unique: one
    check per interval, however many machines run beat) and an alert with
    ``alert_key`` (unique: one alert per distinct break).
    """

    class Source(models.TextChoices):
        PAGE = "page", _("Operator page")
        COMMAND = "command", _("Command line")
        SCHEDULE = "schedule", _("Schedule")

    ran_at = models.DateTimeField(_("ran at"), default=timezone.now)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ok = models.BooleanField(_("chain intact"))
    checked = models.PositiveBigIntegerField(_("entries checked"))
    head_sequence = models.PositiveBigIntegerField(_("head sequence"), default=0)
    head_hash = models.CharField(_("head hash"), max_length=64)
    result = models.JSONField(_("result"), default=dict)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.PAGE
    )
    # From entry 1 to the head; only such a check clears an earlier break.
    full = models.BooleanField(_("whole chain"), default=True)
    broken_sequence = models.PositiveBigIntegerField(
        _("first broken entry"), null=True, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    # The schedule's interval number (Unix time // interval).
    slot = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    # Set on the check that alerted the operators about its break.
    alert_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    notified_at = models.DateTimeField(
        _("operators notified at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("ledger check")
        verbose_name_plural = _("ledger checks")
        ordering = ["-ran_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"
