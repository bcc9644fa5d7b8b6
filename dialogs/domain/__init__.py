"""Pure domain logic the flows and the staff area share: opening hours, distances, results."""
