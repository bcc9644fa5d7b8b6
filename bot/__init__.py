"""Composition root of osallistu: settings, the app factory, the outbox relay and the CLI."""
