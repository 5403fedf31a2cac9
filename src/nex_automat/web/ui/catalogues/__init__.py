"""The workspace's strings per area, Slovak (``SK``) and English (``EN``) with the same keys."""
