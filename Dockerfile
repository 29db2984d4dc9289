# Production image for the web server, the Celery workers and beat.
# Not built in CI (no Docker engine there); see docs/deploy.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    PORTAL_VAR_DIR=/srv/var \
    DJANGO_MEDIA_ROOT=/srv/media

# bubblewrap: the evaluation sandbox runs submissions inside it (workers).
RUN apt-get update \
    && apt-get install -y --no-install-recommends bubblewrap \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Translations and static files are built into the image. The settings need
# a secret key to import; this one exists only during the build and is never
# used to sign anything.
RUN DJANGO_SECRET_KEY=build-only-dummy-secret-key DJANGO_DEBUG=false \
        python manage.py compile_translations \
    && DJANGO_SECRET_KEY=build-only-dummy-secret-key DJANGO_DEBUG=false \
        python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin portal \
    && mkdir -p /srv/var /srv/media \
    && chown -R portal:portal /srv/var /srv/media
USER portal

EXPOSE 8000
# WEB_CONCURRENCY sets gunicorn's worker count (default 1 if unset: set it).
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
