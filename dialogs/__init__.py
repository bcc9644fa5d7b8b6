"""The channel-neutral conversation layer: events in, replies out, flows declared as data."""
