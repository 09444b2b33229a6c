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
RUN useradd --create-home softpower && mkdir -p /app/var && chown -R softpower /app/var
USER softpower
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
