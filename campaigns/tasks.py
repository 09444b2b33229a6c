"""Celery entry points of the planning app: thin, ids only, one service call each."""

from celery import shared_task

from campaigns import members


# No automatic retry: a second attempt after a slow SMTP answer could mail the link twice.
@shared_task(name="campaigns.send_invitation", ignore_result=True)
def send_invitation(invitation_id: int) -> None:
    members.invitation_send(invitation_id)
