"""Messenger (``object=page``) and Instagram (``object=instagram``) through Meta's webhooks."""
