"""The Web API client: our base URL, one shared HTTP session, and slack_sdk's retry handlers."""

from __future__ import annotations

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient


def retry_handlers() -> list[AsyncRetryHandler]:
    """429 waits for Retry-After; 5xx and dropped connections are tried again with backoff."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncServerErrorRetryHandler(max_retry_count=2),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
    ]


def web_client(token: str, base_url: str, session: aiohttp.ClientSession) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        session=session,
        retry_handlers=retry_handlers(),
    )


def webhook(url: str, session: aiohttp.ClientSession) -> AsyncWebhookClient:
    """For an interaction's response_url."""
    return AsyncWebhookClient(url, session=session, retry_handlers=retry_handlers())
