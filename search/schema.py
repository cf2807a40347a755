"""The analyzer classes under their old module name, for indexes pickled before.

Whoosh pickles the schema, analyzers included, into the index by module and class
name; this module held them until only ``whoosh_*`` modules and ``backend`` were
allowed to import Whoosh (issue 15). An index built then unpickles
``search.schema.JiebaTokenizer`` and finds it here, so no rebuild is needed. New
code imports ``search.whoosh_schema``.
"""

from search.whoosh_schema import GramsTokenizer, JiebaTokenizer, _AnalysisTokenizer

__all__ = ["GramsTokenizer", "JiebaTokenizer", "_AnalysisTokenizer"]
