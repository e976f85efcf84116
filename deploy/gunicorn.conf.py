# Production web processes: `gunicorn -c deploy/gunicorn.conf.py 'service.app:create_app()'`
# with the settings of deploy/sagsflow.env.example. Run `sagsflow migrate` and `sagsflow deploy`
# once per release before starting the nodes (both take an advisory lock, so parallel starts are safe too).
import multiprocessing
import os
import sys

from service import logs
from service.config import ConfigError, Settings
from service.db import check_start

bind = os.environ.get("SAGSFLOW_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("SAGSFLOW_WEB_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("SAGSFLOW_WEB_THREADS", 4))
timeout = 60
accesslog = None  # the app logs one JSON line per request, without query values (they may hold a CPR search)
logconfig_dict = logs.gunicorn_logconfig()
# gunicornc's control socket: off unless a path is given (two nodes on one machine must not share one).
control_socket = os.environ.get("SAGSFLOW_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def on_starting(_server: object) -> None:
    """Settings and database are checked once in the master: a mistake stops it with one line."""
    try:
        check_start(Settings.from_env())
    except ConfigError as err:
        print(f"Sagsflow starter ikke: {err}", file=sys.stderr)
        sys.exit(1)
    from service.metrics import instruments
    instruments.start_afresh()  # PROMETHEUS_MULTIPROC_DIR: the workers' counts are summed per scrape


def child_exit(_server: object, worker: object) -> None:
    from service.metrics import instruments
    instruments.process_ended(worker.pid)
