"""Reading event reports: from prose to events, mentions and the sentences they came from.

The stages, each a module: :mod:`segment` (paragraphs, sentences, tokens, dateline),
:mod:`dates` and :mod:`numbers` (expressions), :mod:`gazetteer` (names of reference entities
and places), :mod:`organizations` (agencies the reference data does not know),
:mod:`events` (event phrases and sessions) and :mod:`reader`, which puts them together into an
:class:`~legalkg.text.model.Extraction`.
"""
