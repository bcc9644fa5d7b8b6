"""Channel adapters: each turns platform payloads into ``Event``s and ``Reply``s into platform calls."""
