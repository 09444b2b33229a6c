"""gunicorn's settings, in one place for the image and docker-compose (`gunicorn -c config/gunicorn.py`)."""

import os

wsgi_app = "config.wsgi"
bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# The slowest pages (a campaign's PDF report, an export) take a few seconds; a request still running
# after a minute is stuck, and its worker is restarted.
timeout = 60
