"""The web container's healthcheck: GET /healthz from inside the container; healthy while the database answers.

The web process does not answer for the broker or beat (their own containers have checks), so a 503
caused only by them still counts as healthy here. Run as `python config/container_healthcheck.py`.
"""

import json
import os
import sys
import urllib.error
import urllib.request

# The first allowed host: Django refuses any other Host header.
host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
request = urllib.request.Request(url, headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
except urllib.error.HTTPError as error:
    body = json.load(error)
except OSError as error:
    sys.exit(f"no answer: {error}")
sys.exit(0 if body.get("database", {}).get("ok") else "database unavailable")
