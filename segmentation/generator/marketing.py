"""Marketing contacts: campaigns sent by channel, with opens, clicks, conversions, unsubscriptions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from segmentation.generator.arrays import SECONDS_PER_DAY, categorical, pick, prefixed_ids, timestamps
from segmentation.generator.people import People

CHANNELS = ("email", "sms", "push", "mail", "phone")
EVENT_TYPES = ("sent", "opened", "clicked", "converted", "unsubscribed")
# per channel: open rate, click rate given open, conversion given click (scaled by engagement)
RATES = np.array(
    [
        [0.45, 0.25, 0.15],
        [0.90, 0.10, 0.10],
        [0.60, 0.15, 0.08],
        [0.50, 0.05, 0.05],
        [0.70, 0.20, 0.20],
    ]
)
CAMPAIGNS = 120


def generate_marketing_events(rng: np.random.Generator, people: People, start: int, end: int) -> pa.Table:
    """One row per contact event."""
    reachable = people.has_email_opt_in | people.has_sms_opt_in | (rng.random(people.count) < 0.1)
    person = np.repeat(np.arange(people.count), np.where(reachable, rng.poisson(4.0, people.count), 0))
    sends = len(person)
    channel = np.where(
        people.has_email_opt_in[person] & (rng.random(sends) < 0.75),
        0,
        np.where(people.has_sms_opt_in[person], 1, categorical(rng, np.array([0.0, 0.0, 0.5, 0.4, 0.1]), sends)),
    )
    campaign = rng.integers(0, CAMPAIGNS, sends)
    campaign_at = start + (campaign + rng.random(sends)) / CAMPAIGNS * (end - start - 5 * SECONDS_PER_DAY)
    is_promotional = rng.random(CAMPAIGNS) < 0.6
    engagement = people.engagement[person] * 2
    opened = rng.random(sends) < np.minimum(RATES[channel, 0] * engagement, 0.98)
    clicked = opened & (rng.random(sends) < np.minimum(RATES[channel, 1] * engagement, 0.9))
    converted = clicked & (rng.random(sends) < RATES[channel, 2])
    unsubscribed = opened & (rng.random(sends) < 0.01)

    stage_rows = [np.ones(sends, dtype=bool), opened, clicked, converted, unsubscribed]
    stage_delay_hours = [0.0, 6.0, 7.0, 30.0, 8.0]
    event_send = np.concatenate([np.flatnonzero(rows) for rows in stage_rows])
    event_type = np.concatenate([np.full(rows.sum(), stage) for stage, rows in enumerate(stage_rows)])
    delay = np.array(stage_delay_hours)[event_type] * 3600 * rng.random(len(event_send))
    order = np.lexsort((event_type, event_send))
    event_send, event_type, delay = event_send[order], event_type[order], delay[order]
    event_at = np.minimum(campaign_at[event_send] + delay, end).astype(np.int64)
    return pa.table(
        {
            "event_id": prefixed_ids("E", np.arange(1, len(event_send) + 1), 9),
            "customer_id": people.record_ids.take(pa.array(people.primary_record[person[event_send]])),
            "campaign_id": prefixed_ids("CMP", campaign[event_send] + 1, 4),
            "channel": pick(CHANNELS, channel[event_send]),
            "event_type": pick(EVENT_TYPES, event_type),
            "event_at": timestamps(event_at),
            "is_promotional": pick(("false", "true"), is_promotional[campaign[event_send]].astype(np.int64)),
        }
    )
