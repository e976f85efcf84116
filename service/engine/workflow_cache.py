"""Recently used instances kept deserialised in the process, so a step need not restore the engine state from JSON.

A copy is keyed by the instance's id, its optimistic version counter (``lock_version``, bumped by every write of
the row, from any process) and its process version, so a copy of an older state is never found: another node's
step, a timer firing or a move to a new version all change the key. A copy belongs to one transaction at a time:
``take`` removes it, and only a successful commit puts the workflow back (``hold`` registers it with the unit of
work); a rollback, a failed commit or an exception simply drops it. The size is bounded (least recently used first
out, ``SAGSFLOW_WORKFLOW_CACHE``; 0 turns it off).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import inspect

from service.engine.models import ProcessInstance
from service.uow import UnitOfWork

Key = tuple[str, int, int]


class WorkflowCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Key, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def take(self, key: Key) -> Any:
        """The workflow stored under `key`, removed from the cache (None when absent)."""
        with self._lock:
            workflow = self._items.pop(key, None)
            if workflow is None:
                self.misses += 1
            else:
                self.hits += 1
            return workflow

    def put(self, key: Key, workflow: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = workflow
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_cache = WorkflowCache(100)


def configure(size: int) -> None:
    """Set the bound (start-up); what is cached is dropped."""
    global _cache
    _cache = WorkflowCache(size)


def cache() -> WorkflowCache:
    return _cache


def _key(instance: ProcessInstance) -> Key:
    return instance.id, instance.lock_version, instance.process_version_id


def _loaded_state(instance: ProcessInstance) -> str | None:
    """The state as this session holds it, without loading it (the column may be deferred)."""
    return inspect(instance).dict.get("state")


def _pending(uow: UnitOfWork) -> dict[str, tuple[ProcessInstance, Any, str]]:
    """This transaction's workflows after their latest step, by instance id (put back at commit)."""
    return uow.memo(("live-workflows",), lambda: _new_pending(uow))


def _new_pending(uow: UnitOfWork) -> dict[str, tuple[ProcessInstance, Any, str]]:
    pending: dict[str, tuple[ProcessInstance, Any, str]] = {}
    uow.after_commit(lambda: _put_back(pending))  # a rollback forgets the callback, and with it the workflows
    return pending


def _put_back(pending: dict[str, tuple[ProcessInstance, Any, str]]) -> None:
    for instance, workflow, state in pending.values():
        # Only if the row still holds the state this workflow made (written, version bumped at flush).
        if _loaded_state(instance) is state:
            _cache.put(_key(instance), workflow)


def take(uow: UnitOfWork | None, instance: ProcessInstance) -> Any:
    """The instance's live workflow if one matches its stored state exactly, else None (the caller restores).

    One of this transaction's earlier steps comes first (its state is not written yet, so the row's version
    still names the state before it); then the process cache under the row's version.
    """
    if uow is None or instance.id is None:
        return None
    held = _pending(uow).pop(instance.id, None)
    if held is not None:
        if held[0] is instance and _loaded_state(instance) is held[2]:
            return held[1]
        return None
    if inspect(instance).modified:
        return None  # changed in this transaction by a step that kept no workflow: the key says too little
    return _cache.take(_key(instance))


def hold(uow: UnitOfWork | None, instance: ProcessInstance, workflow: Any, state: str) -> None:
    """Keep the workflow a step left for the instance's next step; into the cache only when the unit commits."""
    if uow is not None and workflow is not None:
        _pending(uow)[instance.id] = (instance, workflow, state)


def drop(uow: UnitOfWork | None, instance: ProcessInstance) -> None:
    """Forget this transaction's workflow of the instance (a step that made none, e.g. a move to a new version)."""
    if uow is not None:
        _pending(uow).pop(instance.id, None)
