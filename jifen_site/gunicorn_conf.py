"""gunicorn settings for jifen: `gunicorn -c python:jifen_site.gunicorn_conf jifen_site.wsgi`.

Used by the README's deploy and systemd example and by `make bench`; command-line options (--bind,
--workers) override these. The request-line limit fits the longest query the app accepts
(calculator.forms.MAX_QUERY_LENGTH = 8,000 characters) on its longest path, so an overlong query gets
the app's own Chinese answer instead of gunicorn's "Request Line is too large".
"""

import os

bind = os.environ.get("JIFEN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 60  # seconds a request may take (a catalogue import of JIFEN_IMPORT_MAX_ROWS rows fits)
graceful_timeout = 30

limit_request_line = 8190  # gunicorn's maximum; "GET /api/advice?<8,000 characters> HTTP/1.1" fits
limit_request_fields = 100
limit_request_field_size = 8190
