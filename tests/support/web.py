"""Reading the bot's web server as a monitoring system would: over HTTP on 127.0.0.1, the
metrics through prometheus_client's own parser."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def get(url: str, within: float = 10) -> tuple[int, str]:
    """The status and body at `url`, waiting up to `within` seconds for the server to listen."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        try:
            async with aiohttp.ClientSession() as http, http.get(url) as response:
                return response.status, await response.text()
        except aiohttp.ClientConnectionError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.05)


async def get_json(url: str) -> tuple[int, dict[str, Any]]:
    status, body = await get(url)
    return status, json.loads(body)


async def wait_for_status(url: str, wanted: int, within: float = 15) -> dict[str, Any]:
    """Ask `url` until it answers `wanted` (e.g. /readyz turning 503); its JSON body."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        status, body = await get_json(url)
        if status == wanted:
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{url} still answers {status}: {body}")
        await asyncio.sleep(0.1)


def parse(text: str) -> Samples:
    """Every sample of a /metrics page, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value; 0 for a labelled counter that has not counted yet."""
    return samples.get((name, frozenset(labels.items())), 0.0)


async def metrics(base: str) -> Samples:
    status, text = await get(base + "/metrics")
    assert status == 200, text
    return parse(text)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


async def metrics_once(base: str, name: str, within: float = 10, **labels: str) -> Samples:
    """Read /metrics until the counter `name` (with `labels`) has counted; that reading."""
    deadline = asyncio.get_running_loop().time() + within
    while not value(samples := await metrics(base), name, **labels):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{name} {labels} never counted")
        await asyncio.sleep(0.05)
    return samples
