"""Paper: the PDFs the bot makes from a plan (the prep sheet, the records request letters).

No telegram and no storage: a plan, the words of a locale (`templates/`) and the time go in, bytes come
out. fpdf2 draws them with the DejaVu font kept in `templates/fonts/`, so accented names print on any
machine. Handlers call these inside the unit of work's worker thread, never on the event loop.
"""
