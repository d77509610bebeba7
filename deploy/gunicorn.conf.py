"""gunicorn settings for production: gunicorn -c deploy/gunicorn.conf.py wsgi:app

Reuses the repository's gunicorn.conf.py (the access log that redacts secret
tokens) and adds what a server behind nginx needs.
"""
import multiprocessing
import os
import runpy
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
logger_class = runpy.run_path(os.path.join(ROOT, "gunicorn.conf.py"))["logger_class"]

# Only nginx on this machine talks to gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# nginx buffers slow clients, so a sync worker is held only for the app's own work.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a slow leak never grows without bound).
max_requests = 2000
max_requests_jitter = 200
# nginx's address is the only one whose X-Forwarded-* gunicorn passes on; the app
# itself believes exactly PROXY_HOPS=1 hop (Werkzeug ProxyFix).
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
# The client's address as nginx saw it (nginx sets X-Forwarded-For to $remote_addr),
# not nginx's own, which is all the socket shows.
access_log_format = ('%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s '
                     '"%(f)s" "%(a)s" %(L)ss')
errorlog = "-"
# Never migrate here: `flask db upgrade` runs once per deploy, before restart.
preload_app = False
