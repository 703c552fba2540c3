"""What a scenario remembers between its steps, on any database: the case at hand, the last refusal.

The Story owns its sessions (a scenario is its own user of the database, like a CLI command):
each service call runs in a fresh session and commits or rolls back (`attempt`), each check
reads in a fresh session (`reading`), so a step sees what the previous ones committed.
"""
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ...models import Case, HumanTask, User
from .. import cases
from ..errors import ServiceError


class Story:
    def __init__(self, factory: sessionmaker, engine):
        self.factory = factory
        self.engine = engine
        self.case_id: int | None = None
        self.error: ServiceError | None = None
        self._sessions: list[Session] = [factory()]

    def session(self) -> Session:
        return self._sessions[-1]

    @contextmanager
    def reading(self):
        """A fresh session for the block: a check sees what the steps before it committed."""
        self._sessions.append(self.factory())
        try:
            yield self.session()
        finally:
            self._sessions.pop().close()

    def close(self) -> None:
        while self._sessions:
            self._sessions.pop().close()

    def user(self, username) -> User:
        user = self.session().scalars(select(User).where(User.username == username)).first()
        assert user is not None, f"没有用户 {username}"
        return user

    def case(self) -> Case:
        assert self.case_id is not None, "本场景尚未发起案件"
        return self.session().get(Case, self.case_id)

    def open_task(self, name) -> HumanTask:
        open_now = cases.open_tasks(self.session(), self.case())
        tasks = [t for t in open_now if name in (t.name, t.title)]
        assert tasks, f"案件没有待办任务“{name}”，当前待办：{[t.name for t in open_now]}"
        return tasks[0]

    def attempt(self, action):
        """Run a service call in its own transaction; remember a refusal instead of raising."""
        self.error = None
        with self.reading() as session:
            try:
                result = action(session)
                session.commit()
                return result
            except ServiceError as err:
                session.rollback()
                self.error = err
                return None
