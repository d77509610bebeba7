"""gunicorn wsgi:app"""
import gc

from network import create_app

app = create_app()

# A page allocates tens of thousands of short-lived objects (ORM rows, template
# output). With the default gen-0 threshold of 700 the collector ran dozens of
# times per request and, every tenth time, walked the whole heap including the
# app's own long-lived modules and templates. Freeze what exists after start-up
# (it is never garbage) and collect the young generation less often: a signed-in
# page spends noticeably less CPU (see README, Performance).
gc.freeze()
gc.set_threshold(50_000, 50, 100)
