"""The web chat on the city's site: a plain HTML page and ``POST /webchat/messages``."""
