# Production web processes: `gunicorn -c deploy/gunicorn.conf.py 'service.app:create_app()'`
# with SAGSFLOW_DATABASE_URL pointing at PostgreSQL. Run `sagsflow migrate` and `sagsflow deploy`
# once per release before starting the nodes (the migration takes an advisory lock, so parallel
# starts are safe too).
import multiprocessing
import os

bind = os.environ.get("SAGSFLOW_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("SAGSFLOW_WEB_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = 4
timeout = 60
accesslog = None  # request lines can carry case ids; the journal is the access log
