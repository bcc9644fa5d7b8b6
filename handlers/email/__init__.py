"""News by e-mail, for residents whose chat cannot deliver it: the letters' links, the sender
the outbox relay uses for them, and the pages those links open."""
