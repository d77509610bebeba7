"""The upper bound of this stack: a bare Flask "hello world" under the same gunicorn."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "<!doctype html><title>Hello</title><p>Hello, world!</p>"
