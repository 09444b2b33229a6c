import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import Account, Post
from metrics.ingestion import runs
from metrics.models import AccountSnapshot, PostMetricSnapshot
from tests.metrics.ingest_support import X_USER, account, sandbox  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]


def test_sync_now_reads_an_account_in_the_foreground(monkeypatch):
    monkeypatch.setattr(runs, "INITIAL_LOOKBACK", dt.timedelta(days=4))
    acc = account("x", X_USER)
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_now", "--account", str(acc.pk), stdout=out, stderr=err)
    n = Post.objects.filter(account=acc).count()
    assert n > 0 and PostMetricSnapshot.objects.filter(post__account=acc).count() == n
    assert AccountSnapshot.objects.filter(account=acc).exists()
    assert f"{n} snapshot(s) written, 0 failed" in out.getvalue()
    assert "posts: 100%" in err.getvalue()  # the tqdm bar
    # Nothing is due an instant later; --all-posts reads them again, into the same hour slot.
    call_command("sync_now", "--account", str(acc.pk), "--all-posts", stdout=io.StringIO(), stderr=io.StringIO())
    snapshots = PostMetricSnapshot.objects.filter(post__account=acc)
    slots = snapshots.values("slot").distinct().count()  # 1, or 2 if the hour turned between the runs
    assert snapshots.count() == n * slots


def test_sync_now_explains_an_account_it_cannot_read():
    acc = account("x", X_USER, connection_state=Account.Connection.NEEDS_RECONNECT)
    with pytest.raises(CommandError, match="needs reconnecting"):
        call_command("sync_now", "--account", str(acc.pk))
    with pytest.raises(CommandError, match="No account"):
        call_command("sync_now", "--account", "999999")
