"""Public pages beyond the chat: what's on, as a page and as a calendar to subscribe to."""
