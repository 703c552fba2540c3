"""Document numbers under concurrency on PostgreSQL: offices filing at the same moment (the
year's first number included) never get the same number and leave no gap."""
import threading

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from webapp.models import DocumentCounter
from webapp.services import filing

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WORKERS, EACH = 4, 15


def test_concurrent_filings_get_distinct_consecutive_numbers(postgres_url):
    engine = create_engine(postgres_url)
    DocumentCounter.__table__.drop(engine, checkfirst=True)
    DocumentCounter.__table__.create(engine)
    numbers, errors, start = [], [], threading.Barrier(WORKERS)

    def file_documents():
        try:
            start.wait()
            for _ in range(EACH):
                with Session(engine) as session:
                    numbers.append(filing.next_number(session, "civil_affairs@430104000000", 2031))
                    session.commit()
        except Exception as err:  # reported below, with the numbers seen
            errors.append(err)

    threads = [threading.Thread(target=file_documents) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert not errors, errors
    assert sorted(numbers) == list(range(1, WORKERS * EACH + 1))
