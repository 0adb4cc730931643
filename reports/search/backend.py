"""The haystack Whoosh engine with the archive's cross-script analyzer."""

from haystack.backends.whoosh_backend import WhooshEngine


class CrossScriptWhooshEngine(WhooshEngine):
    pass
