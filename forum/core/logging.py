"""JSON-lines log formatter that never writes a client address or a request body."""

import json
import logging
import re

# A question key in a URL is a secret, and so is an email's stop link: keep them out of logs.
_KEY_IN_PATH = re.compile(r"(/questions/(?:key|asker-email/stop)/)[^/\s]+", re.IGNORECASE)
# Anything shaped like an email address (an accountless asker's is never logged on purpose;
# this catches a library that would).
_EMAIL_SHAPED = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[^\s@<>\"'(),;:]+")
# Anything shaped like a question key (22 base64url characters), wherever it appears.
_KEY_SHAPED = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])")
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Extra fields we never copy, whatever a library attaches to the record.
_NEVER = {"request", "server_time", "ip", "remote_addr", "client", "body"}


def redact(text: str) -> str:
    text = _KEY_SHAPED.sub("[redacted]", _KEY_IN_PATH.sub(r"\1[redacted]", text))
    return _EMAIL_SHAPED.sub("[address]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = redact(request.path)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        for key, value in vars(record).items():
            if key in _STANDARD or key in _NEVER or key in entry or key == "status_code":
                continue
            if isinstance(value, (str, int, float, bool)) or value is None:
                entry[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
