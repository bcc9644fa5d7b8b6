"""Storage: SQLModel tables, the engine factory, migrations and keyword-only data functions.

Data functions never commit: the caller owns the transaction (one per handled event).
"""
