# Entry points for developers and CI. The scripts do the work; see
# scripts/*.sh for the details and docs/deploy.md for production.

.PHONY: help setup run test lint messages bench

help:
	@echo "make setup  create .venv (Python 3.11) and install requirements-dev.txt"
	@echo "make run    migrate, load demo data, start the web server and a Celery worker"
	@echo "make test   lint, type-check and run the tests (SQLite, then PostgreSQL if available)"
	@echo "make lint   ruff check, ruff format --check, mypy on the strict modules"
	@echo "make bench  run every benchmark in bench/ (about 1.5 hours; bench/run_all.py --quick for minutes)"
	@echo "make messages  re-extract the zh-hans catalogue (locale/) and compile it"

setup:
	@bash -c 'source scripts/lib.sh && ensure_venv && echo "venv ready: $$VENV_DIR"'

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

lint:
	@bash scripts/lint.sh

messages:
	@DJANGO_DEBUG=true bash -c 'source scripts/lib.sh && ensure_venv && "$$VENV_PY" manage.py makemessages -l zh_Hans --no-obsolete --no-location -i ".venv/*" -i "var/*" -i "tests/*" -i "*/migrations/*" -i "scenarios/demo_data.py" && "$$VENV_PY" manage.py compile_translations'

bench:
	@bash -c 'source scripts/lib.sh && ensure_venv && ensure_eval_env && "$$VENV_PY" bench/run_all.py'
