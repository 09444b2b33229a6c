"""Celery entry points of the planning app: thin, ids only, one service call each."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from campaigns import members, notifications


# No automatic retry: a second attempt after a slow SMTP answer could mail the link twice.
@shared_task(name="campaigns.send_invitation", ignore_result=True)
def send_invitation(invitation_id: int) -> None:
    members.invitation_send(invitation_id)


# Retried only when our database hiccups; each notification's e-mail is claimed first, so none goes twice.
@shared_task(name=notifications.EMAIL_TASK, ignore_result=True, autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=5, max_retries=5)
def email_notifications(notification_ids: list[int]) -> None:
    notifications.notifications_email(notification_ids=notification_ids)
