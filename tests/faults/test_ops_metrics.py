"""`/metrics` of the Procfile's processes after one whole review (started, approved by
Review1.a, Review1.b and Review2 with signed clicks): the web process counts the clicks and
their latencies, the worker counts the review and times it, and between them they count every
Slack call the stand-in answered."""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from tests.fixtures.web_processes import Click, WebStack
from tests.helpers import eventually
from workflow.models import QUERY_STATUS, ReviewStatus

APPROVALS = {
    "alice@example.com": "Review1.a",
    "bob@example.com": "Review1.b",
    "carol@example.com": "Review2",
}


async def scrape(url: str) -> list[Sample]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200, await response.text()
        assert response.content_type == "text/plain"
        text = await response.text()
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def total(samples: list[Sample], name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels`."""
    return sum(s.value for s in samples if s.name == name and _has(s.labels, labels))


def _has(found: Mapping[str, str], wanted: Mapping[str, str]) -> bool:
    return all(found.get(key) == value for key, value in wanted.items())


async def approve_whole_review(stack: WebStack) -> str:
    workflow_id = await stack.start_review()
    for email, stage in APPROVALS.items():
        person = stack.standin.user_by_email(email)
        message = await stack.review_request(person.id, workflow_id, stage)
        result = await stack.click(Click(email, person.id, message, workflow_id, stage))
        assert result.acknowledged
    handle = stack.temporal.get_workflow_handle(workflow_id)

    async def approved() -> None:
        status = await handle.query(QUERY_STATUS, result_type=ReviewStatus)
        assert status.state == "approved", status.state

    await eventually(approved, within=40, interval=0.2)
    await handle.result()
    return workflow_id


async def test_both_processes_count_what_one_whole_review_implies(
    durable_web_stack: WebStack,
) -> None:
    stack = durable_web_stack
    web_url = f"http://127.0.0.1:{stack.port}/metrics"
    worker_url = f"http://127.0.0.1:{stack.metrics_port}/metrics"

    await approve_whole_review(stack)

    async def counted() -> tuple[list[Sample], list[Sample]]:
        web, worker = await scrape(web_url), await scrape(worker_url)
        assert total(worker, "schema_approval_time_to_approval_seconds_count") == 1
        posted = len(stack.standin.calls_to("chat.postMessage"))
        counted_posts = sum(
            total(samples, "schema_approval_slack_api_calls_total", method="chat.postMessage")
            for samples in (web, worker)
        )
        assert counted_posts == posted, (counted_posts, posted)
        return web, worker

    web, worker = await eventually(counted, within=20, interval=0.5)

    # The web process: three clicks, each recorded, acknowledged and accepted.
    assert total(web, "schema_approval_clicks_total", outcome="recorded") == 3
    assert total(web, "schema_approval_clicks_total", outcome="refused") == 0
    assert total(web, "schema_approval_clicks_total", outcome="not_confirmed") == 0
    assert total(web, "schema_approval_click_ack_seconds_count") == 3
    assert total(web, "schema_approval_click_ack_seconds_bucket", le="3.0") == 3
    assert total(web, "schema_approval_decision_accepted_seconds_count") == 3
    # Each reviewer clicked their own request, whose button names them: no users.info. The web
    # process's Slack calls (auth.test, which answers who the app is) go through the counted client.
    assert total(web, "schema_approval_slack_api_calls_total", method="users.info") == 0
    assert total(web, "schema_approval_slack_api_calls_total", method="auth.test", code="ok") >= 1
    # Temporal's SDK metrics of the web process's client (the clicks' signals and updates).
    assert total(web, "temporal_request_total") > 0

    # The clicks are the web process's alone: the worker shows no click series at all.
    assert not [s for s in worker if s.name.startswith("schema_approval_click")]
    # The worker: one review opened and approved, each stage's decision timed once.
    assert total(worker, "schema_approval_reviews_opened_total") == 1
    assert total(worker, "schema_approval_reviews_approved_total") == 1
    assert total(worker, "schema_approval_reviews_withdrawn_total") == 0
    assert total(worker, "schema_approval_rounds_rejected_total") == 0
    for stage in APPROVALS.values():
        assert (
            total(
                worker,
                "schema_approval_time_to_decision_seconds_count",
                stage=stage,
                outcome="approved",
            )
            == 1
        ), stage
    # Three review requests, the approval to the owner and to each of the three reviewers.
    posts = total(
        worker, "schema_approval_slack_api_calls_total", method="chat.postMessage", code="ok"
    )
    assert posts >= 7
    assert total(worker, "schema_approval_slack_api_errors_total") == 0
    # Temporal's own worker metrics, from the SDK's exporter.
    assert total(worker, "temporal_workflow_completed_total") >= 1
