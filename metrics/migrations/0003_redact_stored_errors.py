"""Take tokens out of the error texts stored before the redaction existed.

Graph connectors sent the token as access_token= and a network failure stored the URL: runs'
errors, accounts' last errors and connection errors may hold one. The redaction's name patterns
find them (a token is always after access_token= in those URLs).
"""

from django.db import migrations

from metrics.connectors.redaction import redact

BATCH = 2000


def redact_stored_errors(apps, schema_editor):
    IngestionRun = apps.get_model("metrics", "IngestionRun")
    AccountIngestionState = apps.get_model("metrics", "AccountIngestionState")
    Account = apps.get_model("campaigns", "Account")
    for run in IngestionRun.objects.exclude(errors=[]).only("pk", "errors").iterator(chunk_size=BATCH):
        errors = [{**e, "message": redact(e["message"])} if isinstance(e, dict) and isinstance(e.get("message"), str)
                  else e for e in run.errors or []]
        if errors != run.errors:
            IngestionRun.objects.filter(pk=run.pk).update(errors=errors)
    for model, field in [(AccountIngestionState, "last_error"), (Account, "connection_error")]:
        for pk, text in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator(chunk_size=BATCH):
            if redact(text) != text:
                model.objects.filter(pk=pk).update(**{field: redact(text)})


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0002_score_weights_names"),
        ("campaigns", "0004_currency_validator"),
    ]

    operations = [migrations.RunPython(redact_stored_errors, migrations.RunPython.noop, elidable=True)]
