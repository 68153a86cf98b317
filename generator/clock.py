"""What a build reads of the clock and the environment: the time its pages show."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from generator.config import SiteConfig
from generator.errors import UsageError


def build_time(config: SiteConfig) -> str | None:
    """The time pages show as the build's: ``SOURCE_DATE_EPOCH`` when set (reproducible
    builds), else now when ``show_build_time`` is on, else none."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        try:
            stamp = datetime.fromtimestamp(int(epoch), UTC)
        except (OverflowError, ValueError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch.strip()[:30]}: not a time this tool can show; "
                             "expected seconds since 1970 before the year 10000") from None
        return f"{stamp.year:04d}-{stamp:%m-%dT%H:%M:%SZ}"
    if config.show_build_time:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None
