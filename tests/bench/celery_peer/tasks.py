"""The peer dealerq is measured against: what an operator of the old system runs.

A Celery worker (solo pool, Redis broker) whose task does one dealerq job: mark it running,
fetch every page of one dealer, type and window from the dealer data API, then upsert the
records by (dealer_id, fetch_type, record_id) and mark the job completed in one transaction,
into SQLite through SQLAlchemy. Configured from the environment by run_peer.py.
"""

import json
import os
import time

import requests
from celery import Celery
from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, event, text
from sqlalchemy.dialects.sqlite import insert

app = Celery("dealerq_peer", broker=os.environ.get("PEER_BROKER", "redis://localhost:6379/0"))
app.conf.update(
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)

SOURCE = os.environ.get("PEER_SOURCE", "http://127.0.0.1:8080/").rstrip("/")
PAGE_SIZE = int(os.environ.get("PEER_PAGE_SIZE", "500"))

engine = create_engine("sqlite:///" + os.environ.get("PEER_DB", "/tmp/peer.db"), future=True)


@event.listens_for(engine, "connect")
def _pragmas(dbapi_connection, _record):
    # The same durability as dealerq's store: WAL, synchronous=NORMAL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


metadata = MetaData()
records = Table(
    "records",
    metadata,
    Column("dealer_id", Text, primary_key=True),
    Column("fetch_type", Text, primary_key=True),
    Column("record_id", Text, primary_key=True),
    Column("payload", Text, nullable=False),
    Column("updated_at", Text),
    Column("job_id", Integer),
)
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer_id", Text, nullable=False),
    Column("fetch_type", Text, nullable=False),
    Column("from_time", Text, nullable=False),
    Column("to_time", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("started", Integer),
    Column("finished", Integer),
    Column("fetched", Integer),
)

http = requests.Session()


def now_ms():
    return int(time.time() * 1000)


@app.task(name="peer.fetch_job")
def fetch_job(job_id, dealer_id, fetch_type, from_time, to_time):
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE jobs SET status = 'running', attempts = attempts + 1, started = :t "
                 "WHERE id = :id"),
            {"t": now_ms(), "id": job_id},
        )
    items = []
    page = 1
    url = f"{SOURCE}/dealers/{dealer_id}/{fetch_type}"
    while True:
        answer = http.get(
            url,
            params={"from": from_time, "to": to_time, "page": page, "page_size": PAGE_SIZE},
            timeout=30,
        )
        answer.raise_for_status()
        body = answer.json()
        items.extend(body["items"])
        if body.get("next_page") is None:
            break
        page = body["next_page"]
    rows = [
        {
            "dealer_id": dealer_id,
            "fetch_type": fetch_type,
            "record_id": item["id"],
            "payload": json.dumps(item, separators=(",", ":")),
            "updated_at": item.get("updated_at"),
            "job_id": job_id,
        }
        for item in items
    ]
    with engine.begin() as conn:
        if rows:
            stmt = insert(records)
            stmt = stmt.on_conflict_do_update(
                index_elements=["dealer_id", "fetch_type", "record_id"],
                set_={
                    "payload": stmt.excluded.payload,
                    "updated_at": stmt.excluded.updated_at,
                    "job_id": stmt.excluded.job_id,
                },
            )
            conn.execute(stmt, rows)
        conn.execute(
            text("UPDATE jobs SET status = 'completed', finished = :t, fetched = :n "
                 "WHERE id = :id"),
            {"t": now_ms(), "n": len(rows), "id": job_id},
        )
    return len(rows)
