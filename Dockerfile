# Production image: one image for web, worker and beat (docker-compose.yml picks the command).
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/venv PATH="/venv/bin:$PATH"
RUN pip install --no-cache-dir uv \
    && apt-get update && apt-get install -y --no-install-recommends gettext fonts-dejavu-core fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN SECRET_KEY=build FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1rZXktMzItYnl0ZXMtbG9uZy0tLS0= \
    sh -c 'python manage.py collectstatic --no-input -v0 && python manage.py compilemessages -v0 --ignore=node_modules'
# var/media exists in the image, owned by the app's user: a named volume mounted there starts as a copy
# of it (same owner), so uploads can be written.
RUN useradd --create-home softpower && mkdir -p /app/var/media && chown -R softpower /app/var
USER softpower
EXPOSE 8000
# Web by default; docker-compose.yml runs the worker and beat from the same image. gunicorn's settings
# (workers, timeout) are in config/gunicorn.py only.
CMD ["gunicorn", "-c", "config/gunicorn.py"]
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 CMD ["python", "config/container_healthcheck.py"]
