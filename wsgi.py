"""gunicorn wsgi:app"""
from network import create_app

app = create_app()
