"""The image's health check (Dockerfile HEALTHCHECK): GET /healthz on the local gunicorn.

Exit 0 on a 200 (the app answers and its database does), 1 otherwise. Standard library only.

Django answers a Host it doesn't serve with a 400 before any view runs, so the request names
the first host ALLOWED_HOSTS accepts ("localhost" when it accepts any, "*"); "127.0.0.1" would
be refused wherever ALLOWED_HOSTS lists only the site's name.
"""

import os
import sys
import urllib.error
import urllib.request

URL = "http://127.0.0.1:8000/healthz"


def allowed_host() -> str:
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        entry = entry.strip()
        if entry and entry != "*":
            return entry.lstrip(".")  # ".example.org" accepts example.org itself
    return "localhost"


def main() -> int:
    request = urllib.request.Request(URL, headers={"Host": allowed_host()})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - a fixed loopback URL
            return 0 if response.status == 200 else 1
    except (OSError, urllib.error.URLError) as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
