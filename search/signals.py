"""haystack signal processor that indexes after commit, through the queue.

haystack's RealtimeSignalProcessor writes to the index inside the saving
transaction (a rollback leaves a ghost document; two web workers collide on the
Whoosh lock). This one records the change in the same transaction and indexes
on commit (search/indexing.py).
"""

from django.db import transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from archive.models import Report

from . import indexing


class QueuedSignalProcessor(BaseSignalProcessor):
    def setup(self):
        signals.post_save.connect(self.handle_change, sender=Report)
        signals.post_delete.connect(self.handle_change, sender=Report)

    def teardown(self):
        signals.post_save.disconnect(self.handle_change, sender=Report)
        signals.post_delete.disconnect(self.handle_change, sender=Report)

    def handle_change(self, sender, instance, **kwargs):
        indexing.enqueue([instance.pk])
        transaction.on_commit(indexing.drain_queue_quietly)
