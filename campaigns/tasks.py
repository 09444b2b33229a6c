"""Celery entry points of campaigns: thin, ids only, one service call each."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from campaigns import notifications


@shared_task(name=notifications.EMAIL_TASK, ignore_result=True, autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=5, max_retries=5)
def email_notifications(notification_ids: list[int]) -> None:
    notifications.notifications_email(notification_ids=notification_ids)
