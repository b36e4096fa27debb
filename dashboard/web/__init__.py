"""Server plumbing: compression, security headers, guards, caching, gunicorn."""
