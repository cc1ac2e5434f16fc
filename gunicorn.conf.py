"""gunicorn settings; gunicorn reads this file from the directory it is started in.

The command line (docs/deployment.md) still chooses the bind address, workers and timeout.
"""

# The longest request line (method, path, query string) gunicorn accepts; longer ones get
# its own HTML 414 before Django sees them. 8190 is gunicorn's maximum (0 would mean no
# limit). The API refuses text parameters over 200 characters with a JSON 400
# (api/filters.py), so every request it can answer fits well within this line.
limit_request_line = 8190
